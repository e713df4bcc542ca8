"""The annex's words in the six UN languages (``data/strings.yml``), with the site's status words and
progress-chart words (one translation of each status for the site and the annex), and numbers
written with each language's marks."""

from __future__ import annotations

import math
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from ..errors import UserInputError


@lru_cache(maxsize=1)
def strings_file() -> dict:
    text = (resources.files("sdgtrack.report") / "data" / "strings.yml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def languages() -> dict[str, dict]:
    """Language code -> {name, dir} of the annex's languages."""
    return strings_file()["languages"]


def check_lang(lang: str) -> str:
    if lang not in languages():
        raise UserInputError(f"language {lang!r}: expected one of {', '.join(languages())}")
    return lang


class Words:
    """The annex's words in one language; ``status`` and ``chart_words`` are the site's."""

    def __init__(self, lang: str):
        from ..publish.pages.common import Strings

        self.lang = check_lang(lang)
        self.dir = languages()[lang]["dir"]
        self.table = strings_file()["strings"]
        self.site = Strings(lang)

    def __call__(self, key: str, **values: Any) -> str:
        entry = self.table[key]
        text = entry.get(self.lang) or entry["en"]
        return text.format(**values) if values else text

    def status(self, code: str | None) -> str:
        return self.site.status(code)

    def chart_words(self):
        from ..vocabulary import ChartWords

        t = self.site
        return ChartWords(
            status=t.status,
            title=t("progress_chart_title"),
            summary=t("progress_chart_summary"),
            window=t("progress_chart_window"),
            legend=t("progress_status"),
            goal_axis=t("progress_chart_goal_axis"),
            goal_cell=t("progress_chart_goal_axis") + "{n}",
        )

    def number(self, value: float | None, decimals: int) -> str:
        return format_value(value, decimals, self.lang)


def decimals_of(value: float) -> int:
    """How many decimals a stored double was written with: its shortest text at 12 significant
    digits (``0.834149732286`` keeps its 12 decimals; ``12.300000000000001``, a float's noise in a
    CSV export, is ``12.3``)."""
    if not math.isfinite(value) or float(value).is_integer():
        return 0
    text = f"{value:.12g}"
    if "e" in text:
        mantissa, exp = text.split("e")
        frac = len(mantissa.split(".")[1]) if "." in mantissa else 0
        return max(0, frac - int(exp))
    return len(text.split(".")[1]) if "." in text else 0


def format_value(value: float | None, decimals: int, lang: str = "en") -> str:
    """A value at ``decimals``, thousands grouped, with the language's marks (as the site writes them)."""
    from ..publish.pages.common import NUMBER_MARKS

    if value is None or value != value:
        return "–"
    text = f"{float(value):,.{int(decimals)}f}"
    if text.startswith("-") and float(text.replace(",", "")) == 0:
        text = text[1:]
    if lang in NUMBER_MARKS:
        thousands, mark = NUMBER_MARKS[lang]
        text = text.replace(",", "\0").replace(".", mark).replace("\0", thousands)
    return text
