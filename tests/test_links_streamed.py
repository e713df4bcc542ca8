"""Interlinkages and progress read in parts (some areas, some series at a time) give exactly what one
read of every value gives (docs/scale.md, "Analyses at scale")."""

from __future__ import annotations

import importlib

import numpy as np
import pandas as pd
import pandas.testing as pdt
import pytest

import sdgtrack
from sdgtrack.ingest import load
from sdgtrack.links.directions import directions as direction_table
from sdgtrack.links.options import LinkParameters
from sdgtrack.links.statistical import (
    link_values,
    links_from_values,
    parquet_writer,
    series_datasets,
    statistical_links,
)

assess_mod = importlib.import_module("sdgtrack.progress.assess")

AREAS = ["4", "8", "12", "24", "32", "36", "40", "50", "56", "76", "124", "156", "250", "276", "356", "404", "566"]
SERIES = [f"S{k:02d}" for k in range(9)]


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    """17 countries x 9 series x 16 years, with gaps, ties, a region's rows, and a series whose main
    unit is decided by areas outside any one group (each group alone would pick another)."""
    folder = tmp_path_factory.mktemp("streamed")
    rng = np.random.default_rng(7)
    rows = []
    for s, code in enumerate(SERIES):
        for a, area in enumerate(AREAS + ["419"]):  # 419: Latin America, a region (not a country)
            trend = rng.normal(0, 1)
            for y in range(2005, 2021):
                if rng.random() < 0.12:
                    continue  # gaps
                value = round(50 + trend * (y - 2005) + rng.normal(0, 3), 0 if s == 4 else 2)  # S04: ties
                # S08: percent in the first 6 countries and the region, number elsewhere: the
                # number is the main unit over every area, the percent in the first groups alone
                unit = "PERCENT" if code == "S08" and (a < 6 or area == "419") and y < 2018 else "NUMBER"
                rows.append((code, area, y, value, unit))
    csv = folder / "tidy.csv"
    pd.DataFrame(rows, columns=["series", "area", "year", "value", "unit"]).to_csv(csv, index=False)
    targets = folder / "targets.csv"
    directions = ["increase", "decrease"] * 4
    pd.DataFrame({"series": SERIES[:8], "direction": directions}).to_csv(targets, index=False)
    db = sdgtrack.Database(folder / "small.duckdb")
    load(db, csv, dataset="small")
    yield db, targets
    db.close()


def _one_read(db, targets, **kw):
    """The run as it was before the reads in parts: every value at once, every area in one part."""
    params = LinkParameters(**{k: v for k, v in kw.items() if k in LinkParameters.__dataclass_fields__})
    reading = {k: v for k, v in kw.items() if k in ("areas", "series", "start", "end", "datasets")}
    return links_from_values(link_values(db, **reading), direction_table(db, targets), params)


@pytest.mark.parametrize(
    "kw",
    [
        {"null_permutations": 5},
        {"null_permutations": 3, "bh": True, "transform": "diff", "min_years": 5},
        {"null_permutations": 0, "areas": ["276", "4", "Kenya", "419"], "start": 2008, "unknown_direction": "keep"},
    ],
)
@pytest.mark.parametrize("group", [1, 5, 100])
def test_streamed_links_equal_one_read(small, kw, group):
    db, targets = small
    one = _one_read(db, targets, **kw)
    assert len(one.pairs) > 50 and one.meta["synergies"] + one.meta["tradeoffs"] > 0
    streamed = statistical_links(db, targets=targets, area_group=group, **kw)
    pdt.assert_frame_equal(streamed.pairs, one.pairs)
    meta = {k: v for k, v in streamed.meta.items() if k not in ("areas_requested", "datasets", "direction_source")}
    assert meta == one.meta
    reading = {k: v for k, v in kw.items() if k in ("areas", "start")}
    assert streamed.meta["datasets"] == series_datasets(link_values(db, **reading))


def test_the_main_unit_is_the_whole_reads(small):
    """S08's number rows are the main unit over every area; a read of the first countries alone
    would keep the percent rows, and the streamed run must not."""
    db, targets = small
    alone = db.headline_values("S08", areas=AREAS[:5])
    assert set(alone["unit"]) == {"PERCENT"}
    streamed = statistical_links(db, targets=targets, area_group=2, null_permutations=0, series=["S08", "S01"])
    one = _one_read(db, targets, null_permutations=0, series=["S08", "S01"])
    pdt.assert_frame_equal(streamed.pairs, one.pairs)
    assert set(db.main_units("S08")["unit"]) == {"NUMBER"}


def test_written_pairs_are_the_pairs(small, tmp_path):
    db, targets = small
    one = _one_read(db, targets, null_permutations=4)
    streamed = statistical_links(
        db, targets=targets, area_group=3, null_permutations=4, write=parquet_writer(tmp_path / "p")
    )
    assert streamed.pairs.empty
    meta = {k: v for k, v in streamed.meta.items() if k not in ("areas_requested", "datasets", "direction_source")}
    assert meta == one.meta
    files = sorted((tmp_path / "p").glob("part-*.parquet"))
    assert len(files) == one.meta["areas"]
    written = pd.concat([pd.read_parquet(f) for f in files], ignore_index=True)
    expected = one.pairs.astype({c: str for c in ("area", "series_a", "series_b", "class")})
    pdt.assert_frame_equal(written, expected)


def test_pairs_folder_must_be_new_or_empty(small, tmp_path):
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "x").write_text("x")
    with pytest.raises(sdgtrack.UserInputError, match="new or empty folder"):
        parquet_writer(tmp_path / "full")


@pytest.mark.parametrize("values_per_read", [1, 600])
def test_progress_in_chunks_of_series_equals_one_read(small, values_per_read, monkeypatch):
    db, targets = small
    one = assess_mod.assess_series(db, "unsd", targets=targets)  # 2,000 values: one read
    monkeypatch.setattr(assess_mod, "VALUES_PER_READ", values_per_read)
    chunks = assess_mod._series_chunks(db, SERIES[:8], None, None)
    assert len(chunks) == (8 if values_per_read == 1 else 4) and sum(chunks, []) == SERIES[:8]
    parts = assess_mod.assess_series(db, "unsd", targets=targets)
    assert len(one) == 8 * 18 and one["status"].nunique() > 2
    pdt.assert_frame_equal(parts, one)
    assert parts.attrs == one.attrs


@pytest.mark.parametrize("years", [12, 30])
def test_spearman_in_blocks_of_rows_is_the_same_to_the_bit(monkeypatch, years):
    from sdgtrack.links import spearman

    rng = np.random.default_rng(3)
    x = np.round(rng.normal(size=(203, years)), 1)  # rounded: ties
    x[rng.random(x.shape) < 0.2] = np.nan  # gaps
    x[5] = 1.0  # a constant row: rho undefined
    whole_rho, whole_n = spearman.pairwise_spearman(x)
    per_row = 2 * years * 4  # bytes of one row of D and its square
    for block in (1, 7, 64, 202):
        monkeypatch.setattr(spearman, "BLOCK_BYTES", block * per_row * len(x))
        rho, n = spearman.pairwise_spearman(x)
        np.testing.assert_array_equal(rho, whole_rho)
        np.testing.assert_array_equal(n, whole_n)
    assert np.isnan(whole_rho[5]).all() and (np.abs(whole_rho[~np.isnan(whole_rho)]) > 0.2).any()
