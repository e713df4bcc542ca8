"""The reader registry: each module in ``sdgtrack.ingest.readers`` registers one format.

A reader is an object with ``name``, ``description``, ``detect(path) -> bool`` and
``read(con, path, staging_table, options) -> ReadResult``. Adding a format means adding one
module; nothing else changes.
"""
from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from ..errors import Problem, UserInputError


@dataclass
class ReadResult:
    rows: int = 0                      # informative only: the loader counts the staged rows itself
    blank_values: int = 0              # rows a reader dropped for having no value (the loader also
                                       # counts and drops staged rows whose value_raw is blank)
    problems: list[Problem] = field(default_factory=list)  # file-level or row-level problems
    notes: list[str] = field(default_factory=list)          # things the user should know
    # Custom areas the staged rows name (sub-national areas from an SDMX code list ...):
    # (code, name, parent code, kind). The loader adds them for validation and removes them
    # again when the load fails or is a dry run, so a failed load still changes nothing.
    areas: list[tuple[str, str, str | None, str]] = field(default_factory=list)


class Reader(Protocol):
    name: str
    description: str

    def detect(self, path: Path) -> bool: ...

    def read(self, con, path: Path, staging: str, options: dict) -> ReadResult: ...


READERS: dict[str, Reader] = {}


def register(reader: Reader) -> Reader:
    READERS[reader.name] = reader
    return reader


def _load_all() -> None:
    from . import readers

    for mod in pkgutil.iter_modules(readers.__path__):
        importlib.import_module(f"{readers.__name__}.{mod.name}")


def get(name: str) -> Reader:
    _load_all()
    if name not in READERS:
        raise UserInputError(f"unknown format {name!r}: expected one of {', '.join(sorted(READERS))}")
    return READERS[name]


def detect(path: Path) -> Reader | None:
    _load_all()
    # Order matters only where two readers could claim a path: folder formats first.
    for reader in sorted(READERS.values(), key=lambda r: getattr(r, "priority", 50)):
        try:
            if reader.detect(path):
                return reader
        except OSError:
            continue
    return None


def all_readers() -> dict[str, Reader]:
    _load_all()
    return dict(READERS)
