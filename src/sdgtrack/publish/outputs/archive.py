"""``LANG/zip/all_indicators.zip``: every indicator's full CSV (``3-2-1.csv``) in one archive.

The entries are the bytes of ``LANG/data/*.csv`` (reused from the last build when unchanged), with
a fixed timestamp so equal inputs give an equal archive. Compression level 1: the archive is
rewritten whenever any indicator changes, and level 1 is several times faster than the default for
a few percent more bytes.
"""

from __future__ import annotations

import io
import zipfile
from functools import partial
from typing import Iterator

from ..site import Site, SiteFile, producer, slug
from .data import indicator_file
from .tables import translation_key

FIXED_TIME = (2015, 9, 25, 0, 0, 0)  # the day the 2030 Agenda was adopted: any constant would do


def all_indicators_zip(site: Site, lang: str) -> bytes:
    sink = io.BytesIO()
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for code in site.indicators():
            entry = zipfile.ZipInfo(f"{slug(code)}.csv", date_time=FIXED_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            archive.writestr(entry, site.content(indicator_file(site, lang, "data", "csv", code)), compresslevel=1)
    return sink.getvalue()


@producer
def indicator_archive(site: Site) -> Iterator[SiteFile]:
    for lang in site.options.langs:
        yield SiteFile(
            f"{lang}/zip/all_indicators.zip",
            partial(all_indicators_zip, site, lang),
            site.key("zip", site.indicators_key(), translation_key(site, lang)),
        )
