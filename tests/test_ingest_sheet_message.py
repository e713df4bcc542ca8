"""A sheet of no known layout (``Indicator, Country, Year, Value``) gets one message naming the file,
the columns it has, the columns each sheet format expects and the renames that make it tidy, from
the CLI and the API, for CSV and Excel; nothing is loaded."""

from __future__ import annotations

import pytest
from openpyxl import Workbook

import sdgtrack
from sdgtrack.errors import InvalidInputError

from .test_ingest_core import run_cli

ROWS = [["Indicator", "Country", "Year", "Value"], ["3.2.1", "Kenya", 2015, 41.0]]


def _sheet(tmp_path, kind: str):
    if kind == "csv":
        path = tmp_path / "mortality.csv"
        path.write_text("\n".join(",".join(str(c) for c in row) for row in ROWS) + "\n", encoding="utf-8")
    else:
        path = tmp_path / "mortality.xlsx"
        book = Workbook()
        for row in ROWS:
            book.active.append(row)
        book.save(path)
    return path


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_sheet_message_names_columns_found_and_expected(tmp_path, kind):
    path = _sheet(tmp_path, kind)
    with sdgtrack.open(tmp_path / "store.duckdb") as ws:
        with pytest.raises(InvalidInputError) as info:
            ws.ingest([path])
        assert ws.datasets().empty  # nothing loaded
    message = str(info.value)
    assert f"{path}: got 'columns Indicator, Country, Year, Value'" in message
    assert "tidy CSV/Excel: series, area, year, value (missing series, area, year, value)" in message
    assert "UN SDG Global Database download: SeriesCode, GeoAreaCode, TimePeriod, Value" in message
    assert "rename Country -> area, Year -> year, Value -> value" in message
    assert "expected a file in a known format" not in message


def test_sheet_message_from_the_cli(tmp_path):
    result = run_cli("ingest", str(_sheet(tmp_path, "csv")), db_path=tmp_path / "cli.duckdb")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "mortality.csv: got 'columns Indicator, Country, Year, Value'" in result.stderr
    assert "1 problem; nothing was loaded" in result.stderr


def test_renamed_sheet_loads(tmp_path):
    """The renames the message gives, with a series column, are all the file needed."""
    path = tmp_path / "tidy.csv"
    path.write_text("series,indicator,area,year,value\nSH_DYN_MORT,3.2.1,Kenya,2015,41\n", encoding="utf-8")
    with sdgtrack.open(tmp_path / "store.duckdb") as ws:
        report = ws.ingest([path])
    assert report.new == 1
