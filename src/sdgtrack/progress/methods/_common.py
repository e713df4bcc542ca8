"""Arithmetic shared by the methods, on whole arrays."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass
class Goal:
    """The target row of every panel group, aligned with the panel."""

    sign: np.ndarray  # +1 increase desired, -1 decrease desired, NaN no direction
    target: np.ndarray  # absolute target value (baseline ratios already applied), NaN if none
    target_year: np.ndarray  # float
    limit: np.ndarray  # natural limit (Statistics Canada's scaling factor), NaN if none


def cagr(v0, v1, t0, t1) -> np.ndarray:
    """Compound annual growth rate; NaN unless both values are > 0 and t1 > t0."""
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        ok = (v0 > 0) & (v1 > 0) & (t1 > t0)
        out = np.power(np.where(ok, v1 / np.where(ok, v0, 1.0), 1.0), 1.0 / np.where(ok, t1 - t0, 1.0)) - 1.0
    return np.where(ok, out, np.nan)


def meets(value, target, sign) -> np.ndarray:
    """The value is at or beyond the target in the desired direction (False where no target)."""
    with np.errstate(invalid="ignore"):
        return np.where(np.isnan(target), False, sign * (value - target) >= 0)


def bands(values, cuts) -> np.ndarray:
    """Band index of each value: 0 below cuts[0], i for cuts[i-1] <= v < cuts[i]."""
    return np.digitize(values, cuts, right=False)
