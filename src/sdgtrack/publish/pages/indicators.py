"""One page per indicator and language, with its data file and no-script chart.

The page carries what reads without script (headline figure, progress with the method's numbers,
a table of the headline series, sources, comparison, downloads); the script (assets/site.js) adds
the selectors, the interactive chart, the table of any selection and the map from
``assets/indicators/<code>.json``.
"""

from __future__ import annotations

import hashlib
import json
import math
from functools import partial

import numpy as np
import pandas as pd

from ...metadata_fields import label as field_label
from .. import code_labels
from ..metadata import render_text
from ..site import Site, SiteFile, producer
from . import analyses, boundaries, indicator_data
from .common import (
    UNSTATS_METADATA,
    Strings,
    column_digits,
    goal_colours,
    indicator_key,
    json_block,
    page_key,
    render,
    site_facts,
    slug,
    titles,
)
from .framework import headline_figures


def _indicators(site: Site) -> list[tuple[str, str, str]]:
    """(indicator, target, goal) of every current indicator, in reading order."""
    facts = site_facts(site)
    out: list[tuple[str, str, str]] = []
    for goal, *_ in facts["goals"]:
        for target in facts["children"].get(goal, []):
            out.extend((i, target, goal) for i in facts["children"].get(target, []))
    return out


def _series_rows(site: Site) -> dict[str, list[dict]]:
    """Indicator -> its rows of ``series_facts`` (series, dataset, description, counts, years), grouped
    once per site: a page filtering the whole table for its indicator cost more than rendering it."""

    def make():
        out: dict[str, list[dict]] = {}
        for row in site_facts(site)["series"].to_dict("records"):
            out.setdefault(row["indicator"], []).append(row)
        return out

    return site.memo("pages.series_rows", make)  # type: ignore[return-value]


def _series_info(site: Site, code: str) -> dict[str, dict]:
    def make():
        titles_by_dataset = {d["id"]: d["title"] for d in site_facts(site)["datasets"]}
        # a series two datasets hold (the UN's and Rwanda's SN_ITK_DEFC) is named with the preferred
        # one, the one the reads pick: the same every build, whatever order the rows came in
        rank = {d["id"]: d.get("preference", 0) for d in site_facts(site)["datasets"]}
        rows = sorted(_series_rows(site).get(code, []), key=lambda r: (rank.get(r["dataset"], len(rank)), r["dataset"]))
        out: dict[str, dict] = {}
        for r in rows:
            out.setdefault(
                r["series"],
                {
                    "description": r["description"],
                    "dataset": r["dataset"],
                    "datasetTitle": titles_by_dataset.get(r["dataset"], r["dataset"]),
                },
            )
        return out

    return site.memo(f"pages.series_info.{code}", make)  # type: ignore[return-value]


def _targets(site: Site, series: list[str]) -> dict[str, dict]:
    """Series -> the target of the kept assessment for the site's area (value, year, direction)."""
    kept = site_facts(site)["assessment"]
    out = {}
    for s in series:
        row = (kept or {}).get("series", {}).get(s)
        if row is not None and row.get("target") is not None and not _nan(row.get("target")):
            out[s] = {
                "value": float(row["target"]),
                "year": int(row["target_year"]) if not _nan(row.get("target_year")) else 2030,
                "area": row["area"],
                "direction": row.get("direction"),
            }
    return out


def _settings(site: Site, lang: str) -> dict[str, dict]:
    """Indicator -> the display settings of its national metadata in ``lang`` (``store/display.py``),
    read once per build and language for every indicator with metadata."""

    def make():
        codes = [c for c, level, _, _ in site.nodes() if level == "indicator" and site.has_metadata(c)]
        return site.workspace.display_settings(codes, site.options.datasets, lang=lang) if codes else {}

    return site.memo(f"pages.settings.{lang}", make)  # type: ignore[return-value]


def _dataset_settings(site: Site, lang: str, dataset: str) -> dict[str, dict]:
    """Indicator -> the display settings one dataset gives it, read once per build, language and dataset."""

    def make():
        codes = [c for c, level, _, _ in site.nodes() if level == "indicator" and site.has_metadata(c)]
        return site.workspace.display_settings(codes, [dataset], lang=lang) if codes else {}

    return site.memo(f"pages.settings.{lang}.{dataset}", make)  # type: ignore[return-value]


