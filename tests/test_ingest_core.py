"""Ingest: tidy CSV and UN readers, strict validation, --skip-invalid, re-load, and the CLI face."""

from __future__ import annotations

import csv
import gzip
import subprocess
import sys

import pytest

import sdgtrack
from sdgtrack.errors import InvalidInputError
from sdgtrack.ingest import check, load

from .conftest import FIXTURES, shared_path

INGEST = FIXTURES / "ingest"


def count(db, where: str = "TRUE") -> int:
    return db.con.execute(f"SELECT count(*) FROM observation WHERE {where}").fetchone()[0]


def test_tidy_good_file(db):
    report = load(db, INGEST / "tidy_good.csv")
    assert (report.new, report.updated, report.unchanged) == (7, 0, 0)
    assert report.formats == {"tidy": 1}
    afg = db.observations("3.2.1", areas=["Afghanistan"])  # headline rows only
    assert afg[["period", "value"]].values.tolist() == [["2015", 70.4], ["2016", 67.6]]
    every = db.observations("SH_DYN_MORT", all_disaggregations=True)
    assert sorted(every["dims"]) == ["", "", "Sex=FEMALE", "Sex=MALE"]
    nepal = db.observations("SN_ITK_DEFC", areas=["NPL"])
    assert nepal["period"].tolist() == ["2017/18", "2019 Q1"]
    assert nepal["year"].tolist() == [2017, 2019]
    assert nepal["value_text"].tolist()[0] == "<2.5" and nepal["value"].tolist()[0] == 2.5
    # a national series unknown to the UN list gets its own row; "N" is kept as not available
    youth = db.observations("NP_POP_YOUTH", all_disaggregations=True)
    assert youth["value"].isna().all() and youth["value_text"].tolist() == ["N"]
    assert youth["is_headline"].tolist() == [True]  # one age band on every row defines the series


def test_reload_reports_unchanged_and_updates(db, tmp_path):
    load(db, INGEST / "tidy_good.csv")
    again = load(db, INGEST / "tidy_good.csv")
    assert (again.new, again.updated, again.unchanged) == (0, 0, 7)
    changed = tmp_path / "changed.csv"
    changed.write_text((INGEST / "tidy_good.csv").read_text().replace("70.4", "70.5"))
    report = load(db, changed, dataset="tidy_good")  # another file of the same dataset
    assert (report.new, report.updated, report.unchanged) == (0, 1, 6)
    assert count(db) == 7
    assert db.observations("SH_DYN_MORT", areas=["AFG"])["value"].tolist()[0] == 70.5


@pytest.mark.parametrize(
    "name, line, column, value, expected",
    [
        ("tidy_bad_value.csv", 3, "value", "about 67", "a number"),
        ("tidy_unknown_area.csv", 3, "area", "Atlantis", "a known area"),
        ("tidy_unknown_indicator.csv", 3, "indicator", "3.2.99", "an SDG indicator code"),
        ("tidy_bad_year.csv", 2, "period", "two thousand", "a year"),
        ("tidy_duplicate.csv", 2, "value", "70.4", "one value per series SH_DYN_MORT"),
    ],
)
def test_strict_load_rejects_and_changes_nothing(db, name, line, column, value, expected):
    load(db, INGEST / "tidy_good.csv")
    before = count(db)
    with pytest.raises(InvalidInputError) as info:
        load(db, INGEST / name)
    problem = info.value.problems[0]
    assert problem.file.endswith(name)
    assert (problem.line, problem.column, problem.value) == (line, column, value)
    assert expected in problem.expected
    assert expected in str(info.value)
    assert count(db) == before
    assert db.con.execute("SELECT count(*) FROM load").fetchone()[0] == 1


def test_missing_column(db):
    with pytest.raises(InvalidInputError) as info:
        load(db, INGEST / "tidy_missing_column.csv", format="tidy")
    assert "column 'year'" in str(info.value)


