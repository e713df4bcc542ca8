"""An Open SDG repository comes back out of the store as it was written: labels, units and
multipliers, observation attributes, GeoCodes as sub-national areas, conflicting rows, totals
written as text (a small fixture; tools/opensdg_fidelity.py measures the real repositories)."""

from __future__ import annotations

import csv
import io
import shutil

import pytest

import sdgtrack
from sdgtrack.publish.outputs.tables import headline_table, open_sdg_table, to_csv
from sdgtrack.publish.site import Site, SiteOptions

from .conftest import FIXTURES

REPO = FIXTURES / "opensdg" / "fidelity"


def records(text: str) -> list[tuple]:
    """A CSV's rows as sets of their non-blank cells (column order aside); rows without a value
    are no observations."""
    rows = csv.DictReader(io.StringIO(text))
    return sorted(
        (tuple(sorted((k, v) for k, v in row.items() if v and k != "Value")), float(row["Value"]))
        for row in rows
        if row["Value"]
    )


@pytest.fixture
def ws(tmp_path):
    workspace = sdgtrack.open(tmp_path / "store.duckdb")
    yield workspace
    workspace.close()


def test_data_files_are_the_source_rows(ws):
    report = ws.ingest(REPO, area="GBR")  # strict: the key given two values is kept, not rejected
    assert report.rejected == 0 and (report.variant_keys, report.variant_rows) == (1, 2)
    site = Site(ws, SiteOptions())
    for code in ("3.3.3", "12.3.1"):
        source = (REPO / "data" / f"indicator_{code.replace('.', '-')}.csv").read_text("utf-8")
        published = to_csv(open_sdg_table(site, code)).decode("utf-8")
        assert records(published) == records(source), code
        assert "Area" not in published.splitlines()[0]  # the GeoCodes place the rows
    # 17-digit decimals exact, whole numbers without ".0"
    table = to_csv(open_sdg_table(site, "12.3.1")).decode("utf-8")
    assert ",1.8779342723004695\n" in table and ",6400\n" in table and "Theme" in table.splitlines()[0]


def test_units_multipliers_and_attributes_are_their_own_columns(ws):
    ws.ingest(REPO, area="GBR")
    rows = ws.observations("GB:3.3.3:number-of-cases", all_disaggregations=True)
    assert rows[["unit", "unit_multiplier", "obs_status"]].drop_duplicates().values.tolist() == [
        ["Number", "Thousands", "Normal value"]
    ]
    food = ws.observations("12.3.1", all_disaggregations=True)
    assert set(food["unit"]) == {"Food (Kilotonnes)"} and set(food["unit_measure"]) == {"Kilotonnes"}
    # the total written as text is the headline for analyses, and the text is kept for the files
    head = food[food["is_headline"]]
    assert head[["dims", "source_dims"]].values.tolist() == [["", "Theme=Total"]]
    # the headline file is the source's own, as sdg-build writes it: rows whose breakdowns as
    # written are all blank (none here: the total says "Total"), with every column that is no breakdown
    headline = to_csv(headline_table(Site(ws), "12.3.1")).decode("utf-8").splitlines()
    assert headline == ["Year,Units,Observation status,Unit measure,Unit multiplier,Value"]


def test_geocodes_are_sub_national_areas(ws):
    ws.ingest(REPO, area="GBR")
    areas = ws.areas().set_index("code")
    for code, name in (("E92000001", "England"), ("E12000001", "North East"), ("E12000002", "North West")):
        assert (areas.loc[code, "name"], areas.loc[code, "parent"], areas.loc[code, "kind"]) == (name, "826", "custom")
    assert "K02000001" not in areas.index  # its rows name no place: the country's own code
    series = "GB:3.3.3:malaria-incidence"
    region = ws.headline_values(series, areas=["E12000001"])
    assert region[["year", "value"]].values.tolist() == [[2015, 1.5], [2016, 1.25]]
    rows = ws.observations(series, areas=["E12000001"], all_disaggregations=True)
    assert set(rows["geocode"]) == {"E12000001"} and set(rows["source_dims"]) == {"Country=England|Region=North East"}
    # the headline file is the country's: no region rows, the GeoCode column only where the country has one
    headline = records(to_csv(headline_table(Site(ws), "3.3.3")).decode("utf-8"))
    assert all(("GeoCode", "E12000001") not in cells for cells, _ in headline)
    assert sum(("GeoCode", "K02000001") in cells for cells, _ in headline) == 1


