"""``LANG/meta/3-2-1.json`` (an indicator's metadata in the language) and ``LANG/meta/all.json``.

Field names follow the Open SDG metadata schema where one exists (``indicator_name``,
``target_id``, ``sdg_goal``, ``reporting_status``, ``graph_type``, ``computation_units``,
``source_organisation_1`` ...), so Open SDG consumers read them; the rest says what sdgtrack knows
and Open SDG does not (the series and datasets behind the figures, years, disaggregations).
Titles come from the shipped translations. The national metadata of an Open SDG repository the
store keeps (definitions, calculations, footnotes, sources ...; the most preferred dataset with
metadata for the indicator) is added under the repository's own keys, as sdg-build's meta JSON holds
them: text as safe HTML (``publish/metadata.py``), settings (lists, mappings) as JSON values; its
numbered ``source_*`` fields replace sdgtrack's (none when it names no source); keys sdgtrack
derives (codes, titles, series, datasets, years, links to the data) are never replaced, but its
``indicator_number`` is the repository's (Canada's ``8.10.1.a``), as sdg-build publishes it. ``national_metadata``
names the dataset and language the text came from.

Like sdg-build, a meta file is written for every indicator of the framework the site has data for
*or* national metadata for (the UK's text-only indicators, those it has not started): without data
its ``reporting_status`` defaults to ``notstarted`` (``complete`` when its metadata says it is not
statistical) and its ``data`` links are null; the repository's
own ``reporting_status``, ``graph_title`` and ``indicator_sort_order`` win over these defaults.
"""

from __future__ import annotations

import json
from functools import partial
from typing import TYPE_CHECKING, Iterator

if TYPE_CHECKING:
    import pandas as pd

from ..metadata import code_fingerprint
from ..site import Site, SiteFile, producer, slug
from .tables import dump, series_labels


def sort_order(code: str) -> str:
    """``3.b.1`` -> ``03-0b-01``: indicator codes in list order as text (sdg-build's convention)."""
    return "-".join(part.rjust(2, "0") for part in code.split("."))


def _clean(value):
    return None if value is None or value != value else value  # NaN -> None


def meta_codes(site: Site) -> list[str]:
    """Indicators with a meta file: the framework's indicators with data or with national metadata in
    the datasets the site shows, in the order of the official list."""

    def make():
        with_data = set(site.indicators())
        return [
            code
            for code, level, _, _ in site.nodes()
            if level == "indicator" and (code in with_data or site.has_metadata(code))
        ]

    return site.memo("_meta_codes", make)  # type: ignore[return-value]


def default_status(site: Site, lang: str, code: str) -> str:
    """An indicator's reporting status where its metadata gives none: ``complete`` with data on the
    site or when its metadata says it is not statistical (a text-only indicator), else ``notstarted``."""
    if code in site.memo("_with_data", lambda: set(site.indicators())):  # type: ignore[operator]
        return "complete"
    return "complete" if national_fields(site, lang, code).get("data_non_statistical") is True else "notstarted"


def archived_meta(site: Site, lang: str, code: str) -> dict:
    """An archived indicator's meta (``archived-1-a-1``): its repository's fields, as sdg-build
    publishes them, with its former number and name, the archive type and tier the repository's list
    gives, and ``archived: true``. Its goal and target numbers are its id, as sdg-build writes them
    (Open SDG then shows it on no goal page); the current target of its number names the target."""
    entry = site.archived_table().set_index("indicator").loc[code]
    number = str(entry["number"] or "")
    target = ".".join(number.split(".")[:2])
    has_data = code in site.archived_with_data()
    labels = series_labels(site)
    info = site.memo("_series_info", lambda: site.workspace.series_info().set_index("code"))
    title = _clean(entry["title"]) or ""
    meta = {
        "indicator": code,
        "indicator_number": number or code,
        "slug": slug(code),
        "language": lang,
        "archived": True,
        "archive_type": _clean(entry["archive_type"]),
        "un_designated_tier": _clean(entry["tier"]),
        "goal_number": code,
        "target_number": code,
        "target_name": site.titles(lang).get(target, ("", None))[0],
        "indicator_name": title,
        "graph_title": title,
        "indicator_sort_order": code,
        "reporting_status": "notstarted",
        "data_non_statistical": False,
        "graph_type": "line",
        "standalone": True,
        "series": _series_entries(site.indicator_sources(code), labels, info),
        "data": _data_paths(code) if has_data else None,
    }
    return _with_national(site, lang, code, meta)


