"""Regenerate the reference data shipped in ``src/sdgtrack/frameworks/data`` from ``../shared/data``.

The package must work without ``../shared`` (nothing is read from it at run time), so the
reference tables are derived here once and committed. Run again when the sources change:

    python tools/build_reference_data.py [--shared ../shared/data]
"""
from __future__ import annotations

import argparse
import csv
import gzip
import shutil
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "src" / "sdgtrack" / "frameworks" / "data"

# The eight SDG regions of the SDG Report and the M49 sub-regions that make them up.
SDG_REGIONS = {
    "202": ("Sub-Saharan Africa", ["202"]),
    "747": ("Northern Africa and Western Asia", ["15", "145"]),
    "62": ("Central and Southern Asia", ["143", "34"]),
    "753": ("Eastern and South-Eastern Asia", ["30", "35"]),
    "419": ("Latin America and the Caribbean", ["419"]),
    "543": ("Oceania (exc. Australia and New Zealand)", ["54", "57", "61"]),
    "53": ("Australia and New Zealand", ["53"]),
    "513": ("Europe and Northern America", ["150", "21"]),
}
# UN group aggregates and the M49 column flag that lists their members.
GROUPS = {
    "199": ("LDC", "Least Developed Countries (LDCs)", "Least Developed Countries (LDC)"),
    "432": ("LLDC", "Landlocked developing countries (LLDCs)", "Land Locked Developing Countries (LLDC)"),
    "722": ("SIDS", "Small island developing States (SIDS)", "Small Island Developing States (SIDS)"),
}


def strip0(code: str) -> str:
    return code.lstrip("0") or "0"


def build_areas(shared: Path) -> None:
    areas: dict[str, dict] = {}
    members: list[tuple[str, str]] = []

    def add(code, name, kind, parent="", iso2="", iso3="", alias=""):
        if code not in areas:
            areas[code] = dict(code=code, name=name, kind=kind, parent=parent, iso2=iso2, iso3=iso3, alias=alias)

    with open(shared / "areas" / "m49.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    add("1", "World", "world")
    for r in rows:
        reg, sub, inter = (strip0(r[c]) if r[c] else "" for c in ("Region Code", "Sub-region Code", "Intermediate Region Code"))
        if reg:
            add(reg, r["Region Name"], "region", "1")
        if sub:
            add(sub, r["Sub-region Name"], "subregion", reg)
        if inter:
            add(inter, r["Intermediate Region Name"], "intermediate_region", sub)
        code = strip0(r["M49 Code"])
        add(code, r["Country or Area"], "country", inter or sub or reg or "1", r["ISO-alpha2 Code"], r["ISO-alpha3 Code"])
        for level in (reg, sub, inter):
            if level:
                members.append((level, code))
        for gcode, (_alias, _name, column) in GROUPS.items():
            if r[column].strip().lower() == "x":
                members.append((gcode, code))
        for scode, (_name, subregions) in SDG_REGIONS.items():
            if sub in subregions or reg in subregions:
                members.append((scode, code))
    for gcode, (alias, name, _column) in GROUPS.items():
        add(gcode, name, "group", "", alias=alias)
    for scode, (name, _subs) in SDG_REGIONS.items():
        if scode in areas:  # 202, 419, 53 are M49 regions already: mark them as SDG regions too
            areas[scode]["alias"] = "SDG region"
        else:
            add(scode, name, "sdg_region", "1", alias="SDG region")
    # Every other area code used by the UN SDG Global Database (former countries, other aggregates).
    with gzip.open(shared / "unsd" / "sdg_global_2020.csv.gz", "rt", encoding="utf-8", newline="") as f:
        seen = {}
        for r in csv.DictReader(f):
            seen.setdefault(r["GeoAreaCode"], r["GeoAreaName"])
    for code, name in sorted(seen.items(), key=lambda kv: int(kv[0])):
        add(code, name, "other_aggregate")
    with open(OUT / "areas.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=["code", "name", "kind", "parent", "iso2", "iso3", "alias"])
        w.writeheader()
        w.writerows(areas.values())
    with open(OUT / "area_members.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["group", "member"])
        w.writerows(sorted(set(members), key=lambda gm: (int(gm[0]), int(gm[1]))))
    print(f"areas: {len(areas)} areas, {len(set(members))} memberships")


def build_framework(shared: Path) -> None:
    fw = shared / "framework"
    shutil.copy(fw / "sdg_framework_2025.csv", OUT / "sdg_framework_2025.csv")
    shutil.copy(fw / "series_codes.csv", OUT / "series_codes.csv")
    tdir = OUT / "translations"
    if tdir.exists():
        shutil.rmtree(tdir)
    shutil.copytree(fw / "translations", tdir)
    # Series seen in the UN Global Database extract, with the description and unit the UN gives
    # them: the series list of sdg-build lacks 35 of them.
    series: dict[str, dict] = {}
    with gzip.open(shared / "unsd" / "sdg_global_2020.csv.gz", "rt", encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            if r["SeriesCode"] not in series:
                series[r["SeriesCode"]] = dict(series=r["SeriesCode"], description=r["SeriesDescription"],
                                               indicators=r["Indicator"].replace(" ", ""), unit=r["Units"])
    with open(OUT / "unsd_series_2020.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=["series", "description", "indicators", "unit"])
        w.writeheader()
        w.writerows(series.values())
    print(f"framework: copied; {len(series)} UN series")


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "data")
    args = ap.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    build_areas(args.shared)
    build_framework(args.shared)
