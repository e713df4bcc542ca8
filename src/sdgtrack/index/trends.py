"""Trend arrows: the annual change since a start year against the change needed to reach the green
threshold by a target year (SDR method), per indicator and per goal.

Scores are on the directed 0-100 scale (unclipped), so "up" is better for every indicator.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .scores import directed_score

ON_TRACK, MODERATE, STAGNATING, DECREASING = "on track", "moderately improving", "stagnating", "decreasing"
ARROWS = {ON_TRACK: "↑", MODERATE: "➚", STAGNATING: "→", DECREASING: "↓"}


def classify(rate: pd.Series, needed: pd.Series, achieved: pd.Series) -> pd.Series:
    """decreasing if the score falls; on track if at the green threshold or rising at least at the
    needed rate; moderately improving at half the needed rate or more; else stagnating."""
    label = np.select(
        [rate.isna(), rate < 0, achieved | (rate >= needed), rate >= 0.5 * needed],
        [None, DECREASING, ON_TRACK, MODERATE], STAGNATING)
    return pd.Series(label, index=rate.index, dtype=object)


def indicator_trends(values: pd.DataFrame, latest: pd.DataFrame, book: pd.DataFrame,
                     start_year: int, target_year: int) -> pd.DataFrame:
    """Per (area, indicator) of the codebook's trend indicators: start year and score, annual rate,
    needed rate and the trend label. ``values``: indicator, area, year, value (the whole window)."""
    trend_book = book.loc[book["trend"], ["indicator", "optimum", "lower_bound", "green_score"]]
    ends = latest[["indicator", "area", "year", "value"]].rename(columns={"year": "end_year", "value": "end_value"})
    ends = ends.merge(trend_book, on="indicator")
    starts = values.merge(ends[["indicator", "area", "end_year"]], on=["indicator", "area"])
    starts = starts[starts["year"] < starts["end_year"]]
    starts = starts.assign(distance=(starts["year"] - start_year).abs())
    starts = starts.sort_values(["indicator", "area", "distance", "year"]).groupby(["indicator", "area"]).head(1)
    out = ends.merge(starts[["indicator", "area", "year", "value"]].rename(
        columns={"year": "start_year", "value": "start_value"}), on=["indicator", "area"])
    out["start_score"] = directed_score(out["start_value"], out["optimum"], out["lower_bound"])
    out["end_score"] = directed_score(out["end_value"], out["optimum"], out["lower_bound"])
    out["rate"] = (out["end_score"] - out["start_score"]) / (out["end_year"] - out["start_year"])
    out["needed_rate"] = (out["green_score"] - out["start_score"]) / (target_year - out["start_year"])
    out["achieved"] = out["end_score"] >= out["green_score"]
    out["trend"] = classify(out["rate"], out["needed_rate"], out["achieved"])
    return out[["indicator", "area", "start_year", "start_value", "end_year", "rate", "needed_rate",
                "achieved", "trend"]]


def goal_trends(trends: pd.DataFrame, book: pd.DataFrame, areas_goals: pd.DataFrame | None = None) -> pd.DataFrame:
    """Goal trend from the mean of its index indicators' trends: the goal's rate and needed rate are
    the means over the indicators with a trend, and the goal counts as achieved when its mean end
    score reaches the mean green threshold. Columns: area, goal, rate, needed_rate, trend."""
    used = trends.merge(book.loc[book["in_index"], ["indicator", "goal", "optimum", "lower_bound", "green_score"]],
                        on="indicator")
    used = used.assign(end_gap=np.where(used["achieved"], 0.0, 1.0))
    agg = used.groupby(["area", "goal"]).agg(rate=("rate", "mean"), needed_rate=("needed_rate", "mean"),
                                             share_not_achieved=("end_gap", "mean"), n=("rate", "size"))
    achieved = agg["share_not_achieved"] == 0
    agg["trend"] = classify(agg["rate"], agg["needed_rate"], achieved)
    return agg.reset_index()[["area", "goal", "rate", "needed_rate", "trend"]]
