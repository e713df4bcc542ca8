"""Revisions of values and datasets side by side: the reads that compare versions and sources."""
from __future__ import annotations

import re

import pandas as pd

from .reads import OBSERVATION_COLUMNS


def revisions(con, where: list[str], params: list) -> pd.DataFrame:
    """Every version of the matching observations, current and earlier, oldest first per key.

    Columns: dataset, series, area, period, dims, unit, value, value_text, status (current,
    updated, removed), valid_from (when its load ran), valid_until (when it was replaced or
    removed), written_by and changed_by (users), load and superseded_load.
    """
    condition = " AND ".join(where) if where else "TRUE"
    cols = ", ".join(f"v.{c}" for c in OBSERVATION_COLUMNS if c not in ("is_headline", "source_file"))
    return con.execute(f"""
        WITH versions AS (
            SELECT o.*, NULL::INTEGER AS superseded_load, 'current' AS status FROM observation o WHERE {condition}
            UNION ALL
            SELECT o.* EXCLUDE (superseded_load, change), o.superseded_load, o.change
            FROM observation_history o WHERE {condition})
        SELECT {cols}, v.status, w.loaded_at AS valid_from, g.loaded_at AS valid_until,
               w.user_name AS written_by, g.user_name AS changed_by, v.superseded_load
        FROM versions v JOIN load w ON w.id = v.load_id LEFT JOIN load g ON g.id = v.superseded_load
        ORDER BY v.dataset, v.series, v.area, v.year, v.period, v.dims, v.unit, w.loaded_at, v.load_id""",
                       params + params).df()


def side_by_side(values: pd.DataFrame) -> pd.DataFrame:
    """Headline values of several datasets as columns per area and year, with differences.

    ``values`` has dataset, series, area, area_name, year, value, unit, rank (preference).
    Where datasets share series codes (the UN database and a national SDMX file using UN codes),
    those series are compared: one row per (series, area, year), a column per dataset. Where
    they share none (national codes such as ``GB:3.2.2:...`` beside the UN's), a column per
    dataset and series. Each column after the first (the preferred source) gets a
    ``<column> - <first>`` difference; ``attrs['units']`` gives each column's unit.
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
    wide = values.pivot_table(index=index, columns="column", values="value", aggfunc="mean",
                              dropna=False).reindex(columns=order)
    units = values.groupby("column")["unit"].agg(lambda u: ", ".join(sorted(set(u) - {""})))
    first = order[0]
    for column in order[1:]:
        if _comparable(units[first], units[column]):
            wide[f"{column} - {first}"] = wide[column] - wide[first]
    wide = wide.dropna(how="all", subset=order).reset_index()
    wide.columns.name = None
    wide.attrs["units"] = {c: units[c] for c in order}
    return wide


def _comparable(unit_a: str, unit_b: str) -> bool:
    """Whether a difference means something: the units name the same measure once case, spaces and
    punctuation are ignored ('Rate per 1,000 live births' ~ PER_1000_LIVE_BIRTHS; not NUMBER), or
    a unit is not given."""
    a, b = (re.sub(r"[^a-z0-9]", "", u.lower()) for u in (unit_a, unit_b))
    return not a or not b or a in b or b in a
