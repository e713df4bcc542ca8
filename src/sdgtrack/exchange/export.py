"""One dataset as an SDMX message for a DSD (the global SDG DSD by default, dataflow DF_SDG_GLH).

The whole mapping and every check run as DuckDB SQL over the dataset's rows (docs/sdmx.md):
1. each row is split into (column, text) pairs: its disaggregations, and its series, area, unit,
   unit multiplier, status, nature, source and footnote;
2. a column becomes a DSD concept by a map row, or when it is already named like one (SDMX-sourced
   data); a text becomes a code by a map row, or when it is already a code of the concept's code
   list (areas: the M49 code, a country's ISO code, or a sub-national code the list names alike);
3. a concept no column gives takes its map default, else the convention of the SDG DSD (FREQ from
   the period, REPORTING_TYPE N, other dimensions _T, OBS_STATUS A, UNIT_MULT 0);
4. every text no code was found for, every column with no concept, two columns giving one
   concept, a repeated key and a unit that changes within a series are problems, all reported in
   one pass (and as a CSV with ``report=``); the file is written only when there are none.

The message text is assembled by SQL too (one ``string_agg`` per series): building sdmx1 model
objects costs 0.5-0.9 ms per observation (144 s for the UK's 161,670: bench/sdmx_export.py), so sdmx1 is
used where it serves: to read every message back in the tests, and as the client of the REST API's
tests.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

import duckdb
import pandas as pd

from ..errors import InvalidInputError, UserInputError
from ..plurals import count
from ..store import exchange as store_exchange
from .dsd import Structure, load
from .mapping import MapSet, read_maps

FORMATS = ("structure", "generic", "csv")
FORMAT_HELP = {
    "structure": "SDMX-ML 2.1 StructureSpecificData",
    "generic": "SDMX-ML 2.1 GenericData",
    "csv": "SDMX-CSV 1.0",
}
# The store's own fields and the concept each gives by default.
FIELDS = {
    "series": "SERIES",
    "area": "REF_AREA",
    "unit": "UNIT_MEASURE",
    "unit_multiplier": "UNIT_MULT",
    "obs_status": "OBS_STATUS",
    "nature": "NATURE",
    "source": "SOURCE_DETAIL",
    "footnote": "COMMENT_OBS",
}
# Defaults of the SDG DSD's conventions where no column and no map default gives a concept.
BUILTIN_DEFAULTS = {"REPORTING_TYPE": "N", "OBS_STATUS": "A", "UNIT_MULT": "0"}
TOTAL = "_T"
PROBLEM_COLUMNS = ["concept", "codelist", "column", "value", "problem", "rows", "series", "areas", "suggestions"]
SIMILAR = 0.85  # Jaro-Winkler similarity of a text to a code's name for it to be suggested
SS_NS = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/data/structurespecific"
MES_NS = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message"
COM_NS = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common"
GEN_NS = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/data/generic"


@dataclass(frozen=True)
class ExportProblem:
    concept: str | None
    codelist: str | None
    column: str | None
    value: str | None
    problem: str
    rows: int
    series: str
    areas: str
    suggestions: str | None = None

    def __str__(self) -> str:
        where = f"series {self.series}, area {self.areas}" if self.series else "dataset"
        col = f", column {self.column!r}" if self.column else ""
        val = f": {self.value!r}" if self.value is not None else ""
        cl = f" ({self.codelist})" if self.codelist else ""
        hint = f"; perhaps {self.suggestions}" if self.suggestions else ""
        return f"{where}{col}{val} ({count(self.rows, 'row')}): {self.problem}{cl}{hint}"


class SdmxExportError(InvalidInputError):
    """The dataset does not fit the DSD; nothing was written. ``problems`` lists every one."""

    def __init__(self, problems: list[ExportProblem], report: Path | None = None):  # type: ignore[override]
        self.report = report
        super().__init__(problems, len(problems))  # type: ignore[arg-type]

    def summary(self, limit: int = 20) -> str:
        """Codes to map first, then one line per column with no concept (its values are in the report)."""
        unnamed: dict[str, list[ExportProblem]] = {}
        lines = []
        for p in self.problems:
            if p.concept is None and p.column and p.problem.startswith(("maps to no component", "is renamed to")):
                unnamed.setdefault(p.column, []).append(p)
            else:
                lines.append(str(p))
        for column, found in unnamed.items():
            values = ", ".join(repr(p.value) for p in found[:3]) + (
                f" and {len(found) - 3} more" if len(found) > 3 else ""
            )
            rows = sum(p.rows for p in found)
            series = found[0].series.split(" (+")[0]
            lines.append(f"series {series} ..., column {column!r}: {values} ({count(rows, 'row')}): {found[0].problem}")
        shown = lines[:limit]
        if len(lines) > limit:
            shown.append(f"... and {len(lines) - limit} more")
        where = f" (every one in {self.report})" if self.report else " (--report FILE lists every one)"
        kinds = (
            f": {count(len(unnamed), 'column')} with no DSD concept ({count(sum(map(len, unnamed.values())), 'value')})"
            if unnamed
            else ""
        )
        shown.append(f"{count(self.total, 'problem')}{kinds}{where}; nothing was written")
        return "\n".join(shown)


@dataclass
class ExportReport:
    dataset: str
    path: Path | None
    format: str
    structure: str
    flow: str
    observations: int = 0
    series_keys: int = 0
    bytes: int = 0
    notes: list[str] = field(default_factory=list)

    def describe(self) -> str:
        return (
            f"{self.observations:,} observations in {self.series_keys:,} series keys of dataset {self.dataset} "
            f"written to {self.path} ({FORMAT_HELP[self.format]}, {self.bytes:,} bytes; {self.flow} of {self.structure})"
        )


@dataclass
class Mapped:
    """A dataset's rows mapped to a DSD: ``con`` holds table ``sdmx_obs``; ``problems`` is empty when it fits."""

    con: duckdb.DuckDBPyConnection
    structure: Structure
    problems: pd.DataFrame
    rows: int

    @property
    def ok(self) -> bool:
        return self.problems.empty


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _unescape(expr: str) -> str:
    """The store writes \\, | and = inside dims names and values as \\5C, \\7C, \\3D."""
    return f"replace(replace(replace({expr}, '\\7C', '|'), '\\3D', '='), '\\5C', '\\')"


