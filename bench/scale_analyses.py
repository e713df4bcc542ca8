"""Benchmark: progress, interlinkages and the SDG Index on a large store, within a memory limit.

    python bench/scale_analyses.py --db STORE [--memory-limit 8GB] [--only scan,progress,links,index]
        [--links-areas N] [--sdr FILE] [--work DIR]

Each step runs in its own child process, one after the other, so its peak memory (ru_maxrss) is
its own and the ratios compare like with like on this machine:

- ``scan``: DuckDB's own scan of the headline values every analysis reads
  (``SELECT count(*), sum(value) FROM observation WHERE is_headline AND value IS NOT NULL``,
  read-only): the floor the analyses stand on, and the baseline of the ratios;
- ``progress``: ``Workspace.assess`` (UNSD method, every series x area with a target row, not
  kept), reading the store some series at a time (about 4 M values a read,
  ``progress.assess.VALUES_PER_READ``);
- ``links``: ``links.statistical.statistical_links`` over every country (or the first N with
  ``--links-areas``), the default null (20 permutations), reading some areas at a time (about 4 M values a read) and writing
  each area's pairs to Parquet as soon as they are computed (``parquet_writer``), so that neither
  the values nor the pairs of every area are held at once;
- ``index``: ``Workspace.index`` with the shipped SDR 2024 codebook and 2023 regions, where the
  store holds the SDR indicators; with ``--sdr FILE`` the step first copies the store to the work
  folder and loads the SDR file into the copy (``sdgtrack.ingest.load``, a dataset of its own), so
  the index reads its indicators out of a store of this size.

A store of synthetic series (``bench/scale.py``: ``SC_00000``... with no target row and no
indicator link) gives progress and links nothing to do; the bench writes a targets file for the
series without a row in the shipped table (a user's ``--targets`` file: directions alternating,
a numeric target for every third series), as a user would to assess their own series, and hands it
to both. ``--targets FILE`` uses a file of your own instead.

Figures are wall seconds, CPU seconds, peak MB and the output's rows, with the ratio of the wall
time to the ``scan`` step of the same run.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SDR = REPO.parent / "shared" / "data" / "sdr" / "sdr2024_indicators.csv"

CHILD = r"""
import json, os, resource, sys, time
from pathlib import Path
step, db_path, memory_limit, targets, extra = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5]
extra = json.loads(extra)
if memory_limit:
    os.environ["SDGTRACK_MEMORY_LIMIT"] = memory_limit
info = {}
if step == "scan":
    import duckdb
    con = duckdb.connect(db_path, read_only=True)
    if memory_limit:
        con.execute(f"SET memory_limit = '{memory_limit}'")
    cpu0 = sum(resource.getrusage(resource.RUSAGE_SELF)[:2])
    t = time.perf_counter()
    rows, _ = con.execute(
        "SELECT count(*), sum(value) FROM observation WHERE is_headline AND value IS NOT NULL AND variant <= 1"
    ).fetchone()
    info["rows"] = rows
elif step == "progress":
    import sdgtrack
    ws = sdgtrack.open(db_path, read_only=True)
    cpu0 = sum(resource.getrusage(resource.RUSAGE_SELF)[:2])
    t = time.perf_counter()
    out = ws.assess(method="unsd", targets=targets or None, save=False)
    table = out.table
    info["rows"] = len(table)
    info["assessed"] = int((table["status"] != "insufficient_data").sum())
elif step == "links":
    import sdgtrack
    from sdgtrack.links.statistical import parquet_writer, statistical_links
    ws = sdgtrack.open(db_path, read_only=True)
    areas = None
    if extra.get("areas"):
        with_data = set(ws.store.con.execute("SELECT DISTINCT area FROM observation").df()["area"])
        countries = [c for c in ws.store.areas(kind="country")["code"] if c in with_data]
        areas = sorted(countries, key=lambda c: (0, int(c), "") if c.isdigit() else (1, 0, c))[: extra["areas"]]
    cpu0 = sum(resource.getrusage(resource.RUSAGE_SELF)[:2])
    t = time.perf_counter()
    res = statistical_links(ws.store, areas=areas, targets=targets or None, write=parquet_writer(extra["out"]))
    info["rows"] = res.meta["pairs"]
    info["areas"] = res.meta["areas"]
    info["series"] = res.meta["series"]
    info["out_mb"] = sum(f.stat().st_size for f in Path(extra["out"]).glob("*.parquet")) / 1e6
