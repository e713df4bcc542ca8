"""Spearman's rho for every pair of rows of a matrix with gaps, on pairwise-complete columns.

The usual way (rank the two series on the years both have, then correlate the ranks) needs a
ranking per pair, because the ranks of a series depend on which years its partner has. This
module gets every pair from a few matrix products instead, with the same result:

For the years ``m`` where both rows i and j have a value (``n = |m|``), the average (tie-aware)
rank of year t in row i, centred, is

    r_i(t) - (n + 1) / 2  =  1/2 * sum_{u in m} sign(x_i(t) - x_i(u))

so with ``C[i, t, u] = sign(x_i(t) - x_i(u))`` (0 where either value is missing) and the
validity matrix ``V``, ``D = C @ V.T`` holds twice the centred ranks of row i within the pair
window of every j at once: ``D[i, t, j]``. Spearman's rho is the Pearson correlation of the
ranks, so

    rho_ij = sum_t D[i,t,j] D[j,t,i] / sqrt(sum_t V_j(t) D[i,t,j]^2 * sum_t V_i(t) D[j,t,i]^2)

All of these sums are of small integers, so they are exact in float64: rho equals what
``scipy.stats.spearmanr`` computes on the pairwise-complete values to rounding (~1e-16).
Cost per area: O(S^2 Y) memory and O(S^2 Y^2) arithmetic for S rows and Y years, in BLAS.

The p-value is the t-approximation with n - 2 degrees of freedom that scipy uses:
``t = rho sqrt((n-2) / ((1+rho)(1-rho)))`` and ``p = 2 P(T > |t|)``. Since
``(n-2) / ((n-2) + t^2) = 1 - rho^2``, that is the regularized incomplete beta function
``p = I_{1-rho^2}((n-2)/2, 1/2)``, evaluated here with a vectorised continued fraction.
"""
from __future__ import annotations

import math
from functools import lru_cache

import numpy as np

_TINY = 1e-300


