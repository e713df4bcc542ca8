"""One call for the faces: the statistical analysis at the level asked for, with its description."""

from __future__ import annotations

from dataclasses import asdict, dataclass

import pandas as pd

from ..registries import LINK_LEVELS, TRANSFORMS, or_list
from .network import network
from .options import LinkOptions
from .rollup import goal_pairs, series_goals, top_goal_pairs
from .statistical import PAIR_COLUMNS, LinkResult, statistical_links

LEVELS = LINK_LEVELS.names()


@dataclass
class LinkReport:
    table: pd.DataFrame  # the rows of the level asked for
    pairs: pd.DataFrame  # series-level rows (always computed)
    goals: pd.DataFrame  # goal-pair roll-up, per area and pooled
    top: pd.DataFrame  # most synergistic / conflicting goal pairs, pooled
    meta: dict

    def describe_lines(self) -> list[str]:
        """The method, parameters, data window and counts, as lines for people."""
        return describe(self.meta)


def link_report(db, options: LinkOptions, result: LinkResult | None = None) -> LinkReport:
    """Run :func:`statistical_links` as ``options`` ask, or take the ``result`` of a run made
    elsewhere (sdgtrack.cluster), and shape it for ``options.level``."""
    options.check()
    level = options.level
    if result is None:
        result = statistical_links(db, targets=options.targets, **options.reading(), **asdict(options.parameters()))
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


def describe(meta: dict) -> list[str]:
    """The method, parameters, data window and counts, as lines for people."""
    p = meta["parameters"]
    null = meta["null"]
    lines = [
        f"method: {meta['method']}",
        f"transform: {meta['transform']}; min years {p['min_years']}; {meta['classification']}",
        f"window: {meta['window'][0]}-{meta['window'][1]}" if meta["window"] else "window: no data",
        f"areas {meta['areas']:,} ({meta['areas_requested'] if isinstance(meta['areas_requested'], str) else 'as given'}); "
        f"series {meta['series']:,}; pairs {meta['pairs']:,}; tests {meta['tests']:,} "
        f"({meta['undefined']:,} undefined: a series constant on the shared years)",
        f"synergies {meta['synergies']:,} ({_pct(meta['synergy_rate'])}); trade-offs {meta['tradeoffs']:,} "
        f"({_pct(meta['tradeoff_rate'])})",
    ]
    if null["permutations"]:
        lines.append(
            f"shuffled null ({null['permutations']} permutations, {null['tests']:,} tests): "
            f"synergy {_pct(null['synergy_rate'])}, trade-off {_pct(null['tradeoff_rate'])} by chance alone"
        )
    else:
        lines.append("shuffled null: not run (0 permutations)")
    lines.append(
        f"direction: from the {meta.get('direction_source', 'direction table given')}; "
        f"{meta['series_without_direction']} series without a desired direction "
        f"{meta['unknown_direction']}"
    )
    if meta.get("datasets"):
        lines.append("datasets: " + ", ".join(f"{d} ({n} series)" for d, n in meta["datasets"].items()))
    if p["transform"] == "levels":
        lines.append(
            "note: in levels, series that trend over time correlate whether or not they are linked; "
            f"compare with the {or_list(n for n in TRANSFORMS if n != 'levels')} transform"
        )
    return lines


def _pct(x) -> str:
    return "n/a" if x is None else f"{x:.1%}"
