"""No English interface words on the pages of the other five UN languages.

The demo store (the real UN subset shipped with the package, with its kept progress assessment) is
published in every language; each page's text (text nodes and the attributes people read: alt,
title, aria-label, placeholder) is stripped of data (area names, series descriptions, dataset
titles, publishers and licences, the framework's English titles where a translation is missing,
codes, numbers) and must then hold none of the English interface strings: the site's catalogue
(strings.yml), the names of the code lists pages show (units, observation status, sex, age ...:
code_labels.words.csv and the age patterns) and the progress methods' titles. The no-script charts
of each language (``LANG/charts/``: description, unit, yes and no) are read the same way. The page script's
words (the indicator's data file labels) must all have their translation in the page's data.
"""

from __future__ import annotations

import json
import re
import shutil
from html.parser import HTMLParser

import pytest
from fastapi.testclient import TestClient

from sdgtrack.demo import build as build_demo
from sdgtrack.publish import code_labels
from sdgtrack.publish.pages import common
from sdgtrack.publish.site import Site, SiteOptions
from sdgtrack.web.app import create_app
from sdgtrack.workspace import Workspace

OTHERS = ("fr", "es", "ar", "ru", "zh-Hans")
# the concepts whose names are interface words (a code list's name for a unit or a status); the
# long classification lists (occupations, products, education programmes) stay English names
INTERFACE_CONCEPTS = (
    "UNIT_MEASURE",
    "OBS_STATUS",
    "NATURE",
    "SEX",
    "URBANISATION",
    "REPORTING_TYPE",
    "INCOME_WEALTH_QUANTILE",
    "DISABILITY_STATUS",
    "AGE",
)


@pytest.fixture(scope="module")
def demo_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("words") / "demo.duckdb"
    with Workspace(path) as ws:
        build_demo(ws)
    return path


@pytest.fixture(scope="module")
def demo_site(demo_path):
    ws = Workspace(demo_path, read_only=True)
    site = Site(ws, SiteOptions(langs=("en", *OTHERS)))
    files = {f.path: _Rendered(f) for f in site.files()}
    yield ws, site, files
    ws.close()


class _Rendered:
    """A site file rendered once for the tests of this module (two tests read the same pages)."""

    def __init__(self, file):
        self.file = file
        self.bytes: bytes | None = None

    def render(self) -> bytes:
        if self.bytes is None:
            self.bytes = self.file.render()
        return self.bytes


class _Text(HTMLParser):
    """The text a person reads on a page, one entry per text node or read attribute."""

    READ = ("alt", "title", "aria-label", "placeholder")

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self.page_data: str | None = None
        self._script: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("script", "style"):
            self._script = attrs.get("id") or ""
        for name in self.READ:
            if attrs.get(name):
                self.texts.append(attrs[name])

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._script = None

    def handle_data(self, data):
        if self._script is not None:
            if self._script == "page-data":
                self.page_data = data
        elif data.strip():
            self.texts.append(data.strip())


def _data_texts(ws: Workspace) -> list[str]:
    """Texts that are data: names the store holds in English (or as the source wrote them)."""
    texts = set(ws.area_names().values())
    info = ws.series_info()
    texts |= {d for d in info["description"].dropna()} | set(info["code"])
    for _, row in ws.datasets().iterrows():
        texts |= {str(row[c]) for c in ("id", "title", "publisher", "licence") if row[c]}
    for code, (title, short) in ws.titles_in("en").items():
        texts |= {t for t in (title, short) if t} | {code}
    texts |= {entry["name"] for entry in common.languages().values()} | {"sdgtrack", "JavaScript", "CSV", "rho"}
    return sorted((t for t in texts if t and len(t) > 1), key=len, reverse=True)


def _interface(lang: str) -> list[str]:
    """English interface strings whose ``lang`` text differs (the same word in both is no leak)."""
    table = common.strings_file()["strings"]
    out = set()

    def parts(entry) -> set[str]:
        # a placeholder's value is data: the string's literal parts (of each form of a counted string)
        texts = entry.values() if isinstance(entry, dict) else [entry]
        return {part.strip(" :;·,()") for text in texts for part in re.split(r"{\w+}", text)}

    for entry in table.values():
        english, other = entry["en"], entry.get(lang) or ""
        if english != other:  # a part the translation says too is the same word ("observation" in French)
            out |= parts(english) - parts(other)
    for (concept, _code), name in code_labels.tables().codes.items():
        # a name is a leak unless its translation is the same word ("Total" in French)
        if concept in INTERFACE_CONCEPTS and code_labels.translated(lang, [name]).get(name) != name:
            out.add(name)
    return sorted((s for s in out if len(s) > 2 and re.search(r"[A-Za-z]{3}", s)), key=len, reverse=True)


