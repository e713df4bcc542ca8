"""Faults outside the user's files: a read-only or missing store, a full disk, Ctrl-C, a bug."""

from __future__ import annotations

import hashlib
import os
import shutil

import duckdb
import pytest

import sdgtrack
from sdgtrack.cli import run
from sdgtrack.contributions import Registry
from sdgtrack.errors import fault_message
from sdgtrack.ingest import load

from .conftest import FIXTURES

READING = [
    ["data", "3.2.1"],
    ["data", "3.2.1", "--format", "csv"],
    ["areas", "list", "--group", "LDC"],
    ["framework", "list", "--level", "goal"],
    ["framework", "show", "3.2.1"],
    ["links", "--level", "goal", "--null", "2"],
    ["contributions", "list"],
    ["contributions", "show", "dec-bce291e779"],
    ["contributions", "coverage"],
    ["contributions", "export"],
    ["contributions", "submissions"],
    ["contributions", "history"],
    ["contributions", "review"],
    ["progress", "--level", "goal"],
]


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    path = tmp_path_factory.mktemp("faults") / "store.duckdb"
    with sdgtrack.Database(path) as database:
        load(database, FIXTURES / "ingest" / "tidy_good.csv")
        Registry(database).import_file(FIXTURES / "contributions" / "wwco-2024.txt")
    return path


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("args", READING, ids=[" ".join(a) for a in READING])
def test_reading_commands_open_the_store_read_only(args, store, tmp_path, capfd, monkeypatch):
    copy = shutil.copy(store, tmp_path / "store.duckdb")
    before = _digest(copy)
    # progress keeps its result when it may write: here the file reads as not writable (as after chmod 444;
    # root ignores the mode, so the check is simulated)
    real_access = os.access
    monkeypatch.setattr("os.access", lambda path, mode: False if mode & os.W_OK else real_access(path, mode))
    # DuckDB refuses, in one process, a writable connection beside a read-only one: a command that
    # opened the store for writing would fail here.
    holder = duckdb.connect(str(copy), read_only=True)
    try:
        status = run([*args, "--db", str(copy)])
    finally:
        holder.close()
    out, err = capfd.readouterr()
    assert status == 0, err
    assert _digest(copy) == before
    if args[0] == "progress":
        assert "read-only: the assessment was not kept" in err


NOT_CREATING = [["serve"], ["index", "--codebook", "sdr2024"], ["upgrade"], ["datasets", "list"], ["history", "3.2.1"]]


@pytest.mark.parametrize("args", READING + NOT_CREATING, ids=[" ".join(a) for a in READING + NOT_CREATING])
def test_a_mistyped_db_is_named_not_created(args, tmp_path, capfd):
    typo = tmp_path / "sdgtrak.duckdb"
    assert run([*args, "--db", str(typo)]) == 1
    assert f"no database at {typo}" in capfd.readouterr().err
    assert not typo.exists()


def test_a_data_file_given_as_the_store_is_refused(tmp_path, capfd):
    data = shutil.copy(FIXTURES / "ingest" / "tidy_good.csv", tmp_path / "data.csv")
    before = _digest(data)
    # DuckDB would open the CSV as an in-memory database: the load would "succeed" and vanish
    assert run(["ingest", str(FIXTURES / "ingest" / "tidy_good.csv"), "--db", str(data)]) == 1
    assert "is not a DuckDB database" in capfd.readouterr().err
    assert _digest(data) == before
    assert run(["ingest", str(data), "--db", str(tmp_path / "new.csv")]) == 1
    assert "a .csv name is for data files" in capfd.readouterr().err


def test_version(capfd):
    assert run(["--version"]) == 0
    assert capfd.readouterr().out.strip() == f"sdgtrack {sdgtrack.__version__}"


class FullDisk:
    """A connection whose COMMIT fails as DuckDB's does on a full disk: the transaction is gone
    (DuckDB rolled it back) and the error names the device."""

    def __init__(self, con):
        self._con = con

    def execute(self, sql, *args):
        if sql.strip().upper() == "COMMIT":
            self._con.execute("ROLLBACK")
            raise duckdb.IOException(
                'Failed to commit: Could not write file "store.duckdb.wal": No space left on device'
            )
        return self._con.execute(sql, *args)

    def __getattr__(self, name):
        return getattr(self._con, name)


def test_a_full_disk_is_named_and_the_store_is_unchanged(store, tmp_path):
    copy = shutil.copy(store, tmp_path / "store.duckdb")
    with sdgtrack.Database(copy) as database:
        before = database.con.execute("SELECT count(*), max(value) FROM observation").fetchone()
        real = database.con
        database.con = FullDisk(real)
        with pytest.raises(duckdb.IOException, match="No space left on device") as exc:
            # an update of every stored row, so the load has something to write
            changed = tmp_path / "tidy_good.csv"  # same name: the same dataset, so an update
            text = (FIXTURES / "ingest" / "tidy_good.csv").read_text()
            changed.write_text(text.replace("70.4", "71.4"))
            load(database, changed)
        database.con = real
        message, status = fault_message(exc.value)
        assert message.startswith("the disk is full") and "nothing was changed" in message and status == 1
        assert database.con.execute("SELECT count(*), max(value) FROM observation").fetchone() == before
        # the next load works: no transaction was left open, nothing says "cannot rollback"
        report = load(database, changed)
        assert report.updated == 1


def test_ctrl_c_is_one_message(store, monkeypatch, capfd):
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr("sdgtrack.frameworks.sdg.list_nodes", interrupted)
    assert run(["framework", "list", "--db", str(store)]) == 130
    err = capfd.readouterr().err
    assert "interrupted" in err and "Traceback" not in err


def test_a_duckdb_interrupt_is_one_message(store, monkeypatch, capfd):
    def interrupted(*args, **kwargs):
        raise duckdb.InterruptException("INTERRUPT Error: Interrupted!")

    monkeypatch.setattr("sdgtrack.frameworks.sdg.list_nodes", interrupted)
    assert run(["framework", "list", "--db", str(store)]) == 130
    assert "interrupted" in capfd.readouterr().err


def test_a_bug_is_one_message_and_debug_shows_it(store, monkeypatch, capfd):
    def bug(*args, **kwargs):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr("sdgtrack.frameworks.sdg.list_nodes", bug)
    assert run(["framework", "list", "--db", str(store)]) == 1
    err = capfd.readouterr().err
    assert "internal error (ZeroDivisionError: division by zero)" in err and "Traceback" not in err
    monkeypatch.setenv("SDGTRACK_DEBUG", "1")
    with pytest.raises(ZeroDivisionError):
        run(["framework", "list", "--db", str(store)])


@pytest.mark.parametrize(
    "exc, expected",
    [
        (RuntimeError("Query interrupted"), "interrupted; nothing was changed"),
        (IsADirectoryError(21, "Is a directory", "targets"), "targets: is a folder; expected a file"),
        (PermissionError(13, "Permission denied", "/x/store.duckdb"), "permission denied: /x/store.duckdb"),
        (UnicodeDecodeError("utf-8", b"\xff", 0, 1, "invalid start byte"), "expected UTF-8"),
        (RecursionError("maximum recursion depth exceeded"), "nested too deeply"),
        (duckdb.IOException("Corrupt database file: computed checksum 1 does not match"), "database file is damaged"),
    ],
)
def test_fault_messages(exc, expected):
    assert expected in fault_message(exc)[0]


def test_a_non_utf8_argument_is_named(capfd):
    assert run(["tag", "caf\udce9 water"]) == 1
    assert "argument 2 is not UTF-8 text (byte 0xe9 at character 4)" in capfd.readouterr().err
