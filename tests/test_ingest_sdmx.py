"""SDMX-ML data messages: Rwanda's real SDG data file (with and without its DSD) and broken fixtures."""

from __future__ import annotations

import shutil

import pytest

from sdgtrack.errors import InvalidInputError
from sdgtrack.ingest import load, registry

from .conftest import FIXTURES, shared_path

SDMX = FIXTURES / "sdmx"
DATA = ("opensdg", "rwanda", "sdmx-data", "2025_RWA-SDG_Data.xml")


def rows(db, sql: str, params=None):
    return db.con.execute(sql, params or []).fetchall()


def test_rwanda_message_with_dsd(db):
    src = shared_path(*DATA)
    assert registry.detect(src).name == "sdmx"
    assert registry.detect(src.parents[1] / "RWA_2025_SDG DSD.xml") is None  # a structure message is not data
    report = load(db, src)
    assert (report.new, report.series, report.areas) == (2_330, 259, 36)
    assert any("structure from RWA_2025_SDG DSD.xml" in n for n in report.notes)
    pov = db.observations("SI_POV_DAY1", areas=["RWA"])
    assert pov[["period", "value", "unit"]].values.tolist()[0] == ["2000", 82.3, "PT"]
    assert pov["is_headline"].all() and len(pov) == 6
    first = rows(
        db,
        "SELECT obs_status, nature, source, footnote, dims FROM observation "
        "WHERE series = 'SI_POV_DAY1' AND period = '2000'",
    )[0]
    assert first[:3] == ("A", None, "World Bank")  # NATURE _X (not specified) is left out
    assert first[3] == "Proportion of population below international poverty line"
    assert first[4].startswith("ACTIVITY=_T|AGE=_T|") and "FREQ" not in first[4] and "REF_AREA" not in first[4]
    # the UN series is found under its indicator through the store's series list
    assert "SI_POV_DAY1" in db.series_codes_for("1.1.1")
    # national series take their indicator from the DSD annotations and their name from the code list
    assert rows(db, "SELECT indicator FROM series_indicator WHERE series = '_L_RW_010301_1'") == [("1.3.1",)]
    assert rows(db, "SELECT description FROM series WHERE code = '_L_RW_010301_1'") == [
        ("Proportion of population covered by core Social Protection programs",)
    ]
    # two Series elements share a key but not UNIT_MEASURE: each observation keeps its own unit
    assert rows(
        db, "SELECT period, unit, value FROM observation WHERE series = 'SP_LGL_LNDDOC' AND is_headline ORDER BY period"
    ) == [("2022", "PT", 21.9), ("2023", "NUMBER", 4218003.0)]


def test_rwanda_sub_national_areas(db):
    load(db, shared_path(*DATA))
    assert rows(
        db, "SELECT code, name, kind, parent FROM area WHERE code IN ('RW-1', 'RW-11', 'RW-5') ORDER BY code"
    ) == [
        ("RW-1", "City of Kigali", "province", "646"),
        ("RW-11", "Nyarugenge", "custom", "RW-1"),
        ("RW-5", "Eastern Province", "province", "646"),
    ]
    assert rows(db, "SELECT count(*) FROM observation WHERE area = '1'") == [(0,)]  # not M49 World
    kigali = db.observations(None, areas=["City of Kigali"])
    assert len(kigali) == 18


def test_rwanda_whole_repository_and_reload(db):
    src = shared_path("opensdg", "rwanda")
    report = load(db, src)
    assert report.formats == {"opensdg": 1}
    assert (report.new, report.series) == (2_354, 261)  # SDMX file + the two GDP CSVs
    assert any("national indicators" in n and "GDP1, GDP2" in n for n in report.notes)
    assert any("2,330 observations of 259 series" in n for n in report.notes)
    assert rows(db, "SELECT count(*) FROM observation WHERE series = 'RW:GDP1:sectoral-share-of-gdp'") == [(12,)]
    again = load(db, src)
    assert (again.new, again.updated, again.unchanged) == (0, 0, 2_354)


