"""One page per indicator and language, with its data file and no-script chart.

The page carries what reads without script (headline figure, progress with the method's numbers,
a table of the headline series, sources, comparison, downloads); the script (assets/site.js) adds
the selectors, the interactive chart, the table of any selection and the map from
``assets/indicators/<code>.json``.
"""

from __future__ import annotations

import math
from functools import partial

import numpy as np
import pandas as pd

from .. import code_labels
from ..site import Site, SiteFile, producer
from . import analyses, boundaries, indicator_data
from .common import (
    UNSTATS_METADATA,
    Strings,
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
            yield SiteFile(
                f"assets/charts/{name}.svg", partial(_svg, site, code), page_key(site, "svg", code, key), about=code
            )
        # the page lists its target's other indicators, with or without data
        related = [indicator_key(site, i) for i in facts["children"].get(target, []) if i != code]
        related.append(analyses.links_key(site))  # its strongest interlinkages (kept links)
        for lang in site.options.langs:
            path = f"{lang}/indicators/{name}/index.html"
            yield SiteFile(
                path,
                partial(_page, site, lang, path, code, target, goal),
                page_key(site, path, key, site.metadata_key(code), *related),
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


def _svg(site: Site, code: str) -> bytes:
    shown = _shown(site, code)
    if shown is None:  # data, but no headline rows: an empty chart with the indicator's title
        shown = {"rows": pd.DataFrame(columns=["year", "value"]), "description": code, "unit": None, "series": None}
    target = _targets(site, [shown["series"]]).get(shown["series"]) if shown["series"] else None
    if target and target.get("area") != shown.get("area"):
        target = None
    title = f"{shown['description']} · {shown.get('area_name', '')}".strip(" ·")
    unit = code_labels.label(shown["unit"], code_labels.UNIT)  # the axis title: the unit's name
    return indicator_data.fallback_svg(shown["rows"], title, unit, target)


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
        )
    }
    strings["rows"] = t("rows_shown", n="{n}")
    regions = boundaries.region_codes(site, code)
    context = dict(
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
        slug=slug(code),
        metadata_url=UNSTATS_METADATA.format(goal=goal, target=target),
        national=_national(site, lang, code),
        page_data=json_block(
            {
                "strings": strings,
                "indicator": code,
                "area": facts["area"],
                "headlineSeries": figure["series"] if figure else None,
                # sub-national areas of the indicator drawn from the boundary file (assets/boundaries.geojson)
                "regions": regions,
                # names of units and disaggregations in the page's language (publish/data/words_LANG.csv)
                "words": _page_words(site, code, lang) if code in facts["indicators_with_data"] else {},
            }
        ),
    )
    return render(site, "indicator.html", lang, path, **context)


def _display_rows(rows: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The rows of the page's static table with units and statuses by name, in the page's language
    where the glossary has them (the data files keep codes)."""
    out = {}
    for column, concept in (("unit", code_labels.UNIT), ("obs_status", code_labels.STATUS)):
        named = code_labels.label_column(rows[column], concept)
        words = code_labels.translated(lang, named.dropna().unique().tolist())
        out[column] = named.map(words).where(named.isin(list(words)), named) if words else named
    return rows.assign(**out)


def _page_words(site: Site, code: str, lang: str) -> dict[str, str]:
    """The translations the page script shows for this indicator's names (see code_labels.page_words)."""
    if not code_labels.has_words(lang):
        return {}
    frame = indicator_data.observations(site, code)
    # the distinct Name=value pairs, not the distinct combinations (UN indicators have thousands)
    pairs = set("|".join(frame["dims"].dropna().unique().tolist()).split("|")) - {""}
    dims = [indicator_data.parse_dims(pair) for pair in pairs]
    units = [u for u in pd.unique(frame["unit"].to_numpy()) if isinstance(u, str)]
    statuses = [o for o in pd.unique(frame["obs_status"].to_numpy()) if isinstance(o, str)]
    return code_labels.page_words(lang, units, statuses, dims)


# -- national metadata (the Open SDG meta files the store keeps) ------------------------------------
def _national(site: Site, lang: str, code: str) -> list[dict]:
    """The National metadata tab: per dataset with metadata for ``code`` (most preferred first), its
    title and fields grouped, as safe HTML (``publish/metadata.py``)."""
    from ..metadata import national_view
    from ..outputs.meta import national_frame

    t = Strings(lang)

    def words(field: str, value: str) -> str | None:  # reporting status codes in the page's language
        key = f"reporting.{str(value).strip().lower()}"
        return t(key) if field == "reporting_status" and key in t.table else None

    titles_by_dataset = {d["id"]: d["title"] for d in site_facts(site)["datasets"]}
    views = national_view(national_frame(site, lang, code), words)
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


def _text(value) -> str | None:
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else str(value)


def _comparison(site: Site, code: str) -> dict | None:
    """The site's area's headline values of alike series in two datasets (the same series, or one
    mapped to the other by a series crosswalk, units naming the same measure: ``Workspace.comparison``),
    one table per pair with its headers in words; None when no two datasets hold alike series there."""
    key = f"pages.compare.{code}"
    if key in site.cache:
        return site.cache[key]  # type: ignore[return-value]
    area = site_facts(site)["area"]
    result = None
    frame = indicator_data.observations(site, code)
    # the picked rows already show whether two datasets hold the indicator here (their series differ)
    if area and frame.loc[(frame["area"] == area) & frame["is_headline"], "dataset"].nunique() >= 2:
        long = site.workspace.comparison(
            code, areas=[area], datasets=list(site.options.datasets) if site.options.datasets else None
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
