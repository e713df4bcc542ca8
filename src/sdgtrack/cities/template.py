"""The collection template: one row per KPI or data point, as cities fill it in for U4SSC verification.

Columns: code, data_point, name, dimension, category, type, unit, formula, numerator,
denominator, value, status, data_source, year, comment. ``sdgtrack city import`` reads the same
layout back (CSV, or the ``KPIs`` sheet of the workbook).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..errors import UserInputError
from ..frameworks import u4ssc
from . import collect

COLUMNS = [
    "code",
    "data_point",
    "name",
    "dimension",
    "category",
    "type",
    "unit",
    "formula",
    "numerator",
    "denominator",
    "value",
    "status",
    "data_source",
    "year",
    "comment",
]
INPUT_COLUMNS = ("numerator", "denominator", "value", "status", "data_source", "year", "comment")
INSTRUCTIONS = [
    "U4SSC Key Performance Indicators for Smart Sustainable Cities (ITU-T Y.4903): data collection",
    "",
    "One row per KPI, or per data point for KPIs that have several (air pollutants, mode share, waste treatment).",
    "Fill in: value (or numerator and denominator where the formula is a ratio: the value is computed),",
    "status (reported, not_reported, not_verified), data_source, year and a comment if needed.",
    "Percentages are numbers between 0 and 100 (84.5, not 0.845); yes/no KPIs take yes or no.",
    "Leave value blank and set status not_reported for a KPI the city does not report.",
    "Load it with: sdgtrack city import FILE --city NAME --country M49 [--year Y]",
]


def template_frame(year: int | None = None) -> pd.DataFrame:
    rows = u4ssc.rows()
    frame = pd.DataFrame(
        {
            "code": rows["kpi"],
            "data_point": rows["data_point"],
            "name": rows["name"],
            "dimension": rows["dimension"],
            "category": rows["category"],
            "type": rows["type"],
            "unit": rows["unit"],
            "formula": [f if s else f"{f} (give the value)" for f, s in zip(rows["formula"], rows["scale"])],
        }
    )
    for c in INPUT_COLUMNS:
        frame[c] = ""
    if year is not None:
        frame["year"] = str(year)
    return frame[COLUMNS]


def write_template(path: str | Path, year: int | None = None) -> Path:
    """Write the template as .csv or .xlsx (by suffix)."""
    path = Path(path)
    frame = template_frame(year)
    suffix = path.suffix.lower()
    try:
        if suffix == ".csv":
            frame.to_csv(path, index=False, encoding="utf-8")
        elif suffix == ".xlsx":
            _write_xlsx(frame, path)
        else:
            raise UserInputError(f"template file {path}: expected a name ending in .xlsx or .csv")
    except OSError as exc:
        raise UserInputError(f"cannot write {path}: {exc}") from None
    return path


def _write_xlsx(frame: pd.DataFrame, path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    sheet = book.active
    sheet.title = collect.TEMPLATE_SHEET
    sheet.append(COLUMNS)
    year_at = COLUMNS.index("year")
    for row in frame.itertuples(index=False):
        cells = list(row)
        cells[year_at] = int(cells[year_at]) if cells[year_at] else None  # a number cell, as a city types it
        sheet.append(cells)
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="FFF2CC")
    for cell in sheet[1]:
        cell.font = bold
    widths = {
        "code": 16,
        "data_point": 11,
        "name": 46,
        "dimension": 18,
        "category": 26,
        "type": 9,
        "unit": 22,
        "formula": 50,
        "data_source": 30,
        "comment": 30,
    }
    for i, name in enumerate(COLUMNS, start=1):
        letter = sheet.cell(row=1, column=i).column_letter
        sheet.column_dimensions[letter].width = widths.get(name, 12)
        if name in INPUT_COLUMNS:  # the cells a city fills in stand out
            for (cell,) in sheet.iter_rows(min_row=2, max_row=len(frame) + 1, min_col=i, max_col=i):
                cell.fill = fill
    status_col = sheet.cell(row=1, column=COLUMNS.index("status") + 1).column_letter
    choice = DataValidation(type="list", formula1='"' + ",".join(collect.STATUSES) + '"', allow_blank=True)
    choice.add(f"{status_col}2:{status_col}{len(frame) + 1}")
    sheet.add_data_validation(choice)
    sheet.freeze_panes = "C2"
    notes = book.create_sheet("Instructions")
    for line in INSTRUCTIONS:
        notes.append([line])
    notes.column_dimensions["A"].width = 110
    book.save(path)
