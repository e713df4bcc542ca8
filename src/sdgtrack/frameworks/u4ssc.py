"""The U4SSC KPIs as reference data: the KPI table, its data points and its codes (files in
``frameworks/data``), the framework (dimension -> sub-dimension -> category -> KPI -> data point)
and its SDG links as a crosswalk, in the shapes of the store's ``framework_node`` and ``crosswalk``
tables, loaded with the other reference data by ``frameworks/reference.py``. The scoring of a
city's values against them is ``sdgtrack.cities``.

Codes are written two ways: ITU's ``EC: ICT: ICT: 1C`` and the compact ``EC.ICT.ICT.1C`` that
needs no quoting on a command line; both are accepted everywhere, as are the KS aliases listed
in ``u4ssc_aliases.csv``. A data point is addressed as ``CODE/POINT`` (``EC.ICT.ICT.4C/3G``).
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path

import pandas as pd

FRAMEWORK = "u4ssc"
SERIES_PREFIX = "U4SSC:"  # series codes never collide with UN series
DATA_POINT_DIM = "data_point"  # the dimension column that holds a data point
DIRECTIONS = ("up", "down", "target")
# Crosswalk relations of the shipped links; a reload replaces only these, never links an
# office imported with `sdgtrack framework crosswalk import`.
RELATION_ITU = "sdg_reference"  # ITU's own "SDG Reference(s)" field of the KPI
RELATION_KS = "ks_mapping"  # the Norwegian KS mapping (not ITU's)
SHIPPED_RELATIONS = (RELATION_ITU, RELATION_KS)


def data_dir() -> Path:
    return Path(str(resources.files("sdgtrack.frameworks") / "data"))


def _csv(name: str) -> pd.DataFrame:
    return pd.read_csv(data_dir() / name, dtype=str, keep_default_na=False)


def compact(code: str) -> str:
    """'EC: ICT: ICT: 1C' or 'ec.ict.ict.1c' -> 'EC.ICT.ICT.1C'."""
    return ".".join(p.strip() for p in str(code).replace(":", ".").split(".") if p.strip()).upper()


@lru_cache(maxsize=1)
def kpi_table() -> pd.DataFrame:
    """One row per KPI, in the official order; ``direction`` is up, down, target or mixed."""
    t = _csv("u4ssc_kpis.csv")
    t["direction"] = t["direction"].str.replace(r"^target .*", "target", regex=True)
    t["target_hint"] = _csv("u4ssc_kpis.csv")["direction"].str.extract(r"^target ([0-9.]+)")[0].fillna("")
    t["order"] = range(len(t))
    return t


@lru_cache(maxsize=1)
def data_points() -> pd.DataFrame:
    t = _csv("u4ssc_data_points.csv")
    t["kpi"] = t["kpi"].map(compact)
    t["dp_order"] = range(len(t))  # the order of the definition, not the alphabet (PM10 before PM2.5)
    return t


@lru_cache(maxsize=1)
def _aliases() -> dict[str, str]:
    codes = {c: c for c in kpi_table()["code"]}
    for r in _csv("u4ssc_aliases.csv").itertuples():
        codes[compact(r.alias)] = compact(r.code)
    return codes


def resolve(code: str) -> str | None:
    """The KPI's compact code for any spelling of it, or None when it is not a U4SSC KPI."""
    return _aliases().get(compact(code)) if str(code).strip() else None


def split_key(key: str) -> tuple[str | None, str]:
    """'EC.ICT.ICT.4C/3G' -> ('EC.ICT.ICT.4C', '3G'); the KPI is None when unknown."""
    code, _, point = str(key).partition("/")
    return resolve(code), point.strip()


@lru_cache(maxsize=1)
def _point_names() -> dict[tuple[str, str], str]:
    return {(r.kpi, r.data_point.lower()): r.data_point for r in data_points().itertuples()}


def point_name(kpi: str, point: str) -> str | None:
    """The data point's canonical spelling (case-insensitive match), or None if the KPI has no such point."""
    return _point_names().get((kpi, point.strip().lower()))


def series_code(kpi: str) -> str:
    return SERIES_PREFIX + kpi


def kpi_of_series(series: str) -> str:
    return series.removeprefix(SERIES_PREFIX)


def rows() -> pd.DataFrame:
    """Every scorable line (a fresh copy: callers add columns)."""
    return _rows().copy()