def test_undetected_file_names_the_formats(db, tmp_path):
    odd = tmp_path / "odd.csv"
    odd.write_text("a,b\n1,2\n")
    with pytest.raises(InvalidInputError, match="odd.csv.*known format"):
        load(db, odd)


def test_skip_invalid_writes_rejected_rows(db, tmp_path):
    rejected = tmp_path / "rejected.csv"
    report = load(
        db,
        [INGEST / "tidy_bad_value.csv", INGEST / "tidy_unknown_area.csv"],
        dataset="mixed",
        skip_invalid=True,
        rejected_path=rejected,
    )
    assert report.new == 1  # AFG 2015 70.4 appears in both files: stored once
    assert report.exact_duplicates == 1
    assert report.blank_values == 1
    assert report.rejected == 2
    rows = list(csv.DictReader(rejected.open()))
    assert {(r["line"], r["value_raw"], r["area"]) for r in rows} == {
        ("3", "about 67", "AFG"),
        ("3", "67.6", "Atlantis"),
    }
    assert all(r["reason"] for r in rows)


def test_truncated_gzip(db, tmp_path):
    data = gzip.compress(("series,area,year,value\n" + "SH_DYN_MORT,AFG,2015,70.4\n" * 5000).encode())
    broken = tmp_path / "broken.csv.gz"
    broken.write_bytes(data[: len(data) // 2])
    with pytest.raises(InvalidInputError) as info:
        load(db, broken, format="tidy")
    assert "broken.csv.gz" in str(info.value) and "readable" in str(info.value)
    assert count(db) == 0


def test_excel_text_in_value_cell(db, tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["series", "area", "year", "value"])
    ws.append(["SH_DYN_MORT", "AFG", 2015, 70.4])
    ws.append(["SH_DYN_MORT", "AFG", 2016, "n/a"])
    path = tmp_path / "bad.xlsx"
    wb.save(path)
    with pytest.raises(InvalidInputError) as info:
        load(db, path)
    p = info.value.problems[0]
    assert (p.line, p.column, p.value) == (3, "value", "n/a")
    assert "bad.xlsx, row 3" in str(info.value)
    assert count(db) == 0


def test_not_a_workbook(db, tmp_path):
    fake = tmp_path / "fake.xlsx"
    fake.write_bytes(b"this is not a zip file")
    with pytest.raises(InvalidInputError, match="fake.xlsx.*(readable Excel|known format)"):
        load(db, fake, format="unsd")


def test_missing_path(db, tmp_path):
    with pytest.raises(InvalidInputError, match="an existing file or folder"):
        load(db, tmp_path / "nope.csv")


def test_validate_changes_nothing(db):
    report = check(db, INGEST / "tidy_good.csv")
    assert report.dry_run and report.new == 7
    assert count(db) == 0


# -- the UN Global Database ------------------------------------------------------------------


def test_un_global_database_2020(un_db):
    total = count(un_db)
    assert total == 1_128_726
    assert un_db.con.execute("SELECT count(DISTINCT series), count(DISTINCT area) FROM observation").fetchone() == (
        472,
        337,
    )
    # Afghanistan's under-5 mortality 2019 (UN IGME, as in the 2020 database): Age <5Y and BOTHSEX
    # make it the headline
    afg = un_db.observations("SH_DYN_MORT", areas=["AFG"], start=2019, end=2019)
    assert afg["value"].tolist() == [60.3] and afg["dims"].tolist() == ["Age=<5Y|Sex=BOTHSEX"]
    # the six non-numeric UN codes are kept as text
    texts = dict(
        un_db.con.execute(
            "SELECT value_text, count(*) FROM observation WHERE value_text IS NOT NULL GROUP BY 1"
        ).fetchall()
    )
    assert texts == {"N": 2858, ">95": 1457, "<2.5": 1042, "<5": 557, "<0.1": 378, "NV": 56}
    # series placed under several indicators are linked to each
    links = {
        r[0]
        for r in un_db.con.execute("SELECT indicator FROM series_indicator WHERE series = 'VC_DSR_MISS'").fetchall()
    }
    assert {"1.5.1", "11.5.1", "13.1.1"} <= links


def test_un_reload_is_unchanged(un_db):
    report = check(un_db, shared_path("unsd", "sdg_global_2020.csv.gz"))
    assert (report.new, report.updated, report.unchanged) == (0, 0, 1_128_726)


def test_un_excel_goal14(db):
    report = load(db, shared_path("unsd", "Goal14.xlsx"))
    assert report.formats == {"unsd": 1}
    assert report.rows_read + report.blank_values == 19_009
    obs = db.observations("14.4.1", areas=["World"])
    assert len(obs) > 0 and obs["source"].notna().all()
    assert db.con.execute("SELECT count(DISTINCT series) FROM observation").fetchone()[0] == 14


# -- the CLI face ----------------------------------------------------------------------------


def run_cli(*args, db_path):
    return subprocess.run(
        [sys.executable, "-m", "sdgtrack.cli", *args, "--db", str(db_path)], capture_output=True, text=True
    )


def test_cli_error_is_one_message_not_a_traceback(tmp_path):
    result = run_cli("ingest", str(INGEST / "tidy_bad_value.csv"), db_path=tmp_path / "cli.duckdb")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "tidy_bad_value.csv, line 3, column 'value': got 'about 67'" in result.stderr
    assert "nothing was loaded" in result.stderr
    assert "hint: to load the valid rows anyway, run `sdgtrack ingest --skip-invalid`" in result.stderr
    assert not (tmp_path / "cli.duckdb").exists()  # the refused first load left no empty store behind


def test_validate_creates_no_store_and_a_failed_load_keeps_an_existing_one(tmp_path):
    store = tmp_path / "kept.duckdb"
    checked = run_cli("validate", str(INGEST / "tidy_good.csv"), db_path=store)
    assert checked.returncode == 0, checked.stderr
    assert not store.exists()
    loaded = run_cli("ingest", str(INGEST / "tidy_good.csv"), db_path=store)
    assert loaded.returncode == 0, loaded.stderr
    refused = run_cli("ingest", str(INGEST / "tidy_bad_value.csv"), db_path=store)
    assert refused.returncode == 1
    assert store.exists()  # the store the user had stays, with its data
    with sdgtrack.Database(store, read_only=True) as db:
        assert db.con.execute("SELECT count(*) FROM observation").fetchone()[0] > 0


def test_cli_ingest_then_data(tmp_path):
    db_path = tmp_path / "cli.duckdb"
    first = run_cli("ingest", str(INGEST / "tidy_good.csv"), db_path=db_path)
    assert first.returncode == 0, first.stderr
    assert "7 new, 0 updated, 0 unchanged" in first.stdout
    again = run_cli("ingest", str(INGEST / "tidy_good.csv"), db_path=db_path)
    assert "0 new, 0 updated, 7 unchanged" in again.stdout
    out = run_cli("data", "3.2.1", "--area", "AFG", "--format", "csv", db_path=db_path)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.strip().splitlines()
    assert lines[0].startswith("dataset,series,area,area_name,period") and len(lines) == 3
    assert lines[1].startswith("tidy_good,")
    unknown = run_cli("data", "99.9.9", db_path=db_path)
    assert unknown.returncode == 1 and "unknown code '99.9.9'" in unknown.stderr


def test_failed_load_leaves_no_work_tables(db):
    with pytest.raises(InvalidInputError):
        load(db, INGEST / "tidy_duplicate.csv")
    temp = db.con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE temporary UNION ALL "
        "SELECT view_name FROM duckdb_views() WHERE temporary AND NOT internal"
    ).fetchall()
    assert temp == []
    assert load(db, INGEST / "tidy_good.csv").new == 7  # and the next load works as usual
