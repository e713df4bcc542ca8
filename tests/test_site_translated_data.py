"""The data files of each language read as sdg-build writes them (issue 20, sdg-build parity on
Canada): the repository's translations turn breakdown names, cells, units and series into the
language's words, English too; the page script gets the same words."""

from __future__ import annotations

import csv
import io
import json

import pytest

import sdgtrack
from sdgtrack.publish.build import build_site
from sdgtrack.publish.site import SiteOptions

from .conftest import FIXTURES, shared_path

TRANSLATED = FIXTURES / "opensdg" / "translated"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("translated")
    with sdgtrack.open(tmp / "store.duckdb") as ws:
        ws.ingest(TRANSLATED)
        build_site(ws, tmp / "site", SiteOptions(langs=("en", "fr")))
    return tmp / "site"


def _csv(site, path: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO((site / path).read_text("utf-8"))))


def test_french_data_file_has_the_repositorys_french_words(built):
    rows = _csv(built, "fr/data/16-1-3.csv")
    assert list(rows[0]) == ["Year", "Series", "Units", "Sexe", "Type of crime", "Age", "COMMENT_OBS", "Value"]
    assert {r["Series"] for r in rows} == {"Violence physique"}
    assert {r["Units"] for r in rows} == {"Pourcentage (%)"}
    # the column's own group first (Sex._Female), then data.<text>
    assert {r["Sexe"] for r in rows} == {"", "Femmes", "Masculin"}
    # a cell that is itself a key (data.Assault)
    assert {r["Type of crime"] for r in rows} == {"", "Voies de fait"}
    # a column of numbers is not translated (sdg-build reads it as numbers), though data.15 exists
    assert {r["Age"] for r in rows} == {"", "15", "65"}
    assert {r["COMMENT_OBS"] for r in rows} == {"", "À utiliser avec prudence"}


def test_english_data_file_is_translated_too_with_sdg_builds_key_rule(built):
    rows = _csv(built, "en/data/16-1-3.csv")
    # Age.Age exists in English: the column is renamed; Sex has no English name
    assert list(rows[0]) == ["Year", "Series", "Units", "Sex", "Type of crime", "Age in years", "COMMENT_OBS", "Value"]
    assert {r["Type of crime"] for r in rows} == {"", "Physical assault"}
    # Sex._Female exists (in French only): it decides, so English keeps the cell as written
    # although data._Female has an English text (sdg-build's TranslationHelper.translate)
    assert {r["Sex"] for r in rows} == {"", "_Female", "Male"}
    assert {r["Series"] for r in rows} == {"Physical violence"}


def test_json_headline_edges_and_comb_follow_the_language(built):
    data = json.loads((built / "fr/data/16-1-3.json").read_text("utf-8"))
    assert "Sexe" in data and "Sex" not in data and "Femmes" in data["Sexe"]
    headline = json.loads((built / "fr/headline/16-1-3.json").read_text("utf-8"))
    assert {r["Series"] for r in headline} == {"Violence physique"} and len(headline) == 2
    assert _csv(built, "fr/headline/16-1-3.csv")[0]["Units"] == "Pourcentage (%)"
    edges = json.loads((built / "fr/edges/16-1-3.json").read_text("utf-8"))
    assert ("Sexe", "Type of crime") in set(zip(edges["From"], edges["To"]))
    comb = json.loads((built / "fr/comb/16-1-3.json").read_text("utf-8"))
    assert comb["edges"] == edges and comb["data"] == data
    everything = json.loads((built / "fr/headline/all.json").read_text("utf-8"))
    assert everything["16-1-3"] == headline


