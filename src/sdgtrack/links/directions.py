"""The desired direction of each series: the seam between interlinkages and progress.

The direction table belongs to the progress assessment. This module only asks for it, so the
statistical analysis never needs to know where it comes from.
"""
from __future__ import annotations

import pandas as pd

INCREASE, DECREASE = 1, -1


def directions(db) -> pd.DataFrame:
    """``DataFrame(series, direction, source)``: direction +1 (an increase is desired), -1 (a
    decrease is desired), or 0 (unknown or neither) for every series in the store."""
    series = db.con.execute("SELECT code AS series FROM series ORDER BY code").df()
    table = _progress_directions(db)
    if table is None:
        series["direction"] = 0
        series["source"] = "none: no direction table available"
        return series
    out = series.merge(table, on="series", how="left")
    out["direction"] = out["direction"].fillna(0).astype(int)
    out["source"] = out["source"].fillna("not in the direction table")
    return out


def _progress_directions(db) -> pd.DataFrame | None:
    """The progress assessment's table as (series, direction, source), or None if absent."""
    return None
