"""Assess every headline series x area against its target with one method."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import UserInputError
from . import methods
from . import panel as panel_mod
from . import targets as targets_mod
from .methods._common import Goal

# Headline values a run reads from the store at once (about 100 bytes each in memory): a store
# with more is read some series at a time, so the values held are about this many, not the store's.
VALUES_PER_READ = 4_000_000

SERIES_COLUMNS = [
    "series",
    "area",
    "area_name",
    "disaggregation",
    "method",
    "baseline_year",
    "baseline_value",
    "latest_year",
    "latest_value",
    "target",
    "target_year",
    "direction",
    "cagr",
    "ratio",
    "status",
    "score",
    "target_met",
    "unit",
    "n_points",
    "source",
    "dataset",
]


def target_table(db, targets=None) -> pd.DataFrame:
    """Default targets, extended or overridden by ``targets`` (a CSV path or a DataFrame)."""
    defaults = targets_mod.default_targets()
    if targets is None:
        return defaults
    user = targets if isinstance(targets, pd.DataFrame) else targets_mod.read_targets(db, targets)
    return targets_mod.combine(defaults, user)


def assess_series(
    db, method: str = "unsd", *, targets=None, areas=None, series=None, values=None, datasets=None, **params
) -> pd.DataFrame:
    """One row per (series, area) with a target row: baseline, latest, CAGR, ratio, status, score.

    ``series``: series or goal/target/indicator codes (None = every series of the target table).
    ``values``: headline values to use instead of the store's (columns series, area, year, value).
    ``datasets``: the store's datasets to read, in order of preference (default: all; each
    series and area from one dataset, named in the ``dataset`` column).
    The frame's ``attrs`` hold the method, its parameters and the data window.
    """
    m = methods.get(method)
    params = method_params(m, params)
    table = target_table(db, targets)
    wanted = set(table["series"])
    if series:
        asked = {s for code in series for s in db.series_codes_for(code)}
        wanted &= asked
        if not wanted:
            raise UserInputError(f"no target row for {', '.join(series)}: give one with --targets FILE")
    names = db.area_names()
    if values is not None:
        frame = _assess_values(values[values["series"].isin(wanted)], m, params, table, names)
    else:
        # some series at a time: a series' main unit and each (series, area)'s dataset depend on
        # that series' rows alone, so the parts are the rows of one read, and the run holds about
        # VALUES_PER_READ values, whatever the store's size
        present = sorted(wanted & set(db.series_codes()))
        frames = []
        for chunk_series in _series_chunks(db, present, areas, datasets):
            chunk = db.headline_values(chunk_series, areas=areas, datasets=datasets)
            if len(chunk):
                frames.append(_assess_values(chunk, m, params, table, names))
            del chunk
        if not frames:
            empty = db.headline_values(present[:1], areas=areas, datasets=datasets).iloc[:0].copy()
            frames.append(_assess_values(empty, m, params, table, names))
        frame = frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)
    return finish(frame, m, params, table, areas, series)


def _series_chunks(db, series: list[str], areas, datasets) -> list[list[str]]:
    """``series`` (sorted) cut into runs of about VALUES_PER_READ headline values; one run when
    they all fit (a national store), so such a store is read once, as before."""
    if not series:
        return [series]
    counts = db.main_units(series, areas=areas, datasets=datasets).groupby("series")["n"].sum()
    rows = counts.reindex(series, fill_value=0).to_numpy(dtype=np.int64)
    if rows.sum() <= VALUES_PER_READ:
        return [series]
    chunk = np.cumsum(rows) // VALUES_PER_READ
    cuts = np.flatnonzero(np.diff(chunk)) + 1
    return [list(part) for part in np.split(np.asarray(series, dtype=object), cuts)]


def _assess_values(values: pd.DataFrame, m, params: dict, table: pd.DataFrame, names) -> pd.DataFrame:
    """The rows of the series x areas of ``values`` (headline values of series with a target row)."""
    # headline_values is sorted by series, area, year; a caller's frame may not be.
    values = values.sort_values(["series", "area", "year"], kind="stable").reset_index(drop=True)
    starts, _ = panel_mod.groups_of(values)
    aligned = targets_mod.align(table, values.iloc[starts][["series", "area"]].reset_index(drop=True))
    window = m.window(params)
    if "window_start" in window:  # a series' own base year (target table) wins over the method's
        window["window_start"] = aligned["base_year"].fillna(window["window_start"]).to_numpy(dtype=np.int64)
    pnl = panel_mod.build(values, **window)
    sign = aligned["direction"].map({"increase": 1.0, "decrease": -1.0}).to_numpy(dtype=float)
    raw_target = aligned["target"].to_numpy(dtype=float)
    ratio_kind = (aligned["target_kind"] == "baseline_ratio").to_numpy()
    target = np.where(ratio_kind, raw_target * pnl.base_value, raw_target)
    goal = Goal(sign, target, aligned["target_year"].to_numpy(dtype=float), aligned["limit"].to_numpy(dtype=float))
    result = m.assess(pnl, goal, params)

    frame = pd.DataFrame(
        {
            "series": pnl.keys["series"].to_numpy(),
            "area": pnl.keys["area"].to_numpy(),
            "area_name": pnl.keys["area"].map(names).to_numpy(),
            "disaggregation": "",
            "method": m.NAME,
            "baseline_year": pd.array(pnl.base_year, dtype="Int64") if len(pnl) else pd.array([], dtype="Int64"),
            "baseline_value": pnl.base_value,
            "latest_year": pd.array(pnl.latest_year, dtype="Int64") if len(pnl) else pd.array([], dtype="Int64"),
            "latest_value": pnl.latest_value,
            "target": target,
            "target_year": aligned["target_year"].to_numpy(),
            "direction": aligned["direction"].to_numpy(),
        }
    )
    for col in result.columns:
        frame[col] = result[col].to_numpy()
    frame["unit"] = pnl.keys["unit"].to_numpy() if "unit" in pnl.keys else ""
    frame["n_points"] = pnl.n_points
    frame["source"] = aligned["source"].to_numpy()
    frame["dataset"] = values.iloc[starts]["dataset"].to_numpy() if "dataset" in values and len(pnl) else None
    return frame[SERIES_COLUMNS + [c for c in frame.columns if c not in SERIES_COLUMNS]]


def method_params(m, params: dict) -> dict:
    """The method's defaults with the parameters given (None: the default)."""
    return {**m.DEFAULTS, **{k: v for k, v in params.items() if v is not None}}


