"""Shared fixtures. Tests on real data use ../shared/data and skip with a reason when it is absent."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import sdgtrack
from sdgtrack.ingest import load

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("SDGTRACK_SHARED_DATA", REPO.parent / "shared" / "data"))
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def shared_path(*parts: str) -> Path:
    """A path under ../shared/data, or skip the test with a clear reason."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"real data not available: {path} (set SDGTRACK_SHARED_DATA to the shared/data folder)")
    return path


@pytest.fixture
def db(tmp_path):
    database = sdgtrack.Database(tmp_path / "test.duckdb")
    yield database
    database.close()


@pytest.fixture(scope="session")
def un_db(tmp_path_factory):
    """A store holding the whole 2020 UN Global Database extract (loaded once per test session)."""
    src = shared_path("unsd", "sdg_global_2020.csv.gz")
    database = sdgtrack.Database(tmp_path_factory.mktemp("un") / "un.duckdb")
    load(database, src)
    yield database
    database.close()
