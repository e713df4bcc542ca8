"""The real UK repository (issue 20): nothing it gave is lost on the way out. Its archived indicators
are kept; ``observations.parquet`` and the map files carry what each row said beside its value
(observation status, unit measure and multiplier, the GeoCode of a sub-national row)."""

from __future__ import annotations

import csv
import json

import duckdb
import pandas as pd
import pytest

import sdgtrack
from sdgtrack.publish.site import Site, SiteOptions

from .conftest import shared_path


@pytest.fixture(scope="module")
def uk(tmp_path_factory):
    src = shared_path("opensdg", "uk")
    tmp = tmp_path_factory.mktemp("ukout")
    with sdgtrack.open(tmp / "uk.duckdb") as ws:
        ws.ingest(src)
    ws = sdgtrack.open(tmp / "uk.duckdb", read_only=True)
    yield ws, src, tmp
    ws.close()


def _valued_rows(path):
    with open(path, encoding="utf-8", newline="") as f:
        return [r for r in csv.DictReader(f) if r["Value"].strip()]


def test_uk_archived_indicators_are_all_kept(uk):
    ws, src, _ = uk
    listed = ws.archived_indicators().set_index("indicator")
    files = {p.stem for p in (src / "data").glob("archived-*.csv")}
    metas = {p.stem for p in (src / "meta").glob("archived-*.md")}
    assert set(listed.index) == files | metas and len(files) == 28 and len(metas) == 29
    assert pd.isna(listed.loc["archived-4-2-1", "data_file"])  # metadata only
    assert listed.loc["archived-11-6-1", "archive_type"] == "revised"
    # every row with a value of an archived file is stored, under the archived indicator's series
    for ident in ("archived-11-6-1", "archived-8-3-1", "archived-2-5-2"):
        rows = ws.archived_observations([ident])
        assert len(rows) == len(_valued_rows(src / "data" / f"{ident}.csv"))
        assert rows["series"].str.startswith(f"GB:{ident}").all()


def test_parquet_carries_what_the_source_wrote_beside_the_value(uk):
    ws, _, tmp = uk
    site = Site(ws, SiteOptions())
    path = tmp / "observations.parquet"
    path.write_bytes(site.content(site.file("observations.parquet")))
    con = duckdb.connect()
    described = {r[0] for r in con.execute(f"DESCRIBE SELECT * FROM '{path}'").fetchall()}
    assert {"unit_measure", "unit_multiplier", "geocode", "attributes", "variant"} <= described
    # a North East row (GeoCode E12000001) keeps its GeoCode, status and unit as written
    north_east = con.execute(
        f"""SELECT geocode, obs_status, unit_measure, unit_multiplier, attributes FROM '{path}'
            WHERE area = 'E12000001' AND series = 'GB:8.8.1:fatal-injury' AND period = '2021/22 [Note 5]'"""
    ).fetchall()
    assert north_east == [
        (
            "E12000001",
            "Provisional value",
            "Rate per 100,000 workers",
            "Units",
            "GeoCode=E12000001|Observation status=Provisional value|Series=Fatal injury|"
            "Unit measure=Rate per 100,000 workers|Unit multiplier=Units",
        )
    ]
    # the multipliers as the UK wrote them, counted as the store counts them
    counts = dict(con.execute(f"SELECT unit_multiplier, count(*) FROM '{path}' GROUP BY 1").fetchall())
    stored = dict(ws.store.con.execute("SELECT unit_multiplier, count(*) FROM observation GROUP BY 1").fetchall())
    assert counts["Thousands"] == stored["Thousands"] > 0 and counts["Millions"] == stored["Millions"] > 0
    # the descriptor names every column the file has
    package = json.loads(site.content(site.file("datapackage.json")))
    assert [f["name"] for f in package["resources"][0]["schema"]["fields"]] == [
        r[0] for r in con.execute(f"DESCRIBE SELECT * FROM '{path}'").fetchall()
    ]


def test_region_map_entries_hold_their_own_attributes(uk):
    ws, _, tmp = uk
    square = {"type": "Polygon", "coordinates": [[[-2, 54], [-1, 54], [-1, 55], [-2, 55], [-2, 54]]]}
    boundaries = tmp / "regions.geojson"
    boundaries.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [{"type": "Feature", "properties": {"code": "E12000001", "name": "North East"},
                              "geometry": square}],
            }
        )
    )  # fmt: skip
    site = Site(ws, SiteOptions(boundaries=boundaries))
    collection = json.loads(site.content(site.file("en/geojson/regions/indicator_8-8-1.geojson")))
    (feature,) = collection["features"]
    properties = feature["properties"]
    assert properties["geocode"] == "E12000001"
    stored = ws.store.con.execute(
        """SELECT attributes, period, value FROM observation o JOIN series_indicator si ON si.series = o.series
           WHERE si.indicator = '8.8.1' AND o.area = 'E12000001'"""
    ).fetchall()
    # each entry's status, unit measure and multiplier are those of every value under it: 2021/22's
    # provisional fatal-injury rate is an entry of its own, as sdg-build splits it
    written = {}
    for attributes, period, value in stored:
        pairs = dict(p.split("=", 1) for p in attributes.split("|"))
        key = (pairs["Series"], pairs["Observation status"], pairs["Unit measure"], pairs["Unit multiplier"])
        written.setdefault(key, {})[period] = value
    shown = {
        (d["Series"], d["Observation status"], d["Unit measure"], d["Unit multiplier"]): v
        for d, v in zip(properties["disaggregations"], properties["values"])
    }
    assert shown == written
    assert ("Fatal injury", "Provisional value", "Rate per 100,000 workers", "Units") in shown
