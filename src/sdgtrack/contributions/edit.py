"""Fill and correct record fields from their text, with the same readers as the import.

Used by corrections (``Registry.correct``) and by JSON/CSV imports, where a record may give only the
text of a field ("3 May 2024", "Nairobi, Kenya", "SDG 4, 5") and the structure is derived here.
"""

from __future__ import annotations

import re

from ..errors import UserInputError
from . import fields as F
from .dates import parse_dates
from .models import KINDS, RecordBase
from .sdgs import parse_sdgs

# field name -> (kinds it applies to, help)
CORRECTABLE = {
    "name": (None, "the record's name"),
    "description": (None, "the description"),
    "sdgs": (None, "declared SDGs as text: 'SDG 6, 11', 'All 17 SDGs', '9.1, 11.2'"),
    "websites": (None, "URLs separated by spaces"),
    "dates": (("event", "decision"), "dates as text: '13 to 17 November 2023'"),
    "location": (("event", "decision"), "places as text: 'Geneva, Switzerland; Virtual'"),
    "partners": (("partnership",), "names separated by commas"),
    "beneficiaries": (("partnership",), "Member States benefiting, as text"),
    "publishers": (("resource",), "names separated by commas"),
    "audience": (("resource",), "target audience; one item per line"),
    "languages": (("resource",), "languages separated by commas"),
    "initiative": (("hii",), "the High-Impact Initiative's name"),
    "role": (("hii",), "co-lead, lead, supporter, contributor"),
    "theme": (("recommendation",), "follow-up and review, data, interlinkages, other"),
    "body": (("decision",), "the governing body"),
}


def complete(rec: RecordBase, resolve: F.CountryResolver | None, year: int | None) -> RecordBase:
    """Derive structure that the record gives only as text."""
    if rec.sdgs.text and not rec.sdgs.goals:
        rec.sdgs, _ = parse_sdgs(rec.sdgs.text)
    if rec.kind in ("event", "decision"):
        if rec.dates.text and not rec.dates.spans:
            rec.dates, _ = parse_dates(rec.dates.text, default_year=year)
        if rec.place_text and not rec.places:
            rec.places, _ = F.parse_places(rec.place_text, resolve)
    if not rec.word_count:
        rec.word_count = len(rec.description.split())
    return rec


def correct(
    rec: RecordBase, field: str, value: str, resolve: F.CountryResolver | None, year: int | None
) -> tuple[str, str]:
    """Apply one correction in place; returns (old, new) as text for the change log."""
    if field not in CORRECTABLE:
        raise UserInputError(f"cannot correct field {field!r}: expected one of {', '.join(CORRECTABLE)}")
    kinds = CORRECTABLE[field][0]
    if kinds and rec.kind not in kinds:
        raise UserInputError(f"field {field!r} does not apply to a {rec.kind} record (only {', '.join(kinds)})")
    value = (value or "").strip()
    old = rec.field_text(field)
    problems: list[str] = []
    if field == "name":
        if not value:
            raise UserInputError("a record's name cannot be blank")
        rec.name = value
    elif field == "description":
        rec.description = value
        rec.word_count = len(value.split())
    elif field == "sdgs":
        ref, problems = parse_sdgs(value)
        if value and not ref.goals:
            raise UserInputError(f"no SDG in {value!r}: expected e.g. 'SDG 6, 11', 'All 17 SDGs', '9.1, 11.2'")
        rec.sdgs = ref
    elif field == "websites":
        rec.websites, rest = F.parse_websites(value)
        if rest:
            raise UserInputError(f"not a URL: {rest[0]!r}; expected URLs separated by spaces")
    elif field == "dates":
        dates, problems = parse_dates(value, default_year=year)
        if value and not dates.spans:
            raise UserInputError(f"no date in {value!r}: expected e.g. '13 to 17 November 2023', '2021 to present'")
        rec.dates = dates
    elif field == "location":
        rec.place_text = value
        rec.places, problems = F.parse_places(value, resolve)
    elif field in ("partners", "publishers"):
        setattr(rec, field, F.split_names(value))
    elif field == "beneficiaries":
        rec.beneficiaries = value
        rec.beneficiaries_all = bool(re.match(r"^(all\b|open to all|every)", value, re.I))
        rec.beneficiary_areas = [hit[0] for n in F.split_names(value) if resolve and (hit := resolve(n))]
    elif field == "audience":
        rec.audience = F.bullet_items(value)
    elif field == "languages":
        rec.languages = F.split_languages(value)
    elif field == "theme":
        allowed = ("follow-up and review", "data", "interlinkages", "other")
        if value not in allowed:
            raise UserInputError(f"theme {value!r}: expected one of {', '.join(allowed)}")
        rec.theme = value
    elif field == "role":
        rec.role = value
    elif field == "initiative":
        rec.initiative = rec.name = value
    elif field == "body":
        rec.body = value
    # the correction settles what was unreadable in that field
    prefix = {"location": "location", "dates": "dates", "sdgs": "SDGs", "websites": "website"}.get(field, field)
    rec.warnings = [w for w in rec.warnings if not w.lower().startswith(prefix.lower())]
    rec.unparsed = [u for u in rec.unparsed if not u.lower().startswith(prefix.lower())]
    rec.warnings.extend(f"{prefix}: {p}" for p in problems)
    return old, rec.field_text(field)


def record_fields(kind: str) -> list[tuple[str, str]]:
    """(field, help) of a record kind, in the questionnaire's order: the fields a form shows."""
    if kind not in KINDS:
        raise UserInputError(f"record kind {kind!r}: expected one of {', '.join(KINDS)}")
    return [(f, h) for f, (kinds, h) in CORRECTABLE.items() if kinds is None or kind in kinds]
