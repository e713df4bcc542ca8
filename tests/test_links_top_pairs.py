"""The most conflicting goal pairs are pairs whose trade-offs outnumber their synergies."""

from __future__ import annotations

import pandas as pd

from sdgtrack.links.rollup import GOAL_COLUMNS, POOLED, top_goal_pairs


def _goal_table(rows: list[tuple[int, int, int, int, int]]) -> pd.DataFrame:
    out = pd.DataFrame(rows, columns=["goal_a", "goal_b", "pairs", "synergies", "tradeoffs"]).assign(area=POOLED)
    out["share_synergy"] = out["synergies"] / out["pairs"]
    out["share_tradeoff"] = out["tradeoffs"] / out["pairs"]
    return out[GOAL_COLUMNS]


def test_a_mostly_synergistic_pair_is_never_called_a_conflict() -> None:
    table = _goal_table(
        [
            (12, 12, 1000, 371, 134),  # the case: 37.1% synergies, 13.4% trade-offs
            (1, 8, 100, 10, 30),  # trade-offs outnumber synergies by 20 points
            (2, 13, 100, 40, 45),  # by 5 points
            (3, 3, 100, 80, 5),
            (5, 5, 5, 0, 5),  # too few tested pairs to rank
        ]
    )
    top = top_goal_pairs(table)
    conflicting = top[top["kind"] == "most conflicting"][["goal_a", "goal_b"]].values.tolist()
    synergistic = top[top["kind"] == "most synergistic"][["goal_a", "goal_b"]].values.tolist()
    assert conflicting == [[1, 8], [2, 13]]  # widest margin first
    assert synergistic == [[3, 3], [12, 12]]
