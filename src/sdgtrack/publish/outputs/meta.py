"""``LANG/meta/3-2-1.json`` (an indicator's metadata in the language) and ``LANG/meta/all.json``.

Field names follow the Open SDG metadata schema where one exists (``indicator_name``,
``target_id``, ``sdg_goal``, ``reporting_status``, ``graph_type``, ``computation_units``,
``source_organisation_1`` ...), so Open SDG consumers read them; the rest says what sdgtrack knows
and Open SDG does not (the series and datasets behind the figures, years, disaggregations).
Titles come from the shipped translations. The Open SDG reader keeps no national metadata text
(definitions, methodology, contacts) in the store, only the indicator's name (the series
description) and its units, so none is published here.
"""

from __future__ import annotations

import json
from functools import partial
from typing import Iterator

from ..site import Site, SiteFile, producer, slug
from .tables import dump, series_labels


def sort_order(code: str) -> str:
    """``3.b.1`` -> ``03-0b-01``: indicator codes in list order as text (sdg-build's convention)."""
    return "-".join(part.rjust(2, "0") for part in code.split("."))


def _clean(value):
    return None if value is None or value != value else value  # NaN -> None


def indicator_meta(site: Site, lang: str, code: str) -> dict:
    titles = site.titles(lang)
    goal, target = code.split(".")[0], ".".join(code.split(".")[:2])
    labels = series_labels(site)
    info = site.memo("_series_info", lambda: site.workspace.series_info().set_index("code"))
    sources = site.indicator_sources(code)
    coverage = site.coverage()
    row = coverage.loc[code].to_dict() if code in coverage.index else None
    datasets = site.datasets()
    used = list(dict.fromkeys(dataset for _, dataset in sources))
    units = sorted({str(info.loc[s, "unit"]) for s, _ in sources if s in info.index and _clean(info.loc[s, "unit"])})
    meta = {
        "indicator": code,
        "indicator_number": code,
        "slug": slug(code),
        "language": lang,
        "sdg_goal": goal,
        "target_id": target,
        "goal_name": titles.get(goal, ("", None))[0],
        "target_name": titles.get(target, ("", None))[0],
        "indicator_name": titles.get(code, ("", None))[0],
        "graph_title": titles.get(code, ("", None))[0],
        "indicator_sort_order": sort_order(code),
        "reporting_status": "complete",
        "data_non_statistical": False,
        "graph_type": "line",
        "computation_units": units[0] if len(units) == 1 else units,
        "series": [
            {
                "code": s,
                "label": labels.get(s, s),
                "description": _clean(info.loc[s, "description"]) if s in info.index else None,
                "unit": _clean(info.loc[s, "unit"]) if s in info.index else None,
                "dataset": d,
            }
            for s, d in sources
        ],
        "datasets": [
            {"id": d, **{k: _clean(datasets.loc[d, k]) for k in ("title", "publisher", "kind", "licence")}}
            for d in used
            if d in datasets.index
        ],
        "observations": int(row["rows"]) if row is not None else 0,
        "areas": int(row["areas"]) if row is not None else 0,
        "years": [int(row["first"]), int(row["last"])] if row is not None else None,
        "disaggregations": list(row["dims"]) if row is not None else [],
        "data": {
            "csv": f"data/{slug(code)}.csv",
            "json": f"data/{slug(code)}.json",
            "headline_csv": f"headline/{slug(code)}.csv",
            "headline_json": f"headline/{slug(code)}.json",
        },
    }
    for n, d in enumerate(used, 1):  # Open SDG's numbered source fields
        if d in datasets.index:
            meta[f"source_organisation_{n}"] = _clean(datasets.loc[d, "publisher"]) or _clean(datasets.loc[d, "title"])
            meta[f"source_title_{n}"] = _clean(datasets.loc[d, "title"])
    return meta


def meta_file(site: Site, lang: str, code: str) -> SiteFile:
    return SiteFile(
        f"{lang}/meta/{slug(code)}.json",
        lambda: dump(indicator_meta(site, lang, code)),
        site.key("meta", lang, site.indicator_key(code)),
        about=code,
    )


@producer
def metadata(site: Site) -> Iterator[SiteFile]:
    codes = site.indicators()
    for lang in site.options.langs:
        for code in codes:
            yield meta_file(site, lang, code)

    def render(lang: str) -> bytes:
        parts = [json.dumps(slug(c)) + ":" + site.content(meta_file(site, lang, c)).decode("utf-8") for c in codes]
        return ("{" + ",".join(parts) + "}").encode("utf-8")

    for lang in site.options.langs:
        yield SiteFile(
            f"{lang}/meta/all.json", partial(render, lang), site.key("meta/all", lang, site.indicators_key())
        )
