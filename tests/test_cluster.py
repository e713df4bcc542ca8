"""The analyses on a Dask cluster of two worker processes equal the local run: same rows, same values.

A real subset: five goals of the UN extract for seventeen areas (countries, the World and regions,
so a series' main unit is chosen over every area as in the whole store) and Rwanda's Open SDG
repository (a second dataset, series codes with colons)."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest
from typer.testing import CliRunner

import sdgtrack
from sdgtrack.cli import app
from sdgtrack.errors import UserInputError

from .conftest import shared_path

pytest.importorskip("dask.distributed")

runner = CliRunner()
AREAS = ("1", "4", "8", "12", "50", "76", "156", "356", "404", "646", "826", "840", "710", "566", "202", "419", "150")


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    gz = shared_path("unsd", "sdg_global_2020.csv.gz")
    rwanda = shared_path("opensdg", "rwanda")
    folder = tmp_path_factory.mktemp("cluster")
    subset = folder / "un_subset.csv"
    areas = ", ".join(f"'{a}'" for a in AREAS)
    duckdb.sql(
        f"COPY (SELECT * FROM read_csv('{gz}', all_varchar=true) WHERE Goal IN ('1', '3', '5', '7', '8') "
        f"AND GeoAreaCode IN ({areas})) TO '{subset}' (HEADER)"
    )
    with sdgtrack.open(folder / "s.duckdb") as ws:
        ws.ingest(subset, dataset="unsd")
        ws.ingest(rwanda)
        ws.export_parquet(folder / "parquet")
    ws = sdgtrack.open(folder / "s.duckdb", read_only=True)
    yield ws, folder / "parquet"
    ws.close()


@pytest.fixture(scope="module")
def scheduler():
    """A local Dask cluster of two worker processes, reached by its address as a real one would be."""
    from sdgtrack.cluster.run import local_cluster

    cluster = local_cluster(2)
    yield cluster.scheduler_address
    cluster.close()


def _same_links(local, remote):
    for name in ("series", "goal_pairs", "top_goal_pairs"):
        if name in local.tables:
            pd.testing.assert_frame_equal(remote.tables[name], local.tables[name])
    assert remote.summary == local.summary and remote.datasets == local.datasets
    assert remote.notes[:-1] == local.notes  # the cluster's line is added last
    assert remote.notes[-1].startswith("cluster: ")


def test_links_equal_the_local_run(exported, scheduler):
    ws, parquet = exported
    local = ws.links(null_permutations=3, save=False)
    remote = ws.cluster(parquet, scheduler=scheduler).links(null_permutations=3)
    pairs = remote.tables["series"]
    assert len(pairs) > 1000 and pairs["area"].nunique() > 5 and (pairs["class"] != "none").any()
    assert set(remote.datasets) == {"unsd", "opensdg-rwanda"}
    _same_links(local, remote)


def test_links_options_equal_the_local_run(exported, scheduler):
    """Areas (the main unit then counts those areas only), goals, years, BH, a transform, goal level."""
    ws, parquet = exported
    options = dict(
        areas=["Rwanda", "KEN", "India", "Brazil", "1"],
        series=["3", "8", "1"],
        start=2000,
        end=2019,
        transform="diff",
        min_years=6,
        bh=True,
        null_permutations=2,
        seed=7,
        level="goal",
    )
    local = ws.links(save=False, **options)
    remote = ws.cluster(parquet, scheduler=scheduler).links(**options)
    assert len(remote.tables["goal"]) > 10
    pd.testing.assert_frame_equal(remote.tables["goal"], local.tables["goal"])
    _same_links(local, remote)


def test_progress_equals_the_local_run(exported, scheduler):
    ws, parquet = exported
    local = ws.assess(save=False)
    remote = ws.cluster(parquet, scheduler=scheduler).assess()
    frame = remote.tables["series"]
    assert len(frame) > 1000 and frame["status"].nunique() > 3 and frame["dataset"].nunique() == 2
    pd.testing.assert_frame_equal(frame, local.tables["series"])
    assert remote.summary == local.summary and remote.data_window == local.data_window
    assert remote.datasets == local.datasets and remote.parameters == local.parameters
    for method, level in (("eurostat", "goal"), ("statcan", "indicator")):
        local = ws.assess(method, level=level, save=False)
        remote = ws.cluster(parquet, scheduler=scheduler).assess(method, level=level)
        pd.testing.assert_frame_equal(remote.tables[level], local.tables[level])


def test_cli_on_a_local_cluster(exported, tmp_path):
    ws, parquet = exported
    out = tmp_path / "links.csv"
    res = runner.invoke(
        app,
        [
            "cluster",
            "run",
            "links",
            "--parquet",
            str(parquet),
            "--local-workers",
            "2",
            "--null",
            "0",
            "-f",
            "csv",
            "-o",
            str(out),
        ],
    )
    assert res.exit_code == 0, res.output
    assert "cluster: local cluster with 2 workers" in res.output
    local = ws.links(null_permutations=0, save=False).tables["series"]
    remote = pd.read_csv(out, dtype={"area": str})
    assert len(remote) == len(local)
    assert (
        remote[["area", "series_a", "series_b"]].astype(str).equals(local[["area", "series_a", "series_b"]].astype(str))
    )
    assert (remote["rho"] - local["rho"]).abs().max() < 1e-12 and remote["rho"].isna().equals(local["rho"].isna())


def test_bad_input(exported, tmp_path):
    ws, parquet = exported
    with pytest.raises(UserInputError, match="no such folder"):
        ws.cluster(tmp_path / "nothing", local_workers=1).assess()
    (tmp_path / "empty").mkdir()
    with pytest.raises(UserInputError, match=r"missing area.parquet.*sdgtrack export parquet"):
        ws.cluster(tmp_path / "empty", local_workers=1).links()
    with pytest.raises(UserInputError, match="Atlantis"):
        ws.cluster(parquet, local_workers=1).links(areas=["Atlantis"])
    with pytest.raises(UserInputError, match=r"--scheduler tcp://127.0.0.1:9: cannot reach"):
        ws.cluster(parquet, scheduler="tcp://127.0.0.1:9").assess()
    res = runner.invoke(
        app, ["cluster", "run", "progress", "--parquet", str(parquet), "--scheduler", "x", "--local-workers", "2"]
    )
    assert res.exit_code == 1 and "give one" in str(res.exception)


def test_a_damaged_file_is_one_message(exported, tmp_path):
    """A series file truncated after the export (a failed copy to shared storage): the worker's
    DuckDB error comes back as one message naming the file, not a traceback."""
    import shutil

    ws, parquet = exported
    copy = tmp_path / "copy"
    shutil.copytree(parquet, copy)
    victim = next((copy / "observation" / "series=SH_DYN_MORT").glob("*.parquet"))  # has a target row
    victim.write_bytes(victim.read_bytes()[:100])
    with pytest.raises(UserInputError, match=r"cannot read the export .*" + victim.parent.name):
        ws.cluster(copy, local_workers=1).assess()
