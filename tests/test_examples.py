"""Every file in examples/ loads as its README says, through the CLI, with the expected result."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest

from sdgtrack.cli import run

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    path = tmp_path_factory.mktemp("examples") / "example.duckdb"
    assert run(["ingest", str(EXAMPLES / "data.csv"), "--db", str(path)]) == 0
    return path


def _csv(capfd) -> pd.DataFrame:
    return pd.read_csv(io.StringIO(capfd.readouterr().out), dtype={"area": str, "id": str})


def test_data_loads_with_its_disaggregation(store, capfd):
    assert run(["data", "7.1.1", "--area", "KEN", "--all-disaggregations", "--format", "csv", "--db", str(store)]) == 0
    frame = _csv(capfd)
    assert len(frame) == 9 and set(frame["dims"].fillna("")) == {"", "Location=RURAL", "Location=URBAN"}


def test_targets_apply_with_the_area_row_winning(store, capfd):
    assert run(["progress", "--targets", str(EXAMPLES / "targets.csv"), "--format", "csv", "--db", str(store)]) == 0
    frame = _csv(capfd).set_index(["series", "area"])
    assert frame.loc[("SH_DYN_MORT", "826"), "target"] == 3  # the GBR row
    assert frame.loc[("SH_DYN_MORT", "404"), "target"] == 25  # the general row
    assert frame.loc[("EG_ELC_ACCS", "404"), "target"] == 100  # the indicator row
    assert frame["status"].notna().all()


def test_codebook_gives_an_index(store, capfd):
    assert run(["index", "--codebook", str(EXAMPLES / "codebook.csv"), "--format", "csv", "--db", str(store)]) == 0
    frame = _csv(capfd).set_index("area")
    assert frame.loc["826", "rank"] == 1 and frame.loc["404", "rank"] == 2
    assert frame.loc["404", "index"] == pytest.approx((frame.loc["404", "goal_3"] + frame.loc["404", "goal_7"]) / 2)


def test_expert_matrix_ranks_its_goals(capfd):
    assert run(["links", "expert", str(EXAMPLES / "expert_matrix.csv"), "--format", "csv"]) == 0
    frame = _csv(capfd)
    assert sorted(frame["code"].astype(str)) == ["13", "15", "2", "6", "7"]
    assert frame.sort_values("rank")["code"].astype(str).iloc[-1] == "2"  # the goal scored -1/-2 against all


def test_records_are_tagged(capfd):
    assert (
        run(
            [
                "tag",
                "--input",
                str(EXAMPLES / "records.csv"),
                "--text-column",
                "description",
                "--id-column",
                "id",
                "--method",
                "keywords",
                "--format",
                "csv",
            ]
        )
        == 0
    )
    frame = _csv(capfd)
    assert set(frame["id"]) == {"R1", "R2", "R3", "R4"}
    goals = frame.dropna(subset=["sdg"]).groupby("id")["sdg"].apply(set)
    assert 3 in goals["R2"] and 14 in goals["R3"] and 6 in goals["R4"]


def test_the_readme_names_every_example():
    readme = (EXAMPLES / "README.md").read_text()
    for f in EXAMPLES.glob("*.csv"):
        assert f"`{f.name}`" in readme
    top = (EXAMPLES.parent / "README.md").read_text()
    assert "examples/" in top
