"""The U4SSC scoring method on its published facts: bands, points, roll-ups, lower-is-better."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from sdgtrack.cities import scoring
from sdgtrack.cities.targets import default_targets, load_targets
from sdgtrack.errors import InvalidInputError


def category(points: list[float | None], name: str = "Education") -> pd.DataFrame:
    return pd.DataFrame(
        {
            "points": points,
            "dimension": "Society and Culture",
            "sub_dimension": "Education, Health and Culture",
            "category": name,
        }
    )


def test_published_example_all_four_reported():
    # 1 + 3 + 4 + 1 = 9 of 4 x 4 = 16: 56.25 %, "33-66 % of target" (U4SSC reports, Education)
    r = scoring.roll_up(category([1, 3, 4, 1]))
    cat = r[r["level"] == "category"].iloc[0]
    assert (cat["points"], cat["max_points"], cat["kpis_scored"]) == (9, 16, 4)
    assert cat["percent"] == pytest.approx(56.25)
    assert cat["band"] == "33-66% of target"


def test_published_example_one_not_reported_leaves_the_denominator():
    # 3 + 4 + 2 = 9 of 4 x 3 = 12: 75 %, "66-95 % of target"; the unreported KPI is left out
    r = scoring.roll_up(category([3, 4, 2, np.nan]))
    cat = r[r["level"] == "category"].iloc[0]
    assert (cat["points"], cat["max_points"], cat["kpis_scored"], cat["lines"]) == (9, 12, 3, 4)
    assert cat["percent"] == pytest.approx(75.0)
    assert cat["band"] == "66-95% of target"


def test_roll_up_reaches_sub_dimension_and_dimension():
    frame = pd.concat([category([1, 3, 4, 1]), category([4, np.nan], name="Health")])
    r = scoring.roll_up(frame).set_index(["level", "name"])
    assert r.loc[("sub_dimension", "Education, Health and Culture"), "points"] == 13
    assert r.loc[("dimension", "Society and Culture"), "max_points"] == 20
    assert r.loc[("dimension", "Society and Culture"), "percent"] == pytest.approx(65.0)


def test_nothing_scored_gives_no_percent():
    r = scoring.roll_up(category([np.nan, np.nan]))
    assert r["percent"].isna().all() and (r["band"] == "").all() and (r["max_points"] == 0).all()


def test_fixed_broadband_bands_of_the_mashhad_factsheet():
    # target 60 %: more than 57.0 -> 95+; 39.6-57.0 -> 66-95; 19.8-39.6 -> 33-66; below 19.8 -> <33
    values = [84.51, 57.0, 56.9, 39.6, 39.5, 19.8, 19.7, 0.0]
    pct = scoring.attainment(values, [60] * len(values), ["up"] * len(values))
    assert pct[0] == pytest.approx(140.85)
    assert scoring.points(pct).tolist() == [4, 4, 3, 3, 2, 2, 1, 1]


def test_lower_is_better_and_aimed_values():
    pct = scoring.attainment(
        [393.98, 300.0, 0.0, 0.64, 1.25, np.nan],
        [300, 300, 5, 1, 1, 5],
        ["down", "down", "down", "target", "target", "down"],
    )
    assert pct[0] == pytest.approx(300 / 393.98 * 100)  # target / value
    assert pct[1] == pytest.approx(100)
    assert math.isinf(pct[2])  # a zero where lower is better meets the target
    assert pct[3] == pytest.approx(64.0)  # 0.64 of an aimed 1.0
    assert pct[4] == pytest.approx(80.0)  # 1.25 overshoots: 1 / 1.25
    assert np.isnan(pct[5])
    assert scoring.points(pct)[:5].tolist() == [3, 4, 4, 2, 3]


def test_unknown_direction_is_not_scored():
    assert np.isnan(scoring.attainment([50], [100], [""])[0])


def test_default_targets_have_a_source_each():
    t = default_targets()
    assert t["source"].str.len().gt(10).all()
    assert t.set_index("key").loc["EC.ICT.ICT.2C", "target"] == 60
    # a KPI-level target reaches each data point; data points listed alone stay alone
    assert {"EC.ICT.ICT.4C/3G", "EC.ICT.ICT.4C/4G", "EN.EN.AQ.1C/PM2.5"} <= set(t["key"])
    assert "EN.EN.AQ.1C/SO2" not in set(t["key"])


def test_targets_file_problems_are_named(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text(
        "kpi,target,direction\nEC.ICT.ICT.2C,abc,\nXX.1,5,\nSC.SH.SA.8C,0,\nEC.ICT.ICT.1C,90,sideways\n",
        encoding="utf-8",
    )
    with pytest.raises(InvalidInputError) as exc:
        load_targets(path)
    text = str(exc.value)
    assert "line 2, column 'target': got 'abc'; expected a number" in text
    assert "line 3, column 'kpi': got 'XX.1'" in text
    assert "line 4, column 'target': got '0'; expected a target above 0 where lower is better" in text
    assert "line 5, column 'direction': got 'sideways'" in text


def test_a_data_point_target_wins_over_its_kpi_target(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("kpi,target\nEC.ICT.ICT.4C/4G,80\nEC: ICT: ICT: 4C,90\n", encoding="utf-8")
    t = load_targets(path).set_index("key")["target"]
    assert t["EC.ICT.ICT.4C/3G"] == 90 and t["EC.ICT.ICT.4C/4G"] == 80
