"""What the tagger accepts: checks on each text before any scoring, and the plain text the models read.

People paste what they have: a metadata field in HTML (Open SDG and Canada's ``STAT_CONC_DEF``
hold ``<p>`` and ``&nbsp;``), Markdown, a PDF's extracted text with words hyphenated across lines
and page numbers, an e-mail with its signature. The rules were fitted on plain text, and markup
read as words moves a text's similarities and can match query lines ('a href' is not a word a
reader sees), so :func:`plain` turns each text into what a person reads before it is scored. The
text given stays what is stored and shown; only the scoring and the evidence passages see the
plain text. Each step runs only when its marks are present, so plain text passes unchanged.
"""

from __future__ import annotations

import html
import numbers
import re
from collections.abc import Iterable, Mapping

# About 50 pages: enough for any record or summary; beyond it the text is cut (with a warning).
MAX_CHARS = 100_000
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd]")

# HTML: only the elements of the standard are tags, so '<www.unescap.org>' or 'x <y> z' stay text.
_BLOCK = (
    "address|article|aside|blockquote|body|br|caption|center|dd|div|dl|dt|figcaption|figure|footer|form|"
    "h[1-6]|head|header|hr|html|li|main|nav|ol|p|pre|section|table|tbody|td|tfoot|th|thead|title|tr|ul"
)
_INLINE = (
    "a|abbr|acronym|b|bdi|bdo|big|cite|code|data|del|dfn|em|font|i|img|input|ins|kbd|label|link|mark|meta|"
    "q|s|samp|small|span|strike|strong|sub|sup|time|tt|u|var|wbr"
)
_HIDDEN = re.compile(r"<(script|style|template|noscript)\b[^<>]*>.*?(?:</\1\s*>|\Z)", re.IGNORECASE | re.DOTALL)
_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)
_BLOCK_TAG = re.compile(rf"</?(?:{_BLOCK})(?=[\s/>])[^<>]*>", re.IGNORECASE)
_INLINE_TAG = re.compile(rf"</?(?:{_INLINE})(?=[\s/>])[^<>]*>", re.IGNORECASE)
_ANY_TAG = re.compile(rf"<(?:!--|/?(?:{_BLOCK}|{_INLINE}|script|style|template|noscript)(?=[\s/>]))", re.IGNORECASE)
# Entities with their semicolon only: 'R&D;' stays as it is, and so does '&not' in 'rate&notes'.
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")

# Markdown: links and images keep their words, not their address; line marks (headings, bullets,
# quotes) and emphasis go.
_MD_LINK = re.compile(r"!?\[([^\[\]\n]{0,500})\]\((?:[^()\s]|\([^()\s]{0,200}\)){0,2000}(?:\s+\"[^\"\n]{0,200}\")?\)")
_MD_LINE = re.compile(r"^[ \t]{0,3}(?:#{1,6}[ \t]+|>[ \t]?|[-*+•▪◦‣][ \t]+|\d{1,3}[.)][ \t]+)", re.MULTILINE)
_MD_EMPHASIS = re.compile(
    r"\*\*(?=\S)([^*\n]{1,300})(?<=\S)\*\*|__(?=\S)([^_\n]{1,300})(?<=\S)__|\*(?=\S)([^*\n]{1,300})(?<=\S)\*"
    r"|`([^`\n]{1,300})`"
)
_MD_RULE = re.compile(r"^[ \t]*(?:[-*_][ \t]*){3,}$", re.MULTILINE)
# Addresses are read as addresses, not as words ('who.int/health-topics' is not about health).
_URL = re.compile(r"(?:\b(?:https?|ftp)://|\bwww\.)[^\s<>\"')\]]+", re.IGNORECASE)
_EMAIL = re.compile(r"\b[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,8}\b")
# A PDF's extracted text: a word hyphenated at a line's end, a page number or a running
# 'Page 3 of 10' alone on a line.
_HYPHENATED = re.compile(r"([^\W\d_])[-\u00ad\u2010]\n[ \t]*([^\W\d_])")
_SOFT_HYPHEN = re.compile("\u00ad")
_PAGE_LINE = re.compile(
    r"^[ \t]{0,40}(?:[-–—]?[ \t]{0,5}\d{1,4}[ \t]{0,5}[-–—]?|(?:page|p\.|pag\.|página|стр\.)[ \t]{0,5}\d{1,4}"
    r"(?:[ \t]{0,5}(?:of|/|de|sur|из)[ \t]{0,5}\d{1,4})?)[ \t]{0,40}$",
    re.IGNORECASE | re.MULTILINE,
)
# An e-mail signature: the '-- ' line and at most this many short lines after it, at the text's end.
SIGNATURE_LINES = 12
_CLOSING = re.compile(
    r"\n[ \t]*(?:(?:best|kind|warm|many thanks and)?[ \t]*regards|sincerely(?: yours)?|yours sincerely|"
    r"best wishes|cordialement|bien cordialement|salutations distinguées|saludos(?: cordiales)?|atentamente|"
    r"с уважением|此致敬礼|مع التحية|تحياتي)[ \t]*[,.!]?[ \t]*\n",
    re.IGNORECASE,
)
# Markup may be most of a pasted page: ten times as much of a text is made plain as is tagged.
RAW_PER_CHAR = 10
MAX_RAW_CHARS = RAW_PER_CHAR * MAX_CHARS


class TaggingWarning(UserWarning):
    """A text was cut, skipped or could not be read; the tags of the other texts stand."""


