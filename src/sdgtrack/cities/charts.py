"""City charts as Altair specs (``sdgtrack.charts.render`` writes them): the benchmarking wheel
and the comparison of cities. Band colours are sdgtrack's (ITU's reports do not state theirs).
"""

from __future__ import annotations

import math

import altair as alt
import pandas as pd

from . import scoring

NOT_SCORED = "not scored"
NO_TARGET = "reported, no target"
COLOURS = dict(
    zip(
        scoring.BANDS[::-1] + (NO_TARGET, NOT_SCORED),
        ("#1a9850", "#a6d96a", "#fdae61", "#d73027", "#b0b0b0", "#e6e6e6"),
    )
)
RINGS = {"dimension": (40, 95), "category": (98, 175), "kpi": (178, 250)}


def _colour_scale() -> alt.Scale:
    return alt.Scale(domain=list(COLOURS), range=list(COLOURS.values()))


def wheel_data(kpi_scores: pd.DataFrame, rollups: pd.DataFrame) -> pd.DataFrame:
    """One arc per dimension, category and KPI line: equal angle per KPI line, in the official order."""
    lines = kpi_scores.reset_index(drop=True)
    step = 2 * math.pi / len(lines)
    lines = lines.assign(start=lines.index * step, end=(lines.index + 1) * step)
    arcs = [
        pd.DataFrame(
            {
                "ring": "kpi",
                "name": lines["name"],
                "start": lines["start"],
                "end": lines["end"],
                "band": _kpi_band(lines),
                "detail": _kpi_detail(lines),
            }
        )
    ]
    for level, keys in (("dimension", ["dimension"]), ("category", ["dimension", "sub_dimension", "category"])):
        span = lines.groupby(keys, sort=False).agg(start=("start", "min"), end=("end", "max")).reset_index()
        roll = rollups[rollups["level"] == level][keys + ["percent", "band", "points", "max_points"]]
        span = span.merge(roll, on=keys, how="left")
        arcs.append(
            pd.DataFrame(
                {
                    "ring": level,
                    "name": span[level],
                    "start": span["start"],
                    "end": span["end"],
                    "band": span["band"].fillna("").replace("", NOT_SCORED),
                    "detail": [
                        f"{p:.1f}% ({int(a)}/{int(b)} points)" if b and b > 0 else "nothing scored"
                        for p, a, b in zip(span["percent"], span["points"], span["max_points"])
                    ],
                }
            )
        )
    out = pd.concat(arcs, ignore_index=True)
    out["r0"] = out["ring"].map(lambda r: RINGS[r][0])
    out["r1"] = out["ring"].map(lambda r: RINGS[r][1])
    return out


def _kpi_band(lines: pd.DataFrame) -> pd.Series:
    """Band colour key; a reported value without a target is set apart from a missing one."""
    unscored = lines["band"] == ""
    reported = lines["status"].isin(["reported", "not_verified"]) & lines["value"].notna()
    return lines["band"].mask(unscored & reported, NO_TARGET).mask(unscored & ~reported, NOT_SCORED)


def _kpi_detail(lines: pd.DataFrame) -> list[str]:
    out = []
    for v, u, a, note in zip(lines["value"], lines["unit"], lines["attainment"], lines["note"]):
        if pd.isna(v):
            out.append(note or "no value")
        elif pd.notna(a) and math.isfinite(a):
            out.append(f"{v:g} {u}: {a:.0f}% of target")
        else:
            out.append(f"{v:g} {u}" + (f" ({note})" if note else ""))
    return out


def wheel_chart(kpi_scores: pd.DataFrame, rollups: pd.DataFrame, title: str = "") -> alt.Chart:
    """The benchmarking wheel: dimensions inside, categories, then every KPI and data point outside."""
    data = wheel_data(kpi_scores, rollups)
    base = alt.Chart(data)
    arcs = base.mark_arc(stroke="white", strokeWidth=0.6).encode(
        theta=alt.Theta("start:Q", scale=None),
        theta2="end",
        radius=alt.Radius("r0:Q", scale=None),
        radius2="r1",
        color=alt.Color(
            "band:N", scale=_colour_scale(), legend=alt.Legend(title="Benchmark", orient="bottom", columns=3)
        ),
        tooltip=["ring:N", "name:N", "band:N", "detail:N"],
    )
    dims = data[data["ring"] == "dimension"].assign(mid=lambda d: (d["start"] + d["end"]) / 2, r=67)
    labels = (
        alt.Chart(dims)
        .mark_text(fontSize=11, fontWeight="bold")
        .encode(theta=alt.Theta("mid:Q", scale=None), radius=alt.Radius("r:Q", scale=None), text="name:N")
    )
    return (arcs + labels).properties(width=520, height=520, title=title).configure_view(stroke=None)


def compare_chart(rollups: pd.DataFrame, level: str = "dimension", title: str = "") -> alt.Chart:
    """Roll-up score (% of the maximum points) per city, side by side for each dimension or category."""
    data = rollups[(rollups["level"] == level) & rollups["percent"].notna()].copy()
    data["band"] = data["band"].replace("", NOT_SCORED)
    return (
        alt.Chart(data)
        .mark_bar()
        .encode(
            y=alt.Y("city:N", title=None),
            x=alt.X("percent:Q", title="score (% of maximum points)", scale=alt.Scale(domain=[0, 100])),
            color=alt.Color("band:N", scale=_colour_scale(), legend=alt.Legend(title="Band", orient="bottom")),
            row=alt.Row("name:N", title=None, header=alt.Header(labelAngle=0, labelAlign="left")),
            tooltip=["city:N", "name:N", alt.Tooltip("percent:Q", format=".1f"), "points:Q", "max_points:Q", "band:N"],
        )
        .properties(width=360, title=title)
    )
