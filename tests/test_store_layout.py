"""The observation table's physical order (issue 23): loads write rows by series and area, migration
7 rewrites older stores so, and a series x area read then scans one or two row groups; the
server's lookups of codes and areas are as fresh as its answer cache."""

from __future__ import annotations

import json
import random

import duckdb
import pytest
from fastapi.testclient import TestClient

import sdgtrack
from sdgtrack.errors import UserInputError
from sdgtrack.ingest import load
from sdgtrack.store import migrations
from sdgtrack.store.database import Lookups
from sdgtrack.web.app import create_app

from .web_fixtures import small_store


def _physical(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    return con.execute("SELECT series, area FROM observation ORDER BY rowid").fetchall()


def _shuffled_tidy(path, n_series: int = 30, areas=("AFG", "NOR", "NPL", "KEN", "BRA", "IND")) -> None:
    rows = [f"S_{s:03d},{a},{y},{s + y / 1000}" for s in range(n_series) for a in areas for y in range(2000, 2010)]
    random.Random(7).shuffle(rows)
    path.write_text("series,area,year,value\n" + "\n".join(rows) + "\n", encoding="utf-8")


def test_a_load_writes_its_rows_in_series_and_area_order(db, tmp_path):
    data = tmp_path / "shuffled.csv"
    _shuffled_tidy(data)
    load(db, data, dataset="shuffled")
    stored = _physical(db.con)
    assert len(stored) == 30 * 6 * 10 and stored == sorted(stored)
    # a second load of other series appends its own sorted run; the first run stays as it was
    more = tmp_path / "more.csv"
    more.write_text("series,area,year,value\nA_LAST,NPL,2001,1\nA_LAST,AFG,2001,2\n", encoding="utf-8")
    load(db, more, dataset="more")
    after = _physical(db.con)
    assert after[: len(stored)] == stored and after[len(stored) :] == [("A_LAST", "4"), ("A_LAST", "524")]


def test_migration_7_rewrites_an_older_store_in_order_keeping_every_row(tmp_path):
    path = tmp_path / "old.duckdb"
    data = tmp_path / "shuffled.csv"
    _shuffled_tidy(data)
    with sdgtrack.Database(path) as db:
        load(db, data, dataset="shuffled")
        con = db.con
        everything = sorted(con.execute("SELECT * FROM observation").fetchall(), key=repr)
        # as a store of schema 6 holds them: in the order of the file
        con.execute("CREATE TEMP TABLE c AS SELECT * FROM observation")
        con.execute("DELETE FROM observation")
        con.execute("INSERT INTO observation SELECT * FROM c ORDER BY hash(series, area, period) LIMIT 1000000")
        con.execute("UPDATE meta SET value = '6' WHERE key = 'schema_version'")
        assert _physical(con) != sorted(_physical(con))
    with sdgtrack.Database(path) as db:
        assert db.upgraded == [m.version for m in migrations.MIGRATIONS if m.version >= 7]  # 7 and every later one
        assert migrations.schema_version(db.con) == migrations.LATEST
        assert _physical(db.con) == sorted(_physical(db.con))
        assert sorted(db.con.execute("SELECT * FROM observation").fetchall(), key=repr) == everything


def _scanned(db: sdgtrack.Database, tmp_path, code: str, area: str) -> tuple[int, int, int]:
    """(rows read, row groups scanned, row groups in the tables read) of one observations() call."""
    out = tmp_path / "profile.json"
    db.observations(code, areas=[area])  # the lookups' own queries are not profiled
    db.con.execute("SET enable_profiling = 'json'")
    db.con.execute(f"SET profiling_output = '{out}'")
    try:
        frame = db.observations(code, areas=[area])
    finally:
        db.con.execute("RESET enable_profiling")
    query = json.loads(out.read_text())["query"]
    return len(frame), query["total_row_groups_scanned"], query["total_row_groups_to_scan"]


def test_a_series_by_area_read_of_the_un_store_scans_one_or_two_row_groups(un_db, tmp_path):
    total = un_db.con.execute("SELECT count(*) FROM observation").fetchone()[0]
    groups = -(-total // 122_880)
    for code, area, n_series in (("SH_DYN_MORT", "AFG", 1), ("3.2.1", "KEN", 4)):
        rows, scanned, to_scan = _scanned(un_db, tmp_path, code, area)
        assert rows > 0 and to_scan >= groups >= 9
        # the row groups of observation holding the series (plus the one-group area table)
        assert scanned <= 1 + min(n_series, 2), (code, scanned, to_scan)
    # the same rows as a read of the whole series filtered afterwards
    whole = un_db.observations("3.2.1")
    assert (
        un_db.observations("3.2.1", areas=["KEN"])
        .reset_index(drop=True)
        .equals(whole[whole["area"] == "404"].reset_index(drop=True))
    )


def test_lookups_answer_as_the_store_does_and_keep_no_unknown_code(db, tmp_path):
    data = tmp_path / "t.csv"
    data.write_text(
        "series,area,year,value,indicator\nSH_DYN_MORT,AFG,2015,70,3.2.1\nSH_DYN_MORT,NOR,2015,3,3.2.1\n",
        encoding="utf-8",
    )
    load(db, data, dataset="t")
    plain = db.observations("3.2.1", areas=["Afghanistan"])
    lookups = Lookups("state-1")
    db.lookups = lookups
    assert db.observations("3.2.1", areas=["Afghanistan"]).equals(plain)
    assert db.observations("3.2.1", areas=["Afghanistan"]).equals(plain)  # from the lookups now
    for bad in ("9.9.9.9", "NOSUCH_SERIES"):
        with pytest.raises(UserInputError, match="unknown code"):
            db.observations(bad)
    assert all(key[1] not in ("9.9.9.9", "NOSUCH_SERIES") for key in lookups._kept)
    lookups.retire()  # a retired one asks the store every time and keeps nothing
    assert db.observations("3.2.1", areas=["Afghanistan"]).equals(plain) and lookups._kept == {}


def test_a_write_through_the_server_is_seen_by_the_next_uncached_read(tmp_path):
    path = small_store(tmp_path / "s.duckdb")
    client = TestClient(create_app(path))
    before = client.get("/api/data/3.2.1", params={"area": "NOR"}).json()
    assert {i["series"] for i in before["items"]} == {"SH_DYN_MORT", "SH_DYN_IMRT"}
    national = tmp_path / "national.csv"
    national.write_text("series,area,year,value,indicator\nNO:3.2.1,NOR,2020,2.1,3.2.1\n", encoding="utf-8")
    with client.app.state.owner.writing() as ws:  # a new series under 3.2.1: the resolved code changes
        ws.ingest(national, dataset="national")
    after = client.get("/api/data/3.2.1", params={"area": "NOR"}).json()
    assert {i["series"] for i in after["items"]} == {"SH_DYN_MORT", "SH_DYN_IMRT", "NO:3.2.1"}


def test_a_new_series_row_takes_its_most_frequent_description_and_unit(db, tmp_path):
    lines = ["series,area,year,value,series_description,unit"]
    rows = [("b", "U2")] * 3 + [("a", "U1")] * 3 + [("c", "U2")]  # a and b tie: the first by text
    lines += [f"X,AFG,{2000 + i},{i},{d},{u}" for i, (d, u) in enumerate(rows)]
    lines += [f"Y,NOR,{2000 + i},{i},only,{'PCT' if i < 2 else 'NUM'}" for i in range(5)]
    data = tmp_path / "described.csv"
    data.write_text("\n".join(lines) + "\n", encoding="utf-8")
    load(db, data, dataset="described")
    got = db.con.execute("SELECT code, description, unit FROM series WHERE code IN ('X', 'Y') ORDER BY code")
    assert got.fetchall() == [("X", "a", "U2"), ("Y", "only", "NUM")]