def test_conflicting_rows_are_kept_and_analyses_read_the_first(ws):
    ws.ingest(REPO, area="GBR")
    series = "GB:3.3.3:malaria-incidence"
    both = ws.observations(series, areas=["826"], start=2015, end=2015)
    assert both[both["dims"] == ""][["variant", "value"]].values.tolist() == [[1, 2.5], [2, 2.4]]
    values = ws.headline_values(series, areas=["826"])
    assert values[["year", "value", "n_values"]].values.tolist() == [[2015, 2.5, 1], [2016, 2.1, 1]]


def test_reload_is_unchanged_and_history_keeps_the_attributes(ws, tmp_path):
    first = ws.ingest(REPO, area="GBR")
    again = ws.ingest(REPO, area="GBR")
    assert (again.new, again.updated, again.unchanged) == (0, 0, first.new)
    changed = tmp_path / "repo"
    shutil.copytree(REPO, changed)
    path = changed / "data" / "indicator_3-3-3.csv"
    path.write_text(
        path.read_text("utf-8").replace(
            "Estimated value,Units,Rate,E92000001,2.0", "Normal value,Units,Rate,E92000001,2.0"
        ),
        "utf-8",
    )
    report = ws.ingest(changed, area="GBR", dataset="opensdg-fidelity")
    assert report.updated == 1  # an attribute changed: the row is a new version
    earlier = ws.store.con.execute(
        "SELECT obs_status, geocode, attributes FROM observation_history WHERE area = 'E92000001'"
    ).fetchall()
    assert len(earlier) == 1 and earlier[0][0] == "Estimated value" and earlier[0][1] == "E92000001"
    assert "Observation status=Estimated value" in earlier[0][2]


def test_a_series_with_two_units_gets_the_same_unit_every_time(tmp_path):
    """17.19.1 (UK) gives one series in USD and in GBP: the series' unit (meta/ID.json) is the most
    frequent one, on a tie the first by name, never whichever row a scan met first."""
    data = tmp_path / "repo" / "data"
    data.mkdir(parents=True)
    rows = [f"{y},{u},{v}" for y in range(2010, 2014) for u, v in (("USD", 2), ("GBP", 1))]
    (data / "indicator_17-19-1.csv").write_text("Year,Units,Value\n" + "\n".join(rows) + "\n", "utf-8")
    (data / "indicator_17-18-1.csv").write_text("Year,Units,Value\n2010,USD,1\n2011,USD,1\n2012,GBP,1\n", "utf-8")
    units = []
    for name in ("a", "b"):
        with sdgtrack.open(tmp_path / f"{name}.duckdb") as ws:
            ws.ingest(tmp_path / "repo", area="GBR")
            info = ws.series_info().set_index("code")["unit"]
            units.append((info["GB:17.19.1"], info["GB:17.18.1"]))
    assert units == [("GBP", "USD"), ("GBP", "USD")]


def test_a_geocode_never_lands_in_another_countrys_area(ws, tmp_path):
    """A GeoCode that is already an area of another country, or a number (M49 codes are numbers),
    becomes ``<ISO2>-<code>`` under this repository's country."""
    ws.add_area("RW-1", "Kigali City", "RWA", "province")
    data = tmp_path / "repo" / "data"
    data.mkdir(parents=True)
    (data / "indicator_1-1-1.csv").write_text(
        "Year,Region,GeoCode,Value\n2020,North,RW-1,1\n2020,South,35,2\n2020,,,3\n", "utf-8"
    )
    ws.ingest(tmp_path / "repo", area="GBR")
    placed = dict(ws.store.con.execute("SELECT geocode, area FROM observation WHERE geocode IS NOT NULL").fetchall())
    assert placed == {"RW-1": "GB-RW-1", "35": "GB-35"}
    areas = ws.areas().set_index("code")
    assert areas.loc["GB-35", "name"] == "South" and areas.loc["GB-RW-1", "parent"] == "826"
    assert areas.loc["RW-1", "parent"] == "646"  # Rwanda's province is left alone
