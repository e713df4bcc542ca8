"""Statistical interlinkages: Spearman engine against scipy on real pairs, transforms, classes, roll-ups."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from sdgtrack import UserInputError
from sdgtrack.links import LinkParameters, links_from_values, statistical_links
from sdgtrack.links.network import eigenvector_centrality, node_metrics
from sdgtrack.links.rollup import goal_pairs, series_goals
from sdgtrack.links.spearman import pairwise_spearman, spearman_pvalue
from sdgtrack.links.statistical import benjamini_hochberg, permute_within_rows
from sdgtrack.links.transforms import detrend, diff


def _all_up(values: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({"series": values["series"].unique(), "direction": 1})


def test_rho_and_p_equal_scipy_on_random_real_pairs(un_db):
    values = un_db.headline_values()
    countries = sorted(set(un_db.areas(kind="country")["code"]) & set(values["area"]))
    rng = np.random.default_rng(2020)
    areas = rng.choice(countries, 15, replace=False)
    sub = values[values["area"].isin(areas)]
    res = links_from_values(sub, _all_up(sub), LinkParameters(min_years=5, null_permutations=0))
    sample = res.pairs.sample(1500, random_state=5)
    by_key = {k: g.set_index("year")["value"] for k, g in sub.groupby(["area", "series"])}
    ties = gaps = undefined = 0
    for row in sample.itertuples(index=False):
        a, b = by_key[(str(row.area), str(row.series_a))], by_key[(str(row.area), str(row.series_b))]
        both = pd.concat([a, b], axis=1, join="inner").dropna()
        assert len(both) == row.n
        x, y = both.iloc[:, 0].to_numpy(), both.iloc[:, 1].to_numpy()
        ties += len(np.unique(x)) < len(x) or len(np.unique(y)) < len(y)
        gaps += both.index.max() - both.index.min() + 1 > len(both) or len(a) != len(b)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ref = stats.spearmanr(x, y)
        if np.isnan(ref.statistic):
            undefined += 1
            assert np.isnan(row.rho) and np.isnan(row.p)
            continue
        assert abs(row.rho - ref.statistic) < 1e-9, row
        assert abs(row.p - ref.pvalue) < 1e-9, row
    # the sample really exercises ties, gaps and constant windows
    assert ties > 100 and gaps > 100 and undefined > 0


def test_pvalue_is_the_t_approximation():
    rho = np.concatenate([np.linspace(-1, 1, 401), [1e-6, -0.999999]])
    for n in (3, 4, 7, 10, 25, 54):
        with np.errstate(divide="ignore"):
            t = rho * np.sqrt(((n - 2) / ((1 + rho) * (1 - rho))).clip(0))
        ref = 2 * stats.t.sf(np.abs(t), n - 2)
        np.testing.assert_allclose(spearman_pvalue(rho, np.full(rho.shape, n)), ref, rtol=1e-9, atol=1e-12)


def test_pairwise_spearman_handles_gaps_ties_and_constants():
    x = np.array([[1, 2, 2, np.nan, 5, 6], [6, 5, np.nan, 4, 4, 1], [3, 3, 3, 3, np.nan, 3.0]])
    rho, n = pairwise_spearman(x)
    assert n[0, 1] == 4 and n[0, 2] == 4
    assert rho[0, 1] == pytest.approx(stats.spearmanr([1, 2, 5, 6], [6, 5, 4, 1]).statistic, abs=1e-12)
    assert np.isnan(rho[0, 2]) and np.isnan(rho[1, 2])


def test_direction_alignment_flips_the_sign():
    years = np.arange(2000, 2012)
    values = pd.DataFrame(
        {
            "series": ["MORT"] * 12 + ["SCHOOL"] * 12,
            "area": "4",
            "year": np.concatenate([years, years]),
            "value": np.concatenate([100 - 3.0 * np.arange(12), 50 + 2.0 * np.arange(12)]),
        }
    )
    params = LinkParameters(null_permutations=0, unknown_direction="keep")
    raw = links_from_values(values, pd.DataFrame({"series": ["MORT", "SCHOOL"], "direction": [0, 1]}), params)
    aligned = links_from_values(values, pd.DataFrame({"series": ["MORT", "SCHOOL"], "direction": [-1, 1]}), params)
    assert raw.pairs["rho"].iloc[0] == pytest.approx(-1) and raw.pairs["class"].iloc[0] == "tradeoff"
    assert aligned.pairs["rho"].iloc[0] == pytest.approx(1) and aligned.pairs["class"].iloc[0] == "synergy"
    assert raw.meta["series_without_direction"] == 1
    dropped = links_from_values(
        values, pd.DataFrame({"series": ["MORT", "SCHOOL"], "direction": [0, 1]}), LinkParameters(null_permutations=0)
    )  # default: drop
    assert dropped.pairs.empty and dropped.meta["tests"] == 0


def test_detrend_removes_the_shared_trend():
    rng = np.random.default_rng(0)
    t = np.arange(20.0)
    noise_a, noise_b = rng.normal(size=20), rng.normal(size=20)
    x = np.vstack([5 * t + noise_a, -3 * t + noise_b, 2 * t + 1])
    # levels: the two noisy lines correlate through their trends alone
    assert pairwise_spearman(x)[0][0, 1] < -0.9
    res = detrend(x)
    rho, _ = pairwise_spearman(res)
    assert rho[0, 1] == pytest.approx(
        stats.spearmanr(
            noise_a - np.polyval(np.polyfit(t, noise_a, 1), t), noise_b - np.polyval(np.polyfit(t, noise_b, 1), t)
        ).statistic
    )
    # an exactly linear series leaves only rounding noise: it must be constant, not randomly ranked
    assert np.all(res[2] == 0) and np.isnan(rho[0, 2])


def test_diff_needs_consecutive_years():
    x = np.array([[1.0, 1.1, 1.3, np.nan, 2.0, 2.1]])
    d = diff(x)[0] * 2.1  # transforms return values on the series' own scale (divided by max |x|)
    np.testing.assert_allclose(d[[1, 2, 5]], [0.1, 0.2, 0.1], atol=1e-9)
    assert np.isnan(d[[0, 3, 4]]).all()
    assert d[1] == d[5]  # 1.1 - 1.0 and 2.1 - 2.0 are the same change: a tie, not float noise


def test_permutation_keeps_values_and_gaps():
    rng = np.random.default_rng(3)
    x = np.array([[1.0, np.nan, 3, 4, np.nan, 6], [np.nan, 2, 2, 9, 8, np.nan]])
    y = permute_within_rows(x, rng)
    np.testing.assert_array_equal(np.isnan(x), np.isnan(y))
    for a, b in zip(x, y):
        np.testing.assert_array_equal(np.sort(a[~np.isnan(a)]), np.sort(b[~np.isnan(b)]))


def test_benjamini_hochberg_matches_scipy():
    p = np.array([0.01, 0.04, np.nan, 0.03, 0.2, 0.001, 0.04])
    ok = ~np.isnan(p)
    q = benjamini_hochberg(p)
    np.testing.assert_allclose(q[ok], stats.false_discovery_control(p[ok]))
    assert np.isnan(q[2])


def test_null_rate_is_near_the_false_positive_rate_on_noise():
    rng = np.random.default_rng(1)
    rows = [(f"S{s}", str(a), 2000 + y, rng.normal()) for a in range(30) for s in range(12) for y in range(15)]
    values = pd.DataFrame(rows, columns=["series", "area", "year", "value"])
    res = links_from_values(values, _all_up(values), LinkParameters(null_permutations=5, seed=2))
    null, observed = res.meta["null"], res.meta
    assert null["tests"] == 5 * observed["tests"] == 5 * 30 * 66
    # white noise: observed and null rates are both small and alike (|rho| > 0.6 at n = 15 is rare)
    assert 0 < null["synergy_rate"] < 0.03 and abs(observed["synergy_rate"] - null["synergy_rate"]) < 0.02


def test_bad_parameters_are_user_errors():
    values = pd.DataFrame(columns=["series", "area", "year", "value"])
    for bad in (
        dict(min_years=2),
        dict(transform="logs"),
        dict(rho_threshold=1.5),
        dict(alpha=0),
        dict(null_permutations=-1),
    ):
        with pytest.raises(UserInputError):
            links_from_values(values, _all_up(values), LinkParameters(**bad))


def test_goal_rollup_counts_each_pair_once_per_goal_pair():
    pairs = pd.DataFrame(
        {
            "area": ["4", "4", "4", "8"],
            "series_a": ["A", "A", "B", "A"],
            "series_b": ["B", "C", "C", "B"],
            "rho": [0.9, -0.8, np.nan, 0.1],
            "class": ["synergy", "tradeoff", "none", "none"],
        }
    )
    goals = pd.DataFrame({"series": ["A", "B", "B", "C"], "goal": [1, 1, 11, 3]})
    g = goal_pairs(pairs, goals).set_index(["area", "goal_a", "goal_b"])
    assert g.loc[("4", 1, 1), "synergies"] == 1 and g.loc[("4", 1, 11), "synergies"] == 1
    assert g.loc[("4", 1, 3), ["pairs", "tradeoffs"]].tolist() == [1, 1]
    assert ("4", 3, 11) not in g.index  # B-C was not a test (undefined rho)
    assert g.loc[("all", 1, 1), "pairs"] == 2 and g.loc[("all", 1, 1), "share_synergy"] == 0.5


def test_network_centrality_and_net_strength():
    # star: node 0 linked to 1..3 by synergies, 3 also linked to 2 by a trade-off
    pos, neg = np.zeros((4, 4)), np.zeros((4, 4))
    pos[0, 1:] = pos[1:, 0] = 1.0
    neg[2, 3] = neg[3, 2] = 0.5
    nodes = node_metrics(["a", "b", "c", "d"], pos, neg, "goal")
    assert nodes["centrality"].idxmax() == 0
    assert nodes["net_strength"].tolist() == [3.0, 1.0, 0.5, 0.5]
    a = pos + neg
    v = eigenvector_centrality(a)
    assert np.linalg.norm(v) == pytest.approx(1)
    np.testing.assert_allclose(a @ v, v * np.max(np.linalg.eigvalsh(a)), atol=1e-12)


def test_real_afghanistan_mortality_series_move_together(un_db):
    res = statistical_links(un_db, areas=["AFG"], series=["3.2.1"], null_permutations=0)
    row = res.pairs[(res.pairs["series_a"] == "SH_DYN_IMRT") & (res.pairs["series_b"] == "SH_DYN_MORT")].iloc[0]
    values = un_db.headline_values(["SH_DYN_IMRT", "SH_DYN_MORT"], areas=["AFG"])
    wide = values.pivot(index="year", columns="series", values="value").dropna()
    ref = stats.spearmanr(wide["SH_DYN_IMRT"], wide["SH_DYN_MORT"])
    assert row["n"] == len(wide) >= 20 and row["rho"] == pytest.approx(ref.statistic, abs=1e-12)
    assert row["class"] == "synergy"
    assert res.meta["window"][1] <= 2020 and res.meta["areas"] == 1


def test_series_goals_from_framework(un_db):
    g = series_goals(un_db)
    assert set(g.loc[g["series"] == "SH_DYN_MORT", "goal"]) == {3}
    assert g["goal"].between(1, 17).all()


def test_critical_rho_is_the_same_test_as_p_below_alpha():
    from sdgtrack.links.spearman import critical_rho

    rng = np.random.default_rng(4)
    n = rng.integers(3, 40, 20000)
    rho = rng.uniform(-1, 1, 20000)
    crit = critical_rho(0.05, 40)
    np.testing.assert_array_equal(np.abs(rho) > crit[n], spearman_pvalue(rho, n) < 0.05)
    assert crit[10] == pytest.approx(0.6319, abs=1e-4)  # the textbook t-approximation value for n = 10


def test_directions_come_from_the_progress_target_table(un_db, tmp_path):
    from sdgtrack.links.directions import directions

    d = directions(un_db).set_index("series")["direction"]
    assert d["SH_DYN_MORT"] == -1 and d["SH_ACS_DTP3"] == 1
    assert set(d.unique()) == {-1, 0, 1} and (d == 0).sum() > 0  # some series have no desired direction
    # mortality falls and vaccination coverage rises in Afghanistan: aligned, they are a synergy
    base = statistical_links(un_db, areas=["AFG"], series=["SH_DYN_MORT", "SH_ACS_DTP3"], null_permutations=0)
    row = base.pairs.iloc[0]
    assert row["rho"] > 0.6
    # a user's targets file can turn a direction round: the sign follows
    targets = tmp_path / "targets.csv"
    targets.write_text("series,direction\nSH_DYN_MORT,increase\n")
    flipped = statistical_links(
        un_db, areas=["AFG"], series=["SH_DYN_MORT", "SH_ACS_DTP3"], null_permutations=0, targets=targets
    )
    assert flipped.pairs.iloc[0]["rho"] == pytest.approx(-row["rho"])
    assert str(targets) in flipped.meta["direction_source"]
