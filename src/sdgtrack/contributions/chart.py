"""The coverage heatmap: records per SDG by group, next to the SDG co-occurrence matrix.
Vega-Lite via altair, rendered offline by vl-convert (SVG, PNG, or HTML with the library inlined)."""

from __future__ import annotations

from pathlib import Path

import altair as alt

from ..charts import render


def coverage_chart(cov) -> alt.HConcatChart:
    per = cov.per_sdg.rename(columns={"group": "grp"})
    groups = list(dict.fromkeys(per["grp"]))
    goal_axis = alt.Axis(title="SDG", labelAngle=0)
    base = alt.Chart(per).encode(
        x=alt.X("goal:O", axis=goal_axis, sort=list(range(1, 18))),
        y=alt.Y("grp:N", title=cov.by, sort=groups),
    )
    heat = base.mark_rect(stroke="white").encode(
        color=alt.condition(
            "datum.records == 0",
            alt.value("#f3f3f3"),
            alt.Color("records:Q", title="records", scale=alt.Scale(scheme="blues")),
        ),
        tooltip=["grp:N", "goal:O", "records:Q", alt.Tooltip("share:Q", format=".0%")],
    )
    labels = base.mark_text(fontSize=10).encode(
        text=alt.condition("datum.records > 0", "records:Q", alt.value("")),
        color=alt.condition(
            f"datum.records > {max(1, per.records.max()) * 0.6}", alt.value("white"), alt.value("black")
        ),
    )
    left = (heat + labels).properties(
        width=17 * 26, height=max(60, 26 * len(groups)), title=f"Records per SDG, by {cov.by}"
    )
    co = cov.cooccurrence
    cbase = alt.Chart(co).encode(
        x=alt.X("goal_b:O", axis=goal_axis, sort=list(range(1, 18))),
        y=alt.Y("goal_a:O", title="SDG", sort=list(range(1, 18))),
    )
    cheat = cbase.mark_rect(stroke="white").encode(
        color=alt.condition(
            "datum.records == 0",
            alt.value("#f3f3f3"),
            alt.Color("records:Q", title="records naming both", scale=alt.Scale(scheme="oranges")),
        ),
        tooltip=["goal_a:O", "goal_b:O", "records:Q"],
    )
    clabels = cbase.mark_text(fontSize=9).encode(
        text=alt.condition("datum.records > 0", "records:Q", alt.value("")),
        color=alt.condition(
            f"datum.records > {max(1, co.records.max()) * 0.6}", alt.value("white"), alt.value("black")
        ),
    )
    excluded = cov.method.get("records_all_goals", 0)
    subtitle = (
        "" if cov.method["parameters"]["include_all_goals"] else f"without the {excluded} records naming all 17 goals"
    )
    right = (cheat + clabels).properties(
        width=17 * 22, height=17 * 22, title=alt.TitleParams("SDGs named together", subtitle=subtitle)
    )
    return (
        alt.hconcat(left, right)
        .resolve_scale(color="independent")
        .properties(
            title=alt.TitleParams(
                "Contributions registry: coverage of the Goals", subtitle=cov.method["data_window"], anchor="start"
            )
        )
    )


def save_chart(chart, path: str | Path) -> Path:
    return render(chart, path)
