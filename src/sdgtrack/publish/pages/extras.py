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
from .common import json_block, page_key, render, site_facts


def published_records(site: Site) -> pd.DataFrame:
    """Records of published submissions (drafts and submissions under review stay out of the site)."""
    if "pages.contributions" not in site.cache:
        site.cache["pages.contributions"] = site.workspace.contributions.records(status="published")
    return site.cache["pages.contributions"]  # type: ignore[return-value]


def _frame_key(frame: pd.DataFrame) -> str:
    return hashlib.blake2b(frame.astype(str).to_csv(index=False).encode(), digest_size=12).hexdigest()


@producer
def contribution_pages(site: Site):
    records = published_records(site)
    if records.empty:
        return
    key = _frame_key(records)
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


def cities_with_data(site: Site) -> dict[str, str]:
    """City code -> fingerprint of its dataset (``city-<code>``), for the cities whose dataset is in the
    store: a cheap listing (the KPI counts of :func:`city_list` are read only to render)."""
    if "pages.city_keys" not in site.cache:
        datasets = site.workspace.datasets()
        datasets = datasets[datasets["id"].str.startswith("city-")]
        codes = set(site.workspace.areas(kind="city")["code"]) if len(datasets) else set()
        ids = datasets["id"].str.lower()  # the importer names a city's dataset city-<code>, lower case
        site.cache["pages.city_keys"] = {
            code: _frame_key(datasets[ids == f"city-{code.lower()}"])
            for code in sorted(codes)
            if (ids == f"city-{code.lower()}").any()
        }
    return site.cache["pages.city_keys"]  # type: ignore[return-value]


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


def extras(site: Site) -> dict:
    """Which extra pages exist (for the navigation of every page)."""
    from .analyses import kept_index_run, kept_links_run

    return {
        "contributions": not published_records(site).empty,
        "cities": bool(cities_with_data(site)),
        "progress": site_facts(site)["kept_run"] is not None,
        # the kept SDG Index and interlinkages (analyses.py)
        "sdg_index": kept_index_run(site) is not None,
        "interlinkages": kept_links_run(site) is not None,
    }
