"""An Open SDG indicator file's columns come back out as written: its header is stored with the load
(``source_columns``), the data file keeps the source's order and its blank columns, and the headline
file holds the rows whose breakdowns as written are all blank, as sdg-build writes them."""

from __future__ import annotations

import csv
import io
import json
import shutil

import pytest

import sdgtrack
from sdgtrack.publish.build import build_site
from sdgtrack.publish.outputs.edges import edges
from sdgtrack.publish.outputs.tables import headline_table, open_sdg_table, to_csv
from sdgtrack.publish.site import Site, SiteOptions

from .conftest import FIXTURES, shared_path

REPO = FIXTURES / "opensdg" / "columns"
HEADER = "Year,Series,Sex,Cause of death,Observation status,Unit multiplier,Units,GeoCode,Value"


@pytest.fixture
def ws(tmp_path):
    workspace = sdgtrack.open(tmp_path / "store.duckdb")
    yield workspace
    workspace.close()


def rows(table) -> list[list[str]]:
    return list(csv.reader(io.StringIO(to_csv(table).decode("utf-8"))))


def test_header_is_stored_and_the_files_keep_it(ws):
    ws.ingest(REPO, area="GBR")
    stored = ws.source_columns().set_index("indicator")
    assert list(stored.loc["1.5.1", "columns"]) == HEADER.split(",") and stored.loc["1.5.1", "has_rows"]
    # a file with a header and no value says the indicator has a data file, and nothing more
    assert list(stored.loc["1.5.2", "columns"]) == ["Year", "Value"] and not stored.loc["1.5.2", "has_rows"]
    data = rows(open_sdg_table(Site(ws), "1.5.1"))
    # the source's order, and `Unit multiplier`, which no row fills, kept
    assert ",".join(data[0]) == HEADER and len(data) == 7
    assert {r[5] for r in data[1:]} == {""} and {r[7] for r in data[1:]} == {"K04000001"}
    # the headline: the rows with every breakdown blank, every column that is no breakdown
    headline = rows(headline_table(Site(ws), "1.5.1"))
    assert headline[0] == ["Year", "Series", "Observation status", "Unit multiplier", "Units", "GeoCode", "Value"]
    assert [(r[0], r[-1]) for r in headline[1:]] == [("2019", "0.18"), ("2020", "0.13")]
    assert edges(open_sdg_table(Site(ws), "1.5.1")) == [("Sex", "Cause of death")]


def test_a_new_header_replaces_the_old_and_removal_forgets_it(ws, tmp_path):
    repo = tmp_path / "repo"
    shutil.copytree(REPO, repo)
    ws.ingest(repo, area="GBR")
    source = repo / "data" / "indicator_1-5-1.csv"
    lines = source.read_text("utf-8").splitlines()
    # the same rows with the blank column gone and two columns swapped
    moved = [",".join((p[0], p[2], p[1], p[3], p[4], p[6], p[7], p[8])) for p in (line.split(",") for line in lines)]
    source.write_text("\n".join(moved) + "\n", "utf-8")
    ws.ingest(repo, area="GBR")
    stored = ws.source_columns()
    assert len(stored) == 2
    header = list(stored.set_index("indicator").loc["1.5.1", "columns"])
    assert header == ["Year", "Sex", "Series", "Cause of death", "Observation status", "Units", "GeoCode", "Value"]
    assert rows(open_sdg_table(Site(ws), "1.5.1"))[0] == header
    ws.remove_dataset(stored["dataset"].iloc[0])
    assert ws.source_columns().empty


def test_uk_files_have_their_source_header():
    uk = shared_path("opensdg", "uk")
    with sdgtrack.open(":memory:") as ws:
        ws.ingest(uk / "data" / "indicator_1-5-1.csv", area="GBR")
        header = (uk / "data" / "indicator_1-5-1.csv").read_text("utf-8").splitlines()[0].split(",")
        table = open_sdg_table(Site(ws), "1.5.1")
        assert list(table.columns) == header and "Unit multiplier" in header


def test_an_indicator_without_data_has_empty_data_files(ws, tmp_path):
    """sdg-build writes the data files of every indicator with a meta file: header only, no edges."""
    ws.ingest(REPO, area="GBR")
    out = tmp_path / "site"
    build_site(ws, out, SiteOptions(langs=("en",)))
    en = out / "en"
    assert (en / "data" / "1-5-2.csv").read_text("utf-8") == "Year,Value\n"
    assert (en / "headline" / "1-5-2.csv").read_text("utf-8") == "Year,Value\n"
    assert json.loads((en / "data" / "1-5-2.json").read_text("utf-8")) == []
    assert json.loads((en / "comb" / "1-5-2.json").read_text("utf-8")) == {"data": [], "edges": []}
    assert json.loads((en / "edges" / "1-5-2.json").read_text("utf-8")) == []
    package = json.loads((en / "data-packages" / "1-5-2" / "datapackage.json").read_text("utf-8"))
    assert [f["name"] for f in package["resources"][0]["schema"]["fields"]] == ["Year", "Value"]
    assert (en / "data-packages" / "1-5-2" / "data.csv").read_text("utf-8") == "Year,Value\n"
    # the indicator with data: Value a number, Year an integer (plain years)
    package = json.loads((en / "data-packages" / "1-5-1" / "datapackage.json").read_text("utf-8"))
    fields = {f["name"]: f for f in package["resources"][0]["schema"]["fields"]}
    assert fields["Value"]["type"] == "number" and fields["Year"]["type"] == "integer"
    paths = {r["path"] for r in json.loads((en / "data-packages" / "all.json").read_text("utf-8"))["resources"]}
    assert "1-5-1/data.csv" in paths and "1-5-2/data.csv" not in paths
    # an indicator with no meta file and no data gets nothing
    assert not (en / "data" / "1-5-3.csv").exists()
