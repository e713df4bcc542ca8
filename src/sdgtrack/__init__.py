"""sdgtrack: follow-up and review of the 2030 Agenda.

>>> import sdgtrack
>>> ws = sdgtrack.open("sdgtrack.duckdb")
>>> ws.ingest(["data/"])
>>> ws.observations("3.2.1", areas=["4"])
>>> print(ws.assess("unsd", level="goal").describe())
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import SdgtrackError, UserInputError

if TYPE_CHECKING:
    from .store.database import Database, default_db_path
    from .workspace import Workspace

__version__ = "0.1.0"
__all__ = ["open", "Workspace", "Database", "SdgtrackError", "UserInputError", "default_db_path"]

# The store and the workspace import pandas, NumPy and DuckDB (about a second of CPU): imported
# when first named, so `sdgtrack --version` and a command's --help do without them.
_LAZY = {"Database": ".store.database", "default_db_path": ".store.database", "Workspace": ".workspace"}


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(_LAZY[name], __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


def open(path: str | Path | None = None, *, read_only: bool = False) -> Workspace:  # noqa: A001
    """The workspace (the one front door: data in and out, every analysis) over the store at ``path``
    (default: $SDGTRACK_DB or ./sdgtrack.duckdb), created when it does not exist unless ``read_only``."""
    from .workspace import Workspace

    return Workspace(path, read_only=read_only)
