"""What the store holds, for analyses and faces: names, codes, links and counts.

Small reads over the reference tables (``area``, ``series``, ``series_indicator``,
``framework_node``) and whole-store counts over ``observation``, so no module outside ``store/``
(and the reference-data layer that fills these tables) writes SQL against them. Each function
takes the store's connection; :class:`~sdgtrack.store.database.Database` offers them as methods.
Results are fetched whole (``fetchall``): a half-read result keeps the connection busy, and DuckDB
then refuses to register a frame on it (which the progress store and the registry do).
"""

from __future__ import annotations

from typing import Sequence

import duckdb
import pandas as pd

from ..frameworks.sdg import node_filters


def area_names(con: duckdb.DuckDBPyConnection, codes: Sequence[str] | None = None) -> dict[str, str]:
    """Area code -> name, for ``codes`` (None = every area)."""
    if codes is None:
        return dict(con.execute("SELECT code, name FROM area").fetchall())
    return dict(
        con.execute("SELECT code, name FROM area WHERE code IN (SELECT unnest(?::VARCHAR[]))", [list(codes)]).fetchall()
    )


def area_codes(con: duckdb.DuckDBPyConnection) -> set[str]:
    """Every area code in the store (reference and custom)."""
    return {r[0] for r in con.execute("SELECT code FROM area").fetchall()}


def area_info(con: duckdb.DuckDBPyConnection, code: str) -> dict | None:
    """One area's row (code, name, kind, parent, iso2, iso3), or None when the code is unknown."""
    rows = con.execute("SELECT code, name, kind, parent, iso2, iso3 FROM area WHERE code = ?", [code]).fetchall()
    return dict(zip(("code", "name", "kind", "parent", "iso2", "iso3"), rows[0])) if rows else None


def cities_named(con: duckdb.DuckDBPyConnection, name: str, code: str | None = None) -> list[tuple[str, str | None]]:
    """(code, parent) of the city areas called ``name`` (any case) or coded ``code``."""
    return con.execute(
        "SELECT code, parent FROM area WHERE kind = 'city' AND (lower(name) = lower(?) OR code = ?)", [name, code or ""]
    ).fetchall()


