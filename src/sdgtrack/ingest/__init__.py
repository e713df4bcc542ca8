"""Ingest: one reader per source format -> canonical staged rows -> validation -> the store.

See ``docs/architecture.md`` ("Ingest") for the canonical row and the reader contract. The two
entry points below load files into a store, or check them without changing it; they write
through the store (:mod:`sdgtrack.store.datasets`), which imports nothing of the ingest.
``sdgtrack.open()``'s workspace calls them (``ws.ingest``, ``ws.validate``); so may a script or a
test holding a bare :class:`~sdgtrack.store.database.Database`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable

if TYPE_CHECKING:
    from ..store.database import Database
    from .loader import LoadReport

Paths = Iterable[str | Path] | str | Path


def load(
    db: Database,
    paths: Paths,
    *,
    dataset: str | None = None,
    dataset_info: dict | None = None,
    replace: bool = False,
    allow_large_removal: bool = False,
    format: str | None = None,  # noqa: A002
    skip_invalid: bool = False,
    rejected_path: str | Path | None = None,
    area: str | None = None,
    progress: Callable[..., None] | None = None,
    user: str | None = None,
) -> LoadReport:
    """Load files or folders into one dataset of ``db`` (``dataset``, else the one their reader derives).

    ``dataset_info``: title, kind (global, national, subnational, city, other), publisher,
    licence of the dataset. ``replace``: rows of the dataset absent from this load are
    removed (kept in history); without it they are kept and counted as missing. A replace
    that would remove more than half of the dataset needs ``allow_large_removal=True``.
    ``user``: who the load is recorded for in history (a server passes its signed-in user; default
    $SDGTRACK_USER, else the operating-system account).
    """
    from .loader import ingest

    return ingest(
        db,
        as_paths(paths),
        dataset=dataset,
        dataset_info=dataset_info,
        replace=replace,
        allow_large_removal=allow_large_removal,
        format=format,
        skip_invalid=skip_invalid,
        rejected_path=rejected_path,
        area=area,
        progress=progress,
        user=user,
    )


def check(
    db: Database,
    paths: Paths,
    *,
    dataset: str | None = None,
    format: str | None = None,  # noqa: A002
    area: str | None = None,
    progress: Callable[..., None] | None = None,
    preview_rows: int = 0,
) -> LoadReport:
    """Check files as :func:`load` would, without changing ``db``. ``preview_rows``: list that many
    of the new and updated rows (with the value an update replaces) in ``report.changes``."""
    from .loader import ingest

    return ingest(
        db,
        as_paths(paths),
        dataset=dataset,
        format=format,
        area=area,
        dry_run=True,
        progress=progress,
        preview_rows=preview_rows,
    )


def as_paths(paths: Paths) -> list[Path]:
    if isinstance(paths, (str, Path)):
        return [Path(paths)]
    return [Path(p) for p in paths]
