"""The archive page (``LANG/archived/index.html``): an Open SDG repository's archived indicators
(``archived-1-a-1``: numbers the UN's reviews replaced, revised or deleted), listed apart from the
goal pages as Open SDG sites list them: the former number and name, what became of it, its tier, and
links to the files the site publishes for it (data, headline, meta) as sdg-build does. Exists only
when the datasets the site shows have archived indicators."""

from __future__ import annotations

import hashlib
from functools import partial

from ..site import Site, SiteFile, producer, slug
from .common import page_key, render


def archive_state(site: Site) -> str:
    """Fingerprint of what the archive page shows (the list, and which have data)."""
    table = site.archived_table()
    listed = repr((table.astype(str).values.tolist(), site.archived_with_data()))
    return hashlib.blake2b(listed.encode("utf-8"), digest_size=12).hexdigest()


@producer
def archive_pages(site: Site):
    if not site.archived():
        return
    key = archive_state(site)
    for lang in site.options.langs:
        path = f"{lang}/archived/index.html"
        yield SiteFile(path, partial(_archive, site, lang, path), page_key(site, path, key))


def _archive(site: Site, lang: str, path: str) -> bytes:
    with_data = set(site.archived_with_data())
    rows = [
        {
            "id": str(r["indicator"]),
            "slug": slug(str(r["indicator"])),
            "number": str(r["number"] or ""),
            "title": r["title"] if isinstance(r["title"], str) else "",
            "archive_type": r["archive_type"] if isinstance(r["archive_type"], str) else "",
            "tier": r["tier"] if isinstance(r["tier"], str) else "",
            "has_data": str(r["indicator"]) in with_data,
        }
        for r in site.archived_table().to_dict("records")
    ]
    return render(site, "archived.html", lang, path, archived=rows)
