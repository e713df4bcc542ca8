"""What every data-entry page module shares: the templates (autoescaped), a page rendered for the
signed-in user in their language, and the word to the server's read caches that published data
changed. Apart from ``entry.py`` (which mounts the page modules) so that no page module imports the
one that mounts it.

The pages speak the six UN languages: every interface sentence of the templates is ``_("English")``,
looked up in ``templates/entry/words.csv`` (one row per sentence: its English, then fr, es, ar, ru,
zh-Hans; ``{name}`` marks a value the page fills in). The language is ``?lang=`` (kept in a cookie
for the next pages), else the cookie, else the browser's Accept-Language, else English.
"""

from __future__ import annotations

import csv
import functools
import io
from dataclasses import dataclass, field
from importlib import resources
from typing import Callable

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from . import auth

TEMPLATES = Jinja2Templates(directory=str(resources.files("sdgtrack.web") / "templates"))
TEMPLATES.env.autoescape = True  # every template, whatever its name ends with
LANGUAGES = ("en", "fr", "es", "ar", "ru", "zh-Hans")
RIGHT_TO_LEFT = {"ar"}
LANG_COOKIE = "entry_lang"
NAMES = {"en": "English", "fr": "Français", "es": "Español", "ar": "العربية", "ru": "Русский", "zh-Hans": "中文"}


@dataclass(frozen=True)
class Words:
    """An interface sentence with values, translated where the page is rendered: the catalogue's
    English with ``{name}`` places (``Words("try again in {minutes} min", minutes=3)``)."""

    text: str
    values: dict = field(default_factory=dict)

    def __init__(self, text: str, **values: object) -> None:
        object.__setattr__(self, "text", text)
        object.__setattr__(self, "values", values)

    def __str__(self) -> str:
        return self.text.format(**self.values)


@functools.cache
def catalogue() -> dict[str, dict[str, str]]:
    """English sentence -> {language: its translation} (``templates/entry/words.csv``)."""
    path = resources.files("sdgtrack.web") / "templates" / "entry" / "words.csv"
    text = path.read_text(encoding="utf-8")
    return {row["en"]: row for row in csv.DictReader(io.StringIO(text, newline=""))}


def translator(lang: str) -> Callable[[object], str]:
    """The page's ``_``: a sentence (or :class:`Words`) in ``lang``; what the catalogue lacks (a
    message naming a file and line, a value) as it is."""
    table = catalogue()

    def translate(text: object) -> str:
        if isinstance(text, Words):
            return translate(text.text).format(**{k: translate(v) for k, v in text.values.items()})
        if text is None:
            return ""
        text = str(text)
        row = table.get(text)
        return (row.get(lang) or text) if row else text

    return translate


def page_lang(request: Request) -> str:
    """The language a page is rendered in (see the module's docstring)."""
    for asked in (request.query_params.get("lang"), request.cookies.get(LANG_COOKIE)):
        if asked in LANGUAGES:
            return asked  # type: ignore[return-value]
    for part in request.headers.get("accept-language", "").split(","):
        tag = part.split(";")[0].strip().lower()
        primary = tag.split("-")[0]
        if primary == "zh" and tag not in ("zh-tw", "zh-hk", "zh-hant"):
            return "zh-Hans"
        if primary in LANGUAGES and primary != "zh":
            return primary
    return "en"


def render(request: Request, name: str, context: dict | None = None, status: int = 200) -> HTMLResponse:
    user = auth.session_user(request)
    lang = page_lang(request)
    languages = []
    for code in LANGUAGES:  # this page in each language: its path and query, ``lang`` set
        url = request.url.include_query_params(lang=code)
        languages.append((code, NAMES[code], f"{url.path}?{url.query}"))
    words = {
        "lang": lang,
        "dir": "rtl" if lang in RIGHT_TO_LEFT else "ltr",
        "_": translator(lang),
        "languages": languages,
    }
    response = TEMPLATES.TemplateResponse(
        request, f"entry/{name}", {"user": user, **words, **(context or {})}, status_code=status
    )
    if request.query_params.get("lang") == lang and request.cookies.get(LANG_COOKIE) != lang:
        response.set_cookie(LANG_COOKIE, lang, samesite="lax", secure=auth.is_https(request), max_age=365 * 86400)
    return response


def store_changed(request: Request) -> None:
    """Tell the server's read caches that published data changed (no-op in a bare app)."""
    owner = getattr(request.app.state, "owner", None)
    if owner is not None:
        owner.changed()
