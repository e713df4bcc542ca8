"""National metadata values keep the type the repository's YAML gave them (issue 20, sdg-build parity
of meta/ID.json): numbers stay numbers, a quoted ``'true'`` is the switch, quoted text stays text; and
the page, the API and the CLI still show the numbers. The meta files translate the values through the
repository's translations, as sdg-build's build of each language does."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

import sdgtrack
from sdgtrack.publish.build import build_site
from sdgtrack.publish.site import SiteOptions

from .conftest import FIXTURES, shared_path

TYPED = FIXTURES / "opensdg" / "typed"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("typed")
    with sdgtrack.open(tmp / "store.duckdb") as ws:
        ws.ingest(TYPED)
        build_site(ws, tmp / "site", SiteOptions(langs=("en", "fr")))
    return tmp


def _meta(built, lang: str, code: str = "1-2-1") -> dict:
    return json.loads((built / "site" / lang / "meta" / f"{code}.json").read_text("utf-8"))


def test_meta_json_keeps_the_yaml_types(built):
    meta = _meta(built, "en")
    assert meta["source_earliest_available_1"] == 2010 and type(meta["source_earliest_available_1"]) is int
    assert meta["un_designated_tier"] == 2.0 and type(meta["un_designated_tier"]) is float
    assert meta["source_release_date_1"] == "2015"  # quoted in the file: text
    assert meta["source_next_release_1"] == "23/03/2023"
    # 'true' and 'False' written as text are switches (the text "False" would be true to a script)
    assert meta["source_active_1"] is True and meta["source_active_2"] is False
    assert meta["expected_disaggregations"] == ["Sex"]
    all_meta = json.loads((built / "site" / "en" / "meta" / "all.json").read_text("utf-8"))
    assert all_meta["1-2-1"] == meta


def test_numbers_are_still_shown_on_the_page_and_the_api(built):
    page = (built / "site" / "en" / "indicators" / "1-2-1" / "index.html").read_text("utf-8")
    assert "2010" in page and "Statistics Canada" in page and "An inactive source" not in page
    from sdgtrack.web.app import create_app

    with TestClient(create_app(built / "store.duckdb")) as client:
        body = client.get("/api/metadata/1.2.1").json()
    fields = {f["field"]: f for f in body["datasets"][0]["fields"]}
    assert fields["source_earliest_available_1"]["value"] == 2010
    assert fields["source_earliest_available_1"]["html"] == "2010"
    assert fields["source_earliest_available_1"]["group"] == "source"
    assert fields["un_designated_tier"]["value"] == 2.0 and fields["un_designated_tier"]["group"] is not None
    assert fields["source_active_1"]["value"] is True and fields["source_active_1"]["html"] is None


def test_uk_years_are_numbers_as_sdg_build_publishes_them(tmp_path):
    repo = shared_path("opensdg", "uk")
    with sdgtrack.open(tmp_path / "store.duckdb") as ws:
        ws.ingest(repo, skip_invalid=True, rejected_path=tmp_path / "rejected.csv")
        frame = ws.indicator_metadata("1.1.1", "opensdg-uk")
    rows = frame.set_index("field")
    assert json.loads(rows.loc["source_earliest_available_1", "value"]) == 1968
    assert rows.loc["source_earliest_available_1", "group"] == "source"
    assert json.loads(rows.loc["data_non_statistical", "value"]) is False


def test_meta_json_translates_through_the_repositorys_translations(built):
    fr = _meta(built, "fr")
    assert fr["un_designated_tier"] == "Niveau II"  # its own French file
    assert fr["source_organisation_1"] == "Statistique Canada"  # data.Statistics Canada
    assert fr["computation_units"] == "Pourcentage (%)"
    assert fr["expected_disaggregations"] == ["Sexe"]  # item by item
    assert fr["source_earliest_available_1"] == 2010 and fr["source_active_1"] is True
    en = _meta(built, "en")
    assert en["source_organisation_1"] == "Statistics Canada" and en["expected_disaggregations"] == ["Sex"]
    assert en["data_start_values"] == [{"field": "Sex", "value": "Female"}]  # data._Female in English
    # the page's settings keep the data's own words (the data say _Female)
    with sdgtrack.open(built / "store.duckdb") as ws:  # the API test's app opened it for writing
        settings = ws.display_settings("1.2.1", lang="fr")["1.2.1"]
        assert settings["start_values"] == [{"field": "Sex", "value": "_Female", "series": None}]
        assert ws.metadata_translator("opensdg-typed", "fr")(["Sex", {"a": "Sex"}, 3]) == ["Sexe", {"a": "Sexe"}, 3]


def test_translations_are_kept_and_removed_with_the_dataset(tmp_path):
    with sdgtrack.open(tmp_path / "store.duckdb") as ws:
        ws.ingest(TYPED)
        count = "SELECT count(*) AS n FROM dataset_translation WHERE dataset = 'opensdg-typed'"
        assert ws.store.sql(count)["n"][0] == 4
        ws.remove_dataset("opensdg-typed")
        assert ws.store.sql(count)["n"][0] == 0
