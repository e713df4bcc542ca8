"""The kept SDG Index (tables ``kept_index_*``; see ``store/kept.py``): the last saved run, its goal
columns as one row per area and goal, so "which areas are red on goal 3" is one query."""

from __future__ import annotations

import pandas as pd

from ..store import kept
from .service import IndexResult

GOALS = range(1, 18)
AREA_COLUMNS = [
    "area",
    "area_name",
    "region",
    "index",
    "rank",
    "n_applicable",
    "n_values",
    "missing_share",
    "imputed_goals",
    "no_index_reason",
]


def save(con, result: IndexResult, parameters: dict) -> None:
    """Replace the kept index by ``result`` (the Result's ``parameters`` beside it)."""
    areas = result.areas
    goals = pd.concat(
        [
            pd.DataFrame(
                {
                    "area": areas["area"].to_numpy(),
                    "goal": g,
                    "score": areas[f"goal_{g}"].to_numpy(dtype=float),
                    "colour": areas[f"goal_{g}_colour"].to_numpy(),
                    "trend": areas[f"goal_{g}_trend"].to_numpy(),
                }
            )
            for g in GOALS
        ],
        ignore_index=True,
    )
    about = {
        "method": result.method,
        "columns": {"areas": kept.column_types(areas), "indicators": kept.column_types(result.indicators)},
        "excluded": kept.column_types(result.excluded),
    }
    kept.save(
        con,
        "index",
        method=str(result.method["method"]),
        parameters=parameters,
        about=about,
        tables={
            "kept_index_area": areas[AREA_COLUMNS],
            "kept_index_goal": goals,
            "kept_index_indicator": result.indicators,
        },
        n_rows=len(areas),
    )


def load(con) -> tuple[IndexResult, str] | None:
    """The kept index as the run returned it, and when it ran; None when the store keeps none."""
    run = kept.load(con, "index")
    if run is None:
        return None
    areas = run.tables["kept_index_area"]
    goals = run.tables["kept_index_goal"]
    wide = {}
    for field, suffix in (("score", ""), ("colour", "_colour"), ("trend", "_trend")):
        pivot = goals.pivot(index="area", columns="goal", values=field).reindex(index=areas["area"], columns=GOALS)
        wide |= {f"goal_{g}{suffix}": pivot[g].to_numpy() for g in GOALS}
    areas = pd.concat([areas.reset_index(drop=True), pd.DataFrame(wide)], axis=1)
    areas = kept.restore_types(areas, run.about["columns"]["areas"])
    indicators = kept.restore_types(run.tables["kept_index_indicator"], run.about["columns"]["indicators"])
    # the areas without an index, as the run listed them (service.sdg_index)
    excluded = (
        areas.loc[areas["index"].isna(), ["area", "area_name", "no_index_reason"]]
        .rename(columns={"no_index_reason": "reason"})
        .reset_index(drop=True)
    )
    excluded = kept.restore_types(excluded, run.about["excluded"])
    return IndexResult(areas, indicators, excluded, dict(run.about["method"])), run.run_at
