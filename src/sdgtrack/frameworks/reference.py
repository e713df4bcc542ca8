"""Load the reference data shipped with the package into a store.

The files under ``frameworks/data`` are produced by ``tools/build_reference_data.py`` from the
shared sources (see that script for provenance and licences).
"""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

import pandas as pd
import yaml

SDG = "sdg"
LANGUAGES = ("en", "fr", "es", "ar", "ru", "zh-Hans")
TRANSLATION_EDITION = "2020 (open-sdg/sdg-translations)"
# Bump when the shipped reference data changes, so existing stores reload it.
REFERENCE_VERSION = "2025.2"  # 2025.2: U4SSC KPIs and WSIS action lines, U4SSC-SDG crosswalk
WSIS = "wsis"


def data_dir() -> Path:
    return Path(str(resources.files("sdgtrack.frameworks") / "data"))


def _read_csv(name: str) -> pd.DataFrame:
    # keep_default_na=False: Namibia's ISO code is the text "NA".
    return pd.read_csv(data_dir() / name, dtype=str, keep_default_na=False)


def _yaml(text: str):
    # libyaml's loader where PyYAML has it: the translations take 1.5 s with the pure-Python one,
    # on every new store
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def _yaml_key_to_code(key: str) -> tuple[str, str]:
    """'1-a-title' -> ('1.a', 'title'); '3-short' -> ('3', 'short')."""
    *parts, kind = key.split("-")
    return ".".join(parts), kind


def framework_nodes() -> pd.DataFrame:
    fw = _read_csv("sdg_framework_2025.csv")
    fw["framework"] = SDG
    fw["status"] = "current"
    fw["sort_key"] = range(len(fw))
    fw = fw.replace({"parent": {"": None}, "unsd_code": {"": None}})
    # Indicators of the 2020-era framework that the 2025 review removed: the UN database still
    # reports data under them, so they are known codes, marked retired.
    en = _yaml((data_dir() / "translations" / "en" / "global_indicators.yml").read_text("utf-8"))
    known = set(fw["code"])
    retired = []
    for key, title in en.items():
        code, _ = _yaml_key_to_code(key)
        if code not in known:
            retired.append(
                dict(
                    framework=SDG,
                    code=code,
                    level="indicator",
                    parent=code.rsplit(".", 1)[0],
                    title=title,
                    unsd_code=None,
                    status="retired",
                    sort_key=None,
                )
            )
    if retired:
        fw = pd.concat([fw, pd.DataFrame(retired)], ignore_index=True)
        # place each retired indicator right after its target's current indicators
        order = {c: i for i, c in enumerate(fw["code"])}
        fw["sort_key"] = fw.apply(
            lambda r: r["sort_key"] if r["status"] == "current" else order.get(r["parent"], 10_000) + 0.5, axis=1
        )
        fw = fw.sort_values("sort_key", kind="stable").reset_index(drop=True)
        fw["sort_key"] = range(len(fw))
    return fw[["framework", "code", "level", "parent", "title", "unsd_code", "status", "sort_key"]]


def framework_titles() -> pd.DataFrame:
    rows = []
    for lang in LANGUAGES:
        for fname in ("global_goals.yml", "global_targets.yml", "global_indicators.yml"):
            path = data_dir() / "translations" / lang / fname
            for key, title in (_yaml(path.read_text("utf-8")) or {}).items():
                code, kind = _yaml_key_to_code(key)
                if title:
                    rows.append((SDG, code, lang, kind, str(title).strip(), TRANSLATION_EDITION))
    return pd.DataFrame(rows, columns=["framework", "code", "lang", "kind", "title", "edition"])


_BRACKET = re.compile(r"\s*\[([^\]]+)\]\s*$")


