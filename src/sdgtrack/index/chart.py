"""The dashboard chart: areas x 17 goals, cells coloured by goal rating with the trend arrow,
as a Vega-Lite spec (Altair) rendered offline to SVG/PNG or a self-contained HTML page."""

from __future__ import annotations

import html
from pathlib import Path

import altair as alt
import pandas as pd

from ..charts import render
from ..labels import label
from .trends import ARROWS

# Rating colours close to the SDR dashboards', readable with a dark arrow on top.
PALETTE = {"green": "#2e9e4f", "yellow": "#f2d13d", "orange": "#f08a24", "red": "#d93b3b", "grey": "#c8c8c8"}
# What each colour says, in the SDR's words, for the legend.
RATINGS = {
    "green": "goal achieved",
    "yellow": "challenges remain",
    "orange": "significant challenges",
    "red": "major challenges",
    "grey": "no data or not applicable",
}
SOURCE_NOTE = "Method: SDSN Sustainable Development Report (Sachs et al., SDSN / Dublin University Press)."


def dashboard_frame(result) -> pd.DataFrame:
    """Long table for the chart: one row per area and goal with score, colour and arrow."""
    areas = result.areas
    names = areas["area_name"].fillna(areas["area"]) + areas["index"].map(lambda v: "" if pd.isna(v) else f"  {v:.1f}")
    frames = []
    for g in range(1, 18):
        frames.append(
            pd.DataFrame(
                {
                    "area": names,
                    "order": range(len(areas)),
                    "goal": str(g),
                    "score": areas[f"goal_{g}"].round(1),
                    "colour": areas[f"goal_{g}_colour"],
                    "rating": areas[f"goal_{g}_colour"].map(RATINGS),
                    "trend": areas[f"goal_{g}_trend"],
                    "trend_words": areas[f"goal_{g}_trend"].map(label),
                    "arrow": areas[f"goal_{g}_trend"].map(ARROWS).fillna(""),
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def dashboard_chart(result, title: str = "SDG Dashboard") -> alt.Chart:
    data = dashboard_frame(result)
    n_areas = data["order"].nunique()
    # labelLimit 0: full area names ("Bolivia (Plurinational State of)"), never cut with an ellipsis
    y = alt.Y("area:N", sort=alt.EncodingSortField("order"), title=None, axis=alt.Axis(labelLimit=0))
    x = alt.X(
        "goal:N",
        sort=[str(g) for g in range(1, 18)],
        title="SDG",
        axis=alt.Axis(orient="top", labelAngle=0, labelFontWeight="bold"),
    )
    base = alt.Chart(data).encode(x=x, y=y)
    cells = base.mark_rect(stroke="white", strokeWidth=1).encode(
        color=alt.Color(
            "rating:N",
            scale=alt.Scale(domain=[RATINGS[c] for c in PALETTE], range=list(PALETTE.values())),
            legend=alt.Legend(title="Goal rating", orient="bottom", columns=len(PALETTE), labelLimit=0),
        ),
        tooltip=[
            "area:N",
            alt.Tooltip("goal:N", title="SDG"),
            alt.Tooltip("score:Q", format=".1f"),
            alt.Tooltip("rating:N"),
            alt.Tooltip("trend_words:N", title="trend"),
        ],
    )
    arrows = base.mark_text(fontSize=12, color="#222").encode(text="arrow:N")
    return (cells + arrows).properties(
        width=17 * 34,
        height=max(60, 18 * n_areas),
        title=alt.TitleParams(title, subtitle=_subtitle(result) + [SOURCE_NOTE], anchor="start", subtitleFontSize=11),
    )


def _subtitle(result) -> list[str]:
    m = result.method
    return [
        f"{m['areas_with_index']} of {m['areas']} areas with an index, in rank order (index after the name);"
        f" data up to {m['data_window']}.",
        "Cell: goal rating. Arrow: trend (↑ on track, ➚ moderately improving, → stagnating, ↓ decreasing).",
    ]


def write_dashboard(result, path: str | Path, title: str = "SDG Dashboard") -> Path:
    return render(dashboard_chart(result, title), path, page=lambda html: _page(html, result, title))


def _page(chart_html: str, result, title: str) -> str:
    """The bundled Vega page (JavaScript inlined, nothing fetched) with a heading and the method."""
    header = (
        f'<h1 style="font-family:sans-serif">{html.escape(title)}</h1>'
        f'<p style="font-family:sans-serif;max-width:60em">{html.escape(result.describe())}. '
        f"{html.escape(SOURCE_NOTE)}</p>"
    )
    return chart_html.replace("<body>", "<body>" + header, 1) if "<body>" in chart_html else header + chart_html
