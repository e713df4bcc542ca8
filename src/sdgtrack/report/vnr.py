"""The VNR statistical annex: what it says, read once from the workspace as plain values.

:func:`build_annex` reads the area's headline values, the World's, the framework in the annex's
language, the datasets and a progress assessment (not kept), and returns an :class:`Annex`: one row
per SDG indicator of the current framework (``Annex.table``), the goals with their indicators with
and without data, each headline series' points for its trend chart, the progress chart and the
sources and methods. The writers (``html.py``, ``docx.py``, ``xlsx.py``) only lay it out.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Sequence

import numpy as np
import pandas as pd

from ..errors import UserInputError
from .words import Words, decimals_of

if TYPE_CHECKING:
    from ..workspace import Workspace

WORLD = "1"
# Dataset kinds as the store orders them (national first), each with its word in the annex.
KINDS = ("national", "subnational", "city", "other", "global")
TABLE_COLUMNS = [
    "goal",
    "target",
    "indicator",
    "title",
    "series",
    "description",
    "unit",
    "unit_label",
    "dataset",
    "dataset_title",
    "source_kind",
    "source_organisation",
    "baseline_year",
    "baseline_period",
    "baseline_value",
    "baseline_text",
    "baseline_n",
    "latest_year",
    "latest_period",
    "latest_value",
    "latest_text",
    "latest_n",
    "n_points",
    "decimals",
    "world_series",
    "world_year",
    "world_value",
    "world_text",
    "world_unit",
    "world_unit_label",
    "world_decimals",
    "status",
    "status_text",
    "method",
    "target_source",
    "other_series",
]


@dataclass
class Annex:
    """Everything the annex shows. ``table``: one row per indicator of the current framework
    (``TABLE_COLUMNS``; an indicator without data has no series). ``trends``: indicator -> (years,
    values) of its headline series. ``chart``: the progress chart's Vega-Lite spec, or None;
    ``chart_notes``: its title and summary lines, printed above it as text."""

    area: str
    area_name: str
    lang: str
    generated: str
    base_year: int
    method: dict[str, Any]
    goals: list[dict[str, Any]]
    table: pd.DataFrame
    trends: dict[str, tuple[np.ndarray, np.ndarray]]
    chart: dict | None
    chart_notes: list[str]
    datasets: list[dict[str, Any]]
    counts: dict[str, int]
    words: Words = field(repr=False)

    def method_lines(self) -> list[str]:
        """How the figures were chosen, one sentence each, in the annex's language."""
        from ..labels import describe_parameters

        t = self.words
        method = f"{self.method['title']} ({self.method['name']})"
        lines = [
            t("method_headline"),
            t("method_baseline", base_year=self.base_year),
            t("method_world"),
            t("method_progress", method=method, parameters=describe_parameters(self.method["parameters"]) or "-"),
        ]
        if self.method.get("global_directions"):
            lines.append(t("method_directions"))
        return lines + [t("method_titles")]

    def write(self, path) -> Any:
        """Write the annex to ``path`` (.html, .pdf, .docx or .xlsx); see :func:`write_annex`."""
        from .output import write_annex

        return write_annex(self, path)


