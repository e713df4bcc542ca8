"""Read a free-text date field as a person would.

Handles "13 to 17 November 2023", "20/Nov – 15/Dec 2023", "2021-to present", "7 March 2023;
7 July 2023; 13 September 2023", "13-17 March 2023 Hybrid Week / Virtual Workshops in April and May
2023", "May 2-4, 2023", "2023-05-02", "between 26 September and 14 October 2022", "Q3 2024". A missing year is taken from the next date that has one, else the
previous one, else the submission year (with a warning).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from .models import Dates, DateSpan

MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
MONTHS.update({m.lower(): i for i, m in enumerate(calendar.month_abbr) if m})
MONTHS["sept"] = 9
_MON = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_YEAR = r"(?:19|20)\d{2}"
_ORD = r"(?:st|nd|rd|th)?"

# Atoms, tried in this order at each position (the regex alternation picks the first that fits).
_ATOM = re.compile(
    rf"(?P<iso>\b(?P<iy>{_YEAR})-(?P<im>\d{{1,2}})-(?P<id>\d{{1,2}})\b)"
    rf"|(?P<num>\b(?P<nd>\d{{1,2}})[/.](?P<nm>\d{{1,2}})[/.](?P<ny>{_YEAR})\b)"
    rf"|(?P<dm>\b(?P<dmd>\d{{1,2}}){_ORD}(?:\s*[/.\-]\s*|\s+)(?:of\s+)?(?P<dmm>{_MON})(?![a-z])(?:[\s,/.\-]*(?P<dmy>{_YEAR})\b)?)"
    rf"|(?P<mdr>\b(?P<mrm>{_MON})\s+(?P<mrd1>\d{{1,2}}){_ORD}\s*(?P<mrsep>-|–|to)\s*(?P<mrd2>\d{{1,2}}){_ORD}\b(?:,?\s*(?P<mry>{_YEAR})\b)?)"
    rf"|(?P<qtr>\bQ(?P<qq>[1-4])\s*(?P<qy>{_YEAR})\b)"
    rf"|(?P<md>\b(?P<mdm>{_MON})\s+(?P<mdd>\d{{1,2}}){_ORD}\b(?!\s*(?:-|–|to)\s*\d{{1,2}}\s+{_MON})(?:,?\s*(?P<mdy>{_YEAR})\b)?)"
    rf"|(?P<mon>\b(?P<mm>{_MON})(?![a-z])(?:[\s,]*(?P<my>{_YEAR})\b)?)"
    rf"|(?P<yr>\b(?P<yy>{_YEAR})\b)"
    rf"|(?P<day>\b(?P<dd>\d{{1,2}}){_ORD}\b)",
    re.I,
)
_RANGE_SEP = re.compile(r"^\s*(?:-+|–|—|to|till|until|through|thru|and|-\s*to|–\s*to)\s*$", re.I)
_OPEN_END = re.compile(
    r"^\s*(?:-|–|—|to|till|until)?\s*(?:-|–|—|to|till|until)?\s*(?:the\s+)?"
    r"(?:present|ongoing|now|date|today|continuing|onwards?)\b",
    re.I,
)
_SINCE = re.compile(r"\b(?:since|from|starting(?: in| from)?|as of)\s*$", re.I)
_SEGMENT_SPLIT = re.compile(r"\s*(?:;|\n|\|)\s*")


@dataclass
class _Atom:
    start: int
    end: int
    day: int | None
    month: int | None
    year: int | None

    @property
    def precision(self) -> str:
        return "day" if self.day else "month" if self.month else "year"


def parse_dates(text: str | None, default_year: int | None = None) -> tuple[Dates, list[str]]:
    """The spans a date field names, and problems (text kept raw) for what could not be read."""
    text = (text or "").replace("\u00a0", " ").strip()
    result = Dates(text=text)
    problems: list[str] = []
    if not text or re.fullmatch(r"(n/?a|tbd|tbc|none|-+)\.?", text, re.I):
        return result, problems
    segments = [s for s in _SEGMENT_SPLIT.split(text) if s.strip()]
    parsed: list[tuple[str, list[_Atom]]] = [(seg, _atoms(seg)) for seg in segments]
    # years and months flow from later atoms to earlier ones ("7 March; 7 July 2023"), across segments
    flat = [a for _, atoms in parsed for a in atoms]
    for i, a in enumerate(flat):
        if a.year is None:
            later = next((b.year for b in flat[i + 1 :] if b.year), None)
            earlier = next((b.year for b in reversed(flat[:i]) if b.year), None)
            a.year = later or earlier
            if a.year is None and default_year:
                a.year = default_year
                problems.append(f"no year in {text!r}: assumed {default_year}")
        if a.day and a.month is None:
            a.month = next((b.month for b in flat[i + 1 :] if b.month), None)
    for seg, atoms in parsed:
        if not atoms:
            problems.append(f"no date found in {seg!r}")
            continue
        result.spans.extend(_spans(seg, atoms, problems))
    return result, problems


def _atoms(seg: str) -> list[_Atom]:
    atoms = []
    for m in _ATOM.finditer(seg):
        g = m.groupdict()
        if g["iso"]:
            atoms.append(_Atom(m.start(), m.end(), int(g["id"]), int(g["im"]), int(g["iy"])))
        elif g["num"]:
            # day/month/year: the order of UN documents
            atoms.append(_Atom(m.start(), m.end(), int(g["nd"]), int(g["nm"]), int(g["ny"])))
        elif g["dm"]:
            atoms.append(_Atom(m.start(), m.end(), int(g["dmd"]), _month(g["dmm"]), _int(g["dmy"])))
        elif g["mdr"]:
            # "May 2-4, 2023": two atoms around the dash, so the range logic joins them
            month = _month(g["mrm"])
            atoms.append(_Atom(m.start(), m.start("mrsep"), int(g["mrd1"]), month, _int(g["mry"])))
            atoms.append(_Atom(m.end("mrsep"), m.end(), int(g["mrd2"]), month, _int(g["mry"])))
        elif g["qtr"]:
            q, y = int(g["qq"]), int(g["qy"])
            atoms.append(_Atom(m.start(), m.start("qy") - 1, None, 3 * q - 2, y))
            atoms.append(_Atom(m.start("qy") - 1, m.end(), None, 3 * q, y))
        elif g["md"]:
            atoms.append(_Atom(m.start(), m.end(), int(g["mdd"]), _month(g["mdm"]), _int(g["mdy"])))
        elif g["mon"]:
            if g["mm"].lower().rstrip(".") == "may" and not g["my"] and not _looks_dated(seg):
                continue  # the verb "may"
            atoms.append(_Atom(m.start(), m.end(), None, _month(g["mm"]), _int(g["my"])))
        elif g["yr"]:
            atoms.append(_Atom(m.start(), m.end(), None, None, int(g["yy"])))
        elif g["day"]:
            # a bare number is a day only when it opens a range that ends in a dated atom: "13-17 March"
            rest = seg[m.end() :]
            if re.match(rf"\s*(?:-+|–|—|to|and|till|until)\s*\d{{1,2}}{_ORD}\s*(?:[/.\-]\s*)?{_MON}", rest, re.I):
                atoms.append(_Atom(m.start(), m.end(), int(g["dd"]), None, None))
    return atoms


def _spans(seg: str, atoms: list[_Atom], problems: list[str]) -> list[DateSpan]:
    spans: list[DateSpan] = []
    consumed: list[tuple[int, int]] = []
    i = 0
    while i < len(atoms):
        a = atoms[i]
        b = atoms[i + 1] if i + 1 < len(atoms) else None
        between = seg[a.end : b.start] if b else ""
        before = seg[: a.start]
        is_range = (
            b is not None
            and (bool(_RANGE_SEP.match(between)) or a.end == b.start)
            and (between.strip().lower() != "and" or re.search(r"\bbetween\s*$", before, re.I) or a.day and not a.month)
        )
        if is_range:
            start, _ = _bounds(a, problems)
            _, end = _bounds(b, problems)
            if start and end and start > end and a.month and b.month and a.month > b.month:
                start = start.replace(year=start.year - 1)  # "20 December - 5 January 2024"
            spans.append(DateSpan(start=start, end=end, precision=b.precision if a.precision == "day" else a.precision))
            consumed.append((a.start, b.end))
            i += 2
            continue
        start, end = _bounds(a, problems)
        tail = seg[a.end : b.start] if b else seg[a.end :]
        open_m = _OPEN_END.match(tail)
        if open_m or (_SINCE.search(before) and not b):
            spans.append(DateSpan(start=start, end=None, open_end=True, precision=a.precision))
            consumed.append((a.start, a.end + (open_m.end() if open_m else 0)))
        else:
            spans.append(DateSpan(start=start, end=end, precision=a.precision))
            consumed.append((a.start, a.end))
        i += 1
    label = _leftover(seg, consumed)
    if label:
        for span in spans:
            span.label = label
    return [s for s in spans if s.start is not None]


def _bounds(a: _Atom, problems: list[str]) -> tuple[date | None, date | None]:
    if a.year is None:
        return None, None
    try:
        if a.day and a.month:
            d = date(a.year, a.month, a.day)
            return d, d
        if a.month:
            return date(a.year, a.month, 1), date(a.year, a.month, calendar.monthrange(a.year, a.month)[1])
        return date(a.year, 1, 1), date(a.year, 12, 31)
    except ValueError:
        problems.append(f"not a calendar date: day {a.day}, month {a.month}, year {a.year}")
        return None, None


def _leftover(seg: str, consumed: list[tuple[int, int]]) -> str:
    keep = list(seg)
    for s, e in consumed:
        keep[s:e] = [" "] * (e - s)
    rest = re.sub(r"\s+", " ", "".join(keep))
    rest = re.sub(r"^[\s,;:\-–—]+|[\s,;:\-–—]+$", "", rest)
    while True:
        shorter = re.sub(r"\b(?:and|from|since|between|on|in|of)\s*$", "", rest, flags=re.I).strip(" ,;:-–—")
        if shorter == rest:
            return rest
        rest = shorter


def _month(text: str) -> int:
    return MONTHS[text.lower().rstrip(".")]


def _int(text: str | None) -> int | None:
    return int(text) if text else None


def _looks_dated(seg: str) -> bool:
    return bool(re.search(_YEAR, seg)) or len(seg.split()) <= 3
