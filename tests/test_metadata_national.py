"""National metadata (issue 12): the Open SDG meta files kept in the store with their dataset's load,
read per indicator and language, shown on the site (tab and meta JSON), the API and the CLI, with
the HTML of the files sanitised. Real UK, Canada and Rwanda metadata, and small fixtures."""

from __future__ import annotations

import json
import re
import shutil

import pytest
from typer.testing import CliRunner

import sdgtrack
from sdgtrack.cli import app
from sdgtrack.errors import InvalidInputError, UserInputError
from sdgtrack.ingest import load
from sdgtrack.publish.metadata import render_text, sanitize_html
from sdgtrack.publish.site import Site, SiteOptions

from .conftest import FIXTURES, shared_path

OPENSDG = FIXTURES / "opensdg"


def _field(frame, field: str, dataset: str | None = None):
    rows = frame[(frame["field"] == field) & ((frame["dataset"] == dataset) if dataset else True)]
    assert len(rows) == 1, (field, rows)
    return rows.iloc[0]


def _metadata_rows(ws, dataset: str) -> list[tuple]:
    return ws.store.sql(
        "SELECT indicator, lang, field, value FROM indicator_metadata WHERE dataset = ? ORDER BY ALL", [dataset]
    ).values.tolist()


# -- real repositories ----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def real(tmp_path_factory):
    """UK, Canada and Rwanda loaded into one store (each its own dataset), with --skip-invalid: the
    UK and Canada data files have rows a strict load refuses (tests/test_ingest_opensdg.py)."""
    tmp = tmp_path_factory.mktemp("national")
    ws = sdgtrack.open(tmp / "store.duckdb")
    reports = {
        name: ws.ingest(shared_path("opensdg", name), skip_invalid=True, rejected_path=tmp / f"{name}.csv")
        for name in ("uk", "canada", "rwanda")
    }
    yield ws, reports, tmp
    ws.close()


def test_uk_metadata_is_kept_with_the_load(real):
    ws, reports, _ = real
    # 248 current indicators and 29 archived ones (kept under their own ids)
    assert any("national metadata of 277 indicators" in n for n in reports["uk"].notes)
    assert any("29 archived indicator(s)" in n for n in reports["uk"].notes)
    frame = ws.indicator_metadata("3.2.1", "opensdg-uk")
    assert _field(frame, "national_indicator_description")["value"].startswith(
        "Number of deaths before the age of 5 for each year per 1,000 live births"
    )
    units = _field(frame, "computation_units")
    assert (units["value"], units["label"], units["group"]) == (
        "Rate per 1,000 live births",
        "Unit of measurement",
        "calculation",
    )
    # the UK's schema (_prose.yml) labels its fields; source fields keep their numbers
    assert _field(frame, "source_url_1")["value"].startswith("https://www.ons.gov.uk/")
    assert _field(frame, "source_active_3")["value"] == "false" and _field(frame, "source_active_3")["structured"]
    # an indicator with metadata but no data file (the snapshot lacks 3-4-1.csv) still has its text
    assert not ws.indicator_metadata("3.4.1", "opensdg-uk").empty
    listing = ws.metadata_indicators("opensdg-uk")
    assert len(listing) == 248 + 29 and set(listing["languages"].map(tuple)) == {("en",)}


def test_canada_metadata_in_english_and_french(real):
    ws, reports, _ = real
    assert any("languages en, fr" in n for n in reports["canada"].notes)
    en = ws.indicator_metadata("3.2.1", "opensdg-canada", lang="en")
    fr = ws.indicator_metadata("3.2.1", "opensdg-canada", lang="fr")
    definition_en, definition_fr = _field(en, "STAT_CONC_DEF"), _field(fr, "STAT_CONC_DEF")
    assert "under-5 mortality rate" in definition_en["value"] and definition_en["lang"] == "en"
    assert "taux de mortalité des enfants de moins de 5 ans" in definition_fr["value"] and definition_fr["lang"] == "fr"
    # labels: the repository's schema in English; in French the shipped table (Canada has none)
    assert definition_en["label"] == "Definition and concepts" and definition_fr["label"] == "Définition et concepts"
    # indicator-config fields are not translated: French falls back to the English text, said so
    units = _field(fr, "computation_units")
    assert (units["value"], units["lang"]) == ("Number of deaths per 1,000 live births", "en")
    assert units["label"] == "Unité de mesure"  # translations/fr/metadata_fields.yml
    # a value written as a translation key whose text is blank says nothing: not kept
    assert "PROGRESS_DETAILS" not in set(en["field"])
    assert _field(fr, "source_organisation_1")["value"] == "Statistique Canada"


