"""Benchmark: importing questionnaire answers into the contributions registry.

Baseline, in the same process: reading the answer and splitting it into stripped lines (what any
parser must do). Measured: parsing the answer into records (field readers, country resolution),
importing it into a new store, re-importing it unchanged (idempotent path), and a JSON export.

    python bench/contributions_import.py [--shared ../shared/data] [--repeat 20]
"""
from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path


def best(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main() -> None:
    import sdgtrack
    from sdgtrack.contributions import Registry

    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", default=str(Path(__file__).resolve().parents[2] / "shared" / "data"))
    ap.add_argument("--repeat", type=int, default=20)
    args = ap.parse_args()
    path = Path(args.shared) / "questionnaires" / "itu-2023.txt"
    with tempfile.TemporaryDirectory() as tmp:
        db = sdgtrack.Database(Path(tmp) / "bench.duckdb")
        reg = Registry(db)
        reg.parse_file(path)  # warm the resolver cache and the YAML layout once, as a long run would

        base = best(lambda: [ln.strip() for ln in path.read_text("utf-8").split("\n")], args.repeat)
        parse = best(lambda: reg.parse_file(path), args.repeat)
        first = time.perf_counter()
        reg.import_file(path)
        first = time.perf_counter() - first
        again = best(lambda: reg.import_file(path), args.repeat)
        export = best(lambda: reg.export(Path(tmp) / "x.json", "json"), args.repeat)
        db.close()
    print(f"ITU 2023 answer ({path.stat().st_size:,} bytes, 32 records), best of {args.repeat}:")
    print(f"  baseline read + split lines   {base * 1e3:8.2f} ms   1.0x")
    for label, t in (("parse into records", parse), ("first import (new store)", first),
                     ("re-import, unchanged", again), ("export JSON", export)):
        print(f"  {label:<29} {t * 1e3:8.2f} ms {t / base:6.0f}x")


if __name__ == "__main__":
    main()
