"""Files for analysts: ``observations.parquet`` (every observation the site shows, one file, written
by DuckDB) with its Frictionless descriptor ``datapackage.json`` at the site root, and
``LANG/datapackage.json`` describing the indicator CSVs of each language (Tabular Data Package:
path, title, schema fields with their types).

Per indicator, as sdg-build publishes them: ``LANG/data-packages/3-2-2/data.csv`` (the indicator's
CSV; the same key as ``data/3-2-2.csv``, so the build stores it once, as a hard link) with its
``datapackage.json`` (one tabular resource: ``Year`` an integer when every period is a plain year,
``Value`` a number, the rest text; the breakdowns, ``Series`` and ``Units`` list their values as an
``enum`` with ``""`` for the total), and ``LANG/data-packages/all.json`` gathering every indicator's
resource.
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
from functools import partial
from typing import Iterator

import numpy as np
import pandas as pd

from ..site import Site, SiteFile, producer, slug
from .data import EMPTY_CSV, indicator_file, with_data, without_data
from .edges import NOT_DISAGGREGATIONS
from .tables import Table, dump, open_sdg_table, translated_table, translation_key, translators

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
    (
        "unit_measure",
        "string",
        "the unit of measure as the source wrote it (Open SDG `Unit measure`, SDMX UNIT_MEASURE)",
    ),
    (
        "unit_multiplier",
        "string",
        "the unit multiplier as the source wrote it (`Unit multiplier`: Units, Thousands ...)",
    ),
    ("geocode", "string", "the source's GeoCode (a sub-national code such as E12000001), as written"),
    (
        "source_dims",
        "string",
        "the disaggregations as the source wrote them, where `dims` differs (a total written as text)",
    ),
    (
        "attributes",
        "string",
        "every other column of the source row as written (Observation status, Units, Series "
        "...): Name=value pairs sorted by name, joined by |",
    ),
    ("variant", "integer", "0; 1, 2 ... for the rows of a key the source gives two or more values, in source order"),
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


def _indicator_fields(source: Table, table: Table, translator=None) -> list[dict]:
    """The columns of ``table`` (``source`` in the site's language: same columns, same order) as
    Table Schema fields: names and listed values as the CSV beside the package has them. Titles as
    sdg-build's package of a language has them: the source's name through the language's
    ``translator`` (``data.<name>`` first), so ``Year`` is titled ``Année`` in French."""
    fields = []
    for name, (label, values) in zip(source.columns, table.columns.items()):
        field: dict = {"name": label, "type": "string"}
        if name == "Value":
            field["type"] = "number"
        elif name == "Year":
            text = values.astype(str)
            if not len(text):  # no row: sdg-build's type of an empty column
                field["type"] = "number"
            elif np.char.str_len(text).max() == 4 and np.char.isdigit(text).all():
                field["type"] = "integer"
        elif name in ("Series", "Units") or name not in NOT_DISAGGREGATIONS:
            present = pd.unique(values[pd.notna(values)])
            field["constraints"] = {"enum": [str(v) for v in present if v != ""] + [""]}
        field["title"] = name if translator is None else translator.text(name, ("data", name))
        fields.append(field)
    return fields


def _title(site: Site, lang: str, code: str) -> str:
    """The indicator's title in ``lang``; an archived indicator's, its name when archived."""
    if code in site.archived():
        titles = site.memo(
            "_archived_titles", lambda: dict(zip(site.archived_table()["indicator"], site.archived_table()["title"]))
        )
        title = titles.get(code)  # type: ignore[union-attr]
        return title if isinstance(title, str) else ""
    return site.titles(lang).get(code, ("", None))[0]


def _resource_head(site: Site, code: str, path: str, name: str, lang: str) -> dict:
    return {
        "path": path,
        "name": name,
        "title": _title(site, lang, code),
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
    }


def _resource(site: Site, code: str, path: str, name: str, lang: str) -> dict:
    found = translators(site, lang)
    datasets = set(site.rows(code)["dataset"].tolist()) if found else set()
    translator = next((t for d, t in found.items() if d in datasets), None)
    return {
        **_resource_head(site, code, path, name, lang),
        "schema": {
            "fields": _indicator_fields(open_sdg_table(site, code), translated_table(site, code, lang), translator)
        },
    }


def indicator_package(site: Site, lang: str, code: str) -> dict:
    return {
        "profile": "tabular-data-package",
        "name": slug(code),
        "title": _title(site, lang, code),
        "licenses": [item for item in _licences(site) if item["name"] in {d for _, d in site.indicator_sources(code)}],
        "resources": [_resource(site, code, "data.csv", "data", lang)],
    }


def empty_package(site: Site, lang: str, code: str) -> dict:
    """The package of an indicator without data: its header-only CSV (``Year,Value``)."""
    fields = [{"name": n, "type": "number", "title": n} for n in ("Year", "Value")]
    resource = {**_resource_head(site, code, "data.csv", "data", lang), "schema": {"fields": fields}}
    return {
        "profile": "tabular-data-package",
        "name": slug(code),
        "title": _title(site, lang, code),
        "licenses": [],
        "resources": [resource],
    }


def all_packages(site: Site, lang: str) -> dict:
    return {
        "profile": "tabular-data-package",
        "name": "all",
        "title": "All indicators",
        "licenses": _licences(site),
        "resources": [_resource(site, c, f"{slug(c)}/data.csv", slug(c), lang) for c in site.indicators()],
    }


@producer
def indicator_packages(site: Site) -> Iterator[SiteFile]:
    for lang in site.options.langs:
        for code in with_data(site):
            data = indicator_file(site, lang, "data", "csv", code)
            folder = f"{lang}/data-packages/{slug(code)}"
            yield SiteFile(f"{folder}/data.csv", data.render, data.key, about=code)
            yield SiteFile(
                f"{folder}/datapackage.json",
                partial(lambda lang, code: dump(indicator_package(site, lang, code)), lang, code),
                site.key("data-packages", lang, site.indicator_key(code), translation_key(site, lang)),
                about=code,
            )
        for code in without_data(site):
            folder = f"{lang}/data-packages/{slug(code)}"
            yield SiteFile(f"{folder}/data.csv", partial(bytes, EMPTY_CSV), site.key("empty", "data", "csv"))
            yield SiteFile(
                f"{folder}/datapackage.json",
                partial(lambda lang, code: dump(empty_package(site, lang, code)), lang, code),
                site.key("data-packages/empty", lang, code),
                about=code,
            )
        yield SiteFile(
            f"{lang}/data-packages/all.json",
            partial(lambda lang: dump(all_packages(site, lang)), lang),
            site.key("data-packages/all", lang, site.indicators_key(), translation_key(site, lang)),
        )
