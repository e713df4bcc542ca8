"""`sdgtrack export parquet`: Hive-partitioned Parquet read back equal to the store, its
Frictionless descriptor, and bad output folders refused with nothing written."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from typer.testing import CliRunner

import sdgtrack
from sdgtrack.cli import app
from sdgtrack.errors import UserInputError

from .conftest import shared_path

runner = CliRunner()
TABLES = ("area", "area_member", "series", "series_indicator", "framework_node", "dataset", "crosswalk")
# exported in part: the sources' start selections only (what the headline rule weighs)
START_ROWS = "SELECT * EXCLUDE (load_id) FROM indicator_metadata WHERE field = 'data_start_values'"
# Frictionless Table Schema field types (v1)
FIELD_TYPES = {
    "string", "number", "integer", "boolean", "object", "array", "date", "time", "datetime",
    "year", "yearmonth", "duration", "geopoint", "geojson", "any",
}  # fmt: skip


@pytest.fixture(scope="module")
def un_export(un_db, tmp_path_factory):
    out = tmp_path_factory.mktemp("export") / "un"
    with _workspace(un_db) as ws:
        result = ws.export_parquet(out)
    return out, result


class _workspace:
    """The session's UN store as a workspace, without closing the store other tests share."""

    def __init__(self, db):
        self.ws = object.__new__(sdgtrack.Workspace)
        self.ws.store = db

    def __enter__(self):
        return self.ws

    def __exit__(self, *exc):
        return None


@pytest.fixture(scope="module")
def two_datasets(tmp_path_factory):
    """A store with Rwanda's Open SDG repository (series codes such as RW:GDP1:sectoral-share-of-gdp)
    and a slice of the UN database (goal 3, a few countries)."""
    rwanda = shared_path("opensdg", "rwanda")
    gz = shared_path("unsd", "sdg_global_2020.csv.gz")
    folder = tmp_path_factory.mktemp("two")
    subset = folder / "un_goal3.csv"
    duckdb.sql(
        f"COPY (SELECT * FROM read_csv('{gz}', all_varchar=true) WHERE Goal = '3' "
        "AND GeoAreaCode IN ('646', '404', '800', '834', '1')) TO '" + str(subset) + "' (HEADER)"
    )
    with sdgtrack.open(folder / "s.duckdb") as ws:
        ws.ingest(rwanda)
        ws.ingest(subset, dataset="unsd")
    ws = sdgtrack.open(folder / "s.duckdb", read_only=True)  # an export only reads; so does the CLI beside it
    yield ws
    ws.close()


def _store_rows(con, where: str = "TRUE"):
    return con.execute(f"SELECT * FROM observation WHERE {where}").df()


def _sorted(frame):
    keys = ["dataset", "series", "area", "period", "dims", "unit", "variant"]
    return frame.sort_values(keys, kind="stable").reset_index(drop=True)


def test_round_trip_equals_the_store(un_db, un_export):
    out, result = un_export
    con = un_db.con.cursor()
    con.execute(
        f"CREATE TEMP VIEW back AS SELECT * FROM read_parquet('{out}/observation/*/*.parquet', hive_partitioning=false)"
    )
    stored = con.execute("SELECT count(*) FROM observation").fetchone()[0]
    assert result.rows["observation"] == stored == con.execute("SELECT count(*) FROM back").fetchone()[0] > 1_000_000
    assert (
        con.execute("DESCRIBE back").df()["column_type"].tolist()
        == con.execute("DESCRIBE observation").df()["column_type"].tolist()
    )
    # the same rows, duplicates counted: the sum of a hash of every column of every row (a multiset
    # digest, exact where a sum of floating-point values depends on the order), and rows with NULLs
    columns = ", ".join(con.execute("DESCRIBE observation").df()["column_name"])
    digest = f"SELECT sum(hash({columns})::HUGEINT), count(value), count(unit_measure), count(attributes) FROM "
    assert con.execute(digest + "observation").fetchall() == con.execute(digest + "back").fetchall()
    # one folder per series, each holding only its series
    per_file = con.execute(
        f"SELECT filename, count(DISTINCT series) AS n, any_value(series) AS s "
        f"FROM read_parquet('{out}/observation/*/*.parquet', filename=true) GROUP BY filename"
    ).df()
    assert (per_file["n"] == 1).all()
    assert (
        len(per_file)
        == result.partitions
        == con.execute("SELECT count(DISTINCT series) FROM observation").fetchone()[0]
    )
    assert all(f"series={s}" in f for f, s in zip(per_file["filename"], per_file["s"]))
    for table in TABLES:
        a = con.execute(f"SELECT * FROM {table}").df()
        b = duckdb.sql(f"SELECT * FROM read_parquet('{out}/{table}.parquet')").df()
        pd.testing.assert_frame_equal(_by_all(a), _by_all(b), check_dtype=False)
    a = con.execute(START_ROWS).df()
    b = duckdb.sql(f"SELECT * FROM read_parquet('{out}/indicator_metadata.parquet')").df()
    pd.testing.assert_frame_equal(_by_all(a), _by_all(b), check_dtype=False)
    con.close()


def _by_all(frame):
    return frame.sort_values(list(frame.columns), kind="stable", na_position="first").reset_index(drop=True)


