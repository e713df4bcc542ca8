"""The registry as JSON (whole submissions) and CSV (one row per record), out and back in.

JSON holds everything (submission preamble, questions, notes, warnings, every record field). CSV
holds the records in readable columns; lists are joined with " | " and the structure of dates,
places and SDGs is derived again from their text on import (with the same readers as the text
import), so a CSV written by hand needs only entity, year, kind and name.
"""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pandas as pd
from pydantic import ValidationError

from .. import csvsafe
from ..errors import InvalidInputError, Problem, UserInputError
from . import edit
from .models import KINDS, RECORD_CLASSES, DateSpan, Resolution, SdgRef, Submission

FORMAT = "sdgtrack-contributions"
SEP = " | "
CSV_COLUMNS = [
    "entity",
    "entity_code",
    "year",
    "questionnaire",
    "status",
    "id",
    "kind",
    "seq",
    "name",
    "description",
    "sdg_text",
    "sdgs",
    "sdg_targets",
    "sdg_primary",
    "dates_text",
    "start_date",
    "end_date",
    "open_end",
    "location",
    "countries",
    "websites",
    "partners",
    "beneficiaries",
    "publishers",
    "audience",
    "languages",
    "initiative",
    "subtitle",
    "role",
    "theme",
    "group",
    "body",
    "topics",
    "resolutions",
    "word_count",
    "over_limit",
    "warnings",
    "unparsed",
    "source_lines",
    "raw_text",
]
MAX_BYTES = 200_000_000


# -- export ------------------------------------------------------------------------------------
def export(
    reg, path: str | Path | None, fmt: str = "json", *, entity: str | None = None, year: int | None = None
) -> str:
    subs = _selected(reg, entity, year)
    if fmt == "json":
        text = (
            json.dumps(
                {"format": FORMAT, "version": 1, "submissions": [s.model_dump(mode="json") for s in subs]},
                ensure_ascii=False,
                indent=1,
            )
            + "\n"
        )
    elif fmt == "csv":
        text = csvsafe.frame(to_frame(subs)).to_csv(index=False)
    else:
        raise UserInputError(f"export format {fmt!r}: expected json or csv")
    if path is None or str(path) == "-":
        sys.stdout.write(text)
    else:
        try:
            Path(path).write_text(text, encoding="utf-8")
        except OSError as exc:
            raise UserInputError(f"cannot write {path}: {exc}") from None
    return text


def _selected(reg, entity, year) -> list[Submission]:
    frame = reg.submissions()
    if entity:
        frame = frame[(frame.entity.str.upper() == entity.upper()) | (frame.entity_code.str.upper() == entity.upper())]
    if year is not None:
        frame = frame[frame.year == int(year)]
    if frame.empty:
        raise UserInputError(
            "no submissions to export" + (f" for {entity}" if entity else "") + (f" in {year}" if year else "")
        )
    return [reg.submission(sid) for sid in frame.id]


def to_frame(subs: list[Submission]) -> pd.DataFrame:
    rows = []
    for sub in subs:
        for rec in sub.records:
            d = {c: "" for c in CSV_COLUMNS}
            d.update(
                entity=sub.entity,
                entity_code=sub.entity_code,
                year=sub.year,
                questionnaire=sub.questionnaire,
                status=sub.status,
                id=rec.id,
                kind=rec.kind,
                seq=rec.seq,
                name=rec.name,
                description=rec.description,
                sdg_text=rec.sdgs.text,
                sdgs="all" if rec.sdgs.all_goals else ", ".join(map(str, rec.sdgs.goals)),
                sdg_targets=", ".join(rec.sdgs.targets),
                sdg_primary=", ".join(map(str, rec.sdgs.primary)),
                websites=" ".join(rec.websites),
                word_count=rec.word_count,
                over_limit=rec.over_limit,
                warnings=SEP.join(rec.warnings),
                unparsed=SEP.join(rec.unparsed),
                source_lines=rec.source_lines,
                raw_text=rec.raw_text,
            )
            if rec.kind in ("event", "decision"):
                d.update(
                    dates_text=rec.dates.text,
                    start_date=_iso(rec.dates.start),
                    end_date=_iso(rec.dates.end),
                    open_end=rec.dates.open_end,
                    location=rec.place_text,
                    countries=", ".join(sorted({p.area for p in rec.places if p.area})),
                )
            if rec.kind == "resource":
                d.update(
                    publishers=SEP.join(rec.publishers),
                    audience=SEP.join(rec.audience),
                    languages=SEP.join(rec.languages),
                )
            elif rec.kind == "partnership":
                d.update(partners=SEP.join(rec.partners), beneficiaries=rec.beneficiaries)
            elif rec.kind == "hii":
                d.update(initiative=rec.initiative, subtitle=rec.subtitle, role=rec.role)
            elif rec.kind == "recommendation":
                d.update(theme=rec.theme, group=rec.group)
            elif rec.kind == "decision":
                d.update(
                    body=rec.body,
                    topics=SEP.join(rec.topics),
                    resolutions=json.dumps([r.model_dump() for r in rec.resolutions], ensure_ascii=False)
                    if rec.resolutions
                    else "",
                )
            rows.append(d)
    return pd.DataFrame(rows, columns=CSV_COLUMNS)


