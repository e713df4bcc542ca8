"""The annex as a workbook: one row per indicator of the framework (with data or not), values as
numbers shown at the precision the source wrote them, the written text beside each (``<2.5``,
``2021/22``); a sheet of the sources and one saying how the figures were chosen."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from .words import decimals_of

if TYPE_CHECKING:
    from .vnr import Annex

# (table column, header words, kind): kind "value" cells are numbers with the series' decimals
SHEET_COLUMNS = (
    ("goal", "col_goal", "text"),
    ("target", "col_target", "text"),
    ("indicator", "col_indicator", "text"),
    ("title", "col_title", "text"),
    ("series", "col_series", "text"),
    ("description", "col_description", "text"),
    ("unit_label", "col_unit", "text"),
    ("dataset", "col_dataset", "text"),
    ("source_kind", "col_source", "kind"),
    ("source_organisation", "col_source_organisation", "text"),
    ("baseline_period", ("col_baseline", "col_year"), "text"),
    ("baseline_value", ("col_baseline", "col_value"), "value"),
    ("baseline_text", ("col_baseline", None), "text"),
    ("latest_period", ("col_latest", "col_year"), "text"),
    ("latest_value", ("col_latest", "col_value"), "value"),
    ("latest_text", ("col_latest", None), "text"),
    ("world_year", ("col_world", "col_year"), "int"),
    ("world_value", ("col_world", "col_value"), "world"),
    ("world_unit_label", ("col_world", "col_unit"), "text"),
    ("world_series", ("col_world", "col_series"), "text"),
    ("status_text", "col_progress", "text"),
    ("method", "col_method", "text"),
    ("target_source", "col_target_source", "text"),
    ("other_series", "col_other_series", "int"),
)


def write_xlsx(annex: Annex, path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    t = annex.words
    wb = Workbook()
    ws = wb.active
    ws.title = t("sheet_indicators")[:31]
    if t.dir == "rtl":
        ws.sheet_view.rightToLeft = True
    headers = [_header(t, h) for _col, h, _kind in SHEET_COLUMNS]
    ws.append(headers)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.freeze_panes = "D2"
    table = annex.table
    kinds = {k: t(f"source.{k}") for k in ("national", "subnational", "city", "global", "other")}
    for i, r in enumerate(table.to_dict("records"), start=2):
        row = []
        for col, _h, kind in SHEET_COLUMNS:
            v = r[col]
            if kind == "kind":
                v = kinds.get(v, v) if isinstance(v, str) else None
            elif kind in ("value", "world", "int"):
                v = None if v is None or pd.isna(v) else (int(v) if kind == "int" else float(v))
            elif v is None or (not isinstance(v, str) and pd.isna(v)):
                v = None
            row.append(v)
        ws.append(row)
        _as_text(ws[i])
        for j, (col, _h, kind) in enumerate(SHEET_COLUMNS, start=1):
            if kind in ("value", "world") and row[j - 1] is not None:
                # one value: the decimals it was written with; a mean: its series' precision
                n = 1 if kind == "world" else _int(r[col.replace("_value", "_n")])
                decimals = decimals_of(row[j - 1]) if n == 1 else _int(r["decimals"])
                ws.cell(row=i, column=j).number_format = "#,##0" + ("." + "0" * decimals if decimals else "")
    for j, (col, _h, _k) in enumerate(SHEET_COLUMNS, start=1):
        width = 40 if col in ("title", "description") else 12
        ws.column_dimensions[ws.cell(row=1, column=j).column_letter].width = width
    ws.auto_filter.ref = ws.dimensions

    src = wb.create_sheet(t("sheet_sources")[:31])
    src.append([t("col_dataset"), t("col_title"), t("col_source"), "publisher", "licence", t("col_series")])
    for cell in src[1]:
        cell.font = Font(bold=True)
    for d in annex.datasets:
        src.append([d["id"], d["title"], d["kind_text"], d["publisher"], d["licence"], d["series"]])
        _as_text(src[src.max_row])

    about = wb.create_sheet(t("sheet_about")[:31])
    c = annex.counts
    for line in (
        f"{t('title')}: {annex.area_name} ({annex.area})",
        t("coverage", with_data=c["with_data"], total=c["total"], area=annex.area_name, assessed=c["assessed"]),
        t("prepared", date=annex.generated),
        *annex.method_lines(),
    ):
        about.append([line])
        _as_text(about[about.max_row])
    about.column_dimensions["A"].width = 150
    wb.properties.title = f"{t('title')}: {annex.area_name}"
    wb.properties.language = annex.lang
    wb.save(str(path))


def _as_text(cells) -> None:
    """Text stays text: openpyxl stores a string starting with '=' as a formula, and a series
    description or dataset title is whatever a source wrote (a spreadsheet would run it)."""
    for cell in cells:
        if isinstance(cell.value, str) and cell.data_type == "f":
            cell.data_type = "s"


def _header(t, h) -> str:
    if isinstance(h, tuple):
        first, second = h
        return t(first) if second is None else f"{t(first)}: {t(second)}"
    return t(h)


def _int(v) -> int:
    return 0 if v is None or pd.isna(v) else int(v)
