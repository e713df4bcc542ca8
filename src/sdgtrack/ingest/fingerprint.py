"""The digest of what a load reads, so that an unchanged re-load is known before any file is parsed.

A load of the same files into a dataset whose rows are still as the last load of those files left
them changes nothing: parsing, validating and comparing 10 M rows to find that out took 36 times
DuckDB's own read of the file (docs/scale.md, "Ingest at scale"). The digest covers everything the
rows depend on: each file's path and bytes, the reader that reads it, the load's options, this
release's ingest rules (the source of the modules that parse and check) and the store's reference
data (areas and indicator codes). Only readers whose rows depend on their file alone
(``self_contained``) qualify: an Open SDG file reads its repository's configuration, an SDMX file a
structure beside it.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

CHUNK = 1 << 20


def inputs_digest(inputs, options: dict, reference: str) -> str | None:
    """sha256 over the inputs (``(path, reader)`` pairs), the options and the reference state; None
    when a reader's rows depend on more than its file, or a file cannot be read here (the load then
    reads it and names the problem)."""
    if not inputs or not all(getattr(reader, "self_contained", False) and path.is_file() for path, reader in inputs):
        return None
    h = hashlib.sha256()
    h.update(f"rules {_rules()}\nreference {reference}\noptions {sorted(options.items())!r}\n".encode())
    try:
        for path, reader in sorted(inputs, key=lambda pair: str(pair[0])):
            h.update(f"file {str(path)!r} {reader.name} {path.stat().st_size}\n".encode())
            with open(path, "rb") as f:
                while chunk := f.read(CHUNK):
                    h.update(chunk)
    except OSError:
        return None
    return h.hexdigest()


@lru_cache(maxsize=1)
def _rules() -> str:
    """The source of the modules that turn a file into rows: a change to how a file is read or
    checked (a new release, or a local edit) makes the next load of it read it again. (The package's
    version is not read: `sdgtrack/__init__` sits above ingest in the layers, and the source says more.)"""
    root = Path(__file__).resolve().parents[1]
    h = hashlib.sha256()
    for path in sorted((root / "ingest").rglob("*.py")) + [root / "frameworks" / "areas.py"]:
        h.update(path.relative_to(root).as_posix().encode())
        h.update(path.read_bytes())
    return h.hexdigest()
