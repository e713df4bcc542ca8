"""The live app's data-entry pages in the six UN languages: the words catalogue
(``web/templates/entry/words.csv``) has every sentence the templates and the page modules say, in
every language with the same placeholders, and a page rendered in French, Spanish, Arabic, Russian
or Chinese holds none of the catalogue's English once its data (user, entity, dataset and series
names, file names, audit actions, numbers and dates) is taken out."""

from __future__ import annotations

import re
import string
from html.parser import HTMLParser
from importlib import resources

import pytest

from sdgtrack.vocabulary import CONTRIBUTION_KINDS, REQUEST_GRID_COLUMNS, REQUEST_UPLOAD_TYPES, record_fields
from sdgtrack.web import entry_pages
from sdgtrack.web.forms import KIND_NAMES

from .web_entry_app import build

OTHERS = ("fr", "es", "ar", "ru", "zh-Hans")
TEMPLATES = resources.files("sdgtrack.web") / "templates" / "entry"
# the codes the pages show through the catalogue: request kinds and states, roles, the statuses of
# a preview's rows and of a value's history
CODES = ["data", "record", "draft", "submitted", "published", "rejected", "editor", "reviewer", "admin", "new",
         "updated", "unchanged", "current", "removed"]  # fmt: skip


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_the_catalogue_has_every_sentence_in_every_language():
    table = entry_pages.catalogue()
    said = set()
    for template in TEMPLATES.iterdir():
        if template.name.endswith(".html"):
            text = template.read_text(encoding="utf-8")
            said |= set(re.findall(r'_\("([^"]+)"\)', text)) | set(re.findall(r"_\('([^']+)'\)", text))
    said |= set(KIND_NAMES.values()) | set(CONTRIBUTION_KINDS) | set(CODES)
    said |= set(REQUEST_UPLOAD_TYPES.values()) | set(REQUEST_GRID_COLUMNS)
    for kind in CONTRIBUTION_KINDS:
        said |= {x for field in record_fields(kind) for x in field}
    for module in ("entry.py", "data_requests.py", "forms.py", "admin.py"):
        source = (resources.files("sdgtrack.web") / module).read_text(encoding="utf-8")
        said |= set(re.findall(r'Words\(\s*"([^"]+)"', source))
    assert len(said) > 150
    missing = sorted(said - set(table))
    assert not missing, missing[:20]
    for english, row in table.items():
        for lang in OTHERS:
            assert row[lang].strip(), (english, lang)
            assert _placeholders(row[lang]) == _placeholders(english), (english, lang)


class _Text(HTMLParser):
    """What a person reads: text nodes and read attributes, not scripts, styles or code (the audit
    trail's JSON is data)."""

    READ = ("alt", "title", "aria-label", "placeholder")

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self.html: dict = {}
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.html = attrs
        if tag in ("script", "style", "code"):
            self._skip += 1
        self.texts += [attrs[name] for name in self.READ if attrs.get(name)]

    def handle_endtag(self, tag):
        if tag in ("script", "style", "code"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.texts.append(data.strip())


@pytest.fixture(scope="module")
def entry(tmp_path_factory):
    built = build(tmp_path_factory.mktemp("words") / "entry.duckdb")
    editor = built.user("ed_a")
    record = built.ws.review.new_record(editor, "event", 2024, {"name": "Forum Kigali", "description": "Talks"})
    built.record_id = record["id"]
    built.draft_id = built.draft("ed_a", "ds-a", b"series,area,year,value\nSH_DYN_MORT,RWA,2021,31.5\n")
    built.submitted_id = built.submitted("ed_a", "ds-a", b"series,area,year,value\nSH_DYN_MORT,RWA,2022,30.5\n")
    yield built
    built.ws.close()


def _translated(lang: str) -> re.Pattern:
    """The catalogue's ``lang`` texts (split at their placeholders): words of the page's language
    that an English word may look like ("change" in French, the role codes a hint names)."""
    parts = {p.strip() for row in entry_pages.catalogue().values() for p in re.split(r"{\w+}", row[lang])}
    alternatives = "|".join(re.escape(p) for p in sorted(parts, key=len, reverse=True) if len(p) > 2)
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")


def _data(entry) -> re.Pattern:
    ws = entry.ws
    admin = entry.user("admin")
    texts = set(ws.accounts.users()["name"]) | {"A", "B", "ds-a", "ds-b", "d.csv", "test", "sdgtrack"}
    texts |= (
        set(ws.audit()["action"]) | set(ws.audit()["object"].dropna()) | {r["title"] for r in ws.review.list(admin)}
    )
    texts |= {"SH_DYN_MORT", "Forum Kigali", "Talks"} | set(ws.area_names().values())
    texts |= set(ws.node_titles("sdg").values())  # a goal's English title where the store has no translation
    texts |= {name for _code, name, _url in _languages()}
    pattern = "|".join(re.escape(t) for t in sorted(texts, key=len, reverse=True))
    # numbers, dates and times, request ids
    return re.compile(rf"(?<!\w)(?:{pattern})(?!\w)|\d[\d\-:. T]*")


def _languages():
    return [(code, entry_pages.NAMES[code], "") for code in entry_pages.LANGUAGES]


def _english(lang: str) -> re.Pattern:
    """The catalogue's English whose ``lang`` text differs, split at its placeholders."""
    parts = set()
    for english, row in entry_pages.catalogue().items():
        if row[lang] != english:
            parts |= {p.strip(" :;,.()") for p in re.split(r"{\w+}", english)}
    words = sorted((p for p in parts if len(p) > 2 and re.search(r"[A-Za-z]{3}", p)), key=len, reverse=True)
    return re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(w) for w in words) + r")(?![\w-])")


