"""Codes shown by name on the site: the label table (derived from the SDG SDMX code lists), the
module that applies it, and Rwanda's SDMX data on the indicator page (names) and in the data files
(codes kept)."""

from __future__ import annotations

import csv
import importlib.util
import io
import json
import re
from pathlib import Path

import pandas as pd
import pytest

import sdgtrack
from sdgtrack.publish import code_labels
from sdgtrack.publish.site import Site, SiteOptions
from sdgtrack.workspace import Workspace

from .conftest import REPO, shared_path

TABLE = REPO / "src" / "sdgtrack" / "publish" / "data" / "sdmx_labels.csv"


def test_codes_get_names_and_words_stay():
    assert code_labels.label("PER_1000_LIVE_BIRTHS", code_labels.UNIT) == "Per 1,000 live births"
    assert code_labels.label("PERCENT", code_labels.UNIT) == "Percent"  # UN legacy code -> SDMX PT
    assert code_labels.label("CU_USD", code_labels.UNIT) == "Current United States dollars"  # UN series descriptions
    assert code_labels.label("Percentage (%)", code_labels.UNIT) == "Percentage (%)"  # UK's words
    assert code_labels.label("A", code_labels.STATUS) == "Normal value"
    assert code_labels.label(None, code_labels.UNIT) is None
    # the same code means different things in different dimensions
    assert code_labels.label("R", "URBANISATION") == "Rural" and code_labels.label("R", "REPORTING_TYPE") == "Regional"
    labels = code_labels.dims_labels(
        [
            {"Sex": "BOTHSEX", "Age": "<5Y"},  # UN Global Database (legacy codes)
            {"Sex": "Female", "Age": "Under 5 years old"},  # UK Open SDG data: words
            {"SEX": "F", "AGE": "Y0T4", "INCOME_WEALTH_QUANTILE": "Q1"},  # SDMX (Rwanda)
            {"Location": "NOTSPEC", "Region": "North"},
        ]
    )
    assert labels["Sex"] == {"name": "Sex", "values": {"BOTHSEX": "Both sexes or no breakdown by sex"}}
    assert labels["Age"]["values"] == {"<5Y": "under 5 years old"}  # "Under 5 years old" stays as written
    assert labels["SEX"] == {"name": "Sex", "values": {"F": "Female"}}
    assert labels["AGE"]["values"] == {"Y0T4": "under 5 years old"}
    assert labels["INCOME_WEALTH_QUANTILE"] == {
        "name": "Income or wealth quantile",
        "values": {"Q1": "Quintile 1 (poorest)"},
    }
    assert labels["Location"]["values"] == {"NOTSPEC": "Not specified"}
    assert "Region" not in labels  # nothing to name: the page shows the data's own text


def test_a_column_is_labelled_by_its_distinct_values():
    column = pd.Series(["PT", "NUMBER", None, "PT", "Tonnes"] * 1000)
    labelled = code_labels.label_column(column, code_labels.UNIT)
    assert labelled.iloc[:5].tolist()[:2] == ["Percent", "Number"] and labelled.iloc[4] == "Tonnes"
    assert labelled.isna().sum() == 1000 and len(labelled) == len(column)
    assert column.iloc[0] == "PT"  # the input is not changed


def test_the_shipped_table_is_what_the_script_derives():
    """tools/build_code_labels.py run on the DSD gives the committed CSV, row for row."""
    dsd = shared_path("opensdg", "rwanda", "RWA_2025_SDG DSD.xml")
    spec = importlib.util.spec_from_file_location("build_code_labels", REPO / "tools" / "build_code_labels.py")
    assert spec and spec.loader
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    rows = script.derive(dsd)
    rows += script.un_units(script.UN_SERIES, {r["code"] for r in rows if r["concept"] == "UNIT_MEASURE"})
    shipped = list(csv.DictReader(io.StringIO(TABLE.read_text("utf-8"))))
    assert shipped == rows
    concepts = {r["concept"] for r in shipped}
    assert {"SEX", "AGE", "URBANISATION", "INCOME_WEALTH_QUANTILE", "UNIT_MEASURE", "OBS_STATUS"} <= concepts
    assert not concepts & {"SERIES", "REF_AREA"}  # the store names series and areas itself
    glossary = shared_path("opensdg", "canada", "translations", "fr", "data.yml")
    words = list(csv.DictReader(io.StringIO(TABLE.with_name("words_fr.csv").read_text("utf-8"))))
    assert words == script.french_words(glossary) and len(words) > 1500


@pytest.fixture(scope="module")
def rwanda(tmp_path_factory):
    path = tmp_path_factory.mktemp("labels") / "rw.duckdb"
    with sdgtrack.open(path) as db:
        db.ingest(shared_path("opensdg", "rwanda"))
    ws = Workspace(path, read_only=True)
    site = Site(ws, SiteOptions(langs=("en", "fr")))
    yield {f.path: f for f in site.files()}
    ws.close()