def test_rwanda_without_dsd(db, tmp_path):
    alone = tmp_path / "alone.xml"
    shutil.copy(shared_path(*DATA), alone)
    report = load(db, alone)
    assert (report.new, report.series, report.areas) == (2_330, 259, 36)
    assert any("no DSD found" in n for n in report.notes)
    # numbered areas next to the ISO code RW are Rwanda's own numbering, never M49 (1 = World)
    assert rows(db, "SELECT name, parent FROM area WHERE code = 'RW-1'") == [("Rwanda area 1", "646")]
    assert rows(db, "SELECT value, unit FROM observation WHERE series = 'SI_POV_DAY1' AND period = '2000'") == [
        (82.3, "PT")
    ]


def test_truncated_message_is_one_clear_error(db, capfd):
    path = SDMX / "truncated.xml"
    assert registry.detect(path).name == "sdmx"
    with pytest.raises(InvalidInputError) as err:
        load(db, path)
    (problem,) = err.value.problems
    assert problem.file == str(path) and problem.line == 23
    assert "readable SDMX-ML 2.1 data message" in problem.expected
    out, errors = capfd.readouterr()
    assert out == "" and errors == ""  # sdmx1's parser dump is not shown to the user


def test_bad_value_names_line_and_leaves_store_unchanged(db):
    path = SDMX / "bad_value.xml"
    with pytest.raises(InvalidInputError) as err:
        load(db, path)
    (problem,) = err.value.problems
    assert (problem.file, problem.line, problem.column, problem.value) == (str(path), 18, "value", "12,5")
    # the custom area made for REF_AREA 1 is gone again: a failed load changes nothing
    assert rows(db, "SELECT count(*) FROM area WHERE code = 'RW-1'") == [(0,)]
    assert rows(db, "SELECT count(*) FROM observation") == [(0,)]


# -- an SDMX input of an Open SDG repository: read as its config_data.yml declares it ---------------
REPOSITORY = FIXTURES / "opensdg" / "sdmx_repo"


def _site_files(db, code: str) -> tuple[str, str]:
    from sdgtrack.publish.outputs.tables import headline_table, open_sdg_table, to_csv
    from sdgtrack.publish.site import Site

    site = Site(db)
    return to_csv(open_sdg_table(site, code)).decode("utf-8"), to_csv(headline_table(site, code)).decode("utf-8")


