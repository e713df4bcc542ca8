"""Benchmark: ingest at growing sizes (1 M to 100 M rows) against DuckDB's own read of the same file.

For each size a tidy CSV (series, area, year, value, sex) is generated with DuckDB: ``series`` x
248 areas x 20 years x 2 sexes plus the total, so the rows look like national data with one
breakdown. Each step runs in its own child process so that its peak memory (ru_maxrss) is its own,
one after the other in one session so the ratios compare like with like on this machine:

- ``duckdb``: DuckDB reads the whole file (``SELECT count(*), sum(value) FROM read_csv(...)``),
  the floor any ingest stands on;
- ``copy``: DuckDB copies the file into a table of a new store file, sorted by (series, area)
  (``CREATE TABLE ... AS SELECT * FROM read_csv(...) ORDER BY series, area``): the least a load
  into a store laid out for reads does, without a check, a history or the store's other columns;
- ``first``: the first load into a new store (Python API; schema and reference data excluded);
- ``again``: the same file loaded again (nothing changes);
and the store's size on disk after the first load.

    python bench/scale.py [--rows 1e6,1e7] [--memory-limit 20GB] [--keep DIR]

Figures are ratios to the ``duckdb`` step of the same size and run (wall time; ``cpu x`` is the
first load's CPU seconds over DuckDB's, steadier on a busy machine), and the first load's to the
``copy`` step (``x copy``); wall seconds and peak memory are printed beside them. 100 M rows need about 3.3 GB of CSV and the store: pass --keep to a disk
with room (the default is a temporary folder).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CHILD = r"""
import json, os, resource, sys, time
step, path, db_path, memory_limit = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
if step == "duckdb":
    import duckdb
    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")  # its bar shares stdout with the JSON line
    if memory_limit:
        con.execute(f"SET memory_limit = '{memory_limit}'")
    cpu0 = sum(resource.getrusage(resource.RUSAGE_SELF)[:2])
    t = time.perf_counter()
    rows, total = con.execute(f"SELECT count(*), sum(value) FROM read_csv('{path}')").fetchone()
    info = {"rows": rows}
elif step == "copy":
    import duckdb
    con = duckdb.connect(db_path)
    con.execute("SET enable_progress_bar = false")
    if memory_limit:
        con.execute(f"SET memory_limit = '{memory_limit}'")
    cpu0 = sum(resource.getrusage(resource.RUSAGE_SELF)[:2])
    t = time.perf_counter()
    con.execute(f"CREATE TABLE copy AS SELECT * FROM read_csv('{path}') ORDER BY series, area")
    con.close()
    info = {"rows": None}
else:
    if memory_limit:
        os.environ["SDGTRACK_MEMORY_LIMIT"] = memory_limit
    import sdgtrack
    from sdgtrack.ingest import load
    db = sdgtrack.Database(db_path)
    cpu0 = sum(resource.getrusage(resource.RUSAGE_SELF)[:2])
    t = time.perf_counter()  # schema and reference data are not part of the ingest
    r = load(db, path, dataset="scale")
    info = {"rows": r.rows_read, "new": r.new, "unchanged": r.unchanged}
    db.close()
info["seconds"] = time.perf_counter() - t
usage = resource.getrusage(resource.RUSAGE_SELF)
info["cpu"] = usage.ru_utime + usage.ru_stime - cpu0
info["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(info))
"""

AREAS = 248  # the M49 countries
YEARS = 20
SEXES = ("_T", "F", "M")


def generate(path: Path, rows: int) -> int:
    """A tidy CSV of about ``rows`` rows; returns the exact count."""
    import duckdb

    per_series = AREAS * YEARS * len(SEXES)
    n_series = max(1, round(rows / per_series))
    con = duckdb.connect()
    con.execute(
        f"""
        COPY (
          WITH areas AS (SELECT code FROM read_csv('{_areas()}', all_varchar = true)
                         WHERE kind = 'country' ORDER BY code LIMIT {AREAS})
          SELECT 'SC_' || lpad(s::VARCHAR, 5, '0') AS series, a.code AS area, 2000 + y AS year,
                 round(((hash(s, a.code, y, x) % 100000) / 100.0)::DOUBLE, 2) AS value,
                 x AS sex
          FROM range({n_series}) t(s), areas a, range({YEARS}) u(y), (SELECT unnest({list(SEXES)}) AS x)
        ) TO '{path}' (HEADER)"""
    )
    return n_series * per_series


def _areas() -> Path:
    return Path(__file__).resolve().parents[1] / "src" / "sdgtrack" / "frameworks" / "data" / "areas.csv"


def child(step: str, path: Path, db_path: Path, memory_limit: str) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", CHILD, step, str(path), str(db_path), memory_limit],
        capture_output=True,
        text=True,
    )
    if out.returncode != 0:
        raise SystemExit(f"{step} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def size_mb(path: Path) -> float:
    files = [path, path.with_name(path.name + ".wal")]
    return sum(f.stat().st_size for f in files if f.exists()) / 1e6


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", default="1e6,1e7", help="sizes, comma-separated (e.g. 1e6,1e7,3e7,1e8)")
    ap.add_argument("--memory-limit", default="", help="DuckDB memory limit for both sides (e.g. 20GB)")
    ap.add_argument("--keep", type=Path, help="work in this folder and keep the files")
    args = ap.parse_args()
    sizes = [int(float(s)) for s in args.rows.split(",")]
    work_dir = args.keep or Path(tempfile.mkdtemp(prefix="sdgtrack-scale-"))
    work_dir.mkdir(parents=True, exist_ok=True)
    print(
        f"{'rows':>12} {'duckdb s':>9} {'copy s':>8} {'ingest s':>9} {'x duckdb':>9} {'x copy':>7} {'again s':>8} "
        f"{'x duckdb':>9} {'cpu x':>6} {'peak MB':>8} {'store MB':>9} {'CSV MB':>7}"
    )
    for target in sizes:
        csv = work_dir / f"tidy_{target}.csv"
        db_path = work_dir / f"scale_{target}.duckdb"
        for old in (db_path, db_path.with_name(db_path.name + ".wal")):
            old.unlink(missing_ok=True)
        t = time.perf_counter()
        rows = generate(csv, target) if not csv.exists() else None
        made = time.perf_counter() - t
        base = child("duckdb", csv, db_path, args.memory_limit)
        copy_path = db_path.with_name(db_path.name + ".copy")
        copy_path.unlink(missing_ok=True)
        copy = child("copy", csv, copy_path, args.memory_limit)
        copy_path.unlink(missing_ok=True)
        first = child("first", csv, db_path, args.memory_limit)
        again = child("again", csv, db_path, args.memory_limit)
        assert first["new"] == base["rows"] and again["unchanged"] == base["rows"], (first, again, base)
        print(
            f"{base['rows']:>12,} {base['seconds']:>9.2f} {copy['seconds']:>8.2f} {first['seconds']:>9.2f} "
            f"{first['seconds'] / base['seconds']:>9.2f} {first['seconds'] / copy['seconds']:>7.2f} "
            f"{again['seconds']:>8.2f} "
            f"{again['seconds'] / base['seconds']:>9.2f} {first['cpu'] / base['cpu']:>6.2f} "
            f"{max(first['peak_mb'], again['peak_mb']):>8.0f} "
            f"{size_mb(db_path):>9.0f} {csv.stat().st_size / 1e6:>7.0f}"
            + (f"   (generated {rows:,} rows in {made:.1f} s)" if rows else ""),
            flush=True,
        )
        if not args.keep:
            csv.unlink()
            db_path.unlink(missing_ok=True)


if __name__ == "__main__":
    main()
