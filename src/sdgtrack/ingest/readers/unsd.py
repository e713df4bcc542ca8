"""UN SDG Global Database downloads (CSV, gzip CSV, Excel), in the database's long layout.

Columns: Goal, Target, Indicator, SeriesCode, SeriesDescription, GeoAreaCode, GeoAreaName,
TimePeriod, Value, attribute columns (Units, Nature, Source, FootNote ...) and one column per
disaggregation dimension (Sex, Age, Location ...). Every column that is not a key or a known
attribute is a dimension, so new UN dimensions need no code change. ``Reporting Type`` ``G``
is staged blank (see LAYOUT), so the Excel download and the CSV without that column agree.
"""

from __future__ import annotations

from pathlib import Path

from ..datasets import DatasetInfo
from ..long_table import LongLayout
from ..registry import ReadResult, register

LAYOUT = LongLayout(
    columns={
        "series": "SeriesCode",
        "series_description": "SeriesDescription",
        "indicator": "Indicator",
        "area_raw": "GeoAreaCode",
        "period": "TimePeriod",
        "value_raw": "Value",
        "unit": "Units",
        "nature": "Nature",
        "obs_status": "Observation Status",
        "source": "Source",
        "footnote": "FootNote",
    },
    # descriptive columns of the download that are neither stored nor dimensions
    not_dimensions=frozenset(
        {
            "Goal",
            "Target",
            "GeoAreaName",
            "Time_Detail",
            "TimeCoverage",
            "UpperBound",
            "LowerBound",
            "BasePeriod",
            "GeoInfoUrl",
            "Unit multiplier",
        }
    ),
    what="UN SDG Global Database layout",
    # Reporting Type G (data the UN compiles, the database's default) is what a download without
    # the column holds too (the 2020 CSV): staged blank so both give the same keys; N stays.
    blank_equivalents={"Reporting Type": ("G",)},
)
REQUIRED = LAYOUT.required
NON_DIMENSIONS = set(LAYOUT.columns.values()) | LAYOUT.not_dimensions


class UnsdReader:
    name = "unsd"
    summary = "UN SDG Global Database download"
    description = "UN SDG Global Database download (CSV, CSV.GZ or Excel)"
    priority = 20
    self_contained = True  # its rows depend on its file alone (ingest/fingerprint.py)
    columns = tuple(LAYOUT.required)

    def detect(self, path: Path) -> bool:
        return LAYOUT.matches(path)

    def read(self, con, path: Path, staging: str, options: dict) -> ReadResult:
        return LAYOUT.stage(con, path, staging)

    def default_dataset(self, path: Path) -> DatasetInfo:
        # Every download (the whole database, one goal's Excel sheet) is part of one collection.
        return DatasetInfo("unsd", "UN SDG Global Database", "global", "UN Statistics Division")


register(UnsdReader())