def _page_settings(site: Site, code: str, lang: str, shown: dict | None) -> dict | None:
    """The settings a page follows (its notice, footer, map switch, chart): those of the dataset whose
    series it shows, else of another dataset with series on the page. The store's preferred dataset
    is not enough: on a UK site of a store that also holds Rwanda's repository, the UK's 3.2.1 showed
    Rwanda's organisation and coverage under its chart. A page with no series (metadata only) takes
    the indicator's first settings in the order of preference."""
    on_page = _datasets_on_page(site, code, shown)
    for dataset in on_page:
        found = _dataset_settings(site, lang, dataset).get(code)
        if found:
            return found
    return None if on_page else _settings(site, lang).get(code)


def _datasets_on_page(site: Site, code: str, shown: dict | None) -> list[str]:
    """The datasets with series on the page: the shown series' first, then the others'."""
    info = _series_info(site, code)
    on_page = [info[shown["series"]]["dataset"]] if shown and shown.get("series") in info else []
    return list(dict.fromkeys(on_page + [v["dataset"] for v in info.values()]))


def _chart_settings_key(site: Site, code: str) -> str:
    """Fingerprint of the settings the SVG chart draws (not the metadata's texts: a revised footnote
    rewrites the pages, not the chart)."""
    found = _settings(site, site.options.langs[0]).get(code) or {}
    drawn = {k: v for k, v in found.items() if k in PAGE_SETTINGS}
    return hashlib.sha256(json.dumps(drawn, sort_keys=True, default=str).encode()).hexdigest()[:16]


def _series_names(site: Site, code: str, series: str | None) -> list[str]:
    """The names a setting may give a series by: its code and its description (the source's label)."""
    if series is None:
        return []
    description = _series_info(site, code).get(series, {}).get("description")
    return [series] + ([description] if description else [])


def _chart_settings(site: Site, code: str, lang: str, shown: dict | None) -> dict:
    """What the settings say for the chart and table of the shown series (no-script page and SVG):
    the chart type, lines, breaks, axis limits and decimals; none when the shown series is not of
    the dataset that set them."""
    settings = _page_settings(site, code, lang, shown)
    out: dict = {"type": "line", "lines": [], "breaks": [], "limits": (None, None), "decimals": None, "title": None}
    if not settings or shown is None or shown.get("series") is None:
        return out
    if _series_info(site, code).get(shown["series"], {}).get("dataset") != settings["dataset"]:
        return out
    names, unit = _series_names(site, code, shown["series"]), shown.get("unit")
    unit = unit if isinstance(unit, str) else None
    return site.workspace.chart_settings(settings, names, unit)


def _break_years(site: Site, code: str, shown: dict, positions: list[float]) -> list[float | None]:
    """Series breaks at the years they fall on. Open SDG counts a break's position in the chart's
    periods (0 the first): the source's Year values of the series and unit, rows with a blank value
    included, which the store does not keep. Where the series has one period a year, its years run
    from first to last without gaps (the UK writes blank rows for the missing years, and each of its
    breaks falls on the year it names that way); else its distinct periods. A position between two
    periods (8.5) falls between their years; one past the last period is None."""
    frame = indicator_data.observations(site, code)
    unit = shown.get("unit")
    keep = (frame["series"].to_numpy(dtype=object) == shown["series"]) & (
        frame["unit"].to_numpy(dtype=object) == unit if isinstance(unit, str) else True
    )
    periods = frame.loc[keep, ["year", "period"]].drop_duplicates("period")
    years = np.sort(periods["year"].to_numpy(dtype=float))
    if len(years) and len(np.unique(years)) == len(years):
        years = np.arange(years[0], years[-1] + 1)
    spots = np.asarray(positions, dtype=float)
    at = np.interp(spots, np.arange(len(years)), years) if len(years) else np.full(len(spots), np.nan)
    return [None if not len(years) or p > len(years) - 1 else float(y) for p, y in zip(positions, at)]


