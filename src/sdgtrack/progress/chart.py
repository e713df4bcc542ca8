"""The progress chart of the SDG Report: one column per goal, its targets as cells coloured by status,
for one area (a country or a region). Vega-Lite via Altair, rendered offline by vl-convert."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import altair as alt
import pandas as pd

from ..charts import CHART_SUFFIXES, render
from ..errors import UserInputError
from ..labels import describe_parameters, label, span
from . import methods
from .api import assess
from .rollup import roll_up

# Each method has its statuses' colours (its COLOURS, best to worst); grey for "no data".
NO_DATA = "#bdbdbd"


def chart_data(db, area: str, method: str = "unsd", targets=None, **params) -> tuple[pd.DataFrame, dict]:
    """Goal and target rows of one area: goal, row (0 = the goal itself), code, status, score, title."""
    code = db.resolve_area(area)
    series = assess(db, method, targets=targets, areas=[code], save=False, **params)
    if series.empty or (series["status"] == methods.get(method).INSUFFICIENT).all():
        raise UserInputError(f"no series with data to assess for area {area!r}")
    return chart_rows(db, series, method)


def chart_rows(db, series: pd.DataFrame, method: str = "unsd") -> tuple[pd.DataFrame, dict]:
    """The chart's goal and target rows, made of one area's results per series (a fresh assessment,
    or the one the store keeps)."""
    tgt = roll_up(db, series, "target")
    goal = roll_up(db, series, "goal")
    tgt = tgt[tgt["code"].str.contains(".", regex=False)]
    rows = pd.concat(
        [
            goal.assign(goal=goal["code"].astype(int), row=0),
            tgt.assign(
                goal=tgt["code"].str.split(".").str[0].astype(int),
                row=tgt.groupby(tgt["code"].str.split(".").str[0]).cumcount() + 1,
            ),
        ],
        ignore_index=True,
    )
    # Every goal gets its column, as in the SDG Report, even when no series of it can be assessed.
    missing = sorted(set(range(1, 18)) - set(rows.loc[rows["row"] == 0, "goal"]))
    insufficient = methods.get(method).INSUFFICIENT
    rows = pd.concat(
        [
            rows,
            pd.DataFrame(
                {
                    "goal": missing,
                    "row": 0,
                    "code": [str(g) for g in missing],
                    "status": insufficient,
                    "n_series": 0,
                    "n_assessed": 0,
                }
            ),
        ],
        ignore_index=True,
    )
    # with every goal present the frame of missing ones is empty and makes the columns float ("SDG 1.0")
    rows = rows.astype({"goal": int, "row": int, "n_series": int, "n_assessed": int})
    rows["label"] = rows["code"].where(rows["row"] > 0, "Goal " + rows["code"].astype(str))
    rows["title"] = rows["title"].fillna("")
    rows["score"] = rows["score"].round(2)
    rows["share_on_track"] = (rows["share_on_track"] * 100).round(0)
    return rows[
        ["goal", "row", "code", "label", "status", "score", "title", "share_on_track", "n_series", "n_assessed"]
    ], goal.attrs


@dataclass(frozen=True)
class ChartWords:
    """The chart's words. The defaults are the CLI's English; the site passes its translations
    (``{placeholders}`` as shown). The method's title and parameters stay as the method names them."""

    status: Callable[[str], str] = field(default=label)  # status code -> words ("on_track" -> "on track")
    title: str = "Progress towards the 2030 targets: {area}"
    summary: str = "{on_track} of {assessed} assessed targets on track or met, {no_data} with too little data"
    window: str = "Baseline years {baseline}, latest years {latest}. Top row: goal (mean of its targets' scores)."
    legend: str = "Status"
    goal_axis: str = "SDG "  # put before the goal number on the axis
    goal_cell: str = "Goal {n}"


def progress_chart(rows: pd.DataFrame, attrs: dict, area_name: str, words: ChartWords | None = None) -> alt.Chart:
    words = words or ChartWords()
    method = attrs.get("method", "unsd")
    palette = methods.get(method).COLOURS
    insufficient = methods.get(method).INSUFFICIENT
    domain = [words.status(s) for s in list(palette) + [insufficient]]
    colours = list(palette.values()) + [NO_DATA]
    target_rows = rows[rows["row"] > 0]
    assessed = target_rows[target_rows["status"] != insufficient]
    on_track = assessed[assessed["status"].isin(methods.get(method).GOOD)]
    rows = rows.assign(
        status=rows["status"].map(words.status),
        label=rows["label"].where(rows["row"] > 0, rows["goal"].map(lambda g: words.goal_cell.format(n=g))),
    )
    window = attrs.get("data_window", {})
    counts = {"on_track": len(on_track), "assessed": len(assessed), "no_data": len(target_rows) - len(assessed)}
    subtitle = [
        f"{words.summary.format(**counts)} ({attrs.get('title')}; {describe_parameters(attrs.get('parameters'))})",
        words.window.format(baseline=span(window.get("baseline_years")), latest=span(window.get("latest_years"))),
    ]
    # the prefix is data to Vega's expression, so quotes in a translation cannot break it
    axis_label = f"{json.dumps(words.goal_axis)} + datum.value"
    base = alt.Chart(rows).encode(
        x=alt.X("goal:O", title=None, axis=alt.Axis(orient="top", labelExpr=axis_label, labelAngle=0)),
        y=alt.Y("row:O", axis=None),
    )
    cells = base.mark_rect(stroke="white", strokeWidth=2, cornerRadius=2).encode(
        color=alt.Color(
            "status:N",
            scale=alt.Scale(domain=domain, range=colours),
            legend=alt.Legend(title=words.legend, orient="bottom", columns=len(domain)),
        ),
        tooltip=[
            alt.Tooltip("label:N", title="code"),
            alt.Tooltip("title:N"),
            alt.Tooltip("status:N"),
            alt.Tooltip("score:Q"),
            alt.Tooltip("share_on_track:Q", title="% children on track"),
            alt.Tooltip("n_assessed:Q", title="series assessed"),
            alt.Tooltip("n_series:Q", title="series"),
        ],
    )
    text = base.mark_text(fontSize=10, fontWeight="bold").encode(
        text="label:N",
        color=alt.condition(
            alt.FieldOneOfPredicate("status", [domain[0], domain[-2]] if len(domain) > 2 else []),
            alt.value("white"),
            alt.value("black"),
        ),
    )
    return (
        (cells + text)
        .properties(
            width=17 * 52,
            height=max(int(rows["row"].max()) + 1, 4) * 24,
            title=alt.TitleParams(words.title.format(area=area_name), subtitle=subtitle, anchor="start"),
        )
        .configure_view(stroke=None)
    )


def write_chart(db, output: str | Path, *, area: str = "1", method: str = "unsd", targets=None, **params) -> list[Path]:
    """Write ``output``.svg, .png and a self-contained .html (JavaScript inlined, nothing fetched)."""
    rows, attrs = chart_data(db, area, method, targets, **params)
    code = db.resolve_area(area)
    spec = progress_chart(rows, attrs, db.area_names([code]).get(code, code)).to_dict()
    output = Path(output)
    if output.suffix in CHART_SUFFIXES:
        output = output.with_suffix("")
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserInputError(f"cannot write the chart to {output}: {exc}") from None
    return [render(spec, output.with_suffix(suffix)) for suffix in CHART_SUFFIXES]