def series_codes(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Every series code in the store, in code order."""
    return [r[0] for r in con.execute("SELECT code FROM series ORDER BY code").fetchall()]


def series_indicator_links(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """``DataFrame(series, indicator)``: which SDG indicator each series serves (a series may serve several)."""
    return con.execute("SELECT series, indicator FROM series_indicator").df()


def series_info(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """``DataFrame(code, description, unit)`` of every series in the store."""
    return con.execute("SELECT code, description, unit FROM series ORDER BY code").df()


def node_titles(con: duckdb.DuckDBPyConnection, framework: str = "sdg") -> dict[str, str]:
    """Node code -> title of one framework's goals, targets and indicators."""
    return dict(con.execute("SELECT code, title FROM framework_node WHERE framework = ?", [framework]).fetchall())


def first_year(con: duckdb.DuckDBPyConnection, series: Sequence[str]) -> int | None:
    """The earliest year any of ``series`` has a row (any dataset, any disaggregation), or None."""
    ((year,),) = con.execute(
        "SELECT min(year) FROM observation WHERE series IN (SELECT unnest(?::VARCHAR[]))", [list(series)]
    ).fetchall()
    return None if year is None else int(year)


def has_dataset(con: duckdb.DuckDBPyConnection, dataset_id: str) -> bool:
    """Whether a dataset with this id is in the store (and not removed)."""
    return bool(con.execute("SELECT 1 FROM dataset WHERE id = ? AND removed_at IS NULL", [dataset_id]).fetchall())


def current_nodes(con: duckdb.DuckDBPyConnection, framework: str = "sdg") -> list[tuple[str, str, str | None, str]]:
    """(code, level, parent, title) of a framework's current nodes, in reading order."""
    return con.execute(
        """
        SELECT code, level, parent, title FROM framework_node
        WHERE framework = ? AND status = 'current' ORDER BY sort_key""",
        [framework],
    ).fetchall()


def headline_series_stats(con: duckdb.DuckDBPyConnection) -> list[dict]:
    """Per SDG indicator and series with headline rows: indicator, series, description, n (rows),
    areas, first and last year; plain Python values, by series."""
    rows = con.execute("""
        SELECT si.indicator, o.series, any_value(s.description) AS description, count(*) AS n,
               count(DISTINCT o.area) AS areas, min(o.year) AS first, max(o.year) AS last
        FROM observation o JOIN series_indicator si ON si.series = o.series
        JOIN series s ON s.code = o.series
        WHERE o.is_headline GROUP BY si.indicator, o.series ORDER BY o.series""").fetchall()
    keys = ("indicator", "series", "description", "n", "areas", "first", "last")
    return [dict(zip(keys, row)) for row in rows]


def totals(con: duckdb.DuckDBPyConnection) -> dict[str, int | None]:
    """Whole-store counts: observations, series, areas, and the first and last year."""
    ((n, series, areas, first, last),) = con.execute(
        "SELECT count(*), count(DISTINCT series), count(DISTINCT area), min(year), max(year) FROM observation"
    ).fetchall()
    return dict(observations=n, series=series, areas=areas, first=first, last=last)


def observations_per_goal(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Per SDG goal (int): indicators, series and observations (every row, disaggregations included)."""
    return con.execute("""
        SELECT split_part(si.indicator, '.', 1)::INTEGER AS goal, count(DISTINCT o.series) AS series,
               count(DISTINCT si.indicator) AS indicators, count(*) AS observations
        FROM observation o JOIN series_indicator si ON si.series = o.series
        GROUP BY 1 ORDER BY 1""").df()


def node_list(
    con: duckdb.DuckDBPyConnection,
    framework: str,
    level: str | None,
    parent: str | None,
    lang: str,
    include_retired: bool = False,
) -> list[dict]:
    """A framework's nodes in reading order with the title in ``lang`` (the official translation,
    else the current English title, with ``title_lang`` saying which)."""
    where, filter_params = node_filters(framework, level, parent, include_retired, alias="n.")
    params: list = [lang, *filter_params]
    rows = con.execute(
        f"""
        SELECT n.code, n.level, n.parent, coalesce(t.title, n.title) AS title,
               CASE WHEN t.title IS NULL THEN 'en' ELSE t.lang END AS title_lang, n.status
        FROM framework_node n
        LEFT JOIN framework_title t ON t.framework = n.framework AND t.code = n.code AND t.kind = 'title'
                                   AND t.lang = ?
        WHERE {" AND ".join(where)} ORDER BY n.sort_key""",
        params,
    ).fetchall()
    keys = ("code", "level", "parent", "title", "title_lang", "status")
    return [dict(zip(keys, row)) for row in rows]


def framework_levels(con: duckdb.DuckDBPyConnection, framework: str) -> list[str]:
    """The levels a framework's nodes have, from the root down (empty for an unknown framework)."""
    return [
        r[0]
        for r in con.execute(
            """SELECT level FROM framework_node WHERE framework = ?
                                         GROUP BY level ORDER BY min(sort_key)""",
            [framework],
        ).fetchall()
    ]


def state_fingerprint(con: duckdb.DuckDBPyConnection) -> str:
    """A short text that changes whenever what readers see may change: loads and removals
    (``load``), dataset preference, custom areas, the kept assessment, index and interlinkages, the contributions
    registry. Cheap (a few aggregates over small tables), so a server checks it per cache lookup."""
    row = con.execute("""
        SELECT (SELECT count(*) || ':' || coalesce(max(id), 0) FROM load),
               (SELECT string_agg(id || '=' || coalesce(precedence::VARCHAR, '') || coalesce(removed_at::VARCHAR, ''),
                                  ',' ORDER BY id) FROM dataset),
               (SELECT count(*) FROM area),
               (SELECT count(*) || ':' || coalesce(max(run_at)::VARCHAR, '') FROM progress_run),
               (SELECT coalesce(string_agg(analysis || '@' || run_at, ',' ORDER BY analysis), '') FROM kept_run),
               (SELECT count(*) || ':' || coalesce(max(changed_at)::VARCHAR, '') FROM contribution_change),
               (SELECT count(*) FROM contribution_record)""").fetchall()[0]
    return "|".join("" if v is None else str(v) for v in row)


def series_facts(
    con: duckdb.DuckDBPyConnection, datasets: Sequence[str] | None = None, areas: Sequence[str] | None = None
) -> pd.DataFrame:
    """Per dataset, SDG indicator and series: description, unit, rows, headline rows, areas, first and
    last year and the disaggregation names (sorted list) its rows use; for reporting pages. ``areas``
    (stored codes): only rows of these areas."""
    conditions, params = [], []
    if datasets is not None:
        conditions.append("o.dataset IN (SELECT unnest(?::VARCHAR[]))")
        params.append(list(datasets))
    if areas is not None:
        conditions.append("o.area IN (SELECT unnest(?::VARCHAR[]))")
        params.append(list(areas))
    where = f"WHERE {' AND '.join(conditions)}" if conditions else ""
    return con.execute(
        f"""
        WITH o AS (SELECT o.* FROM observation o {where}),
        dims AS (
            SELECT dataset, series, list_sort(list_distinct(flatten(list(
                   list_transform(string_split(dims, '|'), lambda x: split_part(x, '=', 1)))))) AS dimensions
            FROM (SELECT DISTINCT dataset, series, dims FROM o WHERE dims <> '') GROUP BY dataset, series)
        SELECT o.dataset, si.indicator, o.series, any_value(s.description) AS description,
               count(*) AS n, count(*) FILTER (WHERE o.is_headline) AS n_headline,
               count(DISTINCT o.area) AS areas, min(o.year) AS first, max(o.year) AS last,
               coalesce(any_value(d.dimensions), []::VARCHAR[]) AS dimensions
        FROM o JOIN series_indicator si ON si.series = o.series JOIN series s ON s.code = o.series
        LEFT JOIN dims d ON d.dataset = o.dataset AND d.series = o.series
        GROUP BY o.dataset, si.indicator, o.series ORDER BY si.indicator, o.series, o.dataset""",
        params,
    ).df()


def dataset_main_area(con: duckdb.DuckDBPyConnection, dataset_id: str) -> str | None:
    """The area holding most of a dataset's headline rows (a national dataset's country), or None."""
    rows = con.execute(
        """SELECT area FROM observation WHERE dataset = ? AND is_headline
                          GROUP BY area ORDER BY count(*) DESC, area LIMIT 1""",
        [dataset_id],
    ).fetchall()
    return rows[0][0] if rows else None


# -- what the site build reads (publish/) ------------------------------------------------------------
def series_fingerprints(con: duckdb.DuckDBPyConnection, areas: Sequence[str] | None = None) -> list[tuple]:
    """``(indicator, series, dataset, last_load, rows, meta)`` per series and dataset that has or had
    rows: the last load that wrote or removed one of its rows (removals and replacements move rows to
    ``observation_history`` under the load that did it), the current row count, and a hash of the
    series' description and unit. ``indicator`` is NULL for a series serving no SDG indicator, and a
    series serving several indicators has one row for each. One query over whole columns: the site
    compares these to know which indicators changed since its last build. ``areas`` (stored codes):
    rows of these areas only (a site publishing one country)."""
    where = "" if areas is None else "WHERE area IN (SELECT unnest(?::VARCHAR[]))"
    params = [] if areas is None else [list(areas), list(areas)]
    return con.execute(
        f"""
        WITH touched AS (
            SELECT series, dataset, max(load_id) AS last_load, count(*) AS n FROM observation {where} GROUP BY ALL
            UNION ALL
            SELECT series, dataset, max(superseded_load), 0 FROM observation_history {where} GROUP BY ALL),
        per AS (SELECT series, dataset, max(last_load) AS last_load, sum(n)::BIGINT AS n
                FROM touched GROUP BY ALL)
        SELECT si.indicator, per.series, per.dataset, per.last_load, per.n, hash(s.description, s.unit)
        FROM per LEFT JOIN series s ON s.code = per.series
        LEFT JOIN series_indicator si ON si.series = per.series
        ORDER BY si.indicator, per.series, per.dataset""",
        params,
    ).fetchall()


def store_state(con: duckdb.DuckDBPyConnection) -> dict:
    """What beside the observations changes what the site shows: the last load, the datasets'
    metadata and order of preference, the areas (names, parents), the reference-data version and
    when the kept index and interlinkages were saved.
    Hashes are order-free (``bit_xor``) so they do not depend on row order."""
    from .reads import PREFERENCE_ORDER

    row = con.execute(f"""SELECT
        (SELECT coalesce(max(id), 0) FROM load),
        (SELECT coalesce(bit_xor(hash(id, title, publisher, kind, licence, precedence, removed_at)), 0) FROM dataset),
        (SELECT coalesce(string_agg(id, ',' ORDER BY {PREFERENCE_ORDER}), '') FROM dataset WHERE removed_at IS NULL),
        (SELECT coalesce(bit_xor(hash(code, name, kind, parent)), 0) FROM area),
        (SELECT value FROM meta WHERE key = 'reference_version'),
        (SELECT max(run_at) FROM kept_run WHERE analysis = 'index'),
        (SELECT max(run_at) FROM kept_run WHERE analysis = 'links')""").fetchall()[0]
    # kept_index / kept_links: when the kept results were saved ('' for none): only the pages
    # showing them key on these, so a new run rewrites those pages and no other
    keys = ("last_load", "datasets", "preference", "areas", "reference", "kept_index", "kept_links")
    return {k: (str(v) if v is not None else "") for k, v in zip(keys, row)}


def titles_in(con: duckdb.DuckDBPyConnection, lang: str, framework: str = "sdg") -> dict[str, tuple[str, str | None]]:
    """Node code -> (title, short title or None) in ``lang`` from the shipped translations; the current
    English title where the translation has none (and always for ``en``: the translations are the
    2020 texts, the framework's own titles are current)."""
    rows = con.execute(
        """
        SELECT n.code, CASE WHEN ? = 'en' THEN n.title ELSE coalesce(t.title, n.title) END, s.title
        FROM framework_node n
        LEFT JOIN framework_title t ON t.framework = n.framework AND t.code = n.code AND t.lang = ? AND t.kind = 'title'
        LEFT JOIN framework_title s ON s.framework = n.framework AND s.code = n.code AND s.lang = ? AND s.kind = 'short'
        WHERE n.framework = ?""",
        [lang, lang, lang, framework],
    ).fetchall()
    return {code: (title, short) for code, title, short in rows}


def indicator_coverage(
    con: duckdb.DuckDBPyConnection, datasets: Sequence[str] | None = None, areas: Sequence[str] | None = None
) -> pd.DataFrame:
    """Per SDG indicator with data (rows as the reads pick them: one dataset per series and area):
    rows, series, areas, first and last year, disaggregated rows, the area codes (``area_codes``)
    and the disaggregation names (``dims``: a sorted list, names as stored, escapes kept)."""
    from . import reads

    picked, params = reads.picked_sql(con, *_in_areas(areas), datasets, None)
    return con.execute(
        f"""
        WITH picked AS ({picked}),
        per AS (SELECT si.indicator, count(*) AS rows, count(DISTINCT o.series) AS series,
                       count(DISTINCT o.area) AS areas, min(o.year) AS first, max(o.year) AS last,
                       count(*) FILTER (WHERE o.dims <> '') AS disaggregated_rows,
                       list_sort(list(DISTINCT o.area)) AS area_codes
                FROM picked o JOIN series_indicator si ON si.series = o.series GROUP BY si.indicator),
        dim_names AS (SELECT indicator, list_sort(list_distinct(list(name))) AS dims FROM (
                SELECT si.indicator, split_part(unnest(str_split(d.dims, '|')), '=', 1) AS name
                FROM (SELECT DISTINCT series, dims FROM picked WHERE dims <> '') d
                JOIN series_indicator si ON si.series = d.series) GROUP BY indicator)
        SELECT per.*, coalesce(dim_names.dims, []::VARCHAR[]) AS dims
        FROM per LEFT JOIN dim_names USING (indicator) ORDER BY indicator""",
        params,
    ).df()


def export_observations(
    con: duckdb.DuckDBPyConnection, path: str, datasets: Sequence[str] | None = None, areas: Sequence[str] | None = None
) -> int:
    """Write every observation the reads see (one dataset per series and area, every disaggregation)
    as one Parquet file at ``path``, with the SDG indicators each series serves, the area name and
    what the source said beside the value (unit measure and multiplier, GeoCode, the breakdowns and
    other columns as written, the variant of a key given two values); returns the row count. DuckDB
    writes it from the column store directly (``COPY``)."""
    from . import reads

    picked, params = reads.picked_sql(con, *_in_areas(areas), datasets, None)
    con.execute(
        f"""
        COPY (SELECT o.dataset, o.series, coalesce(si.indicators, []::VARCHAR[]) AS indicators, o.area,
                     a.name AS area_name, o.period, o.year, o.dims, o.unit, o.value, o.value_text, o.is_headline,
                     o.nature, o.obs_status, o.source, o.footnote, o.unit_measure, o.unit_multiplier, o.geocode,
                     o.source_dims, o.attributes, o.variant
              FROM ({picked}) o LEFT JOIN area a ON a.code = o.area
              LEFT JOIN (SELECT series, list(indicator ORDER BY indicator) AS indicators
                         FROM series_indicator GROUP BY series) si ON si.series = o.series
              ORDER BY o.series, o.area, o.year, o.period, o.dims, o.unit, o.variant)
        TO '{path.replace("'", "''")}' (FORMAT parquet, COMPRESSION zstd)""",
        params,
    )
    return int(con.fetchall()[0][0])  # COPY answers with the number of rows written


def headline_candidates(
    con: duckdb.DuckDBPyConnection, areas: Sequence[str] | None = None, datasets: Sequence[str] | None = None
) -> pd.DataFrame:
    """Per SDG indicator, dataset and series with headline values (in ``areas``, when given): the
    dataset's rank (lower is preferred), headline rows, areas, last year, the series' description.
    What the headline-series rule chooses among (``progress/headline.py``); one query."""
    from . import reads

    where = ["o.is_headline", "o.value IS NOT NULL"]
    params: list = []
    if areas:
        where.append("o.area IN (SELECT unnest(?::VARCHAR[]))")
        params.append(list(areas))
    ranked, row_params = reads.ranked_sql(con, where, params, datasets, None)
    return con.execute(
        f"""SELECT si.indicator, o.dataset, o.series, min(o.rank) AS rank, count(*) AS rows,
                   count(DISTINCT o.area) AS areas, max(o.year) AS last_year,
                   any_value(s.description) AS description
            FROM ({ranked}) o JOIN series_indicator si ON si.series = o.series
            LEFT JOIN series s ON s.code = o.series
            GROUP BY ALL ORDER BY si.indicator, rank, o.series""",
        row_params,
    ).df()


def _in_areas(areas: Sequence[str] | None) -> tuple[list[str], list]:
    """The WHERE condition and parameter keeping rows of ``areas`` (stored codes); none for None."""
    if areas is None:
        return [], []
    return ["o.area IN (SELECT unnest(?::VARCHAR[]))"], [list(areas)]


def area_and_parts(con: duckdb.DuckDBPyConnection, code: str) -> list[str]:
    """``code`` and every area whose parent chain leads to it (provinces, regions, their cities)."""
    rows = con.execute(
        """WITH RECURSIVE parts(code) AS (
               SELECT ? UNION SELECT a.code FROM area a JOIN parts p ON a.parent = p.code)
           SELECT code FROM parts ORDER BY code""",
        [code],
    ).fetchall()
    return [r[0] for r in rows]


def main_areas(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Per national or sub-national dataset: the area holding most of its headline rows, that count,
    and the dataset's precedence (``datasets prefer``); largest first."""
    return con.execute("""
        SELECT dataset, area, n, precedence FROM (
            SELECT o.dataset, o.area, count(*) AS n, any_value(d.precedence) AS precedence
            FROM observation o JOIN dataset d ON d.id = o.dataset
            WHERE o.is_headline AND d.kind IN ('national', 'subnational') AND d.removed_at IS NULL
            GROUP BY o.dataset, o.area
            QUALIFY row_number() OVER (PARTITION BY o.dataset ORDER BY count(*) DESC, o.area) = 1)
        ORDER BY precedence NULLS LAST, n DESC, dataset""").df()


# -- archived indicators (an Open SDG repository's archived-* files) ---------------------------------
_ARCHIVED_FILES = """SELECT sc.dataset, sc.source_file, sc.indicator FROM source_columns sc
                     JOIN archived_indicator ai ON ai.dataset = sc.dataset AND ai.indicator = sc.indicator"""


def archived_series(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    """(archived indicator id, series) of every series whose rows come from an archived indicator's
    data file; such series serve no SDG indicator (docs/ingest.md)."""
    return con.execute(f"""
        WITH f AS ({_ARCHIVED_FILES})
        SELECT DISTINCT f.indicator, o.series FROM observation o
        JOIN f ON f.dataset = o.dataset AND f.source_file = o.source_file
        WHERE o.source_file IN (SELECT source_file FROM f) ORDER BY 1, 2""").fetchall()


def archived_observations(
    con: duckdb.DuckDBPyConnection,
    codes: Sequence[str],
    columns: str,
    datasets: Sequence[str] | None = None,
    areas: Sequence[str] | None = None,
) -> pd.DataFrame:
    """The rows of archived indicators ``codes`` (ids such as ``archived-1-a-1``) in the shape of
    ``Database.indicator_observations`` (``columns``: its column list over ``o``), an ``indicator``
    column first: the rows of each one's data file, picked as every read picks them."""
    from . import reads

    files = con.execute(
        f"SELECT DISTINCT source_file FROM ({_ARCHIVED_FILES}) WHERE indicator IN (SELECT unnest(?::VARCHAR[]))",
        [list(codes)],
    ).fetchall()
    where = ["o.source_file IN (SELECT unnest(?::VARCHAR[]))", *_in_areas(areas)[0]]
    params: list = [[f[0] for f in files], *_in_areas(areas)[1]]
    rows, row_params = reads.picked_sql(con, where, params, datasets, None)
    # through Arrow, as indicator_observations: the site joins both frames
    return (
        con.sql(
            f"""
        WITH f AS ({_ARCHIVED_FILES})
        SELECT f.indicator, {columns}
        FROM ({rows}) o JOIN f ON f.dataset = o.dataset AND f.source_file = o.source_file
             AND f.indicator IN (SELECT unnest(?::VARCHAR[]))
        LEFT JOIN area a ON a.code = o.area
        ORDER BY f.indicator, o.series, o.area, o.year, o.period, o.dims, o.unit, o.variant""",
            params=row_params + [list(codes)],
        )
        .to_arrow_table()
        .to_pandas()
    )
