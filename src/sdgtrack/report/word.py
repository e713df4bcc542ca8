"""The annex as a Word document VNR teams finish themselves: real headings (Word's navigation pane
and its table of contents use them), a contents field Word refreshes with page numbers, tables of
text (not pictures of tables), the charts as pictures, landscape pages for the wide tables."""

from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING

from . import charts

if TYPE_CHECKING:
    from .vnr import Annex

COLUMNS = (
    "col_indicator",
    "col_series",
    "col_unit",
    "col_baseline",
    "col_latest",
    "col_world",
    "col_source",
    "col_progress",
    "col_trend",
)
WIDTHS_CM = (5.6, 5.2, 2.4, 2.0, 2.0, 2.2, 2.6, 2.4, 3.0)


def write_docx(annex: Annex, path: Path) -> None:
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.shared import Cm, Pt, RGBColor

    t = annex.words
    doc = Document()
    doc.core_properties.title = f"{t('title')}: {annex.area_name}"
    doc.core_properties.language = annex.lang
    doc.core_properties.author = "sdgtrack"
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(1.5))
    doc.styles["Normal"].font.size = Pt(9.5)

    doc.add_heading(t("title"), level=0)
    doc.add_paragraph(t("subtitle", area=annex.area_name))
    c = annex.counts
    doc.add_paragraph(
        t("coverage", with_data=c["with_data"], total=c["total"], area=annex.area_name, assessed=c["assessed"])
    )
    doc.add_paragraph(t("prepared", date=annex.generated))
    doc.add_page_break()

    doc.add_heading(t("contents"), level=1)
    headings = [t("progress_heading")] + [g["heading"] for g in annex.goals] + [t("sources_heading")]
    _contents_field(doc, headings)
    doc.add_page_break()

    doc.add_heading(t("progress_heading"), level=1)
    for n, note in enumerate(annex.chart_notes):
        doc.add_paragraph().add_run(note).bold = n == 0
    if annex.chart is not None:
        doc.add_picture(io.BytesIO(charts.chart_png(annex.chart)), width=Cm(25))
    else:
        doc.add_paragraph(t("no_chart", area=annex.area_name))

    kinds = {k: t(f"source.{k}") for k in ("national", "subnational", "city", "global", "other")}
    for g in annex.goals:
        doc.add_page_break()
        heading = doc.add_heading(g["heading"], level=1)
        colour = g["colour"]["colour"].lstrip("#")
        for run in heading.runs:
            run.font.color.rgb = RGBColor.from_string(colour.upper())
        doc.add_paragraph(g["counts"])
        if g["indicators"]:
            table = doc.add_table(rows=1, cols=len(COLUMNS))
            table.style = "Table Grid"
            _header(table.rows[0], [t(k) for k in COLUMNS])
            for r in g["indicators"]:
                cells = table.add_row().cells
                _text(cells[0], f"{r['indicator']} {r['title']}", bold_prefix=r["indicator"])
                # a global series' code is how people look it up; a national one's is the store's own key
                codes = [r["series"]] if r["source_kind"] == "global" else []
                series = "; ".join(codes + ([t("more_series", n=r["other_series"])] if r["other_series"] else []))
                _text(cells[1], r["description"] or r["series"], series)
                _text(cells[2], r["unit_label"] or "")
                _text(cells[3], r["baseline_text"], r["baseline_period"])
                _text(cells[4], r["latest_text"], r["latest_period"])
                world_note = str(r["world_year"]) if r["world_text"] else ""
                if r["world_text"] and r["world_unit_label"] and r["world_unit_label"] != r["unit_label"]:
                    world_note += f"; {r['world_unit_label']}"
                _text(cells[5], r["world_text"] or "–", world_note)
                kind = kinds.get(r["source_kind"], r["source_kind"] or "")
                if r["source_organisation"]:
                    kind += f": {r['source_organisation']}"
                _text(cells[6], kind, f"{r['dataset_title']} ({r['dataset']})")
                _text(cells[7], r["status_text"], r["method"] if r["status"] else "")
                years, values = annex.trends[r["indicator"]]
                svg = charts.trend_svg(years, values, f"{t('col_trend')} {r['indicator']}")
                cells[8].paragraphs[0].add_run().add_picture(io.BytesIO(charts.svg_to_png(svg)), width=Cm(2.7))
            for row in table.rows:
                for cell, width in zip(row.cells, WIDTHS_CM):
                    cell.width = Cm(width)
        doc.add_heading(t("without_data"), level=2)
        if g["without_data"]:
            for r in g["without_data"]:
                p = doc.add_paragraph(style="List Bullet")
                p.add_run(r["indicator"]).bold = True
                p.add_run(f" {r['title']}")
        else:
            doc.add_paragraph(t("all_with_data"))

    doc.add_page_break()
    doc.add_heading(t("sources_heading"), level=1)
    doc.add_heading(t("sources"), level=2)
    for d in annex.datasets:
        line = t("dataset_line", title=d["title"], id=d["id"], kind=d["kind_text"], series=d["series"])
        extra = [
            t("publisher", value=d["publisher"]) if d["publisher"] else "",
            t("licence", value=d["licence"]) if d["licence"] else "",
        ]
        doc.add_paragraph(" ".join([line] + [e + "." for e in extra if e]), style="List Bullet")
    doc.add_heading(t("methods"), level=2)
    for text in annex.method_lines():
        doc.add_paragraph(text, style="List Bullet")
    if t.dir == "rtl":
        _right_to_left(doc)
    doc.save(str(path))


