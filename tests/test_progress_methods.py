"""Progress methods on hand-computed cases: band edges, both directions, met targets, baselines beyond
the target, zeros, negatives, single points and gaps in years."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import sdgtrack
from sdgtrack.progress.assess import assess_series
from sdgtrack.progress.methods import eurostat, statcan, unsd


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    """One empty store for the module: these cases bring their own values and targets."""
    database = sdgtrack.Database(tmp_path_factory.mktemp("progress") / "p.duckdb")
    yield database
    database.close()


def run(db, method, points, direction, target=None, kind="absolute", target_year=2030, limit=None, **params):
    """Assess one series 'S' for area 'X' with the given {year: value} points."""
    values = pd.DataFrame({"series": "S", "area": "X", "year": list(points), "value": list(points.values())})
    targets = pd.DataFrame(
        [
            {
                "series": "S",
                "area": "",
                "direction": direction,
                "target": np.nan if target is None else float(target),
                "target_kind": kind,
                "target_year": target_year,
                "base_year": np.nan,
                "limit": np.nan if limit is None else float(limit),
                "source": "test",
            }
        ]
    )
    return assess_series(db, method, targets=targets, values=values, **params).iloc[0]


# -- UNSD ------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "ratio, status",
    [
        (-0.0001, "regression"),
        (0.0, "stagnation"),
        (0.0999, "stagnation"),
        (0.1, "marginal"),
        (0.4999, "marginal"),
        (0.5, "moderate"),
        (0.9499, "moderate"),
        (0.95, "on_track"),
        (3.0, "on_track"),
    ],
)
def test_unsd_ratio_band_edges(ratio, status):
    assert unsd.status_from_ratio([ratio])[0] == status


@pytest.mark.parametrize(
    "growth, status",
    [
        (-0.0001, "regression"),
        (0.0, "stagnation"),
        (0.0049, "stagnation"),
        (0.005, "marginal"),
        (0.0125, "moderate"),
        (0.0199, "moderate"),
        (0.02, "on_track"),
    ],
)
def test_unsd_growth_band_edges(growth, status):
    assert unsd.status_from_growth([growth])[0] == status


def test_unsd_scores_are_linear_inside_bands():
    assert list(unsd.score_from_ratio([-1.0, -0.25, 0.0, 0.05, 0.3, 0.725, 0.95, 1.225, 9.0])) == pytest.approx(
        [0.0, 0.5, 1.0, 1.5, 2.5, 3.5, 4.0, 4.5, 5.0]
    )
    assert list(unsd.score_from_growth([-0.1, -0.025, 0.0025, 0.00875, 0.01625, 0.035, 0.2])) == pytest.approx(
        [0.0, 0.5, 1.5, 2.5, 3.5, 4.5, 5.0]
    )


def test_unsd_decrease_with_target(db):
    # 100 (2015) -> 80 (2020): CAGR 0.8^(1/5) - 1; expected 2030 = 80 * 0.8^2 = 51.2;
    # r = (51.2 - 100) / (50 - 100) = 0.976 -> on track, score 4 + 0.026 / 0.55.
    row = run(db, "unsd", {2015: 100.0, 2020: 80.0}, "decrease", target=50)
    assert row["cagr"] == pytest.approx(0.8**0.2 - 1)
    assert row["ratio"] == pytest.approx(0.976)
    assert row["status"] == "on_track" and not row["target_met"]
    assert row["score"] == pytest.approx(4 + 0.026 / 0.55)


def test_unsd_increase_with_target_moderate(db):
    # 50 -> 55 over 5 years; expected 2030 = 55 * 1.1^2 = 66.55; r = 16.55 / 50 = 0.331 -> marginal.
    row = run(db, "unsd", {2015: 50.0, 2020: 55.0}, "increase", target=100)
    assert row["ratio"] == pytest.approx(0.331)
    assert row["status"] == "marginal"
    assert row["score"] == pytest.approx(2 + (0.331 - 0.1) / 0.4)


def test_unsd_without_target_both_directions(db):
    up = run(db, "unsd", {2015: 100.0, 2017: 100.0 * 1.03**2}, "increase")
    assert up["cagr"] == pytest.approx(0.03) and up["status"] == "on_track" and up["score"] == pytest.approx(4 + 1 / 3)
    down = run(db, "unsd", {2015: 100.0, 2017: 100.0 * 1.03**2}, "decrease")
    assert down["status"] == "regression" and down["score"] == pytest.approx(0.4)


def test_unsd_target_already_met(db):
    row = run(db, "unsd", {2015: 30.0, 2019: 20.0}, "decrease", target=25)
    assert row["status"] == "on_track" and row["target_met"] and row["score"] == 5.0


def test_unsd_baseline_beyond_target_left_behind(db):
    # The baseline (20) had met the target (25); the latest value (30) has not: regression.
    row = run(db, "unsd", {2015: 20.0, 2019: 30.0}, "decrease", target=25)
    assert row["ratio"] < 0 and row["status"] == "regression"


def test_unsd_baseline_ratio_target(db):
    # "Halve by 2030": target = 0.5 x baseline = 20.
    row = run(db, "unsd", {2015: 40.0, 2020: 30.0}, "decrease", target=0.5, kind="baseline_ratio")
    assert row["target"] == pytest.approx(20.0)
    expected = 30.0 * (0.75**0.2) ** 10
    assert row["ratio"] == pytest.approx((expected - 40.0) / (20.0 - 40.0))


def test_unsd_insufficient_data(db):
    assert run(db, "unsd", {2016: 5.0}, "decrease")["status"] == "insufficient_data"  # one point
    assert run(db, "unsd", {2010: 4.0, 2014: 5.0}, "decrease")["status"] == "insufficient_data"  # all before 2015
    assert run(db, "unsd", {2015: 0.0, 2018: 5.0}, "decrease")["status"] == "insufficient_data"  # zero
    assert run(db, "unsd", {2015: -2.0, 2018: -1.0}, "increase")["status"] == "insufficient_data"  # negative
    # A zero latest value that meets a zero target is met, CAGR or not.
    assert run(db, "unsd", {2015: 3.0, 2018: 0.0}, "decrease", target=0)["target_met"]


def test_unsd_gaps_in_years(db):
    # No 2015 value: the baseline is the first later year (2016); the latest is 2019.
    row = run(db, "unsd", {2013: 10.0, 2016: 8.0, 2019: 6.0}, "decrease")
    assert (row["baseline_year"], row["latest_year"]) == (2016, 2019)
    assert row["cagr"] == pytest.approx(0.75 ** (1 / 3) - 1)
    assert row["n_points"] == 2


def test_unsd_target_year_passed_uses_latest_value(db):
    # Target year 2020 already reached: no extrapolation backwards; r = (latest - base) / (target - base).
    row = run(db, "unsd", {2015: 20.0, 2021: 15.0}, "decrease", target=10, target_year=2020)
    assert row["ratio"] == pytest.approx(0.5)


# -- Eurostat ----------------------------------------------------------------------------------------
def test_eurostat_short_term_window_and_thresholds(db):
    points = {2005: 50.0, 2014: 80.0, 2019: 80.0 * 1.02**5}
    row = run(db, "eurostat", points, "increase", period="short")
    assert (row["baseline_year"], row["latest_year"]) == (2014, 2019)
    assert row["cagr"] == pytest.approx(0.02) and row["status"] == "significant_progress"
    long = run(db, "eurostat", points, "increase", period="long")
    assert long["baseline_year"] == 2005
    assert run(db, "eurostat", points, "decrease")["status"] == "significant_movement_away"
    slow = run(db, "eurostat", {2014: 100.0, 2019: 100.0 * 1.005**5}, "decrease")
    assert slow["status"] == "moderate_movement_away"


def test_eurostat_with_target(db):
    # Required CAGR from 2015 (100) to 2030 (50); observed CAGR 2015 -> 2020 (80).
    row = run(db, "eurostat", {2015: 100.0, 2020: 80.0}, "decrease", target=50)
    required = 0.5 ** (1 / 15) - 1
    assert row["ratio"] == pytest.approx((0.8**0.2 - 1) / abs(required) * -1)
    assert row["status"] == "significant_progress"
    weak = run(db, "eurostat", {2015: 100.0, 2020: 95.0}, "decrease", target=50)
    assert weak["status"] == "insufficient_progress"


def test_eurostat_short_span_is_insufficient(db):
    assert run(db, "eurostat", {2018: 1.0, 2020: 2.0}, "increase")["status"] == "insufficient_data"


# -- Statistics Canada -------------------------------------------------------------------------------
def test_statcan_ratio_and_score(db):
    row = run(db, "statcan", {2015: 14.5, 2023: 10.2}, "decrease", target=7.25)
    assert row["ratio"] == pytest.approx(0.9525901792)
    assert row["status"] == "substantial_progress"
    assert row["score"] == pytest.approx((0.9525901792 - 0.6) / 0.7 * 5)


def test_statcan_scaling_factor_near_limit(db):
    # Canada 1.3.1 (children covered): 90 (2015) -> 93.2 (2021), limit 100; published score 2.81539.
    row = run(db, "statcan", {2015: 90.0, 2021: 93.2}, "increase", limit=100)
    assert row["scaling_factor"] == pytest.approx(1 - 0.9**4.44)
    assert row["status"] == "substantial_progress"
    assert row["score"] == pytest.approx(2.815386645, abs=1e-6)
    at_limit = run(db, "statcan", {2015: 100.0, 2020: 100.0}, "increase", limit=100)
    assert at_limit["status"] == "substantial_progress" and at_limit["score"] == 5.0


def test_statcan_zero_baseline_and_negative_values(db):
    zero = run(db, "statcan", {2015: 0.0, 2020: 2.0}, "decrease")
    assert zero["status"] == "deterioration"  # 0 is replaced by 0.001: a huge rise
    neg = run(db, "statcan", {2015: -4.0, 2020: -2.0}, "increase")
    assert neg["status"] == "substantial_progress"  # all negative: magnitudes, direction flipped
    mixed = run(db, "statcan", {2015: -1.0, 2020: 2.0}, "increase")
    assert mixed["status"] == "not_available"


def test_statcan_band_of_average_score():
    assert list(statcan.band([-3.0, -2.5, -0.1, 0.0, 2.4, 2.5, np.nan])) == [
        "deterioration",
        "limited_progress",
        "limited_progress",
        "moderate_progress",
        "moderate_progress",
        "substantial_progress",
        "not_available",
    ]
    assert list(eurostat.band([0.5, 3.99, 4.0])) == ["movement_away", "significant_progress", "significant_progress"]
