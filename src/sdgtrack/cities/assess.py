"""Score one city's stored KPI values against targets: the result every face shows."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..frameworks import u4ssc
from ..results import Result
from . import scoring, store
from .importer import dataset_id
from .targets import DEFAULT_LABEL, default_targets, load_targets

METHOD = "U4SSC benchmarking and scoring (points 1-4 by % of target; roll-up = points / (4 x KPIs scored))"
KPI_COLUMNS = [
    "key",
    "kpi",
    "data_point",
    "name",
    "dimension",
    "sub_dimension",
    "category",
    "type",
    "unit",
    "value",
    "status",
    "year",
    "target",
    "direction",
    "attainment",
    "points",
    "band",
    "note",
    "target_source",
    "source",
]


@dataclass
class CityScore:
    city: dict  # code, name, parent, parent_name
    kpis: pd.DataFrame  # one row per KPI or data point (all 112 lines, scored or not)
    rollups: pd.DataFrame  # category, sub-dimension and dimension scores
    method: dict = field(default_factory=dict)

    def describe(self) -> str:
        m = self.method
        return (
            f"{self.city['name']} ({self.city['code']}, {self.city['parent_name']}): {m['method']}; "
            f"targets: {m['targets']}; {m['scored']} of {m['lines']} KPIs and data points scored, "
            f"{m['reported']} reported, {m['not_verified']} not verified, {m['not_reported']} not reported, "
            f"{m['no_data']} without data; data years {m['data_window'] or 'none'}"
        )

    def to_result(self) -> Result:
        """The project's one result kind (``sdgtrack.results.Result``): tables kpis and rollups."""
        m = self.method
        return Result(
            analysis="cities",
            method=m["method"],
            parameters={"city": self.city["code"], "targets": m["targets"]},
            tables={"kpis": self.kpis, "rollups": self.rollups},
            data_window={"years": m["data_window"] or None},
            datasets={m["dataset"]: m["reported"] + m["not_verified"] + m["not_reported"]} if m["dataset"] else {},
            summary={k: m[k] for k in ("lines", "scored", "reported", "not_verified", "not_reported", "no_data")},
            description=self.describe(),
            notes=[f"lower is better: {m['lower_is_better']}", "targets: " + m["targets"]],
        )

    def to_json(self) -> str:
        return json.dumps(self.to_result().to_json(), ensure_ascii=False, indent=1)


def score_city(db, city: str, targets: str | Path | pd.DataFrame | None = None) -> CityScore:
    """Score ``city`` against ``targets`` (a CSV path, a checked table, or None for the defaults)."""
    area = store.city_area(db, city)
    if targets is None:
        table, label = default_targets(), DEFAULT_LABEL
    elif isinstance(targets, pd.DataFrame):
        table, label = targets, "targets given as a table"
    else:
        table, label = load_targets(targets), str(targets)
    lines = u4ssc.rows()
    values = store.city_values(db, area["code"])
    frame = lines.merge(values, on="key", how="left").merge(
        table.rename(columns={"direction": "target_direction", "source": "target_source"}), on="key", how="left"
    )
    frame["status"] = frame["status"].fillna("no_data")
    frame["direction"] = frame["target_direction"].fillna(frame["direction"]).replace({"mixed": "", None: ""})
    scored = (frame["status"] == "reported") & frame["value"].notna()
    pct = scoring.attainment(frame["value"].where(scored), frame["target"], frame["direction"])
    frame["attainment"] = pct
    frame["points"] = scoring.points(pct)
    frame["band"] = scoring.band(pct)
    frame["note"] = _notes(frame)
    rollups = scoring.roll_up(frame)
    years = sorted(values["year"].dropna().astype(int).unique().tolist()) if len(values) else []
    counts = frame["status"].value_counts()
    method = {
        "method": METHOD,
        "targets": label,
        "lines": len(frame),
        "scored": int(frame["points"].notna().sum()),
        "reported": int(counts.get("reported", 0)),
        "not_verified": int(counts.get("not_verified", 0)),
        "not_reported": int(counts.get("not_reported", 0)),
        "no_data": int(counts.get("no_data", 0)),
        "data_window": f"{years[0]}-{years[-1]}" if len(years) > 1 else (str(years[0]) if years else ""),
        "bands": {label_: f">= {lo:g}%" for label_, lo in zip(scoring.BANDS, (0,) + scoring.BAND_EDGES)},
        "lower_is_better": "attainment = target / value x 100 (ITU publishes no rule; see docs/methods/cities.md)",
        "dataset": dataset_id(area["code"]) if len(values) else None,
    }
    return CityScore(city=area, kpis=frame[KPI_COLUMNS], rollups=rollups, method=method)


def _notes(f: pd.DataFrame) -> pd.Series:
    """Why a line has no points, or how a special case was scored."""
    conditions = [
        f["status"] == "no_data",
        f["status"] == "not_reported",
        f["status"] == "not_verified",
        f["target"].isna(),
        f["direction"] == "",
        (f["direction"] == "down") & (f["value"] == 0),
    ]
    notes = [
        "no data",
        "not reported",
        "not verified: not scored",
        "no target (N/A)",
        "no direction: give one in the targets file",
        "value 0 where lower is better: target met",
    ]
    return pd.Series(np.select(conditions, notes, default=""), index=f.index)
