"""What every page shares: interface strings, goal colours, the Jinja2 environment, the facts read
once per build from the workspace, and the keys (fingerprints) of pages.

Links are relative (``root`` is the way back to the site root from a page), so a built folder works
served from any path, and the live server serves the same bytes at the same paths.
"""

from __future__ import annotations

import csv
import hashlib
import json
import unicodedata
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any

import yaml
from jinja2 import pass_context

from ... import metadata_fields
from ..code_labels import dimension_label, label_in, translated
from .optional import cities_with_data, kept_index_run, kept_links_run, published_records

if TYPE_CHECKING:
    from ..site import Site

PACKAGE = "sdgtrack.publish.pages"
UNSTATS_METADATA = "https://unstats.un.org/sdgs/metadata/?Text=&Goal={goal}&Target={target}"


# -- reference data of the pages (files under pages/data) ---------------------------------------
def data_text(name: str) -> str:
    return (resources.files(PACKAGE) / "data" / name).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def strings_file() -> dict:
    table = yaml.safe_load(data_text("strings.yml"))
    # a language may keep its strings in a file of its own (strings.ru.yml: key -> text), merged here
    # as its column: translators and merges touch one file each
    folder = resources.files(PACKAGE) / "data"
    for lang in table["languages"]:
        if (folder / f"strings.{lang}.yml").is_file():
            for key, text in (yaml.safe_load(data_text(f"strings.{lang}.yml")) or {}).items():
                table["strings"].setdefault(key, {})[lang] = text
    return table


def languages() -> dict[str, dict]:
    """Language code -> {name (its own name), dir (ltr|rtl)} of the languages the interface speaks."""
    return strings_file()["languages"]


class Strings:
    """Interface strings in one language (falling back to English for a key not yet translated)."""

    def __init__(self, lang: str):
        self.lang = lang
        self.table = strings_file()["strings"]

    def __call__(self, key: str, **values: Any) -> str:
        text = self._text(key)
        if isinstance(text, dict):  # a counted word: its forms by plural category, chosen by `n`
            from ...plurals import word

            n = values.get("n")
            text = word(self.lang, n, text) if isinstance(n, int) else text["other"]
        return text.format(**values) if values else text

    def _text(self, key: str):
        entry = self.table[key]
        return entry.get(self.lang) or entry["en"]

    def forms(self, key: str, **values: Any) -> dict[str, str]:
        """A counted string's forms (plural category -> text) for the page script, which picks one
        with the browser's Intl.PluralRules; a string without forms is its `other` form."""
        text = self._text(key)
        forms = text if isinstance(text, dict) else {"other": text}
        return {category: form.format(**values) if values else form for category, form in forms.items()}

    def method(self, code: str | None, title: str | None = None) -> str:
        """A progress method's name: translated for the shipped methods, else its own title."""
        key = f"method.{code}"
        return self(key) if key in self.table else (title or code or "–")

    def status(self, code: str | None) -> str:
        if not code:
            return self("not_assessed")
        key = f"status.{code}"
        return self(key) if key in self.table else code.replace("_", " ")


def _luminance(hex_colour: str) -> float:
    """WCAG relative luminance of ``#rrggbb``."""
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


@lru_cache(maxsize=1)
def goal_colours() -> dict[str, dict[str, str]]:
    """Goal -> {colour: the official SDG colour, text: white or near-black, whichever reads better on it
    (WCAG AA asks 4.5:1; white on several SDG colours fails, dark text passes on all of them)}."""
    rows = csv.DictReader(data_text("goals.csv").splitlines())
    out = {}
    for row in rows:
        colour = row["colour"]
        text = "#ffffff" if contrast(colour, "#ffffff") >= 4.5 else "#111111"
        out[row["goal"]] = {"colour": colour, "text": text}
    return out


