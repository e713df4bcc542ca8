"""The canonical staged row every reader produces, and SQL helpers readers share.

A reader fills a DuckDB table with exactly these columns (all VARCHAR but ``line``):

    series, series_description, indicator, area_raw, period, value_raw, unit, nature,
    obs_status, source, footnote, dims, source_file, line (INTEGER)

``indicator`` may hold a comma-separated list (a UN series placed under several indicators).
``dims`` is the canonical disaggregation key: ``Name=value`` pairs sorted by name and joined
with ``|``; blank cells are left out, so the all-blank row has ``dims = ''``.
Which rows are the headline (total) of their series is decided by the loader
(:mod:`sdgtrack.ingest.headline`), the same way for every format.
"""
from __future__ import annotations

from typing import Iterable

CANONICAL_COLUMNS = [
    ("series", "VARCHAR"), ("series_description", "VARCHAR"), ("indicator", "VARCHAR"),
    ("area_raw", "VARCHAR"), ("period", "VARCHAR"), ("value_raw", "VARCHAR"), ("unit", "VARCHAR"),
    ("nature", "VARCHAR"), ("obs_status", "VARCHAR"), ("source", "VARCHAR"), ("footnote", "VARCHAR"),
    ("dims", "VARCHAR"), ("source_file", "VARCHAR"), ("line", "INTEGER"),
]
CANONICAL_NAMES = [c for c, _ in CANONICAL_COLUMNS]

def quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def sql_str(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def blank_to_null(expr: str) -> str:
    return f"nullif(trim({expr}), '')"


def dims_sql(columns: Iterable[str]) -> str:
    """SQL expression building the canonical ``dims`` key from dimension columns of a source table."""
    cols = sorted(set(columns))
    if not cols:
        return "''"
    parts = []
    for c in cols:
        v = blank_to_null(quote(c))
        parts.append(f"CASE WHEN {v} IS NOT NULL THEN {sql_str(c + '=')} || {v} END")
    return f"concat_ws('|', {', '.join(parts)})"


def create_staging(con, table: str) -> None:
    cols = ", ".join(f"{c} {t}" for c, t in CANONICAL_COLUMNS)
    con.execute(f"CREATE OR REPLACE TEMP TABLE {table} ({cols})")
