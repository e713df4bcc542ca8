"""The registry in the store: save submissions (idempotently), query records, correct and publish.

>>> from sdgtrack.contributions import Registry
>>> reg = Registry(db)                       # db = sdgtrack.open(...)
>>> report = reg.import_file("itu-2023.txt")
>>> reg.records(sdg=11, query="cities")      # a DataFrame
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable

import pandas as pd
from pydantic import BaseModel, TypeAdapter

from ..errors import UserInputError
from ..store.transactions import rollback
from . import edit
from .fields import store_resolver
from .filters import record_filters
from .models import KINDS, STATUSES, Record, RecordBase, Submission

_RECORD = TypeAdapter(Record)

# Allowed status changes: an entity drafts, submits, the coordinator publishes or returns it;
# a published submission is reopened (back to submitted) to be corrected.
TRANSITIONS = {"draft": {"submitted"}, "submitted": {"draft", "published"}, "published": {"submitted"}}


class ImportReport(BaseModel):
    submission: str
    entity: str
    year: int
    status: str
    source: str
    records: dict[str, int]  # per kind, as stored
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    kept_corrected: int = 0  # records edited after an earlier import, left as corrected
    warnings: list[str] = []
    duplicates: list[str] = []
    dry_run: bool = False

    @property
    def changed(self) -> bool:
        return bool(self.new or self.updated or self.removed)


class Registry:
    def __init__(self, db):
        self.db = getattr(db, "store", db)  # a workspace (``ws.contributions`` is the usual way) or its store
        self.con = self.db.con
        self._resolver = None
        # The registry's tables are part of the store schema (store/migrations/0001_base.sql).

    @property
    def resolve_country(self):
        if self._resolver is None:
            self._resolver = store_resolver(self.db)
        return self._resolver

    # -- import ---------------------------------------------------------------------------------
    def parse_file(
        self, path: str | Path, *, entity: str | None = None, year: int | None = None, status: str | None = None
    ) -> Submission:
        from .layout import read_answer

        _check_status(status)
        return read_answer(
            path, entity=entity, year=year, status=status or "published", resolve_country=self.resolve_country
        )

    def import_file(
        self,
        path: str | Path,
        *,
        fmt: str | None = None,
        entity: str | None = None,
        year: int | None = None,
        status: str | None = None,
        dry_run: bool = False,
    ) -> list[ImportReport]:
        """Import an answer as published (text), or a registry export (JSON or CSV). Nothing is
        written unless the whole file is read without error."""
        from . import exchange

        path = Path(path)
        fmt = (fmt or _format_of(path)).lower()
        if fmt == "text":
            subs = [self.parse_file(path, entity=entity, year=year, status=status)]
        elif fmt == "json":
            subs = exchange.read_json(path, self)
        elif fmt == "csv":
            subs = exchange.read_csv(path, self)
        else:
            raise UserInputError(f"format {fmt!r}: expected text, json or csv")
        if fmt != "text" and (entity or year):
            raise UserInputError("--entity and --year apply to text answers; JSON and CSV name them in each record")
        return self.save(subs, dry_run=dry_run, status=status if fmt == "text" else None)

    def save(
        self, subs: Iterable[Submission], *, dry_run: bool = False, status: str | None = None
    ) -> list[ImportReport]:
        subs = list(subs)
        reports = []
        self.con.execute("BEGIN")
        try:
            for sub in subs:
                reports.append(self._save_one(sub, explicit_status=status))
            if dry_run:
                self.con.execute("ROLLBACK")
            else:
                self.con.execute("COMMIT")
        except BaseException:
            rollback(self.con)
            raise
        for r in reports:
            r.dry_run = dry_run
        return reports

    def _save_one(self, sub: Submission, explicit_status: str | None) -> ImportReport:
        sid = sub.id
        for rec in sub.records:
            if not rec.id:
                rec.assign_id(sid)
        now = _now()
        existing = self.con.execute(
            "SELECT status, document FROM contribution_submission WHERE id = ?", [sid]
        ).fetchone()
        document = _document(sub)
        status = sub.status
        if existing:
            # re-importing does not move a submission back in its workflow unless asked
            status = explicit_status or existing[0]
            old_doc, new_doc = json.loads(existing[1]), json.loads(document)
            # a CSV carries no preamble, questions or notes: keep what an earlier import stored
            merged = {k: (v if v not in ("", [], {}, None) else old_doc.get(k, v)) for k, v in new_doc.items()}
            document = json.dumps(merged, ensure_ascii=False)
            if old_doc != merged or status != existing[0]:
                self.con.execute(
                    "UPDATE contribution_submission SET entity=?, entity_code=?, status=?, source_file=?, "
                    "source_sha256=?, updated_at=?, document=? WHERE id=?",
                    [sub.entity, sub.entity_code, status, sub.source_file, sub.source_sha256, now, document, sid],
                )
                if status != existing[0]:
                    self._log(sid, None, "status", existing[0], status, "set on import")
        else:
            self.con.execute(
                "INSERT INTO contribution_submission VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    sid,
                    sub.entity,
                    sub.entity_code,
                    sub.year,
                    sub.questionnaire,
                    status,
                    sub.source_file,
                    sub.source_sha256,
                    now,
                    now,
                    document,
                ],
            )
        stored = {
            row[0]: (row[1], row[2])
            for row in self.con.execute(
                "SELECT id, data, corrected FROM contribution_record WHERE submission = ?", [sid]
            ).fetchall()
        }
        report = ImportReport(
            submission=sid,
            entity=sub.entity,
            year=sub.year,
            status=status,
            source=sub.source_file,
            records={},
            # each record of a same-name group carries the group's warning: listed once here
            warnings=list(
                dict.fromkeys(
                    list(sub.warnings) + [f"{r.kind} '{r.name}': {w}" for r in sub.records for w in r.warnings]
                )
            ),
            duplicates=[f"{d.name} (lines {d.lines})" for d in sub.duplicates],
        )
        new_ids, to_write = set(), []
        for rec in sub.records:
            new_ids.add(rec.id)
            data = rec.model_dump_json()
            if rec.id in stored:
                old_data, corrected = stored[rec.id]
                if corrected:
                    report.kept_corrected += 1
                    report.unchanged += 1
                    continue
                if json.loads(old_data) == json.loads(data):
                    report.unchanged += 1
                    continue
                report.updated += 1
            else:
                report.new += 1
            to_write.append(rec)
        gone = [rid for rid in stored if rid not in new_ids]
        if gone or to_write:
            self._delete_records(gone + [r.id for r in to_write])
            self._insert_records(sid, to_write, corrected=False)
            report.removed = len(gone)
        counts = self.con.execute(
            "SELECT kind, count(*) FROM contribution_record WHERE submission = ? GROUP BY kind", [sid]
        ).fetchall()
        report.records = {k: dict(counts).get(k, 0) for k in KINDS}
        return report

    def _insert_records(self, sid: str, recs: list[RecordBase], corrected: bool) -> None:
        """Write records and their declared SDGs, two statements for the lot (not one per record)."""
        if not recs:
            return
        rows, sdg_rows = [], []
        for rec in recs:
            dates = getattr(rec, "dates", None)
            rows.append(
                dict(
                    id=rec.id,
                    submission=sid,
                    kind=rec.kind,
                    seq=rec.seq,
                    name=rec.name,
                    description=rec.description,
                    start_date=dates.start if dates else None,
                    end_date=dates.end if dates else None,
                    open_end=bool(dates and dates.open_end),
                    countries=sorted({p.area for p in getattr(rec, "places", []) if p.area}),
                    websites=list(rec.websites),
                    word_count=rec.word_count,
                    over_limit=rec.over_limit,
                    n_warnings=len(rec.warnings),
                    corrected=corrected,
                    raw_text=rec.raw_text,
                    source_lines=rec.source_lines,
                    data=rec.model_dump_json(),
                )
            )
            sdg_rows += [(rec.id, g, None, g in rec.sdgs.primary) for g in rec.sdgs.goals]
            sdg_rows += [(rec.id, int(t.split(".")[0]), t, False) for t in rec.sdgs.targets]
        frame = pd.DataFrame(rows)
        self.con.register("_new_records", frame)
        self.con.execute("""INSERT INTO contribution_record
            SELECT id, submission, kind, seq, name, description, start_date::DATE, end_date::DATE, open_end,
                   countries::VARCHAR[], websites::VARCHAR[], word_count, over_limit, n_warnings, corrected,
                   raw_text, source_lines, data FROM _new_records""")
        self.con.unregister("_new_records")
        if sdg_rows:
            sdgs = pd.DataFrame(sdg_rows, columns=["record", "goal", "target", "is_primary"]).astype({"target": object})
            self.con.register("_new_sdgs", sdgs)
            self.con.execute("""INSERT INTO contribution_sdg (record, goal, target, source, is_primary)
                                SELECT record, goal, target::VARCHAR, 'declared', is_primary FROM _new_sdgs""")
            self.con.unregister("_new_sdgs")

    def _delete_records(self, ids: list[str]) -> None:
        self.con.execute(
            "DELETE FROM contribution_sdg WHERE record IN (SELECT unnest(?::VARCHAR[])) AND source = 'declared'", [ids]
        )
        self.con.execute("DELETE FROM contribution_record WHERE id IN (SELECT unnest(?::VARCHAR[]))", [ids])

    # -- reading --------------------------------------------------------------------------------
    def submissions(self) -> pd.DataFrame:
        return self.con.execute("""
            SELECT s.id, s.entity, s.entity_code, s.year, s.questionnaire, s.status, s.source_file,
                   count(r.id) AS records, coalesce(sum(r.n_warnings), 0)::INTEGER AS warnings,
                   s.imported_at, s.updated_at
            FROM contribution_submission s LEFT JOIN contribution_record r ON r.submission = s.id
            GROUP BY ALL ORDER BY s.entity, s.year""").df()

    def submission(self, ref: str, year: int | None = None) -> Submission:
        sid = self.submission_id(ref, year)
        doc = json.loads(
            self.con.execute("SELECT document FROM contribution_submission WHERE id = ?", [sid]).fetchone()[0]
        )
        status = self.con.execute("SELECT status FROM contribution_submission WHERE id = ?", [sid]).fetchone()[0]
        doc["status"] = status
        doc["source_file"] = (
            self.con.execute("SELECT source_file FROM contribution_submission WHERE id = ?", [sid]).fetchone()[0] or ""
        )
        doc["records"] = [
            json.loads(d)
            for (d,) in self.con.execute(
                "SELECT data FROM contribution_record WHERE submission = ? ORDER BY seq, id", [sid]
            ).fetchall()
        ]
        return Submission.model_validate(doc)

    def submission_id(self, ref: str, year: int | None = None) -> str:
        """A submission named by its id ('ITU/2023/2023') or by entity (name or code) and year."""
        row = self.con.execute("SELECT id FROM contribution_submission WHERE id = ?", [ref]).fetchone()
        if row:
            return row[0]
        where, params = ["(upper(entity) = upper(?) OR upper(entity_code) = upper(?))"], [ref, ref]
        if year is not None:
            where.append("year = ?")
            params.append(int(year))
        rows = self.con.execute(
            f"SELECT id FROM contribution_submission WHERE {' AND '.join(where)} ORDER BY id", params
        ).fetchall()
        if not rows:
            known = (
                ", ".join(
                    r[0] for r in self.con.execute("SELECT id FROM contribution_submission ORDER BY id").fetchall()
                )
                or "none yet"
            )
            raise UserInputError(f"no submission {ref!r}{f' for {year}' if year else ''}; known: {known}")
        if len(rows) > 1:
            raise UserInputError(
                f"{ref!r} names {len(rows)} submissions ({', '.join(r[0] for r in rows)}); "
                "give the year or the submission id"
            )
        return rows[0][0]

    def record(self, record_id: str) -> RecordBase:
        row = self.con.execute("SELECT data FROM contribution_record WHERE id = ?", [record_id]).fetchone()
        if row is None:
            raise UserInputError(f"no contribution record {record_id!r} (see `sdgtrack contributions list`)")
        return _RECORD.validate_json(row[0])

    def records(
        self,
        *,
        entity: str | None = None,
        year: int | None = None,
        kind: str | None = None,
        sdg: int | None = None,
        query: str | None = None,
        status: str | None = None,
    ) -> pd.DataFrame:
        """Records as a DataFrame, one row each; ``sdgs`` (goal numbers), ``countries`` (M49 codes) and
        ``websites`` are lists. ``sdg`` matches the goals that count for a record
        (declared, else inferred); ``query`` needs every word in the name or description (word starts,
        case-insensitive) and orders by how often they occur."""
        where, params = record_filters(entity, year, kind)
        if status:
            _check_status(status)
            where.append("s.status = ?")
            params.append(status)
        if sdg is not None:
            if not 1 <= int(sdg) <= 17:
                raise UserInputError(f"SDG {sdg}: expected a goal number from 1 to 17")
            where.append("r.id IN (SELECT record FROM contribution_goal WHERE goal = ?)")
            params.append(int(sdg))
        rank = "0"
        if query:
            words = _query_words(query)
            if not words:
                raise UserInputError(f"search {query!r} has no words to look for")
            for w in words:
                where.append("regexp_matches(lower(r.name || ' ' || r.description), ?)")
                params.append(w)
            rank = " + ".join(["len(regexp_extract_all(lower(r.name || ' ' || r.description), ?))"] * len(words))
            params = words + params
        return self.con.execute(
            f"""
            WITH goals AS (SELECT record, list(goal ORDER BY goal) AS sdgs, any_value(source) AS sdg_source
                           FROM contribution_goal GROUP BY record)
            SELECT r.id, coalesce(nullif(s.entity_code, ''), s.entity) AS entity, s.year, r.kind, r.name,
                   coalesce(g.sdgs, []::INTEGER[]) AS sdgs, g.sdg_source,
                   strftime(r.start_date, '%Y-%m-%d') AS start_date, strftime(r.end_date, '%Y-%m-%d') AS end_date,
                   r.open_end, r.countries, r.websites, r.word_count, r.over_limit,
                   r.n_warnings AS warnings, r.corrected, s.status, r.description, ({rank}) AS hits
            FROM contribution_record r JOIN contribution_submission s ON s.id = r.submission
            LEFT JOIN goals g ON g.record = r.id
            {"WHERE " + " AND ".join(where) if where else ""}
            ORDER BY hits DESC, s.entity_code, s.year, list_position({list(KINDS)!r}, r.kind), r.seq""",
            params,
        ).df()

    def goals(self) -> pd.DataFrame:
        """One row per record and goal that counts (declared, else inferred), with entity, kind, year."""
        return self.con.execute("""
            SELECT g.record, g.goal, g.source, g.is_primary, r.kind,
                   coalesce(nullif(s.entity_code, ''), s.entity) AS entity, s.year
            FROM contribution_goal g JOIN contribution_record r ON r.id = g.record
            JOIN contribution_submission s ON s.id = r.submission ORDER BY g.record, g.goal""").df()

    def changes(self, record_id: str | None = None) -> pd.DataFrame:
        where, params = "", []
        if record_id:
            where, params = (
                "WHERE record = ? OR (record IS NULL AND submission = (SELECT submission FROM "
                "contribution_record WHERE id = ?))",
                [record_id, record_id],
            )
        return self.con.execute(
            f"SELECT changed_at, submission, record, field, old_value, new_value, note "
            f"FROM contribution_change {where} ORDER BY changed_at",
            params,
        ).df()

    # -- editing --------------------------------------------------------------------------------
    def set_status(self, ref: str, status: str, *, year: int | None = None, note: str = "") -> str:
        _check_status(status)
        sid = self.submission_id(ref, year)
        old = self.con.execute("SELECT status FROM contribution_submission WHERE id = ?", [sid]).fetchone()[0]
        if old == status:
            return old
        if status not in TRANSITIONS[old]:
            raise UserInputError(f"{sid} is {old}: it can become {' or '.join(sorted(TRANSITIONS[old]))}, not {status}")
        self.con.execute("BEGIN")
        self.con.execute(
            "UPDATE contribution_submission SET status = ?, updated_at = ? WHERE id = ?", [status, _now(), sid]
        )
        self._log(sid, None, "status", old, status, note)
        self.con.execute("COMMIT")
        return old

    def correct(self, record_id: str, field: str, value: str, *, note: str = "") -> RecordBase:
        """Correct one field of a record (its verbatim text stays as imported); logged in
        contribution_change. A published submission must be reopened first (status submitted)."""
        rec = self.record(record_id)
        sid, status, year = self.con.execute(
            "SELECT s.id, s.status, s.year FROM contribution_record r JOIN contribution_submission s "
            "ON s.id = r.submission WHERE r.id = ?",
            [record_id],
        ).fetchone()
        if status == "published":
            raise UserInputError(
                f"{sid} is published: reopen it first with `sdgtrack contributions status {sid} submitted`"
            )
        old, new = edit.correct(rec, field, value, self.resolve_country, year)
        if old == new:
            return rec
        self.con.execute("BEGIN")
        try:
            inferred = self.con.execute(
                "SELECT * FROM contribution_sdg WHERE record = ? AND source = 'inferred'", [record_id]
            ).fetchall()
            self._delete_records([record_id])
            self._insert_records(sid, [rec], corrected=True)
            self.con.execute("DELETE FROM contribution_sdg WHERE record = ? AND source = 'inferred'", [record_id])
            if inferred:
                self.con.executemany(
                    "INSERT INTO contribution_sdg VALUES (?, ?, ?, ?, ?, ?, ?, ?)", inferred
                )  # few rows
            self.con.execute("UPDATE contribution_submission SET updated_at = ? WHERE id = ?", [_now(), sid])
            self._log(sid, record_id, field, old, new, note)
            self.con.execute("COMMIT")
        except BaseException:
            rollback(self.con)
            raise
        return rec

    def _log(self, sid: str, record: str | None, field: str, old, new, note: str) -> None:
        self.con.execute(
            "INSERT INTO contribution_change VALUES (?, ?, ?, ?, ?, ?, ?)",
            [_now(), sid, record, field, old, new, note or None],
        )

    # -- analyses and exchange (see coverage.py, exchange.py, infer.py) ---------------------------
    def coverage(self, by: str = "entity", **options):
        from .coverage import coverage

        return coverage(self, by=by, **options)

    def export(self, path: str | Path | None, fmt: str = "json", **filters) -> str:
        from . import exchange

        return exchange.export(self, path, fmt, **filters)

    def infer_sdgs(self, tagger=None, **options) -> pd.DataFrame:
        """Tag records' text and store inferred goals; ``tagger`` defaults to sdgtrack.tagging."""
        from .infer import infer_sdgs

        return infer_sdgs(self, tagger, **options)

    def review(self, include_all_goals: bool = False) -> pd.DataFrame:
        """Records whose declared and inferred goals disagree."""
        from .infer import review

        return review(self, include_all_goals)


def _check_status(status: str | None) -> None:
    if status is not None and status not in STATUSES:
        raise UserInputError(f"status {status!r}: expected one of {', '.join(STATUSES)}")


def _format_of(path: Path) -> str:
    suffix = path.suffix.lower()
    return {".json": "json", ".csv": "csv"}.get(suffix, "text")


def _document(sub: Submission) -> str:
    # the file name is not content: the same answer imported from another path changes nothing
    return sub.model_dump_json(exclude={"records", "status", "source_file"})


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def _query_words(query: str) -> list[str]:
    import re

    return [r"\b" + re.escape(w) for w in re.findall(r"\w[\w'-]*", query.lower())]
