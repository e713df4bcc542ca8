"""Counted words in the six UN languages: "1 area", "2 areas"; Russian and Arabic have more forms.

The categories are CLDR's (Unicode's plural rules, the ones Babel ships) for whole numbers, the
only counts sdgtrack prints: English and Spanish say `one` for 1; French for 0 and 1; Russian
`one` (1, 21, 101 ...), `few` (2-4, 22-24 ...) and `many` (0, 5-20, 25 ...); Arabic `zero`, `one`,
`two`, `few` (3-10, 103-110 ...), `many` (11-99, 111-199 ...) and `other` (100, 101, 102 ...);
Chinese has one form. A form missing from the forms given falls back to `other`.
"""

from __future__ import annotations

from collections.abc import Mapping

CATEGORIES = ("zero", "one", "two", "few", "many", "other")


def category(lang: str, n: int) -> str:
    """The CLDR plural category of the whole number ``n`` in ``lang`` (``zh-Hans`` and ``zh`` alike)."""
    n = abs(int(n))
    base = lang.split("-")[0].lower()
    if base in ("en", "es"):
        return "one" if n == 1 else "other"
    if base == "fr":
        return "one" if n in (0, 1) else "other"
    if base == "ru":
        if n % 10 == 1 and n % 100 != 11:
            return "one"
        if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
            return "few"
        return "many"
    if base == "ar":
        if n in (0, 1, 2):
            return ("zero", "one", "two")[n]
        if 3 <= n % 100 <= 10:
            return "few"
        if 11 <= n % 100 <= 99:
            return "many"
        return "other"
    return "other"


def word(lang: str, n: int, forms: Mapping[str, str]) -> str:
    """The form of a word that goes with ``n`` (``forms``: category -> word, `other` required)."""
    return forms.get(category(lang, n)) or forms["other"]


def count(n: int, singular: str, plural: str | None = None) -> str:
    """English CLI wording: ``count(1, "area")`` -> "1 area", ``count(1204, "area")`` -> "1,204 areas"."""
    return f"{n:,} {singular if n == 1 else (plural or singular + 's')}"
