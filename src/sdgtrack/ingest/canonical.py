r"""The canonical staged row every reader produces, and SQL helpers readers share.

A reader fills a DuckDB table with these columns (all VARCHAR but ``line``):

    series, series_description, indicator, area_raw, period, value_raw, unit, nature,
    obs_status, source, footnote, dims, source_file, line (INTEGER)

and, when it knows them, the attributes the source wrote beside the value (NULL otherwise):
``unit_measure``, ``unit_multiplier``, ``geocode``, ``source_dims`` (the disaggregations as
written where ``dims`` differs) and ``attributes`` (every other non-disaggregation column as
written, ``Name=value`` pairs escaped and sorted like ``dims``).

``indicator`` may hold a comma-separated list (a UN series placed under several indicators).
``dims`` is the canonical disaggregation key: ``Name=value`` pairs sorted by name and joined
with ``|``; blank cells are left out, so the all-blank row has ``dims = ''``. Inside names and
values the three characters that carry structure are written as a backslash and their two hex
digits (``\`` -> ``\5C``, ``|`` -> ``\7C``, ``=`` -> ``\3D``, backslash first), so no two
different rows share a key (an ``Age`` of ``x|Sex=y`` is not ``Age=x`` and ``Sex=y``), and
splitting on ``|`` then on the first ``=`` still gives each name and value
(:func:`unescape_dim` reverses it). A backslash rather than ``%``: real values hold ``%``
("Bottom 40%") and stay as written; none of the real sources holds a backslash.
Which rows are the headline (total) of their series is decided by the loader
(:mod:`sdgtrack.ingest.headline`), the same way for every format.
"""

from __future__ import annotations

from typing import Iterable

CANONICAL_COLUMNS = [
    ("series", "VARCHAR"),
    ("series_description", "VARCHAR"),
    ("indicator", "VARCHAR"),
    ("area_raw", "VARCHAR"),
    ("period", "VARCHAR"),
    ("value_raw", "VARCHAR"),
    ("unit", "VARCHAR"),
    ("nature", "VARCHAR"),
    ("obs_status", "VARCHAR"),
    ("source", "VARCHAR"),
    ("footnote", "VARCHAR"),
    ("dims", "VARCHAR"),
    ("source_file", "VARCHAR"),
    ("line", "INTEGER"),
]
CANONICAL_NAMES = [c for c, _ in CANONICAL_COLUMNS]
# What a source says beside the value, staged by the readers that know it (Open SDG) and NULL
# otherwise; kept per observation as written (store migration 6, docs/ingest.md).
ATTRIBUTE_COLUMNS = [
    ("unit_measure", "VARCHAR"),
    ("unit_multiplier", "VARCHAR"),
    ("geocode", "VARCHAR"),
    ("source_dims", "VARCHAR"),
    ("attributes", "VARCHAR"),
]
ATTRIBUTE_NAMES = [c for c, _ in ATTRIBUTE_COLUMNS]


def quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def sql_str(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def blank_to_null(expr: str) -> str:
    return f"nullif(trim({expr}), '')"


# (character, its encoding); the backslash first, so an encoded character is never encoded twice
DIM_ESCAPES = (("\\", "\\5C"), ("|", "\\7C"), ("=", "\\3D"))


def escape_dim(text: str) -> str:
    """A dimension name or value as stored inside ``dims``."""
    for char, code in DIM_ESCAPES:
        text = text.replace(char, code)
    return text


def unescape_dim(text: str) -> str:
    for char, code in reversed(DIM_ESCAPES):
        text = text.replace(code, char)
    return text


def escape_dim_sql(expr: str) -> str:
    for char, code in DIM_ESCAPES:
        expr = f"replace({expr}, {sql_str(char)}, {sql_str(code)})"
    return expr


def dims_sql(columns: Iterable[str], values: dict[str, str] | None = None) -> str:
    """SQL expression building the canonical ``dims`` key from dimension columns of a source table.

    ``values`` may give, per column, the SQL expression of its cell (default: the column itself),
    e.g. to stage a total written as text as a blank cell.
    """
    cols = sorted(set(columns))
    if not cols:
        return "''"
    parts = []
    for c in cols:
        v = blank_to_null((values or {}).get(c, quote(c)))
        parts.append(f"CASE WHEN {v} IS NOT NULL THEN {sql_str(escape_dim(c) + '=')} || {escape_dim_sql(v)} END")
    return f"concat_ws('|', {', '.join(parts)})"


def create_staging(con, table: str) -> None:
    cols = ", ".join(f"{c} {t}" for c, t in CANONICAL_COLUMNS + ATTRIBUTE_COLUMNS)
    con.execute(f"CREATE OR REPLACE TEMP TABLE {table} ({cols})")