def build_annex(
    ws: Workspace,
    area: str,
    *,
    datasets: Sequence[str] | None = None,
    lang: str = "en",
    method: str = "unsd",
    targets=None,
    base_year: int | None = None,
    global_directions: bool = True,
) -> Annex:
    """The annex of ``area`` (see the module's docstring). ``global_directions``: a series of the area
    without a target row is assessed with the desired direction of its indicator's global series
    (no numeric target: the method's no-target rule), so national series get a status too."""
    words = Words(lang)
    code = ws.resolve_area(area)
    area_name = ws.area_names([code]).get(code, code)
    listing = ws.datasets()
    if datasets:
        unknown = [d for d in datasets if d not in set(listing["id"])]
        if unknown:
            raise UserInputError(
                f"dataset {unknown[0]!r} is not in the store: expected one of {', '.join(listing['id'])}"
            )
    values = ws.headline_values(None, areas=[code], datasets=list(datasets) if datasets else None)
    if values.empty:
        where = f" in dataset(s) {', '.join(datasets)}" if datasets else ""
        raise UserInputError(
            f"area {area!r} ({area_name}, code {code}) has no headline values{where}: nothing to annex"
        )

    links = ws.series_indicator_links()[["series", "indicator"]]
    nodes = pd.DataFrame(ws.current_nodes("sdg"), columns=["code", "level", "parent", "title"])
    titles = ws.titles_in(lang)
    nodes["title"] = [titles.get(c, (t, None))[0] for c, t in zip(nodes["code"], nodes["title"])]
    indicators = nodes[nodes["level"] == "indicator"].rename(columns={"code": "indicator", "parent": "target"})
    indicators["goal"] = indicators["target"].str.split(".").str[0]

    kinds = dict(zip(listing["id"], listing["kind"]))
    base = int(base_year) if base_year is not None else 2015
    series = _headline_series(ws, code, datasets, values, links)
    per_series = _points(values, series, base)
    texts = _given_texts(ws, code, datasets, per_series)
    info = ws.series_info().set_index("code")
    progress = _progress(ws, code, method, targets, base_year, datasets, words, values, global_directions)
    world = _world(ws, links, series)

    table = indicators[["goal", "target", "indicator", "title"]].merge(series, on="indicator", how="left")
    table = table.merge(per_series, on="series", how="left").merge(texts, on="series", how="left")
    table = table.merge(world, on="indicator", how="left")
    table["description"] = table["series"].map(info["description"]).fillna("")
    table["unit"] = table["unit"].fillna(table["series"].map(info["unit"])).fillna("")
    # a unit code (SDMX, the UN's) named in the annex's language; a unit written in words stays so
    table["unit_label"] = _unit_labels(table["unit"], lang)
    table["world_unit_label"] = _unit_labels(table["world_unit"], lang)
    table["dataset_title"] = table["dataset"].map(dict(zip(listing["id"], listing["title"])))
    table["source_kind"] = table["dataset"].map(kinds)
    table["source_organisation"] = _organisations(ws, table, lang)
    status = table["series"].map(progress["status"]) if progress else pd.Series(None, index=table.index)
    has_data = table["series"].notna()
    table["status"] = status.where(has_data)
    table["status_text"] = [
        (words.status(s) if isinstance(s, str) else words("no_target")) if h else words("no_data")
        for s, h in zip(table["status"], has_data)
    ]
    table["target_source"] = table["series"].map(progress["target_source"]) if progress else None
    table["method"] = np.where(has_data, progress["name"] if progress else method, None)
    for col in ("baseline", "latest"):
        table[f"{col}_text"] = [
            _value_text(t, v, d, words) if h else ""
            for t, v, d, h in zip(table[f"{col}_given"], table[f"{col}_value"], table["decimals"], has_data)
        ]
    table["world_text"] = [
        words.number(v, decimals_of(float(v))) if v == v and v is not None else "" for v in table["world_value"]
    ]
    table["other_series"] = table["other_series"].fillna(0).astype(int)
    for col in ("baseline_year", "latest_year", "world_year", "n_points", "baseline_n", "latest_n"):
        table[col] = table[col].astype("Int64")  # years stay years where an indicator has none
    table = table[TABLE_COLUMNS].reset_index(drop=True)
    for col in table.columns:
        if not pd.api.types.is_numeric_dtype(table[col]):
            table[col] = table[col].map(clean_text)

    trends = {
        ind: points
        for ind, points in ((i, per_series_points(values, s)) for i, s in zip(series["indicator"], series["series"]))
    }
    goals = _goals(nodes, table, words)
    used = table.dropna(subset=["dataset"]).groupby("dataset")["series"].nunique()
    dataset_rows = [
        {
            "id": r["id"],
            "title": clean_text(r["title"] or r["id"]),
            "kind": r["kind"],
            "kind_text": words(f"source.{r['kind']}") if f"source.{r['kind']}" in words.table else r["kind"],
            "publisher": _text_or_none(r["publisher"]),
            "licence": _text_or_none(r["licence"]),
            "series": int(used.get(r["id"], 0)),
        }
        for r in listing.to_dict("records")
        if r["id"] in used.index or r["id"] in set(world["world_dataset"].dropna())
    ]
    counts = {
        "total": int(len(table)),
        "with_data": int(has_data.sum()),
        "assessed": int(table["status"].notna().sum() - table["status"].eq(progress["insufficient"]).sum())
        if progress
        else 0,
    }
    chart = progress["chart"] if progress else None
    chart_notes = [clean_text(n) for n in progress["chart_notes"]] if progress else []
    return Annex(
        area=code,
        area_name=clean_text(area_name),
        lang=lang,
        generated=dt.date.today().isoformat(),
        base_year=base,
        method={
            "name": progress["name"] if progress else method,
            "title": progress["title"] if progress else method,
            "parameters": progress["parameters"] if progress else {},
            "global_directions": global_directions,
        },
        goals=goals,
        table=table,
        trends=trends,
        chart=chart,
        chart_notes=chart_notes,
        datasets=dataset_rows,
        counts=counts,
        words=words,
    )