def test_repository_input_is_written_as_its_own_build_writes_it(db):
    report = load(db, REPOSITORY)
    assert report.formats == {"opensdg": 1} and report.new == 5
    assert any("FREQ, OBS_STATUS, REPORTING_TYPE, UNIT_MULT left out of the data files" in n for n in report.notes)
    # the store's key stays the message's (codes, _T totals); what it said beside the value is kept
    assert rows(
        db,
        "SELECT dims, unit, unit_measure, unit_multiplier, obs_status, footnote FROM observation "
        "WHERE series = 'SI_POV_NAHC' AND period = '2015'",
    ) == [("AGE=_T|REPORTING_TYPE=N|SEX=_T", "PT", "PT", "0", "A", "Survey")]
    # codes translated through the DSD, _T blank, REF_AREA|KE mapped to '' (a blank cell, not left out)
    assert rows(db, "SELECT source_dims, attributes FROM observation WHERE series = 'XX_NEW_ONE'") == [
        ("Reference area=|Sex=Male", "SERIES=A national series [1.2.1, 1.4.1]|UNIT_MEASURE=Number")
    ]
    # the DSD's annotations place a series the store did not know under both its indicators
    assert rows(db, "SELECT indicator FROM series_indicator WHERE series = 'XX_NEW_ONE' ORDER BY 1") == [
        ("1.2.1",),
        ("1.4.1",),
    ]
    # one header per indicator: the columns its own rows fill (1.4.1 has no age)
    headers = {i: list(c) for i, c in zip(db.source_columns()["indicator"], db.source_columns()["columns"])}
    assert headers == {
        "1.2.1": ["Year", "SERIES", "Reference area", "Sex", "Age", "UNIT_MEASURE", "Value"],
        "1.4.1": ["Year", "SERIES", "Reference area", "Sex", "UNIT_MEASURE", "Value"],
    }
    data, headline = _site_files(db, "1.2.1")
    assert sorted(data.splitlines()) == sorted(
        [
            "Year,SERIES,Reference area,Sex,Age,UNIT_MEASURE,Value",
            "2015,Proportion below the national poverty line [1.2.1],,,,Percent,40.5",
            "2020,Proportion below the national poverty line [1.2.1],,,,Percent,35.1",
            "2020,Proportion below the national poverty line [1.2.1],,Female,under 15 years old,Percent,38.2",
            "2020,Proportion below the national poverty line [1.2.1],North,,,Percent,30",
            '2020,"A national series [1.2.1, 1.4.1]",,Male,,Number,1200',
        ]
    )
    # the headline: rows with every breakdown blank, Reference area among them (North is not)
    assert headline.splitlines() == [
        "Year,SERIES,UNIT_MEASURE,Value",
        "2015,Proportion below the national poverty line [1.2.1],Percent,40.5",
        "2020,Proportion below the national poverty line [1.2.1],Percent,35.1",
    ]
    assert _site_files(db, "1.4.1")[0].splitlines()[0] == "Year,SERIES,Reference area,Sex,UNIT_MEASURE,Value"


def test_the_same_message_alone_keeps_its_codes(db, tmp_path):
    """A message loaded on its own is no repository's: no config applies, the site writes its codes."""
    alone = tmp_path / "alone"
    alone.mkdir()
    shutil.copy(REPOSITORY / "sdmx-data" / "data.xml", alone / "data.xml")
    shutil.copy(REPOSITORY / "test DSD.xml", alone / "test DSD.xml")
    report = load(db, alone / "data.xml")
    assert report.formats == {"sdmx": 1} and report.new == 5
    assert rows(db, "SELECT count(*) FROM observation WHERE source_dims IS NOT NULL OR attributes IS NOT NULL") == [
        (0,)
    ]
    assert rows(db, "SELECT DISTINCT unit_measure, unit_multiplier FROM observation ORDER BY 1") == [
        ("NUMBER", "0"),
        ("PT", "0"),
    ]
    assert db.source_columns().empty
    # only the series the store did not know takes its links from the DSD, as before
    assert rows(db, "SELECT count(*) FROM series_indicator WHERE series = 'XX_NEW_ONE'") == [(2,)]
    data, _ = _site_files(db, "1.4.1")
    assert data.splitlines()[0] == "Year,AGE,REPORTING_TYPE,SEX,Units,Series,Value"


def test_rwanda_repository_files_as_sdg_build_writes_them(db):
    load(db, shared_path("opensdg", "rwanda"))
    stored = db.source_columns()
    sdmx = stored[stored["source_file"].str.endswith(".xml")]
    assert len(sdmx) >= 120 and sdmx["has_rows"].all()
    data, headline = _site_files(db, "1.2.1")
    lines = data.splitlines()
    assert (
        lines[0] == "Year,SERIES,Reference area,Sex,Age,Degree of urbanisation,UNIT_MEASURE,Value" and len(lines) == 179
    )
    assert (
        "2014,Proportion of population living below the national poverty line [1.2.1],,Male,16 years old and over,,Percent,33.2"
        in lines
    )
    assert any(",Nyarugenge,,,,Percent," in line for line in lines)  # a district, named from the DSD
    assert headline.splitlines()[:2] == [
        "Year,SERIES,UNIT_MEASURE,Value",
        "2000,Proportion of population living below the national poverty line [1.2.1],Percent,58.9",
    ]
    assert len(headline.splitlines()) == 7
