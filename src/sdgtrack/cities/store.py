"""Reads of city KPI values from the store, through the ``Database`` facade (no SQL of its own).

A city is an area of kind ``city``; its KPI values are observations of ``U4SSC:`` series with the
data point as the ``data_point`` dimension.
"""

from __future__ import annotations

import pandas as pd

from ..errors import UserInputError
from ..frameworks import u4ssc


def city_area(db, city: str) -> dict:
    """The city's area row (code, name, parent, parent_name) for any name the resolver knows."""
    try:
        code = db.resolve_area(city)
    except UserInputError:  # a city not imported yet is no area at all: say so as a city
        code = None
    cities = db.areas(kind="city")
    hit = cities[cities["code"] == code]
    if hit.empty:
        names = ", ".join(cities["name"].tolist()) or "none yet: load one with `sdgtrack city import`"
        raise UserInputError(f"{city!r} is not a city in this store; expected one of: {names}")
    return hit.iloc[0][["code", "name", "parent", "parent_name"]].to_dict()


def city_values(db, area: str) -> pd.DataFrame:
    """The latest value of every U4SSC KPI and data point the city has, one row per key.

    Columns: key, value, status, year, years (all years held), source, comment.
    """
    from .importer import dataset_id

    # only the city's own return: another dataset holding the city area is not its U4SSC report
    # (has_dataset, not datasets(): listing datasets counts every observation of the store)
    if not db.has_dataset(dataset_id(area)):
        return pd.DataFrame(columns=["key", "value", "status", "year", "years", "source", "comment"])
    obs = db.observations(None, areas=[area], all_disaggregations=True, datasets=[dataset_id(area)])
    obs = obs[obs["series"].str.startswith(u4ssc.SERIES_PREFIX)]
    cols = ["key", "value", "status", "year", "years", "source", "comment"]
    if obs.empty:
        return pd.DataFrame(columns=cols)
    point = obs["dims"].str.extract(rf"(?:^|\|){u4ssc.DATA_POINT_DIM}=([^|]*)")[0].fillna("")
    obs = obs.assign(
        key=obs["series"].map(u4ssc.kpi_of_series) + point.map(lambda p: f"/{p}" if p else ""),
        status=obs["obs_status"].fillna("reported"),
        comment=obs["footnote"],
    )
    years = obs.groupby("key")["year"].agg(lambda s: ", ".join(str(y) for y in sorted(set(s)))).rename("years")
    latest = obs.sort_values(["key", "year"]).drop_duplicates("key", keep="last")
    return latest.merge(years, on="key")[cols].reset_index(drop=True)