# Characters XML 1.0 cannot hold: a description or dataset title carrying one (a pasted vertical tab)
# would stop the Word and Excel writers half way.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def clean_text(value: Any) -> Any:
    return NOT_XML.sub("", value) if isinstance(value, str) else value


def _text_or_none(value: Any) -> str | None:
    return clean_text(value) if isinstance(value, str) and value.strip() else None


def _headline_series(ws, code: str, datasets, values: pd.DataFrame, links: pd.DataFrame) -> pd.DataFrame:
    """Per indicator, the series the annex shows: the headline-series rule of the site, the API and
    progress (``Workspace.headline_series``: 2030 target, the source's default selection, the title,
    then most observations), with how many other series the indicator has for the area."""
    chosen = ws.headline_series(areas=[code], datasets=list(datasets) if datasets else None)
    chosen = chosen[chosen["series"].isin(values["series"])][["indicator", "series", "dataset"]].copy()
    held = values[["series"]].drop_duplicates().merge(links, on="series")
    others = chosen["indicator"].map(held.groupby("indicator")["series"].nunique()).fillna(1).astype(int) - 1
    chosen["other_series"] = others.clip(lower=0)
    return chosen.reset_index(drop=True)


def _points(values: pd.DataFrame, series: pd.DataFrame, base: int) -> pd.DataFrame:
    """Per shown series: baseline (the first year >= ``base``, else the first year) and latest point,
    the unit, the number of points and the decimals the source wrote."""
    v = values[values["series"].isin(series["series"])].copy()
    v["decimals"] = [decimals_of(x) if n == 1 else -1 for x, n in zip(v["value"], v["n_values"])]
    grouped = v.groupby("series", sort=False)
    latest = v.loc[grouped["year"].idxmax()].set_index("series")
    after = v[v["year"] >= base]
    first = v.loc[grouped["year"].idxmin()].set_index("series")
    since = after.loc[after.groupby("series")["year"].idxmin()].set_index("series")
    baseline = since.combine_first(first)
    # a mean of several values is shown at the precision its series was written with
    decimals = grouped["decimals"].max().clip(lower=0)
    out = pd.DataFrame(
        {
            "baseline_year": baseline["year"].astype(int),
            "baseline_value": baseline["value"],
            "baseline_n": baseline["n_values"],
            "latest_year": latest["year"].astype(int),
            "latest_value": latest["value"],
            "latest_n": latest["n_values"],
            "unit": latest["unit"],
            "n_points": grouped.size(),
            "decimals": decimals,
            "values_dataset": latest["dataset"],
        }
    )
    return out.rename_axis("series").reset_index()


