"""The annex as one self-contained HTML page (charts inlined as data URIs), and the page WeasyPrint
turns into the PDF (the progress chart as PNG there: WeasyPrint lacks some of Vega's SVG text)."""

from __future__ import annotations

import base64
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import jinja2

from . import charts

if TYPE_CHECKING:
    from .vnr import Annex


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("sdgtrack.report", "templates"),
        autoescape=jinja2.select_autoescape(["html"]),
        undefined=jinja2.StrictUndefined,
    )


def data_uri(data: bytes | str, mime: str) -> str:
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return f"data:{mime};base64,{base64.b64encode(raw).decode()}"


def status_colours(method: str) -> dict[str, str]:
    from ..registries import PROGRESS_METHODS
    from ..vocabulary import PROGRESS_NO_DATA_COLOUR

    m = PROGRESS_METHODS.get(method)
    best = next(iter(m.COLOURS.values()))
    return {**m.COLOURS, "target_met": best, m.INSUFFICIENT: PROGRESS_NO_DATA_COLOUR}


def css_string(text: str) -> str:
    """``text`` inside a CSS string: letters as they are, everything else as a hex escape (an area
    name is user text; a quote, backslash or ``</style>`` in it must not end the string)."""
    return "".join(c if c.isalnum() or c == " " else f"\\{ord(c):x} " for c in text)


def render_html(annex: Annex, *, for_pdf: bool = False) -> str:
    t = annex.words
    if annex.chart is None:
        chart_src = ""
    elif for_pdf:
        chart_src = data_uri(charts.chart_png(annex.chart), "image/png")
    else:
        chart_src = data_uri(charts.chart_svg(annex.chart), "image/svg+xml")
    trends = {
        ind: data_uri(charts.trend_svg(years, values, f"{t('col_trend')} {ind}"), "image/svg+xml")
        for ind, (years, values) in annex.trends.items()
    }
    kinds = {k: t(f"source.{k}") for k in ("national", "subnational", "city", "global", "other")}
    return (
        _environment()
        .get_template("vnr_annex.html")
        .render(
            t=t,
            lang=annex.lang,
            dir=t.dir,
            area_name=annex.area_name,
            generated=annex.generated,
            counts=annex.counts,
            goals=annex.goals,
            chart_src=chart_src,
            chart_notes=annex.chart_notes,
            trends=trends,
            kind_words=kinds,
            colours=status_colours(annex.method["name"]),
            datasets=annex.datasets,
            method_lines=annex.method_lines(),
            for_pdf=for_pdf,
            footer_css=css_string(f"{annex.area_name} · {t('title')} · "),
        )
    )


def write_html(annex: Annex, path: Path) -> None:
    path.write_text(render_html(annex), encoding="utf-8")