def _pages(files, lang: str) -> list[str]:
    indicators = sorted({p.split("/")[2] for p in files if p.startswith(f"{lang}/indicators/") and p.endswith(".html")})
    picked = [
        "index.html",
        "reporting/index.html",
        "progress/index.html",
        "search/index.html",
        "goals/3/index.html",
        "goals/11/index.html",
    ]
    picked += [f"indicators/{i}/index.html" for i in indicators]
    return [f"{lang}/{p}" for p in picked if f"{lang}/{p}" in files]


def _leaks(text: str, data: re.Pattern, interface: re.Pattern) -> list[str]:
    if not interface.search(text):  # most texts: no need to strip data
        return []
    stripped = data.sub(" ", text)
    return [m.group(0) for m in interface.finditer(stripped)]


@pytest.mark.parametrize("lang", OTHERS)
def test_no_english_interface_words(demo_site, lang):
    ws, _site, files = demo_site
    data = re.compile("|".join(re.escape(t) for t in _data_texts(ws)))
    catalogue = _interface(lang)
    assert "Percent" in catalogue and "Normal value" in catalogue and "Headline figure" in catalogue
    interface = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(s) for s in catalogue) + r")(?!\w)")
    pages = _pages(files, lang)
    assert len(pages) > 40  # every indicator with data, and the pages every site has
    leaks: dict[str, set[str]] = {}
    unnamed: dict[str, set[str]] = {}
    for path in pages:
        parser = _Text()
        parser.feed(files[path].render().decode("utf-8"))
        for text in parser.texts:
            for leak in _leaks(text, data, interface):
                leaks.setdefault(leak, set()).add(f"{path}: {text[:80]}")
        if parser.page_data:
            page = json.loads(parser.page_data)
            assert all(v for v in page["strings"].values())
            slug = path.split("/")[2]
            labels = json.loads(files[f"assets/indicators/{slug}.json"].render())["labels"]
            names = [*labels["units"], *labels["statuses"]]
            for entry in labels["dims"].values():
                names += [entry["name"], *entry["values"].values()]
            for name in names:
                if isinstance(name, str) and interface.fullmatch(name) and name not in page["words"]:
                    unnamed.setdefault(name, set()).add(path)
    # the no-script charts of the language: their description, unit and yes/no in its words
    slugs = [p.split("/")[2] for p in pages if p.startswith(f"{lang}/indicators/")]
    charts = [f"{lang}/charts/{s}.svg" for s in slugs if f"assets/charts/{s}.svg" in files]
    assert len(charts) > 40 and all(c in files for c in charts)  # each chart of the first language, in this one
    shown = f"{lang}/indicators/{charts[0].split('/')[-1][:-4]}/index.html"
    assert f'{charts[0]}" alt=' in files[shown].render().decode("utf-8")  # the page shows its own
    titles = _data_texts(ws)
    for path in charts:
        parser = _Text()
        parser.feed(files[path].render().decode("utf-8"))
        for text in parser.texts:
            if text.endswith("\u2026") and any(t.startswith(text[:-1].rstrip()) for t in titles):
                continue  # a long title cut short: the series' description
            for leak in _leaks(text, data, interface):
                leaks.setdefault(leak, set()).add(f"{path}: {text[:80]}")
    assert not leaks, {k: sorted(v)[:2] for k, v in leaks.items()}
    assert not unnamed, {k: sorted(v)[:2] for k, v in unnamed.items()}