def _organisations(ws: Workspace, table: pd.DataFrame, lang: str) -> list[str | None]:
    """Per row, the organisations the dataset's national metadata names as the indicator's sources
    (Open SDG's ``source_organisation_N``), in order, as plain text; None where it names none."""
    shown = table.dropna(subset=["series"])
    if shown.empty:
        return [None] * len(table)
    meta = ws.indicator_metadata(sorted(set(shown["indicator"])), lang=lang)
    meta = meta[meta["field"].str.fullmatch(r"source_organisation_\d+") & meta["value"].notna()]
    if meta.empty:
        return [None] * len(table)
    meta = meta.assign(n=meta["field"].str.rsplit("_", n=1).str[1].astype(int), text=meta["value"].map(plain_text))
    meta = meta[meta["text"] != ""].sort_values(["dataset", "indicator", "n"])
    names = meta.groupby(["dataset", "indicator"])["text"].agg(lambda t: "; ".join(dict.fromkeys(t)))
    return [names.get((d, i)) for d, i in zip(table["dataset"], table["indicator"])]


def _unit_labels(units: pd.Series, lang: str) -> list:
    from ..publish.code_labels import label_in

    names = {u: label_in(lang, u, "UNIT_MEASURE") for u in units.dropna().unique() if isinstance(u, str) and u}
    return [names.get(u, u) if isinstance(u, str) else None for u in units]


def plain_text(value: str) -> str:
    """A metadata value (Markdown or HTML) as one line of text: ``[ONS](https://...)`` -> ``ONS``."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", str(value))
    text = re.sub(r"<[^>]*>", " ", text)
    return " ".join(html.unescape(text).split())


def per_series_points(values: pd.DataFrame, series: str) -> tuple[np.ndarray, np.ndarray]:
    rows = values[values["series"] == series]
    return rows["year"].to_numpy(dtype=float), rows["value"].to_numpy(dtype=float)


def _given_texts(ws: Workspace, code: str, datasets, points: pd.DataFrame) -> pd.DataFrame:
    """The period and value as the source wrote them (``2021/22``, ``<2.5``) where one row gave the
    baseline or latest point; a mean of several rows is marked as such by the writer."""
    rows = ws.observations(None, areas=[code], datasets=list(datasets) if datasets else None)
    rows = rows[rows["value"].notna() & rows["series"].isin(set(points["series"]))]
    rows = rows[rows.groupby(["series", "year"])["value"].transform("size") == 1]
    given = rows[["series", "year", "period", "value_text"]]
    out = points[["series"]].copy()
    for col in ("baseline", "latest"):
        keys = points[["series", f"{col}_year"]].rename(columns={f"{col}_year": "year"})
        found = keys.merge(given, on=["series", "year"], how="left")
        out[f"{col}_period"] = found["period"].fillna(keys["year"].astype(str)).to_numpy()
        out[f"{col}_given"] = [
            (t if isinstance(t, str) and t else None, int(n)) for t, n in zip(found["value_text"], points[f"{col}_n"])
        ]
    return out


def _value_text(given, value, decimals, words: Words) -> str:
    text, n = given if isinstance(given, tuple) else (None, 1)
    if text:
        return text
    # one value: the decimals it was written with; a mean: the series' precision
    places = decimals_of(float(value)) if n == 1 else (int(decimals) if decimals == decimals else 0)
    number = words.number(value, places)
    return f"{number} ({words('mean_of', n=n)})" if n > 1 else number


def _world(ws: Workspace, links: pd.DataFrame, series: pd.DataFrame) -> pd.DataFrame:
    """Per indicator shown, the World's latest headline value: of the same series, else of the
    indicator's first series with World data."""
    wanted = links[links["indicator"].isin(series["indicator"])]
    # every World value in one read, then the indicators' series (a code list would be resolved code by code)
    world = ws.headline_values(None, areas=[WORLD]) if len(wanted) else pd.DataFrame()
    world = world[world["series"].isin(set(wanted["series"]))] if len(world) else world
    columns = [
        "indicator",
        "world_series",
        "world_year",
        "world_value",
        "world_unit",
        "world_decimals",
        "world_dataset",
    ]
    if world.empty:
        return pd.DataFrame(columns=columns)
    world["decimals"] = [decimals_of(x) for x in world["value"]]
    dec = world.groupby("series")["decimals"].max()
    latest = world.loc[world.groupby("series")["year"].idxmax()].merge(links, on="series")
    shown = dict(zip(series["indicator"], series["series"]))
    latest["same"] = [0 if shown.get(i) == s else 1 for i, s in zip(latest["indicator"], latest["series"])]
    latest = latest.sort_values(["indicator", "same", "series"], kind="stable").drop_duplicates("indicator")
    return pd.DataFrame(
        {
            "indicator": latest["indicator"],
            "world_series": latest["series"],
            "world_year": latest["year"].astype(int),
            "world_value": latest["value"],
            "world_unit": latest["unit"],
            "world_decimals": latest["series"].map(dec),
            "world_dataset": latest["dataset"],
        }
    )


