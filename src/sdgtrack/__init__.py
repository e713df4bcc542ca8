"""sdgtrack: follow-up and review of the 2030 Agenda.

    >>> import sdgtrack
    >>> db = sdgtrack.open("sdgtrack.duckdb")
    >>> db.ingest(["data/"])
    >>> db.observations("3.2.1", areas=["4"])
"""
from __future__ import annotations

from pathlib import Path

from .errors import SdgtrackError, UserInputError
from .store.database import Database, default_db_path

__version__ = "0.1.0"
__all__ = ["open", "Database", "SdgtrackError", "UserInputError", "default_db_path"]


def open(path: str | Path | None = None, *, read_only: bool = False) -> Database:  # noqa: A001
    """Open (creating if needed) the store at ``path`` (default: $SDGTRACK_DB or ./sdgtrack.duckdb)."""
    return Database(path, read_only=read_only)
