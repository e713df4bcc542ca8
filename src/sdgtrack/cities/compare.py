"""Comparison of cities: each KPI line's value and points side by side, and the roll-ups."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pandas as pd

from ..errors import UserInputError
from ..results import Result
from .assess import score_city

if TYPE_CHECKING:
    import altair as alt


@dataclass
class Comparison:
    cities: list[dict]
    table: pd.DataFrame  # wide: key, name, dimension, category, then '<city>' value and '<city> points'
    long: pd.DataFrame  # one row per (city, KPI line) with data
    rollups: pd.DataFrame  # roll-ups of every city, with a city column
    method: dict = field(default_factory=dict)

    def chart(self, level: str = "dimension", title: str = "") -> alt.Chart:
        """The roll-up scores of every city side by side, per dimension, sub-dimension or category."""
        from .charts import compare_chart

        return compare_chart(self.rollups, level, title=title)

    def describe(self) -> str:
        names = ", ".join(c["name"] for c in self.cities)
        return (
            f"{names}: {len(self.table)} KPIs and data points with data in at least one city; "
            f"targets: {self.method['targets']}"
        )

    def to_result(self) -> Result:
        """The project's one result kind: tables side_by_side, kpis (long) and rollups."""
        return Result(
            analysis="cities",
            method=self.method["method"],
            parameters={"cities": [c["code"] for c in self.cities], "targets": self.method["targets"]},
            tables={"side_by_side": self.table, "kpis": self.long, "rollups": self.rollups},
            data_window={"years": self.method.get("data_window")},
            datasets=self.method.get("datasets", {}),
            summary={"cities": len(self.cities), "lines with data": len(self.table)},
            description=self.describe(),
        )

    def to_json(self) -> str:
        return json.dumps(self.to_result().to_json(), ensure_ascii=False, indent=1)


def compare(db, cities: list[str], targets=None) -> Comparison:
    if len(cities) < 2:
        raise UserInputError("compare: expected two or more cities")
    scores = [score_city(db, c, targets) for c in cities]
    codes = [s.city["code"] for s in scores]
    if len(set(codes)) < len(codes):
        raise UserInputError(f"compare: a city is named twice ({', '.join(cities)})")
    long = pd.concat([s.kpis.assign(city=s.city["name"]) for s in scores], ignore_index=True)
    long = long[long["status"] != "no_data"]
    base = scores[0].kpis[["key", "name", "dimension", "category", "unit"]]
    table = base.copy()
    for s in scores:
        k = s.kpis.set_index("key")
        name = s.city["name"]
        table[name] = table["key"].map(k["value"])
        table[f"{name} points"] = table["key"].map(k["points"])
    has_data = table[[s.city["name"] for s in scores]].notna().any(axis=1)
    rollups = pd.concat([s.rollups.assign(city=s.city["name"]) for s in scores], ignore_index=True)
    method = dict(scores[0].method)
    windows = sorted({y for s in scores for y in s.method["data_window"].split("-") if y})
    datasets = {
        s.method["dataset"]: s.method["reported"] + s.method["not_verified"] + s.method["not_reported"]
        for s in scores
        if s.method["dataset"]
    }
    return Comparison(
        cities=[s.city for s in scores],
        table=table[has_data].reset_index(drop=True),
        long=long.reset_index(drop=True),
        rollups=rollups,
        method={
            "targets": method["targets"],
            "method": method["method"],
            "datasets": datasets,
            "data_window": "-".join(dict.fromkeys([windows[0], windows[-1]])) if windows else None,
        },
    )
