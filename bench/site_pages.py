"""Benchmark: where a one-language build of the UK site spends its time, per kind of file.

    python bench/site_pages.py [--repo ../shared/data/opensdg/uk] [--lang en]

Loads the UK repository into a fresh store (``--skip-invalid``), then lists the site's files, reads
every indicator's rows in one query (as the build does) and renders each file, timing each kind
(``charts`` = the no-script SVG of each indicator, ``indicators`` = indicator pages and their data
files, ``data`` / ``headline`` / ``geojson`` = the data side's files ...). Prints JSON: seconds and
file counts per kind, and each kind's seconds as a ratio to ``read_baseline`` (every UK observation
read out of the store in the same run), so figures from a loaded machine stay comparable. The Vega
bundle is made afresh (``XDG_CACHE_HOME`` is a new folder), so ``vega`` shows what vl-convert's
bundling costs a first build; later builds read it from the user's cache folder.
"""
from __future__ import annotations

import argparse
import collections
import json
import os
import tempfile
import time
from pathlib import Path

from sdgtrack.publish.site import Site, SiteOptions
from sdgtrack.workspace import Workspace

DEFAULT_UK = Path(__file__).resolve().parents[2] / "shared" / "data" / "opensdg" / "uk"


def kind(path: str) -> str:
    parts = path.split("/")
    if parts[0] == "assets":
        return parts[1] if len(parts) > 2 else parts[1].split(".")[0]
    return parts[1] if len(parts) > 2 else parts[-1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repo", type=Path, default=DEFAULT_UK)
    parser.add_argument("--lang", default="en")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["XDG_CACHE_HOME"] = str(Path(tmp) / "cache")
        store = Path(tmp) / "uk.duckdb"
        with Workspace(store) as ws:
            ws.ingest(args.repo, skip_invalid=True, rejected_path=Path(tmp) / "rejected.csv")
        with Workspace(store, read_only=True) as ws:
            started = time.perf_counter()
            ws.observations(None, all_disaggregations=True)
            baseline = time.perf_counter() - started
            site = Site(ws, SiteOptions(langs=tuple(args.lang.split(","))))
            started = time.perf_counter()
            files = list(site.files())
            listing = time.perf_counter() - started
            started = time.perf_counter()
            site.prefetch(f.about for f in files if f.about)
            prefetch = time.perf_counter() - started
            seconds: collections.Counter = collections.Counter()
            counts: collections.Counter = collections.Counter()
            for file in files:
                started = time.perf_counter()
                site.content(file)
                seconds[kind(file.path)] += time.perf_counter() - started
                counts[kind(file.path)] += 1
    total = listing + prefetch + sum(seconds.values())
    print(json.dumps({
        "read_baseline": round(baseline, 3), "list": round(listing, 3), "prefetch": round(prefetch, 3),
        "total": round(total, 2), "x_read": round(total / baseline, 1),
        "kinds": {k: {"seconds": round(s, 2), "files": counts[k], "x_read": round(s / baseline, 2)}
                  for k, s in seconds.most_common()},
    }, indent=2))


if __name__ == "__main__":
    main()