def _article(noun: str) -> str:
    return ("an " if noun[:1].lower() in "aeiou" else "a ") + noun


def _emphasised(match: re.Match) -> str:
    return next(group for group in match.groups() if group is not None)


def _entity(match: re.Match) -> str:
    return html.unescape(match.group(0))


def _without_signature(text: str) -> str:
    """``text`` without the signature at its end: after a '--' line, or from a closing such as
    'Best regards,' alone on its line, when at most SIGNATURE_LINES short lines follow."""
    cut = max(text.rfind("\n--\n"), text.rfind("\n-- \n"))
    if cut < 0:
        closings = [m.start() for m in _CLOSING.finditer(text, max(0, len(text) - 121 * (SIGNATURE_LINES + 1)))]
        cut = closings[-1] if closings else -1
    if cut < 0:
        return text
    tail = text[cut:].strip("\n").split("\n")[1:]
    return text[:cut] if len(tail) <= SIGNATURE_LINES and all(len(line) <= 120 for line in tail) else text


def plain(text: str) -> str:
    """The text a person reads in ``text``: HTML tags, comments, scripts and entities, Markdown
    marks, web and e-mail addresses, an e-mail signature, words hyphenated across lines and
    page-number lines removed; runs of white space made one. A text with none of these comes back
    unchanged."""
    out = text
    if "<" in out and _ANY_TAG.search(out):
        out = _COMMENT.sub(" ", _HIDDEN.sub(" ", out))
        out = _INLINE_TAG.sub("", _BLOCK_TAG.sub("\n", out))
    if "&" in out:
        out = _ENTITY.sub(_entity, out)
    if "](" in out:
        out = _MD_LINK.sub(r"\1", out)
    if "://" in out or "www." in out.lower():
        out = _URL.sub(" ", out)
    if "@" in out:
        out = _EMAIL.sub(" ", out)
    if "\n" in out:
        out = _without_signature(out)
        out = _HYPHENATED.sub(r"\1\2", out)
        out = _PAGE_LINE.sub("", out)
        out = _MD_RULE.sub("", out)
        out = _MD_LINE.sub("", out)
    if "*" in out or "_" in out or "`" in out:
        out = _MD_EMPHASIS.sub(_emphasised, out)
    if "\u00ad" in out:
        out = _SOFT_HYPHEN.sub("", out)
    return out if out is text else " ".join(out.split())


def as_list(texts) -> list:
    """The texts of ``texts``: one text (a str, bytes, None, a number) or any iterable of them.
    A table or a mapping is refused: iterating one gives its column names or keys, which would be
    tagged as if they were the texts."""
    from ..errors import UserInputError

    if texts is None or isinstance(texts, (str, bytes, bytearray, numbers.Number)):
        return [texts]
    if hasattr(texts, "columns"):
        columns = ", ".join(map(str, list(texts.columns)[:10]))
        raise UserInputError(f"texts is a table (columns {columns}): expected one column of it, e.g. table['text']")
    if isinstance(texts, Mapping):
        raise UserInputError(
            f"texts is {_article(type(texts).__name__)}: expected a list of texts, e.g. list(d.values())"
        )
    if not isinstance(texts, Iterable):
        raise UserInputError(f"texts is {_article(type(texts).__name__)}: expected a text or a list of texts")
    return list(texts)


def read(text, max_raw: int = MAX_RAW_CHARS) -> tuple[str, str | None]:
    """The plain text of ``text`` (at most ``max_raw`` characters of it read) and why it cannot be
    tagged (None when it can)."""
    if isinstance(text, (bytes, bytearray)):
        return "", "is bytes, not text (decode it first)"
    if text is None or (isinstance(text, float) and text != text):
        return "", "is empty"
    if isinstance(text, numbers.Number) and not isinstance(text, bool):
        return "", f"is the number {text}, not text"
    if not isinstance(text, str):
        return "", f"is {_article(type(text).__name__)}, not text"
    if not text.strip():
        return "", "is empty"
    sample = text[:10_000]
    # Binary data decoded as text shows NULs, control characters and replacement characters.
    if "\x00" in sample or len(_CONTROL.findall(sample)) > 0.05 * len(sample):
        return "", "does not look like text (control or undecodable characters)"
    out = plain(text[:max_raw])
    if not out.strip():
        return "", "holds only markup or addresses (HTML tags, links), no words to read"
    return out, None


def problem(text) -> str | None:
    """Why ``text`` cannot be tagged, or None when it can."""
    return read(text)[1]


def prepare(texts, labels: list[str] | None = None, max_chars: int = MAX_CHARS) -> tuple[list[str], list[str]]:
    """The plain text of each text, at most ``max_chars`` of it, ready to tag ('' for those that
    cannot be tagged), and one warning per text cut or skipped."""
    ready, warnings = [], []
    max_raw = RAW_PER_CHAR * max_chars
    for n, text in enumerate(texts):
        label = labels[n] if labels else f"text {n}"
        out, why = read(text, max_raw)
        if why:
            warnings.append(f"{label} {why}: no SDGs")
            ready.append("")
            continue
        if len(out) > max_chars:
            once = "" if out is text or len(text) > max_raw else f" ({len(out):,} once markup is removed)"
            warnings.append(f"{label} has {len(text):,} characters{once}: only the first {max_chars:,} were tagged")
            out = out[:max_chars]
        elif len(text) > max_raw:
            warnings.append(f"{label} has {len(text):,} characters: only the text of the first {max_raw:,} was tagged")
        ready.append(out)
    return ready, warnings
