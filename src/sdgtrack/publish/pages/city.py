"""One page per city with U4SSC data and language, in the site's layout (``LANG/cities/CODE/``):
the city's scores per dimension, then per dimension its KPIs with value, target, attainment and
band, and the KPIs it did not report. The printable city report (``cities/CODE/report.html``,
English) is linked from it.

The interface is translated; the KPI names, dimension names and value words ("Not reported",
"target met") are the U4SSC list's and the city scorer's, in English.
"""

from __future__ import annotations

import pandas as pd

from ...vocabulary import CITY_BANDS, CITY_SHORT_BANDS
from ..site import Site
from .common import render


def _context(site: Site, code: str) -> dict:
    """The city report's content (``cities.report.report_context``), computed once per build."""
    key = f"pages.city.{code}"
    if key not in site.cache:
        score = site.workspace.city_score(code)
        site.cache[key] = {**site.workspace.city_report_context(score), "summary": score.method}
    return site.cache[key]  # type: ignore[return-value]


def band_class(band: object) -> str:
    """The CSS class of a score band: ``band-0`` (under 33% of target) to ``band-3`` (95%+), else
    ``band-none`` (nothing scored); the colours are the city report's (cities/charts.py)."""
    if isinstance(band, str) and band in CITY_BANDS:
        return f"band-{CITY_BANDS.index(band)}"
    return "band-none"


def band_text(band: object) -> str:
    """``95%+ of target`` -> ``95%+``: the band's short form, which reads the same in any language."""
    if isinstance(band, str) and band in CITY_BANDS:
        return CITY_SHORT_BANDS[CITY_BANDS.index(band)]
    return ""


def city_page(site: Site, lang: str, path: str, code: str) -> bytes:
    context = _context(site, code)
    dimensions = [
        {
            **d,
            "rows": [{**r, "band_class": band_class(r["band"]), "band_text": band_text(r["band"])} for r in d["rows"]],
            "score": {
                **d["score"],
                "band_class": band_class(d["score"]["band"]),
                "band_text": band_text(d["score"]["band"]),
            },
        }
        for d in context["dimensions"]
    ]
    scores = [
        {**s, "band_class": band_class(s["band"]), "band_text": band_text(s["band"])}
        for s in context["dimension_scores"]
    ]
    summary = context["summary"]
    return render(
        site,
        "city.html",
        lang,
        path,
        city=context["city"],
        summary={k: ("" if pd.isna(v) else v) if not isinstance(v, dict) else v for k, v in summary.items()},
        dimensions=dimensions,
        dimension_scores=scores,
        not_reported=context["not_reported"],
        no_data_count=context["no_data_count"],
        bands=[(text, f"band-{i}") for i, text in enumerate(CITY_SHORT_BANDS)][::-1],
    )
