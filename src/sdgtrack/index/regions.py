"""The area table used by the index: each area's region (for imputation) and goals not scored.

CSV columns: ``area, region`` and optionally ``goals_not_applicable`` (goal numbers separated by
commas or spaces, e.g. ``14`` for a landlocked country: that goal gets no score, is not imputed
and its indicators do not count as missing). Areas are resolved like everywhere else (M49, ISO,
name). ``name`` and other columns are ignored.
"""

from __future__ import annotations

import pandas as pd

from ..errors import Problem
from .codebook import GOALS, IndexInputError, read_table

REQUIRED = ["area", "region"]


def load_regions(db, source) -> pd.DataFrame:
    """Columns: area (store code), region, goals_not_applicable (list of int)."""
    raw, name = read_table(source, "regions file", REQUIRED)
    raw["code"] = pd.Series(db.resolve_area_codes(raw["area"].tolist()), index=raw.index, dtype=object)
    problems = [
        Problem(name, int(r.line), "area", r.area, "a known area: an M49 code, an ISO code, a name or a custom area")
        for r in raw[raw["code"].isna()].itertuples()
    ]
    problems += [
        Problem(name, int(r.line), "area", r.area, "each area once in the regions file")
        for r in raw[raw["code"].notna() & raw["code"].duplicated()].itertuples()
    ]
    not_applicable = []
    column = raw["goals_not_applicable"] if "goals_not_applicable" in raw.columns else pd.Series("", index=raw.index)
    for line, text in zip(raw["line"], column):
        parts = [p for p in str(text).replace(",", " ").split() if p]
        goals = [int(p) for p in parts if p.isdigit() and int(p) in GOALS]
        if len(goals) != len(parts):
            problems.append(
                Problem(
                    name,
                    int(line),
                    "goals_not_applicable",
                    text,
                    "goal numbers from 1 to 17 separated by commas or spaces",
                )
            )
        not_applicable.append(goals)
    if problems:
        raise IndexInputError(sorted(problems, key=lambda p: p.line or 0))
    return pd.DataFrame(
        {"area": raw["code"], "region": raw["region"].replace("", None), "goals_not_applicable": not_applicable}
    )