def indicator_meta(site: Site, lang: str, code: str) -> dict:
    if code in site.archived():
        return archived_meta(site, lang, code)
    titles = site.titles(lang)
    has_data = code in site.memo("_with_data", lambda: set(site.indicators()))  # type: ignore[operator]
    goal, target = code.split(".")[0], ".".join(code.split(".")[:2])
    labels = series_labels(site)
    info = site.memo("_series_info", lambda: site.workspace.series_info().set_index("code"))
    sources = site.indicator_sources(code)
    coverage = site.coverage()
    row = coverage.loc[code].to_dict() if code in coverage.index else None
    datasets = site.datasets()
    used = list(dict.fromkeys(dataset for _, dataset in sources))
    units = sorted({str(info.loc[s, "unit"]) for s, _ in sources if s in info.index and _clean(info.loc[s, "unit"])})
    meta = {
        "indicator": code,
        "indicator_number": code,
        "slug": slug(code),
        "language": lang,
        "sdg_goal": goal,
        "target_id": target,
        "goal_number": goal,
        "target_number": target,
        "goal_name": titles.get(goal, ("", None))[0],
        "target_name": titles.get(target, ("", None))[0],
        "indicator_name": titles.get(code, ("", None))[0],
        "graph_title": titles.get(code, ("", None))[0],
        "indicator_sort_order": sort_order(code),
        "reporting_status": default_status(site, lang, code),
        "data_non_statistical": not has_data,
        "graph_type": "line",
        "computation_units": units[0] if len(units) == 1 else units,
        "series": _series_entries(sources, labels, info),
        "datasets": [
            {"id": d, **{k: _clean(datasets.loc[d, k]) for k in ("title", "publisher", "kind", "licence")}}
            for d in used
            if d in datasets.index
        ],
        "observations": int(row["rows"]) if row is not None else 0,
        "areas": int(row["areas"]) if row is not None else 0,
        "years": [int(row["first"]), int(row["last"])] if row is not None else None,
        "disaggregations": list(row["dims"]) if row is not None else [],
        "data": _data_paths(code) if has_data else None,
    }
    for n, d in enumerate(used, 1):  # Open SDG's numbered source fields
        if d in datasets.index:
            meta[f"source_organisation_{n}"] = _clean(datasets.loc[d, "publisher"]) or _clean(datasets.loc[d, "title"])
            meta[f"source_title_{n}"] = _clean(datasets.loc[d, "title"])
    return _with_national(site, lang, code, meta)


# what sdgtrack derives itself and a repository's metadata never replaces
DERIVED = frozenset(
    {"indicator", "slug", "language", "sdg_goal", "target_id", "goal_number", "target_number",
     "goal_name", "target_name", "indicator_name", "series", "datasets", "observations", "areas", "years",
     "disaggregations", "data", "national_metadata"}
)  # fmt: skip


def _series_entries(sources, labels: dict[str, str], info: pd.DataFrame) -> list[dict]:
    """A meta file's ``series`` list: each (series, dataset) of the indicator with its label,
    description and unit (``info``: the series table indexed by code)."""
    return [
        {
            "code": s,
            "label": labels.get(s, s),
            "description": _clean(info.loc[s, "description"]) if s in info.index else None,
            "unit": _clean(info.loc[s, "unit"]) if s in info.index else None,
            "dataset": d,
        }
        for s, d in sources
    ]


