"""Like with like: which series of two datasets measure the same thing, and their values side by side.

Two series are compared only when they are the same series (one code in both datasets: the UN
database beside a national SDMX file using UN codes) or linked by a series crosswalk (a national
series mapped to a UN series: the rows of ``data/series_crosswalk.csv`` shipped with sdgtrack, and
rows the user loaded with ``sdgtrack framework crosswalk import`` naming framework ``series`` on
both sides), and only when their units name the same measure (``history._comparable``). Two series
of one indicator are not alike because they share an indicator: 3.2.1 holds infant and under-5
mortality, and a difference between them means nothing.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

import duckdb
import numpy as np
import pandas as pd

from .history import _comparable, _round

SERIES_FRAMEWORK = "series"  # the crosswalk's framework name for links between series codes
LONG_COLUMNS = [
    "area",
    "year",
    "dataset",
    "series",
    "unit",
    "value",
    "other_dataset",
    "other_series",
    "other_unit",
    "other_value",
    "difference",
    "match",
]


@lru_cache(maxsize=1)
def shipped_links() -> pd.DataFrame:
    """The series crosswalk shipped with sdgtrack: (series, other, source)."""
    with (resources.files("sdgtrack.store") / "data" / "series_crosswalk.csv").open(encoding="utf-8") as handle:
        table = pd.read_csv(handle, dtype=str, comment="#", keep_default_na=False)
    return table.rename(columns={"national_series": "series", "un_series": "other"})[["series", "other", "source"]]


def series_links(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every (series, other, source) link of the shipped and the user's series crosswalks, both ways."""
    loaded = con.execute(
        "SELECT from_code AS series, to_code AS other, coalesce(source, 'crosswalk') AS source FROM crosswalk "
        "WHERE from_framework = ? AND to_framework = ?",
        [SERIES_FRAMEWORK, SERIES_FRAMEWORK],
    ).df()
    links = pd.concat([shipped_links(), loaded], ignore_index=True)
    both = pd.concat([links, links.rename(columns={"series": "other", "other": "series"})], ignore_index=True)
    return both.drop_duplicates(["series", "other"]).reset_index(drop=True)


def like_with_like(values: pd.DataFrame, links: pd.DataFrame) -> pd.DataFrame:
    """Pairs of alike series of two datasets per area and year, the preferred dataset first.

    ``values``: headline values (dataset, series, area, year, value, unit, rank: lower is preferred).
    Returns :data:`LONG_COLUMNS`: for each pair, every year either has a value, ``difference`` =
    other_value - value where both have one, ``match`` = ``same series`` or ``crosswalk``."""
    if values.empty:
        return pd.DataFrame(columns=LONG_COLUMNS)
    # one unit per (dataset, series): the most frequent, as the headline reads pick it
    kinds = values.groupby(["dataset", "series"], as_index=False).agg(rank=("rank", "min"), unit=("unit", _main))
    left = kinds.rename(columns={"rank": "rank_a"})
    right = kinds.rename(columns={"dataset": "other_dataset", "series": "other_series", "unit": "other_unit",
                                  "rank": "rank_b"})  # fmt: skip
    same = left.merge(right, left_on="series", right_on="other_series").assign(match="same series")
    linked = (
        left.merge(links[["series", "other"]], on="series")
        .merge(right, left_on="other", right_on="other_series")
        .drop(columns="other")
        .assign(match="crosswalk")
    )
    pairs = pd.concat([same, linked], ignore_index=True)
    keep = (pairs["rank_a"].to_numpy() < pairs["rank_b"].to_numpy()) & (
        pairs["dataset"].to_numpy() != pairs["other_dataset"].to_numpy()
    )
    pairs = pairs[keep]
    if pairs.empty:
        return pd.DataFrame(columns=LONG_COLUMNS)
    alike = np.array([_comparable(a or "", b or "") for a, b in zip(pairs["unit"], pairs["other_unit"])], dtype=bool)
    pairs = pairs[alike].drop_duplicates(["dataset", "series", "other_dataset", "other_series"])
    if pairs.empty:
        return pd.DataFrame(columns=LONG_COLUMNS)
    mine = values.merge(kinds[["dataset", "series", "unit"]], on=["dataset", "series", "unit"])
    yearly = mine.groupby(["dataset", "series", "area", "year"], as_index=False).agg(value=("value", "mean"))
    facts = ["dataset", "series", "other_dataset", "other_series", "unit", "other_unit", "match", "rank_a"]
    pairs = pairs[facts]
    a = pairs.merge(yearly, on=["dataset", "series"])
    b = pairs.merge(
        yearly.rename(columns={"dataset": "other_dataset", "series": "other_series", "value": "other_value"}),
        on=["other_dataset", "other_series"],
    )
    # the areas and years of either side: a year only one dataset has shows with a blank beside it
    out = a.merge(b, on=[*facts, "area", "year"], how="outer")
    difference = out["other_value"].to_numpy(dtype=float) - out["value"].to_numpy(dtype=float)
    out["difference"] = [_round(x) for x in difference]  # 178.7 - 196 is -17.3, not -17.30000000000001
    out = out.sort_values(["rank_a", "series", "other_dataset", "other_series", "area", "year"], kind="stable")
    return out[LONG_COLUMNS].reset_index(drop=True)


def _main(units: pd.Series) -> str | None:
    counts = units.fillna("").value_counts()
    if counts.empty:
        return None
    top = counts[counts == counts.max()].index
    first = sorted(top)[0]  # two units as frequent as each other: the first by name, every read alike
    return first or None