def test_rwanda_metadata_and_markdown_body(real):
    ws, _, _ = real
    frame = ws.indicator_metadata("1.5.3", "opensdg-rwanda")
    body = _field(frame, "page_content")
    assert body["value"].startswith("**Non-statistical indicator**") and body["group"] == "notes"
    assert render_text(body["value"]).startswith("<p><strong>Non-statistical indicator</strong></p>")
    # a national indicator (not in the SDG framework) is read by its own id
    assert set(ws.indicator_metadata("3.2.1", "opensdg-rwanda")["field"]) >= {"computation_definitions"}


def test_each_dataset_keeps_its_own_metadata(real):
    ws, _, _ = real
    both = ws.indicator_metadata("3.2.1")
    assert list(dict.fromkeys(both["dataset"])) == list(
        d for d in ws.datasets()["id"] if d in {"opensdg-uk", "opensdg-canada", "opensdg-rwanda"}
    )  # in the store's order of preference
    with pytest.raises(UserInputError, match="no dataset 'nope'"):
        ws.indicator_metadata("3.2.1", "nope")
    with pytest.raises(UserInputError, match="no indicator '3.2.99'"):
        ws.indicator_metadata("3.2.99")


def test_reloading_one_dataset_changes_no_other_metadata(real, tmp_path):
    """A changed meta file reloaded (one file of the UK repository) replaces that indicator's UK
    metadata only: Canada's and Rwanda's, and the UK's other indicators, stay as they were."""
    ws, _, _ = real
    before = {d: _metadata_rows(ws, d) for d in ("opensdg-canada", "opensdg-rwanda")}
    uk_before = [r for r in _metadata_rows(ws, "opensdg-uk") if r[0] != "3.2.1"]
    src = shared_path("opensdg", "uk")
    copy = tmp_path / "uk"
    (copy / "data").mkdir(parents=True)
    (copy / "meta").mkdir()
    shutil.copy(src / "config_data.yml", copy)
    shutil.copy(src / "data" / "indicator_3-2-1.csv", copy / "data")
    text = (src / "meta" / "3-2-1.md").read_text("utf-8")
    (copy / "meta" / "3-2-1.md").write_text(text.replace("data_footnote: England", "data_footnote: Revised. England"))
    report = ws.ingest(copy / "data" / "indicator_3-2-1.csv", dataset="opensdg-uk")
    assert report.new == 0 and report.metadata_indicators == 1
    assert _field(ws.indicator_metadata("3.2.1", "opensdg-uk"), "data_footnote")["value"].startswith("Revised.")
    assert {d: _metadata_rows(ws, d) for d in before} == before
    assert [r for r in _metadata_rows(ws, "opensdg-uk") if r[0] != "3.2.1"] == uk_before


def test_uk_page_shows_the_national_definition(real):
    ws, _, _ = real
    site = Site(ws, SiteOptions(langs=("en",), datasets=("opensdg-uk",)))
    page = site.file("en/indicators/3-2-1/index.html").render().decode("utf-8")
    assert 'id="tab-national"' in page and 'id="panel-national"' in page
    assert "Number of deaths before the age of 5 for each year per 1,000 live births in the same year." in page
    assert "Office for National Statistics (ONS)" in page and "Reported online" in page
    meta = json.loads(site.file("en/meta/3-2-1.json").render())
    assert meta["computation_calculations"].startswith("Rate per 1,000 live births")
    assert meta["source_url_1"].startswith("https://www.ons.gov.uk/") and meta["data_non_statistical"] is False
    assert meta["indicator_name"] == "Under-5 mortality rate"  # sdgtrack's title, not the translation key
    assert meta["national_metadata"] == {"dataset": "opensdg-uk", "languages": ["en"]}


