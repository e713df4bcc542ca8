"""Progress assessment on the whole 2020 UN Global Database extract, roll-ups, the kept assessment,
the target tables and the CLI with bad inputs."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from typer.testing import CliRunner

from sdgtrack import UserInputError, progress
from sdgtrack.cli import app
from sdgtrack.errors import InvalidInputError
from sdgtrack.progress import targets as targets_mod


@pytest.fixture(scope="module")
def unsd_all(un_db):
    return progress.assess(un_db, "unsd", save=False)


def test_default_table_covers_demo_series_and_is_valid():
    from sdgtrack.demo import demo_data_path

    table = targets_mod.default_targets()
    demo = set(pd.read_csv(demo_data_path(), usecols=["SeriesCode"])["SeriesCode"])
    assert demo <= set(table["series"]), demo - set(table["series"])
    assert not table.duplicated(["series", "area"]).any()
    assert table.loc[table["series"] == "SH_DYN_MORT", "target"].item() == 25
    assert (table["source"] != "").all()


def test_every_headline_series_area_of_the_extract(unsd_all):
    assert unsd_all.attrs["method"] == "unsd" and unsd_all.attrs["parameters"] == {"base_year": 2015}
    assert len(unsd_all) > 40_000 and unsd_all["series"].nunique() > 250
    assert set(unsd_all["status"]) == {
        "on_track",
        "moderate",
        "marginal",
        "stagnation",
        "regression",
        "insufficient_data",
    }
    assessed = unsd_all[unsd_all["status"] != "insufficient_data"]
    assert (assessed["baseline_year"] >= 2015).all() and (assessed["latest_year"] > assessed["baseline_year"]).all()


def test_world_under5_mortality(unsd_all):
    row = unsd_all[(unsd_all["series"] == "SH_DYN_MORT") & (unsd_all["area"] == "1")].iloc[0]
    assert (row["baseline_year"], row["baseline_value"], row["latest_year"], row["latest_value"]) == (
        2015,
        42.6,
        2019,
        37.7,
    )
    expected = 37.7 * (37.7 / 42.6) ** (11 / 4)
    assert row["ratio"] == pytest.approx((expected - 42.6) / (25 - 42.6))
    assert row["status"] == "moderate"


def test_an_indicator_speaks_with_its_headline_series(un_db, unsd_all):
    """3.2.1 for the World is under-5 mortality (moderate), as its page says, not the mean of
    under-5 and infant mortality (on track); Canada's method keeps Open SDG's mean."""
    world = unsd_all[(unsd_all["area"] == "1") & unsd_all["series"].isin(["SH_DYN_MORT", "SH_DYN_IMRT"])]
    by_series = world.set_index("series")
    assert by_series.loc["SH_DYN_MORT", "status"] != by_series.loc["SH_DYN_IMRT", "status"]
    indicators = progress.rollup.roll_up(un_db, unsd_all[unsd_all["area"] == "1"], "indicator").set_index("code")
    u5 = indicators.loc["3.2.1"]
    assert u5["status"] == by_series.loc["SH_DYN_MORT", "status"] == "moderate"
    assert u5["score"] == pytest.approx(by_series.loc["SH_DYN_MORT", "score"])
    assert u5["n_series"] == 2 and u5["children_assessed"] == 1  # both counted, one speaks
    # where the headline series is not assessed, the next series in the rule's order speaks
    without = unsd_all[(unsd_all["area"] == "1") & (unsd_all["series"] != "SH_DYN_MORT")]
    fallback = progress.rollup.roll_up(un_db, without, "indicator").set_index("code").loc["3.2.1"]
    assert fallback["score"] == pytest.approx(by_series.loc["SH_DYN_IMRT", "score"])
    # statcan rolls an indicator up as the mean of its series
    statcan = world.assign(method="statcan", score=[-2.0, 4.0])
    statcan.attrs = {"method": "statcan"}
    mean = progress.rollup.roll_up(un_db, statcan, "indicator").set_index("code").loc["3.2.1"]
    assert mean["score"] == pytest.approx(1.0) and mean["children_assessed"] == 2


def test_rollups_and_kept_assessment(un_db):
    goals = progress.assess(un_db, "unsd", areas=["World"], level="goal")
    assert list(goals["code"])[:3] == ["1", "2", "3"] and set(goals["area"]) == {"1"}
    assert goals["score"].between(0, 5).all()
    g3 = goals[goals["code"] == "3"].iloc[0]
    targets = progress.assess(un_db, "unsd", areas=["World"], level="target", save=False)
    t3 = targets[targets["code"].str.startswith("3.") & targets["score"].notna()]
    assert g3["score"] == pytest.approx(t3["score"].mean())
    assert g3["share_on_track"] == pytest.approx((t3["status"] == "on_track").mean())
    kept = progress.last_assessment(un_db)
    assert kept.attrs["areas"] == ["World"] and set(kept["area"]) == {"1"} and kept.attrs["method"] == "unsd"


def test_targets_file_overrides_and_area_rows(un_db, tmp_path):
    path = tmp_path / "t.csv"
    path.write_text(
        "indicator,area,direction,target,target_year,source\n3.2.1,AFG,decrease,60,2030,national plan\n",
        encoding="utf-8",
    )
    frame = progress.assess(un_db, "unsd", targets=path, areas=["AFG", "NPL"], series=["3.2.1"], save=False)
    afg = frame[(frame["series"] == "SH_DYN_MORT") & (frame["area"] == "4")].iloc[0]
    npl = frame[(frame["series"] == "SH_DYN_MORT") & (frame["area"] == "524")].iloc[0]
    assert afg["target"] == 60 and afg["source"] == "national plan"
    assert npl["target"] == 25


@pytest.mark.parametrize(
    "body, needle",
    [
        ("series,direction\nNOT_A_SERIES,increase\n", "NOT_A_SERIES"),
        ("series,direction,target\nSH_DYN_MORT,decrease,low\n", "'low'"),
        ("series,direction\nSH_DYN_MORT,down\n", "increase or decrease"),
        ("series,area,direction\nSH_DYN_MORT,Atlantis,decrease\n", "'Atlantis'"),
        ("series,indicator,direction\nSH_DYN_MORT,3.2.1,decrease\n", "not both"),
        ("indicator,direction,target_kind\n3.2.1,decrease,baseline_ratio\n", "baseline_ratio"),
    ],
)
def test_bad_targets_file(un_db, tmp_path, body, needle):
    path = tmp_path / "bad.csv"
    path.write_text(body, encoding="utf-8")
    before = progress.last_assessment(un_db)
    with pytest.raises(InvalidInputError) as err:
        progress.assess(un_db, "unsd", targets=path)
    assert needle in str(err.value) and "line 2" in str(err.value)
    after = progress.last_assessment(un_db)
    assert (before is None and after is None) or before.attrs == after.attrs  # no partial result kept


def test_cli(un_db, tmp_path):
    runner = CliRunner()
    out = tmp_path / "goal.json"
    res = runner.invoke(
        app,
        [
            "progress",
            "--db",
            str(un_db.path),
            "--area",
            "1",
            "--level",
            "goal",
            "--method",
            "eurostat",
            "--period",
            "long",
            "--format",
            "json",
            "-o",
            str(out),
        ],
    )
    assert res.exit_code == 0, res.output
    doc = json.loads(out.read_text())
    assert doc["analysis"] == "progress" and doc["method"].endswith("(eurostat)")
    assert doc["parameters"] == {"period": "long", "level": "goal"}
    assert {r["code"] for r in doc["tables"]["goal"]} >= {"1", "3", "17"}
    bad = tmp_path / "bad.csv"
    bad.write_text("series,direction\nSH_DYN_MORT,sideways\n", encoding="utf-8")
    res = runner.invoke(app, ["progress", "--db", str(un_db.path), "--targets", str(bad)])
    assert res.exit_code != 0
    with pytest.raises(UserInputError):
        progress.assess(un_db, "nonsense")


def test_progress_chart_files(un_db, tmp_path):
    from sdgtrack.progress.chart import chart_data, write_chart

    rows, attrs = chart_data(un_db, "World")
    assert set(rows.loc[rows["row"] == 0, "goal"]) == set(range(1, 18))
    # World has every goal: no empty frame of missing goals may turn the goal numbers into floats ("SDG 1.0")
    assert rows["goal"].dtype.kind == "i" and "Goal 1" in set(rows["label"])
    assert rows.loc[rows["code"] == "3.2", "status"].item() in {"on_track", "moderate", "marginal"}
    paths = write_chart(un_db, tmp_path / "chart" / "world", area="1", method="statcan")
    svg, png, html = paths
    assert "SDG 17" in svg.read_text() and "Statistics Canada" in svg.read_text()
    assert png.read_bytes()[:4] == b"\x89PNG"
    page = html.read_text()
    assert "<script src=" not in page and "vega" in page  # JavaScript inlined: works offline
    with pytest.raises(UserInputError):
        write_chart(un_db, tmp_path / "x", area="Atlantis")
