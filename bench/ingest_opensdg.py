"""Benchmark: ingest of Open SDG repositories (UK, Canada) and Rwanda's SDMX file vs reading them.

Baseline, in the same process and session: pandas.read_csv of every indicator CSV
(for Rwanda: sdmx1's read_sdmx + to_pandas of the message). Ingest runs with --skip-invalid
(the real UK and Canada data hold a few invalid rows) on a new store, then again (re-load);
"reader (staging)" is the reader alone, before validation and merge.

    python bench/ingest_opensdg.py [--shared ../shared/data] [--repeat 3]
"""
from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path
from sdgtrack.ingest import load


def baseline(root: Path) -> tuple[float, int]:
    t = time.perf_counter()
    if root.name == "rwanda":
        import sdmx

        dsd = sdmx.read_sdmx(root / "RWA_2025_SDG DSD.xml").structure["SDG"]
        msg = sdmx.read_sdmx(root / "sdmx-data" / "2025_RWA-SDG_Data.xml", structure=dsd)
        rows = len(sdmx.to_pandas(msg.data[0]))
    else:
        import pandas as pd

        rows = sum(len(pd.read_csv(f, dtype=str, skip_blank_lines=True)) for f in sorted(root.glob("data/indicator_*.csv")))
    return time.perf_counter() - t, rows


def stage(root: Path, db_path: Path) -> tuple[float, int]:
    """The reader alone: CSV/SDMX to the staging table, before validation and merge."""
    import sdgtrack
    from sdgtrack.ingest import registry
    from sdgtrack.ingest.canonical import create_staging

    db = sdgtrack.Database(db_path)
    create_staging(db.con, "__bench_staged")
    t = time.perf_counter()
    registry.detect(root).read(db.con, root, "__bench_staged", {"area": None})
    seconds = time.perf_counter() - t
    rows = db.con.execute("SELECT count(*) FROM __bench_staged").fetchone()[0]
    db.close()
    return seconds, rows


def ingest(root: Path, db_path: Path) -> tuple[float, object]:
    import sdgtrack

    db = sdgtrack.Database(db_path)
    t = time.perf_counter()  # schema and reference data are not part of the ingest
    report = load(db, root, skip_invalid=True, rejected_path=db_path.with_suffix(".rejected.csv"))
    seconds = time.perf_counter() - t
    db.close()
    return seconds, report


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", type=Path, default=None, help="the shared/data folder (default ../shared/data)")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    args.shared = args.shared or Path(__file__).resolve().parents[2] / "shared" / "data"
    for name in ("uk", "canada", "rwanda"):
        root = args.shared / "opensdg" / name
        best = {"read": None, "stage": None, "first": None, "repeat": None}
        for _ in range(args.repeat):
            with tempfile.TemporaryDirectory() as tmp:
                db_path = Path(tmp) / "bench.duckdb"
                runs = {"read": baseline(root), "stage": stage(root, db_path), "first": ingest(root, db_path),
                        "repeat": ingest(root, db_path)}
            for k, v in runs.items():
                if best[k] is None or v[0] < best[k][0]:
                    best[k] = v
        base = best["read"][0]
        first, again = best["first"][1], best["repeat"][1]
        print(f"{name}: best of {args.repeat}; read only {base:.2f} s ({best['read'][1]:,} rows)")
        print(f"  reader (staging)  {best['stage'][0]:.2f} s = {best['stage'][0] / base:.2f}x  "
              f"({best['stage'][1]:,} rows staged)")
        print(f"  ingest, new store {best['first'][0]:.2f} s = {best['first'][0] / base:.2f}x  "
              f"({first.rows_read:,} rows read, {first.new:,} new, {first.rejected} rejected, {first.series} series)")
        print(f"  re-load           {best['repeat'][0]:.2f} s = {best['repeat'][0] / base:.2f}x  "
              f"({again.new} new, {again.unchanged:,} unchanged)")


if __name__ == "__main__":
    main()