# -- templates ----------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def environment():
    from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

    env = Environment(
        loader=PackageLoader(PACKAGE, "templates"),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["number"] = _number_filter
    env.filters["slug"] = slug
    env.filters["code_label"] = _code_label_filter  # a code's name: {{ unit|code_label("UNIT_MEASURE") }}
    env.filters["dimension_label"] = _dimension_label_filter  # {{ "INCOME_WEALTH_QUANTILE"|dimension_label }}
    return env


# (thousands separator, decimal mark) per language; others write numbers as English does. The page
# script and the charts (Vega's format locale) take the same marks from the page (base.html), so a
# page writes every number one way: the browser's own locale would differ (Arabic-Indic digits, no
# grouping of four digits in Spanish).
NUMBER_MARKS = {"fr": ("\u202f", ","), "es": (".", ","), "ru": ("\u00a0", ",")}


def number_marks(lang: str) -> tuple[str, str]:
    return NUMBER_MARKS.get(lang, (",", "."))


def column_digits(values) -> int | None:
    """One number of decimals for a column of values (the table of an indicator page), so that
    37.70 and 49 do not sit in one column as "37,70" and "49"; None when there is no value."""
    import numpy as np

    array = np.asarray([v for v in values if v is not None and v == v], dtype=float)
    if not array.size:
        return None
    if np.all(array == np.round(array)):
        return 0
    return 2 if np.min(np.abs(array[array != 0]), initial=1.0) >= 1 else 3


def format_number(value, digits: int | None = None, lang: str = "en") -> str:
    """A value as the table shows it: thousands separated, at most 2 decimals unless it is small,
    with the language's separators."""
    if value is None or value != value:  # None or NaN
        return "–"
    value = float(value)
    if digits is None:
        digits = 0 if value.is_integer() else (2 if abs(value) >= 1 else 3)  # 0, not 0.000
    text = f"{value:,.{digits}f}"
    if lang in NUMBER_MARKS:
        thousands, decimal = NUMBER_MARKS[lang]
        text = text.replace(",", "\0").replace(".", decimal).replace("\0", thousands)
    return text


@pass_context
def _number_filter(context, value, digits: int | None = None) -> str:
    return format_number(value, digits, context.get("lang", "en"))


@pass_context
def _code_label_filter(context, value, concept: str | None = None):
    """A code's name in the page's language (English where no glossary translates it)."""
    return label_in(context.get("lang", "en"), value, concept)


@pass_context
def _dimension_label_filter(context, name: str) -> str:
    """A disaggregation's name for people (an SDMX concept id named), in the page's language where it can."""
    text = dimension_label(name)
    return translated(context.get("lang", "en"), [text]).get(text, text)


def slug(code: str) -> str:
    """``3.2.1`` -> ``3-2-1`` (Open SDG's file and page names)."""
    return str(code).replace(".", "-")


def render(site: "Site", template: str, lang: str, path: str, **context) -> bytes:
    """Render a page template at ``path`` (under the site root) in ``lang``."""
    depth = path.count("/")
    root = "../" * depth
    here = path.split("/", 1)[1] if "/" in path else path
    langs = languages()
    switch = [
        {
            "code": code,
            "name": langs.get(code, {}).get("name", code),
            "href": f"{root}{code}/{here}",
            "current": code == lang,
        }
        for code in site.options.langs
    ]
    facts = site_facts(site)
    page = (
        environment()
        .get_template(template)
        .render(
            lang=lang,
            dir=langs.get(lang, {}).get("dir", "ltr"),
            marks=number_marks(lang),
            root=root,
            home=f"{root}{lang}/",
            t=Strings(lang),
            switch=switch,
            site_title=site_title(site, lang),
            path=path,
            facts=facts,
            goal_colours=goal_colours(),
            extras=_extras(site),
            **context,
        )
    )
    return page.encode("utf-8")


def site_title(site: "Site", lang: str) -> str:
    """The title given (data, as written), else "SDG data for" the site's area in ``lang``."""
    if site.options.title:
        return site.options.title

    def area_name():
        area = site.area()
        return site.workspace.area_names([area]).get(area) if area else None

    name = site.memo("_title_area", area_name)
    t = Strings(lang)
    return t("site_title_area", area=name) if name else t("site_title")


def _extras(site: "Site") -> dict:
    """Which optional pages exist (for the navigation of every page)."""
    if "pages.extras" not in site.cache:
        site.cache["pages.extras"] = {
            "contributions": not published_records(site).empty,
            "cities": bool(cities_with_data(site)),
            "progress": site_facts(site)["kept_run"] is not None,
            "sdg_index": kept_index_run(site) is not None,
            "interlinkages": kept_links_run(site) is not None,
            "archived": bool(site.archived()),
        }
    return site.cache["pages.extras"]  # type: ignore[return-value]


# -- facts read once per build (or request) -------------------------------------------------------
class _Facts(dict):
    """The facts, each read from the workspace the first time a page asks for it: listing the
    site's files (which the live server does on every request) reads only the cheap ones."""

    def __init__(self, site: "Site"):
        super().__init__()
        self.site = site

    def __missing__(self, name: str):
        value = getattr(self, f"_{name}")()
        self[name] = value
        return value

    def __getattr__(self, name: str):  # templates write facts.area_name
        if name.startswith("_"):
            raise AttributeError(name)
        return self[name]

    def _nodes(self):
        return self.site.nodes()

    def _goals(self):
        return [n for n in self["nodes"] if n[1] == "goal"]

    def _children(self):
        return _children(self["nodes"])

    def _titles(self):
        return {n[0]: n[3] for n in self["nodes"]}

    def _indicators_with_data(self):
        return set(self.site.indicators())

    def _datasets(self):
        frame = self.site.workspace.datasets()
        if self.site.options.datasets:
            frame = frame[frame["id"].isin(self.site.options.datasets)]
        return frame.to_dict("records")

    def _series(self):
        datasets = self.site.options.datasets
        return self.site.workspace.series_facts(list(datasets) if datasets else None, self.site.published_areas())

    def _area(self):
        return self.site.area()

    def _area_name(self):
        area = self["area"]
        return self.site.workspace.area_names([area]).get(area, area) if area else None

    def _assessment(self):
        return _assessment(self.site.workspace, self["area"])

    def _kept_run(self):
        return self.site.workspace.kept_assessment_run()

    def _last_loaded(self):
        loaded = [str(d["last_loaded"])[:10] for d in self["datasets"] if d.get("last_loaded") is not None]
        return max(loaded) if loaded else None


def site_facts(site: "Site") -> dict:
    """Framework nodes, titles, which series hold data, datasets, the site's area and the kept
    assessment: what pages share, each read once per build (or request) and kept in ``site.cache``."""
    if "pages.facts" not in site.cache:
        site.cache["pages.facts"] = _Facts(site)
    return site.cache["pages.facts"]  # type: ignore[return-value]


def titles(site: "Site", lang: str) -> dict[str, str]:
    """Node code -> title in ``lang``: the shipped translation, else the current English title."""
    key = f"pages.titles.{lang}"
    if key not in site.cache:
        # the shipped translations are partly in decomposed Unicode (a + combining accent): pages
        # and the search index use the composed form, as typed on keyboards
        site.cache[key] = {code: unicodedata.normalize("NFC", pair[0]) for code, pair in site.titles(lang).items()}
    return site.cache[key]  # type: ignore[return-value]


def short_titles(site: "Site", lang: str) -> dict[str, str]:
    key = f"pages.short.{lang}"
    if key not in site.cache:
        english = site.titles("en")
        site.cache[key] = {
            code: unicodedata.normalize("NFC", pair[1] or english[code][1] or pair[0])
            for code, pair in site.titles(lang).items()
        }
    return site.cache[key]  # type: ignore[return-value]


def _children(nodes) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for code, _level, parent, _title in nodes:
        if parent:
            out.setdefault(parent, []).append(code)
    return out


def _assessment(ws, area: str | None) -> dict | None:
    """The kept progress assessment for the site's area: series rows and indicator, target and goal
    roll-ups, keyed by code; None when the store keeps none (or none for this area)."""
    series = ws.kept_assessment("series")
    if series is None or area is None or series.empty:
        return None
    series = series[series["area"] == area]
    if series.empty:
        return None
    out = {"attrs": dict(series.attrs), "series": {r["series"]: r for r in series.to_dict("records")}}
    for level in ("indicator", "target", "goal"):
        frame = ws.roll_up(series, level)
        out[level] = {r["code"]: r for r in frame.to_dict("records")}
    return out


# -- keys -------------------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def code_key() -> str:
    """Fingerprint of the page code, templates, styles, scripts and strings (and the sdgtrack version)."""
    import sdgtrack

    digest = hashlib.sha256(sdgtrack.__version__.encode())
    for entry in code_files():
        digest.update(entry.name.encode())
        digest.update(entry.read_bytes())
    return digest.hexdigest()[:16]


def code_files() -> list:
    """What pages are made with: this package's code, templates, static files and data, and from
    publish/ itself the code and tables pages use (code labels, the metadata sanitiser), and the
    metadata field labels (``sdgtrack.metadata_fields``)."""
    base = resources.files(PACKAGE)
    publish = resources.files("sdgtrack.publish")
    out = []
    for folder, suffixes in (
        (base / "templates", None),
        (base / "static", None),
        (base / "data", None),
        (base, (".py",)),
        (publish, (".py",)),
        (publish / "data", (".py", ".csv", ".json")),
    ):
        for entry in sorted(folder.iterdir(), key=lambda e: e.name):
            if entry.is_file() and (suffixes is None or entry.name.endswith(suffixes)):
                out.append(entry)
    return out + metadata_fields.code_files()  # the field labels pages show


def assessment_key(site: "Site") -> str:
    """When the kept progress assessment was saved (pages show its statuses), or 'none'."""
    return str(site_facts(site)["kept_run"])


def store_key(site: "Site") -> str:
    """Fingerprint of every indicator the site shows, and the kept assessment: the key part of pages
    that gather all indicators (home, reporting, search)."""
    return f"{site.indicators_key()}:{assessment_key(site)}"


def indicator_key(site: "Site", code: str) -> str:
    """Fingerprint of one indicator's data, and the kept assessment."""
    return f"{site.indicator_key(code)}:{assessment_key(site)}"


def page_key(site: "Site", *parts: str) -> str:
    """A page's key: its parts, the page code and templates (:func:`code_key`), the site's options,
    and which optional pages exist (every page's navigation links to them)."""
    return site.key("page", code_key(), repr(sorted(_extras(site).items())), *parts)


def json_block(data: Any) -> str:
    """JSON for a ``<script type="application/json">`` block. Every ``<``, ``>`` and ``&`` is written
    as a JSON escape: escaping only ``</`` let ``<!--<script>`` in a description switch the HTML
    parser into its "double escaped" state, so the block ran past its ``</script>`` and the page's
    data no longer parsed. JSON.parse reads the escapes back as the same characters."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=str)
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )
