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

import pandas as pd


def area_names(con, codes: Sequence[str] | None = None) -> dict[str, str]:
    """Area code -> name, for ``codes`` (None = every area)."""
    if codes is None:
        return dict(con.execute("SELECT code, name FROM area").fetchall())
    return dict(con.execute("SELECT code, name FROM area WHERE code IN (SELECT unnest(?::VARCHAR[]))",
                            [list(codes)]).fetchall())


def area_codes(con) -> set[str]:
    """Every area code in the store (reference and custom)."""
    return {r[0] for r in con.execute("SELECT code FROM area").fetchall()}


def area_info(con, code: str) -> dict | None:
    """One area's row (code, name, kind, parent, iso2, iso3), or None when the code is unknown."""
    rows = con.execute("SELECT code, name, kind, parent, iso2, iso3 FROM area WHERE code = ?", [code]).fetchall()
    return dict(zip(("code", "name", "kind", "parent", "iso2", "iso3"), rows[0])) if rows else None


def cities_named(con, name: str, code: str | None = None) -> list[tuple[str, str | None]]:
    """(code, parent) of the city areas called ``name`` (any case) or coded ``code``."""
    return con.execute("SELECT code, parent FROM area WHERE kind = 'city' AND (lower(name) = lower(?) OR code = ?)",
                       [name, code or ""]).fetchall()


def series_codes(con) -> list[str]:
    """Every series code in the store, in code order."""
    return [r[0] for r in con.execute("SELECT code FROM series ORDER BY code").fetchall()]


def series_indicator_links(con) -> pd.DataFrame:
    """``DataFrame(series, indicator)``: which SDG indicator each series serves (a series may serve several)."""
    return con.execute("SELECT series, indicator FROM series_indicator").df()


def node_titles(con, framework: str = "sdg") -> dict[str, str]:
    """Node code -> title of one framework's goals, targets and indicators."""
    return dict(con.execute("SELECT code, title FROM framework_node WHERE framework = ?", [framework]).fetchall())


def first_year(con, series: Sequence[str]) -> int | None:
    """The earliest year any of ``series`` has a row (any dataset, any disaggregation), or None."""
    ((year,),) = con.execute("SELECT min(year) FROM observation WHERE series IN (SELECT unnest(?::VARCHAR[]))",
                             [list(series)]).fetchall()
    return None if year is None else int(year)


def has_dataset(con, dataset_id: str) -> bool:
    """Whether a dataset with this id is in the store (and not removed)."""
    return bool(con.execute("SELECT 1 FROM dataset WHERE id = ? AND removed_at IS NULL", [dataset_id]).fetchall())


def current_nodes(con, framework: str = "sdg") -> list[tuple[str, str, str | None, str]]:
    """(code, level, parent, title) of a framework's current nodes, in reading order."""
    return con.execute("""
        SELECT code, level, parent, title FROM framework_node
        WHERE framework = ? AND status = 'current' ORDER BY sort_key""", [framework]).fetchall()


def headline_series_stats(con) -> list[dict]:
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


def totals(con) -> dict[str, int | None]:
    """Whole-store counts: observations, series, areas, and the first and last year."""
    ((n, series, areas, first, last),) = con.execute(
        "SELECT count(*), count(DISTINCT series), count(DISTINCT area), min(year), max(year) FROM observation"
    ).fetchall()
    return dict(observations=n, series=series, areas=areas, first=first, last=last)


def observations_per_goal(con) -> pd.DataFrame:
    """Per SDG goal (int): indicators, series and observations (every row, disaggregations included)."""
    return con.execute("""
        SELECT split_part(si.indicator, '.', 1)::INTEGER AS goal, count(DISTINCT o.series) AS series,
               count(DISTINCT si.indicator) AS indicators, count(*) AS observations
        FROM observation o JOIN series_indicator si ON si.series = o.series
        GROUP BY 1 ORDER BY 1""").df()


def node_list(con, framework: str, level: str | None, parent: str | None, lang: str,
              include_retired: bool = False) -> list[dict]:
    """A framework's nodes in reading order with the title in ``lang`` (the official translation,
    else the current English title, with ``title_lang`` saying which)."""
    where, params = ["n.framework = ?"], [lang, framework]
    if level:
        where.append("n.level = ?")
        params.append(level)
    if parent:
        where.append("(n.parent = ? OR starts_with(n.code, ? || '.'))")
        params += [parent, parent]
    if not include_retired:
        where.append("n.status = 'current'")
    rows = con.execute(f"""
        SELECT n.code, n.level, n.parent, coalesce(t.title, n.title) AS title,
               CASE WHEN t.title IS NULL THEN 'en' ELSE t.lang END AS title_lang, n.status
        FROM framework_node n
        LEFT JOIN framework_title t ON t.framework = n.framework AND t.code = n.code AND t.kind = 'title'
                                   AND t.lang = ?
        WHERE {' AND '.join(where)} ORDER BY n.sort_key""", params).fetchall()
    keys = ("code", "level", "parent", "title", "title_lang", "status")
    return [dict(zip(keys, row)) for row in rows]


def framework_levels(con, framework: str) -> list[str]:
    """The levels a framework's nodes have, from the root down (empty for an unknown framework)."""
    return [r[0] for r in con.execute("""SELECT level FROM framework_node WHERE framework = ?
                                         GROUP BY level ORDER BY min(sort_key)""",
                                      [framework]).fetchall()]


def state_fingerprint(con) -> str:
    """A short text that changes whenever what readers see may change: loads and removals
    (``load``), dataset preference, custom areas, the kept assessment and the contributions
    registry. Cheap (a few aggregates over small tables), so a server checks it per cache lookup."""
    row = con.execute("""
        SELECT (SELECT count(*) || ':' || coalesce(max(id), 0) FROM load),
               (SELECT string_agg(id || '=' || coalesce(precedence::VARCHAR, '') || coalesce(removed_at::VARCHAR, ''),
                                  ',' ORDER BY id) FROM dataset),
               (SELECT count(*) FROM area),
               (SELECT count(*) || ':' || coalesce(max(run_at)::VARCHAR, '') FROM progress_run),
               (SELECT count(*) || ':' || coalesce(max(changed_at)::VARCHAR, '') FROM contribution_change),
               (SELECT count(*) FROM contribution_record)""").fetchone()
    return "|".join("" if v is None else str(v) for v in row)
