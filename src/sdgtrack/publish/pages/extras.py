"""Pages that exist only when the store holds what they need: the contributions registry (published
submissions; searchable and filterable in the browser) and the cities with U4SSC data (an index
page and a page per city in the site's layout, see ``city.py``, and the printable city report of
``cities/report.py`` as it renders)."""

from __future__ import annotations

import hashlib
from functools import partial

import pandas as pd

from ..site import Site, SiteFile, producer
from .city import city_page
from .common import json_block, page_key, render
from .optional import cities_with_data, frame_key, published_records


@producer
def contribution_pages(site: Site):
    records = published_records(site)
    if records.empty:
        return
    key = frame_key(records)
    for lang in site.options.langs:
        path = f"{lang}/contributions/index.html"
        yield SiteFile(path, partial(_contributions, site, lang, path), page_key(site, path, key))


def _contributions(site: Site, lang: str, path: str) -> bytes:
    records = published_records(site)
    rows = []
    for r in records.to_dict("records"):
        dates = " – ".join(d for d in (r.get("start_date"), r.get("end_date")) if isinstance(d, str) and d)
        rows.append(
            {
                "id": r["id"],
                "name": r["name"],
                "entity": r["entity"],
                "year": r["year"],
                "kind": r["kind"],
                "sdgs": [int(g) for g in r["sdgs"]],
                "dates": dates,
                "websites": _list(r.get("websites")),
                "description": r["description"] or "",
            }
        )
    entities = sorted({r["entity"] for r in rows if r["entity"]})
    kinds = [
        k
        for k in ("decision", "event", "resource", "hii", "partnership", "recommendation")
        if any(r["kind"] == k for r in rows)
    ]
    return render(
        site,
        "contributions.html",
        lang,
        path,
        records=rows,
        entities=entities,
        kinds=kinds,
        filter_data=json_block({"total": len(rows)}),
    )


def _list(value) -> list:
    """A list column's cell (a list or an array; None when empty) as a list."""
    return [] if value is None else list(value)


def city_list(site: Site) -> pd.DataFrame:
    if "pages.cities" not in site.cache:
        cities = site.workspace.list_cities()
        wanted = set(cities_with_data(site))
        site.cache["pages.cities"] = cities[cities["code"].isin(wanted)].reset_index(drop=True)
    return site.cache["pages.cities"]  # type: ignore[return-value]


@producer
def city_pages(site: Site):
    state = cities_with_data(site)
    if not state:
        return
    all_key = hashlib.blake2b(repr(sorted(state.items())).encode(), digest_size=12).hexdigest()
    for lang in site.options.langs:
        path = f"{lang}/cities/index.html"
        yield SiteFile(path, partial(_cities, site, lang, path), page_key(site, path, all_key))
    for code, key in state.items():
        for lang in site.options.langs:
            path = f"{lang}/cities/{code}/index.html"
            yield SiteFile(path, partial(city_page, site, lang, path, code), page_key(site, path, key))
        # the printable report is one language (English) and the same file for every site language
        path = f"cities/{code}/report.html"
        yield SiteFile(path, partial(_city_report, site, code), page_key(site, path, key))


def _cities(site: Site, lang: str, path: str) -> bytes:
    return render(site, "cities.html", lang, path, cities=city_list(site).to_dict("records"))


def _city_report(site: Site, code: str) -> bytes:
    return site.workspace.city_report_html(code).encode("utf-8")
