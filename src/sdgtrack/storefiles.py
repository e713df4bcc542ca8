"""The store's files, below every layer (the store, the CLI and the server all ask): is a path a
DuckDB store, and the sidecar and key files a running server keeps beside it.

Is a path a DuckDB store? Checked before DuckDB opens it, because DuckDB opens some other files
its own way: ``duckdb.connect("data.csv")`` gives an in-memory database with the CSV as a view,
so a load "succeeds" and is lost when the command ends."""

from __future__ import annotations

import json
import os
from pathlib import Path

from .errors import UserInputError

MAGIC = b"DUCK"  # bytes 8-11 of every DuckDB database file
DATA_SUFFIXES = {".csv", ".tsv", ".txt", ".parquet", ".json", ".jsonl", ".ndjson", ".xlsx", ".xls", ".gz", ".zst"}


def check_store_path(path: Path) -> None:
    """Raise UserInputError when ``path`` holds something other than a DuckDB store (a data file,
    a folder) or names a data file; a missing path with another name is a store to create."""
    if path.is_dir():
        raise UserInputError(f"database {path}: is a folder; expected a DuckDB file (e.g. sdgtrack.duckdb)")
    if path.exists():
        try:
            with path.open("rb") as fh:
                head = fh.read(12)
        except OSError as exc:
            raise UserInputError(f"cannot read database {path}: {exc.strerror or exc}") from None
        if head[8:12] != MAGIC:
            raise UserInputError(
                f"{path} is not a DuckDB database (give the store with --db, and data files as arguments)"
            )
    elif path.suffix.lower() in DATA_SUFFIXES:
        raise UserInputError(
            f"database {path}: a {path.suffix} name is for data files; "
            "expected a DuckDB file name such as sdgtrack.duckdb"
        )


def sidecar_path(store: Path) -> Path:
    """Where a server holding ``store`` says so (``sdgtrack serve`` writes it, removes it on exit)."""
    return store.with_name(store.name + ".server.json")


def server_key_path(store: Path) -> Path:
    """The running server's key for the CLI's account commands (readable by the server's OS account only)."""
    return store.with_name(store.name + ".server.key")


def server_key(store: Path) -> str | None:
    """The key a CLI on this machine sends to the server holding ``store``, or None when it may not read it."""
    try:
        return server_key_path(store).read_text(encoding="ascii").strip() or None
    except (OSError, UnicodeDecodeError):
        return None


def server_holding(store: Path) -> dict | None:
    """The live server named by a store's sidecar (pid, url, upload, started), or None when there is
    no sidecar or its process is gone (a server killed without cleaning up)."""
    path = sidecar_path(store)
    try:
        info = json.loads(path.read_text(encoding="utf-8"))
        pid = int(info["pid"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return None
    except PermissionError:  # alive, another user's
        pass
    return info
