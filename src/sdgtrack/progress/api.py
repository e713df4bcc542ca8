"""The Python API of progress assessment; the CLI and other faces call these."""

from __future__ import annotations

import pandas as pd

from ..errors import UserInputError
from . import rollup, store
from .assess import assess_series, target_table

__all__ = ["assess", "last_assessment", "target_table"]


def assess(
    db,
    method: str = "unsd",
    *,
    targets=None,
    areas=None,
    series=None,
    level: str = "series",
    save: bool = True,
    datasets=None,
    **params,
) -> pd.DataFrame:
    """Assess headline series x areas with ``method`` (unsd, eurostat, statcan) and roll up to ``level``
    (series, indicator, target, goal). ``targets``: a CSV path or DataFrame extending the default table.
    ``datasets``: datasets to read, in order of preference (default: all, one per series and area).
    Method parameters: ``base_year`` (unsd, statcan; default 2015), ``period`` (eurostat: short|long).
    The series-level result is kept in the store (see :func:`last_assessment`) unless ``save=False``.
    """
    if level not in rollup.LEVELS:
        raise UserInputError(f"level {level!r}: expected one of {', '.join(rollup.LEVELS)}")
    frame = assess_series(db, method, targets=targets, areas=areas, series=series, datasets=datasets, **params)
    if save:
        store.save(db.con, frame)
    if level == "series":
        return frame
    return rollup.roll_up(db, frame, level)


def last_assessment(db) -> pd.DataFrame | None:
    """The series-level result of the last saved assessment, its parameters in ``attrs``."""
    return store.load(db.con)
