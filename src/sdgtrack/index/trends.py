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
    """At or above the green threshold: on track if not falling, else stagnating (SDR 2023 labels a
    green indicator that declines "stagnating", not "decreasing"). Below it: decreasing if the score
    falls, on track if it rises at least at the needed rate, moderately improving at half of it or
    more, else stagnating."""
    label = np.select(
        [rate.isna(), achieved & (rate >= 0), achieved, rate < 0, rate >= needed, rate >= 0.5 * needed],
        [None, ON_TRACK, STAGNATING, DECREASING, ON_TRACK, MODERATE],
        STAGNATING,
    )
    return pd.Series(label, index=rate.index, dtype=object)


def indicator_trends(
    values: pd.DataFrame, latest: pd.DataFrame, book: pd.DataFrame, start_year: int, target_year: int
) -> pd.DataFrame:
    """Per (area, indicator) of the codebook's trend indicators: start year and score, annual rate,
    needed rate and the trend label. ``values``: indicator, area, year, value (the whole window)."""
    trend_book = book.loc[book["trend"], ["indicator", "optimum", "lower_bound", "green_score"]]
    ends = latest[["indicator", "area", "year", "value"]].rename(columns={"year": "end_year", "value": "end_value"})
    ends = ends.merge(trend_book, on="indicator")
    starts = values.merge(ends[["indicator", "area", "end_year"]], on=["indicator", "area"])
    starts = starts[starts["year"] < starts["end_year"]]
    starts = starts.assign(distance=(starts["year"] - start_year).abs())
    starts = starts.sort_values(["indicator", "area", "distance", "year"]).groupby(["indicator", "area"]).head(1)
    out = ends.merge(
        starts[["indicator", "area", "year", "value"]].rename(columns={"year": "start_year", "value": "start_value"}),
        on=["indicator", "area"],
    )
    out["start_score"] = directed_score(out["start_value"], out["optimum"], out["lower_bound"])
    out["end_score"] = directed_score(out["end_value"], out["optimum"], out["lower_bound"])
    out["rate"] = (out["end_score"] - out["start_score"]) / (out["end_year"] - out["start_year"])
    out["needed_rate"] = (out["green_score"] - out["start_score"]) / (target_year - out["start_year"])
    out["achieved"] = out["end_score"] >= out["green_score"]
    out["trend"] = classify(out["rate"], out["needed_rate"], out["achieved"])
    return out[
        ["indicator", "area", "start_year", "start_value", "end_year", "rate", "needed_rate", "achieved", "trend"]
    ]


# Goal trends: SDR does not publish its goal-level rule. Averaging the goal's indicator arrows as
# points and cutting the mean at these values reproduces 86.5% of SDR 2023's goal arrows from its own
# indicator arrows (2,922 goals; the cut points were chosen on that comparison, see docs/methods/index.md).
ARROW_POINTS = {DECREASING: 0, STAGNATING: 1, MODERATE: 2, ON_TRACK: 3}
GOAL_CUTS = (0.6, 1.7, 2.9)  # mean <= 0.6 decreasing, < 1.7 stagnating, < 2.9 moderately improving


def goal_trends(trends: pd.DataFrame, book: pd.DataFrame, cuts: tuple[float, float, float] = GOAL_CUTS) -> pd.DataFrame:
    """Goal trend from the mean of its indicators' arrows (0 decreasing, 1 stagnating,
    2 moderately improving, 3 on track). Columns: area, goal, n_trends, mean_points, trend."""
    used = trends.dropna(subset=["trend"]).merge(book[["indicator", "goal"]], on="indicator")
    used = used.assign(points=used["trend"].map(ARROW_POINTS))
    agg = used.groupby(["area", "goal"]).agg(n_trends=("points", "size"), mean_points=("points", "mean")).reset_index()
    p = agg["mean_points"]
    agg["trend"] = np.select([p <= cuts[0], p < cuts[1], p < cuts[2]], [DECREASING, STAGNATING, MODERATE], ON_TRACK)
    return agg[["area", "goal", "n_trends", "mean_points", "trend"]]
