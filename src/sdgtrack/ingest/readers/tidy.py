"""The documented tidy CSV (or Excel sheet): one row per observation.

Required columns: ``series, area, year, value``. Optional: ``indicator, unit, nature, source,
footnote`` (and ``obs_status``, ``series_description``). Every other column is a disaggregation
dimension; a blank cell means total. ``year`` may be a period such as ``2021/22`` or ``2000 Q1``.
See docs/ingest.md.
"""

from __future__ import annotations

from pathlib import Path

from ..long_table import LongLayout
from ..registry import ReadResult, register

LAYOUT = LongLayout(
    columns={
        "series": "series",
        "area_raw": "area",
        "period": "year",
        "value_raw": "value",
        "indicator": "indicator",
        "unit": "unit",
        "nature": "nature",
        "obs_status": "obs_status",
        "source": "source",
        "footnote": "footnote",
        "series_description": "series_description",
    },
    not_dimensions=frozenset(),
    what="tidy layout: series, area, year, value",
)


class TidyReader:
    name = "tidy"
    summary = "tidy CSV/Excel"
    description = "tidy CSV/Excel: series, area, year, value [+ indicator, unit, nature, source, footnote, dimensions]"
    priority = 30
    self_contained = True  # its rows depend on its file alone (ingest/fingerprint.py)
    columns = tuple(LAYOUT.required)  # named in the message for a sheet of no known layout

    def detect(self, path: Path) -> bool:
        return LAYOUT.matches(path)

    def read(self, con, path: Path, staging: str, options: dict) -> ReadResult:
        return LAYOUT.stage(con, path, staging)


register(TidyReader())
