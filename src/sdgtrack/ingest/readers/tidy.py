"""The documented tidy CSV (or Excel sheet): one row per observation.

Required columns: ``series, area, year, value``. Optional: ``indicator, unit, nature, source,
footnote`` (and ``obs_status``). Every other column is a disaggregation dimension; a blank cell
means total. ``year`` may be a period such as ``2021/22`` or ``2000 Q1``. See docs/ingest.md.
"""
from __future__ import annotations

from pathlib import Path

from ..canonical import CANONICAL_NAMES, dims_sql, sql_str
from ..registry import ReadResult, register
from ..tables import Source, column_or_null, csv_header, excel_header, is_csv, is_excel, require_columns

REQUIRED = ["series", "area", "year", "value"]
OPTIONAL = ["indicator", "unit", "nature", "obs_status", "source", "footnote", "series_description"]


class TidyReader:
    name = "tidy"
    description = "tidy CSV/Excel: series, area, year, value [+ indicator, unit, nature, source, footnote, dimensions]"
    priority = 30

    def detect(self, path: Path) -> bool:
        if path.is_dir():
            return False
        header = csv_header(path) if is_csv(path) else excel_header(path) if is_excel(path) else []
        return all(c in header for c in REQUIRED)

    def read(self, con, path: Path, staging: str, options: dict) -> ReadResult:
        source = Source(con, path)
        columns = source.columns
        require_columns(path, columns, REQUIRED, "tidy layout: series, area, year, value")
        dims = [c for c in columns if c not in REQUIRED + OPTIONAL]
        col = lambda name: column_or_null(columns, name)  # noqa: E731
        source.insert(f"""
            INSERT INTO {staging} ({", ".join(CANONICAL_NAMES)})
            SELECT trim(series), {col("series_description")}, nullif(replace({col("indicator")}, ' ', ''), ''),
                   trim(area), trim(year), trim(value), coalesce(trim({col("unit")}), ''),
                   nullif(trim({col("nature")}), ''), nullif(trim({col("obs_status")}), ''),
                   nullif(trim({col("source")}), ''), nullif(trim({col("footnote")}), ''),
                   {dims_sql(dims)}, {sql_str(str(path))}, __line
            FROM {source.relation}""")
        source.close()
        return ReadResult()


register(TidyReader())
