"""Derive ``src/sdgtrack/publish/data/sdmx_labels.csv`` (names of SDMX codes) from an SDG SDMX DSD.

The site shows units and disaggregations to people: ``PER_1000_LIVE_BIRTHS`` should read "Per 1,000
live births", ``Y0T4`` "under 5 years old". The names come from the code lists of the SDG data
structure definition (IAEG-SDGs and SDMX code lists, English names) that Rwanda's Open SDG data
repository publishes (MIT licence). The package reads the CSV, never the XML, so the table is derived
here once and committed. UN unit codes the DSD lacks (``CU_USD``, ``KMSQ`` ...) are named from the
UN series descriptions shipped in ``frameworks/data/unsd_series_2020.csv``, whose bracketed tail gives
the unit ("... (current United States dollars)"): only where every series of that unit agrees and
the name holds no base year.
Run again when a newer DSD is at hand:

    python tools/build_code_labels.py [--dsd "../shared/data/opensdg/rwanda/RWA_2025_SDG DSD.xml"]

Output columns: ``concept`` (the SDMX concept: a dimension such as ``SEX`` or a coded attribute such
as ``UNIT_MEASURE``), ``code`` (blank on the row naming the concept itself), ``codelist`` (where the
name comes from: ``IAEG-SDGs:CL_SEX(1.1)``), ``en`` (the English name). Series and reference areas
are left out: the store has their descriptions and area names.
"""

from __future__ import annotations

import argparse
import csv
import re
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "sdgtrack" / "publish" / "data" / "sdmx_labels.csv"
UN_SERIES = ROOT / "src" / "sdgtrack" / "frameworks" / "data" / "unsd_series_2020.csv"
DSD = ROOT.parent / "shared" / "data" / "opensdg" / "rwanda" / "RWA_2025_SDG DSD.xml"
CANADA_FR = ROOT.parent / "shared" / "data" / "opensdg" / "canada" / "translations" / "fr" / "data.yml"
WORDS_FR = OUT.with_name("words_fr.csv")

S = "{http://www.sdmx.org/resources/sdmxml/schemas/v2_1/structure}"
C = "{http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common}"
# the store holds names for these (series descriptions, area names); frequency is never shown
LEFT_OUT = {"SERIES", "REF_AREA", "FREQ"}


def english(element: ET.Element) -> str | None:
    for name in element.findall(f"{C}Name"):
        if name.get("{http://www.w3.org/XML/1998/namespace}lang", "en") == "en":
            return " ".join((name.text or "").split()) or None
    return None


def derive(dsd: Path) -> list[dict]:
    root = ET.parse(dsd).getroot()
    codelists = {cl.get("id"): cl for cl in root.iter(f"{S}Codelist")}
    concepts = {c.get("id"): english(c) for c in root.iter(f"{S}Concept")}
    rows: list[dict] = []
    # each dimension and attribute of the structure, with the code list it is drawn from
    for component in [*root.iter(f"{S}Dimension"), *root.iter(f"{S}Attribute")]:
        concept = component.get("id")
        ref = component.find(f"{S}LocalRepresentation/{S}Enumeration/Ref")
        if concept in LEFT_OUT or ref is None or ref.get("id") not in codelists:
            continue
        codelist = codelists[ref.get("id")]
        source = f"{codelist.get('agencyID')}:{codelist.get('id')}({codelist.get('version')})"
        rows.append({"concept": concept, "code": "", "codelist": source, "en": concepts.get(concept) or concept})
        for code in codelist.findall(f"{S}Code"):
            name = english(code)
            if name:
                rows.append({"concept": concept, "code": code.get("id"), "codelist": source, "en": name})
    return rows


def un_units(series_csv: Path, known: set[str]) -> list[dict]:
    """Names of UN unit codes missing from the DSD, from the unit in brackets at the end of the
    descriptions of the series using them, where all of them give the same one (case ignored)."""
    tails: dict[str, set[str]] = {}
    with series_csv.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            match = re.search(r"\(([^()]*)\)\s*$", row["description"] or "")
            if row["unit"] and row["unit"] not in known and match:
                tails.setdefault(row["unit"], set()).add(match.group(1).strip())
    rows = []
    for unit, names in sorted(tails.items()):
        # a base year ("constant 2017 ...") belongs to the series, not to the unit code
        if len({n.lower() for n in names}) == 1 and not re.search(r"\b(19|20)\d\d\b", next(iter(names))):
            name = sorted(names)[0]
            rows.append(
                {
                    "concept": "UNIT_MEASURE",
                    "code": unit,
                    "codelist": "UNSD:series descriptions",
                    "en": name[0].upper() + name[1:],
                }
            )
    return rows


def french_words(glossary: Path) -> list[dict]:
    """English -> French of the words Canada's Open SDG site translates (its ``translations/fr/data.yml``:
    units, disaggregation names and values, such as "Per 1,000 live births" -> "Pour 1 000 naissances
    vivantes"), where the French differs. The only French names in the shared data: the SDMX code
    lists are in English only."""
    import yaml

    table = yaml.safe_load(glossary.read_text(encoding="utf-8")) or {}
    return [
        {"en": str(en).strip(), "fr": str(fr).strip()}
        for en, fr in sorted(table.items(), key=lambda kv: str(kv[0]))
        if isinstance(fr, str) and fr.strip() and str(fr).strip() != str(en).strip()
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dsd", type=Path, default=DSD)
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--canada-fr", type=Path, default=CANADA_FR, help="Canada's translations/fr/data.yml")
    args = parser.parse_args()
    rows = derive(args.dsd)
    rows += un_units(UN_SERIES, {r["code"] for r in rows if r["concept"] == "UNIT_MEASURE"})
    with args.out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=["concept", "code", "codelist", "en"], lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    concepts = sorted({r["concept"] for r in rows})
    print(f"{args.out}: {len(rows)} rows, {len(concepts)} concepts: {', '.join(concepts)}")
    words = french_words(args.canada_fr)
    with WORDS_FR.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=["en", "fr"], lineterminator="\n")
        writer.writeheader()
        writer.writerows(words)
    print(f"{WORDS_FR}: {len(words)} words")


if __name__ == "__main__":
    main()
