"""The registry's records as pydantic models: what crosses a boundary (JSON exchange, API, CLI).

A :class:`Submission` is one entity's answer for one year; it holds records of six kinds. Every
record keeps the text it came from verbatim (``raw_text``) and whatever could not be parsed
(``unparsed``), so nothing of an answer is lost.
"""

from __future__ import annotations

import hashlib
import re
from datetime import date
from typing import Annotated, Literal, Union

from pydantic import BaseModel, ConfigDict, Field

KINDS = ("decision", "event", "resource", "hii", "partnership", "recommendation")
STATUSES = ("draft", "submitted", "published")
Kind = Literal["decision", "event", "resource", "hii", "partnership", "recommendation"]
Status = Literal["draft", "submitted", "published"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class DateSpan(_Model):
    """One date or date range as a person reads it; ``precision`` says what the text gave."""

    start: date | None = None
    end: date | None = None  # None with open_end: "2021 to present"
    open_end: bool = False
    precision: Literal["day", "month", "year"] = "day"
    label: str = ""  # words around the dates: "Hybrid Week", "Virtual Workshops in"


class Dates(_Model):
    text: str = ""
    spans: list[DateSpan] = []

    @property
    def start(self) -> date | None:
        starts = [s.start for s in self.spans if s.start]
        return min(starts) if starts else None

    @property
    def end(self) -> date | None:
        if any(s.open_end for s in self.spans):
            return None
        ends = [s.end or s.start for s in self.spans if s.end or s.start]
        return max(ends) if ends else None

    @property
    def open_end(self) -> bool:
        return any(s.open_end for s in self.spans)


class Place(_Model):
    text: str
    mode: Literal["in_person", "virtual", "hybrid"] = "in_person"
    city: str | None = None
    country: str | None = None  # as written
    area: str | None = None  # M49 code (store convention: no leading zeros)
    iso3: str | None = None


class SdgRef(_Model):
    """The SDGs a record declares. ``primary`` holds goals singled out ("more directly SDG 9")."""

    text: str = ""
    goals: list[int] = []
    targets: list[str] = []
    primary: list[int] = []
    all_goals: bool = False


class Resolution(_Model):
    number: str
    title: str
    session: str | None = None  # "Bucharest, 2022"
    revised: bool = False  # "(REV. BUCHAREST, 2022)"
    label: str = "Resolution"


class RecordBase(_Model):
    id: str = ""
    kind: Kind
    seq: int = 0  # position in the answer
    name: str = ""
    description: str = ""
    sdgs: SdgRef = SdgRef()
    websites: list[str] = []
    raw_text: str = ""  # the block of the answer, verbatim
    source_lines: str = ""  # "51-88" in the imported file
    unparsed: list[str] = []  # text kept as written because it could not be parsed
    warnings: list[str] = []
    word_count: int = 0
    over_limit: bool = False  # description longer than the questionnaire's limit

    def assign_id(self, submission_id: str) -> None:
        """A stable id from the submission and the verbatim text, so re-imports find the same record
        and an entry repeated word for word is the same record."""
        basis = f"{submission_id}|{self.kind}|{_squash(self.raw_text or self.name + self.description)}"
        self.id = f"{self.kind[:3]}-{hashlib.sha1(basis.encode('utf-8')).hexdigest()[:10]}"

    def field_text(self, field: str) -> str:
        """One field as people read and correct it (``sdgtrack contributions correct``, the review form)."""
        if field == "sdgs":
            return self.sdgs.text or ", ".join(map(str, self.sdgs.goals))
        if field == "dates":
            return getattr(self, "dates", Dates()).text
        if field == "location":
            return getattr(self, "place_text", "")
        value = getattr(self, field, "")
        if isinstance(value, list):
            return ", ".join(map(str, value))
        return str(value)


class Decision(RecordBase):
    kind: Literal["decision"] = "decision"
    body: str = ""  # "Plenipotentiary Conference 2022 (PP-22)"
    topics: list[str] = []
    resolutions: list[Resolution] = []
    dates: Dates = Dates()  # when the body met, if the narrative says it
    places: list[Place] = []  # where it met ("held in Bucharest, Romania")
    place_text: str = ""


class Event(RecordBase):
    kind: Literal["event"] = "event"
    dates: Dates = Dates()
    places: list[Place] = []
    place_text: str = ""


class Resource(RecordBase):
    kind: Literal["resource"] = "resource"
    publishers: list[str] = []
    audience: list[str] = []
    languages: list[str] = []


class HighImpactInitiative(RecordBase):
    kind: Literal["hii"] = "hii"
    initiative: str = ""
    subtitle: str = ""
    role: str = ""


class Partnership(RecordBase):
    kind: Literal["partnership"] = "partnership"
    partners: list[str] = []
    beneficiaries: str = ""
    beneficiary_areas: list[str] = []  # M49 codes when the field names countries
    beneficiaries_all: bool = False


class Recommendation(RecordBase):
    kind: Literal["recommendation"] = "recommendation"
    theme: str = "other"
    group: str = ""  # the heading the answer put it under


Record = Annotated[
    Union[Decision, Event, Resource, HighImpactInitiative, Partnership, Recommendation], Field(discriminator="kind")
]
RECORD_CLASSES = {
    c.model_fields["kind"].default: c
    for c in (Decision, Event, Resource, HighImpactInitiative, Partnership, Recommendation)
}


class Duplicate(_Model):
    record: str  # id of the stored record
    name: str
    lines: str  # where the repeat was in the file


class Submission(_Model):
    entity: str
    entity_code: str = ""
    year: int
    questionnaire: str = "2023"
    status: Status = "published"
    source_file: str = ""
    source_sha256: str = ""
    preamble: str = ""  # text before question 1 (entity name ...)
    questions: dict[str, str] = {}  # question number -> its wording as printed
    footer: str = ""
    membership: str = ""  # "ECESA Plus Member"
    notes: list[str] = []  # section text outside any record, kept verbatim
    warnings: list[str] = []
    duplicates: list[Duplicate] = []
    records: list[Record] = []

    @property
    def id(self) -> str:
        return submission_id(self.entity_code or self.entity, self.year, self.questionnaire)


def submission_id(entity: str, year: int, questionnaire: str) -> str:
    slug = re.sub(r"[^A-Za-z0-9]+", "-", entity).strip("-").upper()
    return f"{slug}/{year}/{questionnaire}"


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()