else:  # index
    import sdgtrack
    from sdgtrack.index import shipped
    if extra.get("sdr"):
        from sdgtrack.ingest import load
        db = sdgtrack.Database(db_path)
        t = time.perf_counter()
        load(db, extra["sdr"])
        info["sdr_load_s"] = time.perf_counter() - t
        db.close()
    ws = sdgtrack.open(db_path, read_only=True)
    cpu0 = sum(resource.getrusage(resource.RUSAGE_SELF)[:2])
    t = time.perf_counter()
    out = ws.index(shipped("sdr2024_codebook.csv"), shipped("sdr2023_regions.csv"), save=False)
    table = out.table
    info["rows"] = len(table)
info["seconds"] = time.perf_counter() - t
usage = resource.getrusage(resource.RUSAGE_SELF)
info["cpu"] = usage.ru_utime + usage.ru_stime - cpu0
info["peak_mb"] = usage.ru_maxrss / 1024
print(json.dumps(info))
"""


def child(step: str, db: Path, memory_limit: str, targets: str, extra: dict | None = None) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", CHILD, step, str(db), memory_limit, targets, json.dumps(extra or {})],
        capture_output=True,
        text=True,
    )
    if out.returncode != 0:
        raise SystemExit(f"{step} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def write_targets(db: Path, path: Path) -> int:
    """A targets file for the store's series without a row in the shipped table; returns its rows."""
    import duckdb
    import pandas as pd

    from sdgtrack.progress.targets import default_targets

    con = duckdb.connect(str(db), read_only=True)
    series = [r[0] for r in con.execute("SELECT code FROM series ORDER BY code").fetchall()]
    con.close()
    have = set(default_targets()["series"])
    lacking = [s for s in series if s not in have]
    frame = pd.DataFrame(
        {
            "series": lacking,
            "direction": ["increase" if k % 2 == 0 else "decrease" for k in range(len(lacking))],
            # the synthetic values lie in [0, 1000): a target inside the range for every third series
            "target": ["" if k % 3 else ("800" if k % 2 == 0 else "200") for k in range(len(lacking))],
            "source": "bench/scale_analyses.py",
        }
    )
    frame.to_csv(path, index=False)
    return len(frame)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", type=Path, required=True, help="the store (opened read-only, except by --sdr's copy)")
    ap.add_argument("--memory-limit", default="8GB", help="SDGTRACK_MEMORY_LIMIT of every step (DuckDB's limit)")
    ap.add_argument("--only", default="scan,progress,links,index", help="steps, comma-separated")
    ap.add_argument("--targets", help="a targets CSV (default: written for the series without a shipped row)")
    ap.add_argument("--links-areas", type=int, help="links over the first N countries with data only")
    ap.add_argument("--sdr", type=Path, help=f"load this SDR file into a copy of the store for the index ({SDR})")
    ap.add_argument("--work", type=Path, help="folder for the targets, the pairs and the copy (default: temporary)")
    args = ap.parse_args()
    steps = args.only.split(",")
    work = args.work or Path(tempfile.mkdtemp(prefix="sdgtrack-analyses-"))
    work.mkdir(parents=True, exist_ok=True)
    if args.targets:
        targets = str(args.targets)
    else:
        targets = str(work / "targets.csv")
        print(f"targets: {write_targets(args.db, Path(targets)):,} rows written to {targets}")
    print(f"store {args.db} ({args.db.stat().st_size / 1e6:,.0f} MB), memory limit {args.memory_limit or 'none'}")
    print(f"{'step':>9} {'seconds':>9} {'cpu s':>8} {'x scan':>8} {'peak MB':>8} {'rows out':>14}  notes", flush=True)
    base = None
    for step in steps:
        extra: dict = {}
        db = args.db
        if step == "links":
            extra = {"out": str(work / "pairs"), "areas": args.links_areas}
            shutil.rmtree(work / "pairs", ignore_errors=True)
        if step == "index" and args.sdr:
            db = work / "with_sdr.duckdb"
            t = time.perf_counter()
            shutil.copyfile(args.db, db)
            extra = {"sdr": str(args.sdr), "copy_s": time.perf_counter() - t}
        r = child(step, db, args.memory_limit, targets, extra)
        if step == "scan":
            base = r["seconds"]
        notes = {k: r[k] for k in r if k not in ("seconds", "cpu", "peak_mb", "rows")}
        ratio = f"{r['seconds'] / base:8.1f}" if base else f"{'':>8}"
        print(
            f"{step:>9} {r['seconds']:>9.2f} {r['cpu']:>8.2f} {ratio} {r['peak_mb']:>8.0f} {r['rows']:>14,}  "
            + ", ".join(f"{k} {v:,.1f}" if isinstance(v, float) else f"{k} {v:,}" for k, v in notes.items()),
            flush=True,
        )
        if step == "links":
            shutil.rmtree(work / "pairs", ignore_errors=True)
        if step == "index" and args.sdr:
            (work / "with_sdr.duckdb").unlink(missing_ok=True)
    if not args.work:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
