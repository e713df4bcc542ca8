"""The reader registry: each module in ``sdgtrack.ingest.readers`` registers one format.

A reader is an object with ``name``, ``description``, ``detect(path) -> bool`` and
``read(con, path, staging_table, options) -> ReadResult`` (the ``Reader`` protocol of
``sdgtrack.registries``). Adding a format means adding one module and its section in
docs/ingest.md (tests/test_docs.py checks); `--format` and its help follow the registry.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import Problem
from ..registries import READERS, Reader

if TYPE_CHECKING:
    from .metadata import MetadataRows

__all__ = ["READERS", "ReadResult", "Reader", "all_readers", "detect", "get", "register"]


@dataclass
class ReadResult:
    rows: int = 0  # informative only: the loader counts the staged rows itself
    blank_values: int = 0  # rows a reader dropped for having no value (the loader also
    # counts and drops staged rows whose value_raw is blank)
    problems: list[Problem] = field(default_factory=list)  # file-level or row-level problems
    notes: list[str] = field(default_factory=list)  # things the user should know
    # Custom areas the staged rows name (sub-national areas from an SDMX code list ...):
    # (code, name, parent code, kind). The loader adds them for validation and removes them
    # again when the load fails or is a dry run, so a failed load still changes nothing.
    areas: list[tuple[str, str, str | None, str]] = field(default_factory=list)
    # Indicator metadata text the source carries (Open SDG meta files): written with the load's
    # rows, in the same transaction, replacing the dataset's metadata of the indicators read.
    metadata: "MetadataRows | None" = None
    # The header of each source table read, as written: (file, indicator code or national id,
    # column names, whether a row has a value). Stored with the load (store.source_columns) so the
    # site writes an indicator's columns as its source did (Open SDG files).
    tables: list[tuple[str, str | None, list[str], bool]] = field(default_factory=list)


def register(reader: Reader) -> Reader:
    return READERS.register(reader)


def get(name: str) -> Reader:
    return READERS.get(name)


def detect(path: Path) -> Reader | None:
    # Order matters only where two readers could claim a path: folder formats first.
    for reader in sorted(READERS.values(), key=lambda r: getattr(r, "priority", 50)):
        try:
            if reader.detect(path):
                return reader
        except OSError:
            continue
    return None


def all_readers() -> dict[str, Reader]:
    return dict(READERS.items())
