"""Eurostat's assessment in the EU SDG monitoring report.

Short term: the last 5 years; long term: the last 15 years (``period``). With a quantified target the
observed CAGR is divided by the CAGR required to reach the target from the base year by the target
year; without one, the CAGR (sign by desired direction) is compared with +-1% a year.
"""

from __future__ import annotations

import sys

import numpy as np
import pandas as pd

from ...errors import UserInputError
from ...registries import PROGRESS_METHODS
from ._common import Goal, cagr, meets

NAME = "eurostat"
TITLE = "Eurostat EU SDG monitoring report assessment"
SUMMARY = "EU SDG monitoring report"
# Roll-up bands (scores 0-4). With a target the categories are significant / moderate / insufficient
# progress / movement away; without one, significant / moderate progress, moderate / significant
# movement away. At roll-up the with-target names are used for the four bands.
STATUSES = ("movement_away", "insufficient_progress", "moderate_progress", "significant_progress")
GOOD = ("significant_progress",)
MET = None
INSUFFICIENT = "insufficient_data"
SCORE_RANGE = (0.0, 4.0)
# Colours of the progress chart, best to worst (chart.py adds "no data").
COLOURS = {
    "significant_progress": "#2e7d32",
    "moderate_progress": "#8bc34a",
    "insufficient_progress": "#fb8c00",
    "movement_away": "#c62828",
}
PERIODS = {"short": (5, 3), "long": (15, 10)}  # years looked back, shortest span accepted
DEFAULTS = {"period": "short"}
INDICATOR_FROM = "headline"  # Eurostat assesses one series per indicator

RATIO_CUTS = (0.0, 0.6, 0.95)
RATIO_NAMES = STATUSES
RATIO_SCORE = ((-1.0, 0.0, 0.6, 0.95, 1.5), (0, 1, 2, 3, 4))
GROWTH_NAMES = ("significant_movement_away", "moderate_movement_away", "moderate_progress", "significant_progress")
GROWTH_SCORE = ((-0.03, -0.01, 0.0, 0.01, 0.03), (0, 1, 2, 3, 4))


def _period(params: dict) -> tuple[int, int]:
    period = params.get("period", DEFAULTS["period"])
    if period not in PERIODS:
        raise UserInputError(f"period {period!r}: expected short (last 5 years) or long (last 15 years)")
    return PERIODS[period]


def window(params: dict) -> dict:
    return {"lookback": _period(params)[0]}


def assess(panel, goal: Goal, params: dict) -> pd.DataFrame:
    _, min_span = _period(params)
    t0, v0, t1, v1 = panel.base_year, panel.base_value, panel.latest_year, panel.latest_value
    d = goal.sign
    valid = ~np.isnan(t0) & (t1 - t0 >= min_span) & ~np.isnan(d)
    growth = cagr(v0, v1, t0, t1)
    met = valid & meets(v1, goal.target, d)
    required = cagr(v0, goal.target, t0, goal.target_year)
    use_ratio = ~np.isnan(required)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(np.abs(required) > 0, d * growth / np.abs(required), -np.inf)
    ratio = np.where(use_ratio & ~met, ratio, np.nan)
    signed = d * growth

    r_idx = np.digitize(ratio, RATIO_CUTS)
    # "> 1%" is significant progress: exactly 1% is still moderate, hence no digitize here.
    g_idx = np.where(signed > 0.01, 3, np.where(signed >= 0, 2, np.where(signed >= -0.01, 1, 0)))
    names = np.where(
        use_ratio,
        np.asarray(RATIO_NAMES, dtype=object)[np.clip(r_idx, 0, 3)],
        np.asarray(GROWTH_NAMES, dtype=object)[np.clip(g_idx, 0, 3)],
    )
    score = np.where(
        use_ratio,
        np.interp(np.clip(ratio, -1.0, 1.5), *RATIO_SCORE),
        np.interp(np.clip(signed, -0.03, 0.03), *GROWTH_SCORE),
    )
    assessed = valid & (met | ~np.isnan(growth))
    status = np.where(met, "significant_progress", np.where(assessed, names, INSUFFICIENT))
    score = np.where(met, 4.0, np.where(assessed, score, np.nan))
    return pd.DataFrame(
        {"cagr": np.where(valid, growth, np.nan), "ratio": ratio, "status": status, "score": score, "target_met": met}
    )


def band(score) -> np.ndarray:
    score = np.asarray(score, dtype=float)
    idx = np.clip(np.floor(np.nan_to_num(score, nan=0)), 0, 3).astype(int)
    out = np.asarray(STATUSES, dtype=object)[idx]
    return np.where(np.isnan(score), INSUFFICIENT, out)


PROGRESS_METHODS.register(sys.modules[__name__])
