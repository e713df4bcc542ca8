"""Proof on published data: the SDR 2023 goal scores, index and ranks recomputed from the published
normalised scores (identity codebook: optimum 100, lower bound 0) and the published SDR regions;
then the pipeline from raw values with the SDR 2024 codebook (agreement figures, see
docs/methods/index.md and tools/compare_sdr2023.py)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import sdgtrack
from sdgtrack.index import load_codebook, sdg_index, shipped
from sdgtrack.index.codebook import REQUIRED
from sdgtrack.ingest import load

from .conftest import shared_path


@pytest.fixture(scope="module")
def sdr_db(tmp_path_factory):
    database = sdgtrack.Database(tmp_path_factory.mktemp("sdr") / "sdr.duckdb")
    load(database, shared_path("sdr", "sdr2023.csv"))
    yield database
    database.close()


@pytest.fixture(scope="module")
def published(sdr_db):
    pub = pd.read_csv(shared_path("sdr", "sdr2023.csv"))
    pub = pub[~pub["Country Code ISO3"].str.startswith("_")].copy()
    iso = dict(sdr_db.con.execute("SELECT iso3, code FROM area WHERE iso3 IS NOT NULL").fetchall())
    return pub.assign(area=pub["Country Code ISO3"].map(iso))


def identity_codebook(db) -> pd.DataFrame:
    series = [r[0] for r in db.con.execute("SELECT code FROM series WHERE ends_with(code, '.score')").fetchall()]
    return pd.DataFrame(
        {
            "indicator": series,
            "goal": [int(s.split("_")[0][3:]) for s in series],
            "optimum": 100,
            "lower_bound": 0,
            "green_threshold": 100,
            "red_threshold": 0,
            "in_index": "yes",
            "trend": "no",
        }
    )


def test_sdr2023_goal_scores_index_and_ranks_are_reproduced(sdr_db, published):
    book = identity_codebook(sdr_db)
    assert len(book) == 98
    # SDR 2023 ranks countries with up to 25.5% of its 98 index indicators missing (Cabo Verde), so the
    # 20% default would drop 8 ranked countries: the proof uses 30%.
    result = sdg_index(sdr_db, book, shipped("sdr2023_regions.csv"), max_missing=0.3)
    merged = published.merge(result.areas, on="area", how="left", validate="one_to_one")
    for g in range(1, 18):
        ours, theirs = merged[f"goal_{g}"], merged[f"Goal {g} Score"]
        assert (ours.notna() == theirs.notna()).all(), f"goal {g}: which countries have a score"
        assert (ours - theirs).abs().max() <= 0.1, f"goal {g}"
    ranked = merged["2023 SDG Index Score"].notna()
    assert ranked.sum() == 166
    assert merged.loc[ranked, "index"].notna().all()
    assert merged.loc[~ranked, "index"].isna().all()
    assert (merged.loc[ranked, "index"] - merged.loc[ranked, "2023 SDG Index Score"]).abs().max() <= 0.1
    assert (merged.loc[ranked, "rank"].astype(int) == merged.loc[ranked, "2023 SDG Index Rank"].astype(int)).all()
    # Goal 14 is not scored for the landlocked countries but imputed for their index.
    aut = merged.set_index("Country Code ISO3").loc["AUT"]
    assert np.isnan(aut["goal_14"]) and "14" in aut["imputed_goals"].split(",")


def test_raw_values_with_the_2024_codebook_agree_mostly(sdr_db, published):
    known = {r[0] for r in sdr_db.con.execute("SELECT code FROM series").fetchall()}
    book = load_codebook(shipped("sdr2024_codebook.csv"))
    book = book[book["indicator"].isin(known)][REQUIRED]
    result = sdg_index(sdr_db, book, shipped("sdr2023_regions.csv"), max_missing=0.3)
    ind = result.indicators
    colours = []
    for code in book["indicator"]:
        col = f"Dashboard Color: {code}"
        if col in published.columns:
            colours.append(published[["area", col]].rename(columns={col: "pub"}).assign(indicator=code))
    cmp = ind.merge(pd.concat(colours).dropna(), on=["area", "indicator"])
    agreement = (cmp["colour"] == cmp["pub"]).mean()
    assert 0.90 <= agreement <= 0.95, agreement  # 92.3% (14,972 of 16,220) when written
    merged = published.merge(result.areas, on="area")
    goal_colours = pd.concat(
        [merged[[f"goal_{g}_colour", f"Goal {g} Dash"]].set_axis(["ours", "pub"], axis=1) for g in range(1, 18)]
    )
    goal_colours = goal_colours[goal_colours["pub"].notna() & (goal_colours["pub"] != "grey")]
    goal_agreement = (goal_colours["ours"] == goal_colours["pub"]).mean()
    assert 0.86 <= goal_agreement <= 0.90, goal_agreement  # 88.1% (2,678 of 3,040) when written
    both = merged["index"].notna() & merged["2023 SDG Index Score"].notna()
    assert both.sum() == 166
    rho = merged.loc[both, "index"].rank().corr(merged.loc[both, "2023 SDG Index Score"].rank())
    assert rho > 0.99