def test_rwanda_pages_show_names_and_data_files_keep_codes(rwanda):
    data = json.loads(rwanda["assets/indicators/3-2-1.json"].render())
    assert data["units"] == ["PER_1000_LIVE_BIRTHS"]  # the rows' codes, which selectors match on
    assert data["labels"]["units"] == ["Per 1,000 live births"]
    assert data["labels"]["statuses"] == ["Normal value" if s == "A" else s for s in data["statuses"]]
    assert data["labels"]["dims"]["SEX"] == {
        "name": "Sex",
        "values": {"F": "Female", "M": "Male", "_T": "Both sexes or no breakdown by sex"},
    }
    assert data["labels"]["dims"]["AGE"]["values"]["Y0T4"] == "under 5 years old"
    page = rwanda["en/indicators/3-2-1/index.html"].render().decode("utf-8")
    assert "Per 1,000 live births" in page and "PER_1000_LIVE_BIRTHS" not in page  # headline, table, footer
    assert "<td>Normal value</td>" in page
    # in French, names Canada's Open SDG glossary translates (publish/data/words_fr.csv)
    page = rwanda["fr/indicators/3-2-1/index.html"].render().decode("utf-8")
    assert "Pour 1 000 naissances vivantes" in page and "PER_1000_LIVE_BIRTHS" not in page
    words = json.loads(re.search(r'id="page-data">(.*?)</script>', page).group(1))["words"]
    assert words["Sex"] == "Sexe" and words["Female"] == "Femme" and words["Per 1,000 live births"].startswith("Pour")
    english = rwanda["en/indicators/3-2-1/index.html"].render().decode("utf-8")
    assert '"words":{}' in english
    svg = rwanda["assets/charts/3-2-1.svg"].render().decode("utf-8")
    assert "Per 1,000 live births" in svg and "PER_1000_LIVE_BIRTHS" not in svg  # the axis title
    goal = rwanda["en/goals/3/index.html"].render().decode("utf-8")
    assert "Per 1,000 live births" in goal and "PER_1000_LIVE_BIRTHS" not in goal
    reporting = rwanda["en/reporting/index.html"].render().decode("utf-8")  # disaggregation coverage
    assert '<th scope="row">Income or wealth quantile</th>' in reporting and ">INCOME_WEALTH_QUANTILE<" not in reporting
    assert '<th scope="row">Sexe</th>' in rwanda["fr/reporting/index.html"].render().decode("utf-8")
    # the data files are written as the repository's own build writes them (config_data.yml: codes
    # imported, then translated through the DSD, _T blank, SERIES and UNIT_MEASURE named by code)
    text = rwanda["en/data/3-2-1.csv"].render().decode("utf-8")
    assert text.splitlines()[0] == "Year,SERIES,Reference area,Sex,Age,Degree of urbanisation,UNIT_MEASURE,Value"
    table = list(csv.DictReader(io.StringIO(text)))
    assert {r["UNIT_MEASURE"] for r in table} == {"Per 1,000 live births"}
    assert {r["Sex"] for r in table} == {"Female", "Male", ""} and {r["Reference area"] for r in table} >= {
        "",
        "City of Kigali",
    }
    assert {r["SERIES"] for r in table} == {"Under-five mortality rate [3.2.1]"}
    # every row has an age (under 5 years old): no row without a breakdown, so no headline rows
    assert json.loads(rwanda["en/headline/3-2-1.json"].render()) == []


def test_label_files_are_part_of_the_page_key():
    """A change to the label tables re-renders the pages (the key of page code and templates)."""
    from sdgtrack.publish.pages import common

    common.code_key.cache_clear()
    before = common.code_key()
    original = TABLE.read_bytes()
    try:
        TABLE.write_bytes(original + b"SEX,Z,test,Test\n")
        common.code_key.cache_clear()
        assert common.code_key() != before
    finally:
        TABLE.write_bytes(original)
        common.code_key.cache_clear()
    assert common.code_key() == before


def test_script_takes_english_names_of_coded_components(tmp_path):
    """The derivation reads names in English only and leaves out components without a code list."""
    spec = importlib.util.spec_from_file_location("build_code_labels", REPO / "tools" / "build_code_labels.py")
    assert spec and spec.loader
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    dsd = tmp_path / "dsd.xml"
    dsd.write_text(
        """<?xml version="1.0" encoding="utf-8"?>
<m:Structure xmlns:m="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message"
  xmlns:s="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/structure"
  xmlns:c="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common"><m:Structures>
 <s:Codelists><s:Codelist id="CL_SEX" agencyID="X" version="1">
  <c:Name xml:lang="en">Sex code list</c:Name>
  <s:Code id="F"><c:Name xml:lang="fr">Femmes</c:Name><c:Name xml:lang="en">Female</c:Name></s:Code>
 </s:Codelist></s:Codelists>
 <s:Concepts><s:ConceptScheme id="CS"><s:Concept id="SEX"><c:Name xml:lang="en">Sex</c:Name></s:Concept>
  <s:Concept id="COMMENT"><c:Name xml:lang="en">Comment</c:Name></s:Concept></s:ConceptScheme></s:Concepts>
 <s:DataStructures><s:DataStructure id="D"><s:DataStructureComponents>
  <s:DimensionList><s:Dimension id="SEX"><s:LocalRepresentation><s:Enumeration><Ref id="CL_SEX"/></s:Enumeration></s:LocalRepresentation></s:Dimension></s:DimensionList>
  <s:AttributeList><s:Attribute id="COMMENT"/></s:AttributeList>
 </s:DataStructureComponents></s:DataStructure></s:DataStructures>
</m:Structures></m:Structure>""",
        "utf-8",
    )
    rows = script.derive(Path(dsd))
    assert rows == [
        {"concept": "SEX", "code": "", "codelist": "X:CL_SEX(1)", "en": "Sex"},
        {"concept": "SEX", "code": "F", "codelist": "X:CL_SEX(1)", "en": "Female"},
    ]
