"""The statcan method against Statistics Canada's own published progress outputs (Open SDG repository)."""

from __future__ import annotations

import pandas as pd
import pytest

from sdgtrack.ingest import load
from sdgtrack.progress.assess import assess_series

from .canada_progress import headline_values, published, simple_indicators, targets_frame
from .conftest import shared_path

# Canada transforms these before assessing (5.5.2: 50 + |y - 50|; 16.6.1: 100 + |y - 100|; 8.1.1, 8.2.1: growth rates to levels),
# so their published inputs are not the CSV's headline values.
TRANSFORMED = {"5-5-2", "8-1-1", "8-2-1", "16-6-1"}


@pytest.fixture(scope="module")
def canada(tmp_path_factory):
    import sdgtrack

    root = shared_path("opensdg", "canada")
    options = simple_indicators(root)
    values = pd.concat([headline_values(root, i) for i in options], ignore_index=True)
    db = sdgtrack.Database(tmp_path_factory.mktemp("ca") / "ca.duckdb")
    frame = assess_series(db, "statcan", targets=targets_frame(options), values=values).set_index("series")
    db.close()
    pub = {k: v for k, v in published(root).items() if k not in TRANSFORMED and k in frame.index}
    return frame, pub


def test_reproduces_canadas_published_statuses(canada):
    frame, pub = canada
    assert len(pub) == 84
    same = [k for k, p in pub.items() if frame.loc[k, "status"] == p["status"]]
    different = sorted(set(pub) - set(same))
    assert len(same) == len(pub), f"statuses differ for {different}"


def test_reproduces_scores_and_inputs(canada):
    frame, pub = canada
    for ind, p in pub.items():
        row = frame.loc[ind]
        if p["status"] == "not_available":
            continue
        assert row["baseline_year"] == p["base_year"] and row["latest_year"] == p["current_year"], ind
        assert row["baseline_value"] == pytest.approx(p["base_value"]), ind
        # Open SDG rounds its slope constants (7.1429, 4.2857): scores agree to about 1e-4.
        assert row["score"] == pytest.approx(p["score"], abs=2e-4), ind


def test_known_cases(canada):
    frame, _ = canada
    # 1-2-1: poverty 14.5 (2015) -> 10.2 (2023), target 7.25 in 2030: R = 0.9526, just on track.
    assert frame.loc["1-2-1", "ratio"] == pytest.approx(0.9525901792, abs=1e-9)
    assert frame.loc["1-2-1", "status"] == "substantial_progress"
    # 3-3-5 uses its own base year (2010) from the indicator configuration.
    assert frame.loc["3-3-5", "baseline_year"] == 2010
    # 2-c-1 turned negative but is below its target of 0.5: achieved before any sign check.
    assert frame.loc["2-c-1", "status"] == "target_achieved"


@pytest.fixture(scope="module")
def canada_store(tmp_path_factory):
    """Canada's repository loaded through the Open SDG reader, its options as a targets CSV."""
    import sdgtrack

    from .canada_progress import published_components, store_targets

    root = shared_path("opensdg", "canada")
    folder = tmp_path_factory.mktemp("ca_store")
    db = sdgtrack.Database(folder / "ca.duckdb")
    load(db, root, skip_invalid=True, rejected_path=folder / "rejected.csv")  # one 'Inf' value in 9-b-1
    table, names = store_targets(db.con, root)
    path = tmp_path_factory.mktemp("ca_targets") / "canada_targets.csv"
    table.to_csv(path, index=False)
    yield db, path, names, published_components(root)
    db.close()


def test_store_pipeline_reproduces_canada_series_and_indicators(canada_store):
    from sdgtrack import progress

    db, path, names, comps = canada_store
    series = progress.assess(db, "statcan", targets=path, series=sorted(names), save=False)
    # Canada's own figures (its provinces, areas of their own from their GeoCodes, are assessed too)
    series = series[series["series"].isin(names) & (series["area"] == "124")].set_index("series")
    compared = mismatched = 0
    for code, name in names.items():
        ind = name.split(" / ")[0]
        if ind in TRANSFORMED:
            continue
        pub = comps[ind].get(name) if name in comps[ind] else None
        if not isinstance(pub, dict):
            continue
        compared += 1
        mismatched += series.loc[code, "status"] != pub["status"]
    assert compared >= 130 and mismatched == 0, (compared, mismatched)

    # Indicator roll-up: the mean of the series scores, banded; Canada's progress_status and score.
    from sdgtrack.progress.rollup import roll_up

    indicators = roll_up(db, series.reset_index(), "indicator").set_index("code")
    checked = 0
    for ind, entry in comps.items():
        mine = ind.replace("-", ".")
        parts = [n for n in names.values() if n.split(" / ")[0] == ind]
        listed = [k for k, v in entry.items() if isinstance(v, dict)]
        if ind in TRANSFORMED or not listed or sorted(parts) != sorted(listed) or mine not in indicators.index:
            continue
        if entry["score"] is None:
            continue
        checked += 1
        assert indicators.loc[mine, "status"] == entry["progress_status"], ind
        assert indicators.loc[mine, "score"] == pytest.approx(entry["score"], abs=2e-4), ind
    assert checked >= 85
