"""Parse a questionnaire answer as published (plain text, one numbered question after another) into a
:class:`Submission`. The layout is described by ``data/questionnaire_2023.yaml``.

Nothing is lost: every line of the answer ends up in a record's ``raw_text``, in the submission's
preamble, question texts, footer or notes; whatever a field reader cannot read is kept in
``unparsed`` with a warning.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

import yaml

from ..errors import UserInputError
from . import fields as F
from .dates import parse_dates
from .models import (
    Decision,
    Duplicate,
    Event,
    HighImpactInitiative,
    Partnership,
    Recommendation,
    RecordBase,
    Resolution,
    Resource,
    Submission,
)
from .sdgs import parse_sdgs

MAX_BYTES = 5_000_000  # answers are tens of kB; anything this big is not an answer

_RESOLUTION_RE = re.compile(
    r"^(?P<label>RESOLUTION|Resolution|DECISION|Decision)\s+(?P<num>[\w./-]*\d[\w./-]*)\s*"
    r"(?:\((?P<rev>REV\.?\s*)?(?P<session>[^)]*)\))?\s*(?P<title>.*)$"
)
_BODY_RE = re.compile(
    r"(?P<body>(?:[A-Z][\w’'-]*\s+){1,5}(?:Conference|Assembly|Council|Board|Congress|Summit|Committee|Session)"
    r"(?:\s+of\s+(?:the\s+)?[A-Z][\w-]*(?:\s+[A-Z][\w-]*)*)?(?:\s+\d{4})?(?:\s*\([A-Z][\w-]*\))?)"
)


@dataclass
class _Line:
    no: int  # 1-based line number in the file
    raw: str  # as in the file
    text: str  # no-break spaces as spaces, stripped

    @property
    def blank(self) -> bool:
        return not self.text


@dataclass
class _Block:
    fields: dict[str, list[_Line]] = field(default_factory=dict)
    lines: list[_Line] = field(default_factory=list)
    current: str | None = None
    inline: dict[str, str] = field(default_factory=dict)


@lru_cache(maxsize=None)
def questionnaire(version: str = "2023") -> dict:
    path = resources.files("sdgtrack.contributions") / "data" / f"questionnaire_{version}.yaml"
    if not path.is_file():
        raise UserInputError(f"unknown questionnaire version {version!r}: expected 2023")
    return yaml.safe_load(path.read_text("utf-8"))


# -- file checks -------------------------------------------------------------------------------
def read_text_file(path: str | Path) -> str:
    """The text of an answer file, or one clear error (missing, empty, binary, too big, not UTF-8)."""
    path = Path(path)
    if not path.is_file():
        raise UserInputError(f"{path}: no such file")
    size = path.stat().st_size
    if size == 0:
        raise UserInputError(f"{path}: the file is empty; expected the text of a questionnaire answer")
    if size > MAX_BYTES:
        raise UserInputError(
            f"{path}: {size / 1e6:.1f} MB is too big for a questionnaire answer "
            f"(answers are tens of kB; limit {MAX_BYTES / 1e6:.0f} MB); nothing was imported"
        )
    data = path.read_bytes()
    if b"\0" in data[:65536]:
        raise UserInputError(f"{path}: binary file; expected the text of a questionnaire answer (UTF-8)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            raise UserInputError(
                f"{path}: not UTF-8 text (byte {exc.start}); expected the text of a questionnaire answer"
            ) from None
    if not text.strip():
        raise UserInputError(f"{path}: the file holds only blank lines; expected the text of a questionnaire answer")
    return text


def read_answer(path: str | Path, **options) -> Submission:
    text = read_text_file(path)
    return parse_answer(text, source=str(path), **options)


# -- the parser --------------------------------------------------------------------------------
def parse_answer(
    text: str,
    *,
    source: str = "<text>",
    entity: str | None = None,
    entity_code: str | None = None,
    year: int | None = None,
    status: str = "published",
    version: str = "2023",
    resolve_country: F.CountryResolver | None = None,
) -> Submission:
    q = questionnaire(version)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = [_Line(i + 1, raw, raw.replace("\u00a0", " ").strip()) for i, raw in enumerate(text.split("\n"))]
    headings = _find_questions(lines, q)
    if len(headings) < 2:
        raise UserInputError(
            f"{source}: not a questionnaire answer in the published layout: found "
            f"{len(headings)} of the numbered questions 1-6 (expected lines such as '2. In the past year, has "
            "your organization organized any ... conferences, forums or events ...'); nothing was imported"
        )
    warnings: list[str] = []
    first = headings[0][1]
    preamble_lines = lines[:first]
    footer_lines, membership, found_year = _footer(lines, q)
    footer_nos = {ln.no for ln in footer_lines}

    name, code = _entity(preamble_lines, q)
    if entity:
        name, code = entity, (entity_code or (code if name == entity else ""))
    if not name:
        raise UserInputError(
            f"{source}: cannot tell which entity answered (no name before question 1); pass --entity NAME"
        )
    if year is None:
        if found_year is None:
            raise UserInputError(
                f"{source}: cannot tell the year of the answer (no 'Year of submission' line); pass --year YEAR"
            )
        year = found_year
    elif found_year is not None and found_year != year:
        warnings.append(f"the answer says 'Year of submission: {found_year}'; stored as {year} as asked")

    sub = Submission(
        entity=name,
        entity_code=code or "",
        year=year,
        questionnaire=str(q["version"]),
        status=status,
        source_file=Path(source).name,
        source_sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        preamble="\n".join(ln.raw for ln in preamble_lines).strip("\n"),
        footer="\n".join(ln.raw for ln in footer_lines),
        membership=membership,
    )
    resolve = resolve_country
    limit = int(q.get("description_word_limit", 150))
    records: list[RecordBase] = []
    for idx, (spec, start) in enumerate(headings):
        end = headings[idx + 1][1] if idx + 1 < len(headings) else len(lines)
        sub.questions[str(spec["number"])] = lines[start].raw.strip()
        body = [ln for ln in lines[start + 1 : end] if ln.no not in footer_nos]
        kind = spec["kind"]
        if kind == "decision":
            made = _decisions(body, sub, resolve)
        elif kind == "hii":
            made = _hiis(body, spec, q, sub)
        elif kind == "recommendation":
            made = _recommendations(body, q, sub)
        else:
            made = _labelled(body, spec, sub, resolve, year)
        records.extend(made)

    sub.warnings.extend(warnings)
    seen: dict[str, RecordBase] = {}
    kept: list[RecordBase] = []
    for rec in records:
        _finish(rec, limit)
        rec.assign_id(sub.id)
        if rec.id in seen:
            sub.duplicates.append(Duplicate(record=rec.id, name=rec.name, lines=rec.source_lines))
            sub.warnings.append(
                f"{rec.kind} '{rec.name}' (lines {rec.source_lines}) repeats lines "
                f"{seen[rec.id].source_lines} word for word: stored once"
            )
            continue
        seen[rec.id] = rec
        rec.seq = len(kept) + 1
        kept.append(rec)
    _same_name_warnings(kept, sub)
    sub.records = kept
    return sub


def _find_questions(lines: list[_Line], q: dict) -> list[tuple[dict, int]]:
    found, pos = [], 0
    for spec in q["questions"]:
        pattern = re.compile(rf"^{spec['number']}\s*[.)]\s+(?P<q>.+)$")
        wording = re.compile(spec["wording"], re.I)
        for i in range(pos, len(lines)):
            m = pattern.match(lines[i].text)
            if m and len(m.group("q")) >= 40 and wording.search(m.group("q")):
                found.append((spec, i))
                pos = i + 1
                break
    return found


def _entity(preamble: list[_Line], q: dict) -> tuple[str, str]:
    boiler = [re.compile(p, re.I) for p in q.get("boilerplate", [])]
    for ln in preamble:
        if ln.blank or any(b.fullmatch(ln.text) for b in boiler):
            continue
        m = re.fullmatch(r"(?P<name>.+?)\s*\((?P<code>[^()]{1,20})\)", ln.text)
        return (m.group("name"), m.group("code")) if m else (ln.text, "")
    return "", ""


def _footer(lines: list[_Line], q: dict) -> tuple[list[_Line], str, int | None]:
    year_re = re.compile(q["footer"]["year"], re.I)
    member_re = re.compile(q["footer"]["membership"], re.I)
    out, membership, year = [], "", None
    for ln in lines:
        m = year_re.fullmatch(ln.text)
        if m:
            out.append(ln)
            year = int(m.group("year"))
        elif member_re.fullmatch(ln.text):
            out.append(ln)
            membership = ln.text
    return out, membership, year


# -- labelled blocks (events, resources, partnerships) ------------------------------------------
def _label_matchers(spec: dict) -> dict[str, re.Pattern]:
    return {
        name: re.compile(rf"^(?:{pattern})(?:\s*\([^)]*\))?\s*(?::\s*(?P<rest>.*))?$", re.I)
        for name, pattern in spec["labels"].items()
    }


def _labelled(body: list[_Line], spec: dict, sub: Submission, resolve, year: int) -> list[RecordBase]:
    matchers = _label_matchers(spec)
    name_field = spec.get("record_label", "name")
    blocks: list[_Block] = []
    intro: list[_Line] = []
    for ln in body:
        label = next((f for f, rx in matchers.items() if not ln.blank and rx.match(ln.text)), None)
        if label is not None:
            rest = (matchers[label].match(ln.text).group("rest") or "").strip()
            is_prompt = rest.lower().startswith("please")
            if label == name_field:
                cur = blocks[-1] if blocks else None
                # a repeated name label with nothing under it yet: the form printed it twice
                if cur is None or any(x.text for lines_ in cur.fields.values() for x in lines_) or cur.inline:
                    blocks.append(_Block())
            cur = blocks[-1] if blocks else None
            if cur is None:
                intro.append(ln)
                continue
            cur.lines.append(ln)
            cur.current = label
            cur.fields.setdefault(label, [])
            if rest and not is_prompt:
                cur.inline[label] = (cur.inline.get(label, "") + "\n" + rest).strip()
            continue
        if not blocks:
            intro.append(ln)
            continue
        blocks[-1].lines.append(ln)
        blocks[-1].fields.setdefault(blocks[-1].current, []).append(ln)
    _keep_note(intro, sub, spec["kind"])
    return [_labelled_record(b, spec["kind"], resolve, year) for b in blocks]


def _field_text(block: _Block, name: str) -> str:
    parts = [block.inline.get(name, "")]
    parts.append(_paragraphs(block.fields.get(name, [])))
    return "\n".join(p for p in parts if p).strip()


def _paragraphs(lines: list[_Line]) -> str:
    """Lines as paragraphs: blank lines separate, bullets keep one per line."""
    paras, cur = [], []
    for ln in lines:
        if ln.blank:
            if cur:
                paras.append("\n".join(cur))
                cur = []
            continue
        text = ln.text
        if F.is_bullet(text):
            text = "• " + F.strip_bullet(text)
        cur.append(text)
    if cur:
        paras.append("\n".join(cur))
    return "\n\n".join(paras)


def _labelled_record(block: _Block, kind: str, resolve, year: int) -> RecordBase:
    get = lambda name: _field_text(block, name)  # noqa: E731
    common = dict(
        name=re.sub(r"\s+", " ", get("name")),
        description=get("description"),
        raw_text=_raw(block.lines),
        source_lines=_span(block.lines),
    )
    if kind == "event":
        rec: RecordBase = Event(**common)
        rec.dates, problems = parse_dates(get("dates"), default_year=year)
        _problems(rec, "dates", get("dates"), problems)
        rec.place_text = get("places")
        rec.places, problems = F.parse_places(rec.place_text, resolve)
        _problems(rec, "location", rec.place_text, problems, keep_raw=False)
        if not rec.dates.spans and "dates" not in [w.split(":")[0] for w in rec.warnings]:
            _missing(rec, "dates", get("dates"))
        if not rec.place_text:
            rec.warnings.append("location: blank")
    elif kind == "resource":
        rec = Resource(
            **common,
            publishers=F.split_names(get("publishers")),
            audience=F.bullet_items(get("audience")),
            languages=F.split_languages(get("languages")),
        )
    else:
        beneficiaries = re.sub(r"\s+", " ", get("beneficiaries"))
        rec = Partnership(**common, partners=F.split_names(get("partners")), beneficiaries=beneficiaries)
        rec.beneficiaries_all = bool(re.match(r"^(all\b|open to all|every)", beneficiaries, re.I))
        if resolve and not rec.beneficiaries_all:
            rec.beneficiary_areas = [hit[0] for name in F.split_names(beneficiaries) if (hit := resolve(name))]
    sdg_text = get("sdgs")
    rec.sdgs, problems = parse_sdgs(sdg_text)
    if not sdg_text:
        rec.warnings.append("SDGs: none declared")
    else:
        _problems(rec, "SDGs", sdg_text, problems)
    rec.websites, leftovers = F.parse_websites(get("websites"))
    for rest in leftovers:
        rec.unparsed.append(f"website: {rest}")
        rec.warnings.append(f"website: not a URL, kept as written: {rest!r}")
    if not rec.name:
        rec.warnings.append("name: blank")
    return rec


def _problems(rec: RecordBase, what: str, text: str, problems: list[str], keep_raw: bool = True) -> None:
    for p in problems:
        rec.warnings.append(f"{what}: {p}")
    if problems and keep_raw and not any(u.startswith(f"{what}: ") for u in rec.unparsed):
        rec.unparsed.append(f"{what}: {text}")


def _missing(rec: RecordBase, what: str, text: str) -> None:
    if not text:
        rec.warnings.append(f"{what}: blank")


# -- question 1: governing-body decisions -------------------------------------------------------
def _decisions(body: list[_Line], sub: Submission, resolve) -> list[RecordBase]:
    content = [ln for ln in body if not ln.blank]
    if not content:
        return []
    if len(content) == 1 and re.fullmatch(r"(no|none|n/?a|not applicable)\.?", content[0].text, re.I):
        _keep_note(body, sub, "decision", warn=False)
        return []
    narrative, topics, resolutions = [], [], []
    for ln in content:
        text = F.strip_bullet(ln.text) if F.is_bullet(ln.text) else ln.text
        m = _RESOLUTION_RE.match(text)
        if m:
            session = (m.group("session") or "").strip()
            resolutions.append(
                Resolution(
                    number=m.group("num"),
                    title=m.group("title").strip().rstrip(".").strip(),
                    session=_titlecase(session) or None,
                    revised=bool(m.group("rev")),
                    label=m.group("label").title(),
                )
            )
        elif F.is_bullet(ln.text):
            topics.append(text)
        elif re.fullmatch(r"[*_\-=~ ]{3,}", text):
            continue  # a separator line
        else:
            narrative.append(ln)
    description = _paragraphs(narrative)
    body_match = _BODY_RE.search(description)
    body_name = body_match.group("body").strip() if body_match else ""
    rec = Decision(
        name=body_name or f"Governing-body decisions {sub.year}",
        body=body_name,
        description=description,
        topics=topics,
        resolutions=resolutions,
        raw_text=_raw(body),
        source_lines=_span(body),
    )
    _meeting(rec, description, resolve, sub.year)
    if not body_name:
        rec.warnings.append("governing body: not named in the text")
    return [rec]


_HELD_IN_RE = re.compile(
    r"\b(?:held|met|meeting|convened|session)\s+in\s+(?P<place>[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)*"
    r",\s*[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)*)|\bin\s+(?P<place2>[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)*"
    r",\s*[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)*),\s+(?:on|from|between)\b"
)
_WHEN_RE = re.compile(
    r"\b(?:between|from|on)\s+(?P<when>\d{1,2}(?:\s+[A-Z][a-z]+)?(?:\s+\d{4})?"
    r"(?:\s+(?:and|to|-|–)\s+\d{1,2}\s+[A-Z][a-z]+)?\s+\d{4})"
)


def _meeting(rec: Decision, narrative: str, resolve, year: int) -> None:
    """Where and when the governing body met, when the narrative says it in the usual way:
    "held in Bucharest, Romania, between 26 September and 14 October 2022"."""
    where = _HELD_IN_RE.search(narrative)
    if where:
        rec.place_text = where.group("place") or where.group("place2")
        rec.places, _ = F.parse_places(rec.place_text, resolve)
    when = _WHEN_RE.search(narrative)
    if when:
        dates, problems = parse_dates(when.group(0), default_year=year)  # keeps "between ... and"
        if not problems:
            rec.dates = dates


# -- question 4: High-Impact Initiatives --------------------------------------------------------
def _hiis(body: list[_Line], spec: dict, q: dict, sub: Submission) -> list[RecordBase]:
    heading = re.compile(spec["heading"], re.I)
    roles = [(r["role"], re.compile(r["pattern"], re.I)) for r in q["hii_roles"]]
    groups: list[tuple[str, list[_Line]]] = []
    intro: list[_Line] = []
    for ln in body:
        m = heading.fullmatch(ln.text) if not ln.blank else None
        if m:
            groups.append((m.group("name").strip(), [ln]))
        elif groups:
            groups[-1][1].append(ln)
        else:
            intro.append(ln)
    _keep_note(intro, sub, "hii")
    out = []
    for title, lines in groups:
        m = re.fullmatch(r"(?P<name>[^()]+?)\s*\((?P<sub>.+)\)", title)
        initiative, subtitle = (m.group("name"), m.group("sub")) if m else (title, "")
        description = _paragraphs(lines[1:])
        role = next((r for r, rx in roles if rx.search(description)), "contributor")
        rec = HighImpactInitiative(
            name=initiative,
            initiative=initiative,
            subtitle=subtitle,
            role=role,
            description=description,
            raw_text=_raw(lines),
            source_lines=_span(lines),
        )
        rec.websites, _ = F.parse_websites(description)
        out.append(rec)
    return out


# -- question 6: recommendations ----------------------------------------------------------------
def _recommendations(body: list[_Line], q: dict, sub: Submission) -> list[RecordBase]:
    themes = q["recommendation_themes"]
    prompts = [(t["theme"], re.compile(t["prompt"], re.I)) for t in themes]
    keywords = [(t["theme"], re.compile(t["keywords"], re.I)) for t in themes if t.get("keywords")]
    content = [ln for ln in body if not ln.blank]
    out: list[RecordBase] = []
    theme, group, prompt_lines = None, "", []
    for i, ln in enumerate(content):
        text = F.strip_bullet(ln.text)
        hit = next((t for t, rx in prompts if rx.fullmatch(text)), None)
        if hit:
            theme = hit
            prompt_lines.append(ln)
            continue
        nxt = content[i + 1] if i + 1 < len(content) else None
        if not F.is_bullet(ln.text) and nxt is not None and F.is_bullet(nxt.text) and not text.endswith("."):
            group, theme = text, None  # a heading over the bullets that follow
            prompt_lines.append(ln)
            continue
        chosen = theme or _classify(text, keywords)
        out.append(
            Recommendation(
                name=_shorten(text),
                description=text,
                theme=chosen,
                group=group,
                raw_text=ln.raw.strip(),
                source_lines=str(ln.no),
            )
        )
    if prompt_lines:
        sub.notes.append("question 6 prompts and headings:\n" + "\n".join(ln.raw.strip() for ln in prompt_lines))
    return out


def _classify(text: str, keywords: list[tuple[str, re.Pattern]]) -> str:
    scores = [(len(rx.findall(text)), -i, theme) for i, (theme, rx) in enumerate(keywords)]
    best = max(scores) if scores else (0, 0, "other")
    return best[2] if best[0] > 0 else "other"


# -- shared ------------------------------------------------------------------------------------
def _finish(rec: RecordBase, limit: int) -> None:
    rec.word_count = len(rec.description.split())
    if rec.kind in ("event", "resource", "partnership") and rec.word_count > limit:
        rec.over_limit = True
        rec.warnings.append(f"description: {rec.word_count} words, over the {limit}-word limit (kept in full)")


def _same_name_warnings(records: list[RecordBase], sub: Submission) -> None:
    by_name: dict[tuple[str, str], list[RecordBase]] = {}
    for rec in records:
        if rec.name and rec.kind != "recommendation":
            by_name.setdefault((rec.kind, rec.name.lower()), []).append(rec)
    for (kind, _), recs in by_name.items():
        if len(recs) > 1:
            where = ", ".join(f"lines {r.source_lines}" for r in recs)
            for r in recs:
                r.warnings.append(
                    f"name: {len(recs)} {kind} entries share this name but differ in content ({where}): check the names"
                )


def _keep_note(lines: list[_Line], sub: Submission, kind: str, warn: bool = True) -> None:
    text = _raw(lines)
    if text.strip():
        sub.notes.append(f"{kind} section, lines {_span(lines)}:\n{text}")
        if warn:
            sub.warnings.append(f"{kind} section: text outside any record kept as a note (lines {_span(lines)})")


def _raw(lines: list[_Line]) -> str:
    keep = list(lines)
    while keep and keep[-1].blank:
        keep.pop()
    while keep and keep[0].blank:
        keep.pop(0)
    return "\n".join(ln.raw.rstrip() for ln in keep)


def _span(lines: list[_Line]) -> str:
    nos = [ln.no for ln in lines if not ln.blank]
    if not nos:
        return ""
    return str(nos[0]) if nos[0] == nos[-1] else f"{nos[0]}-{nos[-1]}"


def _titlecase(session: str) -> str:
    return session.title() if session.isupper() else session


def _shorten(text: str, words: int = 12) -> str:
    parts = text.split()
    return " ".join(parts[:words]) + (" ..." if len(parts) > words else "")


def description_word_limit(edition: str = "2023") -> int:
    """The questionnaire's limit on a record's description, in words (a warning, not a refusal)."""
    return int(questionnaire(edition).get("description_word_limit", 150))