def test_descriptor_is_a_tabular_data_package(un_db, un_export):
    out, result = un_export
    package = json.loads((out / "datapackage.json").read_text("utf-8"))
    assert package["profile"] == "data-package"
    assert isinstance(package["resources"], list) and package["resources"]
    names = [r["name"] for r in package["resources"]]
    assert len(set(names)) == len(names) == 1 + len(TABLES) + 1  # + indicator_metadata
    for resource in package["resources"]:
        assert re.fullmatch(r"[a-z0-9._-]+", resource["name"])
        assert resource["profile"] == "tabular-data-resource"
        paths = resource["path"] if isinstance(resource["path"], list) else [resource["path"]]
        assert paths
        for path in paths:  # relative POSIX paths inside the package, each a file that is there
            assert not path.startswith("/") and ".." not in path.split("/") and "\\" not in path
            assert (out / path).is_file()
        fields = resource["schema"]["fields"]
        assert all(set(f) >= {"name", "type", "description"} and f["description"] for f in fields)
        assert {f["type"] for f in fields} <= FIELD_TYPES
        # the schema names the files' columns, in order, with matching types
        described = duckdb.sql(f"DESCRIBE SELECT * FROM read_parquet('{out / paths[0]}')").df()
        assert [f["name"] for f in fields] == list(described["column_name"])
        kinds = dict(zip(described["column_name"], described["column_type"]))
        for f in fields:
            expected = {"string": "VARCHAR", "integer": "INTEGER", "number": "DOUBLE", "boolean": "BOOLEAN"}.get(
                f["type"]
            )
            if expected:
                assert kinds[f["name"]] == expected, f
        # every table has its key, but the crosswalk: one link may be given by two sources
        assert set(resource["schema"].get("primaryKey", [])) <= {f["name"] for f in fields}
        assert ("primaryKey" in resource["schema"]) == (resource["name"] != "crosswalk")
        assert resource["rows"] == result.rows[resource["name"].replace("-", "_")]
    observation = package["resources"][0]
    assert observation["name"] == "observation" and len(observation["path"]) == result.partitions
    assert "unit_measure" in {f["name"] for f in observation["schema"]["fields"]}


def test_datasets_chosen_and_series_codes_encoded(two_datasets, tmp_path):
    ws = two_datasets
    out = tmp_path / "rw"
    result = ws.export_parquet(out, datasets=["opensdg-rwanda"])
    rows = _store_rows(ws.store.con, "dataset = 'opensdg-rwanda'")
    back = duckdb.sql(f"SELECT * FROM read_parquet('{out}/observation/*/*.parquet')").df()
    pd.testing.assert_frame_equal(_sorted(back), _sorted(rows))
    assert result.datasets == ["opensdg-rwanda"] and set(back["dataset"]) == {"opensdg-rwanda"}
    # a national code with colons is a percent-encoded folder, read back as written
    assert any(":" in s for s in back["series"])
    assert (out / "observation" / "series=RW%3AGDP1%3Asectoral-share-of-gdp").is_dir()
    from sdgtrack.store.parquet import partitions

    assert set(partitions(out)) == set(rows["series"])
    # the attributes of migration 6 come through (Rwanda's rows carry them)
    assert back["attributes"].notna().any()
    everything = ws.export_parquet(tmp_path / "all")
    assert everything.datasets == ["opensdg-rwanda", "unsd"]
    assert everything.rows["observation"] == int(ws.store.con.execute("SELECT count(*) FROM observation").fetchone()[0])


def test_bad_out_dir_is_refused_and_nothing_written(two_datasets, tmp_path):
    ws = two_datasets
    full = tmp_path / "full"
    full.mkdir()
    (full / "keep.txt").write_text("mine")
    with pytest.raises(UserInputError, match=r"full: the folder is not empty"):
        ws.export_parquet(full)
    assert [p.name for p in full.iterdir()] == ["keep.txt"]
    afile = tmp_path / "a.parquet"
    afile.write_text("x")
    with pytest.raises(UserInputError, match=r"exists and is a file"):
        ws.export_parquet(afile)
    with pytest.raises(UserInputError, match=r"parent folder .* does not exist"):
        ws.export_parquet(tmp_path / "no" / "such" / "dir")
    # a failure after the checks (an unknown dataset) leaves no folder and no half-written files
    with pytest.raises(UserInputError, match=r"unknown dataset nope"):
        ws.export_parquet(tmp_path / "new", datasets=["nope"])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.parquet", "full"]
    # an empty folder is fine
    empty = tmp_path / "empty"
    empty.mkdir()
    assert ws.export_parquet(empty, datasets=["unsd"]).rows["observation"] > 0


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes anywhere: a read-only folder refuses no one")
def test_read_only_parent_is_refused(two_datasets, tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        with pytest.raises(UserInputError, match=r"cannot write in .*locked"):
            two_datasets.export_parquet(locked / "out")
        assert not any(locked.iterdir())
    finally:
        locked.chmod(0o700)


def test_cli(two_datasets, tmp_path):
    db = str(two_datasets.path)
    res = runner.invoke(app, ["export", "parquet", str(tmp_path / "out"), "--db", db, "--dataset", "unsd"])
    assert res.exit_code == 0, res.output
    assert "series partitions" in res.output and "datasets unsd" in res.output
    assert Path(tmp_path / "out" / "datapackage.json").is_file()
    res = runner.invoke(app, ["export", "parquet", str(tmp_path / "out"), "--db", db])
    assert res.exit_code == 1 and isinstance(res.exception, UserInputError)
    assert "the folder is not empty" in str(res.exception)  # what the CLI prints after "error:"


def test_empty_store_is_refused(tmp_path):
    with (
        sdgtrack.open(tmp_path / "empty.duckdb") as ws,
        pytest.raises(UserInputError, match="the store holds no observations: nothing to export"),
    ):
        ws.export_parquet(tmp_path / "out")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty.duckdb"]
