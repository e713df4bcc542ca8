"""Benchmark: keeping the interlinkages of every country of the 2020 UN extract in the store.

One series-level run (all countries, all aligned headline series, levels, no shuffled null) and
what keeping it costs, in one process on one store so the ratios compare like with like:

- ``run``: ``Workspace.links(..., save=False)``, the baseline;
- ``run + save``: the same with ``save=True`` (the default): the run plus writing its rows; and
  the writing alone (``links/store.save`` of the same report);
- the store file's growth (after a checkpoint) against the size of the same Result as JSON
  (``Result.to_json()``, compact), the alternative shape;
- ``kept_links()``: reading the whole run back; ``kept_indicator_links()``: every indicator's
  strongest partners (what a site build asks, one query); ``kept_link_pairs()`` for one series.

    python bench/kept_links.py [--db STORE]

Times are the best of 3. Without --db the UN extract is ingested into a temporary store first
(not timed). The store given is changed: its kept interlinkages are replaced.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from pathlib import Path


def best(fn, n: int = 3):
    times, value = [], None
    for _ in range(n):
        start = time.perf_counter()
        value = fn()
        times.append(time.perf_counter() - start)
    return min(times), value


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", type=Path)
    args = parser.parse_args()
    from sdgtrack.workspace import Workspace

    tmp = tempfile.TemporaryDirectory()
    path = args.db
    if path is None:
        path = Path(tmp.name) / "un.duckdb"
        un = Path(__file__).resolve().parents[2] / "shared" / "data" / "unsd" / "sdg_global_2020.csv.gz"
        with Workspace(path) as ws:
            ws.ingest(un)
    options = dict(level="series", null_permutations=0)
    with Workspace(path) as ws:
        con = ws.store.con
        con.execute("DELETE FROM kept_links_pair; DELETE FROM kept_links_goal; DELETE FROM kept_run")
        con.execute("CHECKPOINT")
        size_before = os.path.getsize(path)
        run, result = best(lambda: ws.links(**options, save=False))
        run_save, _ = best(lambda: ws.links(**options))
        con.execute("CHECKPOINT")
        size_after = os.path.getsize(path)
        json_bytes = len(json.dumps(result.to_json(), separators=(",", ":")).encode())
        from sdgtrack.links import store as links_store
        from sdgtrack.links.analysis import link_report

        report = link_report(ws.store, **options)
        save, _ = best(lambda: links_store.save(con, report, result.parameters))
        load, kept = best(ws.kept_links)
        per_indicator, linked = best(lambda: ws.kept_indicator_links(None, 5))
        one_series, _ = best(lambda: ws.kept_link_pairs(["SH_DYN_MORT"], 10))
    rows = len(result.table)
    assert kept is not None and len(kept.table) == rows
    figures = {
        "pairs (area x series pair rows)": rows,
        "run, not kept (s)": round(run, 2),
        "run and keep (s)": round(run_save, 2),
        "keeping / run": round(run_save / run, 2),
        "writing the rows alone (s)": round(save, 2),
        "writing / run": round(save / run, 2),
        "store growth (MB)": round((size_after - size_before) / 1e6, 1),
        "same Result as JSON (MB)": round(json_bytes / 1e6, 1),
        "store growth / JSON": round((size_after - size_before) / json_bytes, 3),
        "kept_links() read back (s)": round(load, 2),
        "kept_indicator_links(k=5) (s)": round(per_indicator, 3),
        "indicators with partners": int(linked["indicator"].nunique()),
        "kept_link_pairs(one series) (s)": round(one_series, 3),
    }
    for name, value in figures.items():
        print(f"{name:36} {value}")


if __name__ == "__main__":
    main()
