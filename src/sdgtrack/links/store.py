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


def indicator_links(con, series_indicator: pd.DataFrame, area: str | None, k: int) -> pd.DataFrame:
    """Per SDG indicator, its ``k`` strongest synergies and ``k`` strongest trade-offs with other
    indicators in the kept series pairs (one query over the whole table): ``DataFrame(indicator,
    other, series, other_series, area, n, rho, class)``, strongest first. An indicator pair counts
    once, by its strongest series pair; pairs of two series of one indicator are left out.
    ``series_indicator``: ``DataFrame(series, indicator)``. ``area``: only that area's pairs when
    the kept run has it, else every area's."""
    con.register("_series_indicator", series_indicator[["series", "indicator"]])
    try:
        return con.execute(
            """
            WITH p AS (
                SELECT area, series_a, series_b, n, rho, "class" FROM kept_links_pair
                WHERE "class" IN ('synergy', 'tradeoff')
                  AND (? IS NULL OR area = ? OR NOT EXISTS (SELECT 1 FROM kept_links_pair WHERE area = ?))),
            sides AS (
                SELECT series_a AS series, series_b AS other_series, area, n, rho, "class" FROM p
                UNION ALL
                SELECT series_b, series_a, area, n, rho, "class" FROM p),
            named AS (
                SELECT a.indicator, b.indicator AS other, s.*
                FROM sides s JOIN _series_indicator a ON a.series = s.series
                             JOIN _series_indicator b ON b.series = s.other_series
                WHERE a.indicator <> b.indicator),
            best AS (
                SELECT *, row_number() OVER (PARTITION BY indicator, other, "class"
                                             ORDER BY abs(rho) DESC, area, series, other_series) AS k_pair
                FROM named),
            ranked AS (
                SELECT *, row_number() OVER (PARTITION BY indicator, "class"
                                             ORDER BY abs(rho) DESC, other, area) AS k_class
                FROM best WHERE k_pair = 1)
            SELECT indicator, other, series, other_series, area, n, rho, "class" FROM ranked
            WHERE k_class <= ? ORDER BY indicator, abs(rho) DESC, other""",
            [area, area, area, int(k)],
        ).df()
    finally:
        con.unregister("_series_indicator")
