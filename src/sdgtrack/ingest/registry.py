"""The reader registry: each module in ``sdgtrack.ingest.readers`` registers one format.

A reader is an object with ``name``, ``description``, ``detect(path) -> bool`` and
``read(con, path, staging_table, options) -> ReadResult`` (the ``Reader`` protocol of
``sdgtrack.registries``). Adding a format means adding one module and its section in
docs/ingest.md (tests/test_docs.py checks); `--format` and its help follow the registry.
"""

from __future__ import annotations

from pathlib import Path

from ..registries import READERS, Reader, ReadResult

__all__ = ["READERS", "ReadResult", "Reader", "all_readers", "detect", "get", "register"]


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
