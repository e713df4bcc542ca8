"""Network view of the interlinkages: nodes are goals or series, links are synergies and trade-offs.

Link weights are shares: for goals, the goal-pair shares of synergies (w+) and trade-offs (w-)
of the roll-up; for series, the share of tested areas where the pair is a synergy (w+) or a
trade-off (w-). Self-links (a goal with itself) are left out of the network.

- eigenvector centrality: the leading eigenvector of the unsigned weight matrix A = w+ + w-
  (symmetric, non-negative: Perron-Frobenius), scaled to unit Euclidean norm as networkx does;
- net strength: sum over links of (w+ - w-); positive means a node mostly moves with others
  toward their goals, negative that its progress mostly comes with others' regress.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .rollup import POOLED, series_pair_summary

NODE_COLUMNS = [
    "kind",
    "node",
    "centrality",
    "net_strength",
    "synergy_strength",
    "tradeoff_strength",
    "synergy_links",
    "tradeoff_links",
]


def node_metrics(nodes: list, w_pos: np.ndarray, w_neg: np.ndarray, kind: str) -> pd.DataFrame:
    w_pos = np.array(w_pos, dtype=float)
    w_neg = np.array(w_neg, dtype=float)
    np.fill_diagonal(w_pos, 0.0)
    np.fill_diagonal(w_neg, 0.0)
    return pd.DataFrame(
        {
            "kind": kind,
            "node": nodes,
            "centrality": eigenvector_centrality(w_pos + w_neg),
            "net_strength": (w_pos - w_neg).sum(axis=1),
            "synergy_strength": w_pos.sum(axis=1),
            "tradeoff_strength": w_neg.sum(axis=1),
            "synergy_links": (w_pos > 0).sum(axis=1),
            "tradeoff_links": (w_neg > 0).sum(axis=1),
        }
    )


def eigenvector_centrality(a: np.ndarray) -> np.ndarray:
    """Leading eigenvector of a symmetric non-negative matrix, non-negative, unit norm."""
    if a.size == 0 or not np.any(a):
        return np.zeros(len(a))
    values, vectors = np.linalg.eigh(a)
    v = vectors[:, np.argmax(values)]
    v = np.abs(v) if v.sum() >= 0 else np.abs(-v)
    # rounding leaves ~1e-17 on nodes without links; they have no centrality
    v[np.abs(v) < 1e-12] = 0.0
    return v / np.linalg.norm(v)


def goal_network(goal_table: pd.DataFrame, area: str = POOLED) -> pd.DataFrame:
    """Goal nodes from the goal-pair table of one area (default: pooled over areas)."""
    rows = goal_table[goal_table["area"] == area]
    goals = sorted(set(rows["goal_a"]) | set(rows["goal_b"]))
    pos = np.zeros((len(goals), len(goals)))
    neg = np.zeros_like(pos)
    idx = {g: k for k, g in enumerate(goals)}
    a = rows["goal_a"].map(idx).to_numpy()
    b = rows["goal_b"].map(idx).to_numpy()
    pos[a, b] = pos[b, a] = rows["share_synergy"].to_numpy()
    neg[a, b] = neg[b, a] = rows["share_tradeoff"].to_numpy()
    return node_metrics(goals, pos, neg, "goal")


def series_network(pairs: pd.DataFrame) -> pd.DataFrame:
    """Series nodes from the series-level table (all areas it holds)."""
    summary = series_pair_summary(pairs)
    nodes = sorted(set(summary["series_a"]) | set(summary["series_b"]))
    idx = {s: k for k, s in enumerate(nodes)}
    a = summary["series_a"].map(idx).to_numpy()
    b = summary["series_b"].map(idx).to_numpy()
    pos = np.zeros((len(nodes), len(nodes)))
    neg = np.zeros_like(pos)
    pos[a, b] = pos[b, a] = summary["share_synergy"].to_numpy()
    neg[a, b] = neg[b, a] = summary["share_tradeoff"].to_numpy()
    return node_metrics(nodes, pos, neg, "series")


def network(pairs: pd.DataFrame, goal_table: pd.DataFrame) -> pd.DataFrame:
    """Goal nodes (pooled) then series nodes, each sorted by centrality."""
    parts = [
        goal_network(goal_table).sort_values("centrality", ascending=False),
        series_network(pairs).sort_values("centrality", ascending=False),
    ]
    out = pd.concat(parts, ignore_index=True)
    out["node"] = out["node"].astype(str)
    return out[NODE_COLUMNS]
