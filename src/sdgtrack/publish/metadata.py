"""National metadata as people read it: labels, safe HTML, and the fields grouped for a page.

The store keeps a repository's metadata text as written (HTML and Markdown, from people's
editors): every face shows it through :func:`render_text`, which renders Markdown and keeps a
small set of tags (:data:`ALLOWED_TAGS`; links to http and https only), so no script, event
handler or ``javascript:`` link in a meta file reaches a reader's browser.

Labels and page groups of the fields are :mod:`sdgtrack.metadata_fields` (below every layer: the
workspace labels the rows it returns with them).
"""

from __future__ import annotations

import html
import re
from functools import lru_cache
from html.parser import HTMLParser
from importlib import resources
from typing import Callable

import pandas as pd

from .. import metadata_fields
from ..metadata_fields import GROUPS, shipped_fields, split_numbered


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """Fingerprint of this module and the field labels: part of the keys of files holding metadata
    rendered here, so a change to the sanitiser or a label rewrites them on the next build."""
    import hashlib

    digest = hashlib.sha256(resources.files(__package__).joinpath("metadata.py").read_bytes())
    for entry in metadata_fields.code_files():
        digest.update(entry.read_bytes())
    return digest.hexdigest()[:16]


ALLOWED_TAGS = frozenset({"p", "a", "ul", "ol", "li", "strong", "em", "br"})
RENAMED = {"b": "strong", "i": "em"}  # the same meaning, in the tags kept
# elements whose content is not text for a reader: dropped with everything inside them
DROPPED = frozenset({"script", "style", "iframe", "object", "template", "noscript", "textarea", "head", "svg"})
# (not embed: it has no end tag, so dropping "its content" would drop the rest of the text; it is
# skipped as any tag not allowed)
# text with none of these is plain words for Markdown and HTML alike (most short values: units, tiers)
MARKUP = re.compile(r"[\n*_`\[\]#<>&!|\\~]")
BLOCK_START = re.compile(r"\s*([-+>=]|\d+[.)])(\s|$)")
SAFE_URL = re.compile(r"^https?://", re.IGNORECASE)


# -- safe HTML -----------------------------------------------------------------------------------
class _Sanitiser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.open: list[str | None] = []  # tags opened, None where a tag was left out
        self.dropping = 0  # depth inside a dropped element

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in DROPPED:
            self.dropping += 1
            return
        if self.dropping:
            return
        tag = RENAMED.get(tag, tag)
        if tag not in ALLOWED_TAGS:
            return
        if tag == "br":
            self.out.append("<br>")
            return
        if tag in ("p", "li") and self.open and self.open[-1] == tag:  # <li>one<li>two: HTML closes the first
            self.out.append(f"</{tag}>")
            self.open.pop()
        if tag == "a":
            if "a" in self.open:  # a link inside a link is not HTML: close the first, as browsers do
                self.handle_endtag("a")
            href = next((v for k, v in attrs if k == "href" and v), None)
            # browsers ignore control characters and spaces inside a scheme ("java\tscript:")
            if href is None or not SAFE_URL.match(re.sub(r"[\x00-\x20]", "", href)):
                self.open.append(None)
                return
            self.out.append(f'<a href="{html.escape(href.strip(), quote=True)}">')
        else:
            self.out.append(f"<{tag}>")
        self.open.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if RENAMED.get(tag, tag) == "br" and not self.dropping:
            self.out.append("<br>")

    def handle_endtag(self, tag: str) -> None:
        if tag in DROPPED:
            self.dropping = max(0, self.dropping - 1)
            return
        if self.dropping:
            return
        tag = RENAMED.get(tag, tag)
        if tag not in ALLOWED_TAGS or tag == "br":
            return
        # close up to the matching open tag (a stray end tag closes nothing)
        for i in range(len(self.open) - 1, -1, -1):
            if self.open[i] == tag or (tag == "a" and self.open[i] is None):
                for t in reversed(self.open[i:]):
                    if t is not None:
                        self.out.append(f"</{t}>")
                del self.open[i:]
                return

    def handle_data(self, data: str) -> None:
        if not self.dropping:
            self.out.append(html.escape(data, quote=False))

    def result(self) -> str:
        self.close()
        for t in reversed(self.open):
            if t is not None:
                self.out.append(f"</{t}>")
        self.open = []
        return "".join(self.out).strip()


