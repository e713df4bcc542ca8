"""The display settings of an indicator, as its Open SDG repository set them in its metadata.

Open SDG reads some metadata fields as instructions for the indicator page rather than as text:
the chart type, whether the map tab shows, the selection a page opens on, lines drawn in the chart
(targets, annotations, series breaks), the y axis limits, the decimals of values, the chart title
and the fields under the chart. The store keeps every field as the repository wrote it
(``indicator_metadata``, ``store/metadata.py``); this module reads those fields once, checks them
and gives them a fixed shape, so the site's pages (``publish/pages/indicators.py``), the headline
rule and the CLI all read the same settings through one function.

An indicator's settings come from one dataset: the most preferred dataset (the site's order, else
the store's) holding metadata for it. They apply to that dataset's series only (a Canadian target
line is not drawn over a UN series). Items limited to a series or unit (``series:``, ``unit:``) name
them as the repository's data does: the series by its label, the unit by its text; the matching
rules are Open SDG's (``match``).

A setting the page cannot use (a target line without a number, an unknown chart type) is left out
and reported in ``problems`` with the indicator, field, value and what was expected: the page
still builds, and ``tools/settings_inventory.py`` lists every such problem of a repository.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any, Callable, Iterable, Iterator, Sequence

import duckdb
import pandas as pd

from . import metadata

GRAPH_TYPES = ("line", "bar", "binary")
# the fields this module reads: the site's support table (docs/site.md) lists the others
FIELDS = (
    "graph_type",
    "graph_types",
    "data_show_map",
    "data_start_values",
    "graph_target_lines",
    "graph_annotations",
    "graph_series_breaks",
    "graph_limits",
    "precision",
    "graph_title",
    "graph_titles",
    "data_footnote",
    "copyright",
    "national_geographical_coverage",
    "computation_units",
    "footer_fields",
    "data_notice_heading",
    "data_notice_text",
    "data_notice_class",
)
# an untranslated key left in a label (``proxy.3-6-1-target-annotation``): the store keeps what the
# file says, and a label inside a list is not resolved at ingest; the page then uses its own words
_KEY = re.compile(r"^[A-Za-z][\w-]*\.[\w-]+$")
_SOURCE = re.compile(r"^source_organisation_(\d+)$")


def display_settings(
    con: duckdb.DuckDBPyConnection, codes: Sequence[str], datasets: Sequence[str] | None = None, lang: str = "en"
) -> dict[str, dict]:
    """Indicator -> its display settings (below), for the indicators ``codes`` with metadata in
    ``datasets`` (every dataset by default), texts in ``lang`` where the repository has them. An
    indicator without metadata is absent.

    Settings: ``dataset``; ``graph_type`` (line, bar or binary); ``graph_types``, ``graph_titles``,
    ``precision`` and ``limits`` (lists of items, each with optional ``series`` and ``unit``);
    ``show_map`` (bool); ``start_values`` ([{field, value, series}]); ``lines`` (target lines and
    horizontal annotations: [{value, label, kind, series, unit}]); ``breaks`` (series breaks and
    vertical annotations: [{position, label, kind, series, unit}], the position in the chart's years
    counted from 0 as Open SDG places them); ``graph_title``; ``footer`` ([{field, label, value}]:
    the repository's footer texts); ``notice`` ({heading, text, class} or None); ``problems``
    (the settings left out: field, value and what was expected)."""
    out: dict[str, dict] = {}
    # the first dataset of each indicator in the read's order (preference): one dataset's settings
    for code, settings in _settings_per_dataset(con, codes, datasets, lang):
        out.setdefault(code, settings)
    return out


def _settings_per_dataset(
    con: duckdb.DuckDBPyConnection, codes: Sequence[str], datasets: Sequence[str] | None, lang: str
) -> Iterator[tuple[str, dict]]:
    """(indicator, settings) of every dataset with metadata for it, in the order of preference:
    the one reading of the fields that both the pages and the headline rule use."""
    frame = metadata.indicator_metadata(con, codes, datasets, lang)
    if frame.empty:
        return
    frame = frame[frame["field"].isin(FIELDS) | frame["field"].str.match(r"^source_(organisation|active)_\d+$")]
    for (code, dataset), part in frame.groupby(["indicator", "dataset"], sort=False):
        fields = {
            f: _decode(v, s) for f, v, s in zip(part["field"].tolist(), part["value"], part["structured"].tolist())
        }
        settings, problems = parse_settings(fields)
        yield str(code), {"dataset": dataset, **settings, "problems": problems}


START_COLUMNS = ["dataset", "indicator", "field", "value", "series", "position"]


def start_values(
    con: duckdb.DuckDBPyConnection, datasets: Sequence[str] | None = None, codes: Sequence[str] | None = None
) -> pd.DataFrame:
    """The selection each repository opens an indicator's chart on (``data_start_values``), as the
    page reads it (``display_settings``: the same parse and checks, in the repository's first
    language): one row per dataset, indicator and (field, value) pair, in the file's order, for
    every dataset with metadata for the indicator (the headline rule matches its candidates' own
    dataset). ``codes``: these indicators only (default: every one with start values)."""
    if codes is None:
        codes = metadata.indicators_with_field(con, "data_start_values", datasets)
    rows = [
        (settings["dataset"], code, item["field"], item["value"], item["series"], position)
        for code, settings in _settings_per_dataset(con, codes, datasets, "en")
        for position, item in enumerate(settings["start_values"])
    ]
    return pd.DataFrame(rows, columns=START_COLUMNS)


def _decode(value: str, structured: bool) -> object:
    if not structured:
        return value
    try:
        return json.loads(value)
    except ValueError:  # the ingest writes JSON; a hand-edited store may not
        return value


def parse_settings(fields: dict[str, Any]) -> tuple[dict, list[str]]:
    """The display settings of one indicator from its metadata fields ({field: value}, lists and
    switches decoded), and the problems of values left out."""
    problems: list[str] = []

    def bad(field: str, value: object, expected: str) -> None:
        problems.append(f"{field}: {json.dumps(value, ensure_ascii=False, default=str)[:120]} (expected {expected})")

    graph_type = _text(fields.get("graph_type")) or "line"
    if graph_type.lower() not in GRAPH_TYPES:
        bad("graph_type", graph_type, "one of " + ", ".join(GRAPH_TYPES))
        graph_type = "line"
    graph_types = []
    for item in _items(fields, "graph_types", bad):
        kind = _text(item.get("type"))
        if kind and kind.lower() in GRAPH_TYPES:
            graph_types.append({**_scope(item), "type": kind.lower()})
        else:
            bad("graph_types", item, "a type of " + ", ".join(GRAPH_TYPES))
    show_map = _switch(fields.get("data_show_map"))
    if show_map is None and fields.get("data_show_map") is not None:
        bad("data_show_map", fields["data_show_map"], "true or false")

    starts = []
    for item in _items(fields, "data_start_values", bad):
        field, start = _text(item.get("field")), _text(item.get("value"))
        if field and start:
            starts.append({"field": field, "value": start, "series": _text(item.get("series"))})
        else:
            bad("data_start_values", item, "a field and a value")

    lines: list[dict] = []
    breaks: list[dict] = []
    for item in _items(fields, "graph_target_lines", bad):
        at = _number(item.get("value"))
        if at is None:
            bad("graph_target_lines", item, "a number as value")
            continue
        lines.append({**_scope(item), "value": at, "label": _label(item.get("label_content")), "kind": "target"})
    for item in _items(fields, "graph_series_breaks", bad):
        position = _number(item.get("value"))
        if position is None or position < 0:
            bad("graph_series_breaks", item, "a position in the chart's years (0 the first year) as value")
            continue
        breaks.append(
            {**_scope(item), "position": position, "label": _label(item.get("label_content")), "kind": "break"}
        )
    for item in _items(fields, "graph_annotations", bad):
        at = _number(item.get("value"))
        label = item.get("label")
        text = _label(label.get("content") if isinstance(label, dict) else label)
        mode = _text(item.get("mode")) or "horizontal"
        if item.get("preset") == "target_line":
            mode = "horizontal"
        if at is None or mode not in ("horizontal", "vertical"):
            bad("graph_annotations", item, "a number as value and a horizontal or vertical mode")
            continue
        kind = "target" if item.get("preset") == "target_line" else "annotation"
        if mode == "horizontal":
            lines.append({**_scope(item), "value": at, "label": text, "kind": kind})
        elif at >= 0:
            breaks.append({**_scope(item), "position": at, "label": text, "kind": kind})
        else:
            bad("graph_annotations", item, "a position in the chart's years (0 the first year) as value")

    limits = []
    for item in _items(fields, "graph_limits", bad):
        low, high = _number(item.get("minimum")), _number(item.get("maximum"))
        if (low is None and high is None) or (low is not None and high is not None and low >= high):
            bad("graph_limits", item, "a minimum, a maximum or both, the minimum below the maximum")
            continue
        limits.append({**_scope(item), "minimum": low, "maximum": high})
    precision = []
    for item in _items(fields, "precision", bad):
        decimals = _number(item.get("decimals"))
        if decimals is None or decimals != int(decimals) or not 0 <= decimals <= 10:
            bad("precision", item, "decimals as a whole number from 0 to 10")
            continue
        precision.append({**_scope(item), "decimals": int(decimals)})
    titles = []
    for item in _items(fields, "graph_titles", bad):
        title = _label(item.get("title"))
        if title:
            titles.append({**_scope(item), "title": title})
        else:
            bad("graph_titles", item, "a title")

    notice = None
    if _text(fields.get("data_notice_text")):
        notice = {
            "heading": _text(fields.get("data_notice_heading")),
            "text": _text(fields.get("data_notice_text")),
            "class": (_text(fields.get("data_notice_class")) or "").lower() or None,
        }
    return {
        "graph_type": graph_type.lower(),
        "graph_types": graph_types,
        "show_map": True if show_map is None else show_map,
        "start_values": starts,
        "lines": lines,
        "breaks": breaks,
        "limits": limits,
        "precision": precision,
        "graph_title": _label(fields.get("graph_title")),
        "graph_titles": titles,
        "footer": _footer(fields, bad),
        "notice": notice,
    }, problems


def _footer(fields: dict, bad: Callable[[str, object, str], None]) -> list[dict]:
    """The footer texts in Open SDG's order: sources, geographical area, footnote, copyright,
    then the repository's own ``footer_fields`` (label and value, optionally for a series or unit)."""
    out = []
    organisations: list[str] = []
    for field in sorted((f for f in fields if _SOURCE.match(f)), key=lambda f: int(_SOURCE.match(f).group(1))):  # type: ignore[union-attr]
        number = _SOURCE.match(field).group(1)  # type: ignore[union-attr]
        name = _text(fields[field])
        if _switch(fields.get(f"source_active_{number}")) is not False and name:
            organisations.append(name)
    if organisations:
        out.append({"field": "source_organisation", "label": None, "value": "; ".join(dict.fromkeys(organisations))})
    # computation_units is left to the data: every row has its unit, which the footer shows
    for field in ("national_geographical_coverage", "data_footnote", "copyright"):
        text = _label(fields.get(field))
        if text:
            out.append({"field": field, "label": None, "value": text})
    for item in _items(fields, "footer_fields", bad):
        label, value = _label(item.get("label")), _text(item.get("value"))
        if label and value:
            out.append({"field": "footer_fields", "label": label, "value": value, **_scope(item)})
        else:
            bad("footer_fields", item, "a label and a value")
    return out


def _items(fields: dict, name: str, bad: Callable[[str, object, str], None]) -> Iterable[dict]:
    """The items of a list setting; a value that is no list of mappings is one problem."""
    value = fields.get(name)
    if value is None or value == "" or value == []:
        return []
    if not isinstance(value, list):
        bad(name, value, "a list of items")
        return []
    good = [v for v in value if isinstance(v, dict)]
    for v in value:
        if not isinstance(v, dict):
            bad(name, v, "an item with named settings")
    return good


def _scope(item: dict) -> dict:
    return {"series": _text(item.get("series")), "unit": _text(item.get("unit"))}


def _text(value: object) -> str | None:
    if value is None or isinstance(value, (dict, list)):
        return None
    text = str(value).strip()
    return text or None


def _label(value: object) -> str | None:
    text = _text(value)
    return None if text is None or _KEY.match(text) else text


def _number(value: object) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        number = float(str(value).strip())
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def _switch(value: object) -> bool | None:
    if isinstance(value, bool):
        return value
    text = _text(value)
    return {"true": True, "yes": True, "false": False, "no": False}.get(text.lower()) if text else None


# -- matching a chart's selection (Open SDG's rule) ------------------------------------------------
def _same(a: str | None, b: str | None) -> bool:
    return a is not None and b is not None and a.strip().casefold() == b.strip().casefold()


def applies(item: dict, series: Sequence[str], unit: str | None) -> bool:
    """Whether an item limited to a series and/or unit applies to a chart of one of the names
    ``series`` (a series' label, code ...) in ``unit``: an item without a limit applies to all."""
    return (item.get("series") is None or any(_same(item["series"], s) for s in series)) and (
        item.get("unit") is None or _same(item["unit"], unit)
    )


def match(items: Sequence[dict], series: Sequence[str], unit: str | None) -> dict | None:
    """The one item of a single-choice setting (title, type, precision) for a chart: the most
    specific that applies (series and unit, then series, then unit, then neither), the first of equals."""
    ranked = [
        (-(item.get("series") is not None) * 2 - (item.get("unit") is not None), i)
        for i, item in enumerate(items)
        if applies(item, series, unit)
    ]
    return items[min(ranked)[1]] if ranked else None


def limits_for(items: Sequence[dict], series: Sequence[str], unit: str | None) -> tuple[float | None, float | None]:
    """(minimum, maximum) of the y axis: each bound from the most specific item giving it. Canada
    writes ``[{minimum: 0}, {maximum: 80}]``, two items meant together."""
    low = match([i for i in items if i.get("minimum") is not None], series, unit)
    high = match([i for i in items if i.get("maximum") is not None], series, unit)
    return (low["minimum"] if low else None, high["maximum"] if high else None)