def _iso(d) -> str:
    return d.isoformat() if d else ""


# -- import ------------------------------------------------------------------------------------
def _read(path: Path) -> str:
    if not path.is_file():
        raise UserInputError(f"{path}: no such file")
    size = path.stat().st_size
    if size == 0:
        raise UserInputError(f"{path}: the file is empty")
    if size > MAX_BYTES:
        raise UserInputError(f"{path}: {size / 1e6:.0f} MB is too big (limit {MAX_BYTES / 1e6:.0f} MB)")
    data = path.read_bytes()
    if b"\0" in data[:65536]:
        raise UserInputError(f"{path}: binary file; expected UTF-8 text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UserInputError(f"{path}: not UTF-8 text (byte {exc.start})") from None


def read_json(path: str | Path, reg) -> list[Submission]:
    path = Path(path)
    try:
        doc = json.loads(_read(path))
    except json.JSONDecodeError as exc:
        raise InvalidInputError([Problem(str(path), exc.lineno, None, None, f"valid JSON ({exc.msg})")]) from None
    except RecursionError:
        raise InvalidInputError(
            [
                Problem(
                    str(path),
                    None,
                    None,
                    None,
                    "JSON nested at most a few levels deep (a registry export: submissions > records > fields)",
                )
            ]
        ) from None
    if isinstance(doc, dict) and "submissions" in doc:
        if doc.get("format", FORMAT) != FORMAT:
            raise UserInputError(f"{path}: format {doc.get('format')!r}; expected {FORMAT!r}")
        items = doc["submissions"]
    elif isinstance(doc, list):
        items = doc
    elif isinstance(doc, dict):
        items = [doc]
    else:
        items = None
    if not isinstance(items, list):
        raise UserInputError(f'{path}: expected {{"submissions": [...]}}, a list of submissions or one submission')
    subs, problems = [], []
    for i, item in enumerate(items):
        try:
            subs.append(Submission.model_validate(item))
        except ValidationError as exc:
            for err in exc.errors():
                loc = ".".join(str(x) for x in ("submissions", i, *err["loc"]))
                problems.append(Problem(str(path), None, loc, _short(err.get("input")), err["msg"]))
    if problems:
        raise InvalidInputError(problems)
    return [_complete(s, reg) for s in subs]


def read_csv(path: str | Path, reg) -> list[Submission]:
    path = Path(path)
    text = _read(path)
    try:
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
        frame = frame.apply(csvsafe.undo_column)  # cells an export marked as text
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise UserInputError(f"{path}: not a CSV file ({exc})") from None
    missing = [c for c in ("entity", "year", "kind", "name") if c not in frame.columns]
    if missing:
        raise InvalidInputError([Problem(str(path), 1, c, None, "a column named " + c) for c in missing])
    frame = frame.reindex(columns=sorted(set(frame.columns) | set(CSV_COLUMNS)), fill_value="")
    problems: list[Problem] = []
    subs: dict[tuple, Submission] = {}
    for i, row in enumerate(frame.to_dict("records")):
        line = i + 2
        try:
            rec = _record_from_row(row, path, line, problems)
            if rec is None:
                continue
            key = (row["entity"].strip(), int(row["year"]), row["questionnaire"].strip() or "2023")
            if key not in subs:
                subs[key] = Submission(
                    entity=key[0],
                    entity_code=row["entity_code"].strip(),
                    year=key[1],
                    questionnaire=key[2],
                    status=row["status"].strip() or "draft",
                    source_file=path.name,
                )
            subs[key].records.append(rec)
        except ValidationError as exc:
            for err in exc.errors():
                problems.append(
                    Problem(str(path), line, ".".join(map(str, err["loc"])), _short(err.get("input")), err["msg"])
                )
    if problems:
        raise InvalidInputError(problems)
    return [_complete(s, reg) for s in subs.values()]


def _record_from_row(row: dict, path: Path, line: int, problems: list[Problem]):
    kind = row["kind"].strip()
    bad = False
    if kind not in KINDS:
        problems.append(Problem(str(path), line, "kind", kind, "one of " + ", ".join(KINDS)))
        bad = True
    if not row["entity"].strip():
        problems.append(Problem(str(path), line, "entity", "", "the entity's name"))
        bad = True
    if not row["year"].strip().isdigit():
        problems.append(Problem(str(path), line, "year", row["year"], "a year such as 2023"))
        bad = True
    if not row["name"].strip() and kind != "recommendation":
        problems.append(Problem(str(path), line, "name", "", "the record's name"))
        bad = True
    if bad:
        return None
    split = lambda col: [x.strip() for x in row[col].split("|") if x.strip()]  # noqa: E731
    data = dict(
        kind=kind,
        id=row["id"].strip(),
        name=row["name"].strip(),
        description=row["description"].strip(),
        websites=row["websites"].split(),
        raw_text=row["raw_text"],
        source_lines=row["source_lines"],
        warnings=split("warnings"),
        unparsed=split("unparsed"),
    )
    if row["seq"].strip().isdigit():
        data["seq"] = int(row["seq"])
    if row["word_count"].strip().isdigit():
        data["word_count"] = int(row["word_count"])
    data["over_limit"] = row["over_limit"].strip().lower() == "true"
    data["sdgs"] = _sdgs(row, path, line, problems)
    if kind in ("event", "decision"):
        data["dates"] = {"text": row["dates_text"].strip()}
        if not row["dates_text"].strip() and row["start_date"].strip():
            try:
                data["dates"]["spans"] = [
                    DateSpan(
                        start=row["start_date"].strip(),
                        end=row["end_date"].strip() or None,
                        open_end=row["open_end"].strip().lower() == "true",
                    )
                ]
            except ValidationError:
                problems.append(Problem(str(path), line, "start_date", row["start_date"], "a date YYYY-MM-DD"))
                return None
        data["place_text"] = row["location"].strip()
    if kind == "resource":
        data.update(publishers=split("publishers"), audience=split("audience"), languages=split("languages"))
    elif kind == "partnership":
        data.update(partners=split("partners"), beneficiaries=row["beneficiaries"].strip())
    elif kind == "hii":
        data.update(
            initiative=row["initiative"].strip() or row["name"].strip(),
            subtitle=row["subtitle"].strip(),
            role=row["role"].strip(),
        )
    elif kind == "recommendation":
        data.update(theme=row["theme"].strip() or "other", group=row["group"].strip())
        if not data["name"]:
            data["name"] = " ".join(data["description"].split()[:12])
    elif kind == "decision":
        data.update(body=row["body"].strip(), topics=split("topics"))
        if row["resolutions"].strip():
            try:
                data["resolutions"] = [Resolution.model_validate(r) for r in json.loads(row["resolutions"])]
            except (json.JSONDecodeError, ValidationError, TypeError):
                problems.append(
                    Problem(
                        str(path),
                        line,
                        "resolutions",
                        _short(row["resolutions"]),
                        "a JSON list of {number, title, session, revised}",
                    )
                )
                return None
    return RECORD_CLASSES[kind].model_validate(data)


def _sdgs(row: dict, path: Path, line: int, problems: list[Problem]) -> SdgRef:
    text = row["sdg_text"].strip()
    goals_text = row["sdgs"].strip()
    if not goals_text:
        return SdgRef(text=text)  # derived from the text by _complete
    if goals_text.lower() == "all":
        goals, all_goals = list(range(1, 18)), True
    else:
        try:
            goals = sorted({int(x) for x in goals_text.replace(";", ",").split(",") if x.strip()})
        except ValueError:
            goals = []
        if not goals or not all(1 <= g <= 17 for g in goals):
            problems.append(
                Problem(str(path), line, "sdgs", goals_text, "goal numbers 1-17 separated by commas, or 'all'")
            )
            return SdgRef(text=text)
        all_goals = goals == list(range(1, 18))
    targets = [t.strip() for t in row["sdg_targets"].split(",") if t.strip()]
    primary = [int(x) for x in row["sdg_primary"].split(",") if x.strip().isdigit()]
    return SdgRef(text=text or goals_text, goals=goals, targets=targets, primary=primary, all_goals=all_goals)


def _complete(sub: Submission, reg) -> Submission:
    for rec in sub.records:
        edit.complete(rec, reg.resolve_country, sub.year)
        if rec.kind == "partnership" and rec.beneficiaries and not rec.beneficiary_areas:
            edit.correct(rec, "beneficiaries", rec.beneficiaries, reg.resolve_country, sub.year)
    ids = [r.id for r in sub.records if r.id]
    if len(ids) != len(set(ids)):
        dup = next(i for i in ids if ids.count(i) > 1)
        raise UserInputError(f"submission {sub.id}: record id {dup!r} appears twice")
    for i, rec in enumerate(sub.records):
        if not rec.seq:
            rec.seq = i + 1
    return sub


def _short(value) -> str | None:
    if value is None:
        return None
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 80 else text[:77] + "..."
