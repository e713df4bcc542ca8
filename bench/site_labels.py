"""Benchmark: what naming codes costs the site (publish/code_labels.py), against rendering the page
data it names.

    python bench/site_labels.py --db STORE.duckdb [--lang fr]

For every indicator of the store: the page data file (``assets/indicators/3-2-1.json``, which
includes its ``labels``), then the labelling alone (``display_labels`` over the same lists, and the
page's French ``words`` when ``--lang`` has a glossary). Prints JSON: seconds of each and the ratio
of labelling to rendering in the same run, and the bytes the labels add to the page data.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from sdgtrack.publish import code_labels
from sdgtrack.publish.pages import indicator_data, indicators
from sdgtrack.publish.site import Site, SiteOptions
from sdgtrack.workspace import Workspace


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--lang", default="fr")
    args = parser.parse_args()
    with Workspace(args.db, read_only=True) as ws:
        site = Site(ws, SiteOptions(langs=(args.lang,)))
        codes = site.indicators()
        site.prefetch(codes)
        started = time.perf_counter()
        documents = [json.loads(indicators._data_file(site, code)) for code in codes]
        render = time.perf_counter() - started
        started = time.perf_counter()
        for data in documents:
            indicator_data.display_labels(data)
        labelling = time.perf_counter() - started
        started = time.perf_counter()
        for code in codes:
            indicators._page_words(site, code, args.lang)
        words = time.perf_counter() - started
        label_bytes = sum(len(json.dumps(d["labels"], ensure_ascii=False, separators=(",", ":"))) for d in documents)
        total_bytes = sum(len(json.dumps(d, ensure_ascii=False, separators=(",", ":"))) for d in documents)
    print(
        json.dumps(
            {
                "indicators": len(codes),
                "page_data_seconds": round(render, 3),
                "labels_seconds": round(labelling, 4),
                "words_seconds": round(words, 4),
                "labels_to_page_data": round(labelling / render, 4) if render else None,
                "words_to_page_data": round(words / render, 4) if render else None,
                "label_bytes": label_bytes,
                "page_data_bytes": total_bytes,
                "glossary": code_labels.has_words(args.lang),
            },
            indent=1,
        )
    )


if __name__ == "__main__":
    main()