def map_rows(rows: pd.DataFrame, structure: Structure, maps: MapSet | None = None) -> Mapped:
    """Map a dataset's rows (``store.exchange.exchange_rows``) to the DSD, in SQL."""
    maps = maps or MapSet()
    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")
    frame = rows.reset_index(drop=True)
    frame.insert(0, "rid", range(len(frame)))
    con.register("src_frame", frame)
    con.execute("CREATE TEMP TABLE src AS SELECT * FROM src_frame")
    con.unregister("src_frame")
    _load_reference(con, structure, maps)
    dims = structure.dimension_ids
    attrs = [a.id for a in structure.attributes]
    components = {*dims, *attrs}

    # 1. (row, column, text) pairs; alt is a second text to try (the series label, the area name)
    field_rows = []
    for column, _concept in FIELDS.items():
        if column == "series":
            field_rows.append(
                "SELECT rid, 'series' AS col, series AS text, series_label AS alt, 'field' AS kind FROM src"
            )
        elif column == "area":
            field_rows.append("SELECT rid, 'area', area, area_name, 'field' FROM src")
        elif column == "unit":
            field_rows.append(
                "SELECT rid, 'unit', coalesce(unit_measure, nullif(regexp_replace(unit, ' x10\\^-?[0-9]+$', ''), '')), "
                "NULL, 'field' FROM src"
            )
        elif column == "unit_multiplier":
            field_rows.append(
                "SELECT rid, 'unit_multiplier', coalesce(unit_multiplier, "
                "nullif(regexp_extract(unit, ' x10\\^(-?[0-9]+)$', 1), '')), NULL, 'field' FROM src"
            )
        else:
            field_rows.append(f"SELECT rid, {_lit(column)}, {column}::VARCHAR, NULL, 'field' FROM src")
    attr_names = ", ".join(_lit(a) for a in attrs) or "''"
    con.execute(f"""
        CREATE TEMP TABLE pairs AS
        WITH d AS (SELECT rid, unnest(string_split(dims, '|')) AS kv FROM src WHERE coalesce(dims, '') <> ''),
             a AS (SELECT rid, unnest(string_split(attributes, '|')) AS kv FROM src WHERE coalesce(attributes, '') <> '')
        SELECT rid, {_unescape("split_part(kv, '=', 1)")} AS col,
               {_unescape("substr(kv, strpos(kv, '=') + 1)")} AS text, NULL AS alt, 'dim' AS kind FROM d
        UNION ALL
        SELECT * FROM (
            SELECT rid, {_unescape("split_part(kv, '=', 1)")} AS col,
                   {_unescape("substr(kv, strpos(kv, '=') + 1)")} AS text, NULL AS alt, 'attr' AS kind FROM a)
        WHERE col IN ({attr_names})
        UNION ALL
        {" UNION ALL ".join(field_rows)}""")
    con.execute("DELETE FROM pairs WHERE nullif(trim(text), '') IS NULL")
    field_concepts = ", ".join(f"({_lit(k)}, {_lit(v)})" for k, v in FIELDS.items())
    # 2. column -> concept, text -> code
    con.execute(f"""
        CREATE TEMP TABLE resolved AS
        WITH fc(col, concept) AS (VALUES {field_concepts}),
        named AS (
            SELECT p.*, CASE
                WHEN mc.concept IS NOT NULL THEN CASE WHEN mc.concept IN (SELECT id FROM comp) THEN mc.concept END
                WHEN p.kind = 'field' THEN fc.concept
                WHEN p.col IN (SELECT id FROM comp) THEN p.col END AS concept,
                mc.concept AS renamed
            FROM pairs p
            LEFT JOIN map_cols mc ON mc.col = p.col
            LEFT JOIN fc ON p.kind = 'field' AND fc.col = p.col),
        -- an area's code in the list: its M49 code (the text itself, above), a country's ISO code,
        -- or a sub-national code as the source gave it (RW-1 -> 1) where the list names it alike
        area_code AS (
            SELECT rid, code FROM (
                SELECT s.rid, cl.code, row_number() OVER (PARTITION BY s.rid ORDER BY length(cl.code) DESC, cl.code) AS rn
                FROM src s JOIN cl ON cl.concept = 'REF_AREA' AND (
                    (s.area_kind = 'country' AND (cl.code = s.area_iso2 OR cl.code = s.area_iso3))
                    OR (cl.code = regexp_extract(s.area, '^[A-Z]{{2}}-(.+)$', 1) AND lower(cl.name) = lower(s.area_name))))
            WHERE rn = 1)
        SELECT n.rid, n.col, n.text, n.kind, n.concept, n.renamed, c.codelist, c.is_dim,
            CASE WHEN n.concept IS NULL THEN NULL
                 WHEN c.codelist IS NULL THEN n.text
                 ELSE coalesce(m1.code, m2.code, m4.code, m3.code, cl.code, CASE WHEN n.concept = 'REF_AREA' THEN ac.code END)
            END AS code
        FROM named n LEFT JOIN comp c ON c.id = n.concept
        LEFT JOIN map_codes m1 ON m1.concept = n.concept AND m1.col = n.col AND m1.text = n.text
        LEFT JOIN map_codes m2 ON m2.concept = n.concept AND m2.col IS NULL AND m2.text = n.text
        LEFT JOIN map_codes m3 ON m3.concept = n.concept AND m3.col IS NULL AND m3.text = n.alt
        LEFT JOIN map_codes m4 ON m4.concept = n.concept AND m4.col = n.col AND m4.text = n.alt
        LEFT JOIN cl ON cl.concept = n.concept AND cl.code = n.text
        LEFT JOIN area_code ac ON ac.rid = n.rid AND n.concept = 'REF_AREA'""")
    # 3. the time period and its frequency; any other period that names a year (2015/16,
    #    "2011 to 2012", "2020/21 [Note 5]") is stated as that year with the text in TIME_DETAIL
    con.execute(r"""
        CREATE TEMP TABLE periods AS
        SELECT rid, period,
            CASE WHEN regexp_matches(p, '^\d{4}$') THEN p
                 WHEN regexp_matches(p, '^\d{4}[ -]?Q[1-4]$') THEN left(p, 4) || '-Q' || right(p, 1)
                 WHEN regexp_matches(p, '^\d{4}[ -]?S[12]$') THEN left(p, 4) || '-S' || right(p, 1)
                 WHEN regexp_matches(p, '^\d{4}[ -](0[1-9]|1[0-2])$') THEN left(p, 4) || '-' || right(p, 2)
                 WHEN regexp_matches(p, '^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$') THEN p
                 WHEN year IS NOT NULL THEN year::VARCHAR END AS time_period,
            CASE WHEN regexp_matches(p, '^\d{4}[ -]?Q[1-4]$') THEN 'Q'
                 WHEN regexp_matches(p, '^\d{4}[ -]?S[12]$') THEN 'S'
                 WHEN regexp_matches(p, '^\d{4}[ -](0[1-9]|1[0-2])$') THEN 'M'
                 WHEN regexp_matches(p, '^\d{4}-\d{2}-\d{2}$') THEN 'D' ELSE 'A' END AS freq,
            CASE WHEN NOT regexp_matches(p, '^\d{4}([ -]?Q[1-4]|[ -]?S[12]|[ -](0[1-9]|1[0-2])|-\d{2}-\d{2})?$')
                 THEN period END AS time_detail
        FROM (SELECT rid, period, year, upper(trim(period)) AS p FROM src)""")
    # 4. one code per row and concept, defaults, problems
    problems = []
    problems.append("""
        SELECT NULL AS concept, NULL AS codelist, col AS "column", text AS value,
               CASE WHEN renamed IS NOT NULL
                    THEN 'is renamed to ' || renamed || ' by a map file, which is not a component of the DSD'
                    ELSE 'maps to no component of the DSD: add a column rename (' || col || ',,CONCEPT,) to a map file' END AS problem,
               rid
        FROM resolved WHERE concept IS NULL AND kind <> 'attr'""")
    problems.append("""
        SELECT concept, codelist, col, text,
               'is not a code of ' || concept || ': map it (' || col || ',' || text || ',' || concept || ',CODE)', rid
        FROM resolved WHERE concept IS NOT NULL AND code IS NULL""")
    problems.append("""
        SELECT 'TIME_PERIOD', NULL, 'period', period,
               'names no year SDMX can state (YYYY, YYYY-Qn, YYYY-MM, YYYY-MM-DD, or text with a year)', rid
        FROM periods WHERE time_period IS NULL""")
    # only concepts two columns feed somewhere can get two codes on one row
    problems.append("""
        SELECT r.concept, any_value(r.codelist), string_agg(DISTINCT r.col, ' and '), string_agg(DISTINCT r.code, ' / '),
               'two columns give ' || r.concept || ' different codes', r.rid
        FROM resolved r
        WHERE r.code IS NOT NULL AND r.concept IN (
            SELECT concept FROM resolved WHERE concept IS NOT NULL GROUP BY concept HAVING count(DISTINCT col) > 1)
        GROUP BY r.rid, r.concept HAVING count(DISTINCT r.code) > 1""")
    comp_sql = []
    for cid in [*dims, *attrs]:
        comp = structure.component(cid)
        default = _default_sql(cid, structure, maps)
        comp_sql.append(f"coalesce(max(r.code) FILTER (WHERE r.concept = {_lit(cid)}), {default}) AS {_q(cid)}")
        if comp is not None and comp.mandatory and default == "NULL":
            problems.append(f"""
                SELECT {_lit(cid)}, {_lit(comp.codelist or "")}, NULL, NULL,
                       'has no value (it is mandatory): give it in a column, or a default row (,,{cid},CODE) in a map file', s.rid
                FROM src s WHERE NOT EXISTS (
                    SELECT 1 FROM resolved r WHERE r.rid = s.rid AND r.concept = {_lit(cid)})""")
    _ = components
    con.execute(f"""
        CREATE TABLE sdmx_obs AS
        SELECT s.rid, {", ".join(comp_sql)}, p.time_period AS {_q(structure.time_dimension)},
               CASE WHEN s.value IS NULL THEN 'NaN'
                    WHEN s.value = trunc(s.value) AND abs(s.value) < 1e15 THEN s.value::BIGINT::VARCHAR
                    ELSE s.value::VARCHAR END AS {_q(structure.measure)},
               p.freq AS __freq, p.time_detail AS __time_detail, s.value_text AS __value_text,
               s.series AS __series, s.area AS __area
        FROM src s JOIN periods p USING (rid) LEFT JOIN resolved r ON r.rid = s.rid AND r.concept IS NOT NULL
        GROUP BY s.rid, s.value, p.time_period, p.freq, p.time_detail, s.value_text, s.series, s.area""")
    # FREQ and TIME_DETAIL from the period where nothing else gave them; bounds of '<2.5' / '>95'
    if "FREQ" in dims:
        con.execute("UPDATE sdmx_obs SET FREQ = __freq WHERE FREQ IS NULL")
    if "TIME_DETAIL" in attrs:
        con.execute("UPDATE sdmx_obs SET TIME_DETAIL = __time_detail WHERE TIME_DETAIL IS NULL")
    if "UPPER_BOUND" in attrs:
        con.execute(
            "UPDATE sdmx_obs SET UPPER_BOUND = "
            + structure.measure
            + " WHERE UPPER_BOUND IS NULL AND starts_with(trim(__value_text), '<')"
        )
    if "LOWER_BOUND" in attrs:
        con.execute(
            "UPDATE sdmx_obs SET LOWER_BOUND = "
            + structure.measure
            + " WHERE LOWER_BOUND IS NULL AND starts_with(trim(__value_text), '>')"
        )
    for cid in dims:
        if cid not in ("FREQ",) and _default_sql(cid, structure, maps) == "NULL":
            problems.append(f"""
                SELECT {_lit(cid)}, {_lit(structure.component(cid).codelist or "")}, NULL, NULL,
                       'has no value and no default (the code list has no _T): give a default row (,,{cid},CODE)', rid
                FROM sdmx_obs o WHERE {_q(cid)} IS NULL AND NOT EXISTS (
                    SELECT 1 FROM resolved r WHERE r.rid = o.rid AND r.concept = {_lit(cid)})""")
    con.execute(f"CREATE TABLE problem_rows AS {' UNION ALL '.join(problems)}")
    # keys and series attributes only over rows free of other problems (an unmapped column would
    # otherwise show again as a repeated key)
    clean = "rid NOT IN (SELECT rid FROM problem_rows)"
    key = ", ".join(_q(c) for c in [*dims, structure.time_dimension])
    con.execute(f"""
        INSERT INTO problem_rows
        SELECT NULL, NULL, NULL, concat_ws('.', {", ".join(_q(c) for c in dims)}) || ' ' || any_value({_q(structure.time_dimension)}),
               'one SDMX key for ' || count(*) || ' rows of the dataset: a disaggregation maps to no dimension, or two codes to one', unnest(list(rid))
        FROM sdmx_obs WHERE {clean}
        GROUP BY {key} HAVING count(*) > 1""")
    for attr in [a.id for a in structure.attributes if a.level == "series"]:
        con.execute(f"""
            INSERT INTO problem_rows
            SELECT {_lit(attr)}, NULL, NULL, string_agg(DISTINCT {_q(attr)}, ' / ' ORDER BY {_q(attr)}),
                   'changes within one series key (a series-level attribute): split the series or map one code', unnest(list(rid))
            FROM sdmx_obs WHERE {clean} GROUP BY {", ".join(_q(c) for c in dims)} HAVING count(DISTINCT coalesce({_q(attr)}, '')) > 1""")

    found = con.execute("""
        SELECT * FROM (
            SELECT p.concept, nullif(p.codelist, '') AS codelist, p."column", p.value, p.problem, count(*) AS rows,
                   string_agg(DISTINCT s.series, ' ' ORDER BY s.series) AS series,
                   string_agg(DISTINCT s.area, ' ' ORDER BY s.area) AS areas
            FROM problem_rows p JOIN src s USING (rid) GROUP BY ALL)
        ORDER BY problem LIKE 'one SDMX key%', concept NULLS FIRST, "column", value""").df()
    found = found.merge(_suggestions(con), on=["concept", "column", "value"], how="left")
    found["series"] = found["series"].map(_first_few)
    found["areas"] = found["areas"].map(_first_few)
    # a kept mapping (the REST API keeps four) holds only what writing reads
    for table in ("pairs", "resolved", "periods", "src"):
        con.execute(f"DROP TABLE {table}")
    return Mapped(con, structure, found[PROBLEM_COLUMNS], len(frame))


