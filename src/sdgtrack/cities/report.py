"""The city report: summary, benchmarking wheel, results per dimension, KPIs not reported or not
verified, SDG links, next steps and the method, as one self-contained HTML page or a PDF.

The page is ``templates/city_report.html`` (Jinja2); the wheel is rendered by
``sdgtrack.charts`` and embedded, so the file needs nothing else. PDF uses WeasyPrint (the
``pdf`` extra) and the system's Pango and fonts.
"""

from __future__ import annotations

import base64
import datetime as dt
import math
import tempfile
from pathlib import Path

import jinja2
import pandas as pd

from ..charts import render
from ..errors import UserInputError
from ..frameworks import crosswalk, u4ssc
from ..pdf import weasyprint as load_weasyprint
from . import charts, scoring
from .assess import CityScore

REPORT_SUFFIXES = (".html", ".pdf")


def report_context(score: CityScore, links: pd.DataFrame) -> dict:
    """Everything the page shows, as plain values (the template only lays it out)."""
    k = score.kpis.copy()
    k["value_text"] = [_value_text(v, u, s) for v, u, s in zip(k["value"], k["unit"], k["status"])]
    k["target_text"] = [("N/A" if pd.isna(t) else f"{t:g}") for t in k["target"]]
    k["attainment_text"] = [_pct(a, n) for a, n in zip(k["attainment"], k["note"])]
    k["colour"] = [charts.COLOURS.get(b) if b else "" for b in k["band"]]
    with_data = k[k["status"] != "no_data"]
    dims = []
    for dim, rows in with_data.groupby("dimension", sort=False):
        cats = score.rollups[(score.rollups["level"] == "category") & (score.rollups["dimension"] == dim)]
        dims.append(
            {
                "name": dim,
                "rows": rows.to_dict("records"),
                "categories": _roll_records(cats),
                "score": _roll_records(
                    score.rollups[(score.rollups["level"] == "dimension") & (score.rollups["name"] == dim)]
                )[0],
            }
        )
    no_data = (
        k[k["status"] == "no_data"]
        .groupby(["dimension", "category"], sort=False)["name"]
        .agg(lambda s: "; ".join(s))
        .reset_index()
        .to_dict("records")
    )
    reported_kpis = set(with_data.loc[with_data["status"] != "not_reported", "kpi"])
    sdg = _sdg_table(links, reported_kpis)
    used_targets = (
        k[k["points"].notna()][["key", "name", "target", "direction", "target_source"]]
        .drop_duplicates("key")
        .to_dict("records")
    )
    return {
        "city": score.city,
        "method": score.method,
        "generated": dt.date.today().isoformat(),
        "dimensions": dims,
        "dimension_scores": _roll_records(score.rollups[score.rollups["level"] == "dimension"]),
        "not_reported": k[k["status"] == "not_reported"].to_dict("records"),
        "not_verified": k[k["status"] == "not_verified"].to_dict("records"),
        "no_data": no_data,
        "no_data_count": int((k["status"] == "no_data").sum()),
        "next_steps": k[k["points"].isin([1, 2])].to_dict("records"),
        "sdg_links": sdg["rows"],
        "sdg_goals": sdg["goals"],
        "targets": used_targets,
        "bands": list(zip(scoring.BANDS[::-1], [charts.COLOURS[b] for b in scoring.BANDS[::-1]])),
        "colours": charts.COLOURS,
    }


def _roll_records(frame: pd.DataFrame) -> list[dict]:
    out = []
    for r in frame.to_dict("records"):
        r["percent_text"] = "" if pd.isna(r["percent"]) else f"{r['percent']:.2f}%"
        r["colour"] = charts.COLOURS.get(r["band"], charts.COLOURS[charts.NOT_SCORED])
        out.append(r)
    return out