def test_data_package_describes_its_own_csv_with_sdg_builds_titles(built):
    package = json.loads((built / "fr/data-packages/16-1-3/datapackage.json").read_text("utf-8"))
    fields = {f["name"]: f for f in package["resources"][0]["schema"]["fields"]}
    header = next(csv.reader(io.StringIO((built / "fr/data-packages/16-1-3/data.csv").read_text("utf-8"))))
    assert list(fields) == header  # the names of the CSV beside it
    assert fields["Sexe"]["title"] == "Sexe" and set(fields["Sexe"]["constraints"]["enum"]) == {
        "Femmes",
        "Masculin",
        "",
    }
    assert fields["Year"]["title"] == "Année" and fields["Value"]["title"] == "Valeur"
    assert fields["Units"]["constraints"]["enum"] == ["Pourcentage (%)", ""]
    with zipfile_of(built / "fr/zip/all_indicators.zip") as archive:
        assert archive.read("16-1-3.csv") == (built / "fr/data/16-1-3.csv").read_bytes()


def zipfile_of(path):
    import zipfile

    return zipfile.ZipFile(path)


def test_languages_without_translations_share_their_files(tmp_path):
    """typed's translations are English and French: its Spanish data file is the untranslated table,
    the same bytes as its English one (no English text changes a cell or a name there)."""
    repo = FIXTURES / "opensdg" / "typed"
    with sdgtrack.open(tmp_path / "store.duckdb") as ws:
        ws.ingest(repo)
        build_site(ws, tmp_path / "site", SiteOptions(langs=("en", "fr", "es")))
    en, fr, es = ((tmp_path / "site" / lang / "data" / "1-2-1.csv").read_text("utf-8") for lang in ("en", "fr", "es"))
    assert en == es and en.splitlines()[0] == "Year,Sex,Value"
    assert fr.splitlines()[0] == "Year,Sexe,Value"


def test_canada_french_files_are_in_french(tmp_path):
    repo = shared_path("opensdg", "canada")
    with sdgtrack.open(tmp_path / "store.duckdb") as ws:
        ws.ingest(repo / "data" / "indicator_1-4-2.csv")
        build_site(ws, tmp_path / "site", SiteOptions(langs=("en", "fr"), area="CA"))
    fr = _csv(tmp_path / "site", "fr/data/1-4-2.csv")
    assert {"Géographie", "Région", "Genre", "Units", "Value"} <= set(fr[0]) and "Geography" not in fr[0]
    assert "Edmundston (AR)" in {r["Géographie"] for r in fr} and {r["Genre"] for r in fr} == {
        "Total",
        "Homme",
        "Femme",
    }
    en = _csv(tmp_path / "site", "en/data/1-4-2.csv")
    # the repository's English file renames its own cells (St. Johns -> St. John's), as sdg-build does
    places = {r["Geography"] for r in en}
    assert "St. John's (CMA)" in places and "St. Johns (CMA)" not in places


def _words(site, lang: str) -> dict:
    import re

    page = (site / lang / "indicators" / "16-1-3" / "index.html").read_text("utf-8")
    return json.loads(re.search(r'id="page-data">(.*?)</script>', page, re.S).group(1))["words"]


def test_the_page_shows_the_words_of_the_data_files(built):
    fr = _words(built, "fr")
    assert fr["Sex"] == "Sexe" and fr["Male"] == "Masculin" and fr["_Female"] == "Femmes"
    assert fr["Percentage (%)"] == "Pourcentage (%)" and fr["Physical violence"] == "Violence physique"
    en = _words(built, "en")  # English pages too: the repository's English words
    assert en["data.Assault"] == "Physical assault" and "_Female" not in en


def test_metadata_falls_back_to_the_repositorys_own_language_only(built):
    en = json.loads((built / "en/meta/16-1-3.json").read_text("utf-8"))
    fr = json.loads((built / "fr/meta/16-1-3.json").read_text("utf-8"))
    assert "DG_GOAL" not in en  # only the French file has it: no English metadata
    assert fr["DG_GOAL"].startswith("Objectif 16")
    assert en["REC_USE_LIM"] == "Data are reported per household."
    assert fr["REC_USE_LIM"] == ""  # the French file blanks it: not the English text on a French page
    page = (built / "fr" / "indicators" / "16-1-3" / "index.html").read_text("utf-8")
    assert "Data are reported per household" not in page
