"""Benchmark: the analyses on a local Dask cluster of two worker processes vs the local run, same data.

    python bench/cluster.py [--db STORE] [--workers 2] [--null 20] [--repeat 2]

Steps, one after the other in one run so the ratios compare like with like on this machine:

- ``export``: `Workspace.export_parquet` of the whole store (seconds per million rows).
- ``links``: `Workspace.links` (every country, all headline series) on the store, then
  `Workspace.cluster(export).links` on the export with a LocalCluster(n, processes) started beforehand
  (its start-up is reported apart: a real cluster is running already); the tables are checked equal.
- ``progress``: `Workspace.assess` (UNSD method) vs `Workspace.cluster(export).assess`, checked equal.

Times are the best of ``--repeat`` runs. Without --db the 2020 UN extract is ingested into a
temporary store first (not timed). Prints one JSON document.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
UN = REPO.parent / "shared" / "data" / "unsd" / "sdg_global_2020.csv.gz"


def best(fn, repeat: int):
    times, out = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return min(times), out


def main() -> None:
    import pandas as pd
    import sdgtrack
    from sdgtrack.cluster.run import local_cluster

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", type=Path, help="store to use (default: the UN extract ingested into a temporary store)")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--null", type=int, default=20, help="shuffled-null permutations of the links run")
    ap.add_argument("--repeat", type=int, default=2)
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="sdgtrack-cluster-bench-"))
    db = args.db
    if db is None:
        db = work / "un.duckdb"
        with sdgtrack.open(db) as ws:
            ws.ingest(UN)
    ws = sdgtrack.open(db, read_only=True)
    report: dict = {"store": str(db), "workers": args.workers, "load_average": os.getloadavg()}
    rows = ws.totals()["observations"]
    t = time.perf_counter()
    export = ws.export_parquet(work / "parquet")
    seconds = time.perf_counter() - t
    report["export"] = {
        "rows": rows,
        "seconds": round(seconds, 2),
        "seconds_per_million_rows": round(seconds / (rows / 1e6), 2),
        "partitions": export.partitions,
        "mb": round(export.bytes / 1e6, 1),
    }
    t = time.perf_counter()
    cluster = local_cluster(args.workers)  # as `cluster run --local-workers` starts it
    report["cluster_start_seconds"] = round(time.perf_counter() - t, 2)
    address = cluster.scheduler_address
    try:
        local_s, local = best(lambda: ws.links(null_permutations=args.null, save=False), args.repeat)
        remote_s, remote = best(
            lambda: ws.cluster(work / "parquet", scheduler=address).links(null_permutations=args.null), args.repeat
        )
        pd.testing.assert_frame_equal(remote.tables["series"], local.tables["series"])
        areas = local.summary["areas"]
        report["links"] = {
            "areas": areas,
            "series": local.summary["series"],
            "pairs": local.summary["pairs"],
            "null_permutations": args.null,
            "local_seconds": round(local_s, 2),
            "cluster_seconds": round(remote_s, 2),
            "cluster_over_local": round(remote_s / local_s, 2),
            "cluster_ms_per_area": round(1000 * remote_s / max(areas, 1), 1),
            "local_ms_per_area": round(1000 * local_s / max(areas, 1), 1),
            "equal": True,
            "cluster_steps": remote.notes[-1],
        }
        local_s, local = best(lambda: ws.assess(save=False), args.repeat)
        remote_s, remote = best(lambda: ws.cluster(work / "parquet", scheduler=address).assess(), args.repeat)
        pd.testing.assert_frame_equal(remote.tables["series"], local.tables["series"])
        report["progress"] = {
            "series_x_areas": int(local.summary["series x areas"]),
            "local_seconds": round(local_s, 2),
            "cluster_seconds": round(remote_s, 2),
            "cluster_over_local": round(remote_s / local_s, 2),
            "cluster_seconds_per_million_rows": round(remote_s / (rows / 1e6), 2),
            "equal": True,
            "cluster_steps": remote.notes[-1],
        }
    finally:
        cluster.close()
        ws.close()
    print(json.dumps(report, indent=1))


if __name__ == "__main__":  # the worker processes import this module; only the parent runs it
    main()
