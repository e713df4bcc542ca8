"""An unchanged re-load is known from the digest of its files before any parse (issue 23): it reports
what the full path would, writes its load row, and never hides a change (a file edited in place, a
load in between, a rejected row, new reference data, another release's rules)."""

from __future__ import annotations

import pytest

from sdgtrack.errors import InvalidInputError
from sdgtrack.ingest import check, fingerprint, load
from sdgtrack.ingest.readers.opensdg import OpenSdgReader
from sdgtrack.ingest.readers.tidy import TidyReader

from .conftest import shared_path

HEADER = "series,area,year,value,sex"
ROWS = [
    "SH_DYN_MORT,AFG,2015,70.1,",
    "SH_DYN_MORT,AFG,2016,68.5,",
    "SH_DYN_MORT,AFG,2016,68.5,",  # an exact repeat: stored once, counted
    "SH_DYN_MORT,NPL,2015,30,F",
    "SH_DYN_MORT,NPL,2016,,F",  # no value: counted, not loaded
    "SI_POV_DAY1,KEN,2015,36.8,",
]
NOT_READ = "not read again"


def write(path, rows=ROWS):
    path.write_text(HEADER + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def stored(db) -> list[tuple]:
    return db.con.execute("SELECT * EXCLUDE (load_id) FROM observation ORDER BY ALL").fetchall()


def counts(report) -> tuple:
    return (
        report.rows_read,
        report.blank_values,
        report.exact_duplicates,
        report.new,
        report.updated,
        report.unchanged,
        report.missing,
        report.series,
        report.areas,
        report.files,
        report.formats,
    )


def test_an_unchanged_reload_reports_what_reading_the_file_would(db, tmp_path):
    path = write(tmp_path / "tidy.csv")
    first = load(db, path, dataset="d")
    assert (first.new, first.blank_values, first.exact_duplicates) == (4, 1, 1)
    rows = stored(db)
    full = check(db, path, dataset="d")  # a dry run always reads and compares every row
    for _ in range(2):  # the load an unchanged re-load records is itself the last load of the files
        again = load(db, path, dataset="d")
        assert counts(again) == counts(full) and (again.new, again.unchanged) == (0, 4)
        assert any(NOT_READ in n for n in again.notes) and not any(NOT_READ in n for n in full.notes)
        assert [n for n in again.notes if NOT_READ not in n] == first.notes
    assert stored(db) == rows
    loads = db.con.execute(
        "SELECT rows_read, rows_new, rows_unchanged, rows_missing FROM load WHERE dataset = 'd' ORDER BY id"
    ).fetchall()
    assert loads == [(5, 4, 0, 0), (5, 0, 4, 0), (5, 0, 4, 0)]
    assert db.con.execute("SELECT count(*) FROM observation_history").fetchone()[0] == 0


def test_a_file_changed_in_place_is_read_again(db, tmp_path):
    path = write(tmp_path / "tidy.csv")
    load(db, path, dataset="d")
    size = path.stat().st_size
    write(path, [r.replace("70.1", "70.2") for r in ROWS])  # same size, one value differs
    assert path.stat().st_size == size
    again = load(db, path, dataset="d")
    assert (again.new, again.updated, again.unchanged) == (0, 1, 3)
    assert not any(NOT_READ in n for n in again.notes)


def test_a_load_in_between_or_a_removal_makes_the_next_one_read(db, tmp_path):
    path = write(tmp_path / "tidy.csv")
    load(db, path, dataset="d")
    more = write(tmp_path / "more.csv", ["SH_DYN_MORT,IND,2015,40,"])
    load(db, more, dataset="d")
    again = load(db, path, dataset="d")  # the dataset holds IND too: missing from this load
    assert (again.unchanged, again.missing) == (4, 1) and not any(NOT_READ in n for n in again.notes)
    # the dataset holds rows these files do not give: each re-load reads, and --replace removes them
    assert load(db, path, dataset="d").missing == 1
    assert load(db, path, dataset="d", replace=True).removed == 1
    assert any(NOT_READ in n for n in load(db, path, dataset="d").notes)
    db.remove_dataset("d")
    back = load(db, path, dataset="d")
    assert back.new == 4 and not any(NOT_READ in n for n in back.notes)


def test_a_load_with_rejected_rows_is_never_taken_as_unchanged(db, tmp_path):
    path = write(tmp_path / "tidy.csv", [*ROWS, "SH_DYN_MORT,NOWHERE,2015,1,"])
    first = load(db, path, dataset="d", skip_invalid=True, rejected_path=tmp_path / "rejected.csv")
    assert first.rejected == 1
    with pytest.raises(InvalidInputError) as err:  # strict, as the first time: the bad row is named
        load(db, path, dataset="d")
    assert err.value.problems[0].value == "NOWHERE" and err.value.problems[0].line == 8


def test_new_reference_data_makes_the_next_load_read(db, tmp_path):
    path = write(tmp_path / "tidy.csv")
    load(db, path, dataset="d")
    db.add_area("XKX", "Kosovo test area", None, "custom")  # an area cell could now resolve differently
    assert not any(NOT_READ in n for n in load(db, path, dataset="d").notes)
    assert any(NOT_READ in n for n in load(db, path, dataset="d").notes)


def test_the_digest_covers_files_options_and_reference_and_only_self_contained_readers(tmp_path):
    a = write(tmp_path / "a.csv")
    b = write(tmp_path / "b.csv")
    tidy = TidyReader()
    base = fingerprint.inputs_digest([(a, tidy)], {"area": None}, "ref")
    assert base is not None and base == fingerprint.inputs_digest([(a, tidy)], {"area": None}, "ref")
    assert base != fingerprint.inputs_digest([(b, tidy)], {"area": None}, "ref")  # same bytes, other path
    assert base != fingerprint.inputs_digest([(a, tidy)], {"area": "404"}, "ref")
    assert base != fingerprint.inputs_digest([(a, tidy)], {"area": None}, "other ref")
    # an Open SDG file reads its repository's configuration beside it: never digested
    assert fingerprint.inputs_digest([(a, tidy), (b, OpenSdgReader())], {}, "ref") is None
    assert fingerprint.inputs_digest([(tmp_path, tidy)], {}, "ref") is None  # a folder: the reader walks it


def test_the_un_extract_reload_is_recorded_without_a_parse(un_db):
    path = shared_path("unsd", "sdg_global_2020.csv.gz")
    before = un_db.con.execute("SELECT count(*), max(id) FROM load WHERE dataset = 'unsd'").fetchone()
    again = load(un_db, path)
    assert (again.new, again.updated, again.unchanged, again.missing) == (0, 0, 1_128_726, 0)
    assert any(NOT_READ in n for n in again.notes)
    after = un_db.con.execute("SELECT count(*), max(id) FROM load WHERE dataset = 'unsd'").fetchone()
    assert after[0] == before[0] + 1 and after[1] > before[1]
