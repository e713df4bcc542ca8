"""Dashboard colours: per indicator from its thresholds, per goal from its two worst indicators.

Colours are computed on the 0-100 directed scale (unclipped), where the optimum is 100 and the
lower bound 0 whatever the indicator's direction, so one rule serves both directions.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

COLOURS = ["green", "yellow", "orange", "red", "grey"]


def indicator_colour(score: pd.Series, green: pd.Series, red: pd.Series) -> pd.Series:
    """green if at least as good as the green threshold, red if worse than the red threshold, else
    yellow on the green side of the midpoint (the midpoint included) and orange on the red side."""
    mid = (green + red) / 2
    colour = np.select([score >= green, score < red, score >= mid], ["green", "red", "yellow"], "orange")
    return pd.Series(np.where(score.isna(), None, colour), index=score.index, dtype=object)


def scale_0_4(score: pd.Series, green: pd.Series, red: pd.Series) -> pd.Series:
    """Piecewise-linear 0-4 scale: 0 lower bound, 1 red threshold, 2 midpoint, 3 green threshold, 4 optimum."""
    s = score.clip(0, 100).to_numpy(float)
    g, r = green.to_numpy(float), red.to_numpy(float)
    m = (g + r) / 2
    knots = [np.zeros_like(s), r, m, g, np.full_like(s, 100.0)]
    out = np.full_like(s, 4.0)
    # walk the segments from the top so the lowest segment that holds s wins
    for k in range(3, -1, -1):
        lo, hi = knots[k], knots[k + 1]
        inside = s < hi
        with np.errstate(divide="ignore", invalid="ignore"):
            frac = np.where(hi > lo, (s - lo) / (hi - lo), 1.0)
        out = np.where(inside, k + frac, out)
    return pd.Series(np.where(np.isnan(s), np.nan, out), index=score.index)


def goal_colours(scores: pd.DataFrame) -> pd.DataFrame:
    """Per (area, goal) colour from the goal's two worst indicators (by the 0-4 scale).

    red only if both are red, green only if both are green, otherwise the mean of their 0-4 values:
    orange below 2, else yellow. A goal with one indicator uses it twice.
    Input columns: area, goal, indicator, colour, scale (indicators with a value only).
    """
    ranked = scores.sort_values(["area", "goal", "scale", "indicator"])
    worst = ranked.groupby(["area", "goal"]).head(2)
    worst = worst.assign(is_red=worst["colour"] == "red", is_green=worst["colour"] == "green")
    agg = worst.groupby(["area", "goal"]).agg(
        n=("scale", "size"), mean_scale=("scale", "mean"), n_red=("is_red", "sum"), n_green=("is_green", "sum")
    )
    colour = np.select(
        [agg["n_red"] == agg["n"], agg["n_green"] == agg["n"], agg["mean_scale"] < 2],
        ["red", "green", "orange"],
        "yellow",
    )
    return agg.assign(colour=colour).reset_index()[["area", "goal", "colour", "mean_scale"]]
