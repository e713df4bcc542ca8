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
``p = I_{1-rho^2}((n-2)/2, 1/2)`` (``scipy.special.betainc``, vectorised over every pair).
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from scipy import special

# What D (below) of a block of rows may hold, in bytes, with its square: past it the rows go in
# blocks (:func:`_blocked_sums`), so an area's memory stays this plus its S x S results.
BLOCK_BYTES = 512 * 2**20


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
    s, y = x.shape
    block = max(1, BLOCK_BYTES // max(1, 2 * y * s * np.dtype(dtype).itemsize))
    if block >= s:
        d = c @ v.T  # (S, Y, S): D[i, t, j]
        num = np.einsum("itj,jti->ij", d, d).astype(np.float64)
        ss = np.einsum("itj,jt->ij", d * d, v).astype(np.float64)  # sum over shared years of D[i,t,j]^2
    else:
        num, ss = _blocked_sums(c, v, block)
    n = (v @ v.T).round().astype(np.int64)
    with np.errstate(invalid="ignore", divide="ignore"):
        rho = num / np.sqrt(ss * ss.T)
    rho[(ss == 0) | (ss.T == 0)] = np.nan
    return np.clip(rho, -1.0, 1.0), n


def _blocked_sums(c: np.ndarray, v: np.ndarray, block: int) -> tuple[np.ndarray, np.ndarray]:
    """``num`` and ``ss`` of :func:`pairwise_spearman` a block of rows at a time, holding
    O(block x Y x S) instead of D's O(S x Y x S): an area of 6,720 series over 20 years would
    need 3.6 GB for D alone. The sums are of small integers, exact in float32, so the result is
    the same to the bit whatever the block. ``num`` is symmetric: each block computes the
    columns from its first row on and mirrors them."""
    s = len(c)
    num = np.empty((s, s))
    ss = np.empty((s, s))
    for lo in range(0, s, block):
        hi = min(lo + block, s)
        d_rows = c[lo:hi] @ v.T  # D[i, t, j] for i in the block, every j
        ss[lo:hi] = np.einsum("itj,jt->ij", d_rows * d_rows, v)
        d_cols = c[lo:] @ v[lo:hi].T  # D[j, t, i] for j from the block on, i in the block
        part = np.einsum("itj,jti->ij", d_rows[:, :, lo:], d_cols)
        num[lo:hi, lo:] = part
        num[lo:, lo:hi] = part.T
    return num, ss


def spearman_pvalue(rho: np.ndarray, n: np.ndarray) -> np.ndarray:
    """Two-sided p-value of Spearman's rho by the t-approximation (as scipy.stats.spearmanr).

    NaN where rho is NaN or n < 3.
    """
    rho = np.asarray(rho, dtype=float)
    dof = np.asarray(n, dtype=np.int64) - 2
    rho, dof = np.broadcast_arrays(rho, dof)
    out = np.full(rho.shape, np.nan)
    ok = ~np.isnan(rho) & (dof >= 1)
    r = np.abs(rho[ok])
    # (1 - r)(1 + r) rather than 1 - r^2 keeps the digits where |rho| is near 1 (p near 0)
    out[ok] = special.betainc(dof[ok] / 2.0, 0.5, np.clip((1.0 - r) * (1.0 + r), 0.0, 1.0))
    return out


@lru_cache(maxsize=32)
def critical_rho(alpha: float, n_max: int) -> np.ndarray:
    """``r[n]``: the |rho| above which p < alpha with n years (n = 0..n_max; NaN below 3).

    Used where only the class is needed (the shuffled null): comparing |rho| with r[n] is the
    same test as p < alpha without computing p. From the critical t of the two-sided test:
    ``r = t / sqrt(n - 2 + t^2)``.
    """
    dof = np.arange(1, max(n_max - 1, 1), dtype=float)
    t = special.stdtrit(dof, 1.0 - alpha / 2.0)  # inverse of the t distribution function
    out = np.full(n_max + 1, np.nan)
    out[3:] = (t / np.sqrt(dof + t * t))[: max(n_max - 2, 0)]
    out.flags.writeable = False
    return out
