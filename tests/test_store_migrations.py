"""Schema versions: a store written by the release before datasets is upgraded in place, every
observation kept and assigned to the dataset its source file derives; a read-only open of it
says how to upgrade."""

from __future__ import annotations

from importlib import resources

import duckdb
import pytest

import sdgtrack
from sdgtrack.errors import UserInputError
from sdgtrack.store import migrations

from .test_ingest_core import run_cli

# Rows as the previous release wrote them: (series, area, period, year, dims, unit, value, is_headline,
# source_file, load_id); load 1 read a UN download, load 2 an Open SDG repository that has since
# moved (its files no longer exist), load 3 a tidy CSV, load 4 Rwanda's repository (SDMX inside).
# The UN rows carry the flag the old rule left them after a national file split the same series by
# another age (the issue-10 bug): the upgrade decides flags per dataset again.
OLD_ROWS = [
    (
        "SH_DYN_MORT",
        "4",
        "2015",
        2015,
        "Age=<5Y|Sex=BOTHSEX",
        "PER_1000_LIVE_BIRTHS",
        70.0,
        False,
        "/data/unsd/sdg_global_2020.csv.gz",
        1,
    ),
    (
        "SH_DYN_MORT",
        "4",
        "2016",
        2016,
        "Age=<5Y|Sex=BOTHSEX",
        "PER_1000_LIVE_BIRTHS",
        68.0,
        False,
        "/data/unsd/sdg_global_2020.csv.gz",
        1,
    ),
    ("SE_TOT_CPLR", "4", "2016", 2016, "Age=<=45Y", "PERCENT", 12.0, False, "/data/unsd/sdg_global_2020.csv.gz", 1),
    ("SE_TOT_CPLR", "4", "2016", 2016, "Age=>45Y", "PERCENT", 13.0, False, "/data/unsd/sdg_global_2020.csv.gz", 1),
    (
        "SH_DYN_MORT",
        "646",
        "2015",
        2015,
        "Age=<1Y",
        "PER_1000_LIVE_BIRTHS",
        30.0,
        False,
        "/gone/opensdg/rwanda/sdmx-data/RWA.xml",
        4,
    ),
    ("GB:3.2.2", "826", "2019", 2019, "", "Rate", 2.8, True, "/gone/opensdg/uk/data/indicator_3-2-2.csv", 2),
    ("GB:3.2.2", "826", "2019", 2019, "Sex=Female", "Rate", 2.5, False, "/gone/opensdg/uk/data/indicator_3-2-2.csv", 2),
    ("SH_DYN_MORT", "524", "2015", 2015, "", "", 30.0, True, "/home/me/my_data.csv", 3),
]
LOADS = [
    (1, "2026-01-05 10:00:00", "unsd"),
    (2, "2026-02-01 09:00:00", "opensdg"),
    (3, "2026-03-01 12:00:00", "tidy"),
    (4, "2026-03-02 12:00:00", "opensdg,sdmx"),
]


