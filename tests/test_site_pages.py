"""The site's pages, rendered from a small store: every page in every language asked for, links
that resolve to files of the site, no inline script, translated titles and strings, right-to-left
Arabic, goal colours that pass WCAG AA, and the indicator data file against the store."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import PurePosixPath

import pytest

from sdgtrack import plurals
from sdgtrack.publish.build import build_site
from sdgtrack.publish.pages import common
from sdgtrack.publish.pages.indicator_data import parse_dims
from sdgtrack.publish.site import Site, SiteOptions
from sdgtrack.workspace import Workspace

from .conftest import FIXTURES


@pytest.fixture(scope="module")
def site_files(tmp_path_factory):
    path = tmp_path_factory.mktemp("pages") / "store.duckdb"
    with Workspace(path) as ws:
        ws.ingest(FIXTURES / "ingest" / "tidy_good.csv")
    ws = Workspace(path, read_only=True)
    site = Site(ws, SiteOptions(langs=("en", "fr", "ar"), title="Test site"))
    files = {f.path: f for f in site.files()}
    yield site, files
    ws.close()


def _render(files, path) -> str:
    return files[path].render().decode("utf-8")


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.scripts: list[dict] = []
        self.styles = 0
        self.html: dict = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.html = attrs
        if tag == "script":
            self.scripts.append(attrs)
        if "style" in attrs or tag == "style":
            self.styles += 1
        for name in ("href", "src"):
            if attrs.get(name):
                self.links.append(attrs[name])


def test_strings_have_every_language():
    table = common.strings_file()
    required = list(table["languages"])  # the six UN languages, Russian and Chinese from strings.LANG.yml
    assert required == ["en", "fr", "es", "ar", "ru", "zh-Hans"]
    missing = [(key, lang) for key, entry in table["strings"].items() for lang in required if not entry.get(lang)]
    assert not missing
    stray = [key for key, entry in table["strings"].items() if "en" not in entry]  # a language file's unknown key
    assert not stray
    for key, entry in table["strings"].items():  # the same placeholders in every language
        # a counted string gives forms by plural category: `other` always, each with the placeholders
        forms = {lang: text if isinstance(text, dict) else {"other": text} for lang, text in entry.items()}
        assert all("other" in f and set(f) <= set(plurals.CATEGORIES) for f in forms.values()), key
        names = {(lang, c): set(re.findall(r"{(\w+)}", t)) for lang, f in forms.items() for c, t in f.items()}
        assert len({frozenset(v) for v in names.values()}) == 1, (key, names)


def test_goal_colours_pass_wcag_aa():
    colours = common.goal_colours()
    assert sorted(colours, key=int) == [str(g) for g in range(1, 18)]
    for goal, c in colours.items():
        assert common.contrast(c["colour"], c["text"]) >= 4.5, goal
    # white fails on several official colours (e.g. goal 7 yellow): those get dark text
    assert colours["7"]["text"] == "#111111" and colours["3"]["text"] == "#111111"


def test_every_page_in_every_language_with_links_that_resolve(site_files):
    _site, files = site_files
    for lang in ("en", "fr", "ar"):
        for page in (
            "index.html",
            "goals/3/index.html",
            "indicators/3-2-1/index.html",
            "indicators/17-19-2/index.html",
            "reporting/index.html",
            "search/index.html",
        ):
            assert f"{lang}/{page}" in files
    broken, inline = [], []
    for path in [p for p in files if p.endswith(".html")]:
        parser = _Links()
        parser.feed(_render(files, path))
        for script in parser.scripts:  # the live app forbids inline script: only files and JSON data blocks
            if not script.get("src") and script.get("type") != "application/json":
                inline.append(path)
        assert parser.styles == 0, f"{path}: inline style (the CSP forbids it)"
        for link in parser.links:
            if link.startswith(("http://", "https://", "#")):
                continue
            target = str(PurePosixPath(path).parent / link.split("#")[0].split("?")[0])
            resolved = _normalise(target)
            if resolved not in files:
                broken.append(f"{path} -> {link}")
    assert not inline, inline[:5]
    assert not broken, broken[:10]


def _normalise(path: str) -> str:
    parts: list[str] = []
    for part in path.split("/"):
        if part == "..":
            parts.pop()
        elif part not in (".", ""):
            parts.append(part)
    return "/".join(parts)


def test_languages_titles_and_direction(site_files):
    _site, files = site_files
    fr = _render(files, "fr/goals/3/index.html")
    assert '<html lang="fr" dir="ltr" ' in fr and "Objectif 3" in fr
    assert "Permettre à tous de vivre en bonne santé" in fr  # the shipped French title of goal 3
    ar = _render(files, "ar/index.html")
    assert '<html lang="ar" dir="rtl" ' in ar and "الهدف 3" in ar
    en = _render(files, "en/index.html")
    # the language switch on every page links the same page in the other languages
    assert 'href="../fr/index.html"' in en and 'href="../ar/index.html"' in en
    assert 'href="../../../en/indicators/3-2-1/index.html"' in _render(files, "fr/indicators/3-2-1/index.html")
    assert en.count('class="tile goal-') == 17


def test_indicator_data_file_matches_the_store(site_files):
    site, files = site_files
    data = json.loads(files["assets/indicators/3-2-1.json"].render())
    rows = site.workspace.observations("3.2.1", all_disaggregations=True)
    assert len(data["rows"]["v"]) == len(rows) > 0
    seen = sorted(
        (data["series"][s]["code"], data["areas"][a][0], y, data["dims"][d].get("Sex", ""), v)
        for s, a, y, d, v in zip(*(data["rows"][k] for k in ("s", "a", "y", "d", "v")))
    )
    expected = sorted(
        (r.series, r.area, int(r.year), parse_dims(r.dims).get("Sex", ""), r.value) for r in rows.itertuples()
    )
    assert seen == expected
    # the page carries its strings and the data file's address, not the data
    page = _render(files, "en/indicators/3-2-1/index.html")
    assert 'data-src="../../../assets/indicators/3-2-1.json"' in page and 'role="tablist"' in page
    assert "3-2-1.json" not in _render(files, "en/indicators/17-19-2/index.html")  # no data: no data file


def test_reporting_counts_and_search_index(site_files):
    site, files = site_files
    reporting = _render(files, "en/reporting/index.html")
    with_data = site.indicators()
    total = sum(1 for n in site.nodes() if n[1] == "indicator")
    assert 0 < len(with_data) < total
    assert f"{len(with_data)} of {total} indicators with data" in reporting
    goal3 = sum(1 for c in with_data if c.startswith("3."))
    assert re.search(
        rf'Goal 3: Good health and well-being</a></th>\s*<td class="num">\d+</td><td class="num">{goal3}</td>',
        reporting,
    )
    fr = _render(files, "fr/search/index.html")
    index = json.loads(
        re.search(r'<script type="application/json" id="search-index">(.*?)</script>', fr, re.S).group(1)
    )
    entry = next(e for e in index["entries"] if e["code"] == "3.2.1")
    assert (
        entry["href"] == "../indicators/3-2-1/index.html" and "Under-5" in entry["extra"]
    )  # English words find it too


def test_dims_parse_undoes_the_store_escapes():
    assert parse_dims("Age=<5Y|Name=a\\7Cb\\3Dc") == {"Age": "<5Y", "Name": "a|b=c"}
    assert parse_dims("") == {}


def test_contributions_page_only_for_published_records(tmp_path):
    path = tmp_path / "store.duckdb"
    with Workspace(path) as ws:
        ws.contributions.import_file(FIXTURES / "contributions" / "crp-2025.txt", year=2025, status="draft")
        site = Site(ws, SiteOptions(langs=("en", "fr")))
        assert not [f for f in site.files() if "contributions" in f.path]  # a draft is not published
        (sid,) = ws.contributions.submissions()["id"]
        ws.contributions.set_status(sid, "submitted")
        ws.contributions.set_status(sid, "published")
        records = ws.contributions.records(status="published")
        site = Site(ws, SiteOptions(langs=("en", "fr")))
        files = {f.path: f for f in site.files()}
        page = files["fr/contributions/index.html"].render().decode()
        home = files["fr/index.html"].render().decode()
    assert page.count('<li class="record"') == len(records) > 0
    for r in records.itertuples():
        assert f'data-goals=" {" ".join(str(g) for g in r.sdgs)} "' in page
    assert 'id="registry-filters"' in page and "Organisation" in page
    assert 'href="../fr/contributions/index.html"' in home  # in the navigation


def test_rebuild_writes_only_pages_of_the_changed_indicator(tmp_path):

    store, out = tmp_path / "store.duckdb", tmp_path / "site"
    with Workspace(store) as ws:
        ws.ingest(FIXTURES / "ingest" / "tidy_good.csv")
    options = SiteOptions(langs=("en", "fr"))
    with Workspace(store, read_only=True) as ws:
        first = build_site(ws, out, options)
        again = build_site(ws, out, options)
    assert first.written > 100 and again.written == 0  # same store, same keys: nothing rewritten
    changed = tmp_path / "more.csv"
    changed.write_text("series,area,year,value,indicator,unit\nSH_DYN_MORT,AFG,2019,60.3,3.2.1,PER_1000_LIVE_BIRTHS\n")
    with Workspace(store) as ws:
        ws.ingest(changed, dataset="tidy_good")
    with Workspace(store, read_only=True) as ws:
        third = build_site(ws, out, options)
    pages = {p for p in third.written_paths if p.endswith(".html")}
    assert {"en/indicators/3-2-1/index.html", "fr/indicators/3-2-1/index.html", "en/index.html"} <= pages
    assert (
        "en/indicators/1-1-1/index.html" not in pages and "en/indicators/3-2-2/index.html" in pages
    )  # 3.2.2: same target
    assert "assets/indicators/3-2-1.json" in third.written_paths and "assets/site.js" not in third.written_paths


def test_city_pages_when_the_store_holds_city_data(tmp_path):
    from .conftest import shared_path

    values = shared_path("u4ssc", "city_values.csv")
    with Workspace(tmp_path / "store.duckdb") as ws:
        assert not [f for f in Site(ws, SiteOptions()).files() if "cities" in f.path]
        ws.city_import(values, city="Asker")
        site = Site(ws, SiteOptions(langs=("en", "es")))
        files = {f.path: f for f in site.files()}
        index = files["es/cities/index.html"].render().decode()
        page = files["es/cities/NO-ASKER/index.html"].render().decode()
        report = files["cities/NO-ASKER/report.html"].render().decode()
        score = ws.city_score("NO-ASKER")
    assert "Asker" in index and 'href="NO-ASKER/index.html"' in index and "Ciudades" in index
    assert "Asker" in report and "<html" in report
    # the city's page: translated interface, the printable report linked, every KPI with a value listed
    assert 'href="../../../cities/NO-ASKER/report.html"' in page and "Puntuaciones por dimensión" in page
    with_data = score.kpis[score.kpis["status"] != "no_data"]
    kpi_rows = re.findall(r'<th scope="row">[^<]*<span class="code">([^<]+)</span>', page)
    assert sorted(set(kpi_rows)) == sorted(set(with_data["key"]))
    scored = score.rollups[(score.rollups["level"] == "dimension") & (score.rollups["percent"].notna())]
    for row in scored.itertuples():  # each dimension's score as the scorer gives it
        assert f"{row.percent:.2f}%" in page
    assert page.count('class="band band-') >= int(score.kpis["band"].ne("").sum())


def test_progress_chart_speaks_each_language(tmp_path):
    """The progress picture has words (title, statuses, goal labels): one per language, translated."""
    rows = "".join(f"SH_DYN_MORT,1,{y},{60 - 3 * (y - 2010)},3.2.1,PER_1000_LIVE_BIRTHS\n" for y in range(2010, 2021))
    data = tmp_path / "world.csv"
    data.write_text("series,area,year,value,indicator,unit\n" + rows, encoding="utf-8")
    with Workspace(tmp_path / "store.duckdb") as ws:
        ws.ingest(data)
        ws.assess("unsd")
    with Workspace(tmp_path / "store.duckdb", read_only=True) as ws:
        files = {f.path: f for f in Site(ws, SiteOptions(langs=("en", "fr"))).files()}
        words = {
            lang: re.findall(r"<text[^>]*>([^<]+)</text>", _render(files, f"{lang}/progress/chart.svg"))
            for lang in ("en", "fr")
        }
        page = _render(files, "fr/progress/index.html")
    assert 'src="chart.svg"' in page
    assert "SDG 3" in words["en"] and "On track" in words["en"]
    assert "ODD 3" in words["fr"] and "En bonne voie" in words["fr"] and "On track" not in words["fr"]
    assert any(w.startswith("Progrès vers les cibles de 2030") for w in words["fr"])


def test_a_new_optional_page_reaches_every_page_navigation_on_rebuild(tmp_path):
    """Publishing contributions changes no dataset or area, yet every page's navigation must gain the
    registry link: the navigation is part of each page's key."""
    with Workspace(tmp_path / "store.duckdb") as ws:
        ws.ingest(FIXTURES / "ingest" / "tidy_good.csv")
        ws.contributions.import_file(FIXTURES / "contributions" / "crp-2025.txt", year=2025, status="draft")
        build_site(ws, tmp_path / "site")
        page = tmp_path / "site" / "en" / "indicators" / "3-2-1" / "index.html"
        assert "contributions/index.html" not in page.read_text(encoding="utf-8")
        (sid,) = ws.contributions.submissions()["id"]
        ws.contributions.set_status(sid, "submitted")
        ws.contributions.set_status(sid, "published")
        report = build_site(ws, tmp_path / "site")
    assert 'href="../../../en/contributions/index.html"' in page.read_text(encoding="utf-8")
    assert report.written > 0


def test_progress_page_when_the_kept_assessment_has_nothing_for_the_site_area(tmp_path):
    """The store keeps an assessment, but of other areas than the site's (here Afghanistan and Nepal,
    the site's area being the World): the page says "not assessed" instead of failing the build."""
    with Workspace(tmp_path / "store.duckdb") as ws:
        ws.ingest(FIXTURES / "ingest" / "tidy_good.csv")
        ws.assess("unsd")
        files = {f.path: f for f in Site(ws, SiteOptions(langs=("en",))).files()}
        page = _render(files, "en/progress/index.html")
    assert page.count("status-none") >= 17 and 'src="chart.svg"' not in page
