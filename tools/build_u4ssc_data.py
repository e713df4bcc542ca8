"""Regenerate the U4SSC KPI tables shipped in ``src/sdgtrack/cities/data`` from ``../shared/data/u4ssc``.

Reads ``kpis.csv`` (91 KPIs, see its README for sources and how reliable each column is) and writes:

- ``u4ssc_kpis.csv``: the KPIs with a compact code (``EC.ICT.ICT.1C``, typed without spaces),
  and two columns the collection check needs, derived from the unit and formula text:
  ``unit_kind`` (percent, share01, ratio, yesno, number, by_data_point) and ``scale``
  (value = numerator / denominator x scale: 100 for "x100", 100000 for "per 100 000", 1 for
  "per capita"; blank when the formula is not a plain ratio, so the value must be given).
- ``u4ssc_sdg_links.csv``: the KPI -> SDG links, ITU's own "SDG Reference(s)" field (8 KPIs)
  and the Norwegian KS mapping (goals for all 91, targets for 38), each row saying which.

Data points (``u4ssc_data_points.csv``) and code aliases (``u4ssc_aliases.csv``) are curated by
hand in the package from the KPI names and the README's notes.

    python tools/build_u4ssc_data.py [--shared ../shared/data]
"""
from __future__ import annotations

import argparse
import csv
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "sdgtrack" / "frameworks" / "data"
SDG_FRAMEWORK = ROOT / "src" / "sdgtrack" / "frameworks" / "data" / "sdg_framework_2025.csv"
SDG_2020_TITLES = ROOT / "src" / "sdgtrack" / "frameworks" / "data" / "translations" / "en" / "global_indicators.yml"
ITU_SOURCE = "ITU U4SSC KPI definition, SDG Reference(s) field"
KS_SOURCE = "KS (Norwegian association of local authorities) U4SSC vocabulary, data.norge.no"


def compact(code: str) -> str:
    return ".".join(part.strip() for part in code.split(":"))


def unit_kind(unit: str) -> str:
    u = unit.strip().lower()
    if u == "% and number":
        return "by_data_point"
    if u == "%" or u.startswith("% "):
        return "percent"
    if u.startswith("yes/no"):
        return "yesno"
    if u == "0-1":
        return "share01"
    if u.startswith("ratio"):
        return "ratio"
    return "number"


def scale(formula: str, unit: str) -> str:
    f = formula.replace("\u00a0", " ")
    if "x100" in f.replace(" ", ""):
        return "100"
    if re.search(r"/\s*\((population|live births)\s*/\s*100 000\)", f):
        return "100000"
    if "per capita" in unit and re.fullmatch(r"[^/]+/ population", f.strip()):
        return "1"
    # a plain quotient ("sum of interruptions / customers served", "female / male")
    if f.count("/") == 1 and unit_kind(unit) in ("number", "ratio"):
        return "1"
    return ""


def itu_links(text: str) -> list[str]:
    """'17.6.2; 17.8.1' -> ['17.6.2', '17.8.1']; 'target 7.3' -> ['7.3']."""
    return [p.strip().removeprefix("target").strip() for p in text.split(";") if p.strip()]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", default=str(ROOT.parent / "shared" / "data"))
    args = ap.parse_args()
    src = Path(args.shared) / "u4ssc" / "kpis.csv"
    with src.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    with SDG_FRAMEWORK.open(encoding="utf-8", newline="") as fh:
        sdg_codes = {r["code"] for r in csv.DictReader(fh)}
    # ITU's pages cite 2020-era indicator codes (17.6.2, now 17.6.1): the store keeps those as
    # retired nodes (frameworks/reference.py), so they are valid link ends.
    for line in SDG_2020_TITLES.read_text("utf-8").splitlines():
        key = line.split(":", 1)[0]
        if key.endswith("-title"):
            sdg_codes.add(".".join(key.split("-")[:-1]))

    kpis, links = [], []
    for r in rows:
        code = compact(r["code"])
        kpis.append({
            "code": code, "official_code": r["code"], "dimension": r["dimension"],
            "sub_dimension": r["sub_dimension"], "category": r["category"], "name": r["name"],
            "type": r["type"], "unit": r["unit"], "unit_kind": unit_kind(r["unit"]),
            "scale": scale(r["formula"], r["unit"]), "formula": r["formula"], "direction": r["direction"],
            "sdg_itu": r["sdg_ref_official_verified"], "sdg_goals_ks": r["sdg_goals_KS"],
            "sdg_targets_ks": r["sdg_targets_KS"], "verified_source": r["verified_source"],
        })
        targets_itu = itu_links(r["sdg_ref_official_verified"])
        for to in targets_itu:
            links.append((code, to, "itu", f"{ITU_SOURCE} ({r['verified_source']})"))
        ks = [g.strip() for g in r["sdg_goals_KS"].split(",") if g.strip()]
        ks += [t.strip() for t in r["sdg_targets_KS"].split(",") if t.strip()]
        for to in ks:
            links.append((code, to, "ks", KS_SOURCE))
    unknown = sorted({to for _, to, _, _ in links if to not in sdg_codes})
    if unknown:
        raise SystemExit(f"SDG codes not in the 2025 framework: {unknown}")
    if len(kpis) != 91:
        raise SystemExit(f"expected 91 KPIs, got {len(kpis)}")

    OUT.mkdir(parents=True, exist_ok=True)
    with (OUT / "u4ssc_kpis.csv").open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(kpis[0]))
        w.writeheader()
        w.writerows(kpis)
    with (OUT / "u4ssc_sdg_links.csv").open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["kpi", "sdg", "mapping", "source"])
        w.writerows(links)
    print(f"wrote {len(kpis)} KPIs and {len(links)} SDG links to {OUT}")


if __name__ == "__main__":
    main()
