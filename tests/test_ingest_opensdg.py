"""Open SDG repositories: the real UK and Canada data, and small broken fixtures."""

from __future__ import annotations

import pytest

import sdgtrack
from sdgtrack.errors import InvalidInputError
from sdgtrack.ingest import load, registry

from .conftest import FIXTURES, shared_path

OPENSDG = FIXTURES / "opensdg"


@pytest.fixture(scope="module")
def uk(tmp_path_factory):
    """The UK repository loaded once, strictly: its 57 keys given two different values (132 rows)
    are kept as sdg-build publishes them, each row a variant."""
    src = shared_path("opensdg", "uk")
    tmp = tmp_path_factory.mktemp("uk")
    database = sdgtrack.Database(tmp / "uk.duckdb")
    report = load(database, src)
    yield database, report, src, tmp
    database.close()


def one(db, sql: str, params=None):
    return db.con.execute(sql, params or []).fetchall()


def test_uk_repository_counts(uk):
    db, report, _, _ = uk
    assert report.formats == {"opensdg": 1}
    # 161,803 rows of current indicators and 5,847 of archived ones (issue 20: none skipped)
    assert (report.new, report.updated, report.unchanged) == (167_650, 0, 0)
    assert report.rejected == 0 and report.blank_values == 3_159
    # the country and the 417 sub-national areas its GeoCodes name
    assert report.series == 314 and report.areas == 418
    assert any("29 archived indicator(s)" in n and "9 with data" in n for n in report.notes)
    assert any("186 indicator files with data, 50 without data rows" in n for n in report.notes)
    # files present in meta/ but missing from data/ (blobs not in the snapshot) are named
    assert any("metadata but no data file" in n and "3-4-1" in n for n in report.notes)


def test_uk_conflicting_keys_are_kept_as_variants(uk):
    db, report, _, _ = uk
    # 57 keys given two values, and one (3.3.5) given one value twice beside two GeoCodes
    assert (report.variant_keys, report.variant_rows) == (58, 134)
    assert any("58 keys are given different values by the source (134 rows)" in n for n in report.notes)
    # 3.3.3's headline keeps 2014-2018 (both rows of each year), 4.3.1's headline is no longer empty
    both = one(
        db,
        "SELECT series, period, list(value ORDER BY variant), list(variant ORDER BY variant) FROM observation "
        "WHERE series LIKE 'GB:3.3.3%' AND is_headline AND area = '826' AND variant > 0 GROUP BY ALL ORDER BY 1, 2",
    )
    assert [(s[-6:], p) for s, p, _, _ in both] == [
        (s, str(p)) for s in ("-cases", "lation") for p in range(2014, 2019)
    ]  # number of cases, rate per 100,000 population
    assert all(v == [1, 2] and len(set(x)) == 2 for _, _, x, v in both)
    assert one(db, "SELECT count(*) FROM observation WHERE series LIKE 'GB:4.3.1%' AND is_headline")[0][0] > 0
    # analyses read the first of them (variant 1): one value per year, never their mean
    cases = "GB:3.3.3:number-of-cases"
    values = db.headline_values(cases, areas=["826"])
    first = dict(
        one(
            db,
            "SELECT year, value FROM observation WHERE series = ? AND is_headline AND variant = 1 AND area = '826'",
            [cases],
        )
    )
    picked = values[values["year"].isin(list(first))]
    assert (picked["n_values"] == 1).all() and dict(zip(picked["year"], picked["value"])) == first


def test_uk_neonatal_mortality_headline(uk):
    db, *_ = uk
    head = db.observations("3.2.2", areas=["GBR"])
    assert set(head["series"]) == {"GB:3.2.2:neonatal-mortality-rate"}
    assert len(head) == 16 and head["dims"].eq("").all()  # blank cells = total
    first = head.iloc[0]
    assert (first["period"], first["value"], first["unit"]) == ("2005", 3.5, "Rate per 1,000 live births")
    assert first["source_file"].endswith("data/indicator_3-2-2.csv")
    every = db.observations("GB:3.2.2:neonatal-mortality-rate", all_disaggregations=True)
    assert len(every) == 2_118
    assert not every.loc[every["dims"] != "", "is_headline"].any()
    # the national series is linked to its global indicator and described by its Series label
    assert one(db, "SELECT indicator FROM series_indicator WHERE series = 'GB:3.2.2:neonatal-mortality-rate'") == [
        ("3.2.2",)
    ]
    assert one(db, "SELECT description FROM series WHERE code = 'GB:3.2.2:neonatal-mortality-rate'") == [
        ("Neonatal mortality rate",)
    ]


def test_uk_text_periods_kept(uk):
    db, *_ = uk
    rows = one(
        db,
        "SELECT period, year FROM observation WHERE series = 'GB:8.5.2:seasonally-adjusted' "
        "AND period = '2000 Q1' AND dims = '' AND area = '826'",
    )
    assert rows == [("2000 Q1", 2000)]
    assert one(db, "SELECT DISTINCT year FROM observation WHERE period = '2014/15' AND series = 'GB:3.7.1'") == [
        (2014,)
    ]
    survey = one(
        db,
        "SELECT year, value FROM observation WHERE series = 'GB:16.6.2:healthcare-system' "
        "AND period = '17 May to 11 June 2023' AND dims = '' AND area = '826'",
    )
    assert survey == [(2023, 53.9)]