@lru_cache(maxsize=1)
def _rows() -> pd.DataFrame:
    """Every scorable line: a KPI without data points, or each data point of a KPI.

    Columns: kpi, data_point ('' for the KPI itself), key, name, unit, unit_kind, scale,
    direction, and the KPI's place (dimension, sub_dimension, category, type, order).
    """
    k = kpi_table()
    dp = data_points()
    with_points = k[k["code"].isin(dp["kpi"])]
    whole = k[~k["code"].isin(dp["kpi"])].assign(data_point="", dp_order=-1)
    parts = dp.merge(with_points, left_on="kpi", right_on="code", suffixes=("_dp", ""))
    # 'Air Pollution (PM10, PM2.5, NO2, SO2, O3)' -> 'Air Pollution - PM10'
    parts["name"] = parts["name"].str.replace(r"\s*\(.*\)\s*$", "", regex=True) + " - " + parts["data_point"]
    parts["unit"] = parts["unit_dp"]
    # a data point with its own unit kind ('%', 'number', 'yes/no') is checked as that kind
    parts["unit_kind"] = parts["unit_dp"].map(_kind_of_unit)
    parts["scale"] = parts.apply(
        lambda r: (
            "100"
            if r["unit_kind"] == "percent" and r["scale"] == "100"
            else ("" if r["unit_kind"] != "percent" else r["scale"])
        ),
        axis=1,
    )
    parts["direction"] = parts["direction_dp"]
    cols = [
        "code",
        "data_point",
        "name",
        "unit",
        "unit_kind",
        "scale",
        "formula",
        "direction",
        "dimension",
        "sub_dimension",
        "category",
        "type",
        "order",
        "dp_order",
    ]
    out = pd.concat([whole[cols], parts[cols]], ignore_index=True)
    out = out.rename(columns={"code": "kpi"})
    out["key"] = out["kpi"] + out["data_point"].map(lambda p: f"/{p}" if p else "")
    return out.sort_values(["order", "dp_order"], kind="stable").drop(columns="dp_order").reset_index(drop=True)


def _kind_of_unit(unit: str) -> str:
    u = unit.strip().lower()
    if u.startswith("%"):
        return "percent"
    if u.startswith("yes/no"):
        return "yesno"
    return "number"


def category_codes() -> pd.DataFrame:
    """(dimension, sub_dimension, category) -> node code, e.g. 'EC.ICT.WS'.

    A category's code is the prefix most of its KPIs carry: Electronic Health Records is
    numbered SC: EH: ED: 5A but belongs to Health (SC.EH.H), as ITU lists it.
    """
    k = kpi_table().copy()
    k["prefix"] = k["code"].str.rsplit(".", n=1).str[0]
    counts = k.groupby(["dimension", "sub_dimension", "category", "prefix"], sort=False).size().reset_index(name="n")
    best = counts.sort_values("n", ascending=False, kind="stable").drop_duplicates(
        ["dimension", "sub_dimension", "category"]
    )
    return best.drop(columns="n").rename(columns={"prefix": "category_code"})


def nodes() -> pd.DataFrame:
    """framework_node rows: framework, code, level, parent, title, unsd_code, status, sort_key."""
    k = kpi_table().merge(category_codes(), on=["dimension", "sub_dimension", "category"], how="left")
    k["sub_code"] = k["category_code"].str.rsplit(".", n=1).str[0]
    k["dim_code"] = k["sub_code"].str.split(".").str[0]
    out: list[tuple] = []
    seen: set[str] = set()
    # each KPI's data points, in their order: one grouping, not a filter of the table per KPI
    points = {kpi: list(group.itertuples()) for kpi, group in data_points().groupby("kpi", sort=False)}
    for r in k.itertuples():
        for code, level, parent, title in (
            (r.dim_code, "dimension", None, r.dimension),
            (r.sub_code, "sub_dimension", r.dim_code, r.sub_dimension),
            (r.category_code, "category", r.sub_code, r.category),
        ):
            if code not in seen:
                seen.add(code)
                out.append((code, level, parent, title))
        out.append((r.code, "kpi", r.category_code, r.name))
        for p in points.get(r.code, ()):
            out.append((f"{r.code}/{p.data_point}", "data_point", r.code, p.name))
    frame = pd.DataFrame(out, columns=["code", "level", "parent", "title"])
    frame.insert(0, "framework", FRAMEWORK)
    frame["unsd_code"] = None
    frame["status"] = "current"
    frame["sort_key"] = range(len(frame))
    return frame[["framework", "code", "level", "parent", "title", "unsd_code", "status", "sort_key"]]


def sdg_links() -> pd.DataFrame:
    """crosswalk rows u4ssc KPI -> sdg goal/target/indicator, ITU's own and KS's marked apart."""
    links = pd.read_csv(data_dir() / "u4ssc_sdg_links.csv", dtype=str, keep_default_na=False)
    return pd.DataFrame(
        {
            "from_framework": FRAMEWORK,
            "from_code": links["kpi"],
            "to_framework": "sdg",
            "to_code": links["sdg"],
            "relation": links["mapping"].map({"itu": RELATION_ITU, "ks": RELATION_KS}),
            "source": links["source"],
        }
    )