def _progress(
    ws: Workspace,
    code: str,
    method: str,
    targets,
    base_year,
    datasets,
    words: Words,
    values: pd.DataFrame,
    global_directions: bool,
) -> dict | None:
    """The area's assessment (not kept): each series' status and the progress chart's spec."""
    from ..registries import PROGRESS_METHODS

    m = PROGRESS_METHODS.get(method)
    user = ws.progress_targets(targets, directions_for=values["series"] if global_directions else None)
    params = {"base_year": base_year} if "base_year" in m.DEFAULTS else {}
    result = ws.assess(
        method,
        targets=user,
        areas=[code],
        datasets=list(datasets) if datasets else None,
        save=False,
        **params,
    )
    frame = result.table
    out: dict[str, Any] = {
        "name": m.NAME,
        "title": m.TITLE,
        "parameters": {k: v for k, v in result.parameters.items() if k != "level"},
        "insufficient": m.INSUFFICIENT,
        "status": {},
        "target_source": {},
        "chart": None,
        "chart_notes": [],
    }
    if frame.empty:
        return out
    status = frame["status"].where(~frame["target_met"].fillna(False).astype(bool) | (m.MET is not None), "target_met")
    out["status"] = dict(zip(frame["series"], status))
    out["target_source"] = dict(zip(frame["series"], frame["source"]))
    if (frame["status"] != m.INSUFFICIENT).any():
        chart = ws.kept_progress_chart(frame, ws.area_names([code]).get(code, code), words.chart_words())
        spec = chart.to_dict()
        # the chart's title and summary lines become the document's text: editable in Word, wrapped
        # by the page, and laid out right to left in Arabic (vl-convert draws two Arabic subtitle
        # lines over each other)
        title = spec.pop("title", None) or {}
        subtitle = title.get("subtitle") or []
        out["chart_notes"] = [title.get("text", "")] + ([subtitle] if isinstance(subtitle, str) else list(subtitle))
        out["chart"] = spec
    return out


def _goals(nodes: pd.DataFrame, table: pd.DataFrame, words: Words) -> list[dict[str, Any]]:
    from ..publish.pages.common import goal_colours

    colours = goal_colours()
    goals = []
    for g in nodes[nodes["level"] == "goal"].itertuples():
        rows = table[table["goal"] == g.code]
        with_data = rows[rows["series"].notna()]
        without = rows[rows["series"].isna()]
        goals.append(
            {
                "code": g.code,
                "title": g.title,
                "heading": words("goal_heading", n=g.code, title=g.title),
                "colour": colours.get(g.code, {"colour": "#444444", "text": "#ffffff"}),
                # None, not NaN, where a row has nothing: writers test the values as they come
                "indicators": with_data.astype(object).where(with_data.notna(), None).to_dict("records"),
                "without_data": without[["indicator", "title"]].to_dict("records"),
                "counts": words("goal_counts", with_data=len(with_data), total=len(rows)),
            }
        )
    return goals