# -- small fixtures ---------------------------------------------------------------------------------
@pytest.fixture
def small(tmp_path):
    ws = sdgtrack.open(tmp_path / "store.duckdb")
    ws.ingest(OPENSDG / "metadata")
    yield ws, tmp_path
    ws.close()


def test_translated_metadata_and_translation_keys(small):
    ws, _ = small
    fr = ws.indicator_metadata("3.2.1", lang="fr")
    description = _field(fr, "national_indicator_description")
    assert (description["lang"], description["label"]) == ("fr", "Ce que mesure l'indicateur")
    assert _field(fr, "national_geographical_coverage")["value"] == "Couverture nationale"  # custom.coverage-note
    en = ws.indicator_metadata("3.2.1")
    assert _field(en, "national_indicator_description")["label"] == "What the indicator measures"  # the schema
    assert _field(en, "computation_units")["label"] == "Units"
    # unlabelled by the repository: the shipped table, else the key made readable
    assert _field(en, "data_footnote")["label"] == "Footnote"
    assert _field(en, "graph_limits")["group"] is None and _field(en, "graph_limits")["structured"]
    assert ws.indicator_metadata("1.1.1").empty  # a known indicator without metadata: no rows, no error


def test_whole_repository_reload_replaces_the_datasets_metadata(small, tmp_path):
    ws, _ = small
    copy = tmp_path / "metadata"
    shutil.copytree(OPENSDG / "metadata", copy)
    (copy / "meta" / "3-4-1.yml").unlink()
    ws.ingest(copy)
    assert ws.indicator_metadata("3.4.1").empty  # its file is gone: so is its stored metadata
    assert not ws.indicator_metadata("3.2.1").empty


def test_bad_meta_file_is_one_clear_error_and_changes_nothing(small, tmp_path):
    ws, _ = small
    before = _metadata_rows(ws, "opensdg-metadata")
    copy = tmp_path / "metadata"
    shutil.copytree(OPENSDG / "metadata", copy)
    shutil.copy(OPENSDG / "bad_meta" / "meta" / "3-2-1.md", copy / "meta" / "3-2-1.md")
    (copy / "meta" / "3-4-1.yml").write_text("computation_units: Changed units\n")
    with pytest.raises(InvalidInputError) as err:
        ws.ingest(copy)
    (problem,) = err.value.problems
    assert (problem.file, problem.line) == (str(copy / "meta" / "3-2-1.md"), 5)
    assert "valid YAML front matter" in str(problem) and "nothing was loaded" in str(err.value)
    assert _metadata_rows(ws, "opensdg-metadata") == before
    # --skip-invalid: the data and the good files load, the bad file's indicator keeps its metadata
    report = ws.ingest(copy, skip_invalid=True, rejected_path=tmp_path / "rejected.csv")
    assert "3-2-1.md" in (tmp_path / "rejected.csv").read_text("utf-8") and report.rejected == 1
    assert _field(ws.indicator_metadata("3.4.1"), "computation_units")["value"] == "Changed units"
    assert [r for r in _metadata_rows(ws, "opensdg-metadata") if r[0] == "3.2.1"] == [
        r for r in before if r[0] == "3.2.1"
    ]


def test_bad_meta_fixture_alone_names_file_and_line(db):
    with pytest.raises(InvalidInputError) as err:
        load(db, OPENSDG / "bad_meta", area="GBR")
    assert str(err.value.problems[0]).startswith(f"{OPENSDG / 'bad_meta' / 'meta' / '3-2-1.md'}, line 5: expected")
    assert db.con.execute("SELECT count(*) FROM observation").fetchone()[0] == 0
    assert db.con.execute("SELECT count(*) FROM indicator_metadata").fetchone()[0] == 0


