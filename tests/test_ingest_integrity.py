"""Integrity of what is loaded (issue 10): the same data gives the same keys whatever the format,
totals written as text, collision-free dimensions, periods, physical line numbers, a rejected-rows
report that agrees with itself, header-only files, custom areas, missing descriptions."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from openpyxl import Workbook

import sdgtrack
from sdgtrack.errors import InvalidInputError, UserInputError
from sdgtrack.ingest import load
from sdgtrack.ingest.canonical import create_staging, escape_dim, unescape_dim
from sdgtrack.ingest.readers.unsd import LAYOUT
from sdgtrack.ingest.totals import choose_total, headline_gaps

from .conftest import FIXTURES, shared_path

TEXT_TOTALS = FIXTURES / "opensdg" / "text_totals"


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def rows(db, sql: str, params=None):
    return db.con.execute(sql, params or []).fetchall()


def cli(*args, db: Path):
    env = {**os.environ, "COLUMNS": "400"}
    return subprocess.run(
        [sys.executable, "-m", "sdgtrack.cli", *args, "--db", str(db)],
        capture_output=True,
        text=True,
        cwd=db.parent,
        env=env,
    )


# -- 1. the UN Excel download and the CSV give the same keys ------------------------------------


@pytest.fixture(scope="module")
def goal14(tmp_path_factory):
    """Goal 14 staged from the Excel download and from the 2020 CSV (rows of goal 14 indicators)."""
    xlsx, gz = shared_path("unsd", "Goal14.xlsx"), shared_path("unsd", "sdg_global_2020.csv.gz")
    con = duckdb.connect()
    for table in ("x", "c"):
        create_staging(con, table)
    notes = LAYOUT.stage(con, xlsx, "x").notes
    LAYOUT.stage(con, gz, "c")
    con.execute(
        "DELETE FROM c WHERE NOT list_has_any(string_split(replace(indicator, ' ', ''), ','), "
        "(SELECT list(DISTINCT indicator) FROM x))"
    )
    yield con, notes
    con.close()


def test_un_excel_and_csv_give_the_same_keys(goal14):
    con, notes = goal14
    key = "series, area_raw, period, dims, unit"
    con.execute(
        "CREATE OR REPLACE TEMP TABLE both_spa AS SELECT DISTINCT series, area_raw, period FROM x "
        "INTERSECT SELECT DISTINCT series, area_raw, period FROM c"
    )
    assert rows_of(con, "SELECT count(*) FROM both_spa")[0][0] > 9000
    only = {}
    for a, b in (("x", "c"), ("c", "x")):
        only[a] = rows_of(
            con, f"SELECT {key} FROM {a} JOIN both_spa USING (series, area_raw, period) EXCEPT SELECT {key} FROM {b}"
        )
    # the CSV's keys are all in the Excel file; the Excel file adds only sampling stations the
    # 2020 release did not have (ocean acidity, ER_OAW_MNACD)
    assert only["c"] == []
    assert {r[0] for r in only["x"]} == {"ER_OAW_MNACD"} and all("Sampling Stations=" in r[3] for r in only["x"])
    # Reporting Type G is staged blank (the CSV has no such column); empty header columns are no dimension
    assert rows_of(con, "SELECT count(*) FROM x WHERE contains(dims, 'Reporting Type')")[0][0] == 0
    assert "C29" not in notes[0] and "_1" not in notes[0] and "Reporting Type" in notes[0]


def rows_of(con, sql):
    return con.execute(sql).fetchall()


def test_un_excel_after_csv_shows_each_year_once(goal14, tmp_path):
    """The issue's symptom: after the CSV and the Excel file, EN_MAR_CHLDEV had two headline values
    for 2005 (4.45 from the 2020 CSV, 4.21 from the later Excel download) and 14.4.1 each year twice."""
    con, _ = goal14
    subset = tmp_path / "goal14_2020.csv"
    gz = shared_path("unsd", "sdg_global_2020.csv.gz")
    con.execute(
        f"COPY (SELECT * FROM read_csv('{gz}', all_varchar = true) WHERE Goal = '14') TO '{subset}' "
        "(HEADER, DELIMITER ',')"
    )
    with sdgtrack.Database(tmp_path / "s.duckdb") as db:
        load(db, subset)
        report = load(db, shared_path("unsd", "Goal14.xlsx"))
        assert report.updated > 0  # same keys: the later release updates the earlier values
        frame = db.observations("EN_MAR_CHLDEV", areas=["World"])
        assert not frame["period"].duplicated().any()
        assert frame.loc[frame["period"] == "2005", "value"].tolist() == [4.21]
        fish = db.observations("14.4.1", areas=["World"])
        assert not fish.duplicated(["series", "period"]).any()


def test_excel_column_without_a_name_holding_values_is_an_error(db, tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(["series", "area", "year", "value", None])
    ws.append(["X", "AFG", 2015, 1, None])
    ws.append(["X", "AFG", 2016, 2, "stray"])
    wb.save(tmp_path / "unnamed.xlsx")
    with pytest.raises(InvalidInputError) as info:
        load(db, tmp_path / "unnamed.xlsx")
    problem = info.value.problems[0]
    assert (problem.line, problem.column) == (3, "E") and "column name" in problem.expected
    ws.cell(row=3, column=5).value = None  # an empty unnamed column is ignored
    wb.save(tmp_path / "unnamed.xlsx")
    report = load(db, tmp_path / "unnamed.xlsx")
    assert report.new == 2 and rows(db, "SELECT DISTINCT dims FROM observation WHERE series = 'X'") == [("",)]


# -- 2. Open SDG totals written as text ---------------------------------------------------------


def test_choose_total_rules():
    assert choose_total(["Female", "Male", "Both sexes"], False) == ("Both sexes", "text rule")
    assert choose_total(["Men+", "Women+", "Total, gender"], False) == ("Total, gender", "text rule")
    assert choose_total(["Alberta", "Canada", "Ontario"], False, country_names={"Canada"})[0] == "Canada"
    assert choose_total(["Alberta", "Canada"], False)[0] is None  # a country name only when it is the repository's
    # blank cells already mark the total: a text "Total" beside them is left alone (no collision)
    assert choose_total(["Total", "Female"], True) == (None, "blank cells mark the total")
    # two values of the best tier: ambiguous, unless the repository's start value settles it
    both = ["Total population", "Total visible minority population", "Arab"]
    assert choose_total(both, False)[0] is None and "several values" in choose_total(both, False)[1]
    assert choose_total(both, False, ["Total population"]) == ("Total population", "data_start_values")
    # a start value that is a category, not a total, never becomes the total
    assert choose_total(["2G", "3G", "4G"], False, ["4G"]) == (None, "no value reads as a total")
    # the exact word beats a prefix: "Total" over "Total, urban"
    assert choose_total(["Total", "Total, urban", "Rural"], False)[0] == "Total"


def test_opensdg_totals_written_as_text_are_staged_blank(db):
    report = load(db, TEXT_TOTALS, area="GBR")
    assert any("totals written as text staged as blank" in n for n in report.notes)
    head = rows(db, "SELECT series, period, dims, value FROM observation WHERE is_headline ORDER BY ALL")
    assert ("GB:1.1.1", "2015", "", 10.0) in head and ("GB:1.1.1", "2016", "", 10.5) in head
    # "England" is a split of the country: it stays, with the total Sex blank
    assert rows(db, "SELECT dims FROM observation WHERE series = 'GB:1.1.1' AND value = 12") == [("Country=England",)]
    # 1.2.1 has blank Sex cells: they are the total, "Total" beside them is kept as written
    assert rows(db, "SELECT dims, is_headline FROM observation WHERE series = 'GB:1.2.1' AND value = 5.1") == [
        ("Sex=Total", False)
    ]
    # 1.3.1: two "Total ..." values; the repository's data_start_values names the total
    assert rows(db, "SELECT value FROM observation WHERE series = 'GB:1.3.1' AND is_headline") == [(1.0,)]
    gaps = headline_gaps(db.con, like="GB:%")
    assert gaps["series"].tolist() == ["GB:1.4.1"]
    assert (
        "Technology: never blank, no value reads as a total (2G mobile network, 3G mobile network)" in gaps["reason"][0]
    )


@pytest.fixture(scope="module")
def national(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("national")
    database = sdgtrack.Database(tmp / "national.duckdb")
    for name in ("uk", "canada"):
        load(database, shared_path("opensdg", name), skip_invalid=True, rejected_path=tmp / f"{name}.csv")
    yield database
    database.close()


def test_national_series_headline_coverage(national):
    """Before: 99 of 551 UK and Canada series had no headline row (55 UK, 44 Canada). Totals written
    as text now count, and so do a region's all-blank rows (a GeoCode makes them rows of the region)
    and the conflicting rows sdg-build publishes (kept as variants); the series left have splits
    without any total in the data, each with a reason."""
    counts = dict(
        rows(
            national,
            """
        SELECT split_part(series, ':', 1), count(*) FILTER (WHERE NOT h) FROM
          (SELECT series, bool_or(is_headline) AS h FROM observation WHERE series LIKE '%:%' GROUP BY series)
        GROUP BY 1""",
        )
    )
    # the UK's archived indicators are kept too (GB:archived-11-6-1 ...): 3 of their series have no total
    archived = rows(
        national,
        """SELECT count(*) FROM (SELECT series, bool_or(is_headline) AS h FROM observation
           WHERE series LIKE '%:archived-%' GROUP BY series) WHERE NOT h""",
    )
    assert archived == [(3,)]
    assert counts == {"GB": 44 + 3, "CA": 32}
    gaps = headline_gaps(national.con, like="%:%")
    current = gaps[~gaps["series"].str.contains(":archived-")]
    assert len(current) == 76 and len(gaps) == 79 and gaps["reason"].str.len().min() > 20
    # Geography=Canada and "All quintiles" were the totals of this series: it has a headline now
    series = "CA:10.1.1:household-expenditure-per-capita"
    assert (
        rows(national, "SELECT count(*) FROM observation WHERE series = ? AND is_headline AND area = '124'", [series])[
            0
        ][0]
        == 5
    )
    # and each province's (its GeoCode made it an area of Canada): 10 provinces, 5 years
    assert rows(
        national,
        "SELECT count(DISTINCT o.area), count(*) FROM observation o JOIN area a ON a.code = o.area "
        "WHERE series = ? AND is_headline AND a.parent = '124'",
        [series],
    ) == [(10, 50)]
    assert (
        rows(
            national,
            "SELECT count(*) FROM observation WHERE series = ? AND (contains(dims, 'Geography=Canada') "
            "OR contains(dims, 'All quintiles'))",
            [series],
        )[0][0]
        == 0
    )
    # where blank cells already are the total (CA:2.1.2), "Geography=Canada" is left as written
    assert (
        rows(
            national,
            "SELECT count(*) FROM observation WHERE series = 'CA:2.1.2' AND contains(dims, 'Geography=Canada')",
        )[0][0]
        > 0
    )
    # what stays without a headline is named with its reason
    tech = gaps.set_index("series")["reason"]["GB:9.c.1"]
    assert tech.startswith("Technology: never blank, no value reads as a total (2G mobile network")


# -- 3. dimensions that cannot collide -----------------------------------------------------------


def test_dimension_separators_are_escaped(db, tmp_path):
    data = write(
        tmp_path / "dims.csv",
        "series,area,year,value,Age,Sex\n"
        'X,AFG,2015,1,"x|Sex=y",\n'
        "X,AFG,2015,2,x,y\n"
        'X,AFG,2015,3,"a\\7C",\n'
        'X,AFG,2015,4,"a|",\n',
    )
    report = load(db, data)
    assert (report.new, report.exact_duplicates) == (4, 0)
    stored = {d for (d,) in rows(db, "SELECT dims FROM observation WHERE series = 'X'")}
    assert stored == {"Age=x\\7CSex\\3Dy", "Age=x|Sex=y", "Age=a\\5C7C", "Age=a\\7C"}
    # split on '|' then on the first '=' (as headline.py does), then unescape: the values as written
    values = {unescape_dim(pair.split("=", 1)[1]) for d in stored for pair in d.split("|") if pair.startswith("Age=")}
    assert values == {"x|Sex=y", "x", "a\\7C", "a|"}
    for text in ("plain", "a|b=c", "back\\slash\\7C", "%25"):
        assert unescape_dim(escape_dim(text)) == text and "|" not in escape_dim(text) and "=" not in escape_dim(text)


# -- 4. periods and bounds ------------------------------------------------------------------------

PERIODS = (
    "series,area,year,value\n"
    "X,AFG,2015,1\nX,AFG,99999,1\nX,AFG,20150,1\nX,AFG,2015.5,1\nX,AFG,0000,1\nX,AFG,2016\t,1\n"
    "X,AFG,2017.0,1\nX,AFG,2021/22,1\nX,AFG,2000 Q1,1\nX,AFG,2015-03,1\nX,AFG,17 May to 11 June 2023,1\n"
    "X,AFG,1850,1\nX,AFG,2018,>1e400\nX,AFG,2019,<-1e999\nX,AFG,2019/20 [Note 5],2\nX,AFG,2e03,1\n"
)


def test_periods_and_bounds(db, tmp_path):
    data = write(tmp_path / "periods.csv", PERIODS)
    with pytest.raises(InvalidInputError) as info:
        load(db, data)
    bad = {(p.line, p.column, p.value) for p in info.value.problems}
    assert bad == {
        (3, "period", "99999"),
        (4, "period", "20150"),
        (5, "period", "2015.5"),
        (6, "period", "0000"),
        (13, "period", "1850"),
        (14, "value", ">1e400"),
        (15, "value", "<-1e999"),
        (17, "period", "2e03"),
    }  # a cast would read 2000
    assert all("1900-2100" in p.expected for p in info.value.problems if p.column == "period")
    assert rows(db, "SELECT count(*) FROM observation WHERE series = 'X'") == [(0,)]
    load(db, data, skip_invalid=True, rejected_path=tmp_path / "rejected.csv")
    stored = dict(rows(db, "SELECT period, year FROM observation WHERE series = 'X'"))
    assert stored == {
        "2015": 2015,
        "2016": 2016,
        "2017": 2017,
        "2021/22": 2021,
        "2000 Q1": 2000,
        "2015-03": 2015,
        "17 May to 11 June 2023": 2023,
        "2019/20 [Note 5]": 2019,
    }


# -- 5. physical line numbers ---------------------------------------------------------------------

BLANK_LINES = 'series,area,year,value\nX,AFG,2015,1\n\nX,AFG,2016,"2\n"\n\nX,AFG,2017,bad\n'


@pytest.mark.parametrize(
    "name,text",
    [
        ("tidy.csv", BLANK_LINES),
        ("indicator_1-1-1.csv", 'Year,Sex,Value\n2015,,1\n\n2016,F,"2\n"\n\n2017,,bad\n'),
    ],
)
def test_line_numbers_are_physical_lines(db, tmp_path, name, text):
    data = write(tmp_path / name, text)
    options = {"area": "GBR"} if name.startswith("indicator") else {}
    with pytest.raises(InvalidInputError) as info:
        load(db, data, **options)
    assert [p.line for p in info.value.problems] == [7]
    report = load(db, data, skip_invalid=True, rejected_path=tmp_path / "rejected.csv", **options)
    assert report.rejected == 1
    with open(tmp_path / "rejected.csv", encoding="utf-8") as f:
        assert [r["line"] for r in csv.DictReader(f)] == ["7"]


def test_gzip_csv_line_numbers(db, tmp_path):
    import gzip

    path = tmp_path / "un.csv.gz"
    with gzip.open(path, "wt", encoding="utf-8") as f:
        f.write("SeriesCode,GeoAreaCode,TimePeriod,Value\n\nSH_X,4,2015,1\n\n\nSH_X,4,2016,oops\n")
    with pytest.raises(InvalidInputError) as info:
        load(db, path)
    assert [(p.line, p.value) for p in info.value.problems] == [(6, "oops")]


def test_excel_rows_are_sheet_rows(db, tmp_path):
    wb = Workbook()
    ws = wb.active
    ws["B3"], ws["C3"], ws["D3"], ws["E3"] = "series", "area", "year", "value"
    ws.append([None, "X", "AFG", 2015, 1])
    ws.append([])
    ws.append([None, "X", "AFG", 2016, "bad"])
    wb.save(tmp_path / "offset.xlsx")
    with pytest.raises(InvalidInputError) as info:
        load(db, tmp_path / "offset.xlsx")
    assert [(p.line, p.value) for p in info.value.problems] == [(6, "bad")]


def test_targets_codebook_and_matrix_lines(db, tmp_path):
    from sdgtrack.index.codebook import load_codebook
    from sdgtrack.links.expert import read_matrix
    from sdgtrack.progress.targets import read_targets

    load(db, write(tmp_path / "d.csv", "series,area,year,value\nSH_X,AFG,2015,1\n"))
    targets = write(
        tmp_path / "targets.csv", 'series,direction,source\n\nSH_X,increase,"two\nlines"\n\nSH_X,sideways,x\n'
    )
    with pytest.raises(InvalidInputError) as info:
        read_targets(db, targets)
    assert [(p.line, p.column) for p in info.value.problems] == [(6, "direction")]
    book = write(
        tmp_path / "book.csv",
        "indicator,goal,optimum,lower_bound,green_threshold,red_threshold,in_index,"
        'trend,title\n\nup,1,100,0,80,40,yes,yes,"a\nb"\ndown,99,0,50,10,30,yes,no,x\n',
    )
    with pytest.raises(InvalidInputError) as info:
        load_codebook(book)
    assert [(p.line, p.column) for p in info.value.problems] == [(5, "goal")]
    matrix = write(tmp_path / "m.csv", "code,1,2\n\n1,0,2\n\n2,9,0\n")
    with pytest.raises(InvalidInputError) as info:
        read_matrix(matrix)
    assert [(p.line, p.value) for p in info.value.problems] == [(5, "9")]


# -- 6. the rejected-rows report agrees with itself -----------------------------------------------


def test_rejected_report_counts_rows_like_the_csv(db, tmp_path):
    data = write(
        tmp_path / "dups.csv",
        "series,area,year,value\n"
        "X,AFG,2015,1\nX,AFG,2015,2\nX,AFG,2015,3\n"  # one key, three values
        "X,AFG,2016,1\nX,AFG,2016,1.5\n"  # one key, two values
        "X,AFG,2017,1\nX,AFG,2017,1\n"  # an exact repeat: kept once
        "X,AFG,2018,nope\n",
    )  # invalid
    report = load(db, data, skip_invalid=True, rejected_path=tmp_path / "rejected.csv")
    with open(tmp_path / "rejected.csv", encoding="utf-8") as f:
        listed = list(csv.DictReader(f))
    assert report.rejected == len(listed) == 6
    assert report.rejected_parts == {
        "file problems": 0,
        "invalid rows": 1,
        "rows of keys given different values": 5,
        "keys given different values": 2,
    }
    assert sorted(int(r["line"]) for r in listed) == [2, 3, 4, 5, 6, 9]
    assert "5 rows of 2 keys given different values" in report.summary()
    assert "this key has 3 rows with different values" in listed[0]["reason"]
    assert report.new == 1 and report.exact_duplicates == 1


# -- 7. header-only files, custom areas, descriptions ---------------------------------------------


@pytest.mark.parametrize(
    "name,text",
    [
        ("tidy.csv", "series,area,year,value\n"),
        ("un.csv", "SeriesCode,GeoAreaCode,TimePeriod,Value\n"),
        ("indicator_2-1-1.csv", "Year,Sex,Value\n"),
    ],
)
def test_header_only_file_is_an_error(db, tmp_path, name, text):
    with pytest.raises(InvalidInputError, match="header only"):
        load(db, write(tmp_path / name, text), area="GBR")
    assert rows(db, "SELECT count(*) FROM load") == [(0,)]


def test_header_only_excel_is_an_error(db, tmp_path):
    wb = Workbook()
    wb.active.append(["series", "area", "year", "value"])
    wb.save(tmp_path / "h.xlsx")
    with pytest.raises(InvalidInputError, match="no rows"):
        load(db, tmp_path / "h.xlsx")


def test_custom_area_cannot_take_a_name_another_area_answers_to(db):
    for code, name, said in (
        ("AFG", "Fake", "ISO alpha-3 code"),
        ("af", "Fake", "ISO alpha-2 code"),
        ("004", "Fake", "code"),
        ("LDC", "Fake", "group alias"),
        ("ZZ-1", "afghanistan", "name"),
    ):
        with pytest.raises(UserInputError, match="already names Afghanistan|already names Least") as info:
            db.add_area(code, name)
        assert said in str(info.value)
    db.add_area("CITY-GVA", "Geneva")
    with pytest.raises(UserInputError, match="already exists"):
        db.add_area("CITY-GVA", "Genf")
    with pytest.raises(UserInputError, match="already names Geneva"):
        db.add_area("CITY-GE", "Geneva")
    assert db.resolve_area("AFG") == "4" and db.resolve_area("Geneva") == "CITY-GVA"


def test_areas_add_from_the_cli(tmp_path):
    path = tmp_path / "s.duckdb"
    out = cli("areas", "add", "AFG", "Fake", db=path)
    assert out.returncode == 1 and "Traceback" not in out.stderr + out.stdout
    assert "'AFG' already names Afghanistan (4), as its ISO alpha-3 code" in out.stdout + out.stderr


def test_missing_description_is_null(db, tmp_path):
    data = write(
        tmp_path / "desc.csv",
        "series,area,year,value,series_description\n"
        "A,AFG,2015,1,\nB,AFG,2015,1,nan\nC,AFG,2015,1,None\nD,AFG,2015,1, Real text \n",
    )
    load(db, data)
    assert rows(db, "SELECT code, description FROM series WHERE code IN ('A', 'B', 'C', 'D') ORDER BY code") == [
        ("A", None),
        ("B", None),
        ("C", None),
        ("D", "Real text"),
    ]
