"""Compare sdgtrack's SDG Index pipeline from raw values with the published SDR 2023 results.

Two runs with the SDR 2024 codebook (src/sdgtrack/index/data/sdr2024_codebook.csv) and the SDR 2023
regions: (a) the raw values published in sdr2023.csv, (b) the SDR 2024 panel, values up to 2023
(trends need its yearly series). Prints how many normalised scores, colours, trends, goal scores,
index values and ranks agree with the publication.

Run: PYTHONPATH=src python tools/compare_sdr2023.py [path/to/shared/data]
"""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import pandas as pd

import sdgtrack
from sdgtrack.index import load_codebook, sdg_index, shipped
from sdgtrack.index.codebook import REQUIRED as COLUMNS
from sdgtrack.ingest import load

REPO = Path(__file__).resolve().parents[1]
ARROW_LABEL = {"↑": "on track", "➚": "moderately improving", "→": "stagnating", "↓": "decreasing"}


def published(sdr: Path, iso_to_code: dict) -> tuple[pd.DataFrame, pd.DataFrame]:
    pub = pd.read_csv(sdr / "sdr2023.csv")
    pub = pub[~pub["Country Code ISO3"].str.startswith("_")].copy()
    pub["area"] = pub["Country Code ISO3"].map(iso_to_code)
    cols = list(pub.columns)
    codes = [c[len("Year: "):] for c in cols if c.startswith("Year: ")]
    long = []
    for code in codes:
        trend_col = f"Trend: {code}" if f"Trend: {code}" in cols else (
            "Trend: sdg5_fplmodel" if code == "sdg5_familypl" else None)
        long.append(pd.DataFrame({
            "area": pub["area"], "indicator": code,
            "pub_score": pub.get(f"Normalized Score: {code}"),
            "pub_colour": pub.get(f"Dashboard Color: {code}"),
            "pub_trend": pub[trend_col].map(ARROW_LABEL) if trend_col else None}))
    return pub, pd.concat(long, ignore_index=True)


def compare(result, pub: pd.DataFrame, pub_long: pd.DataFrame) -> dict:
    ind = result.indicators.merge(pub_long, on=["area", "indicator"], how="inner")
    out = {}
    s = ind[ind["pub_score"].notna() & ind["score"].notna()]
    diff = (s["score"] - s["pub_score"]).abs()
    out["normalised scores within 0.1"] = f"{(diff <= 0.1).sum()} / {len(s)} (within 1 point: {(diff <= 1).sum()})"
    every = pub_long[pub_long["pub_score"].notna()].merge(result.indicators[["area", "indicator", "score"]],
                                                          on=["area", "indicator"], how="left")
    missing_ours = every["score"].isna()
    out["published scores we cannot compute"] = (f"{missing_ours.sum()} (indicators not in the 2024 codebook or "
                                                 f"without a value: {every.loc[missing_ours, 'indicator'].nunique()})")
    c = ind[ind["pub_colour"].notna() & ind["colour"].notna()]
    out["indicator colours equal"] = f"{(c['colour'] == c['pub_colour']).sum()} / {len(c)}"
    t = ind[ind["pub_trend"].notna() & ind["trend"].notna()]
    out["indicator trends equal"] = f"{(t['trend'] == t['pub_trend']).sum()} / {len(t)}"
    m = result.areas.merge(pub, on="area")
    goals, gcol, gtr = [], [], []
    for g in range(1, 18):
        both = m[f"goal_{g}"].notna() & m[f"Goal {g} Score"].notna()
        goals.append((m.loc[both, f"goal_{g}"] - m.loc[both, f"Goal {g} Score"]).abs())
        pc = m[f"Goal {g} Dash"]
        cc = pc.notna() & (pc != "grey")
        gcol.append(m.loc[cc, f"goal_{g}_colour"] == pc[cc])
        pt = m[f"Goal {g} Trend"].map(ARROW_LABEL)
        tt = pt.notna() & m[f"goal_{g}_trend"].notna()
        gtr.append(m.loc[tt, f"goal_{g}_trend"] == pt[tt])
    goals, gcol, gtr = pd.concat(goals), pd.concat(gcol), pd.concat(gtr)
    out["goal scores within 1 point"] = f"{(goals <= 1).sum()} / {len(goals)} (median |diff| {goals.median():.2f})"
    out["goal colours equal (non-grey)"] = f"{gcol.sum()} / {len(gcol)}"
    out["goal trends equal"] = f"{gtr.sum()} / {len(gtr)}"
    both = m["index"].notna() & m["2023 SDG Index Score"].notna()
    d = (m.loc[both, "index"] - m.loc[both, "2023 SDG Index Score"]).abs()
    out["index: areas with one (ours / published / both)"] = (
        f"{m['index'].notna().sum()} / {m['2023 SDG Index Score'].notna().sum()} / {both.sum()}")
    out["index within 1 point"] = f"{(d <= 1).sum()} / {both.sum()} (median |diff| {d.median():.2f}, max {d.max():.2f})"
    rho = m.loc[both, "index"].rank().corr(m.loc[both, "2023 SDG Index Score"].rank())
    out["rank correlation (Spearman)"] = f"{rho:.3f}"
    return out


def main(shared: Path) -> None:
    sdr = shared / "sdr"
    book, regions = shipped("sdr2024_codebook.csv"), shipped("sdr2023_regions.csv")
    with tempfile.TemporaryDirectory() as tmp:
        runs = {}
        for name, src, year in (("a: SDR 2023 raw values", "sdr2023.csv", None),
                                ("b: SDR 2024 panel, up to 2023", "sdr2024_indicators.csv", 2023)):
            db = sdgtrack.Database(Path(tmp) / f"{src}.duckdb")
            load(db, sdr / src)
            iso = dict(db.con.execute("SELECT iso3, code FROM area WHERE iso3 IS NOT NULL").fetchall())
            pub, pub_long = published(sdr, iso)
            # the 2023 file also holds published scores (series '<code>.score'): use the raw series only
            known = {r[0] for r in db.con.execute("SELECT code FROM series").fetchall()}
            codebook = load_codebook(book)
            codebook = codebook[codebook["indicator"].isin(known)]  # 2024-only indicators have no 2023 data
            result = sdg_index(db, codebook[COLUMNS], regions, year=year, max_missing=0.3)
            runs[name] = compare(result, pub, pub_long)
            db.close()
    table = pd.DataFrame(runs)
    with pd.option_context("display.max_colwidth", 80, "display.width", 200):
        print(table.to_string())


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else REPO.parent / "shared" / "data")
