"""Which optional pages a site has, from cheap reads of the store: the contributions registry, the
cities with U4SSC data, the kept SDG Index and interlinkages. Every page's navigation asks
(``common.py``) as do the modules that make those pages (``extras.py``, ``analyses.py``); this
module imports no other page module, so the navigation closes no circle."""

from __future__ import annotations

import hashlib

import pandas as pd

from ..site import Site


def published_records(site: Site) -> pd.DataFrame:
    """Records of published submissions (drafts and submissions under review stay out of the site)."""
    if "pages.contributions" not in site.cache:
        site.cache["pages.contributions"] = site.workspace.contributions.records(status="published")
    return site.cache["pages.contributions"]  # type: ignore[return-value]


def frame_key(frame: pd.DataFrame) -> str:
    return hashlib.blake2b(frame.astype(str).to_csv(index=False).encode(), digest_size=12).hexdigest()


def cities_with_data(site: Site) -> dict[str, str]:
    """City code -> fingerprint of its dataset (``city-<code>``), for the cities whose dataset is in the
    store: a cheap listing (the KPI counts of :func:`city_list` are read only to render)."""
    if "pages.city_keys" not in site.cache:
        datasets = site.workspace.datasets()
        datasets = datasets[datasets["id"].str.startswith("city-")]
        codes = set(site.workspace.areas(kind="city")["code"]) if len(datasets) else set()
        ids = datasets["id"].str.lower()  # the importer names a city's dataset city-<code>, lower case
        site.cache["pages.city_keys"] = {
            code: frame_key(datasets[ids == f"city-{code.lower()}"])
            for code in sorted(codes)
            if (ids == f"city-{code.lower()}").any()
        }
    return site.cache["pages.city_keys"]  # type: ignore[return-value]


def _state(site: Site) -> dict:
    # the same memo as Site._state: the store's fingerprints, read once per build or request
    return site.memo("_state", site.workspace.store_state)  # type: ignore[return-value]


def kept_index_run(site: Site) -> str | None:
    """When the kept SDG Index was saved, or None when the store keeps none."""
    return _state(site).get("kept_index") or None


def kept_links_run(site: Site) -> str | None:
    """When the kept interlinkages were saved, or None when the store keeps none, or keeps a run that
    tested no pair (e.g. no series had a known direction): no page, no link, nothing to show."""
    run = _state(site).get("kept_links") or None
    if run is not None and not site.memo("pages.links_tested", site.workspace.kept_links_tested):
        return None
    return run
