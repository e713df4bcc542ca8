"""`sdgtrack links` and `sdgtrack links expert` from the command line."""

from __future__ import annotations

import io
import json

import pandas as pd
from typer.testing import CliRunner

from sdgtrack.cli import app

from .conftest import FIXTURES

runner = CliRunner()


def test_links_series_csv(un_db):
    res = runner.invoke(
        app,
        [
            "links",
            "--db",
            str(un_db.path),
            "--area",
            "AFG",
            "--area",
            "NPL",
            "--series",
            "3",
            "--null",
            "2",
            "-f",
            "csv",
        ],
    )
    assert res.exit_code == 0, res.output
    frame = pd.read_csv(io.StringIO(res.stdout), dtype={"area": str})
    assert list(frame.columns) == ["area", "series_a", "series_b", "n", "rho", "p", "class"]
    assert set(frame["area"]) == {"4", "524"} and (frame["n"] >= 10).all()
    assert set(frame["class"]) <= {"synergy", "tradeoff", "none"}
    assert "shuffled null (2 permutations" in res.stderr and "window:" in res.stderr


def test_links_goal_json_states_method(un_db):
    res = runner.invoke(
        app,
        [
            "links",
            "--db",
            str(un_db.path),
            "--area",
            "NPL",
            "--level",
            "goal",
            "--transform",
            "detrend",
            "--bh",
            "--null",
            "0",
            "-f",
            "json",
        ],
    )
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert doc["analysis"] == "links" and doc["parameters"]["transform"] == "detrend"
    assert doc["parameters"]["bh"] is True and doc["data_window"]["years"][0] >= 1990
    rows = pd.DataFrame(doc["tables"]["goal"])
    assert list(rows.columns) == [
        "area",
        "goal_a",
        "goal_b",
        "pairs",
        "synergies",
        "tradeoffs",
        "share_synergy",
        "share_tradeoff",
    ]
    assert set(rows["area"]) == {"524", "all"} and (rows["goal_a"] <= rows["goal_b"]).all()
    top = pd.DataFrame(doc["tables"]["top_goal_pairs"])
    assert set(top["kind"]) == {"most synergistic", "most conflicting"} and (top["pairs"] >= 10).all()


def test_links_network_level(un_db):
    res = runner.invoke(
        app, ["links", "--db", str(un_db.path), "--area", "NPL", "--level", "network", "--null", "0", "-f", "csv"]
    )
    assert res.exit_code == 0, res.output
    nodes = pd.read_csv(io.StringIO(res.stdout))
    assert set(nodes["kind"]) == {"goal", "series"} and nodes["centrality"].between(0, 1).all()


def test_links_user_errors(un_db, tmp_path):
    db = str(un_db.path)
    for args, message, status in [
        (["--min-years", "2"], "greater than or equal to 3", 2),  # a usage error: the option's range
        (["--area", "Atlantis"], "Atlantis", 1),
        (["--heatmap", str(tmp_path / "h.txt")], ".svg, .png or .html", 1),
        (["--series", "NOT_A_SERIES"], "NOT_A_SERIES", 1),
    ]:
        res = runner.invoke(app, ["links", "--db", db, "--null", "0", *args])
        assert res.exit_code == status, (args, res.output)
        assert message in res.output or message in str(res.exception), (args, res.output)


def test_expert_command(tmp_path):
    res = runner.invoke(app, ["links", "expert", str(FIXTURES / "links" / "expert_targets.csv"), "-f", "csv"])
    assert res.exit_code == 0, res.output
    nodes = pd.read_csv(io.StringIO(res.stdout), dtype={"code": str})
    assert nodes["code"].tolist()[0] == "13.2" and nodes["rank"].tolist() == [1, 2, 3, 4, 5]
    bad = tmp_path / "bad.csv"
    bad.write_text(",1,2\n1,,9\n2,1,\n")
    res = runner.invoke(app, ["links", "expert", str(bad)])
    assert res.exit_code == 1


def test_links_charts_from_the_cli(un_db, tmp_path):
    res = runner.invoke(
        app,
        [
            "links",
            "--db",
            str(un_db.path),
            "--area",
            "NPL",
            "--area",
            "AFG",
            "--null",
            "0",
            "--level",
            "goal",
            "--heatmap",
            str(tmp_path / "h.svg"),
            "--network",
            str(tmp_path / "n.html"),
            "-f",
            "csv",
            "-o",
            str(tmp_path / "g.csv"),
        ],
    )
    assert res.exit_code == 0, res.output
    assert (tmp_path / "h.svg").read_text().startswith("<svg")
    assert "<html" in (tmp_path / "n.html").read_text()[:2000].lower()