def series_list() -> tuple[pd.DataFrame, pd.DataFrame]:
    """UN series with descriptions, and their indicator links (2020 database + sdg-build list)."""
    un = _read_csv("unsd_series_2020.csv")
    series = {r.series: (r.description, r.unit) for r in un.itertuples()}
    links = {(r.series, ind) for r in un.itertuples() for ind in r.indicators.split(",") if ind}
    for r in _read_csv("series_codes.csv").itertuples():
        m = _BRACKET.search(r.Name)
        name = _BRACKET.sub("", r.Name)
        series.setdefault(r.SERIES, (name, r.UNIT_MEASURE))
        if m:
            links |= {(r.SERIES, ind.strip()) for ind in m.group(1).split(",")}
    s = pd.DataFrame(
        [(k, d, u, "unsd") for k, (d, u) in series.items()], columns=["code", "description", "unit", "origin"]
    )
    pairs = pd.DataFrame(sorted(links), columns=["series", "indicator"])
    return s, pairs


def wsis_nodes() -> pd.DataFrame:
    """The 11 WSIS action lines (Geneva Plan of Action, 2003) and C7's eight e-applications."""
    w = _read_csv("wsis_action_lines.csv").replace({"parent": {"": None}})
    w.insert(0, "framework", WSIS)
    w["unsd_code"] = None
    w["status"] = "current"
    w["sort_key"] = range(len(w))
    return w[["framework", "code", "level", "parent", "title", "unsd_code", "status", "sort_key"]]


def other_frameworks() -> tuple[pd.DataFrame, pd.DataFrame, list[str], tuple[str, ...]]:
    """Nodes of the frameworks beside the SDGs, their shipped crosswalk rows, the framework ids,
    and the crosswalk relations a reload may replace (imported links are never touched)."""
    from . import u4ssc

    nodes = pd.concat([u4ssc.nodes(), wsis_nodes()], ignore_index=True)
    return nodes, u4ssc.sdg_links(), [u4ssc.FRAMEWORK, WSIS], u4ssc.SHIPPED_RELATIONS


def load_reference(con) -> None:
    """(Re)load all reference tables; observations and custom areas are left alone."""
    # DataFrames are named ref_* so DuckDB's replacement scans cannot confuse them with tables
    # (the SQL below reads these locals by name, which pyflakes cannot see).
    ref_nodes = framework_nodes()  # noqa: F841
    ref_titles = framework_titles()  # noqa: F841
    ref_series, ref_links = series_list()
    ref_areas = _read_csv("areas.csv").replace("", None)  # noqa: F841
    ref_members = _read_csv("area_members.csv")  # noqa: F841
    con.execute("DELETE FROM framework_node WHERE framework = 'sdg'")
    con.execute("INSERT INTO framework_node SELECT * FROM ref_nodes")
    ref_other, ref_xwalk, other_ids, shipped = other_frameworks()
    con.execute("DELETE FROM framework_node WHERE framework IN (SELECT unnest(?::VARCHAR[]))", [other_ids])
    con.execute("INSERT INTO framework_node SELECT * FROM ref_other")
    con.execute("DELETE FROM crosswalk WHERE relation IN (SELECT unnest(?::VARCHAR[]))", [list(shipped)])
    con.execute("INSERT INTO crosswalk SELECT * FROM ref_xwalk")
    con.execute("DELETE FROM framework_title WHERE framework = 'sdg'")
    con.execute("INSERT INTO framework_title SELECT * FROM ref_titles")
    con.execute("INSERT INTO series SELECT * FROM ref_series WHERE code NOT IN (SELECT code FROM series)")
    con.execute("INSERT INTO series_indicator SELECT * FROM ref_links ON CONFLICT DO NOTHING")
    con.execute("DELETE FROM area WHERE kind NOT IN ('city', 'province', 'custom')")
    con.execute(
        "INSERT INTO area SELECT code, name, kind, parent, iso2, iso3, alias FROM ref_areas "
        "WHERE code NOT IN (SELECT code FROM area)"
    )
    con.execute("INSERT INTO area_member SELECT * FROM ref_members ON CONFLICT DO NOTHING")
    con.execute("INSERT OR REPLACE INTO meta VALUES ('reference_version', ?)", [REFERENCE_VERSION])