def _data_paths(code: str) -> dict[str, str]:
    """Where an indicator's data and headline files are, relative to the language's folder."""
    return {
        "csv": f"data/{slug(code)}.csv",
        "json": f"data/{slug(code)}.json",
        "headline_csv": f"headline/{slug(code)}.csv",
        "headline_json": f"headline/{slug(code)}.json",
    }


def _with_national(site: Site, lang: str, code: str, meta: dict) -> dict:
    """``meta`` with the national metadata of the most preferred dataset that has some for ``code``."""
    from ..metadata import render_text

    frame = national_frame(site, lang, code)
    if frame.empty:
        return meta
    dataset = frame["dataset"].iloc[0]
    first = frame[frame["dataset"] == dataset]
    # the repository's words in the language, as sdg-build's build of it has them (`Statistique
    # Canada` for `Statistics Canada`); settings naming data keep the data's words on the pages
    translate = site.memo(f"_translator:{dataset}:{lang}", lambda: site.workspace.metadata_translator(dataset, lang))
    fields = {}
    for field, value, structured in zip(first["field"], first["value"], first["structured"]):
        if field in DERIVED:
            continue
        if structured:
            fields[field] = translate(json.loads(value))  # type: ignore[operator]
        else:
            fields[field] = render_text(str(translate(value)))  # type: ignore[operator]
    # the repository's sources, not a mix with ours; a repository that names none for the indicator
    # is not given the dataset as a source (its title is no organisation)
    meta = {k: v for k, v in meta.items() if not k.startswith("source_")}
    meta.update(fields)
    meta["national_metadata"] = {"dataset": first["dataset"].iloc[0], "languages": sorted(set(first["lang"]))}
    return meta


def national_fields(site: Site, lang: str, code: str) -> dict:
    """The raw national metadata of ``code`` (the most preferred dataset with some): settings as JSON
    values, text as written; empty when there is none."""
    frame = national_frame(site, lang, code)
    if frame.empty:
        return {}
    first = frame[frame["dataset"] == frame["dataset"].iloc[0]]
    return {
        field: json.loads(value) if structured else value
        for field, value, structured in zip(first["field"], first["value"], first["structured"])
    }


def national_frame(site: Site, lang: str, code: str):
    """The national metadata of ``code`` in ``lang`` for the datasets the site shows, read once per
    build (the indicator page and the meta file both show it)."""
    if not site.has_metadata(code):
        return _empty()

    def make():  # every indicator with metadata in one query: a build shows them all
        codes = [c for c, level, _, _ in site.nodes() if level == "indicator" and site.has_metadata(c)]
        codes += [c for c in site.archived() if site.has_metadata(c)]
        frame = site.workspace.indicator_metadata(codes, site.options.datasets, lang=lang)
        return {c: part.reset_index(drop=True) for c, part in frame.groupby("indicator", sort=False)}

    return site.memo(f"_national:{lang}", make).get(code, _empty())  # type: ignore[attr-defined]


def _empty():
    import pandas as pd

    return pd.DataFrame(columns=["dataset", "lang", "field", "label", "group", "value", "structured"])


def meta_file(site: Site, lang: str, code: str) -> SiteFile:
    return SiteFile(
        f"{lang}/meta/{slug(code)}.json",
        lambda: dump(indicator_meta(site, lang, code)),
        site.key("meta", lang, site.indicator_key(code), site.metadata_key(code), code_fingerprint()),
        about=code,
    )


@producer
def metadata(site: Site) -> Iterator[SiteFile]:
    codes = [*meta_codes(site), *site.archived()]  # as sdg-build: the archived indicators' too
    for lang in site.options.langs:
        for code in codes:
            yield meta_file(site, lang, code)

    def render(lang: str) -> bytes:
        parts = [json.dumps(slug(c)) + ":" + site.content(meta_file(site, lang, c)).decode("utf-8") for c in codes]
        return ("{" + ",".join(parts) + "}").encode("utf-8")

    for lang in site.options.langs:
        yield SiteFile(
            f"{lang}/meta/all.json",
            partial(render, lang),
            site.key("meta/all", lang, [meta_file(site, lang, c).key for c in codes]),
        )
