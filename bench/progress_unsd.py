"""Benchmark: the UNSD progress assessment of every headline series x area of the 2020 UN extract,
against a straightforward pandas groupby-apply implementation of the same rule, in the same process.

    python bench/progress_unsd.py [--file ../shared/data/unsd/sdg_global_2020.csv.gz] [--repeat 3]

Prints JSON: seconds for the whole API call (headline query + assessment), for the vectorised
assessment alone on the same values frame, for the groupby-apply baseline on that frame, their ratio,
and whether the two implementations agree on every status.
"""
from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

import sdgtrack
from sdgtrack.progress.assess import assess_series, target_table
from sdgtrack.progress.methods import unsd
from sdgtrack.ingest import load


def baseline(values: pd.DataFrame, table: pd.DataFrame) -> pd.DataFrame:
    """The UNSD rule, one (series, area) group at a time, as one would first write it."""
    goals = table[table["area"] == ""].set_index("series")
    specific = table[table["area"] != ""].set_index(["series", "area"])

    def one(group: pd.DataFrame) -> pd.Series:
        series, area = group.name
        goal = specific.loc[(series, area)] if (series, area) in specific.index else goals.loc[series]
        d = 1.0 if goal["direction"] == "increase" else -1.0
        window = group[group["year"] >= 2015]
        if len(window) < 2:
            return pd.Series({"status": "insufficient_data", "score": np.nan})
        t0, v0 = window["year"].iloc[0], window["value"].iloc[0]
        t1, v1 = window["year"].iloc[-1], window["value"].iloc[-1]
        target = goal["target"]
        if goal["target_kind"] == "baseline_ratio":
            target = target * v0
        if not np.isnan(target) and d * (v1 - target) >= 0:
            return pd.Series({"status": "on_track", "score": 5.0})
        if v0 <= 0 or v1 <= 0:
            return pd.Series({"status": "insufficient_data", "score": np.nan})
        g = (v1 / v0) ** (1 / (t1 - t0)) - 1
        if np.isnan(target):
            x = d * g
            return pd.Series({"status": unsd.status_from_growth([x])[0], "score": unsd.score_from_growth([x])[0]})
        expected = v1 * (1 + g) ** max(goal["target_year"] - t1, 0)
        gap = abs(target - v0)
        r = d * (expected - v0) / gap if gap > 0 else -np.inf
        return pd.Series({"status": unsd.status_from_ratio([r])[0], "score": unsd.score_from_ratio([r])[0]})

    values = values[values["series"].isin(set(table["series"]))]
    return values.groupby(["series", "area"], sort=True).apply(one, include_groups=False).reset_index()


def main(path: Path, repeat: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db = sdgtrack.Database(Path(tmp) / "bench.duckdb")
        load(db, path)
        table = target_table(db)
        values = db.headline_values()
        full, core, slow = [], [], []
        for _ in range(repeat):
            t = time.perf_counter(); result = assess_series(db, "unsd"); full.append(time.perf_counter() - t)
            t = time.perf_counter(); assess_series(db, "unsd", values=values); core.append(time.perf_counter() - t)
        for _ in range(max(1, repeat // 3)):
            t = time.perf_counter(); base = baseline(values, table); slow.append(time.perf_counter() - t)
        merged = result.merge(base, on=["series", "area"], suffixes=("", "_baseline"))
        same = bool((merged["status"] == merged["status_baseline"]).all())
        close = bool(np.allclose(merged["score"], merged["score_baseline"], equal_nan=True))
        db.close()
    print(json.dumps({
        "pairs": len(result), "series": int(result["series"].nunique()), "areas": int(result["area"].nunique()),
        "assessed": int((result["status"] != "insufficient_data").sum()),
        "seconds_api_incl_query": round(min(full), 3), "seconds_vectorised": round(min(core), 3),
        "seconds_groupby_apply": round(min(slow), 3),
        "speedup_vectorised": round(min(slow) / min(core), 1), "speedup_api": round(min(slow) / min(full), 1),
        "same_statuses": same, "same_scores": close, "rows_compared": len(merged),
    }, indent=1))


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--file", type=Path,
                    default=Path(__file__).resolve().parents[2] / "shared" / "data" / "unsd" / "sdg_global_2020.csv.gz")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    main(args.file, args.repeat)
