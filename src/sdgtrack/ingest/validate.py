"""Validation of staged rows, in SQL over the whole staged table.

Each check returns the offending rows as :class:`Problem` objects (file, line, column, value,
expectation). ``prepare`` adds the parsed columns (value, value_text, year, area) that the
merge needs, and ``problems`` collects every row that fails a check.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import Problem
from ..frameworks.areas import ALIAS_SQL

# UN "not available" codes: kept as text with no numeric value.
NOT_AVAILABLE = ("N", "NV", "NA", "..", "NaN")
NUMBER = r"[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?"
BOUND = rf"^\s*(<=?|>=?)\s*({NUMBER})\s*$"
# what pandas and Python write for a missing cell ('nan', 'None'): never a description
MISSING_TEXT = "'', 'nan', 'none', 'null', '<na>'"
YEAR_MIN, YEAR_MAX = 1900, 2100
# Periods: a leading year and a sub-period that does not continue the number ('2021/22', '2000 Q1',
# '2015-03', '2019/20 [Note 5]'), or text naming a year ('17 May to 11 June 2023'). '2015.0'
# (a year that went through a float) is the year; '20150', '2015.5', '99999' are not periods.
LEADING_YEAR = r"^([0-9]{4})([^0-9.].*)?$"
WHOLE_FLOAT_YEAR = r"^([0-9]{4})\.0+$"
TEXT_YEAR = r"(^|[^0-9.])([0-9]{4})([^0-9.]|$)"
# trim() strips spaces only: tabs and line ends around a period (seen after copy-paste) go too
WHITESPACE = "' \t\r\n'"


@dataclass(frozen=True)
class Check:
    column: str  # the column named in the message
    condition: str  # SQL, true for an invalid row of the prepared table
    value: str  # SQL expression shown as the offending value
    expected: str


CHECKS = [
    Check("series", "series IS NULL OR trim(series) = ''", "series", "a series code"),
    Check(
        "value",
        "value_kind = 'invalid'",
        "value_raw",
        "a number, a bound such as <2.5 or >95, or a not-available code (N, NV); numbers must be finite",
    ),
    Check(
        "period",
        "year IS NULL",
        "period",
        f"a year {YEAR_MIN}-{YEAR_MAX}, or a period starting with one (2021/22, 2000 Q1, 2015-03), "
        "or a text period naming one (17 May to 11 June 2023)",
    ),
    Check(
        "area",
        "area IS NULL",
        "area_raw",
        "a known area: an M49 code, an ISO code or a custom area added with `sdgtrack areas add`",
    ),
    Check(
        "indicator",
        "unknown_indicator IS NOT NULL",
        "unknown_indicator",
        "an SDG indicator code of the global framework (e.g. 3.2.1)",
    ),
]


def prepare(con, staging: str, prepared: str, indicators: bool = True, absent: tuple[str, ...] = ()) -> None:
    """Parse values, periods, areas and indicator codes of every staged row in one pass.

    ``staging``: the staged table, or a parenthesised SELECT of the same columns (a file read in
    this very statement). ``indicators``: False when no row has an indicator cell, which spares a
    second read of such a SELECT. ``absent``: columns NULL on every row (a file without them),
    left out of ``prepared``: writing a column of NULLs costs about as much as one of values."""
    indicators = indicators and "indicator" not in absent
    description = (
        ""
        if "series_description" in absent
        else f""",
                                -- a missing description is NULL, never the text of a missing value
                                CASE WHEN length(series_description) > 6 THEN series_description
                                     WHEN lower(trim(series_description)) NOT IN ({MISSING_TEXT})
                                     THEN trim(series_description) END AS series_description"""
    )
    exclude = f"EXCLUDE ({', '.join(absent)}) " if absent else ""
    # indicator cells repeat on every row: check each distinct cell once
    indicator_check = (
        f""",
        known_indicators AS (SELECT code FROM framework_node WHERE level = 'indicator'),
        indicator_parts AS (SELECT cell, trim(unnest(string_split(cell, ','))) AS code
                            FROM (SELECT DISTINCT indicator AS cell FROM {staging} WHERE indicator IS NOT NULL)),
        indicator_check AS (SELECT cell, string_agg(code, ',') AS unknown FROM indicator_parts
                            WHERE code <> '' AND code NOT IN (SELECT code FROM known_indicators) GROUP BY cell)"""
        if indicators
        else ""
    )
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE {prepared} AS
        WITH aliases AS ({ALIAS_SQL}){indicator_check}
        SELECT s.*,
            CASE WHEN TRY_CAST(s.value_raw AS DOUBLE) IS NOT NULL
                      AND isfinite(TRY_CAST(s.value_raw AS DOUBLE)) THEN 'number'
                 -- a bound must be finite too: '>1e400' is no number
                 WHEN regexp_matches(s.value_raw, '{BOUND}')
                      AND isfinite(TRY_CAST(regexp_extract(s.value_raw, '{BOUND}', 2) AS DOUBLE)) THEN 'bound'
                 WHEN s.value_raw IN ({", ".join(f"'{c}'" for c in NOT_AVAILABLE)}) THEN 'not_available'
                 ELSE 'invalid' END AS value_kind,
            CASE WHEN value_kind = 'number' THEN TRY_CAST(s.value_raw AS DOUBLE)
                 WHEN value_kind = 'bound' THEN TRY_CAST(regexp_extract(s.value_raw, '{BOUND}', 2) AS DOUBLE)
            END AS value,
            CASE WHEN value_kind IN ('bound', 'not_available') THEN s.value_raw END AS value_text,
            -- the leading year ('2021/22' -> 2021), else, in a text that does not start with a
            -- number of 3+ digits, the first year written in it (UK survey periods such as
            -- '17 May to 11 June 2023'); outside {YEAR_MIN}-{YEAR_MAX}: no year (invalid)
            -- '2015' (most rows) without a regex; the text check refuses what a cast accepts ('2e03', '+201')
            CASE WHEN TRY_CAST(s.period AS INTEGER)::VARCHAR = s.period THEN TRY_CAST(s.period AS INTEGER)
                 ELSE TRY_CAST(CASE WHEN regexp_matches(s.period, '{LEADING_YEAR}')
                                    THEN regexp_extract(s.period, '{LEADING_YEAR}', 1)
                                    WHEN NOT regexp_matches(s.period, '^[0-9]{{3}}')
                                    THEN nullif(regexp_extract(s.period, '{TEXT_YEAR}', 2), '') END AS INTEGER)
            END AS year_written,
            CASE WHEN year_written BETWEEN {YEAR_MIN} AND {YEAR_MAX} THEN year_written END AS year,
            a.code AS area,
            {"ic.unknown" if indicators else "NULL::VARCHAR"} AS unknown_indicator
        FROM (SELECT * {exclude}REPLACE (CASE WHEN contains(period, '.')  -- cheap test first: 1 M rows
                                     THEN regexp_replace(trim(period, {WHITESPACE}), '{WHOLE_FLOAT_YEAR}', '\\1')
                                     ELSE trim(period, {WHITESPACE}) END AS period{description})
              FROM {staging}) s
        LEFT JOIN (SELECT alias, min(code) AS code FROM aliases GROUP BY alias) a ON a.alias = upper(s.area_raw)
        {"LEFT JOIN indicator_check ic ON ic.cell = s.indicator" if indicators else ""}
    """)


