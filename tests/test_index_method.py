"""SDG Index method on small hand-made data: every figure below is worked out by hand."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from sdgtrack.index import sdg_index
from sdgtrack.index.dashboard import goal_colours, indicator_colour, scale_0_4
from sdgtrack.index.trends import classify, goal_trends
from sdgtrack.ingest import load

# Two goals. g1: "up" higher is better (0..100), "down" lower is better (50 best, 10 worst ... reversed).
CODEBOOK = pd.DataFrame(
    [
        # indicator, goal, optimum, lower_bound, green, red, in_index, trend
        ["up", 1, 100, 0, 80, 40, "yes", "yes"],
        ["down", 1, 0, 50, 10, 30, "yes", "yes"],
        ["two", 2, 10, 0, 8, 4, "yes", "no"],
        ["extra", 2, 10, 0, 8, 4, "no", "no"],
    ],
    columns=["indicator", "goal", "optimum", "lower_bound", "green_threshold", "red_threshold", "in_index", "trend"],
)


@pytest.fixture
def small_db(db, tmp_path):
    rows = [
        # series, area, year, value
        ("up", "FIN", 2015, 60),
        ("up", "FIN", 2022, 90),
        ("down", "FIN", 2022, 5),
        ("two", "FIN", 2021, 9),
        ("up", "SWE", 2022, 120),
        ("down", "SWE", 2022, 20),
        ("two", "SWE", 2022, 3),
        ("up", "AFG", 2022, 20),
        ("down", "AFG", 2022, 60),  # no goal 2: imputed from its region
        ("up", "NPL", 2022, 50),  # 2 of 3 indicators missing
        ("extra", "FIN", 2022, 1),
    ]
    path = tmp_path / "small.csv"
    pd.DataFrame(rows, columns=["series", "area", "year", "value"]).to_csv(path, index=False)
    load(db, path)
    return db


REGIONS = pd.DataFrame({"area": ["FIN", "SWE", "AFG", "NPL"], "region": ["North", "North", "North", "South"]})


def test_scores_goals_imputation_index_and_ranks(small_db):
    result = sdg_index(small_db, CODEBOOK, REGIONS, max_missing=0.5)
    ind = result.indicators.set_index(["area", "indicator"])
    assert ind.loc[("246", "up"), "score"] == 90 and ind.loc[("246", "up"), "year"] == 2022
    assert ind.loc[("246", "down"), "score"] == 90  # lower is better: 100 * (5 - 50) / (0 - 50)
    assert ind.loc[("752", "up"), "score"] == 100  # clipped above the optimum
    assert ind.loc[("4", "down"), "score"] == 0  # clipped below the lower bound
    areas = result.areas.set_index("area")
    fin, swe, afg = (areas.loc[a] for a in ("246", "752", "4"))
    assert fin["goal_1"] == 90 and fin["goal_2"] == 90  # 'extra' is not in the index
    assert swe["goal_1"] == 80 and swe["goal_2"] == 30
    assert afg["goal_1"] == 10 and math.isnan(afg["goal_2"])
    assert afg["imputed_goals"] == "2"
    assert afg["index"] == pytest.approx((10 + (90 + 30) / 2) / 2)  # goal 2 = mean of its region North
    assert fin["index"] == 90 and swe["index"] == 55
    assert [fin["rank"], swe["rank"], afg["rank"]] == [1, 2, 3]
    # NPL misses 2 of 3 index indicators (67% > 50%): no index, and the reason says so
    assert result.excluded["area"].tolist() == ["524"]
    assert "66.7% of index indicators missing" in result.excluded["reason"].iloc[0]
    assert result.method["max_missing"] == 0.5 and "2022" in result.method["data_window"]


def test_without_regions_missing_goal_means_no_index(small_db):
    result = sdg_index(small_db, CODEBOOK, None, max_missing=0.5)
    reasons = result.excluded.set_index("area")["reason"]
    assert reasons["4"] == "goals 2 have no score and the area has no region"


def test_goal_not_applicable_is_not_missing_and_is_imputed(small_db):
    regions = REGIONS.assign(goals_not_applicable=["", "", "", "2"])
    result = sdg_index(small_db, CODEBOOK, regions, max_missing=0.5).areas.set_index("area")
    npl = result.loc["524"]
    assert npl["missing_share"] == 0.5  # 1 of 2 applicable indicators (goal 1) missing
    assert npl["goal_1"] == 50 and math.isnan(npl["goal_2"]) and npl["goal_2_colour"] == "grey"


def test_ties_share_a_rank(db, tmp_path):
    path = tmp_path / "tie.csv"
    pd.DataFrame({"series": "up", "area": ["FIN", "SWE", "NOR"], "year": 2022, "value": [70, 70, 50]}).to_csv(
        path, index=False
    )
    load(db, path)
    result = sdg_index(db, CODEBOOK.iloc[[0]], None)
    assert result.areas.set_index("area")["rank"].to_dict() == {"246": 1, "752": 1, "578": 3}


def test_year_takes_the_latest_value_up_to_that_year(small_db):
    result = sdg_index(small_db, CODEBOOK, REGIONS, year=2021, max_missing=1)
    ind = result.indicators.set_index(["area", "indicator"])
    assert ind.loc[("246", "up"), "year"] == 2015 and ind.loc[("246", "up"), "score"] == 60
    assert ("752", "up") not in ind.index


def test_indicator_colours_both_sides_of_the_midpoint():
    score = pd.Series([80, 79.9, 60, 59.9, 40, 39.9, float("nan")])
    green, red = pd.Series([80.0] * 7), pd.Series([40.0] * 7)
    assert indicator_colour(score, green, red).tolist() == [
        "green",
        "yellow",
        "yellow",
        "orange",
        "orange",
        "red",
        None,
    ]


def test_scale_0_4_is_piecewise_linear():
    score = pd.Series([0, 20, 40, 50, 60, 70, 80, 90, 100, 120])
    green, red = pd.Series([80.0] * 10), pd.Series([40.0] * 10)
    assert scale_0_4(score, green, red).tolist() == [0, 0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4, 4]


def test_goal_colour_from_the_two_worst_indicators():
    rows = pd.DataFrame(
        [
            # area, goal, indicator, colour, scale
            ("A", 1, "a", "red", 0.5),
            ("A", 1, "b", "red", 0.9),
            ("A", 1, "c", "green", 4.0),  # both red
            ("B", 1, "a", "red", 0.5),
            ("B", 1, "b", "yellow", 2.4),  # mean 1.45
            ("C", 1, "a", "red", 0.9),
            ("C", 1, "b", "green", 3.5),  # mean 2.2
            ("D", 1, "a", "green", 3.0),
            ("D", 1, "b", "green", 3.9),  # both green
            ("E", 1, "a", "yellow", 2.5),  # one indicator
        ],
        columns=["area", "goal", "indicator", "colour", "scale"],
    )
    got = goal_colours(rows).set_index("area")["colour"].to_dict()
    assert got == {"A": "red", "B": "orange", "C": "yellow", "D": "green", "E": "yellow"}


def test_trend_classes():
    rate = pd.Series([-0.1, 2.0, 1.0, 0.9, 0.0, 0.0, -0.5, float("nan")])
    needed = pd.Series([2.0, 2.0, 2.0, 2.0, 2.0, 2.0, -1.0, 2.0])
    achieved = pd.Series([False, False, False, False, False, True, True, False])
    assert classify(rate, needed, achieved).tolist() == [
        "decreasing",
        "on track",
        "moderately improving",
        "stagnating",
        "stagnating",
        "on track",
        "stagnating",
        None,
    ]  # green but falling: stagnating, as SDR 2023 labels it


def test_goal_trend_from_indicator_arrows():
    rows = pd.DataFrame(
        [
            ("A", "up", "on track"),
            ("A", "down", "on track"),  # 3.0: on track
            ("B", "up", "on track"),
            ("B", "down", "stagnating"),  # 2.0: moderately improving
            ("C", "up", "moderately improving"),
            ("C", "down", "decreasing"),  # 1.0: stagnating
            ("D", "up", "decreasing"),
            ("D", "down", "decreasing"),  # 0.0: decreasing
        ],
        columns=["area", "indicator", "trend"],
    )
    book = CODEBOOK.assign(in_index=True)
    got = goal_trends(rows, book).set_index("area")["trend"].to_dict()
    assert got == {"A": "on track", "B": "moderately improving", "C": "stagnating", "D": "decreasing"}


def test_indicator_trend_from_2015_to_latest(small_db):
    result = sdg_index(small_db, CODEBOOK, REGIONS, max_missing=1)
    row = result.indicators.set_index(["area", "indicator"]).loc[("246", "up")]
    # 60 -> 90 over 2015-2022: 30/7 a year; needed (80 - 60) / 15 = 1.33: on track
    assert row["start_year"] == 2015 and row["rate"] == pytest.approx(30 / 7)
    assert row["needed_rate"] == pytest.approx(20 / 15) and row["trend"] == "on track" and row["trend_arrow"] == "↑"


def test_showing_some_areas_does_not_change_their_figures(small_db):
    full = sdg_index(small_db, CODEBOOK, REGIONS, max_missing=0.5).areas.set_index("area")
    some = sdg_index(small_db, CODEBOOK, REGIONS, max_missing=0.5, areas=["AFG"]).areas.set_index("area")
    assert some.index.tolist() == ["4"]
    # AFG's goal 2 is still imputed from FIN and SWE, and its rank is among all areas
    assert some.loc["4", "index"] == full.loc["4", "index"] and some.loc["4", "rank"] == 3