def old_store(path):
    """A store as the release before datasets wrote it: its schema (migration 1's SQL) and rows."""
    con = duckdb.connect(str(path))
    con.execute((resources.files("sdgtrack.store.migrations") / "0001_base.sql").read_text("utf-8"))
    for load_id, when, fmt in LOADS:
        con.execute("INSERT INTO load VALUES (?, ?, 'paths', ?, 0, 0, 0, 0, 0)", [load_id, when, fmt])
    con.executemany(
        """INSERT INTO observation (series, area, period, year, dims, unit, value, is_headline,
                                                source_file, load_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        OLD_ROWS,
    )
    con.close()


def test_read_only_open_of_an_old_store_says_how_to_upgrade(tmp_path):
    path = tmp_path / "old.duckdb"
    old_store(path)
    with pytest.raises(
        UserInputError,
        match=r"schema version 0, this release uses \d+\): upgrade it once with "
        r"`sdgtrack upgrade --db",
    ):
        sdgtrack.Database(path, read_only=True)
    result = run_cli("data", "SH_DYN_MORT", db_path=path)
    assert result.returncode == 1 and "sdgtrack upgrade" in result.stderr and "Traceback" not in result.stderr


def test_upgrade_keeps_every_observation_in_a_derived_dataset(tmp_path):
    path = tmp_path / "old.duckdb"
    old_store(path)
    upgraded = run_cli("upgrade", db_path=path)
    assert upgraded.returncode == 0, upgraded.stderr
    assert f"schema version {migrations.LATEST}" in upgraded.stdout
    with sdgtrack.Database(path, read_only=True) as db:
        rows = db.con.execute(
            "SELECT dataset, series, area, period, dims, value, is_headline "
            "FROM observation ORDER BY dataset, series, area, period, dims"
        ).fetchall()
        assert rows == [
            ("my_data", "SH_DYN_MORT", "524", "2015", "", 30.0, True),
            ("opensdg-rwanda", "SH_DYN_MORT", "646", "2015", "Age=<1Y", 30.0, True),  # alone: it defines its series
            ("opensdg-uk", "GB:3.2.2", "826", "2019", "", 2.8, True),
            ("opensdg-uk", "GB:3.2.2", "826", "2019", "Sex=Female", 2.5, False),
            ("unsd", "SE_TOT_CPLR", "4", "2016", "Age=<\\3D45Y", 12.0, False),  # '=' in a value, escaped
            ("unsd", "SE_TOT_CPLR", "4", "2016", "Age=>45Y", 13.0, False),
            ("unsd", "SH_DYN_MORT", "4", "2015", "Age=<5Y|Sex=BOTHSEX", 70.0, True),  # the UN's headline back
            ("unsd", "SH_DYN_MORT", "4", "2016", "Age=<5Y|Sex=BOTHSEX", 68.0, True),
        ]
        # the flags the upgrade changed keep their earlier version, superseded by the migration's entry
        migrate = db.con.execute("SELECT id, rows_updated FROM load WHERE action = 'migrate'").fetchall()
        assert migrate == [(5, 3)]
        assert db.con.execute("SELECT count(*) FROM observation_history WHERE superseded_load = 5").fetchone()[0] == 3
        assert db.con.execute("SELECT dataset FROM load WHERE id = 1").fetchone()[0] == "unsd"
        listed = db.datasets().set_index("id")
        assert listed.loc["unsd", "kind"] == "global" and listed.loc["opensdg-uk", "kind"] == "national"
        assert str(listed.loc["opensdg-uk", "first_loaded"]) == "2026-02-01 09:00:00"
        # the registry's tables came with the upgrade
        assert db.con.execute("SELECT count(*) FROM contribution_record").fetchone()[0] == 0
        # as-of still answers: the UN rows were in the store on 2026-01-31 (with the flags they had
        # then: the old rule's), the UK rows were not
        assert set(db.observations(as_of="2026-01-31", all_disaggregations=True)["dataset"]) == {"unsd"}
    assert "totals written as text" in upgraded.stdout  # migration 2 ran: its re-load advice is given
    again = run_cli("upgrade", db_path=path)
    assert "already at schema version" in again.stdout


def test_upgrade_advises_a_reload_only_for_what_the_applied_migrations_cannot_give(tmp_path):
    path = tmp_path / "at7.duckdb"
    sdgtrack.Database(path).close()
    with duckdb.connect(str(path)) as con:  # a store written by the release before migration 8
        con.execute("UPDATE meta SET value = '7' WHERE key = 'schema_version'")
    upgraded = run_cli("upgrade", db_path=path)
    assert upgraded.returncode == 0, upgraded.stderr
    assert "applied migrations 8, 9" in upgraded.stdout
    assert "translations" in upgraded.stdout and "columns as written" in upgraded.stdout
    assert "totals written as text" not in upgraded.stdout  # migration 2 did not run here


def test_a_failed_migration_changes_nothing(tmp_path, monkeypatch):
    path = tmp_path / "old.duckdb"
    old_store(path)

    def broken(con, rules):
        raise duckdb.IOException("disk full (simulated)")

    monkeypatch.setattr(
        migrations, "MIGRATIONS", [migrations.MIGRATIONS[0], migrations.Migration(2, "0002_datasets.sql", broken)]
    )
    with pytest.raises(UserInputError, match="disk full"):
        sdgtrack.Database(path)
    con = duckdb.connect(str(path), read_only=True)
    assert migrations.schema_version(con) == 0
    assert con.execute("SELECT count(*) FROM observation").fetchone()[0] == len(OLD_ROWS)
    assert "dataset" not in [r[0] for r in con.execute("DESCRIBE observation").fetchall()]
    con.close()


def test_a_bare_store_open_of_rows_from_before_datasets_names_the_upgrade_and_changes_nothing(tmp_path):
    """The dataset of an old row is the ingest's rule; the store imports no ingest, so a bare
    ``Database`` (no rules handed over) refuses such a store rather than guessing."""
    path = tmp_path / "old.duckdb"
    old_store(path)
    with pytest.raises(UserInputError, match=r"from before datasets: upgrade it with `sdgtrack upgrade --db"):
        sdgtrack.Database(path)
    con = duckdb.connect(str(path), read_only=True)
    assert migrations.schema_version(con) == 0
    assert con.execute("SELECT count(*) FROM observation").fetchone()[0] == len(OLD_ROWS)
    con.close()
    with sdgtrack.open(path) as ws:  # the workspace hands the ingest's rules to the store
        assert set(ws.datasets()["id"]) == {"unsd", "opensdg-uk", "opensdg-rwanda", "my_data"}
