"""Benchmark: ingest of the full UN SDG Global Database extract vs pandas.read_csv of the same file.

Steps, each in its own child process so its peak memory (ru_maxrss) is its own, one after the
other in one session so the ratios compare like with like on this machine:
pandas.read_csv; the first load (Python API); an unchanged re-load; a re-load of a copy with 1%
of the values changed (each change kept in history); the first load through the CLI (process
wall time, imports included); and the store size before and after ten unchanged re-loads.
Each step shows its wall time and its CPU time over the same span (user + system, DuckDB's
threads included; the CLI's whole process): on a machine shared with other work the CPU time
moves less than the wall time.

    python bench/ingest_unsd.py [--file ../shared/data/unsd/sdg_global_2020.csv.gz] [--repeat 3]
"""
from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CHILD = r"""
import json, resource, sys, time
def cpu():
    usage = resource.getrusage(resource.RUSAGE_SELF)  # every thread of the process (DuckDB's too)
    return usage.ru_utime + usage.ru_stime
step, path, db_path = sys.argv[1], sys.argv[2], sys.argv[3]
if step == "pandas":
    import pandas as pd  # imported before the clock: the read alone (as when sdgtrack imported pandas)
    t, c = time.perf_counter(), cpu()
    rows = len(pd.read_csv(path, low_memory=False))
    info = {"rows": rows}
else:
    import sdgtrack
    from sdgtrack.ingest import load
    db = sdgtrack.Database(db_path)
    t, c = time.perf_counter(), cpu()  # schema and reference data are not part of the ingest
    r = load(db, path)
    info = {"rows": r.rows_read, "new": r.new, "unchanged": r.unchanged, "updated": r.updated}
    db.close()
info["seconds"] = time.perf_counter() - t
info["cpu"] = cpu() - c
info["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(info))
"""


def run(step: str, path: Path, db_path: Path) -> dict:
    out = subprocess.run([sys.executable, "-c", CHILD, step, str(path), str(db_path)],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)  # of the children waited for so far
    return usage.ru_utime + usage.ru_stime


def run_cli(path: Path, db_path: Path) -> dict:
    """The whole command as a user runs it: interpreter start, imports, store creation, load."""
    sdgtrack = Path(sys.executable).with_name("sdgtrack")
    cpu, t = children_cpu(), time.perf_counter()
    out = subprocess.run([str(sdgtrack), "ingest", str(path), "--db", str(db_path)], capture_output=True, text=True,
                         check=True)
    return {"seconds": time.perf_counter() - t, "cpu": children_cpu() - cpu, "peak_mb": float("nan"),
            "stdout": out.stdout}


def changed_copy(path: Path, out: Path, share: int = 100) -> int:
    """A copy of the download with every ``share``-th value (by row hash) increased by 1."""
    import duckdb

    con = duckdb.connect()
    con.execute(f"""COPY (SELECT * REPLACE (CASE WHEN hash(SeriesCode, GeoAreaCode, TimePeriod, Value) % {share} = 0
                                                   AND TRY_CAST(Value AS DOUBLE) IS NOT NULL
                                              THEN CAST(TRY_CAST(Value AS DOUBLE) + 1 AS VARCHAR) ELSE Value END AS Value)
                          FROM read_csv('{path}', all_varchar = true))
                    TO '{out}' (HEADER, COMPRESSION gzip)""")
    return con.execute(f"SELECT count(*) FROM read_csv('{path}', all_varchar = true) WHERE hash(SeriesCode, "
                       f"GeoAreaCode, TimePeriod, Value) % {share} = 0 AND TRY_CAST(Value AS DOUBLE) IS NOT NULL"
                       ).fetchone()[0]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--file", type=Path,
                    default=Path(__file__).resolve().parents[2] / "shared" / "data" / "unsd" / "sdg_global_2020.csv.gz")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    results: dict[str, list] = {"pandas": [], "first": [], "repeat": [], "changed": [], "cli": []}
    with tempfile.TemporaryDirectory() as work:
        changed_file = Path(work) / args.file.name  # same name: the same dataset, a new release of it
        n_changed = changed_copy(args.file, changed_file)
        sizes = {}
        for i in range(args.repeat):
            with tempfile.TemporaryDirectory() as tmp:
                db_path = Path(tmp) / "bench.duckdb"
                results["pandas"].append(run("pandas", args.file, db_path))
                results["first"].append(run("ingest", args.file, db_path))
                results["repeat"].append(run("ingest", args.file, db_path))
                results["changed"].append(run("ingest", changed_file, db_path))
                results["cli"].append(run_cli(args.file, Path(tmp) / "cli.duckdb"))
                if i == 0:  # history must not grow with unchanged data
                    sizes["before"] = db_path.stat().st_size
                    for _ in range(10):
                        run("ingest", changed_file, db_path)
                    sizes["after"] = db_path.stat().st_size
    best = {k: min(v, key=lambda r: r["seconds"]) for k, v in results.items()}
    base = best["pandas"]["seconds"]
    print(f"file: {args.file} ({best['pandas']['rows']:,} rows); best of {args.repeat}")
    for k, label in (("pandas", "pandas.read_csv (read only)"), ("first", "sdgtrack ingest, new store"),
                     ("repeat", "sdgtrack ingest, unchanged re-load"),
                     ("changed", f"re-load, {n_changed:,} values changed"),
                     ("cli", "`sdgtrack ingest` CLI, new store")):
        r = best[k]
        print(f"{label:<36} {r['seconds']:7.2f} s  {r['seconds'] / base:5.2f}x pandas  "
              f"CPU {r['cpu']:6.2f} s  {r['cpu'] / best['pandas']['cpu']:5.2f}x  peak {r['peak_mb']:7.0f} MB")
    print(f"store size: {sizes['before'] / 1e6:.1f} MB after the changed re-load, {sizes['after'] / 1e6:.1f} MB "
          "after ten more unchanged re-loads")
    assert best["first"]["new"] == best["pandas"]["rows"], "ingest did not store every row"
    assert best["repeat"]["unchanged"] == best["pandas"]["rows"], "re-load was not all unchanged"
    assert best["changed"]["updated"] == n_changed, "the changed re-load did not update exactly the changed values"


if __name__ == "__main__":
    main()
