"""The assessment panel: one row per (series, area) with the baseline and latest observation.

Everything here is vectorised over all series x areas at once: the headline values arrive sorted by
(series, area, year), groups are found from the changes of key, and the baseline of each group is the
first year at or after the group's window start (``np.minimum.reduceat`` over row indices).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass
class Panel:
    """Baseline and latest point of every (series, area); arrays aligned with ``keys``."""

    keys: pd.DataFrame  # series, area (and unit) per group
    n_points: np.ndarray  # observations in the window [window_start, latest]
    base_year: np.ndarray  # float, NaN where no observation in the window
    base_value: np.ndarray
    latest_year: np.ndarray
    latest_value: np.ndarray
    min_value: np.ndarray  # smallest and largest value in the window (sign checks)
    max_value: np.ndarray

    def __len__(self) -> int:
        return len(self.keys)


def groups_of(values: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Start index and group id of each (series, area) run in a frame sorted by series, area, year."""
    series = values["series"].to_numpy()
    area = values["area"].to_numpy()
    n = len(values)
    if n == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    change = np.empty(n, dtype=bool)
    change[0] = True
    change[1:] = (series[1:] != series[:-1]) | (area[1:] != area[:-1])
    starts = np.flatnonzero(change)
    group = np.cumsum(change) - 1
    return starts, group


def build(values: pd.DataFrame, *, window_start=None, lookback: int | None = None) -> Panel:
    """Panel from headline values (columns series, area, year, value; sorted by series, area, year).

    ``window_start``: the baseline is the first year >= this year (UNSD and Statistics Canada: 2015);
    a scalar, or one year per group (a series' own base year from the target table).
    ``lookback``: the baseline is the first year >= latest year - lookback (Eurostat: 5 or 15 years).
    Exactly one of the two is given.
    """
    if (window_start is None) == (lookback is None):
        raise ValueError("give window_start or lookback")
    starts, group = groups_of(values)
    n_groups = len(starts)
    years = values["year"].to_numpy(dtype=np.int64)
    vals = values["value"].to_numpy(dtype=np.float64)
    if n_groups == 0:
        empty = np.zeros(0)
        return Panel(
            values[["series", "area"]].iloc[:0].reset_index(drop=True),
            np.zeros(0, dtype=np.int64),
            empty,
            empty,
            empty,
            empty,
            empty,
            empty,
        )
    ends = np.append(starts[1:], len(values))
    latest_idx = ends - 1
    if window_start is not None:
        first_year = np.broadcast_to(np.asarray(window_start, dtype=np.int64), (n_groups,))
    else:
        first_year = years[latest_idx] - lookback
    in_window = years >= first_year[group]
    idx = np.arange(len(values))
    sentinel = len(values)
    base_idx = np.minimum.reduceat(np.where(in_window, idx, sentinel), starts)
    has_base = base_idx < sentinel
    n_points = np.add.reduceat(in_window.astype(np.int64), starts)
    min_value = np.minimum.reduceat(np.where(in_window, vals, np.inf), starts)
    max_value = np.maximum.reduceat(np.where(in_window, vals, -np.inf), starts)
    safe_base = np.where(has_base, base_idx, 0)
    base_year = np.where(has_base, years[safe_base], np.nan)
    base_value = np.where(has_base, vals[safe_base], np.nan)
    latest_year = np.where(has_base, years[latest_idx], np.nan)
    latest_value = np.where(has_base, vals[latest_idx], np.nan)
    keys = values.iloc[starts][["series", "area"] + (["unit"] if "unit" in values else [])].reset_index(drop=True)
    return Panel(
        keys,
        n_points,
        base_year.astype(float),
        base_value,
        latest_year.astype(float),
        latest_value,
        np.where(has_base, min_value, np.nan),
        np.where(has_base, max_value, np.nan),
    )