def test_uk_quirks(uk):
    db, *_ = uk
    # indicator_3-3-5.csv starts with a blank line: it loads, and its geography-named Series split it
    assert {r[0] for r in one(db, "SELECT DISTINCT series FROM observation WHERE series LIKE 'GB:3.3.5%'")} == {
        "GB:3.3.5:england-wales-and-northern-ireland",
        "GB:3.3.5:united-kingdom-uk",
    }
    # Units as written, the multiplier an attribute of its own; attributes are not dimensions
    assert one(db, "SELECT DISTINCT unit, unit_multiplier FROM observation WHERE series = 'GB:3.7.1'") == [
        ("Number", "Thousands")
    ]
    dims = {p.split("=")[0] for (d,) in one(db, "SELECT DISTINCT dims FROM observation") for p in d.split("|") if p}
    assert not dims & {"GeoCode", "Observation status", "Unit multiplier", "Unit measure", "Units", "Series"}
    # archived indicators' rows are their own series, serving no SDG indicator
    assert one(
        db,
        "SELECT count(*) FROM observation WHERE source_file LIKE '%archived-%' AND NOT starts_with(series, 'GB:archived-')",
    ) == [(0,)]
    assert one(db, "SELECT count(*) FROM series_indicator WHERE series LIKE '%archived%'") == [(0,)]


def test_uk_reload_is_unchanged(uk):
    db, report, src, tmp = uk
    again = load(db, src)
    assert (again.new, again.updated, again.unchanged) == (0, 0, report.new)


def test_canada_strict_stops_on_inf_then_skip_invalid_loads(tmp_path):
    src = shared_path("opensdg", "canada")
    db = sdgtrack.Database(tmp_path / "ca.duckdb")
    with pytest.raises(InvalidInputError) as err:
        load(db, src)
    (problem,) = err.value.problems
    assert problem.file.endswith("indicator_9-b-1.csv") and problem.line == 148
    assert (problem.column, problem.value) == ("value", "Inf")
    assert one(db, "SELECT count(*) FROM observation") == [(0,)]
    report = load(db, src, skip_invalid=True, rejected_path=tmp_path / "rej.csv")
    assert (report.new, report.rejected, report.series) == (110_215, 1, 246)
    assert any("area 124" in n for n in report.notes)  # from the metadata's national_geographical_coverage
    head = db.observations("3.2.2", areas=["CAN"])
    rate = head[head["unit"] == "Mortality rate per 1,000 live births"]
    assert len(head) == 20 and rate.iloc[0][["period", "value"]].tolist() == ["2015", 3.5]
    quarters = one(db, "SELECT period, year FROM observation WHERE period = '2024 Q1' LIMIT 1")
    assert quarters == [("2024 Q1", 2024)]
    # Canada's COMMENT_OBS_0 becomes the footnote; Progress is not a dimension
    assert "2.5 may signify" in one(db, "SELECT footnote FROM observation WHERE series = 'CA:2.1.1' LIMIT 1")[0][0]
    assert one(db, "SELECT count(*) FROM observation WHERE dims LIKE '%Progress=%'") == [(0,)]
    db.close()


def test_detects_repository_data_folder_and_single_file(tmp_path):
    src = shared_path("opensdg", "uk")
    reader = registry.get("opensdg")
    assert registry.detect(src) is reader
    assert registry.detect(src / "data") is reader
    assert registry.detect(src / "data" / "indicator_3-2-2.csv") is reader
    db = sdgtrack.Database(tmp_path / "one.duckdb")
    report = load(db, src / "data" / "indicator_3-2-2.csv")  # area still from the repository's config
    # the country, and the English regions and UK nations its GeoCodes name
    assert report.new == 2_118 and report.areas == 15  # 826, 9 regions, E&W, 4 nations
    db.close()


def test_bad_value_names_file_line_column_value(db):
    path = OPENSDG / "bad_value" / "data" / "indicator_3-2-2.csv"
    with pytest.raises(InvalidInputError) as err:
        load(db, OPENSDG / "bad_value", area="GBR")
    (problem,) = err.value.problems
    assert (problem.file, problem.line, problem.column, problem.value) == (str(path), 4, "value", "n/a")
    assert "expected a number" in str(problem)
    assert db.con.execute("SELECT count(*) FROM observation").fetchone()[0] == 0


def test_area_from_option_else_clear_error(db):
    with pytest.raises(InvalidInputError) as err:
        load(db, OPENSDG / "no_area")
    assert "--area" in str(err.value)
    report = load(db, OPENSDG / "no_area", area="Rwanda")
    assert report.new == 1
    assert db.con.execute("SELECT series, area, value FROM observation").fetchall() == [("RW:3.2.2", "646", 1.5)]