def _value_text(v, unit: str, status: str) -> str:
    if pd.isna(v):
        return {"not_reported": "Not reported", "not_verified": "Not verified"}.get(status, "")
    if unit.startswith("yes/no"):
        return "Yes" if v == 1 else "No"
    text = f"{v:,.2f}".rstrip("0").rstrip(".") if abs(v) < 1e6 else f"{v:,.0f}"
    if unit == "%":
        return f"{text}%"
    return text if unit == "0-1" else f"{text} {unit}"  # a Gini coefficient needs no unit


def _pct(a, note: str) -> str:
    if pd.isna(a):
        return ""
    return "target met" if math.isinf(a) else f"{a:.1f}%"


def _sdg_table(links: pd.DataFrame, reported: set[str]) -> dict:
    """Per KPI with data: ITU's SDG references and the KS mapping; and the goals they touch."""
    if links.empty:
        return {"rows": [], "goals": []}
    mine = links[links["from_code"].isin(reported)]
    names = u4ssc.kpi_table().set_index("code")["name"]
    rows = []

    def codes(frame: pd.DataFrame) -> str:
        # 5, 9, 17 and 11.2, 11.a: numbers in number order
        key = [tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in c.split(".")) for c in frame["to_code"]]
        return ", ".join(c for _, c in sorted(zip(key, frame["to_code"])))

    for code, g in mine.groupby("from_code", sort=False):
        rows.append(
            {
                "kpi": code,
                "name": names.get(code, code),
                "itu": codes(g[g["relation"] == "sdg_reference"]),
                "ks": codes(g[g["relation"] == "ks_mapping"]),
                "other": codes(g[~g["relation"].isin(["sdg_reference", "ks_mapping"])]),
            }
        )
    goal = mine["to_code"].str.split(".").str[0]
    goals = (
        mine.assign(goal=goal.astype(int))
        .groupby("goal")["from_code"]
        .nunique()
        .sort_index()
        .reset_index(name="kpis")
        .to_dict("records")
    )
    order = {c: i for i, c in enumerate(u4ssc.kpi_table()["code"])}
    rows.sort(key=lambda r: order.get(r["kpi"], 10_000))
    return {"rows": rows, "goals": goals}


def _environment() -> jinja2.Environment:
    loader = jinja2.PackageLoader("sdgtrack.cities", "templates")
    return jinja2.Environment(loader=loader, autoescape=jinja2.select_autoescape(["html"]))


def render_html(score: CityScore, links: pd.DataFrame, *, for_pdf: bool = False) -> str:
    context = report_context(score, links)
    chart = charts.wheel_chart(score.kpis, score.rollups)
    with tempfile.TemporaryDirectory(prefix="sdgtrack-report-") as tmp:
        # PDF: a PNG of the wheel (WeasyPrint's SVG support lacks some of Vega's text features)
        suffix = ".png" if for_pdf else ".svg"
        path = render(chart, Path(tmp) / f"wheel{suffix}")
        data = path.read_bytes()
    mime = "image/png" if for_pdf else "image/svg+xml"
    context["wheel_src"] = f"data:{mime};base64,{base64.b64encode(data).decode()}"
    context["for_pdf"] = for_pdf
    return _environment().get_template("city_report.html").render(**context)


def write_report(score: CityScore, links: pd.DataFrame, path: str | Path) -> Path:
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in REPORT_SUFFIXES:
        raise UserInputError(f"report file {path}: expected a name ending in {' or '.join(REPORT_SUFFIXES)}")
    if suffix == ".html":
        html = render_html(score, links)
        try:
            path.write_text(html, encoding="utf-8")
        except OSError as exc:
            raise UserInputError(f"cannot write {path}: {exc}") from None
        return path
    weasyprint = load_weasyprint("PDF reports", "the report as .html")
    html = render_html(score, links, for_pdf=True)
    try:
        weasyprint.HTML(string=html).write_pdf(path)
    except OSError as exc:
        raise UserInputError(f"cannot write {path}: {exc}") from None
    return path


def sdg_links(db) -> pd.DataFrame:
    """U4SSC -> SDG crosswalk rows (shipped ITU and KS links, and any imported ones)."""
    return crosswalk.links(db.con, u4ssc.FRAMEWORK, to_framework="sdg")
