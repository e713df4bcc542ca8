"""Target values: per series (or indicator), the desired direction, an optional numeric target and
target year, an optional natural limit, optionally for one area only, and where it comes from.

The default table (``data/targets_default.csv``) is read from the package; a user's file extends or
overrides it. Rows are validated as a whole: one bad row rejects the file and nothing is assessed.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from .. import textfiles
from ..errors import InvalidInputError, Problem, UserInputError

COLUMNS = ["series", "area", "direction", "target", "target_kind", "target_year", "base_year", "limit", "source"]
DIRECTIONS = ("increase", "decrease")
KINDS = ("absolute", "baseline_ratio")
DEFAULT_YEAR = 2030


def default_targets() -> pd.DataFrame:
    path = resources.files("sdgtrack.progress") / "data" / "targets_default.csv"
    with resources.as_file(path) as p:
        frame = pd.read_csv(p, dtype=str, keep_default_na=False)
    return _typed(frame, "targets_default.csv")


def read_targets(db, path: str | Path) -> pd.DataFrame:
    """A user's targets CSV, validated against the store's series, indicators and areas.

    Columns: ``series`` or ``indicator`` (one of them per row), ``direction`` (increase|decrease),
    optional ``target``, ``target_year`` (default 2030), ``target_kind`` (absolute|baseline_ratio),
    ``base_year`` (a series' own baseline year), ``limit``, ``area``, ``source``. Indicator rows are expanded to every series of the indicator.
    """
    path = Path(path)
    # each row keeps its physical line (blank lines and multi-line cells counted)
    raw = textfiles.read_csv(path, "targets file", line_column="__line")
    raw.columns = [c.strip().lower() for c in raw.columns[:-1]] + ["__line"]
    name = str(path)
    if "series" not in raw and "indicator" not in raw:
        raise InvalidInputError(
            [Problem(name, None, None, ", ".join(raw.columns), "a 'series' or an 'indicator' column")]
        )
    if "direction" not in raw:
        raise InvalidInputError([Problem(name, None, None, ", ".join(raw.columns), "a 'direction' column")])
    for col in ("series", "indicator", "area", "target", "target_kind", "target_year", "base_year", "limit", "source"):
        if col not in raw:
            raw[col] = ""
    raw = raw.map(lambda s: s.strip() if isinstance(s, str) else s)
    raw["line"] = raw.pop("__line")
    problems: list[Problem] = []

    known_series = set(db.series_codes())
    indicator_series = db.series_indicator_links()[["indicator", "series"]]
    known_indicators = set(indicator_series["indicator"])
    areas = db.area_codes()
    has_series, has_indicator = raw["series"] != "", raw["indicator"] != ""
    area_codes = raw["area"].map(lambda a: _resolve_area(db, a, areas) if a else "")
    checks = [
        (
            has_series == has_indicator,
            "series",
            raw["series"].where(has_series, raw["indicator"]),
            "either a series code or an indicator code (not both)",
        ),
        (
            has_series & ~has_indicator & ~raw["series"].isin(known_series),
            "series",
            raw["series"],
            "a series code known to the store",
        ),
        (
            has_indicator & ~has_series & ~raw["indicator"].isin(known_indicators),
            "indicator",
            raw["indicator"],
            "an SDG indicator code with series in the store (e.g. 3.2.1)",
        ),
        ((raw["area"] != "") & area_codes.isna(), "area", raw["area"], "an area code or name known to the store"),
    ]
    for bad, column, shown, expected in checks:
        problems += [
            Problem(name, int(line), column, str(value), expected)
            for line, value in zip(raw.loc[bad, "line"], shown[bad])
        ]
    problems += _value_problems(raw, name)
    if problems:
        raise InvalidInputError(sorted(problems, key=lambda p: (p.line or 0, p.column or "")))
    raw["area"] = area_codes
    # Indicator rows stand for every series of the indicator; a series row wins over them.
    by_ind = raw[raw["indicator"] != ""].merge(indicator_series, on="indicator", suffixes=("_x", ""))
    by_ind = by_ind.drop(columns=["series_x"])
    rows = pd.concat([raw[raw["series"] != ""].assign(_rank=0), by_ind.assign(_rank=1)], ignore_index=True)
    rows = rows.sort_values("_rank").drop_duplicates(["series", "area"], keep="first")
    return _typed(rows[COLUMNS], name, validated=True)


def combine(defaults: pd.DataFrame, user: pd.DataFrame | None) -> pd.DataFrame:
    """Defaults overridden row by row (series, area) by the user's table."""
    if user is None or user.empty:
        return defaults
    merged = pd.concat([user, defaults], ignore_index=True)
    return merged.drop_duplicates(["series", "area"], keep="first").reset_index(drop=True)


def align(targets: pd.DataFrame, keys: pd.DataFrame) -> pd.DataFrame:
    """The target row of each (series, area) key: the area's own row, else the series' general row."""
    general = targets[targets["area"] == ""].drop(columns="area")
    specific = targets[targets["area"] != ""]
    out = keys[["series", "area"]].merge(general, on="series", how="left")
    if not specific.empty:
        spec = keys[["series", "area"]].merge(specific, on=["series", "area"], how="left")
        has = spec["direction"].notna().to_numpy()
        for col in COLUMNS[2:]:
            out.loc[has, col] = spec.loc[has, col].to_numpy()
    return out


def _resolve_area(db, text: str, areas: set[str]) -> str | None:
    if text in areas:
        return text
    try:
        return db.resolve_area(text)
    except UserInputError:
        return None


def _value_problems(raw: pd.DataFrame, name: str) -> list[Problem]:
    problems = []
    bad_dir = ~raw["direction"].isin(DIRECTIONS)
    for row in raw[bad_dir].itertuples(index=False):
        problems.append(Problem(name, row.line, "direction", row.direction, "increase or decrease"))
    for col, what in (
        ("target", "a number or blank"),
        ("limit", "a number or blank"),
        ("target_year", "a year such as 2030, or blank"),
        ("base_year", "a year such as 2015, or blank"),
    ):
        text = raw[col]
        num = pd.to_numeric(text, errors="coerce")
        bad = (text != "") & (num.isna() | ~np.isfinite(num.fillna(0)))
        if col in ("target_year", "base_year"):
            bad |= (text != "") & ~num.between(1990, 2100)
        for row in raw[bad].itertuples(index=False):
            problems.append(Problem(name, row.line, col, getattr(row, col), what))
    bad_kind = ~raw["target_kind"].isin(("",) + KINDS)
    for row in raw[bad_kind].itertuples(index=False):
        problems.append(Problem(name, row.line, "target_kind", row.target_kind, "absolute or baseline_ratio"))
    kind_without_target = (raw["target_kind"] == "baseline_ratio") & (raw["target"] == "")
    for row in raw[kind_without_target].itertuples(index=False):
        problems.append(Problem(name, row.line, "target", "", "a ratio when target_kind is baseline_ratio"))
    return sorted(problems, key=lambda p: (p.line or 0, p.column or ""))


def _typed(frame: pd.DataFrame, name: str, validated: bool = False) -> pd.DataFrame:
    frame = frame.copy()
    for col in COLUMNS:
        if col not in frame:
            frame[col] = ""
    if not validated:
        frame["line"] = np.arange(len(frame)) + 2
        problems = _value_problems(frame.fillna(""), name)
        if problems:  # the shipped table is checked by the tests; this guards local edits
            raise InvalidInputError(problems)
    out = pd.DataFrame(
        {
            "series": frame["series"].astype(str),
            "area": frame["area"].fillna("").astype(str),
            "direction": frame["direction"].astype(str),
            "target": pd.to_numeric(frame["target"].replace("", np.nan), errors="coerce"),
            "target_kind": frame["target_kind"].replace("", "absolute").fillna("absolute").astype(str),
            "target_year": pd.to_numeric(frame["target_year"].replace("", np.nan), errors="coerce")
            .fillna(DEFAULT_YEAR)
            .astype(int),
            "base_year": pd.to_numeric(frame["base_year"].replace("", np.nan), errors="coerce"),
            "limit": pd.to_numeric(frame["limit"].replace("", np.nan), errors="coerce"),
            "source": frame["source"].fillna("").astype(str),
        }
    )
    return out.reset_index(drop=True)