def _suggestions(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Up to three codes to map an unmapped text to: codes whose name is like the text, and for a
    series the SDG series of the indicators it is linked to (their names end in [3.2.2])."""
    return con.execute(f"""
        WITH missing0 AS (
            SELECT concept, col, text, min(rid) AS rid FROM resolved
            WHERE concept IS NOT NULL AND code IS NULL AND codelist IS NOT NULL GROUP BY ALL),
        missing AS (
            SELECT m.concept, m.col AS "column", m.text AS value, s.series_indicators AS indicators,
                   s.series_label AS label
            FROM missing0 m JOIN src s USING (rid)),
        names AS (
            SELECT concept, code, lower(regexp_replace(name, '\\s*\\[[^]]*\\]$', '')) AS name,
                   string_split(replace(regexp_extract(name, '\\[([^]]*)\\]$', 1), ' ', ''), ',') AS indicators
            FROM cl WHERE concept IN (SELECT concept FROM missing0)),
        scored AS (
            SELECT m.concept, m."column", m.value, n.code,
                   jaro_winkler_similarity(lower(CASE WHEN m.concept = 'SERIES' THEN coalesce(m.label, m.value) ELSE m.value END), n.name) AS score,
                   m.concept = 'SERIES' AND list_has_any(string_split(coalesce(m.indicators, ''), ','), n.indicators) AS same_indicator
            FROM missing m JOIN names n ON n.concept = m.concept),
        ranked AS (
            SELECT *, row_number() OVER (PARTITION BY concept, "column", value
                                         ORDER BY same_indicator DESC, score DESC, code) AS rn
            FROM scored WHERE same_indicator OR score >= {SIMILAR})
        SELECT concept, "column", value, string_agg(code, ' ' ORDER BY rn) AS suggestions
        FROM ranked WHERE rn <= 3 GROUP BY ALL""").df()


def _first_few(text: str | None, n: int = 3) -> str:
    parts = (text or "").split(" ")
    return " ".join(parts[:n]) + (f" (+{len(parts) - n} more)" if len(parts) > n else "")


def _default_sql(cid: str, structure: Structure, maps: MapSet) -> str:
    given = maps.defaults.loc[maps.defaults["concept"] == cid, "code"]
    if len(given):
        return _lit(str(given.iloc[-1]))
    comp = structure.component(cid)
    codes = structure.codes(cid)
    if cid in BUILTIN_DEFAULTS and (codes is None or BUILTIN_DEFAULTS[cid] in codes):
        return _lit(BUILTIN_DEFAULTS[cid])
    if comp in structure.dimensions and codes is not None and TOTAL in codes:
        return _lit(TOTAL)
    return "NULL"


def _load_reference(con: duckdb.DuckDBPyConnection, structure: Structure, maps: MapSet) -> None:
    comps = [(c.id, c.codelist, c in structure.dimensions) for c in (*structure.dimensions, *structure.attributes)]
    con.execute("CREATE TEMP TABLE comp (id VARCHAR, codelist VARCHAR, is_dim BOOLEAN)")
    con.executemany("INSERT INTO comp VALUES (?, ?, ?)", comps)
    cl = pd.DataFrame(
        [
            (c.id, code, name)
            for c in (*structure.dimensions, *structure.attributes)
            if c.codelist
            for code, name in structure.codelists[c.codelist].items()
        ],
        columns=["concept", "code", "name"],
    )
    con.register("cl_frame", cl)
    con.execute("CREATE TEMP TABLE cl AS SELECT * FROM cl_frame")
    con.unregister("cl_frame")
    cols = maps.columns.rename(columns={"column": "col"})[["col", "concept", "where"]]
    codes = maps.codes.rename(columns={"column": "col"})[["concept", "col", "text", "code", "where"]].astype(object)
    for name, frame, key in (("map_cols", cols, ["col"]), ("map_codes", codes, ["concept", "col", "text"])):
        con.register("m_frame", frame.astype(object))
        con.execute(f"CREATE TEMP TABLE {name}_all AS SELECT * FROM m_frame")
        con.unregister("m_frame")
        value = "concept" if name == "map_cols" else "code"
        clash = con.execute(f"""
            SELECT {", ".join(key)}, string_agg(DISTINCT {value}, ' / '), string_agg("where", ', ')
            FROM {name}_all GROUP BY ALL HAVING count(DISTINCT {value}) > 1 LIMIT 5""").fetchall()
        if clash:
            raise UserInputError(
                "SDMX map files give one text two different codes: "
                + "; ".join(f"{' '.join(str(x) for x in c[:-2] if x)} -> {c[-2]} ({c[-1]})" for c in clash)
            )
        con.execute(
            f"CREATE TEMP TABLE {name} AS SELECT {', '.join(key)}, any_value({value}) AS {value} FROM {name}_all GROUP BY ALL"
        )


# -- writing ----------------------------------------------------------------------------------------


def _esc(expr: str) -> str:
    """XML attribute text: markup characters as entities, control characters XML forbids dropped."""
    return (
        f"replace(replace(replace(replace(replace(regexp_replace({expr}, '[\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F]', '', 'g'),"
        " '&', '&amp;'), '<', '&lt;'), '>', '&gt;'), '\"', '&quot;'), chr(10), '&#10;')"
    )


def _attr_sql(name: str) -> str:
    return f"coalesce(' {name}=\"' || {_esc(_q(name))} || '\"', '')"


def _gen_value(name: str) -> str:
    return f"coalesce('<gen:Value id=\"{name}\" value=\"' || {_esc(_q(name))} || '\"/>', '')"


def header_xml(
    structure: Structure,
    *,
    structure_specific: bool,
    sender: str,
    prepared: dt.datetime,
    msg_id: str,
    at_obs: str | None = None,
) -> str:
    at_obs = at_obs or structure.time_dimension
    ns_attr = f' namespace="{structure_namespace(structure, at_obs)}"' if structure_specific else ""
    sid = re.sub(r"[^A-Za-z0-9_@$-]", "_", sender) or "sdgtrack"
    flow = structure.flow()
    if flow is not None:
        ref = f'<com:StructureUsage><Ref agencyID="{flow[0]}" id="{flow[1]}" version="{flow[2]}"/></com:StructureUsage>'
    else:
        ref = f'<com:Structure><Ref agencyID="{structure.agency}" id="{structure.id}" version="{structure.version}"/></com:Structure>'
    return (
        f"<mes:Header><mes:ID>{msg_id}</mes:ID><mes:Test>false</mes:Test>"
        f'<mes:Prepared>{prepared.strftime("%Y-%m-%dT%H:%M:%S")}</mes:Prepared><mes:Sender id="{sid}"/>'
        f'<mes:Structure structureID="{structure_id(structure)}"{ns_attr} dimensionAtObservation="{at_obs}">'
        f"{ref}</mes:Structure></mes:Header>"
    )


def structure_id(structure: Structure) -> str:
    agency, sid, version = structure.flow() or (structure.agency, structure.id, structure.version)
    return f"{agency}_{sid}_{version.replace('.', '_')}"


def structure_namespace(structure: Structure, at_obs: str | None = None) -> str:
    flow = structure.flow()
    kind, (agency, sid, version) = (
        ("Dataflow", flow) if flow else ("DataStructure", (structure.agency, structure.id, structure.version))
    )
    return f"urn:sdmx:org.sdmx.infomodel.datastructure.{kind}={agency}:{sid}({version}):ObsLevelDim:{at_obs or structure.time_dimension}"


DETAILS = ("full", "dataonly", "serieskeysonly", "nodata")


def write(
    mapped: Mapped,
    out,
    fmt: str,
    *,
    sender: str,
    prepared: dt.datetime,
    msg_id: str,
    where: str = "TRUE",
    detail: str = "full",
    flat: bool = False,
    con: duckdb.DuckDBPyConnection | None = None,
) -> tuple[int, int]:
    """Write the mapped observations (``where``: an SQL filter on ``sdmx_obs``) to a binary file object.
    ``detail`` as the SDMX REST API names it; ``flat``: every dimension at the observation
    (dimensionAtObservation=AllDimensions). Returns (observations, series keys)."""
    s = mapped.structure
    con = con or mapped.con
    dims = s.dimension_ids
    with_attrs = detail in ("full", "nodata")
    with_obs = detail in ("full", "dataonly")
    obs_attrs = [a.id for a in s.attributes if a.level != "series"] if detail == "full" else []
    ser_attrs = [a.id for a in s.attributes if a.level == "series"] if with_attrs else []
    tdim, measure = s.time_dimension, s.measure
    order = ", ".join(_q(c) for c in [*dims, tdim])
    if fmt == "csv":
        agency, flow, version = s.flow() or (s.agency, s.id, s.version)
        shown = {*ser_attrs, *obs_attrs}
        cols = [*dims, *([tdim, measure] if with_obs else []), *(a.id for a in s.attributes if a.id in shown)]
        distinct = "" if with_obs else "DISTINCT "
        frame = con.execute(
            f"SELECT {distinct}'{agency}:{flow}({version})' AS DATAFLOW, {', '.join(_q(c) for c in cols)} "
            f"FROM sdmx_obs WHERE {where} ORDER BY {', '.join(_q(c) for c in cols[: len(dims) + (1 if with_obs else 0)])}"
        ).df()
        frame.to_csv(out, index=False, lineterminator="\n")
        return (len(frame) if with_obs else 0), int(frame.groupby(dims, dropna=False).ngroups) if len(frame) else 0
    structure_specific = fmt == "structure"
    if structure_specific:
        obs = (
            "'<Obs' || "
            + (" || ".join(_attr_sql(c) for c in dims) + " || " if flat else "")
            + f"' {tdim}=\"' || {_esc(_q(tdim))} || '\" {measure}=\"' || {_q(measure)} || '\"' || "
            + " || ".join(
                [*(_attr_sql(a) for a in (ser_attrs if flat else [])), *(_attr_sql(a) for a in obs_attrs)] or ["''"]
            )
            + " || '/>'"
        )
        head = "'<Series' || " + " || ".join(_attr_sql(c) for c in [*dims, *ser_attrs]) + " || '>'"
        tail = "'</Series>'"
    else:
        attrs_here = [*(ser_attrs if flat else []), *obs_attrs]
        obs_attr_xml = " || ".join(_gen_value(a) for a in attrs_here) or "''"
        obs_key = (
            "'<gen:ObsKey>' || " + " || ".join(_gen_value(c) for c in [*dims, tdim]) + " || '</gen:ObsKey>'"
            if flat
            else f"'<gen:ObsDimension value=\"' || {_esc(_q(tdim))} || '\"/>'"
        )
        obs = (
            f"'<gen:Obs>' || {obs_key} || '<gen:ObsValue value=\"' || {_q(measure)} || '\"/>'"
            f" || CASE WHEN ({obs_attr_xml}) = '' THEN '' ELSE '<gen:Attributes>' || {obs_attr_xml} || '</gen:Attributes>' END || '</gen:Obs>'"
        )
        ser_attr_xml = " || ".join(_gen_value(a) for a in ser_attrs) or "''"
        head = (
            "'<gen:Series><gen:SeriesKey>' || " + " || ".join(_gen_value(c) for c in dims) + " || '</gen:SeriesKey>'"
            f" || CASE WHEN ({ser_attr_xml}) = '' THEN '' ELSE '<gen:Attributes>' || {ser_attr_xml} || '</gen:Attributes>' END"
        )
        tail = "'</gen:Series>'"
    group = ", ".join(_q(c) for c in [*dims, *ser_attrs])
    sref = structure_id(s)
    at_obs = "AllDimensions" if flat else tdim
    if structure_specific:
        ns = structure_namespace(s, at_obs)
        root = (
            f'<mes:StructureSpecificData xmlns:mes="{MES_NS}" xmlns:com="{COM_NS}" xmlns:ss="{SS_NS}" '
            f'xmlns:ns1="{ns}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        )
        ds_open = f'<mes:DataSet ss:dataScope="DataStructure" xsi:type="ns1:DataSetType" ss:structureRef="{sref}">'
        end = "</mes:DataSet></mes:StructureSpecificData>"
    else:
        root = f'<mes:GenericData xmlns:mes="{MES_NS}" xmlns:com="{COM_NS}" xmlns:gen="{GEN_NS}">'
        ds_open = f'<mes:DataSet structureRef="{sref}">'
        end = "</mes:DataSet></mes:GenericData>"
    header = header_xml(
        s, structure_specific=structure_specific, sender=sender, prepared=prepared, msg_id=msg_id, at_obs=at_obs
    )
    out.write(b'<?xml version="1.0" encoding="UTF-8"?>\n')
    out.write((root + header + ds_open + "\n").encode())
    n_obs = n_series = 0
    if flat:
        query = f"SELECT {obs} AS xml, 1 AS n FROM sdmx_obs WHERE {where} ORDER BY {order}"
    elif with_obs:
        query = f"""
            SELECT {head} || string_agg({obs}, '' ORDER BY {_q(tdim)}) || {tail} AS xml, count(*) AS n
            FROM sdmx_obs WHERE {where} GROUP BY {group} ORDER BY {group}"""
    else:
        query = f"SELECT {head} || {tail} AS xml, 0 AS n FROM sdmx_obs WHERE {where} GROUP BY {group} ORDER BY {group}"
    result = con.execute(query)
    while batch := result.fetchmany(2000):
        for text, n in batch:
            out.write(text.encode())
            out.write(b"\n")
            n_obs += n
            n_series += 0 if flat else 1
    out.write(end.encode() + b"\n")
    return n_obs, n_series


# -- the service the workspace calls ----------------------------------------------------------------


def export_dataset(
    con: duckdb.DuckDBPyConnection,
    dataset: str,
    out: str | Path,
    *,
    dsd: str | Path | None = None,
    maps: Sequence[str | Path] = (),
    fmt: str = "structure",
    report: str | Path | None = None,
    sender: str | None = None,
    skip_invalid: bool = False,
) -> ExportReport:
    """Write one dataset as an SDMX message; see the module docstring. ``skip_invalid``: write the
    observations free of problems instead of nothing (the report lists the others)."""
    if fmt not in FORMATS:
        raise UserInputError(f"SDMX format {fmt!r}: expected one of {', '.join(FORMATS)}")
    out = _target(Path(out), "the SDMX message")
    if report is not None:
        _target(Path(report), "the problems report")
    structure = load(dsd)
    mapset = read_maps(list(maps), structure)
    rows = store_exchange.exchange_rows(con, dataset)
    info = store_exchange.dataset_header(con, dataset)
    if rows.empty:
        raise UserInputError(f"dataset {dataset!r} has no observations to export")
    mapped = map_rows(rows, structure, mapset)
    flow = structure.flow()
    result = ExportReport(
        dataset,
        out,
        fmt,
        f"{structure.agency}:{structure.id}({structure.version})",
        f"{flow[0]}:{flow[1]}({flow[2]})" if flow else "no dataflow",
    )
    report_path = Path(report) if report is not None else None
    if report_path is not None:
        _write_atomic(report_path, lambda f: mapped.problems.to_csv(f, index=False, lineterminator="\n"))
        result.notes.append(f"{count(len(mapped.problems), 'problem')} listed in {report_path}")
    where = "TRUE"
    if not mapped.ok and skip_invalid:
        where = "rid NOT IN (SELECT rid FROM problem_rows)"
        left = mapped.con.execute("SELECT count(DISTINCT rid) FROM problem_rows").fetchone()[0]
        result.notes.append(f"{left:,} observations with problems left out (--skip-invalid)")
    elif not mapped.ok:
        problems = [
            ExportProblem(**{k: (None if pd.isna(v) else v) for k, v in rec.items()})
            for rec in mapped.problems.to_dict("records")
        ]
        raise SdmxExportError(problems, report_path)
    prepared = info[1] if info and info[1] is not None else dt.datetime(2000, 1, 1)
    msg_id = re.sub(r"[^A-Za-z0-9_-]", "_", f"{dataset}_{prepared:%Y%m%dT%H%M%S}")

    def body(f) -> None:
        result.observations, result.series_keys = write(
            mapped,
            f,
            fmt,
            sender=sender or (info[0] if info and info[0] else "sdgtrack"),
            prepared=prepared,
            msg_id=msg_id,
            where=where,
        )

    result.bytes = _write_atomic(out, body)
    mapped.con.close()
    return result


def _target(path: Path, what: str) -> Path:
    """A file to write, checked before any work: not a folder, in a folder that exists."""
    if path.is_dir():
        raise UserInputError(f"{path}: is a folder; expected a file to write {what} to")
    if not path.parent.is_dir():
        raise UserInputError(f"{path}: the folder {path.parent} does not exist; expected a file to write {what} to")
    return path


def _write_atomic(path: Path, fill) -> int:
    """Write through a temporary file in the same folder, renamed at the end: never a partial file."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.part")
    try:
        with open(tmp, "wb") as f:
            fill(f)
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
    return path.stat().st_size
