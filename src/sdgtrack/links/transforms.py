"""Transforms applied to each series (one row of an area's series x year matrix) before ranking.

Each transform takes the matrix (NaN = no value; columns are consecutive calendar years) and
returns a matrix of the same shape. Each is registered by name in ``TRANSFORMS``
(``sdgtrack.registries``), which `links --transform` and its help are built from; a new transform
needs its row in docs/methods/interlinkages.md (tests/test_docs.py checks).

Floating-point noise must not invent an order: a series that is exactly linear has residuals
of about 1e-15 after detrending, and differences of 0.1-steps differ in the 17th digit. Such
values would get arbitrary ranks, so transformed values are rounded to ``SIGNIFICANT`` digits
of the series' own scale, which turns noise into the ties it really is.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from ..registries import TRANSFORMS

SIGNIFICANT = 9


def levels(x: np.ndarray) -> np.ndarray:
    """The values as they are (Pradhan et al. 2017)."""
    return x


def detrend(x: np.ndarray) -> np.ndarray:
    """Residuals from each series' own least-squares line over all its years in the area."""
    valid = ~np.isnan(x)
    t = np.broadcast_to(np.arange(x.shape[1], dtype=float), x.shape)
    k = valid.sum(axis=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        t_mean = np.where(valid, t, 0).sum(axis=1, keepdims=True) / k
        x_mean = np.nansum(x, axis=1, keepdims=True) / k
        tc = np.where(valid, t - t_mean, 0.0)
        slope = (tc * np.nan_to_num(x - x_mean)).sum(axis=1, keepdims=True) / (tc * tc).sum(axis=1, keepdims=True)
    slope = np.nan_to_num(slope)
    resid = x - x_mean - slope * (t - t_mean)
    return _round_relative(resid, x)


def diff(x: np.ndarray) -> np.ndarray:
    """First differences x(t) - x(t-1) between consecutive calendar years, placed at year t.

    A year next to a gap has no difference: a change over two or five years is not comparable
    with a change over one.
    """
    out = np.full(x.shape, np.nan)
    out[:, 1:] = x[:, 1:] - x[:, :-1]
    return _round_relative(out, x)


def _round_relative(values: np.ndarray, original: np.ndarray) -> np.ndarray:
    scale = np.where(np.isnan(original), 0.0, np.abs(original)).max(axis=1, keepdims=True)
    scale = np.where(np.isfinite(scale) & (scale > 0), scale, 1.0)
    return np.round(values / scale, SIGNIFICANT)


@dataclass(frozen=True)
class NamedTransform:
    name: str
    summary: str  # a few words for --help
    function: Callable[[np.ndarray], np.ndarray]

    def __call__(self, x: np.ndarray) -> np.ndarray:
        return self.function(x)


TRANSFORMS.register(NamedTransform("levels", "as Pradhan et al.", levels))
TRANSFORMS.register(NamedTransform("detrend", "residuals from each series' own line", detrend))
TRANSFORMS.register(NamedTransform("diff", "first differences", diff))
