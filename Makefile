# The two set-up commands of the README. Both work on a fresh machine with Python 3.11.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEMO_DB ?= demo/sdgtrack-demo.duckdb
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: demo test install install-dev demo-db serve clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install --quiet -e ".[pdf]"

install-dev: $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'

demo-db: install
	$(BIN)/sdgtrack demo build --db $(DEMO_DB)

demo: demo-db
	$(BIN)/sdgtrack serve --db $(DEMO_DB) --host $(HOST) --port $(PORT)

test: install-dev
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests
	$(BIN)/mypy
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) $(DEMO_DB) build src/*.egg-info
