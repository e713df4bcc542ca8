"""Charts: the goal heatmap and the goal network render offline to SVG, PNG and self-contained HTML."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from sdgtrack import UserInputError
from sdgtrack.links import charts

META = {
    "transform": "detrend",
    "window": [2000, 2019],
    "areas": 2,
    "tests": 30,
    "parameters": {"min_years": 10, "rho_threshold": 0.6, "alpha": 0.05, "bh": False},
    "null": {"permutations": 5, "synergy_rate": 0.011, "tradeoff_rate": 0.012},
}


def _goal_table() -> pd.DataFrame:
    rows = []
    for a in range(1, 18):
        for b in range(a, 18):
            pairs = 20
            syn = (a * b) % 7
            tr = (a + b) % 5
            rows.append(("all", a, b, pairs, syn, tr, syn / pairs, tr / pairs))
    return pd.DataFrame(
        rows, columns=["area", "goal_a", "goal_b", "pairs", "synergies", "tradeoffs", "share_synergy", "share_tradeoff"]
    )


def test_heatmap_is_symmetric_and_states_the_method(tmp_path):
    chart = charts.heatmap(_goal_table(), META)
    spec = chart.to_dict()
    data = next(iter(spec["datasets"].values()))
    assert len(data) == 17 * 17  # both halves of the symmetric matrix, diagonal once
    assert "detrend" in spec["title"]["subtitle"][0] and "2000-2019" in spec["title"]["subtitle"][0]
    svg = charts.save(chart, tmp_path / "h.svg").read_text()
    assert svg.startswith("<svg") and "Trade-offs (share of pairs)" in svg


def test_network_renders_png_and_offline_html(tmp_path):
    chart = charts.goal_network_chart(_goal_table(), META)
    png = charts.save(chart, tmp_path / "n.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 10_000
    html = charts.save(chart, tmp_path / "n.html").read_text()
    # self-contained: no script or stylesheet loaded from elsewhere
    assert not re.search(r"<script[^>]+src=", html) and not re.search(r"<link[^>]+href=\"http", html)
    assert "vegaEmbed" in html or "vega" in html


def test_empty_table_is_a_user_error(tmp_path):
    with pytest.raises(UserInputError):
        charts.heatmap(_goal_table().iloc[0:0], META)
    with pytest.raises(UserInputError):
        charts.save(charts.heatmap(_goal_table(), META), tmp_path / "h.gif")