def pairwise_spearman(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """rho and n for every pair of rows of ``x`` (rows: series, columns: years; NaN = missing).

    Returns two (S, S) arrays: ``rho`` (NaN where a row is constant on the shared years or
    fewer than 2 years are shared) and ``n`` (number of shared years, int).
    """
    x = np.asarray(x, dtype=float)
    valid = ~np.isnan(x)
    # float32 is exact while every sum stays an integer below 2**24: |D| <= Y and the sums over
    # years are below Y**3, so up to 256 years. It halves the memory traffic.
    dtype = np.float32 if x.shape[1] <= 256 else np.float64
    v = valid.astype(dtype)
    filled = np.where(valid, x, 0.0)
    c = np.sign(filled[:, :, None] - filled[:, None, :]).astype(dtype)
    c *= v[:, :, None]
    c *= v[:, None, :]
    d = c @ v.T                                              # (S, Y, S): D[i, t, j]
    num = np.einsum("itj,jti->ij", d, d).astype(np.float64)
    ss = np.einsum("itj,jt->ij", d * d, v).astype(np.float64)   # sum over shared years of D[i,t,j]^2
    n = (v @ v.T).round().astype(np.int64)
    with np.errstate(invalid="ignore", divide="ignore"):
        rho = num / np.sqrt(ss * ss.T)
    rho[(ss == 0) | (ss.T == 0)] = np.nan
    return np.clip(rho, -1.0, 1.0), n


def spearman_pvalue(rho: np.ndarray, n: np.ndarray) -> np.ndarray:
    """Two-sided p-value of Spearman's rho by the t-approximation (as scipy.stats.spearmanr).

    NaN where rho is NaN or n < 3. Degrees of freedom are integers, so the finite sums of
    Abramowitz and Stegun 26.7.3-4 give the t distribution exactly, with about 1e-15 absolute
    error; where that leaves p below 1e-4 (so the relative error would grow), p is recomputed
    with the incomplete beta continued fraction, which converges quickly there.
    """
    rho = np.asarray(rho, dtype=float)
    dof = np.asarray(n, dtype=np.int64) - 2
    rho, dof = np.broadcast_arrays(rho, dof)
    out = np.full(rho.shape, np.nan)
    ok = ~np.isnan(rho) & (dof >= 1)
    r, nu = np.abs(rho[ok]), dof[ok]
    p = _t_two_sided_finite(nu, r)
    small = p < 1e-4
    if small.any():
        p[small] = betainc_complement_half(nu[small] / 2.0, r[small] ** 2)
    out[ok] = p
    return out


@lru_cache(maxsize=32)
def critical_rho(alpha: float, n_max: int) -> np.ndarray:
    """``r[n]``: the |rho| above which p < alpha with n years (n = 0..n_max; NaN below 3).

    Used where only the class is needed (the shuffled null): comparing |rho| with r[n] is the
    same test as p < alpha without computing p.
    """
    n = np.arange(3, n_max + 1)
    lo, hi = np.zeros(len(n)), np.ones(len(n))
    for _ in range(60):   # bisection: p falls as |rho| grows
        mid = (lo + hi) / 2
        above = spearman_pvalue(mid, n) < alpha
        hi = np.where(above, mid, hi)
        lo = np.where(above, lo, mid)
    out = np.full(n_max + 1, np.nan)
    out[3:] = hi
    out.flags.writeable = False
    return out


def _t_two_sided_finite(nu: np.ndarray, s: np.ndarray) -> np.ndarray:
    """P(|T| > t) for integer nu >= 1, given s = |rho| = sin(theta), theta = arctan(t / sqrt(nu))."""
    c2 = np.clip(1.0 - s * s, 0.0, 1.0)                 # cos^2(theta)
    c = np.sqrt(c2)
    odd = nu % 2 == 1
    terms = np.where(odd, (nu - 1) // 2, nu // 2)       # number of terms of each sum
    total = np.where(terms > 0, 1.0, 0.0)
    term = np.ones(s.shape)
    for k in range(1, int(terms.max(initial=0))):
        factor = np.where(odd, 2.0 * k / (2.0 * k + 1.0), (2.0 * k - 1.0) / (2.0 * k))
        term = term * c2 * factor
        total += np.where(k < terms, term, 0.0)
    theta = np.arctan2(s, c)
    a = np.where(odd, (2.0 / np.pi) * (theta + s * c * total), s * total)
    return np.clip(1.0 - a, 0.0, 1.0)


def betainc_complement_half(a: np.ndarray, y: np.ndarray) -> np.ndarray:
    """``I_x(a, 1/2)`` with ``x = 1 - y``, given y (so that y = rho^2 loses no digits near 0)."""
    a = np.asarray(a, dtype=float)
    y = np.clip(np.asarray(y, dtype=float), 0.0, 1.0)
    x = 1.0 - y
    b = 0.5
    out = np.empty(a.shape)
    out[y == 0.0] = 1.0
    out[y == 1.0] = 0.0
    inner = (y > 0.0) & (y < 1.0)
    a_i, x_i, y_i = a[inner], x[inner], y[inner]
    log_front = a_i * np.log(x_i) + b * np.log(y_i) - _log_beta(a_i, b)
    front = np.exp(log_front)
    # The continued fraction converges fast for x < (a+1)/(a+b+2); use the symmetry
    # I_x(a,b) = 1 - I_{1-x}(b,a) on the other side (Numerical Recipes, 6.4).
    direct = x_i < (a_i + 1.0) / (a_i + b + 2.0)
    res = np.empty(a_i.shape)
    if direct.any():
        res[direct] = front[direct] * _betacf(a_i[direct], b, x_i[direct]) / a_i[direct]
    if (~direct).any():
        nd = ~direct
        res[nd] = 1.0 - front[nd] * _betacf(np.full(nd.sum(), b), a_i[nd], y_i[nd]) / b
    out[inner] = np.clip(res, 0.0, 1.0)
    return out


def _log_beta(a: np.ndarray, b: float) -> np.ndarray:
    # Few distinct a (half the degrees of freedom): lgamma on the distinct values only.
    values, inverse = np.unique(a, return_inverse=True)
    lb = np.array([math.lgamma(v) + math.lgamma(b) - math.lgamma(v + b) for v in values])
    return lb[inverse].reshape(a.shape)


def _betacf(a, b, x, max_iter: int = 300) -> np.ndarray:
    """Continued fraction of the incomplete beta function (modified Lentz), element-wise."""
    a = np.asarray(a, dtype=float)
    b = np.broadcast_to(np.asarray(b, dtype=float), a.shape)
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c = np.ones(a.shape)
    d = 1.0 - qab * x / qap
    d = 1.0 / np.where(np.abs(d) < _TINY, _TINY, d)
    h = d.copy()
    for m in range(1, max_iter + 1):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1.0 + aa * d
        d = 1.0 / np.where(np.abs(d) < _TINY, _TINY, d)
        c = 1.0 + aa / c
        c = np.where(np.abs(c) < _TINY, _TINY, c)
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1.0 + aa * d
        d = 1.0 / np.where(np.abs(d) < _TINY, _TINY, d)
        c = 1.0 + aa / c
        c = np.where(np.abs(c) < _TINY, _TINY, c)
        delta = d * c
        h *= delta
        if np.all(np.abs(delta - 1.0) < 1e-15):
            break
    return h
