"""sdgtrack: follow-up and review of the 2030 Agenda.

>>> import sdgtrack
>>> ws = sdgtrack.open("sdgtrack.duckdb")
>>> ws.ingest(["data/"])
>>> ws.observations("3.2.1", areas=["4"])
>>> print(ws.assess("unsd", level="goal").describe())
"""

from __future__ import annotations

from pathlib import Path

from .errors import SdgtrackError, UserInputError
from .store.database import Database, default_db_path
from .workspace import Workspace

__version__ = "0.1.0"
__all__ = ["open", "Workspace", "Database", "SdgtrackError", "UserInputError", "default_db_path"]


def open(path: str | Path | None = None, *, read_only: bool = False) -> Workspace:  # noqa: A001
    """The workspace (the one front door: data in and out, every analysis) over the store at ``path``
    (default: $SDGTRACK_DB or ./sdgtrack.duckdb), created when it does not exist unless ``read_only``."""
    return Workspace(path, read_only=read_only)