def _header(row, labels: list[str]) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    for cell, text in zip(row.cells, labels):
        cell.text = ""
        cell.paragraphs[0].add_run(text).bold = True
    # repeated at the top of each page the table runs onto
    tr_pr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)


def _text(cell, text: str, small: str = "", bold_prefix: str = "") -> None:
    from docx.shared import Pt, RGBColor

    p = cell.paragraphs[0]
    if bold_prefix and text.startswith(bold_prefix):
        p.add_run(bold_prefix).bold = True
        p.add_run(text[len(bold_prefix) :])
    else:
        p.add_run(text or "")
    if small:
        run = cell.add_paragraph().add_run(small)
        run.font.size = Pt(7.5)
        run.font.color.rgb = RGBColor(0x44, 0x44, 0x44)


def _contents_field(doc, headings: list[str]) -> None:
    """A TOC field over headings 1-2 whose shown text, until Word refreshes it (it offers to on
    opening), is the list of headings."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    def fld(kind: str):
        el = OxmlElement("w:fldChar")
        el.set(qn("w:fldCharType"), kind)
        run = OxmlElement("w:r")
        run.append(el)
        return run

    first = doc.add_paragraph()
    first._p.append(fld("begin"))
    instr_run = OxmlElement("w:r")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = ' TOC \\o "1-1" \\h \\z \\u '
    instr_run.append(instr)
    first._p.append(instr_run)
    first._p.append(fld("separate"))
    first.add_run(headings[0])
    last = first
    for text in headings[1:]:
        last = doc.add_paragraph(text)
    last._p.append(fld("end"))
    settings = doc.settings.element
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    settings.append(update)


def _right_to_left(doc) -> None:
    """Arabic: every paragraph and table right to left (python-docx has no switch for it)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    body = doc.element.body
    for p in body.iter(qn("w:p")):
        p_pr = p.get_or_add_pPr()
        p_pr.insert(0, OxmlElement("w:bidi"))
        for r in p.iter(qn("w:r")):
            r.get_or_add_rPr().append(OxmlElement("w:rtl"))
    for tbl in body.iter(qn("w:tbl")):
        tbl.tblPr.append(OxmlElement("w:bidiVisual"))
