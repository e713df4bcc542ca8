"""The U4SSC scoring method: attainment of the target, points 1-4, roll-ups in the same bands.

- attainment (% of target): value / target x 100 where higher is better; target / value x 100
  where lower is better (ITU does not publish its rule for these; this is its mirror image);
  where a value is aimed at (female:male earnings 1.0), the smaller over the larger of the two.
- points: below 33 % -> 1, 33 to below 66 % -> 2, 66 to below 95 % -> 3, 95 % and more -> 4.
- category, sub-dimension, dimension: sum of points / (4 x KPIs and data points scored) x 100,
  put in the same bands. Not reported, not verified and no-target lines are left out.
See docs/methods/cities.md for sources and the published worked examples.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

BAND_EDGES = (33.0, 66.0, 95.0)  # lower bounds of bands 2, 3, 4 (inclusive)
BANDS = ("less than 33% of target", "33-66% of target", "66-95% of target", "95%+ of target")
SHORT_BANDS = ("<33%", "33-66%", "66-95%", "95%+")
LEVELS = ("category", "sub_dimension", "dimension")


def attainment(value, target, direction) -> np.ndarray:
    """% of target for whole columns; NaN where there is no value, target or direction.

    A value of 0 where lower is better meets any positive target: +inf (4 points).
    """
    v = np.asarray(value, dtype=float)
    t = np.asarray(target, dtype=float)
    d = np.asarray(direction, dtype=object)
    with np.errstate(divide="ignore", invalid="ignore"):
        up = v / t * 100
        down = np.where(v == 0, np.inf, t / v * 100)
        aim = np.minimum(v, t) / np.maximum(v, t) * 100
    out = np.select([d == "up", d == "down", d == "target"], [up, down, aim], default=np.nan)
    return np.where(np.isnan(v) | np.isnan(t), np.nan, out)


def points(percent) -> np.ndarray:
    """1-4 points for % of target (NaN stays NaN)."""
    p = np.asarray(percent, dtype=float)
    pts = 1.0 + (p >= BAND_EDGES[0]) + (p >= BAND_EDGES[1]) + (p >= BAND_EDGES[2])
    return np.where(np.isnan(p), np.nan, pts)


def band(percent) -> np.ndarray:
    """The band label of a % of target (KPI attainment or roll-up score); '' when NaN."""
    pts = points(percent)
    labels = np.array(("",) + BANDS, dtype=object)
    return labels[np.nan_to_num(pts, nan=0).astype(int)]


def roll_up(kpi_scores: pd.DataFrame, levels=LEVELS) -> pd.DataFrame:
    """Roll points up: one row per (level, name) with points, max_points, kpis_scored, percent, band.

    ``kpi_scores`` needs the columns points (NaN = not scored), dimension, sub_dimension, category.
    Every group appears, also those with nothing scored (percent NaN), so a report shows them.
    """
    scored = kpi_scores.assign(n=kpi_scores["points"].notna().astype(int), pts=kpi_scores["points"].fillna(0))
    parents = {
        "category": ["dimension", "sub_dimension", "category"],
        "sub_dimension": ["dimension", "sub_dimension"],
        "dimension": ["dimension"],
    }
    frames = []
    for level in levels:
        keys = parents[level]
        grouped = scored.groupby(keys, sort=False)
        g = grouped[["pts", "n"]].sum().rename(columns={"pts": "points", "n": "kpis_scored"})
        g["lines"] = grouped.size()
        g = g.reset_index()
        g.insert(0, "level", level)
        g["name"] = g[level]
        frames.append(g)
    out = pd.concat(frames, ignore_index=True)
    for c in ("dimension", "sub_dimension", "category"):
        if c not in out:
            out[c] = None
    out["points"] = out["points"].astype(int)
    out["max_points"] = 4 * out["kpis_scored"]
    with np.errstate(divide="ignore", invalid="ignore"):
        out["percent"] = np.where(
            out["max_points"] > 0, out["points"] / out["max_points"].where(out["max_points"] > 0) * 100, np.nan
        )
    out["band"] = band(out["percent"])
    return out[
        [
            "level",
            "name",
            "dimension",
            "sub_dimension",
            "category",
            "points",
            "max_points",
            "kpis_scored",
            "lines",
            "percent",
            "band",
        ]
    ]
