"""Benchmark: ingest of the full UN SDG Global Database extract vs pandas.read_csv of the same file.

Each step runs in its own child process so its peak memory (ru_maxrss) is its own; the steps run
in one session, one after the other, so the ratio compares like with like on this machine.

    python bench/ingest_unsd.py [--file ../shared/data/unsd/sdg_global_2020.csv.gz] [--repeat 3]
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

CHILD = r"""
import json, resource, sys, time
step, path, db_path = sys.argv[1], sys.argv[2], sys.argv[3]
t = time.perf_counter()
if step == "pandas":
    import pandas as pd
    rows = len(pd.read_csv(path, low_memory=False))
    info = {"rows": rows}
else:
    import sdgtrack
    db = sdgtrack.open(db_path)
    t = time.perf_counter()  # schema and reference data are not part of the ingest
    r = db.ingest(path)
    info = {"rows": r.rows_read, "new": r.new, "unchanged": r.unchanged}
    db.close()
info["seconds"] = time.perf_counter() - t
info["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(info))
"""


def run(step: str, path: Path, db_path: Path) -> dict:
    out = subprocess.run([sys.executable, "-c", CHILD, step, str(path), str(db_path)],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--file", type=Path,
                    default=Path(__file__).resolve().parents[2] / "shared" / "data" / "unsd" / "sdg_global_2020.csv.gz")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    results = {"pandas": [], "first": [], "repeat": []}
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory() as tmp:
            db_path = Path(tmp) / "bench.duckdb"
            results["pandas"].append(run("pandas", args.file, db_path))
            results["first"].append(run("ingest", args.file, db_path))
            results["repeat"].append(run("ingest", args.file, db_path))
    best = {k: min(v, key=lambda r: r["seconds"]) for k, v in results.items()}
    base = best["pandas"]["seconds"]
    print(f"file: {args.file} ({best['pandas']['rows']:,} rows); best of {args.repeat}")
    for k, label in (("pandas", "pandas.read_csv (read only)"), ("first", "sdgtrack ingest, new store"),
                     ("repeat", "sdgtrack ingest, unchanged re-load")):
        r = best[k]
        print(f"{label:<36} {r['seconds']:7.2f} s  {r['seconds'] / base:5.2f}x pandas  peak {r['peak_mb']:7.0f} MB")
    assert best["first"]["new"] == best["pandas"]["rows"], "ingest did not store every row"
    assert best["repeat"]["unchanged"] == best["pandas"]["rows"], "re-load was not all unchanged"


if __name__ == "__main__":
    main()