def problems(
    con, prepared: str, limit: int = 1000, tally: dict[str, str] | None = None
) -> tuple[list[Problem], int, str, dict[str, int]]:
    """(first problems, total count, SQL condition of invalid rows, ``tally``). ``tally``: name ->
    SQL aggregate over the valid rows, computed in the same pass as the checks (each further pass
    over the prepared rows costs about as much as the checks themselves)."""
    out: list[Problem] = []
    invalid = " OR ".join(f"({c.condition})" for c in CHECKS)
    tally = tally or {}
    # one pass counts every check; rows are fetched only for checks that failed
    found = con.execute(
        "SELECT "
        + ", ".join(
            [f"count(*) FILTER (WHERE {c.condition})" for c in CHECKS]
            + [f"{aggregate} FILTER (WHERE NOT ({invalid}))" for aggregate in tally.values()]
        )
        + f" FROM {prepared}"
    ).fetchone()
    counts, tallied = found[: len(CHECKS)], dict(zip(tally, found[len(CHECKS) :]))
    total = sum(counts)
    for check, n in zip(CHECKS, counts):
        if n and len(out) < limit:
            rows = con.execute(
                f"SELECT source_file, line, {check.value} FROM {prepared} WHERE {check.condition} "
                f"ORDER BY source_file, line LIMIT {limit - len(out)}"
            ).fetchall()
            out += [Problem(f, line, check.column, v, check.expected) for f, line, v in rows]
    return out, total, invalid, tallied


KEY = ("series", "area", "period", "dims", "unit")


def conflicting_duplicates(con, incoming: str, prepared: str, limit: int = 1000) -> tuple[list[Problem], int]:
    """Keys (series, area, period, dimensions, unit) given different values, from the collapsed
    ``incoming`` table (``n_values`` > 1); the places come from the ``prepared`` rows."""
    key = ", ".join(KEY)
    # the collapsed table has a row per key and value: count the keys
    total = con.execute(f"SELECT count(*) FROM (SELECT DISTINCT {key} FROM {incoming} WHERE n_values > 1)").fetchone()[
        0
    ]
    if not total:
        return [], 0
    rows = con.execute(f"""
        SELECT {key}, list(source_file || ':' || line ORDER BY source_file, line) AS places,
               list(coalesce(value_text, value::VARCHAR) ORDER BY source_file, line) AS vals
        FROM {prepared} WHERE ({key}) IN (SELECT ({key}) FROM {incoming} WHERE n_values > 1 LIMIT {limit})
        GROUP BY {key} ORDER BY min(source_file), min(line)""").fetchall()
    out = []
    for series, area, period, dims, unit, places, vals in rows:
        first_file, _, first_line = places[0].rpartition(":")
        others = ", ".join(f"{p} ({v})" for p, v in list(zip(places, vals))[1:4])
        out.append(
            Problem(
                first_file,
                int(first_line),
                "value",
                vals[0],
                f"one value per series {series}, area {area}, period {period}"
                f"{', ' + dims if dims else ''}{', unit ' + unit if unit else ''}; "
                f"the same key has another value at {others}",
            )
        )
    return out, total
