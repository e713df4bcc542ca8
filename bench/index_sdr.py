"""Benchmark: the SDG Index over the SDR 2024 panel (193 countries x 125 indicators x 25 years) vs a
plain read of the same observations from the store, in one process, best of N runs each.

    PYTHONPATH=src python bench/index_sdr.py [--file ../shared/data/sdr/sdr2024_indicators.csv] [--repeat 5]
"""
from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import sdgtrack
from sdgtrack.index import load_codebook, sdg_index, shipped
from sdgtrack.index.codebook import REQUIRED
from sdgtrack.ingest import load

REPO = Path(__file__).resolve().parents[1]


def best(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--file", default=str(REPO.parent / "shared" / "data" / "sdr" / "sdr2024_indicators.csv"))
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = sdgtrack.Database(Path(tmp) / "bench.duckdb")
        load(db, args.file)
        book = load_codebook(shipped("sdr2024_codebook.csv"))[REQUIRED]
        codes = book["indicator"].tolist()
        n_obs = db.con.execute("SELECT count(*) FROM observation").fetchone()[0]
        read = best(lambda: db.con.execute(
            "SELECT series, area, year, value FROM observation WHERE series IN (SELECT unnest(?::VARCHAR[]))",
            [codes]).df(), args.repeat)
        index = best(lambda: sdg_index(db, book, shipped("sdr2023_regions.csv"), year=2023), args.repeat)
        db.close()
    print(f"{n_obs:,} observations, {len(book)} indicators, best of {args.repeat}")
    print(f"read the observations: {read:.3f} s")
    print(f"sdg_index (scores, imputation, colours, trends): {index:.3f} s = {index / read:.1f} x the read")


if __name__ == "__main__":
    main()
