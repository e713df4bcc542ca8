"""Roll-ups: series -> indicator -> target -> goal, per area.

How an indicator rolls up from its series is the method's (``INDICATOR_FROM``). "headline" (unsd,
eurostat): one series speaks for it in each area, the first assessed there in the order of the
headline-series rule (``progress.headline.series_order``), so its score and status are those of the
series its page and the API show (3.2.1 is under-5 mortality, not its mean with infant mortality).
"mean" (statcan, as Open SDG publishes Canada's scores): the mean of its assessed series. A target's
and a goal's score is the mean of the scores of the level below (nodes not assessed are left out),
and a node's status is the method's band of its score. A node whose every assessed series met its target is
"met" (Statistics Canada: target_achieved). Counts per series status and the share of children
on track or met (for goals: the share of targets, as the SDG Report states it) come with each row.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import methods
from .headline import series_order
from .options import LEVELS


def roll_up(db, series_frame: pd.DataFrame, level: str) -> pd.DataFrame:
    m = methods.get(series_frame.attrs.get("method", series_frame["method"].iloc[0] if len(series_frame) else "unsd"))
    links = db.series_indicator_links()
    rows = series_frame.merge(links, on="series", how="inner")
    rows["good"] = rows["status"].isin(m.GOOD) | rows["target_met"].astype(bool)
    rows["assessed"] = rows["status"] != m.INSUFFICIENT
    statuses = sorted(set(series_frame["status"]))
    code_parts = rows["indicator"].str.split(".")
    rows["target_code"] = code_parts.str[0] + "." + code_parts.str[1]
    rows["goal_code"] = code_parts.str[0]

    # Series-level facts per node: counts per status, how many series, how many met.
    node_keys = {"indicator": "indicator", "target": "target_code", "goal": "goal_code"}
    current = rows.rename(columns={"indicator": "code"})[
        ["code", "series", "area", "score", "good", "assessed", "target_met", "status"]
    ]
    order = series_order(db, datasets=series_frame.attrs.get("datasets")) if m.INDICATOR_FROM == "headline" else None
    out = None
    for lvl in LEVELS[1:]:
        key = node_keys[lvl]
        series_under = rows.groupby([key, "area"])
        counts = pd.crosstab([rows[key], rows["area"]], rows["status"]).reindex(columns=statuses, fill_value=0)
        counts.columns = [f"n_{c}" for c in counts.columns]
        n_assessed = series_under["assessed"].sum()
        facts = pd.DataFrame(
            {
                "n_series": series_under.size(),
                "n_assessed": n_assessed,
            }
        ).join(counts)
        facts.index.names = ["code", "area"]
        # Scores come from the level below (children), so each child weighs the same.
        child = current[current["assessed"]]
        if lvl == "indicator":
            if order is not None:
                child = _speaking_series(child, order)
            grouped = child.groupby(["code", "area"])
        else:
            child = child.assign(parent=_parent(child["code"], lvl))
            grouped = child.groupby(["parent", "area"])
        scores = pd.DataFrame(
            {
                "score": grouped["score"].mean(),
                "children_assessed": grouped.size(),
                "share_on_track": grouped["good"].mean(),
                # met when every assessed child (at the indicator level: its speaking series) is
                "all_met": grouped["target_met"].agg(lambda met: bool(met.astype(bool).all())),
            }
        )
        scores.index.names = ["code", "area"]
        level_frame = facts.join(scores, how="left").reset_index()
        level_frame["all_met"] = level_frame["all_met"].fillna(False).astype(bool)
        level_frame["status"] = m.band(level_frame["score"].to_numpy(dtype=float))
        met = level_frame["all_met"].to_numpy(dtype=bool)
        if m.MET:
            level_frame.loc[met, "status"] = m.MET
        level_frame["target_met"] = met
        level_frame["good"] = level_frame["status"].isin(m.GOOD) | met
        level_frame["assessed"] = level_frame["score"].notna()
        level_frame["level"] = lvl
        level_frame["method"] = m.NAME
        out = level_frame
        if lvl == level:
            break
        current = level_frame[["code", "area", "score", "good", "assessed", "target_met", "status"]]
    names = db.area_names()
    titles = db.node_titles("sdg")
    out["area_name"] = out["area"].map(names)
    out["title"] = out["code"].map(titles)
    count_cols = [c for c in out.columns if c.startswith("n_") and c not in ("n_series", "n_assessed")]
    cols = [
        "level",
        "code",
        "title",
        "area",
        "area_name",
        "method",
        "score",
        "status",
        "target_met",
        "share_on_track",
        "children_assessed",
        "n_series",
        "n_assessed",
    ] + count_cols
    order = np.lexsort((out["area"].to_numpy(), _sort_rank(out["code"])))
    out = out[cols].iloc[order].reset_index(drop=True)
    out.attrs.update(series_frame.attrs)
    out.attrs["level"] = level
    return out


def _speaking_series(child: pd.DataFrame, order: pd.DataFrame) -> pd.DataFrame:
    """Per (indicator, area), the one assessed series that speaks for the indicator: the first in
    the headline rule's order; a series the rule does not rank (no headline values) comes after
    every ranked one, by code."""
    ranked = child.merge(order.rename(columns={"indicator": "code"}), on=["code", "series"], how="left")
    ranked["order"] = ranked["order"].fillna(np.inf)
    ranked = ranked.sort_values(["code", "area", "order", "series"], kind="stable")
    return ranked.drop_duplicates(["code", "area"]).drop(columns="order")


def _parent(codes: pd.Series, level: str) -> pd.Series:
    parts = codes.str.split(".")
    return parts.str[0] + "." + parts.str[1] if level == "target" else parts.str[0]


def _sort_rank(codes: pd.Series) -> np.ndarray:
    """Rank of SDG codes in reading order: 3.2 before 3.10, 3.a after the numbered targets."""

    def key(code: str) -> str:
        return ".".join(f"{int(p):03d}" if p.isdigit() else f"9{p}" for p in str(code).split("."))

    return codes.map(key).rank(method="dense").to_numpy()