@pytest.mark.parametrize(
    "text, expected",
    [
        ("data_last_updated: 2020-13-45\n", "month must be in 1..12"),  # a date YAML reads, then refuses
        ("a: &a [*a]\n", "at most 100,000 values"),  # a value holding itself
        (  # a 300-byte alias bomb: nine levels of nine aliases would expand to 387 million values
            "a: &a [x,x,x,x,x,x,x,x,x]\n"
            + "".join(f"{c}: &{c} [{','.join([f'*{p}'] * 9)}]\n" for p, c in zip("abcdefgh", "bcdefghi")),
            "at most 100,000 values",
        ),
    ],
)
def test_hostile_meta_files_are_problems_naming_the_file(db, tmp_path, text, expected):
    copy = tmp_path / "metadata"
    shutil.copytree(OPENSDG / "metadata", copy)
    (copy / "meta" / "3-4-1.yml").write_text(text, encoding="utf-8")
    with pytest.raises(InvalidInputError) as err:
        load(db, copy, area="GBR")
    (problem,) = err.value.problems
    assert problem.file == str(copy / "meta" / "3-4-1.yml") and expected in str(problem)
    assert db.con.execute("SELECT count(*) FROM indicator_metadata").fetchone()[0] == 0


def test_config_cannot_send_metadata_reads_outside_the_repository(tmp_path):
    from sdgtrack.ingest.metadata import RepositoryMetadata

    secret = tmp_path / "outside" / "3-4-1.yml"
    secret.parent.mkdir()
    secret.write_text("secret: not for the site\n", encoding="utf-8")
    repo = tmp_path / "repo"
    shutil.copytree(OPENSDG / "metadata", repo)
    meta = RepositoryMetadata(repo, {"languages": ["en", "../../outside"], "schema_file": str(secret)})
    assert meta.languages() == ["en"]
    rows = meta.rows(["3-4-1"], lambda ident: ident.replace("-", "."))
    assert "secret" not in set(rows["field"])
    (problem,) = meta.field_labels()[1]
    assert problem.column == "schema_file" and "inside the repository" in str(problem)


def test_removing_a_dataset_removes_its_metadata(small):
    ws, _ = small
    ws.remove_dataset("opensdg-metadata")
    assert ws.store.sql("SELECT count(*) AS n FROM indicator_metadata")["n"][0] == 0


# -- sanitising ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "dirty",
    [
        "<script>alert('x')</script>",
        "<SCRIPT src=https://evil.example/x.js></SCRIPT>",
        '<p onclick="steal()">t</p>',
        '<a href="javascript:alert(1)">t</a>',
        '<a href="java\tscript:alert(1)">t</a>',
        '<a href=" JAVASCRIPT:alert(1)">t</a>',
        '<img src="x" onerror="alert(1)">',
        '<a href="data:text/html,<script>alert(1)</script>">t</a>',
        '<iframe src="https://evil.example"></iframe>',
        '<style>body{display:none}</style><svg onload="alert(1)"></svg>',
    ],
)
def test_no_script_survives(dirty):
    for out in (sanitize_html(dirty), render_text(dirty)):
        lowered = out.lower()
        assert "<script" not in lowered and "javascript:" not in lowered and "onclick" not in lowered
        assert "onerror" not in lowered and "onload" not in lowered and "<iframe" not in lowered
        assert "<img" not in lowered and "<style" not in lowered and "data:" not in lowered
        assert "alert(" not in lowered  # a script's text is dropped with it, not shown


def test_markdown_links_only_to_http():
    out = render_text("[bad](javascript:alert(1)) [ok](https://example.org) [data](data:text/html,x)")
    assert re.findall(r'href="([^"]*)"', out) == ["https://example.org"]
    assert "<a href" not in render_text("<javascript:alert(1)>")


def test_allowed_tags_kept_and_closed():
    assert sanitize_html('<p>A <b>bold</b> <a href="https://x.org/a?b=1&amp;c=2" target="_blank">link</a>') == (
        '<p>A <strong>bold</strong> <a href="https://x.org/a?b=1&amp;c=2">link</a></p>'
    )
    assert sanitize_html("<ul><li>one<li>two</ul>x < y") == "<ul><li>one</li><li>two</li></ul>x &lt; y"
    assert sanitize_html("<div>text <em>kept</em></div><br/>") == "text <em>kept</em><br>"
    assert render_text("Plain & short") == "Plain &amp; short"


