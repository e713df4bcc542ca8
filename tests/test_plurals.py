"""Counted words: one plural helper (CLDR categories for the six UN languages), used by the CLI's
counts and the site's counted strings; no "1 areas" or "1 observations" anywhere a count of one
is printed."""

from __future__ import annotations

import re

import pytest

from sdgtrack import plurals
from sdgtrack.publish.pages import common

from .test_ingest_core import run_cli

# a count of one followed by a plural noun: what no output may say
ONE_PLURAL = re.compile(
    r"(?<![\d.,])1 (areas|observations|rows|files|records|indicators|results|lines|datasets|values|keys|records)\b"
)


@pytest.mark.parametrize(
    ("lang", "cases"),
    [
        ("en", {0: "other", 1: "one", 2: "other", 11: "other"}),
        ("fr", {0: "one", 1: "one", 2: "other", 100: "other"}),
        ("es", {0: "other", 1: "one", 2: "other"}),
        ("ru", {1: "one", 2: "few", 4: "few", 5: "many", 11: "many", 12: "many", 21: "one", 22: "few", 111: "many"}),
        ("ar", {0: "zero", 1: "one", 2: "two", 3: "few", 10: "few", 11: "many", 99: "many", 100: "other", 103: "few"}),
        ("zh-Hans", {1: "other", 2: "other"}),
    ],
)
def test_cldr_categories(lang, cases):
    assert {n: plurals.category(lang, n) for n in cases} == cases


def test_english_counts():
    assert plurals.count(1, "area") == "1 area"
    assert plurals.count(1204, "area") == "1,204 areas"
    assert plurals.count(1, "series", "series") == "1 series"
    assert plurals.count(0, "observation") == "0 observations"


def test_site_counted_strings_take_the_form_of_their_number():
    assert common.Strings("en")("search_results", n=1) == "1 result"
    assert common.Strings("en")("search_results", n=3) == "3 results"
    assert common.Strings("fr")("rows_shown", n=1) == "1 ligne"
    assert common.Strings("fr")("rows_shown", n=0) == "0 ligne"  # French counts 0 as singular
    assert common.Strings("es")("rows_shown", n=2) == "2 filas"
    # the page script gets every form and picks one with the browser's Intl.PluralRules
    assert common.Strings("en").forms("rows_shown", n="{n}") == {"one": "{n} row", "other": "{n} rows"}
    assert common.Strings("ru").forms("rows_shown", n="{n}") == {"other": "Строк: {n}"}


def test_cli_says_one_area_one_observation(tmp_path):
    data = tmp_path / "one.csv"
    data.write_text("series,area,year,value\nSH_DYN_MORT,AFG,2015,70\n", encoding="utf-8")
    store = tmp_path / "one.duckdb"
    outputs = [
        run_cli("ingest", str(data), db_path=store),
        run_cli("data", "SH_DYN_MORT", "--area", "AFG", db_path=store),
        run_cli("datasets", "show", "one", db_path=store),
        run_cli("areas", "list", "--group", "AFG", db_path=store),
        run_cli("datasets", "remove", "one", db_path=store),
    ]
    for result in outputs:
        assert result.returncode == 0, result.stderr
    text = "\n".join(r.stdout + r.stderr for r in outputs)
    assert "1 row read, 1 series, 1 area" in text
    assert "SH_DYN_MORT: 1 observation" in text
    assert "1 observation moved to history" in text
    assert not ONE_PLURAL.findall(text), [line for line in text.splitlines() if ONE_PLURAL.search(line)]
