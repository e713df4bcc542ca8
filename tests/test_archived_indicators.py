"""Archived indicators of an Open SDG repository (``archived-*`` files): kept in the store under their
own ids, published as sdg-build publishes them, listed on an archive page, counted by no analysis."""

from __future__ import annotations

import csv
import json

import pandas as pd
import pytest

import sdgtrack
from sdgtrack.publish.build import build_site
from sdgtrack.publish.site import SiteOptions

from .conftest import FIXTURES

REPO = FIXTURES / "opensdg" / "archived"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("archived")
    with sdgtrack.open(tmp / "store.duckdb") as ws:
        report = ws.ingest(REPO)
    with sdgtrack.open(tmp / "store.duckdb", read_only=True) as ws:
        build_site(ws, tmp / "site", SiteOptions(langs=("en", "fr")))
    return tmp / "store.duckdb", tmp / "site", report


def _valued_rows(path):
    with open(path, encoding="utf-8", newline="") as f:
        return [r for r in csv.DictReader(f) if r["Value"].strip()]


def test_archived_indicators_are_kept_under_their_own_ids(built):
    store, _, report = built
    assert any("3 archived indicator(s)" in n and "1 with data" in n for n in report.notes)
    with sdgtrack.open(store, read_only=True) as ws:
        listed = ws.archived_indicators()
        by_id = listed.set_index("indicator")
        assert list(listed["indicator"]) == ["archived-1-a-1", "archived-3-2-1", "archived-9-9-9"]  # by number
        # the repository's list names them as they were; without an entry, the meta file's own name
        assert by_id.loc["archived-3-2-1", "title"] == "Under-5 mortality rate, as measured before the 2020 review"
        assert by_id.loc["archived-3-2-1", "archive_type"] == "revised"
        assert by_id.loc["archived-9-9-9", "title"] == "An indicator the repository archived with metadata only"
        assert pd.isna(by_id.loc["archived-9-9-9", "data_file"])
        assert by_id.loc["archived-1-a-1", "number"] == "1.a.1"
        rows = ws.observations("GB:archived-3-2-1", all_disaggregations=True)
        assert len(rows) == len(_valued_rows(REPO / "data" / "archived-3-2-1.csv")) == 3
        # attributes as written stay with the rows
        assert set(rows["obs_status"]) == {"Undefined", "Estimated value"}
        # no SDG indicator link: no analysis counts the archived 3.2.1 as the current one
        links = ws.series_indicator_links()
        assert not links["series"].str.contains("archived").any()
        assert set(links.loc[links["indicator"] == "3.2.1", "series"]) >= {"GB:3.2.1"}
        assert not ws.headline_series()["series"].str.contains("archived").any()
        meta = ws.indicator_metadata("archived-3-2-1")
        assert "Under-5 deaths per 1,000 live births, before 2020" in set(meta["value"])


def test_archived_files_published_as_sdg_build_does(built):
    _, site, _ = built
    for lang in ("en", "fr"):
        data = list(csv.DictReader((site / lang / "data" / "archived-3-2-1.csv").read_text("utf-8").splitlines()))
        assert [(r["Year"], r["Sex"], r["Observation status"], float(r["Value"])) for r in data] == [
            (r["Year"], r["Sex"], r["Observation status"], float(r["Value"]))
            for r in _valued_rows(REPO / "data" / "archived-3-2-1.csv")
        ]
        assert (site / lang / "data" / "archived-1-a-1.csv").read_text() == "Year,Value\n"
        for folder in ("headline", "comb", "edges"):
            assert (site / lang / folder / "archived-3-2-1.json").is_file()
            assert (site / lang / folder / "archived-9-9-9.json").is_file()
        package = json.loads((site / lang / "data-packages" / "archived-3-2-1" / "datapackage.json").read_text())
        assert package["title"] == "Under-5 mortality rate, as measured before the 2020 review"
        meta = json.loads((site / lang / "meta" / "archived-3-2-1.json").read_text())
        assert meta["archived"] is True and meta["archive_type"] == "revised"
        assert meta["indicator_number"] == "3.2.1" and meta["goal_number"] == "archived-3-2-1"
        assert meta["data"]["csv"] == "data/archived-3-2-1.csv"
        every = json.loads((site / lang / "meta" / "all.json").read_text())
        assert {"archived-1-a-1", "archived-3-2-1", "archived-9-9-9", "3-2-1"} <= set(every)
        headlines = json.loads((site / lang / "headline" / "all.json").read_text())
        assert headlines["archived-9-9-9"] == [] and len(headlines["archived-3-2-1"]) == 2


def test_archive_page_lists_them_apart_from_the_goals(built):
    _, site, _ = built
    page = (site / "en" / "archived" / "index.html").read_text()
    for number in ("1.a.1", "3.2.1", "9.9.9"):
        assert f">{number}</th>" in page
    assert 'href="../data/archived-3-2-1.csv"' in page and "Archived indicators" in page
    assert "Indicateurs archivés" in (site / "fr" / "archived" / "index.html").read_text()
    # every page links to it; no goal page and no statistic counts an archived indicator
    assert 'archived/index.html"' in (site / "en" / "index.html").read_text()
    goal = (site / "en" / "goals" / "3" / "index.html").read_text()
    assert "archived-3-2-1" not in goal
    stats = json.loads((site / "en" / "stats" / "reporting.json").read_text())
    assert stats["overall"]["totals"]["total"] == 1  # 3.2.1 only
    assert not (site / "en" / "indicators" / "archived-3-2-1").exists()


def test_reload_without_an_archived_file_forgets_it(tmp_path):
    import shutil

    copy = tmp_path / "repo"
    shutil.copytree(REPO, copy)
    with sdgtrack.open(tmp_path / "store.duckdb") as ws:
        ws.ingest(copy)
        (copy / "meta" / "archived-9-9-9.md").unlink()
        ws.ingest(copy)
        assert set(ws.archived_indicators()["indicator"]) == {"archived-1-a-1", "archived-3-2-1"}


def test_one_archived_file_loads_as_that_archived_indicator(tmp_path):
    with sdgtrack.open(tmp_path / "store.duckdb") as ws:
        report = ws.ingest(REPO / "data" / "archived-3-2-1.csv")
        assert any("1 archived indicator(s)" in n for n in report.notes)
        listed = ws.archived_indicators()
        assert list(listed["indicator"]) == ["archived-3-2-1"] and list(listed["archive_type"]) == ["revised"]
        assert len(ws.archived_observations(["archived-3-2-1"])) == 3
        assert not ws.series_indicator_links()["series"].str.contains("archived").any()
