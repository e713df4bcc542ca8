"""``LANG/data/3-2-1.csv|json`` (every row) and ``LANG/headline/3-2-1.csv|json`` (the totals), as
sdg-build publishes them, plus ``LANG/headline/all.json`` (every indicator's headline records).

A table depends on its language only through the translations of its datasets (an Open SDG
repository's ``translations/``, which sdg-build applies to each language's build, English too):
the keys hold those (``translation_key``), so a three-language build without translations renders
each table once and writes it three times.
"""

from __future__ import annotations

import json
from functools import partial
from typing import Iterator

from ..site import Site, SiteFile, producer, slug
from .meta import meta_codes
from .tables import columns_json, dump, headline_table, records_json, to_csv, translated_table, translation_key

KINDS = {
    ("data", "csv"): lambda site, code, lang: to_csv(translated_table(site, code, lang)),
    ("data", "json"): lambda site, code, lang: dump(columns_json(translated_table(site, code, lang))),
    ("headline", "csv"): lambda site, code, lang: to_csv(headline_table(site, code, lang)),
    ("headline", "json"): lambda site, code, lang: dump(records_json(headline_table(site, code, lang))),
}


# An indicator with a meta file and no data (a text-only indicator, one not reported yet): its
# data files exist, as sdg-build writes them, with no row (Open SDG links to them all the same)
EMPTY_CSV = b"Year,Value\n"
EMPTY = {
    ("data", "csv"): EMPTY_CSV,
    ("data", "json"): b"[]",
    ("headline", "csv"): EMPTY_CSV,
    ("headline", "json"): b"[]",
}


def with_data(site: Site) -> list[str]:
    """Indicators whose data files hold rows: the SDG indicators with data, in the order of the
    official list, then the archived indicators with data (``archived-11-6-1``), as sdg-build
    publishes both."""
    return [*site.indicators(), *site.archived_with_data()]


def without_data(site: Site) -> list[str]:
    """Indicators with a meta file and no data on the site, in the order of the official list, then
    the archived indicators without data."""
    filled = set(with_data(site))
    return [code for code in [*meta_codes(site), *site.archived()] if code not in filled]


def indicator_file(site: Site, lang: str, folder: str, ext: str, code: str) -> SiteFile:
    make = KINDS[(folder, ext)]
    return SiteFile(
        f"{lang}/{folder}/{slug(code)}.{ext}",
        lambda: make(site, code, lang),
        site.key(folder, ext, site.indicator_key(code), translation_key(site, lang)),
        about=code,
    )


@producer
def indicator_tables(site: Site) -> Iterator[SiteFile]:
    for lang in site.options.langs:
        for code in with_data(site):
            for folder, ext in KINDS:
                yield indicator_file(site, lang, folder, ext, code)
        for code in without_data(site):
            for (folder, ext), content in EMPTY.items():
                yield SiteFile(
                    f"{lang}/{folder}/{slug(code)}.{ext}", partial(bytes, content), site.key("empty", folder, ext)
                )


@producer
def all_headlines(site: Site) -> Iterator[SiteFile]:
    codes = with_data(site)
    # as sdg-build: every indicator with a meta file (archived ones too), [] where it has no data
    listed = [*meta_codes(site), *site.archived()]

    def render(lang: str) -> bytes:
        # each indicator's headline JSON as written (or reused), spliced into one object
        with_data = set(codes)
        parts = [
            json.dumps(slug(code))
            + ":"
            + (
                site.content(indicator_file(site, lang, "headline", "json", code)).decode("utf-8")
                if code in with_data
                else "[]"
            )
            for code in listed
        ]
        return ("{" + ",".join(parts) + "}").encode("utf-8")

    for lang in site.options.langs:
        key = site.key("headline/all", [site.indicator_key(c) for c in codes], listed, translation_key(site, lang))
        yield SiteFile(f"{lang}/headline/all.json", partial(render, lang), key)
