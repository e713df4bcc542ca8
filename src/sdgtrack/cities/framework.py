"""The U4SSC KPIs as a framework (dimension -> sub-dimension -> category -> KPI -> data point)
and their SDG links as a crosswalk, in the shapes of the store's ``framework_node`` and
``crosswalk`` tables. Loaded with the other reference data by ``frameworks/reference.py``.
"""

from __future__ import annotations

import pandas as pd

from . import kpis

# Crosswalk relations of the shipped links; a reload replaces only these, never links an
# office imported with `sdgtrack framework crosswalk import`.
RELATION_ITU = "sdg_reference"  # ITU's own "SDG Reference(s)" field of the KPI
RELATION_KS = "ks_mapping"  # the Norwegian KS mapping (not ITU's)
SHIPPED_RELATIONS = (RELATION_ITU, RELATION_KS)


def category_codes() -> pd.DataFrame:
    """(dimension, sub_dimension, category) -> node code, e.g. 'EC.ICT.WS'.

    A category's code is the prefix most of its KPIs carry: Electronic Health Records is
    numbered SC: EH: ED: 5A but belongs to Health (SC.EH.H), as ITU lists it.
    """
    k = kpis.kpi_table().copy()
    k["prefix"] = k["code"].str.rsplit(".", n=1).str[0]
    counts = k.groupby(["dimension", "sub_dimension", "category", "prefix"], sort=False).size().reset_index(name="n")
    best = counts.sort_values("n", ascending=False, kind="stable").drop_duplicates(
        ["dimension", "sub_dimension", "category"]
    )
    return best.drop(columns="n").rename(columns={"prefix": "category_code"})


def nodes() -> pd.DataFrame:
    """framework_node rows: framework, code, level, parent, title, unsd_code, status, sort_key."""
    k = kpis.kpi_table().merge(category_codes(), on=["dimension", "sub_dimension", "category"], how="left")
    k["sub_code"] = k["category_code"].str.rsplit(".", n=1).str[0]
    k["dim_code"] = k["sub_code"].str.split(".").str[0]
    out: list[tuple] = []
    seen: set[str] = set()
    points = kpis.data_points()
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
        for p in points[points["kpi"] == r.code].itertuples():
            out.append((f"{r.code}/{p.data_point}", "data_point", r.code, p.name))
    frame = pd.DataFrame(out, columns=["code", "level", "parent", "title"])
    frame.insert(0, "framework", kpis.FRAMEWORK)
    frame["unsd_code"] = None
    frame["status"] = "current"
    frame["sort_key"] = range(len(frame))
    return frame[["framework", "code", "level", "parent", "title", "unsd_code", "status", "sort_key"]]


def sdg_links() -> pd.DataFrame:
    """crosswalk rows u4ssc KPI -> sdg goal/target/indicator, ITU's own and KS's marked apart."""
    links = pd.read_csv(kpis.data_dir() / "u4ssc_sdg_links.csv", dtype=str, keep_default_na=False)
    return pd.DataFrame(
        {
            "from_framework": kpis.FRAMEWORK,
            "from_code": links["kpi"],
            "to_framework": "sdg",
            "to_code": links["sdg"],
            "relation": links["mapping"].map({"itu": RELATION_ITU, "ks": RELATION_KS}),
            "source": links["source"],
        }
    )
