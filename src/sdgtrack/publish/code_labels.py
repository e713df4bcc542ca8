"""Names for the SDMX codes people would otherwise read on the site (``PER_1000_LIVE_BIRTHS``,
``BOTHSEX``, ``Y0T4``): units, disaggregation names and values, observation status.

The names are data: ``data/sdmx_labels.csv`` (derived from the SDG SDMX code lists by
``tools/build_code_labels.py``) and ``data/sdmx_aliases.csv`` (the UN Global Database's own dimension
names and legacy codes, mapped to those code lists). A value that is not a known code (UK data's
"Female", Canada's "Total population") is returned as it is. Only pages and the page data use
names; the data files (CSV, JSON in Open SDG's layout) keep the codes, as the sources gave them.

Every function works over the distinct values it is given (a dict built once, mapped over the
uniques), so labelling a column costs one dict lookup per distinct value.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Iterable

import pandas as pd

UNIT = "UNIT_MEASURE"
STATUS = "OBS_STATUS"
# the UN's legacy age codes for "under N": <5Y is SDMX Y0T4, <1M is M0
_UNDER = re.compile(r"^<(\d+)([YM])$")


@dataclass(frozen=True)
class _Tables:
    concepts: dict[str, str]  # concept -> its name ("SEX" -> "Sex")
    codes: dict[tuple[str, str], str]  # (concept, code) -> name
    dimensions: dict[str, str]  # a dimension name as data give it (lower case) -> concept
    aliases: dict[tuple[str, str], str]  # (concept, legacy code) -> SDMX code
    words: dict[str, str]  # legacy code valid in any dimension -> name ("NOTSPEC")


def _rows(name: str) -> list[dict[str, str]]:
    text = (resources.files("sdgtrack.publish") / "data" / name).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


@lru_cache(maxsize=1)
def tables() -> _Tables:
    concepts: dict[str, str] = {}
    codes: dict[tuple[str, str], str] = {}
    for row in _rows("sdmx_labels.csv"):
        if row["code"]:
            codes[(row["concept"], row["code"])] = row["en"]
        else:
            concepts[row["concept"]] = row["en"]
    dimensions = {c.lower(): c for c in concepts}
    aliases: dict[tuple[str, str], str] = {}
    words: dict[str, str] = {}
    for row in _rows("sdmx_aliases.csv"):
        if row["kind"] == "dimension":
            dimensions[row["alias"].lower()] = row["concept"]
        elif row["kind"] == "name":  # a UN code the code lists lack, named by hand (CU_USD_M)
            codes[(row["concept"], row["alias"])] = row["en"]
        elif row["concept"] == "*":
            words[row["alias"]] = row["en"]
        else:
            aliases[(row["concept"], row["alias"])] = row["code"]
    return _Tables(concepts, codes, dimensions, aliases, words)


def concept_of(dimension: str) -> str | None:
    """The SDMX concept a dimension name stands for (``SEX``, ``Sex``, ``Location`` -> ``URBANISATION``)."""
    return tables().dimensions.get(str(dimension).lower())


def dimension_label(dimension: str) -> str:
    """A dimension's name for people: an SDMX concept id (``INCOME_WEALTH_QUANTILE``) gets its name
    ("Income or wealth quantile"); a name that is already words (``Sex``, ``Location``) stays."""
    return tables().concepts.get(dimension, dimension)


def _one(concept: str | None, value: str) -> str:
    t = tables()
    if concept is not None:
        code = t.aliases.get((concept, value), value)
        if concept == "AGE" and (match := _UNDER.match(code)):
            number, unit = int(match.group(1)), match.group(2)
            code = "M0" if (unit, number) == ("M", 1) else f"{unit}0T{number - 1}"
        name = t.codes.get((concept, code))
        if name is not None:
            return name
    return t.words.get(value, value)


def value_labels(concept: str | None, values: Iterable) -> dict[str, str]:
    """Value -> name, for each distinct value that is a code with a name (others are left out)."""
    out = {}
    for value in dict.fromkeys(v for v in values if isinstance(v, str) and v):
        name = _one(concept, value)
        if name != value:
            out[value] = name
    return out


def label_list(concept: str | None, values: list) -> list:
    """``values`` (a short list of distinct values, such as the page data's units) with names."""
    names = value_labels(concept, values)
    return [names.get(v, v) if isinstance(v, str) else v for v in values]


def label_column(column: pd.Series, concept: str | None) -> pd.Series:
    """A column with its codes replaced by names (one lookup per distinct value)."""
    names = value_labels(concept, column.dropna().unique().tolist())
    if not names:
        return column
    mapped = column.map(names)  # a dict: one hash lookup per row, in pandas
    return mapped.where(mapped.notna(), column)


def label(value, concept: str | None):
    """One value's name (for a template showing one figure's unit): the value itself when none."""
    return _one(concept, value) if isinstance(value, str) and value else value


def dims_labels(dims: Iterable[dict[str, str]]) -> dict[str, dict]:
    """For the page data: dimension name -> {"name": its label, "values": {code: label}}, for the
    dimensions whose name or some value has a label (the page script shows the raw text otherwise)."""
    values: dict[str, set[str]] = {}
    for entry in dims:
        for name, value in entry.items():
            values.setdefault(name, set()).add(value)
    out = {}
    for name, seen in values.items():
        labels = value_labels(concept_of(name), sorted(seen))
        title = dimension_label(name)
        if labels or title != name:
            out[name] = {"name": title, "values": labels}
    return out


# -- in other languages ---------------------------------------------------------------------------
LANGS = ("fr", "es", "ar", "ru", "zh-Hans")


@lru_cache(maxsize=8)
def _words(lang: str) -> dict[str, str]:
    """English -> ``lang`` of the names pages show: Canada's Open SDG glossary first (``words_fr.csv``,
    French only), then sdgtrack's own translations of the code lists' names (``words.csv``: units,
    observation status, nature, sex, location, quantiles ... in the five other UN languages);
    {} for English or a language neither has."""
    if lang == "en":
        return {}
    out: dict[str, str] = {}
    if lang in LANGS:
        out = {row["en"]: row[lang] for row in _rows("words.csv") if row[lang]}
    if (resources.files("sdgtrack.publish") / "data" / f"words_{lang}.csv").is_file():
        out.update({row["en"]: row[lang] for row in _rows(f"words_{lang}.csv")})
    return out


# The AGE code list names ages in a few patterns ("under 5 years old", "15 to 19 years old", "65 years
# old and over"): translated by pattern, with the unit in the plural form its number takes.
_AGE = re.compile(
    r"^(?:(?P<under>under) (?P<u>\d+)|(?P<a>\d+) to (?:exact )?(?P<b>\d+)|(?P<n>\d+))"
    r" (?P<unit>years?|months?) old(?P<over> and over)?$",
    re.IGNORECASE,
)
# lang -> unit -> plural category -> word (plurals.word); the number that counts is the last one
_AGE_UNITS: dict[str, dict[str, dict[str, str]]] = {
    "fr": {"year": {"one": "an", "other": "ans"}, "month": {"other": "mois"}},
    "es": {"year": {"one": "año", "other": "años"}, "month": {"one": "mes", "other": "meses"}},
    "ar": {
        "year": {"one": "سنة", "two": "سنتين", "few": "سنوات", "other": "سنة"},
        "month": {"one": "شهر", "two": "شهرين", "few": "أشهر", "many": "شهرا", "other": "شهر"},
    },
    # Russian: the genitive after "младше" / "до" (1 года, 5 лет), the nominative after a count (1 год)
    "ru": {
        "year": {"one": "года", "other": "лет"},
        "month": {"one": "месяца", "other": "месяцев"},
        "year_count": {"one": "год", "few": "года", "other": "лет"},
        "month_count": {"one": "месяц", "few": "месяца", "other": "месяцев"},
    },
    "zh-Hans": {"year": {"other": "岁"}, "month": {"other": "个月"}},
}
_AGE_TEXT = {
    "fr": {"under": "moins de {n} {u}", "range": "{a} à {b} {u}", "over": "{n} {u} et plus", "exact": "{n} {u}"},
    "es": {"under": "menos de {n} {u}", "range": "de {a} a {b} {u}", "over": "{n} {u} o más", "exact": "{n} {u}"},
    "ar": {"under": "أقل من {n} {u}", "range": "من {a} إلى {b} {u}", "over": "{n} {u} فأكثر", "exact": "{n} {u}"},
    "ru": {"under": "младше {n} {u}", "range": "от {a} до {b} {u}", "over": "{n} {uc} и старше", "exact": "{n} {uc}"},
    "zh-Hans": {"under": "{n}{u}以下", "range": "{a}至{b}{u}", "over": "{n}{u}及以上", "exact": "{n}{u}"},
}


def _age_in(lang: str, text: str) -> str | None:
    """An AGE code's English name in ``lang``, or None when it is not one of the patterns."""
    match = _AGE.match(text)
    if match is None or lang not in _AGE_TEXT:
        return None
    from ..plurals import word

    unit = "year" if match["unit"].lower().startswith("year") else "month"
    last = int(match["u"] or match["b"] or match["n"])
    units = _AGE_UNITS[lang]
    u = word(lang, last, units[unit])
    uc = word(lang, last, units.get(f"{unit}_count", units[unit]))
    texts = _AGE_TEXT[lang]
    if match["under"]:
        return texts["under"].format(n=last, u=u)
    if match["a"]:
        return texts["range"].format(a=match["a"], b=last, u=u)
    return texts["over" if match["over"] else "exact"].format(n=last, u=u, uc=uc)


def _in(lang: str, text: str) -> str | None:
    return _words(lang).get(text) or _age_in(lang, text)


def has_words(lang: str) -> bool:
    """Whether a glossary translates names into ``lang``."""
    return bool(_words(lang))


def translated(lang: str, texts: Iterable) -> dict[str, str]:
    """Text -> its translation in ``lang``, for each distinct text the glossary has (others left out)."""
    if not _words(lang):
        return {}
    out = {}
    for t in dict.fromkeys(texts):
        if isinstance(t, str) and (name := _in(lang, t)) is not None:
            out[t] = name
    return out


def page_words(lang: str, units: list, statuses: list, dims: Iterable[dict[str, str]]) -> dict[str, str]:
    """For a page in ``lang``: the translation of each name the page script may show (units, statuses,
    disaggregation names and values, after their codes are named); {} without a glossary."""
    if not _words(lang):
        return {}
    dims = list(dims)
    texts: list = [*label_list(UNIT, units), *label_list(STATUS, statuses)]
    for entry in dims_labels(dims).values():
        texts.append(entry["name"])
        texts.extend(entry["values"].values())
    texts.extend(k for d in dims for k in d)
    texts.extend(v for d in dims for v in d.values())
    return translated(lang, texts)


def label_in(lang: str, value, concept: str | None):
    """One value's name in ``lang``: its code's name (or the value), translated where the glossary can."""
    name = label(value, concept)
    return (_in(lang, name) or name) if isinstance(name, str) and _words(lang) else name
