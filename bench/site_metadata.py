"""Benchmark: what keeping and publishing national metadata costs, against baselines in the same run.

    python bench/site_metadata.py [--repo ../shared/data/opensdg/uk]

Loads the repository into a fresh store (``--skip-invalid``), then prints JSON with seconds:
- ``load``: the whole load; ``metadata_collect``: parsing every meta file into rows
  (``ingest.metadata.collect``, the part of the load metadata adds; its files are parsed once and
  shared with the data read), also as a share of ``load``;
- ``build_without`` / ``build_with``: a one-language full build of the site from a copy of the
  store whose metadata tables are emptied, and from the store as loaded (same run, same machine,
  alternated, the least of two each), and their ratio;
- ``metadata_only_rebuild``: a rebuild after a reload that changed one meta file and no data, with
  the files it wrote (the indicator's pages and meta files, ``meta/all.json``; the Parquet file
  follows every load).
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
import time
from pathlib import Path

from sdgtrack.ingest.metadata import RepositoryMetadata, collect
from sdgtrack.publish.build import build_site
from sdgtrack.publish.site import SiteOptions
from sdgtrack.workspace import Workspace

REPO = Path(__file__).resolve().parents[1]
DEFAULT_UK = REPO.parent / "shared" / "data" / "opensdg" / "uk"


def timed(fn):
    start = time.perf_counter()
    out = fn()
    return time.perf_counter() - start, out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repo", type=Path, default=DEFAULT_UK)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="sdgtrack-bench-meta-"))
    try:
        store = tmp / "store.duckdb"
        with Workspace(store) as ws:
            load, _ = timed(lambda: ws.ingest(args.repo, skip_invalid=True, rejected_path=tmp / "rejected.csv"))
        import yaml

        config = yaml.safe_load((args.repo / "config_data.yml").read_text("utf-8")) or {}
        meta = RepositoryMetadata(args.repo, config)
        parse, (rows, _) = timed(lambda: collect(meta, meta.ids(), lambda i: i.replace("-", "."), True))

        bare = tmp / "bare.duckdb"
        shutil.copy(store, bare)
        with Workspace(bare) as ws:
            ws.store.con.execute("DELETE FROM indicator_metadata")
            ws.store.con.execute("DELETE FROM metadata_field")
        options = SiteOptions(langs=("en",))
        # alternated and repeated, the least of each kept: a shared machine's noise is larger than
        # the difference measured
        runs: dict[str, list[float]] = {"without": [], "with": []}
        for attempt in range(2):
            for name, path in (("without", bare), ("with", store)):
                out = tmp / f"site-{name}-{attempt}"
                with Workspace(path, read_only=True) as ws:
                    runs[name].append(timed(lambda ws=ws, out=out: build_site(ws, out, options))[0])
        without, with_meta = min(runs["without"]), min(runs["with"])
        with Workspace(store, read_only=True) as ws:
            build_site(ws, tmp / "site", options)

        copy = tmp / "repo"
        shutil.copytree(args.repo, copy)
        first = sorted((copy / "meta").glob("*.md"))[0]
        first.write_text(
            first.read_text("utf-8").replace("\n---", "\ndata_footnote: Changed for the benchmark.\n---", 1)
        )
        with Workspace(store) as ws:
            ws.ingest(copy, dataset=f"opensdg-{args.repo.name}", skip_invalid=True, rejected_path=tmp / "r2.csv")
        with Workspace(store, read_only=True) as ws:
            rebuild, report = timed(lambda: build_site(ws, tmp / "site", options))
        print(
            json.dumps(
                {
                    "repo": str(args.repo),
                    "metadata_rows": len(rows.rows),
                    "load": round(load, 2),
                    "metadata_collect": round(parse, 2),
                    "metadata_collect_share_of_load": round(parse / load, 3),
                    "build_without": round(without, 2),
                    "build_with": round(with_meta, 2),
                    "build_ratio": round(with_meta / without, 3),
                    "metadata_only_rebuild": round(rebuild, 2),
                    "metadata_only_rebuild_files": report.written,
                },
                indent=1,
            )
        )
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
