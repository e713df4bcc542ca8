"""Revisions of values and datasets side by side: the reads that compare versions and sources."""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

import duckdb
import pandas as pd

from .reads import OBSERVATION_COLUMNS


def revisions(con: duckdb.DuckDBPyConnection, where: list[str], params: list) -> pd.DataFrame:
    """Every version of the matching observations, current and earlier, oldest first per key.

    Columns: dataset, series, area, period, dims, unit, value, value_text, status (current,
    updated, removed), valid_from (when its load ran), valid_until (when it was replaced or
    removed), written_by and changed_by (users), load and superseded_load.
    """
    condition = " AND ".join(where) if where else "TRUE"
    shown = OBSERVATION_COLUMNS[: OBSERVATION_COLUMNS.index("load_id") + 1]  # the attributes are not revisions' concern
    cols = ", ".join(f"v.{c}" for c in shown if c not in ("is_headline", "source_file"))
    every = ", ".join(f"o.{c}" for c in OBSERVATION_COLUMNS)
    return con.execute(
        f"""
        WITH versions AS (
            SELECT {every}, NULL::INTEGER AS superseded_load, 'current' AS status FROM observation o WHERE {condition}
            UNION ALL  -- by name: migrations add columns to both tables, after different columns
            SELECT {every}, o.superseded_load, o.change FROM observation_history o WHERE {condition})
        SELECT {cols}, v.status, date_trunc('second', w.loaded_at) AS valid_from,
               date_trunc('second', g.loaded_at) AS valid_until,
               w.user_name AS written_by, g.user_name AS changed_by, v.superseded_load
        FROM versions v JOIN load w ON w.id = v.load_id LEFT JOIN load g ON g.id = v.superseded_load
        ORDER BY v.dataset, v.series, v.area, v.year, v.period, v.dims, v.unit, v.variant, w.loaded_at, v.load_id""",
        params + params,
    ).df()


def side_by_side(values: pd.DataFrame, links: pd.DataFrame | None = None) -> pd.DataFrame:
    """Headline values of several datasets as columns per area and year, with differences.

    ``values`` has dataset, series, area, area_name, year, value, unit, rank (preference).
    Where datasets share series codes (the UN database and a national SDMX file using UN codes),
    those series are compared: one row per (series, area, year), a column per dataset. Where
    they share none (national codes such as ``GB:3.2.2:...`` beside the UN's), a column per
    dataset and series. A column after the first (the preferred source) gets a
    ``<column> - <first>`` difference only when it measures the same thing: the same series, or
    series linked by ``links`` (the series crosswalk: series, other), in units naming the same
    measure. ``attrs['units']`` gives each column's unit.
    """
    if values.empty:
        return pd.DataFrame(columns=["series", "area", "area_name", "year"])
    sources = values.groupby("series")["dataset"].nunique()
    shared = sources[sources > 1].index
    if len(shared):
        values = values[values["series"].isin(shared)].assign(column=values["dataset"])
        index = ["series", "area", "area_name", "year"]
    else:
        values = values.assign(column=values["dataset"] + " " + values["series"])
        index = ["area", "area_name", "year"]
    order = values.groupby("column")["rank"].min().sort_values(kind="stable").index.tolist()
    wide = values.pivot_table(index=index, columns="column", values="value", aggfunc="mean", dropna=False).reindex(
        columns=order
    )
    units = values.groupby("column")["unit"].agg(lambda u: ", ".join(sorted(set(u) - {""})))
    series_of = values.groupby("column")["series"].first()
    linked = set() if links is None else set(zip(links["series"], links["other"]))
    first = order[0]
    for column in order[1:]:
        alike = series_of[column] == series_of[first] or (series_of[first], series_of[column]) in linked
        if alike and _comparable(units[first], units[column]):
            # rounded to 10 significant digits: 178.7 - 196 is -17.3, not -17.30000000000001
            wide[f"{column} - {first}"] = (wide[column] - wide[first]).map(_round)
    wide = wide.dropna(how="all", subset=order).reset_index()
    wide.columns.name = None
    wide.attrs["units"] = {c: units[c] for c in order}
    return wide


def _round(x: float) -> float:
    return float(f"{x:.10g}") if x == x else x


def _comparable(unit_a: str, unit_b: str) -> bool:
    """Whether a difference means something: both units name the same measure (the same text once
    case, spaces and punctuation are ignored, or synonyms in ``data/unit_synonyms.csv``: ``PT`` and
    ``PERCENT``; ``Rate per 1,000 live births`` and ``PER_1000_LIVE_BIRTHS``), or a unit is not
    given. ``CU_USD`` and ``CU_USD_M`` are not comparable."""
    a, b = _measure(unit_a), _measure(unit_b)
    return not a or not b or a == b


def _measure(unit: str) -> str:
    key = _normal(unit)
    return _synonyms().get(key, key)


def _normal(unit: str) -> str:
    return re.sub(r"[^a-z0-9]", "", unit.replace("%", "percent").lower())


@lru_cache(maxsize=1)
def _synonyms() -> dict[str, str]:
    with (resources.files("sdgtrack.store") / "data" / "unit_synonyms.csv").open(encoding="utf-8") as handle:
        table = pd.read_csv(handle, dtype=str, comment="#")
    return {_normal(u): _normal(m) for u, m in zip(table["unit"], table["measure"])}
