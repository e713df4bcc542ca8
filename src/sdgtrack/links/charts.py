"""Charts of the interlinkages: the goal x goal heatmap and the goal network, as Vega-Lite specs.

Specs are built with Altair; :func:`save` renders them offline with vl-convert to SVG, PNG or a
self-contained HTML page (the Vega libraries inlined, no CDN). Every chart carries the method,
transform and data window in its subtitle.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import altair as alt
import numpy as np
import pandas as pd

from ..charts import render
from ..errors import UserInputError
from .network import goal_network
from .rollup import POOLED

GOALS = list(range(1, 18))


def goal_colours() -> dict[int, str]:
    """Official SDG colours (UN SDG communications guidelines), shipped in links/data."""
    path = resources.files("sdgtrack.links") / "data" / "goal_colours.csv"
    with resources.as_file(path) as p:
        table = pd.read_csv(p)
    return dict(zip(table["goal"].astype(int), table["colour"]))


def _subtitle(meta: dict, area: str) -> list[str]:
    window = f"{meta['window'][0]}-{meta['window'][1]}" if meta.get("window") else "no data"
    where = "pooled over areas" if area == POOLED else f"area {area}"
    p = meta["parameters"]
    lines = [
        f"Spearman per area, {meta['transform']}, >= {p['min_years']} shared years, "
        f"|rho| > {p['rho_threshold']} and {'BH-adjusted ' if p['bh'] else ''}p < {p['alpha']}; "
        f"{where}; {meta['areas']} areas, {meta['tests']:,} tests; {window}"
    ]
    null = meta.get("null") or {}
    if null.get("permutations"):
        lines.append(
            f"chance level (shuffled null): synergy {null['synergy_rate']:.1%}, trade-off {null['tradeoff_rate']:.1%}"
        )
    return lines


def _symmetric(goal_table: pd.DataFrame, area: str) -> pd.DataFrame:
    rows = goal_table[goal_table["area"] == area]
    mirrored = rows.rename(columns={"goal_a": "goal_b", "goal_b": "goal_a"})
    both = pd.concat([rows, mirrored[mirrored["goal_a"] != mirrored["goal_b"]]], ignore_index=True)
    return both


def heatmap(goal_table: pd.DataFrame, meta: dict, area: str = POOLED) -> alt.TopLevelMixin:
    """Two goal x goal panels: the share of tested series pairs that are synergies, and trade-offs."""
    data = _symmetric(goal_table, area)
    if data.empty:
        raise UserInputError("no goal pairs to chart: no pair of series was tested")
    base = alt.Chart(data).encode(
        x=alt.X("goal_b:O", title="goal", sort=GOALS, axis=alt.Axis(labelAngle=0)),
        y=alt.Y("goal_a:O", title="goal", sort=GOALS),
        tooltip=[
            alt.Tooltip("goal_a:O", title="goal"),
            alt.Tooltip("goal_b:O", title="with goal"),
            alt.Tooltip("pairs:Q", title="series pairs tested", format=","),
            alt.Tooltip("synergies:Q", format=","),
            alt.Tooltip("tradeoffs:Q", title="trade-offs", format=","),
            alt.Tooltip("share_synergy:Q", title="share synergy", format=".1%"),
            alt.Tooltip("share_tradeoff:Q", title="share trade-off", format=".1%"),
        ],
    )
    top = max(float(data["share_synergy"].max()), float(data["share_tradeoff"].max()), 0.05)
    panels = []
    for field, title, scheme in (
        ("share_synergy", "Synergies (share of pairs)", "greens"),
        ("share_tradeoff", "Trade-offs (share of pairs)", "oranges"),
    ):
        panels.append(
            base.mark_rect(stroke="white", strokeWidth=0.5)
            .encode(
                color=alt.Color(
                    f"{field}:Q",
                    title=None,
                    scale=alt.Scale(scheme=scheme, domain=[0, top]),
                    legend=alt.Legend(format="%", orient="bottom", gradientLength=200),
                )
            )
            .properties(width=340, height=340, title=title)
        )
    return (
        alt.hconcat(*panels)
        .resolve_scale(color="independent")
        .properties(
            title=alt.TitleParams(
                "Synergies and trade-offs between SDGs", subtitle=_subtitle(meta, area), anchor="start"
            )
        )
    )


def goal_network_chart(
    goal_table: pd.DataFrame, meta: dict, area: str = POOLED, max_links: int = 40, min_pairs: int = 10
) -> alt.TopLevelMixin:
    """Goals on a circle; a link where a goal pair leans to synergy (green) or trade-off (red).

    Link weight: share of synergies minus share of trade-offs among the pair's tested series
    pairs (only goal pairs with >= ``min_pairs`` tests; the ``max_links`` strongest shown).
    Node size: eigenvector centrality; node label: the goal's number.
    """
    rows = goal_table[(goal_table["area"] == area) & (goal_table["goal_a"] != goal_table["goal_b"])]
    if rows.empty:
        raise UserInputError("no goal pairs to chart: no pair of series was tested")
    nodes = goal_network(goal_table, area)
    angle = np.pi / 2 - 2 * np.pi * (np.array(nodes["node"], dtype=float) - 1) / 17
    nodes = nodes.assign(goal=nodes["node"].astype(int), x=np.cos(angle), y=np.sin(angle))
    colours = goal_colours()
    pos = nodes.set_index("goal")[["x", "y"]]
    links = rows[rows["pairs"] >= min_pairs].assign(net=lambda f: f["share_synergy"] - f["share_tradeoff"])
    links = links.reindex(links["net"].abs().sort_values(ascending=False).index).head(max_links)
    links = links.assign(
        x=links["goal_a"].map(pos["x"]),
        y=links["goal_a"].map(pos["y"]),
        x2=links["goal_b"].map(pos["x"]),
        y2=links["goal_b"].map(pos["y"]),
        kind=np.where(links["net"] >= 0, "synergy", "trade-off"),
        weight=links["net"].abs(),
    )
    scale = alt.Scale(domain=[-1.25, 1.25])
    axis = dict(scale=scale, axis=None)
    edge = (
        alt.Chart(links)
        .mark_rule(opacity=0.75)
        .encode(
            x=alt.X("x:Q", **axis),
            y=alt.Y("y:Q", **axis),
            x2="x2:Q",
            y2="y2:Q",
            color=alt.Color(
                "kind:N",
                title="goal pair leans to",
                scale=alt.Scale(domain=["synergy", "trade-off"], range=["#2e7d32", "#c62828"]),
            ),
            strokeWidth=alt.StrokeWidth(
                "weight:Q", title="|share synergy - share trade-off|", scale=alt.Scale(range=[0.5, 7])
            ),
            tooltip=[
                alt.Tooltip("goal_a:O", title="goal"),
                alt.Tooltip("goal_b:O", title="with goal"),
                alt.Tooltip("pairs:Q", format=","),
                alt.Tooltip("share_synergy:Q", format=".1%"),
                alt.Tooltip("share_tradeoff:Q", format=".1%"),
            ],
        )
    )
    node_base = alt.Chart(nodes).encode(x=alt.X("x:Q", **axis), y=alt.Y("y:Q", **axis))
    node = node_base.mark_circle(opacity=1, stroke="white", strokeWidth=1).encode(
        size=alt.Size("centrality:Q", title="eigenvector centrality", scale=alt.Scale(range=[150, 1400])),
        color=alt.Color("goal:N", scale=alt.Scale(domain=list(colours), range=list(colours.values())), legend=None),
        tooltip=[
            alt.Tooltip("goal:O"),
            alt.Tooltip("centrality:Q", format=".3f"),
            alt.Tooltip("net_strength:Q", title="net strength", format=".2f"),
            alt.Tooltip("synergy_strength:Q", format=".2f"),
            alt.Tooltip("tradeoff_strength:Q", format=".2f"),
        ],
    )
    label = node_base.mark_text(fontWeight="bold", fontSize=12, color="white").encode(text="goal:N")
    return (
        alt.layer(edge, node, label)
        .properties(
            width=520,
            height=520,
            title=alt.TitleParams(
                "Network of SDG interlinkages",
                subtitle=_subtitle(meta, area)
                + [f"links: the {len(links)} goal pairs leaning most strongly (>= {min_pairs} series pairs tested)"],
                anchor="start",
            ),
        )
        .resolve_scale(color="independent")
        .configure_view(stroke=None)
    )


def save(chart: alt.TopLevelMixin, path: str | Path) -> Path:
    """Render a chart to .svg, .png or a self-contained .html page (offline)."""
    return render(chart, path)
