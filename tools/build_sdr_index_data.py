"""Build the SDR reference tables shipped in src/sdgtrack/index/data/ from ../shared/data/sdr.

- sdr2024_codebook.csv: the SDR 2024 codebook in sdgtrack's codebook layout
  (indicator, goal, optimum, lower_bound, green_threshold, red_threshold, in_index, trend, title).
  ``in_index`` = the codebook's ``Global`` column, ``trend`` = ``Trend_Global``. Rows whose published
  bounds are rounded to the same number (optimum = lower bound, e.g. sdg2_trophic 2/2/2/2) cannot
  define a score and are left out; they are listed in data/README.md.
- sdr2023_regions.csv: area (ISO3), name, region (the 7 SDR regions of SDR 2023) and
  goals_not_applicable: ``14`` for the 43 landlocked members, found as the countries without a value
  for any of the five marine indicators of SDR 2023 (SDR scores no Goal 14 for them).

Run: python tools/build_sdr_index_data.py [path/to/shared/data]
"""
from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "src" / "sdgtrack" / "index" / "data"
MARINE = ["sdg14_cpma", "sdg14_cleanwat", "sdg14_fishstocks", "sdg14_trawl", "sdg14_discard"]


def build_codebook(sdr: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    src = pd.read_csv(sdr / "sdr2024_codebook.csv", dtype=str, keep_default_na=False)
    book = pd.DataFrame({
        "indicator": src["IndCode"].str.strip(),
        "goal": src["SDG"].astype(int),
        "optimum": pd.to_numeric(src["Optimum (= 100)"]),
        "lower_bound": pd.to_numeric(src["Lower Bound (=0)"]),
        "green_threshold": pd.to_numeric(src["Green threshold"]),
        "red_threshold": pd.to_numeric(src["Red threshold"]),
        "in_index": src["Global"].str.strip().str.lower().map({"yes": "yes"}).fillna("no"),
        "trend": src["Trend_Global"].str.strip().str.lower().map({"yes": "yes"}).fillna("no"),
        "title": src["Indicator"].str.strip(),
    })
    degenerate = book["optimum"] == book["lower_bound"]
    return book[~degenerate], book[degenerate]


def build_regions(sdr: Path) -> pd.DataFrame:
    data = pd.read_csv(sdr / "sdr2023.csv", dtype=str)
    data = data[~data["Country Code ISO3"].str.startswith("_")]
    cols = list(data.columns)
    marine_values = [cols[cols.index(f"Year: {code}") - 1] for code in MARINE]
    landlocked = data[marine_values].isna().all(axis=1)
    return pd.DataFrame({
        "area": data["Country Code ISO3"], "name": data["Country"],
        "region": data["Regions used for the SDR"],
        "goals_not_applicable": landlocked.map({True: "14", False: ""}),
    }).sort_values("area")


def main(shared: Path) -> None:
    sdr = shared / "sdr"
    OUT.mkdir(parents=True, exist_ok=True)
    book, dropped = build_codebook(sdr)
    book.to_csv(OUT / "sdr2024_codebook.csv", index=False)
    regions = build_regions(sdr)
    regions.to_csv(OUT / "sdr2023_regions.csv", index=False)
    print(f"codebook: {len(book)} indicators ({(book.in_index == 'yes').sum()} in the index); "
          f"left out (optimum = lower bound): {', '.join(dropped.indicator)}")
    print(f"regions: {len(regions)} areas, {(regions.goals_not_applicable != '').sum()} without Goal 14")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else REPO.parent / "shared" / "data")