def sanitize_html(text: str) -> str:
    """HTML with only :data:`ALLOWED_TAGS` (``b``/``i`` as ``strong``/``em``), links only to http(s)
    and no other attribute; the text of every other tag kept, escaped; scripts and styles dropped
    with their content; comments dropped; every tag closed."""
    parser = _Sanitiser()
    parser.feed(text)
    return parser.result()


@lru_cache(maxsize=1)
def _markdown():
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": True})


@lru_cache(maxsize=65536)  # the page and the meta file of an indicator render the same texts
def render_text(text: str) -> str:
    """A metadata value as safe HTML: Markdown (which lets HTML through) rendered, then sanitised;
    a single paragraph loses its ``<p>`` so short values read inline."""
    if not MARKUP.search(text) and not BLOCK_START.match(text):  # plain words: nothing to render
        return html.escape(text.strip(), quote=False)
    out = sanitize_html(_markdown().render(text))
    if out.startswith("<p>") and out.endswith("</p>") and out.count("<p>") == 1:
        out = out[3:-4]
    return out


def safe_url(url: object) -> str | None:
    """``url`` when it is an http(s) address (a source's link), else None."""
    text = str(url or "").strip()
    return text if SAFE_URL.match(text) and not re.search(r"[\s<>\"]", text) else None


# -- a page's view -------------------------------------------------------------------------------
def national_view(frame: pd.DataFrame, words: Callable[[str, str], str | None] | None = None) -> list[dict]:
    """Per dataset (in the frame's order): its fields grouped as a page shows them, in the shipped
    order then the repository's, each with its label and safe HTML; its sources (``source_*_N``
    with an organisation, title or link, unless ``source_active_N`` is false), each with a checked
    link. ``frame`` is :func:`with_labels`'s output; ``words(field, value)`` may word a coded value
    (the reporting status) for a language. Plain Python over the few rows of one indicator: a
    build calls it for every page."""
    order = {f: i for i, f in enumerate(shipped_fields())}
    by_dataset: dict[str, list[dict]] = {}
    for row in frame.to_dict("records"):
        by_dataset.setdefault(row["dataset"], []).append(row)
    out = []
    for dataset, rows in by_dataset.items():
        rows.sort(key=lambda r: (order.get(split_numbered(r["field"])[0], len(order)), r["position"]))
        values = {r["field"]: r["value"] for r in rows}
        groups: dict[str, list[dict]] = {}
        for r in rows:
            group = r["group"] if isinstance(r["group"], str) else None
            if group is None or group == "source" or not str(r["value"]).strip():
                continue  # a field a language's file blanks shows nothing
            worded = words(r["field"], r["value"]) if words else None
            groups.setdefault(group, []).append(
                {
                    "field": r["field"],
                    "label": r["label"],
                    "lang": None if worded else r["lang"],  # the page marks text in another language (WCAG 3.1.2)
                    "html": html.escape(worded) if worded else render_text(r["value"]),
                }
            )
        out.append(
            {
                "dataset": dataset,
                "languages": sorted({r["lang"] for r in rows}),
                "groups": [{"group": g, "fields": groups[g]} for g in GROUPS if g in groups],
                "sources": _sources(rows, values),
            }
        )
    return out


def _sources(rows: list[dict], values: dict) -> list[dict]:
    by_number: dict[str, list[tuple[str, dict]]] = {}
    for r in rows:
        base, n = split_numbered(r["field"])
        if n is not None and base != "source_active":
            by_number.setdefault(n, []).append((base, r))
    sources = []
    for n in sorted(by_number, key=int):
        if str(values.get(f"source_active_{n}", "true")).strip().lower() == "false":
            continue
        fields = dict(by_number[n])
        url = safe_url(values.get(f"source_url_{n}"))
        title = values.get(f"source_url_text_{n}") or values.get(f"source_title_{n}")
        organisation = values.get(f"source_organisation_{n}")
        if not (url or title or organisation):
            continue
        details = [
            {"field": r["field"], "label": r["label"], "lang": r["lang"], "html": render_text(r["value"])}
            for base, r in by_number[n]
            if r["group"] == "source" and base not in ("source_organisation", "source_url")
        ]
        sources.append(
            {
                "number": int(n),
                "organisation": render_text(organisation) if organisation else None,
                "title": render_text(title) if title else None,
                "url": url,
                "url_label": fields["source_url"]["label"] if "source_url" in fields else None,
                "details": details,
            }
        )
    return sources
