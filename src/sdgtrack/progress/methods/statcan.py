"""Statistics Canada's progress measure, as integrated in Open SDG 2.4 (sdg-build ProgressMeasure).

Observed CAGR since the base year (2015, else the first later year) against the CAGR required to
reach the target in the target year (ratio thresholds 0.95 / 0.6 / 0), or, without a target, against
fixed rates of 1.5% / 0.5% / 0 scaled down by a factor C when the baseline is near a natural limit.
Scores run from -5 to +5, linear inside each category. Zeros are replaced by 0.001.
"""

from __future__ import annotations

import sys

import numpy as np
import pandas as pd

from ...registries import PROGRESS_METHODS
from ._common import Goal, meets

NAME = "statcan"
TITLE = "Statistics Canada progress measure (Open SDG 2.4)"
SUMMARY = "Statistics Canada, Open SDG"
STATUSES = ("deterioration", "limited_progress", "moderate_progress", "substantial_progress")
GOOD = ("substantial_progress", "target_achieved")
MET = "target_achieved"
INSUFFICIENT = "not_available"
SCORE_RANGE = (-5.0, 5.0)
# Colours of the progress chart, best to worst (chart.py adds "no data").
COLOURS = {
    "target_achieved": "#1565c0",
    "substantial_progress": "#2e7d32",
    "moderate_progress": "#fdd835",
    "limited_progress": "#fb8c00",
    "deterioration": "#c62828",
}
DEFAULTS = {"base_year": 2015}
INDICATOR_FROM = "mean"  # Open SDG averages every series of an indicator (Canada's published scores)

ZERO = 0.001
RATIO_CUTS = (0.0, 0.6, 0.95)
RATIO_SCORE = ((-0.6, 0.6, 1.3), (-5.0, 0.0, 5.0))
GROWTH_HIGH, GROWTH_MED, GROWTH_TOP = 0.015, 0.005, 0.02
# Scaling-factor exponent: about 1 / (15 years x 1.5%) = 4.44, so that an "on track" growth from the
# baseline does not cross the limit within 15 years. 4.44 exactly is what every published score of
# Canada with a limit implies (solved from its indicator_calculation_components.yml).
LIMIT_EXPONENT = 4.44


def window(params: dict) -> dict:
    return {"window_start": int(params.get("base_year", DEFAULTS["base_year"]))}


def scaling_factor(v0, limit, sign) -> np.ndarray:
    """C in [0, 1]: 1 far from the limit, 0 at it; only a limit in the desired direction counts."""
    with np.errstate(divide="ignore", invalid="ignore"):
        upper = (sign > 0) & (limit > 0) & (v0 >= 0)
        lower = (sign < 0) & (limit > 0) & (v0 > 0)
        c_up = np.where(v0 < limit, 1.0 - np.power(np.clip(v0 / limit, 0, 1), LIMIT_EXPONENT), 0.0)
        c_low = np.where(v0 > limit, 1.0 - np.power(np.clip(limit / v0, 0, 1), LIMIT_EXPONENT), 0.0)
    return np.where(upper, c_up, np.where(lower, c_low, 1.0))


def assess(panel, goal: Goal, params: dict) -> pd.DataFrame:
    t0, v0, t1, v1 = panel.base_year, panel.base_value, panel.latest_year, panel.latest_value
    d = goal.sign
    same_sign = (panel.min_value >= 0) | (panel.max_value <= 0)
    valid = ~np.isnan(t0) & (t1 > t0) & ~np.isnan(d) & same_sign
    # All-negative series: the growth model works on magnitudes, so the desired direction flips.
    flip = np.where(panel.max_value <= 0, -1.0, 1.0)
    has_target = ~np.isnan(goal.target)
    # Open SDG checks "target achieved" before anything else: even a series that changed sign is met.
    met = ~np.isnan(t0) & (t1 > t0) & ~np.isnan(d) & meets(v1, goal.target, d)

    a0, a1 = np.abs(v0), np.abs(v1)
    a0 = np.where(a0 == 0, ZERO, a0)
    target = np.abs(goal.target)
    target = np.where(target == 0, ZERO, target)
    ds = d * flip
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        span = np.where(t1 > t0, t1 - t0, 1.0)
        observed = np.power(a1 / a0, 1.0 / span) - 1.0
        req_span = np.where(goal.target_year > t0, goal.target_year - t0, np.nan)
        required = np.power(target / a0, 1.0 / req_span) - 1.0
        # d * observed / |required|: the plain ratio when the baseline is short of the target,
        # negative when a baseline that had met the target is being left behind.
        ratio = np.where(np.abs(required) > 0, ds * observed / np.abs(required), -np.inf)
    use_ratio = has_target & ~np.isnan(required)
    ratio = np.where(use_ratio & ~met & valid, ratio, np.nan)
    growth = ds * observed

    c = scaling_factor(a0, goal.limit, ds)
    high, med = GROWTH_HIGH * c, GROWTH_MED * c
    g_idx = np.where(growth >= high, 3, np.where(growth >= med, 2, np.where(growth >= 0, 1, 0)))
    with np.errstate(divide="ignore", invalid="ignore"):
        g_score = np.select(
            [growth < 0, growth < med, growth < high, growth < GROWTH_TOP * c],
            [
                np.maximum(-5.0, -2.5 + 2.5 * growth / 0.02),
                -2.5 + 2.5 * growth / np.where(med > 0, med, 1.0),
                2.5 * (growth - med) / np.where(high > med, high - med, 1.0),
                2.5 + 2.5 * (growth - high) / np.where(c > 0, GROWTH_TOP * c - high, 1.0),
            ],
            5.0,
        )
    r_idx = np.digitize(ratio, RATIO_CUTS)
    r_score = np.interp(ratio, *RATIO_SCORE)
    idx = np.where(use_ratio, r_idx, g_idx)
    score = np.where(use_ratio, r_score, g_score)
    status = np.asarray(STATUSES, dtype=object)[np.clip(idx, 0, len(STATUSES) - 1)]
    status = np.where(met, MET, np.where(valid, status, INSUFFICIENT))
    score = np.where(met, 5.0, np.where(valid, score, np.nan))
    return pd.DataFrame(
        {
            "cagr": np.where(valid, observed, np.nan),
            "ratio": ratio,
            "status": status,
            "score": score,
            "target_met": met,
            "scaling_factor": np.where(valid, c, np.nan),
        }
    )


def band(score) -> np.ndarray:
    score = np.asarray(score, dtype=float)
    idx = np.digitize(score, (-2.5, 0.0, 2.5))
    out = np.asarray(STATUSES, dtype=object)[idx]
    return np.where(np.isnan(score), INSUFFICIENT, out)


PROGRESS_METHODS.register(sys.modules[__name__])