def test_live_app_pages_have_no_english_interface_words(demo_site, demo_path, tmp_path):
    """The live server renders the same pages from the store: French and Arabic through the app."""
    ws, _site, _files = demo_site
    copy = tmp_path / "live.duckdb"  # the app opens its store read-write; the fixture holds this one
    shutil.copyfile(demo_path, copy)
    data = re.compile("|".join(re.escape(t) for t in _data_texts(ws)))
    with TestClient(create_app(copy, site=SiteOptions(langs=("en", "fr", "ar")))) as client:
        for lang in ("fr", "ar"):
            catalogue = _interface(lang)
            interface = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(s) for s in catalogue) + r")(?!\w)")
            for page in ("index.html", "indicators/3-2-1/index.html", "progress/index.html"):
                response = client.get(f"/{lang}/{page}")
                assert response.status_code == 200, page
                parser = _Text()
                parser.feed(response.text)
                leaks = [leak for text in parser.texts for leak in _leaks(text, data, interface)]
                assert not leaks, (lang, page, leaks[:5])
                assert f'lang="{lang}"' in response.text


def test_code_list_names_in_every_language():
    """Every name of the code lists pages show has its translation in the five other languages."""
    missing = []
    for (concept, code), name in code_labels.tables().codes.items():
        if concept not in INTERFACE_CONCEPTS:
            continue
        for lang in OTHERS:
            if name not in code_labels.translated(lang, [name]):
                missing.append((concept, code, name, lang))
    assert not missing, missing[:20]


def test_age_names_take_the_plural_of_their_number():
    assert code_labels.label_in("ru", "Y0", "AGE") == "младше 1 года"
    assert code_labels.label_in("ru", "Y0T4", "AGE") == "младше 5 лет"
    assert code_labels.label_in("ru", "Y_GE65", "AGE") == "65 лет и старше"
    assert code_labels.label_in("ar", "Y15T19", "AGE") == "من 15 إلى 19 سنة"
    assert code_labels.label_in("ar", "Y1T4", "AGE") == "من 1 إلى 4 سنوات"
    assert code_labels.label_in("fr", "Y0", "AGE") == "moins de 1 an"
    assert code_labels.label_in("es", "M0", "AGE") == "menos de 1 mes"
    assert code_labels.label_in("zh-Hans", "Y_GE15", "AGE") == "15岁及以上"
    assert code_labels.label_in("en", "Y0T4", "AGE") == "under 5 years old"


class _Numbers(HTMLParser):
    """The numbers of a page's tables (cells of class num) and its headline figure, by table."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.cells: list[list[str]] = []
        self.html: dict = {}  # the html element's attributes: the page's number marks
        self.data_table: int | None = None  # the index in cells of the indicator's data table
        self._in = False
        self._data_next = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.html = attrs
        if attrs.get("id") == "data-table":
            self._data_next = True
        if tag == "table":
            if self._data_next:
                self.data_table, self._data_next = len(self.cells), False
            self.cells.append([])
        classes = (attrs.get("class") or "").split()
        if (tag == "td" and "num" in classes) or "headline-figure" in classes:
            self._in = True
            if "headline-figure" in classes:
                self.cells.append([])
            self.cells[-1].append("")

    def handle_endtag(self, tag):
        if tag in ("td", "span"):
            self._in = False

    def handle_data(self, data):
        if self._in:
            self.cells[-1][-1] += data


@pytest.mark.parametrize("lang", ("en", *OTHERS))
def test_one_number_format_per_page(demo_site, lang):
    """Every number a page writes uses its language's marks (the script and the charts take them from
    the page), and a table's value column has one number of decimals."""
    _ws, _site, files = demo_site
    group, decimal = common.number_marks(lang)
    number = re.compile(rf"-?\d{{1,3}}(?:{re.escape(group)}\d{{3}})*(?:{re.escape(decimal)}\d+)?")
    pages = [p for p in _pages(files, lang) if "/indicators/" in p] + [f"{lang}/progress/index.html"]
    seen = 0
    for path in pages:
        parser = _Numbers()
        parser.feed(files[path].render().decode("utf-8"))
        assert (parser.html["data-group"], parser.html["data-decimal"]) == (group, decimal)
        for index, cells in enumerate(parser.cells):
            decimals = set()
            for cell in cells:
                text = re.sub(r"\(\d{4}\)", "", cell).strip()  # a year in brackets is no number to format
                if text in ("", "–"):
                    continue
                assert number.fullmatch(text), (path, cell)
                decimals.add(len(text.split(decimal)[1]) if decimal in text else 0)
                seen += 1
            if index == parser.data_table:
                assert len(decimals) <= 1, (path, cells)
    assert seen > 100
