"""UN SDG Global Database downloads (CSV, gzip CSV, Excel), in the database's long layout.

Columns: Goal, Target, Indicator, SeriesCode, SeriesDescription, GeoAreaCode, GeoAreaName,
TimePeriod, Value, attribute columns (Units, Nature, Source, FootNote ...) and one column per
disaggregation dimension (Sex, Age, Location ...). Every column that is not a key or a known
attribute is a dimension, so new UN dimensions need no code change.
"""
from __future__ import annotations

from pathlib import Path

from ..canonical import CANONICAL_NAMES, dims_sql, sql_str
from ..registry import ReadResult, register
from ..tables import Source, column_or_null, csv_header, excel_header, is_csv, is_excel, require_columns

REQUIRED = ["SeriesCode", "GeoAreaCode", "TimePeriod", "Value"]
# Columns of the UN download that are not disaggregation dimensions.
NON_DIMENSIONS = {
    "Goal", "Target", "Indicator", "SeriesCode", "SeriesDescription", "GeoAreaCode", "GeoAreaName",
    "TimePeriod", "Value", "Time_Detail", "TimeCoverage", "UpperBound", "LowerBound", "BasePeriod",
    "Source", "GeoInfoUrl", "FootNote", "Units", "Nature", "Observation Status", "Unit multiplier",
}


class UnsdReader:
    name = "unsd"
    description = "UN SDG Global Database download (CSV, CSV.GZ or Excel)"
    priority = 20

    def detect(self, path: Path) -> bool:
        if path.is_dir():
            return False
        header = csv_header(path) if is_csv(path) else excel_header(path) if is_excel(path) else []
        return all(c in header for c in REQUIRED)

    def read(self, con, path: Path, staging: str, options: dict) -> ReadResult:
        source = Source(con, path)
        columns = source.columns
        require_columns(path, columns, REQUIRED, "UN SDG Global Database layout")
        dims = [c for c in columns if c not in NON_DIMENSIONS]
        col = lambda name: column_or_null(columns, name)  # noqa: E731
        # Rows with a blank Value are staged too: the loader counts and reports them.
        source.insert(f"""
            INSERT INTO {staging} ({", ".join(CANONICAL_NAMES)})
            SELECT trim(SeriesCode), {col("SeriesDescription")}, nullif(replace({col("Indicator")}, ' ', ''), ''),
                   trim(GeoAreaCode), trim(TimePeriod), trim(Value), coalesce(trim({col("Units")}), ''),
                   nullif(nullif(trim({col("Nature")}), ''), 'NOTSPEC'), nullif(trim({col("Observation Status")}), ''),
                   nullif(trim({col("Source")}), ''), nullif(trim({col("FootNote")}), ''),
                   {dims_sql(dims)}, {sql_str(str(path))}, __line
            FROM {source.relation}""")
        source.close()
        result = ReadResult()
        if dims:
            result.notes.append(f"{path.name}: dimensions {', '.join(sorted(dims))}")
        return result


register(UnsdReader())