def test_page_of_fixture_drops_script_and_handlers(small):
    ws, _ = small
    site = Site(ws, SiteOptions(langs=("en", "fr")))
    page = site.file("en/indicators/3-2-1/index.html").render().decode("utf-8")
    panel = page[page.index('id="panel-national"') : page.index('id="panel-sources"')]
    assert "Deaths under five per 1,000 live births." in panel and '<a href="https://example.org/u5mr">' in panel
    assert "alert(" not in panel and "onclick" not in panel and "javascript:" not in panel
    assert "<strong>Provisional</strong> figures for 2020." in panel
    # sources: the active one with its link, the inactive one left out
    assert '<a href="https://example.org/source">Child mortality statistics</a>' in panel
    assert "An inactive source" not in panel
    french = site.file("fr/indicators/3-2-1/index.html").render().decode("utf-8")
    assert "Métadonnées nationales" in french and "Décès avant cinq ans" in french
    # text the repository did not translate is marked as English on the French page (WCAG 3.1.2)
    assert '<dd lang="en">Rate per 1,000 live births</dd>' in french and "<dd>Couverture nationale</dd>" in french
    meta = json.loads(site.file("en/meta/3-2-1.json").render())
    assert "alert(" not in json.dumps(meta) and meta["graph_limits"] == [{"minimum": 0}]


def test_metadata_change_rewrites_only_pages_and_meta_files(small, tmp_path):
    from sdgtrack.publish.build import build_site

    ws, _ = small
    out = tmp_path / "site"
    options = SiteOptions(langs=("en", "fr"))
    build_site(ws, out, options)
    copy = tmp_path / "metadata"
    shutil.copytree(OPENSDG / "metadata", copy)
    (copy / "meta" / "3-4-1.yml").write_text(
        "computation_units: Deaths per 100,000 population\nnational_indicator_description: Revised text.\n"
    )
    report = ws.ingest(copy)
    assert report.new == 0 and report.updated == 0  # the data did not change
    again = build_site(ws, out, options)
    # observations.parquet is keyed by the store's last load (Site.store_key): any load rewrites it
    assert sorted(p for p in again.written_paths if p != "observations.parquet") == sorted(
        [f"{lang}/indicators/3-4-1/index.html" for lang in ("en", "fr")]
        + [f"{lang}/meta/3-4-1.json" for lang in ("en", "fr")]
        + [f"{lang}/meta/all.json" for lang in ("en", "fr")]
        # the statistics read each indicator's reporting_status and expected_disaggregations
        + [f"{lang}/stats/{name}.json" for lang in ("en", "fr") for name in ("reporting", "disaggregation")]
        # the reporting page counts the same statuses
        + [f"{lang}/reporting/index.html" for lang in ("en", "fr")]
    )
    assert "Revised text." in (out / "en" / "indicators" / "3-4-1" / "index.html").read_text("utf-8")


# -- API and CLI ----------------------------------------------------------------------------------------
def test_api_metadata(small):
    from fastapi.testclient import TestClient

    from sdgtrack.web.app import create_app

    ws, tmp = small
    ws.close()
    with TestClient(create_app(tmp / "store.duckdb")) as client:
        body = client.get("/api/metadata/3.2.1", params={"lang": "fr"}).json()
        (dataset,) = body["datasets"]
        fields = {f["field"]: f for f in dataset["fields"]}
        assert dataset["dataset"] == "opensdg-metadata" and dataset["languages"] == ["en", "fr"]
        assert (
            fields["national_indicator_description"]["html"] == "Décès avant cinq ans pour 1 000 naissances vivantes."
        )
        assert fields["graph_limits"]["value"] == [{"minimum": 0}] and fields["graph_limits"]["html"] is None
        assert "<script" not in json.dumps(body["datasets"][0]["fields"][0]["html"] or "")
        assert client.get("/api/metadata/3.2.99").status_code == 404
        assert client.get("/api/metadata/3.2.1", params={"dataset": "nope"}).status_code == 400
        csv = client.get("/api/metadata/3.2.1", params={"format": "csv"}).text
        assert csv.startswith("dataset,field,label,group,lang,value") and "Rate per 1,000 live births" in csv


def test_cli_metadata(small):
    ws, tmp = small
    ws.close()
    db = str(tmp / "store.duckdb")
    shown = CliRunner().invoke(app, ["metadata", "3.2.1", "--db", db])
    assert shown.exit_code == 0, shown.output
    assert "What the indicator measures" in shown.output and "Deaths under five per 1,000 live births." in shown.output
    assert "graph_limits" not in shown.output and "Graph limits" not in shown.output  # settings: --all
    as_csv = CliRunner().invoke(app, ["metadata", "3.2.1", "--db", db, "--lang", "fr", "--format", "csv", "--all"])
    assert as_csv.exit_code == 0 and "Couverture nationale" in as_csv.output and "graph_limits" in as_csv.output
    unknown = CliRunner().invoke(app, ["metadata", "3.2.99", "--db", db])
    assert isinstance(unknown.exception, UserInputError) and "no indicator '3.2.99'" in str(unknown.exception)


