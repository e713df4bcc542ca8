"""Normalised scores, goal scores, imputation of missing goals, the index and ranks (SDR method).

Everything works on whole columns: one row per (area, indicator) for scores, one row per area
for goals. See docs/methods/index.md for the formulas and what reproduces SDR 2023.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

GOAL_COLUMNS = [f"goal_{g}" for g in range(1, 18)]


def latest_values(values: pd.DataFrame) -> pd.DataFrame:
    """The latest value per (indicator, area): columns indicator, area, year, value."""
    if values.empty:
        return values[["indicator", "area", "year", "value"]].copy()
    idx = values.groupby(["indicator", "area"])["year"].idxmax()
    return values.loc[idx, ["indicator", "area", "year", "value"]].reset_index(drop=True)


def directed_score(value: pd.Series, optimum: pd.Series, lower_bound: pd.Series) -> pd.Series:
    """100 * (x - lower bound) / (optimum - lower bound), not clipped: 100 at the optimum, 0 at the bound."""
    return 100 * (value - lower_bound) / (optimum - lower_bound)


def normalise(latest: pd.DataFrame, book: pd.DataFrame) -> pd.DataFrame:
    """Adds goal, in_index and ``score`` (clipped to [0, 100]) to latest values."""
    cols = ["indicator", "goal", "in_index", "optimum", "lower_bound", "green_score", "red_score"]
    out = latest.merge(book[cols], on="indicator", how="inner")
    out["score_unclipped"] = directed_score(out["value"], out["optimum"], out["lower_bound"])
    out["score"] = out["score_unclipped"].clip(0, 100)
    return out


def goal_scores(scores: pd.DataFrame, areas: list[str], not_applicable: pd.DataFrame) -> pd.DataFrame:
    """Mean normalised score of each goal's index indicators: a wide frame, index = area, goal_1..goal_17.

    Goals not applicable to an area (``not_applicable``: area, goal) get no score.
    """
    used = scores[scores["in_index"]]
    wide = used.pivot_table(index="area", columns="goal", values="score", aggfunc="mean")
    wide = wide.reindex(index=pd.Index(areas, name="area"), columns=range(1, 18))
    if not not_applicable.empty:
        mask = not_applicable.assign(flag=True).pivot_table(index="area", columns="goal", values="flag", aggfunc="any")
        mask = mask.reindex(index=wide.index, columns=wide.columns).fillna(False).astype(bool)
        wide = wide.mask(mask)
    wide.columns = GOAL_COLUMNS
    return wide


def missing_share(
    scores: pd.DataFrame, book: pd.DataFrame, areas: list[str], not_applicable: pd.DataFrame
) -> pd.DataFrame:
    """Per area: applicable index indicators, how many have a value, and the share missing."""
    index_book = book.loc[book["in_index"], ["indicator", "goal"]]
    pairs = (
        pd.MultiIndex.from_product([areas, index_book["indicator"]], names=["area", "indicator"])
        .to_frame(index=False)
        .merge(index_book, on="indicator")
    )
    if not not_applicable.empty:
        pairs = pairs.merge(not_applicable.assign(na=True), on=["area", "goal"], how="left")
        pairs = pairs[pairs["na"].isna()].drop(columns="na")
    have = scores.loc[scores["in_index"], ["area", "indicator"]].assign(has=True)
    pairs = pairs.merge(have, on=["area", "indicator"], how="left")
    out = pairs.groupby("area").agg(n_applicable=("indicator", "size"), n_values=("has", "count"))
    out = out.reindex(areas).fillna(0).astype(int)
    out["missing_share"] = np.where(
        out["n_applicable"] > 0, 1 - out["n_values"] / out["n_applicable"].where(out["n_applicable"] > 0), 1.0
    )
    return out


def index_with_imputation(
    goals: pd.DataFrame,
    region: pd.Series,
    not_applicable: pd.DataFrame,
    index_goals: list[int],
    missing: pd.DataFrame,
    max_missing: float,
) -> pd.DataFrame:
    """Impute missing goal scores with the region mean, average the goals, rank; say why an area has no index.

    ``index_goals``: the goals with at least one index indicator in the codebook (17 for SDR).
    Goals not applicable to an area are imputed too (SDR 2023 does so for Goal 14 of landlocked
    countries), since an index over fewer goals would not be comparable.
    """
    cols = [f"goal_{g}" for g in index_goals]
    scored = goals[cols]
    region = region.reindex(goals.index)
    regional = scored.groupby(region).transform("mean") if region.notna().any() else scored * np.nan
    regional = regional.reindex(goals.index)
    filled = scored.fillna(regional)
    imputed = scored.isna() & filled.notna()
    unfilled = filled.isna()
    out = pd.DataFrame(index=goals.index)
    out["index"] = filled.mean(axis=1).where(~unfilled.any(axis=1))
    out["imputed_goals"] = _goal_lists(imputed, cols)
    too_sparse = missing["missing_share"].reindex(goals.index) > max_missing + 1e-12
    reasons = pd.Series("", index=goals.index, dtype=object)
    no_region = unfilled.any(axis=1) & region.isna()
    reasons[no_region] = "goals " + _goal_lists(unfilled, cols)[no_region] + " have no score and the area has no region"
    no_regional = unfilled.any(axis=1) & region.notna()
    reasons[no_regional] = (
        "goals " + _goal_lists(unfilled, cols)[no_regional] + " have no score in the area nor in its region"
    )
    share = missing["missing_share"].reindex(goals.index)
    reasons[too_sparse] = [
        f"{s * 100:.1f}% of index indicators missing (more than {max_missing * 100:g}%)" for s in share[too_sparse]
    ]
    out.loc[too_sparse | unfilled.any(axis=1), "index"] = np.nan
    out.loc[out["index"].notna(), "imputed_goals"] = out["imputed_goals"]
    out.loc[out["index"].isna(), "imputed_goals"] = ""
    out["no_index_reason"] = reasons.where(out["index"].isna(), "")
    out["rank"] = out["index"].rank(ascending=False, method="min").astype("Int64")
    return out


def _goal_lists(mask: pd.DataFrame, cols: list[str]) -> pd.Series:
    labels = np.array([c.removeprefix("goal_") for c in cols], dtype=object)
    values = mask.to_numpy()
    return pd.Series([",".join(labels[row]) for row in values], index=mask.index, dtype=object)
