"""One call for the faces: the statistical analysis at the level asked for, with its description."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..errors import UserInputError
from ..registries import LINK_LEVELS
from .network import network
from .rollup import goal_pairs, series_goals, top_goal_pairs
from .statistical import PAIR_COLUMNS, LinkResult, statistical_links

LEVELS = LINK_LEVELS.names()


@dataclass
class LinkReport:
    table: pd.DataFrame          # the rows of the level asked for
    pairs: pd.DataFrame          # series-level rows (always computed)
    goals: pd.DataFrame          # goal-pair roll-up, per area and pooled
    top: pd.DataFrame            # most synergistic / conflicting goal pairs, pooled
    meta: dict


def link_report(db, level: str = "series", **options) -> LinkReport:
    """Run :func:`statistical_links` (``options``) and shape the result for ``level``."""
    if level not in LEVELS:
        raise UserInputError(f"level {level!r}: expected one of {', '.join(LEVELS)}")
    result: LinkResult = statistical_links(db, **options)
    goals = goal_pairs(result.pairs, series_goals(db))
    top = top_goal_pairs(goals)
    if level == "series":
        table = result.pairs.copy()
        for c in ("area", "series_a", "series_b", "class"):
            table[c] = table[c].astype(str)
        table = table[[c for c in PAIR_COLUMNS[:-1] + ["p_adj", "class"] if c in table.columns]]
    elif level == "goal":
        table = goals
    else:
        table = network(result.pairs, goals)
    meta = dict(result.meta, level=level)
    return LinkReport(table, result.pairs, goals, top, meta)