def finish(frame: pd.DataFrame, m, params: dict, table: pd.DataFrame, areas, series) -> pd.DataFrame:
    """The assessment's ``attrs``: what :func:`describe` states and the datasets used. Also what
    joins the parts of a distributed run (sdgtrack.cluster) into one assessment."""
    frame.attrs.update(describe(m, params, frame, table, areas, series))
    # which dataset each series came from, counted: dataset -> series
    frame.attrs["datasets"] = {str(d): int(n) for d, n in frame.groupby("dataset")["series"].nunique().items()}
    return frame


def describe(m, params: dict, frame: pd.DataFrame, table: pd.DataFrame, areas, series) -> dict:
    """What every output states: method, parameters, data window, coverage."""
    assessed = frame[frame["status"] != m.INSUFFICIENT]
    window = {
        "baseline_years": _span(assessed["baseline_year"]),
        "latest_years": _span(assessed["latest_year"]),
    }
    return {
        "method": m.NAME,
        "title": m.TITLE,
        "parameters": dict(params),
        "areas": list(areas) if areas else "all",
        "series": list(series) if series else "all with a target row",
        "data_window": window,
        "target_rows": int(len(table)),
        "pairs": int(len(frame)),
        "assessed": int(len(assessed)),
    }


def _span(years: pd.Series) -> list[int] | None:
    years = years.dropna()
    return [int(years.min()), int(years.max())] if len(years) else None


def targets_with_directions(db, targets=None, directions_for=None) -> pd.DataFrame | None:
    """The user's target table (``targets``: a DataFrame or a CSV path; None: the shipped defaults
    only) and, for the ``directions_for`` series without a target row, the direction of their
    indicator's global series (:func:`inherited_directions`); the user's rows win. None when there
    is neither (the assessment then uses the shipped defaults alone)."""
    user = None
    if targets is not None:
        user = targets if isinstance(targets, pd.DataFrame) else targets_mod.read_targets(db, targets)
    if directions_for is None:
        return user
    inherited = inherited_directions(db, target_table(db, user), directions_for)
    if not len(inherited):
        return user
    return inherited if user is None else targets_mod.combine(inherited, user)


def inherited_directions(db, table: pd.DataFrame, series) -> pd.DataFrame:
    """Target rows for the area's series that have none: the desired direction shared by every
    general target row of the series serving the same indicator (an indicator whose global
    series disagree gives none), without a numeric target, its source saying where it came from.
    ``series``: the series wanting a direction (those of an area's values)."""
    links = db.series_indicator_links()[["series", "indicator"]]
    general = table[table["area"] == ""][["series", "direction"]].merge(links, on="series")
    per = general.groupby("indicator").agg(
        direction=("direction", lambda d: d.iloc[0] if d.nunique() == 1 else None), source_series=("series", "min")
    )
    per = per.dropna(subset=["direction"])
    lacking = sorted(set(series) - set(table["series"]))
    wanted = links[links["series"].isin(lacking)].merge(per, left_on="indicator", right_index=True)
    # a series serving indicators of opposite directions stays unassessed
    wanted = wanted[wanted.groupby("series")["direction"].transform("nunique") == 1].drop_duplicates("series")
    return pd.DataFrame(
        {
            "series": wanted["series"],
            "area": "",
            "direction": wanted["direction"],
            "target": np.nan,
            "target_kind": "absolute",
            "target_year": 2030,
            "base_year": np.nan,
            "limit": np.nan,
            "source": [
                f"direction of {s} (indicator {i}); no numeric target"
                for s, i in zip(wanted["source_series"], wanted["indicator"])
            ],
        },
        columns=targets_mod.COLUMNS,
    ).reset_index(drop=True)