def _nan(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


@producer
def indicator_pages(site: Site):
    facts = site_facts(site)
    with_data = facts["indicators_with_data"]
    for code, target, goal in _indicators(site):
        key = indicator_key(site, code)
        name = slug(code)
        if code in with_data:
            yield SiteFile(
                f"assets/indicators/{name}.json",
                partial(_data_file, site, code),
                page_key(site, "data", code, key),
                about=code,
            )
            for lang in site.options.langs:  # the description, unit and yes/no in the page's language
                yield SiteFile(
                    chart_path(site, lang, name),
                    partial(_svg, site, code, lang),
                    page_key(
                        site,
                        "svg",
                        lang,
                        code,
                        key,
                        _chart_settings_key(site, code),
                        site.workspace.display_settings_key(),
                    ),
                    about=code,
                )
        # the page lists its target's other indicators, with or without data
        related = [indicator_key(site, i) for i in facts["children"].get(target, []) if i != code]
        related.append(analyses.links_key(site))  # its strongest interlinkages (kept links)
        for lang in site.options.langs:
            path = f"{lang}/indicators/{name}/index.html"
            yield SiteFile(
                path,
                partial(_page, site, lang, path, code, target, goal),
                page_key(site, path, key, site.metadata_key(code), site.workspace.display_settings_key(), *related),
                about=code,
            )


def _data_file(site: Site, code: str) -> bytes:
    info = _series_info(site, code)
    return indicator_data.indicator_json(site, code, info, _targets(site, list(info)))


def _shown(site: Site, code: str) -> dict | None:
    """The series the page shows without script (the SVG chart and the static table): the headline
    figure's series in the site's area; else, for an indicator with data elsewhere only, the headline
    rows of its first series in the World, or in the area with most of them."""
    key = f"pages.shown.{code}"
    if key in site.cache:
        return site.cache[key]  # type: ignore[return-value]
    frame = indicator_data.observations(site, code)
    is_headline = frame["is_headline"].to_numpy(dtype=bool)
    figure = headline_figures(site).get(code)
    shown = None
    if figure:
        area = site_facts(site)["area"]
        unit = figure["unit"]
        # masks over whole columns (pandas' per-step frame copies cost more than the page); a missing
        # unit matches no row, as pandas compares it
        keep = (
            is_headline
            & (frame["series"].to_numpy(dtype=object) == figure["series"])
            & (frame["area"].to_numpy(dtype=object) == area)
            & (frame["unit"].to_numpy(dtype=object) == unit if isinstance(unit, str) else False)
        )
        rows = frame.iloc[np.flatnonzero(keep)]
        shown = {"series": figure["series"], "area": area, "unit": unit, "rows": rows}
    elif is_headline.any():
        headline = frame.iloc[np.flatnonzero(is_headline)]
        series = headline["series"].iloc[0]
        rows = headline[headline["series"] == series]
        area = "1" if (rows["area"] == "1").any() else rows["area"].value_counts().index[0]
        rows = rows[rows["area"] == area]
        unit = rows["unit"].mode().iloc[0] if rows["unit"].notna().any() else None
        rows = rows[rows["unit"] == unit] if unit is not None else rows
        shown = {"series": series, "area": area, "unit": unit, "rows": rows}
    if shown is not None:
        rows = shown["rows"]
        periods, _ = pd.factorize(rows["period"].to_numpy(dtype=object), sort=True)
        shown["rows"] = rows.iloc[np.lexsort((periods, rows["year"].to_numpy()))]  # by year, then period
        shown["area_name"] = shown["rows"]["area_name"].iloc[0] if len(shown["rows"]) else shown["area"]
        shown["description"] = _series_info(site, code).get(shown["series"], {}).get("description") or shown["series"]
    site.cache[key] = shown
    return shown


def chart_path(site: Site, lang: str, name: str) -> str:
    """Where an indicator's no-script chart in ``lang`` is: ``assets/charts/3-2-1.svg`` for the
    site's first language (the path older links know), else in the language's folder
    (``fr/charts/3-2-1.svg``: a language removed from the site takes its charts with it)."""
    return f"assets/charts/{name}.svg" if lang == site.options.langs[0] else f"{lang}/charts/{name}.svg"


def _svg(site: Site, code: str, lang: str) -> bytes:
    shown = _shown(site, code)
    if shown is None:  # data, but no headline rows: an empty chart with the indicator's title
        shown = {"rows": pd.DataFrame(columns=["year", "value"]), "description": code, "unit": None, "series": None}
    target = _targets(site, [shown["series"]]).get(shown["series"]) if shown["series"] else None
    if target and target.get("area") != shown.get("area"):
        target = None
    chart = _chart_settings(site, code, lang, shown)
    title = f"{chart['title'] or shown['description']} · {shown.get('area_name', '')}".strip(" ·")
    unit = code_labels.label_in(lang, shown["unit"], code_labels.UNIT)  # the axis title: the unit's name
    t = Strings(lang)
    breaks = _break_years(site, code, shown, [b["position"] for b in chart["breaks"]]) if chart["breaks"] else []
    return indicator_data.fallback_svg(
        shown["rows"],
        title,
        unit,
        target,
        kind=chart["type"],
        lines=[(item["value"], item["label"]) for item in chart["lines"]],
        breaks=[(year, item["label"]) for year, item in zip(breaks, chart["breaks"]) if year is not None],
        limits=chart["limits"],
        decimals=chart["decimals"],
        binary_labels=(t("chart_yes"), t("chart_no")),
        words=t,
    )


def _page(site: Site, lang: str, path: str, code: str, target: str, goal: str) -> bytes:
    facts = site_facts(site)
    names = titles(site, lang)
    t = Strings(lang)
    info = _series_info(site, code)
    figure = headline_figures(site).get(code)
    kept = facts["assessment"] or {}
    progress = [
        dict(r, description=info.get(s, {}).get("description") or s)
        for s, r in kept.get("series", {}).items()
        if s in info
    ]
    indicator_status = figure.get("status") if figure else None  # the status of the series the figure shows
    shown = _shown(site, code)
    siblings = [
        {"code": i, "title": names[i], "has_data": i in facts["indicators_with_data"]}
        for i in facts["children"].get(target, [])
        if i != code
    ]
    strings = {
        k: t(k)
        for k in (
            "chart",
            "table",
            "map",
            "series",
            "unit",
            "area",
            "total",
            "year",
            "value",
            "obs_status",
            "target_line",
            "source",
            "footnotes",
            "map_none",
            "map_year",
            "yes",
            "no",
            "series_break",
        )
    }
    strings["rows"] = t.forms("rows_shown", n="{n}")  # type: ignore[assignment]
    regions = boundaries.region_codes(site, code)
    settings = _page_settings(site, code, lang, shown)
    chart = _chart_settings(site, code, lang, shown)
    context = dict(
        # data_show_map: false speaks for its dataset's series: another dataset's (UN countries) keep the map
        show_map=settings is None
        or settings["show_map"]
        or any(v["dataset"] != settings["dataset"] for v in info.values()),
        notice=_notice(settings),
        footer=_footer(settings, lang),
        decimals=chart["decimals"]
        if chart["decimals"] is not None or shown is None
        else column_digits(shown["rows"]["value"].tolist()),
        binary=chart["type"] == "binary",
        regions_map=bool(regions),
        code=code,
        title=names[code],
        target={"code": target, "title": names[target]},
        goal={"code": goal, "title": names[goal], "colour": goal_colours()[goal]},
        figure=figure,
        figure_series=info.get(figure["series"], {}) if figure else {},
        progress=progress,
        indicator_status=indicator_status,
        shown=None
        if shown is None
        else {
            **shown,
            "rows": site.memo(
                f"pages.shown_records.{code}.{lang}",  # names in the page's language
                lambda: _records(_display_rows(shown["rows"], lang)),
            ),
        },
        sources=_sources(site, code),
        comparison=_comparison(site, code),
        related=siblings,
        linked=analyses.linked_indicators(site, code, lang),
        has_data=code in facts["indicators_with_data"],
        # no headline figure although the area has values: all of them are breakdowns (UK 1.4.2)
        area_has_data=figure is None and bool((indicator_data.observations(site, code)["area"] == facts["area"]).any()),
        slug=slug(code),
        chart_src=chart_path(site, lang, slug(code)),
        metadata_url=UNSTATS_METADATA.format(goal=goal, target=target),
        national=_national(site, lang, code, _datasets_on_page(site, code, shown)),
        page_data=json_block(
            {
                "strings": strings,
                "indicator": code,
                "area": facts["area"],
                "headlineSeries": figure["series"] if figure else None,
                # sub-national areas of the indicator drawn from the boundary file (assets/boundaries.geojson)
                "regions": regions,
                # names of units, series and disaggregations in the page's language: the datasets' own
                # translations (as their data files), then the glossaries (publish/data/words_LANG.csv)
                "words": _page_words(site, code, lang) if code in facts["indicators_with_data"] else {},
                # the repository's chart settings (store/display.py): the script applies them to the
                # selection shown, for the series of the dataset that set them
                "settings": None if settings is None else {k: settings[k] for k in PAGE_SETTINGS},
            }
        ),
    )
    return render(site, "indicator.html", lang, path, **context)


PAGE_SETTINGS = (
    "dataset",
    "graph_type",
    "graph_types",
    "start_values",
    "lines",
    "breaks",
    "limits",
    "precision",
    "graph_title",
    "graph_titles",
)


def _notice(settings: dict | None) -> dict | None:
    """The data notice above the chart (``data_notice_*``), its texts as safe HTML."""
    notice = settings and settings["notice"]
    if not notice:
        return None
    kind = notice["class"] if notice["class"] in ("success", "warning", "danger") else "warning"
    return {
        "heading": render_text(notice["heading"]) if notice["heading"] else None,
        "text": render_text(notice["text"]),
        "class": kind,
    }


def _footer(settings: dict | None, lang: str) -> list[dict]:
    """The repository's texts under the chart (source organisations, geographical area, footnote,
    copyright, its own footer fields) with their labels in the page's language (the organisations
    under "Organisation": the footer's "Source" names the dataset) and the values as safe HTML;
    an item limited to a series or unit carries them for the script to show it with that selection."""
    out = []
    for item in settings["footer"] if settings else []:
        field = item["field"]
        name = item["label"] if field == "footer_fields" else field_label(field, lang)
        out.append(
            {"label": name, "html": render_text(item["value"]), "series": item.get("series"), "unit": item.get("unit")}
        )
    return out


def _display_rows(rows: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The rows of the page's static table with units and statuses by name, in the page's language
    where the glossary has them (the data files keep codes)."""
    out = {}
    for column, concept in (("unit", code_labels.UNIT), ("obs_status", code_labels.STATUS)):
        named = code_labels.label_column(rows[column], concept)
        words = code_labels.translated(lang, named.dropna().unique().tolist())
        out[column] = named.map(words).where(named.isin(list(words)), named) if words else named
    # a value written as a plain number has no text: None, not NaN (a template reads NaN as text)
    out["value_text"] = rows["value_text"].astype(object).where(rows["value_text"].notna(), None)
    return rows.assign(**out)


def _page_words(site: Site, code: str, lang: str) -> dict[str, str]:
    """The translations the page script shows for this indicator's names (see code_labels.page_words),
    the words of the datasets' own translations first (the words of their data files)."""
    from ..outputs.tables import translators

    found = translators(site, lang)
    if not code_labels.has_words(lang) and not found:
        return {}
    frame = indicator_data.observations(site, code)
    # the distinct Name=value pairs, not the distinct combinations (UN indicators have thousands)
    pairs = set("|".join(frame["dims"].dropna().unique().tolist()).split("|")) - {""}
    dims = [indicator_data.parse_dims(pair) for pair in pairs]
    units = [u for u in pd.unique(frame["unit"].to_numpy()) if isinstance(u, str)]
    statuses = [o for o in pd.unique(frame["obs_status"].to_numpy()) if isinstance(o, str)]
    words = code_labels.page_words(lang, units, statuses, dims) if code_labels.has_words(lang) else {}
    info = _series_info(site, code)
    for dataset in [d for d in found if (frame["dataset"] == d).any()]:
        mine = frame[frame["dataset"] == dataset]
        translator = found[dataset]
        texts: list[tuple[object, str]] = [(u, "Units") for u in pd.unique(mine["unit"].to_numpy())]
        texts += [(v, k) for d in dims for k, v in d.items()]
        texts += [(info.get(s, {}).get("description"), "Series") for s in pd.unique(mine["series"].to_numpy())]
        own = {t: translator.text(t, (column, "data")) for t, column in texts if isinstance(t, str)}
        own.update({k: translator.name(k) for d in dims for k in d})
        words.update({t: w for t, w in own.items() if w != t})
    return words


# -- national metadata (the Open SDG meta files the store keeps) ------------------------------------
def _national(site: Site, lang: str, code: str, on_page: list[str]) -> list[dict]:
    """The National metadata tab: per dataset with metadata for ``code``, its title and fields
    grouped, as safe HTML (``publish/metadata.py``). The datasets of the page's series come first,
    the shown series' first, as the page's settings do (``_page_settings``); then the others, most
    preferred first. (On a UK site of a store that also holds Rwanda's repository, the UK's 3.2.1
    opened on Rwanda's metadata, the store's preferred national dataset.)"""
    from ..metadata import national_view
    from ..outputs.meta import national_frame

    t = Strings(lang)

    def words(field: str, value: str) -> str | None:  # reporting status codes in the page's language
        key = f"reporting.{str(value).strip().lower()}"
        return t(key) if field == "reporting_status" and key in t.table else None

    titles_by_dataset = {d["id"]: d["title"] for d in site_facts(site)["datasets"]}
    views = national_view(national_frame(site, lang, code), words)
    rank = {dataset: n for n, dataset in enumerate(on_page)}
    views = sorted(views, key=lambda v: rank.get(v["dataset"], len(rank)))  # stable: preference kept after
    return [dict(v, title=titles_by_dataset.get(v["dataset"], v["dataset"])) for v in views]


def _records(frame: pd.DataFrame) -> list[dict]:
    """``frame.to_dict("records")`` from whole-column lists (pandas boxes value by value)."""
    names = list(frame.columns)
    return [dict(zip(names, values)) for values in zip(*(frame[c].tolist() for c in names))]


def _sources(site: Site, code: str) -> list[dict]:
    facts = site_facts(site)
    rows = _series_rows(site).get(code, [])
    out = []
    for dataset in facts["datasets"]:
        mine = [r for r in rows if r["dataset"] == dataset["id"]]
        if not mine:
            continue
        out.append(
            {
                "id": dataset["id"],
                "title": dataset["title"],
                "publisher": _text(dataset.get("publisher")),
                "licence": _text(dataset.get("licence")),
                "kind": dataset.get("kind"),
                "observations": int(sum(r["n"] for r in mine)),
                "first": int(min(r["first"] for r in mine)),
                "last": int(max(r["last"] for r in mine)),
                "series": [(r["series"], r["description"]) for r in mine],
            }
        )
    return out


def _comparison_digits(rows: pd.DataFrame) -> dict[str, int | None]:
    """Decimals of each column of a comparison table: one per column (not "6" beside "6.50"), and
    the difference with as many as the more precise of the two values (6.30 - 6.19 is 0.11, not
    the 0.110 a small number would get on its own)."""
    own, other = column_digits(rows["value"].tolist()), column_digits(rows["other_value"].tolist())
    given = [d for d in (own, other) if d is not None]
    return {"value": own, "other_value": other, "difference": max(given) if given else None}


def _text(value) -> str | None:
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else str(value)


def _comparison(site: Site, code: str) -> dict | None:
    """The site's area's headline values of alike series in two datasets (the same series, or one
    mapped to the other by a series crosswalk, units naming the same measure: ``Workspace.compare(..., alike=True)``),
    one table per pair with its headers in words; None when no two datasets hold alike series there."""
    key = f"pages.compare.{code}"
    if key in site.cache:
        return site.cache[key]  # type: ignore[return-value]
    area = site_facts(site)["area"]
    result = None
    frame = indicator_data.observations(site, code)
    # the picked rows already show whether two datasets hold the indicator here (their series differ)
    if area and frame.loc[(frame["area"] == area) & frame["is_headline"], "dataset"].nunique() >= 2:
        long = site.workspace.compare(
            code, areas=[area], datasets=list(site.options.datasets) if site.options.datasets else None, alike=True
        )
        pairs = []
        for _, rows in long.groupby(["dataset", "series", "other_dataset", "other_series"], sort=False):
            first = rows.iloc[0]
            pairs.append(
                {
                    "own": _side(first["dataset_title"], first["description"], first["series"], first["unit"]),
                    "other": _side(
                        first["other_dataset_title"],
                        first["other_description"],
                        first["other_series"],
                        first["other_unit"],
                    ),
                    "rows": _records(rows[["year", "value", "other_value", "difference"]].sort_values("year")),
                    "digits": _comparison_digits(rows),
                }
            )
        if pairs:
            result = {"pairs": pairs, "area_name": site_facts(site)["area_name"]}
    site.cache[key] = result
    return result


def _side(dataset_title, description, series, unit) -> dict:
    """A compared series in words: its dataset's title, its description (its code where it has none), its unit's name."""
    return {
        "dataset": dataset_title if isinstance(dataset_title, str) else "",
        "series": description if isinstance(description, str) and description else series,
        "unit": code_labels.label(unit, code_labels.UNIT) if isinstance(unit, str) and unit else None,
    }
