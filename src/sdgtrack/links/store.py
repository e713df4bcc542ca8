"""The kept interlinkages (tables ``kept_links_*``; see ``store/kept.py``): the last saved run with
its series pairs (a series-level run), goal pairs per area and pooled, and network nodes (a
network-level run)."""

from __future__ import annotations

import pandas as pd

from ..store import kept
from .analysis import LinkReport
from .rollup import top_goal_pairs

MAIN_TABLE = {"series": "kept_links_pair", "network": "kept_links_node"}  # goal level: the goal pairs


def save(con, report: LinkReport, parameters: dict) -> None:
    """Replace the kept interlinkages by ``report`` (the Result's ``parameters`` beside it)."""
    level = report.meta["level"]
    tables = {"kept_links_goal": report.goals}
    if level in MAIN_TABLE:
        tables[MAIN_TABLE[level]] = report.table
    about = {
        "meta": report.meta,
        "columns": {"table": kept.column_types(report.table), "goals": kept.column_types(report.goals)},
    }
    kept.save(
        con,
        "links",
        method=str(report.meta.get("method")),
        parameters=parameters,
        about=about,
        tables={name: frame.astype({"area": str}) if "area" in frame else frame for name, frame in tables.items()},
        n_rows=len(report.table),
    )


def load(con) -> tuple[LinkReport, str] | None:
    """The kept interlinkages as the run returned them, and when it ran; None when the store keeps none."""
    run = kept.load(con, "links")
    if run is None:
        return None
    meta = dict(run.about["meta"])
    level = meta["level"]
    goals = kept.restore_types(run.tables["kept_links_goal"], run.about["columns"]["goals"])
    main = run.tables[MAIN_TABLE[level]] if level in MAIN_TABLE else goals
    table = kept.restore_types(main, run.about["columns"]["table"])
    pairs = table if level == "series" else pd.DataFrame(columns=["area", "series_a", "series_b", "rho", "class"])
    return LinkReport(table, pairs, goals, top_goal_pairs(goals), meta), run.run_at


def pairs_of(con, series: list[str], limit: int) -> pd.DataFrame:
    """The kept series pairs naming any of ``series`` with a class (synergy or trade-off), strongest
    first (largest |rho|), at most ``limit`` rows: what an indicator page lists."""
    return kept.rows_of(
        con,
        "kept_links_pair",
        "(series_a IN (SELECT unnest(?::VARCHAR[])) OR series_b IN (SELECT unnest(?::VARCHAR[]))) "
        "AND \"class\" IN ('synergy', 'tradeoff')",
        [list(series), list(series)],
        order="abs(rho) DESC, area, series_a, series_b",
        limit=limit,
    )
