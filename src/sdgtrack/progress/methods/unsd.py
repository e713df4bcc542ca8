"""UN Statistics Division progress assessment (SDG Report 2023 and later; Progress Chart technical note).

Baseline: the 2015 value, else the first later year with data; latest: the most recent value. With a
numeric target, the latest trend (CAGR) is extrapolated to the target year and compared with the
distance from baseline to target; without one, the CAGR itself is compared with fixed rates.
"""

from __future__ import annotations

import sys

import numpy as np
import pandas as pd

from ...registries import PROGRESS_METHODS
from ._common import Goal, bands, cagr, meets

NAME = "unsd"
TITLE = "UNSD SDG Report progress assessment"
SUMMARY = "UN SDG Report"
STATUSES = ("regression", "stagnation", "marginal", "moderate", "on_track")
GOOD = ("on_track",)
MET = None  # a met target is on_track with target_met = True
INSUFFICIENT = "insufficient_data"
SCORE_RANGE = (0.0, 5.0)
# Colours of the progress chart, best to worst (chart.py adds "no data").
COLOURS = {
    "on_track": "#2e7d32",
    "moderate": "#8bc34a",
    "marginal": "#fdd835",
    "stagnation": "#fb8c00",
    "regression": "#c62828",
}
DEFAULTS = {"base_year": 2015}
INDICATOR_FROM = "headline"  # the SDG Report assesses one selected series per indicator

RATIO_CUTS = (0.0, 0.1, 0.5, 0.95)
RATIO_SCORE = ((-0.5, 0.0, 0.1, 0.5, 0.95, 1.5), (0, 1, 2, 3, 4, 5))
GROWTH_CUTS = (0.0, 0.005, 0.0125, 0.02)
GROWTH_SCORE = ((-0.05, 0.0, 0.005, 0.0125, 0.02, 0.05), (0, 1, 2, 3, 4, 5))


def status_from_ratio(ratio) -> np.ndarray:
    return np.asarray(STATUSES, dtype=object)[bands(np.asarray(ratio, dtype=float), RATIO_CUTS)]


def status_from_growth(growth) -> np.ndarray:
    return np.asarray(STATUSES, dtype=object)[bands(np.asarray(growth, dtype=float), GROWTH_CUTS)]


def score_from_ratio(ratio) -> np.ndarray:
    return np.interp(np.clip(ratio, -0.5, 1.5), *RATIO_SCORE)


def score_from_growth(growth) -> np.ndarray:
    return np.interp(np.clip(growth, -0.05, 0.05), *GROWTH_SCORE)


def window(params: dict) -> dict:
    return {"window_start": int(params.get("base_year", DEFAULTS["base_year"]))}


def assess(panel, goal: Goal, params: dict) -> pd.DataFrame:
    t0, v0, t1, v1 = panel.base_year, panel.base_value, panel.latest_year, panel.latest_value
    d = goal.sign
    valid = ~np.isnan(t0) & (t1 > t0) & ~np.isnan(d)
    growth = cagr(v0, v1, t0, t1)
    has_target = ~np.isnan(goal.target)
    met = valid & meets(v1, goal.target, d)

    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        # After the target year the latest value is what counts: no extrapolation backwards.
        horizon = np.maximum(goal.target_year - t1, 0.0)
        expected = v1 * np.power(1.0 + growth, horizon)
        gap = np.abs(goal.target - v0)
        # d * (...) / |...| equals (v_e - v_base) / (target - v_base) whenever the baseline is short of
        # the target, and turns negative when a baseline beyond the target has been left behind.
        ratio = np.where(gap > 0, d * (expected - v0) / np.where(gap > 0, gap, 1.0), -np.inf)
    ratio = np.where(has_target & ~met & ~np.isnan(growth), ratio, np.nan)
    signed_growth = d * growth

    status = np.where(has_target, status_from_ratio(ratio), status_from_growth(signed_growth))
    score = np.where(has_target, score_from_ratio(ratio), score_from_growth(signed_growth))
    assessed = valid & (met | ~np.isnan(growth))
    status = np.where(met, "on_track", np.where(assessed, status, INSUFFICIENT))
    score = np.where(met, 5.0, np.where(assessed, score, np.nan))
    return pd.DataFrame(
        {"cagr": np.where(valid, growth, np.nan), "ratio": ratio, "status": status, "score": score, "target_met": met}
    )


def band(score) -> np.ndarray:
    """Roll-up: an average score back to its band (score 5 is on track)."""
    idx = np.clip(np.floor(np.asarray(score, dtype=float)), 0, len(STATUSES) - 1)
    out = np.asarray(STATUSES, dtype=object)[np.nan_to_num(idx, nan=0).astype(int)]
    return np.where(np.isnan(score), INSUFFICIENT, out)


PROGRESS_METHODS.register(sys.modules[__name__])
