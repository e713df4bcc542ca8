"""What a Dask worker runs: module-level functions (Dask pickles them by name), each opening only
the series folders it is given and calling the analyses' own functions on them."""

from __future__ import annotations

import zlib
from pathlib import Path

import numpy as np
import pandas as pd

from ..links.statistical import LinkParameters, LinkPart, area_links, link_values, series_datasets
from ..progress.assess import assess_series
from ..store.parquet import partition_store


def area_groups(areas: pd.Series, n_groups: int) -> np.ndarray:
    """The group (0 .. n_groups - 1) of each area: from a hash of its code, so every worker puts an
    area in the same group without asking anyone."""
    codes, uniques = pd.factorize(areas)
    group_of = np.array([zlib.crc32(str(u).encode("utf-8")) % n_groups for u in uniques], dtype=np.int64)
    return group_of[codes] if len(codes) else np.zeros(0, dtype=np.int64)


def link_values_part(
    root: str, series: list[str], n_groups: int, *, areas=None, codes=None, start=None, end=None, datasets=None
) -> dict:
    """Headline values of some series (every area of them is in their folders, so each series' main
    unit is the one the whole store gives), split into the area groups of the next step."""
    db = partition_store(Path(root), series)
    try:
        values = link_values(db, areas=areas, series=codes, start=start, end=end, datasets=datasets)
    finally:
        db.close()
    group = area_groups(values["area"], n_groups)
    return {
        "datasets": series_datasets(values),
        "groups": [values[group == k].reset_index(drop=True) for k in range(n_groups)],
    }


def group_of(part: dict, k: int) -> pd.DataFrame:
    """One area group's values from a series task's result (runs where that result is)."""
    return part["groups"][k]


def links_part(frames: list[pd.DataFrame], directions: pd.DataFrame, params: LinkParameters) -> LinkPart:
    """The pairs of one group of areas, from its values gathered from every series task."""
    values = pd.concat(frames, ignore_index=True)
    return area_links(values, directions, params)


def progress_part(
    root: str, series: list[str], method: str, *, targets=None, areas=None, codes=None, datasets=None, params=None
) -> pd.DataFrame:
    """The assessment of some series x every area, by the function a local run calls."""
    db = partition_store(Path(root), series)
    try:
        return assess_series(
            db, method, targets=targets, areas=areas, series=codes, datasets=datasets, **(params or {})
        )
    finally:
        db.close()
