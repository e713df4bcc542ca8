"""Benchmark: U4SSC city returns, import (checks + ingest) and scoring, against baselines in the same run.

    python bench/cities.py [--cities 30] [--seed 1]

Makes ``--cities`` complete returns (all 112 KPI lines, valid random values) from the template,
then prints JSON with seconds for:
- ``import``: `city_import` of every return (cell checks, city area, tidy CSV, ingest), against
  ``ingest_only``: `db.ingest` of the same tidy rows into a fresh store (the ingest path alone);
- ``score``: `city_score` of every city (store read, targets, scoring, roll-ups), against
  ``read_only``: `db.observations` of the same city and dataset (the store read alone);
- ``report_html`` and ``report_pdf`` (if WeasyPrint is installed) for one city.
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
from sdgtrack.cities import city_import, city_report, city_score, city_template
from sdgtrack.frameworks import u4ssc
from sdgtrack.ingest import load


def make_return(template: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    rows = u4ssc.rows().set_index("key")
    frame = template.copy()
    keys = frame["code"] + frame["data_point"].map(lambda p: f"/{p}" if p else "")
    values = []
    for key in keys:
        kind = rows.loc[key, "unit_kind"]
        if kind == "yesno":
            values.append(rng.choice(["yes", "no"]))
        elif kind == "share01":
            values.append(f"{rng.uniform(0.2, 0.5):.3f}")
        elif kind == "percent":
            values.append(f"{rng.uniform(0, 100):.2f}")
        else:
            values.append(f"{rng.uniform(0, 500):.2f}")
    frame["value"] = values
    frame["status"] = "reported"
    frame["year"] = "2023"
    return frame


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cities", type=int, default=30)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    rng = np.random.default_rng(args.seed)
    out: dict = {"cities": args.cities, "lines_per_city": 112}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        city_template(tmp / "template.csv")
        template = pd.read_csv(tmp / "template.csv", dtype=str, keep_default_na=False)
        paths = []
        for i in range(args.cities):
            p = tmp / f"city{i}.csv"
            make_return(template, rng).to_csv(p, index=False)
            paths.append(p)

        db = sdgtrack.Database(tmp / "cities.duckdb")
        t = time.perf_counter()
        for i, p in enumerate(paths):
            city_import(db, p, city=f"Bench City {i}", country="578")
        out["import_s"] = time.perf_counter() - t

        # baseline: the same rows as tidy CSVs, ingested straight into a fresh store
        tidy_paths = []
        for i in range(args.cities):
            obs = db.observations(None, areas=[f"NO-BENCH-CITY-{i}"], all_disaggregations=True)
            tidy = pd.DataFrame({"series": obs["series"], "area": obs["area"], "year": obs["year"],
                                 "value": obs["value"], "unit": obs["unit"],
                                 "data_point": obs["dims"].str.removeprefix("data_point=")})
            tp = tmp / f"tidy{i}.csv"
            tidy.to_csv(tp, index=False)
            tidy_paths.append((tp, f"NO-BENCH-CITY-{i}"))
        base = sdgtrack.Database(tmp / "base.duckdb")
        for i in range(args.cities):
            base.add_area(f"NO-BENCH-CITY-{i}", f"Bench City {i}", parent="578", kind="city")
        t = time.perf_counter()
        for tp, code in tidy_paths:
            load(base, [tp], format="tidy", dataset=f"city-{code.lower()}")
        out["ingest_only_s"] = time.perf_counter() - t
        base.close()

        t = time.perf_counter()
        scored = [city_score(db, f"NO-BENCH-CITY-{i}") for i in range(args.cities)]
        out["score_s"] = time.perf_counter() - t
        t = time.perf_counter()
        for i in range(args.cities):
            db.observations(None, areas=[f"NO-BENCH-CITY-{i}"], all_disaggregations=True,
                            datasets=[f"city-no-bench-city-{i}"])
        out["read_only_s"] = time.perf_counter() - t
        out["lines_scored_per_city"] = int(scored[0].kpis["points"].notna().sum())

        t = time.perf_counter()
        city_report(db, "NO-BENCH-CITY-0", tmp / "r.html")
        out["report_html_s"] = time.perf_counter() - t
        try:
            import weasyprint  # noqa: F401

            t = time.perf_counter()
            city_report(db, "NO-BENCH-CITY-0", tmp / "r.pdf")
            out["report_pdf_s"] = time.perf_counter() - t
        except ImportError:
            out["report_pdf_s"] = None
        db.close()
    out["import_vs_ingest_only"] = out["import_s"] / out["ingest_only_s"]
    out["score_vs_read_only"] = out["score_s"] / out["read_only_s"]
    print(json.dumps({k: (round(v, 3) if isinstance(v, float) else v) for k, v in out.items()}, indent=1))


if __name__ == "__main__":
    main()
