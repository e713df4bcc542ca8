"""Files for analysts: ``observations.parquet`` (every observation the site shows, one file, written
by DuckDB) with its Frictionless descriptor ``datapackage.json`` at the site root, and
``LANG/datapackage.json`` describing the indicator CSVs of each language (Tabular Data Package:
path, title, schema fields with their types).
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
from functools import partial
from typing import Iterator

from ..site import Site, SiteFile, producer, slug
from .data import indicator_file
from .tables import dump

PARQUET = "observations.parquet"
# the columns of observations.parquet (store/catalog.export_observations), as Table Schema fields
PARQUET_FIELDS = [
    ("dataset", "string", "the source collection the row comes from (sdgtrack datasets list)"),
    ("series", "string", "series code (UN series, or a national code such as GB:3.2.2:...)"),
    ("indicators", "array", "SDG indicators the series serves"),
    ("area", "string", "area code: M49 without leading zeros, or a custom code"),
    ("area_name", "string", "area name"),
    ("period", "string", "the period as given (2021, 2021/22, 2000 Q1)"),
    ("year", "integer", "start year of the period"),
    ("dims", "string", "disaggregations: Name=value pairs sorted by name, joined by |; blank for none"),
    ("unit", "string", "unit of measure"),
    ("value", "number", "the value"),
    ("value_text", "string", "the value as written when it is not a plain number (<2.5)"),
    ("is_headline", "boolean", "every disaggregation is a total"),
    ("nature", "string", "UN nature code"),
    ("obs_status", "string", "observation status"),
    ("source", "string", "source"),
    ("footnote", "string", "footnote"),
]


def observations_parquet(site: Site) -> bytes:
    # DuckDB writes Parquet to a file: write it to a temporary one, hand back its bytes
    handle, path = tempfile.mkstemp(suffix=".parquet")
    os.close(handle)
    try:
        site.workspace.export_observations(path, site.options.datasets, site.published_areas())
        with open(path, "rb") as stream:
            return stream.read()
    finally:
        os.unlink(path)


def _licences(site: Site) -> list[dict]:
    datasets = site.datasets()
    used = sorted({d for code in site.indicators() for _, d in site.indicator_sources(code)})
    return [
        {"name": d, "title": str(datasets.loc[d, "licence"])}
        for d in used
        if d in datasets.index and isinstance(datasets.loc[d, "licence"], str)
    ]


def root_package(site: Site) -> dict:
    return {
        "profile": "data-package",
        "name": "sdg-observations",
        "title": site.title(),
        "description": "Every observation of the site, all disaggregations, one dataset per series and area.",
        "licenses": _licences(site),
        "resources": [
            {
                "name": "observations",
                "path": PARQUET,
                "format": "parquet",
                "mediatype": "application/vnd.apache.parquet",
                "schema": {"fields": [{"name": n, "type": t, "description": d} for n, t, d in PARQUET_FIELDS]},
            }
        ],
    }


def _fields(header: list[str]) -> list[dict]:
    kinds = {"Value": "number"}
    return [{"name": name, "type": kinds.get(name, "string")} for name in header]


def language_package(site: Site, lang: str) -> dict:
    titles = site.titles(lang)
    resources = []
    for code in site.indicators():
        data = site.content(indicator_file(site, lang, "data", "csv", code))
        header = next(csv.reader(io.StringIO(data[: data.find(b"\n")].decode("utf-8"))), [])
        resources.append(
            {
                "name": f"indicator-{slug(code)}",
                "path": f"data/{slug(code)}.csv",
                "title": f"{code} {titles.get(code, ('', None))[0]}".strip(),
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "profile": "tabular-data-resource",
                "schema": {"fields": _fields(header)},
            }
        )
    return {
        "profile": "tabular-data-package",
        "name": f"sdg-indicators-{lang.lower()}",
        "title": site.title(),
        "licenses": _licences(site),
        "resources": resources,
    }


def _render_language(site: Site, lang: str) -> bytes:
    return dump(language_package(site, lang))


@producer
def analyst_files(site: Site) -> Iterator[SiteFile]:
    yield SiteFile(PARQUET, lambda: observations_parquet(site), site.key("parquet", site.store_key()))
    yield SiteFile("datapackage.json", lambda: dump(root_package(site)), site.key("datapackage", site.indicators_key()))
    for lang in site.options.langs:
        yield SiteFile(
            f"{lang}/datapackage.json",
            partial(_render_language, site, lang),
            site.key("datapackage", lang, site.indicators_key()),
        )