def test_a_tag_without_end_drops_no_text_after_it():
    from sdgtrack.publish.metadata import render_text

    assert render_text('<embed src="x.swf">Hello <b>world</b>') == "Hello <strong>world</strong>"


def test_page_and_meta_keys_cover_the_sanitiser_and_label_tables():
    """A fix to the sanitiser or a label table must rewrite the files holding their output."""
    from sdgtrack.publish.pages import common

    names = {entry.name for entry in common.code_files()}
    assert {"metadata.py", "metadata_fields.csv", "words_fr.csv", "code_labels.py", "sdmx_labels.csv"} <= names


def test_a_link_inside_a_link_is_closed_first():
    from sdgtrack.publish.metadata import sanitize_html

    assert sanitize_html('<a href="http://x">a<a href="http://y">b</a></a>') == (
        '<a href="http://x">a</a><a href="http://y">b</a>'
    )


def test_display_settings_of_the_three_repositories(real):
    """The page settings their meta files set (store/display.py, issue 20), counted per repository
    as tools/settings_inventory.py counts them from the files."""
    ws, _, _ = real
    found = {}
    for dataset in ("opensdg-uk", "opensdg-canada", "opensdg-rwanda"):
        codes = ws.metadata_indicators(dataset)["indicator"].tolist()
        found[dataset] = ws.display_settings(codes, dataset)
    uk, canada = found["opensdg-uk"], found["opensdg-canada"]
    # the UK's 29 archived indicators keep their settings too: one bar chart, 14 without a map
    current = {code: s for code, s in uk.items() if not code.startswith("archived-")}
    assert sum(s["graph_type"] == "bar" for s in current.values()) == 16
    assert sum(not s["show_map"] for s in current.values()) == 186
    assert [c for c, s in uk.items() if s["graph_type"] == "bar" and c not in current] == ["archived-17-18-1"]
    assert sum(not s["show_map"] for s in uk.values()) == 200
    assert sum(bool(s["start_values"]) for s in uk.values()) == 20
    # the UK's breaks count the chart's years from 0: 16.1.4's first falls on 2016/17
    assert sum(bool(s["breaks"]) for s in uk.values()) == 10 and uk["16.1.4"]["breaks"][0]["position"] == 15
    # one UK item names its series under "Series" and gives no title: left out, and said
    assert {c: s["problems"] for c, s in uk.items() if s["problems"]} == {
        "6.5.1": ['graph_titles: {"Series": "Degree of integrated water resources management implementation"} '
                  "(expected a title)"]
    }  # fmt: skip
    assert sum(s["graph_type"] == "bar" for s in canada.values()) == 38
    assert sum(bool(s["lines"]) for s in canada.values()) == 6
    assert canada["1.2.1"]["lines"] == [{"series": None, "unit": None, "value": 7.25, "label": None, "kind": "target"}]
    assert sum(bool(s["limits"]) for s in canada.values()) == 5
    # labels written as translation keys are resolved at ingest, in each language
    assert [line["label"] for line in canada["17.2.1"]["lines"]] == [
        "Target - ODA as a share of GNI",
        "Target - Total ODA to least developed countries as a share of GNI",
    ]
    french = ws.display_settings("17.2.1", "opensdg-canada", lang="fr")["17.2.1"]
    assert french["lines"][0]["label"] == "Cible - APD en proportion du RNB"
    assert sorted(p for s in canada.values() for p in s["problems"]) == [
        'data_start_values: {"field": "Units", "Value": "Mortality rate per 1,000 live births"} (expected a field and a value)',
        'data_start_values: {"series": "Long-Term Evolution (LTE)"} (expected a field and a value)',
    ]  # the titles written as keys are resolved; two start values lack a field or value in the source
    assert all(s["graph_type"] == "line" for s in found["opensdg-rwanda"].values())