@pytest.mark.parametrize("lang", OTHERS)
def test_entry_pages_have_no_english_interface_words(entry, lang):
    data, english, translated = _data(entry), _english(lang), _translated(lang)
    pages = {
        "admin": ["/entry", "/entry/data/new", "/admin/users", "/admin/audit", f"/entry/requests/{entry.record_id}",
                  f"/entry/requests/{entry.draft_id}", "/entry/records/new?kind=partnership",
                  "/entry/data/new?dataset=ds-a&series=SH_DYN_MORT&area=RWA"]
        + [f"/entry/records/new?kind={kind}" for kind in CONTRIBUTION_KINDS],
        "ed_a": ["/entry", f"/entry/requests/{entry.draft_id}", f"/entry/requests/{entry.submitted_id}"],
        "rev": ["/entry", f"/entry/requests/{entry.draft_id}", f"/entry/requests/{entry.submitted_id}"],
    }  # fmt: skip
    leaks: dict[str, set[str]] = {}
    for who, paths in pages.items():
        client = entry.sessions[who]
        for path in paths:
            answer = client.get(path + ("&" if "?" in path else "?") + f"lang={lang}")
            assert answer.status_code == 200, (who, path)
            parser = _Text()
            parser.feed(answer.text)
            assert parser.html == {"lang": lang, "dir": "rtl" if lang == "ar" else "ltr"}
            for text in parser.texts:
                for leak in english.findall(translated.sub(" ", data.sub(" ", text))):
                    leaks.setdefault(leak, set()).add(f"{who} {path}: {text[:80]}")
    # the language is kept for the next pages (a cookie), and the sign-in page speaks it too
    client = entry.sessions["admin"]
    assert f'lang="{lang}"' in client.get("/entry").text
    assert client.get("/entry?lang=en").text.count('lang="en"') >= 1
    assert not leaks, {k: sorted(v)[:2] for k, v in leaks.items()}
    assert len(english.pattern) > 3000 and english.search("Approve and publish")  # the check has words to find


def test_the_language_of_a_page(entry):
    client = entry.sessions["rev"]
    client.cookies.delete(entry_pages.LANG_COOKIE)
    assert '<html lang="en" dir="ltr">' in client.get("/entry").text
    answer = client.get("/entry", headers={"Accept-Language": "ru-RU,ru;q=0.9,en;q=0.5"})
    assert '<html lang="ru"' in answer.text and "Запросы на изменение" in answer.text
    answer = client.get("/entry", headers={"Accept-Language": "zh-CN"})
    assert '<html lang="zh-Hans"' in answer.text and "变更请求" in answer.text
    answer = client.get("/entry?lang=ar")
    assert '<html lang="ar" dir="rtl">' in answer.text and "طلبات التغيير" in answer.text
    assert '<html lang="ar"' in client.get("/entry").text  # kept in a cookie
    assert '<html lang="ar"' in client.get("/entry?lang=xx").text  # not a language: the cookie's
    assert '<html lang="en"' in client.get("/entry?lang=en").text
    # a message the web layer words (a wrong password) in the page's language
    assert "nom ou mot de passe incorrect" in _wrong_sign_in(entry, "fr")


def _wrong_sign_in(entry, lang: str) -> str:
    from fastapi.testclient import TestClient

    client = TestClient(entry.app)
    page = client.get(f"/login?lang={lang}")
    token = re.search(r'name="login_token" value="([^"]+)"', page.text).group(1)
    answer = client.post("/login", data={"name": "rev", "password": "not it", "login_token": token, "next": "/entry"})
    assert answer.status_code == 401
    return answer.text
