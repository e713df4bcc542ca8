"""Russian and Chinese pages (the UN's other two official languages): interface strings from
strings.ru.yml and strings.zh-Hans.yml, titles from the shipped translations, `--lang zh` for
zh-Hans; French and Arabic unchanged."""

from __future__ import annotations

import re
import unicodedata

import pytest

from sdgtrack.cli import run
from sdgtrack.publish.pages import common
from sdgtrack.publish.site import SiteOptions, check_langs
from sdgtrack.workspace import Workspace

from .conftest import FIXTURES


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    folder = tmp_path_factory.mktemp("langs")
    store = folder / "store.duckdb"
    with Workspace(store) as ws:
        ws.ingest(FIXTURES / "ingest" / "tidy_good.csv")
    out = folder / "site"
    assert run(["site", "build", str(out), "--lang", "ru,zh,fr,ar", "--db", str(store)]) == 0
    with Workspace(store, read_only=True) as ws:
        titles = {lang: ws.titles_in(lang) for lang in ("ru", "zh-Hans", "en")}
    return out, titles


def _page(out, path) -> str:
    return (out / path).read_text("utf-8")


def test_zh_is_zh_hans():
    assert check_langs(["ru", "zh"]) == ("ru", "zh-Hans")
    assert SiteOptions(langs=("zh", "en")).langs == ("zh-Hans", "en")


def test_russian_pages(built):
    out, titles = built
    goal = _page(out, "ru/goals/3/index.html")
    assert '<html lang="ru" dir="ltr" ' in goal and "Цель 3" in goal
    russian = unicodedata.normalize("NFC", titles["ru"]["3"][0])
    assert russian != titles["en"]["3"][0] and russian in goal  # the shipped Russian title of goal 3
    indicator = _page(out, "ru/indicators/3-2-1/index.html")
    assert ">График</button>" in indicator and ">Таблица</button>" in indicator and ">Карта</button>" in indicator
    assert "Основной показатель" in indicator and "Headline figure" not in indicator
    assert unicodedata.normalize("NFC", titles["ru"]["3.2.1"][0]) in indicator
    # the language switch names each language in itself
    assert "中文" in indicator and 'href="../../../zh-Hans/indicators/3-2-1/index.html"' in indicator
    assert common.format_number(1234.5, lang="ru") == "1\u00a0234,50"


def test_chinese_pages(built):
    out, titles = built
    assert not (out / "zh").exists()
    home = _page(out, "zh-Hans/index.html")
    assert '<html lang="zh-Hans" dir="ltr" ' in home and "可持续发展目标" in home
    goal = _page(out, "zh-Hans/goals/3/index.html")
    chinese = unicodedata.normalize("NFC", titles["zh-Hans"]["3"][0])
    assert chinese != titles["en"]["3"][0] and chinese in goal
    indicator = _page(out, "zh-Hans/indicators/3-2-1/index.html")
    assert ">图表</button>" in indicator and "主要数值" in indicator
    assert "Skip to main content" not in indicator and "跳至主要内容" in indicator


def test_french_and_arabic_unchanged(built):
    out, _titles = built
    fr = _page(out, "fr/indicators/3-2-1/index.html")
    assert '<html lang="fr" dir="ltr" ' in fr and ">Graphique</button>" in fr
    ar = _page(out, "ar/index.html")
    assert '<html lang="ar" dir="rtl" ' in ar and "الهدف 3" in ar


def test_every_string_in_russian_and_chinese():
    """Every key of strings.yml has its Russian and Chinese line, with the same placeholders."""
    table = common.strings_file()["strings"]
    for key, entry in table.items():
        assert entry.get("ru") and entry.get("zh-Hans"), key
        for lang in ("ru", "zh-Hans"):
            assert common.Strings(lang)(key, **dict.fromkeys(_names(entry["en"]), "X")) != "", key


def _names(text) -> list[str]:
    if isinstance(text, dict):  # a counted string's forms share their placeholders
        text = text["other"]
    return re.findall(r"{(\w+)}", text)
