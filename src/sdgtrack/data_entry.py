"""Data entry with review: accounts and change requests over a :class:`~sdgtrack.workspace.Workspace`.

Every face (the live app's forms and API, the CLI's account commands) goes through these two
classes, so who may do what is decided in one place:

- an **editor** works for one entity: proposes changes to the datasets that entity owns (an
  upload, or values typed in a grid) and contribution records of that entity, sees only that
  entity's requests, and submits its drafts;
- a **reviewer** sees every request and publishes (approves) or rejects submitted ones;
- an **admin** may do everything, and manages accounts.

Nothing is public before approval: a request is kept as given (file bytes, record JSON) until a
reviewer publishes it, and publishing runs the ordinary :meth:`Workspace.ingest` (history records
the author and the approver) or the registry's save (its change log keeps the record's earlier
versions). Every write lands in the audit log in the transaction that makes it.
"""

from __future__ import annotations

import csv
import io
import json
import re
import tempfile
import threading
import warnings
import weakref
from pathlib import Path

from .errors import InvalidInputError, NotAllowed, NotFound, UserInputError
from .ingest.readers.sdmx import UPLOAD_MARKER
from .store import accounts as store_accounts
from .store import audit as store_audit
from .store import requests as store_requests

MAX_UPLOAD_BYTES = 16 * 1024 * 1024  # an indicator file is kB to a few MB; under the server's 20 MB body cap
MAX_FILE_NAME = 120  # characters of an upload's name as kept (longer ones are shortened)
MAX_RECORD_NAME = 500  # characters of a contribution record's name (a title, not a text)
MAX_SUGGEST_CHARS = 5_000  # of a record's text given to the SDG tagger for suggestions
PREVIEW_ROWS = 200  # rows of a data request's preview listed one by one
# the ingest formats a single uploaded file can hold (Open SDG repositories are folders: CLI only)
UPLOAD_TYPES = {".csv": "CSV", ".xlsx": "Excel workbook", ".xml": "SDMX-ML message"}
GRID_COLUMNS = ("series", "area", "year", "value", "unit")


_READERS = threading.local()


def reader(ws):
    """This thread's cursor of the workspace's store, for reads: cursors share the open database,
    each with its own snapshot, so a sign-in check or a list never waits for a write (an upload's
    check, a publish) holding the workspace lock on the main connection."""
    cursors = getattr(_READERS, "cursors", None)
    if cursors is None:
        cursors = _READERS.cursors = weakref.WeakKeyDictionary()
    con = cursors.get(ws.store)
    if con is None:
        con = cursors[ws.store] = ws.store.con.cursor()
    return con


class Accounts:
    """Users, sessions, API tokens and dataset owners; each write is audited."""

    def __init__(self, workspace):
        self.ws = workspace
        self.con = workspace.store.con

    def add_user(self, name: str, *, role: str, entity: str | None, password: str, actor: str) -> dict:
        with self.ws.lock:
            return store_accounts.add_user(self.con, name, role, entity, password, actor)

    def users(self):
        return store_accounts.users(reader(self.ws))

    def user(self, name: str) -> dict | None:
        return store_accounts.user(reader(self.ws), name)

    def disable_user(self, name: str, *, actor: str) -> dict:
        with self.ws.lock:
            return store_accounts.disable_user(self.con, name, actor)

    def check_password(self, name: str, password: str) -> dict | None:
        return store_accounts.check_password(reader(self.ws), name, password)

    def start_session(self, name: str) -> tuple[str, str]:
        with self.ws.lock:
            return store_accounts.start_session(self.con, name)

    def session(self, token: str) -> dict | None:
        return store_accounts.session(reader(self.ws), token)

    def end_session(self, token: str) -> None:
        with self.ws.lock:
            store_accounts.end_session(self.con, token)

    def add_token(self, name: str, *, label: str, actor: str) -> tuple[int, str]:
        with self.ws.lock:
            return store_accounts.add_token(self.con, name, label, actor)

    def revoke_token(self, token_id: int, *, actor: str) -> None:
        with self.ws.lock:
            store_accounts.revoke_token(self.con, token_id, actor)

    def tokens(self, name: str | None = None):
        return store_accounts.tokens(reader(self.ws), name)

    def token_user(self, token: str) -> dict | None:
        return store_accounts.token_user(reader(self.ws), token)

    def set_owner(self, dataset: str, entity: str, *, actor: str) -> None:
        from .ingest.datasets import check_id

        check_id(dataset)  # a mistyped id is said, not stored
        with self.ws.lock:
            store_accounts.set_owner(self.con, dataset, entity, actor)

    def owner(self, dataset: str) -> str | None:
        return store_accounts.owner(reader(self.ws), dataset)

    def owned(self, entity: str | None = None):
        return store_accounts.owned(reader(self.ws), entity)

    def export_audit(self, path: str | Path) -> Path:
        return store_audit.write_csv(self.ws.audit(), path)


class Review:
    """Change requests: create (with a preview), submit, publish or reject; visibility by role."""

    def __init__(self, workspace):
        self.ws = workspace
        self.con = workspace.store.con

    # -- who may do what -----------------------------------------------------------------------
    @staticmethod
    def sees_all(user: dict) -> bool:
        return user["role"] in ("admin", "reviewer")

    def _entity_for(self, user: dict, entity: str | None) -> str:
        """The entity a new request is for: an editor's own; an admin names one."""
        if user["role"] == "editor":
            if entity and entity != user["entity"]:
                raise NotAllowed(f"{user['name']} is an editor for {user['entity']}, not for {entity}")
            return user["entity"]
        if user["role"] == "admin":
            chosen = (entity or user.get("entity") or "").strip()
            if not chosen:
                raise UserInputError("an admin proposing a change names the entity it is for")
            return chosen
        raise NotAllowed(f"{user['name']} is a {user['role']}: reviewers approve changes, editors propose them")

    def can_edit_dataset(self, user: dict, dataset: str) -> bool:
        if user["role"] == "admin":
            return True
        if user["role"] != "editor":
            return False
        owner = store_accounts.owner(self.con, dataset)
        # an editor may start a new dataset for their entity; it becomes theirs when published
        return owner == user["entity"] or (owner is None and not self.ws.store.has_dataset(dataset))

    def editable_datasets(self, user: dict) -> list[str]:
        with self.ws.lock:
            owned = store_accounts.owned(self.con, None if user["role"] == "admin" else user.get("entity"))
            ids = owned["dataset"].tolist()
            if user["role"] == "admin":
                ids = sorted(set(ids) | set(self.ws.store.datasets()["id"]))
            return ids

    def get(self, user: dict, request_id: int, *, payload: bool = False) -> dict:
        row = store_requests.get(reader(self.ws), int(request_id), payload=payload)
        if row is None or not (self.sees_all(user) or row["entity"] == user.get("entity")):
            raise NotFound(f"no change request {request_id}")
        return row

    def list(
        self,
        user: dict,
        *,
        states: list[str] | None = None,
        kind: str | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[dict]:
        """The requests ``user`` may see, newest first (previews with counts, not rows)."""
        return store_requests.listing(
            reader(self.ws),
            entity=None if self.sees_all(user) else user["entity"],
            states=states,
            kind=kind,
            limit=limit,
            offset=offset,
        )

    # -- data ----------------------------------------------------------------------------------
    def new_data(self, user: dict, dataset: str, file_name: str, data: bytes, *, entity: str | None = None) -> dict:
        """A draft from an uploaded file: checked as the CLI checks it (every bad cell named) and
        previewed against the dataset as it is; refused, changing nothing, when invalid."""
        from .ingest.datasets import check_id

        dataset = check_id((dataset or "").strip())
        file_name = check_upload(file_name, data)  # sizes, type, a workbook's used range: before any lock
        with self.ws.lock:
            # an admin's change to an owned dataset is for its owner unless named otherwise
            owner = store_accounts.owner(self.con, dataset)
            entity = self._entity_for(user, entity or (owner if user["role"] == "admin" else None))
            if not self.can_edit_dataset(user, dataset):
                raise NotAllowed(
                    f"dataset {dataset} belongs to {owner or 'no entity'}"
                    f"; {user['name']} edits the datasets of {user.get('entity')}"
                )
            # what the preview is made against: approval refuses when either has changed since
            state = store_accounts.dataset_state(self.con, dataset)
        # Reading and checking the file is the slow part: done on a cursor of its own, outside the
        # write lock, so sign-ins and other writes never wait for an upload's check.
        preview = {**self._preview(dataset, file_name, data), "dataset_owner": owner, "dataset_state": state}
        with self.ws.lock:
            request_id = store_requests.create(
                self.con,
                kind="data",
                entity=entity,
                author=user["name"],
                title=file_name,
                payload=data,
                dataset=dataset,
                file_name=file_name,
                preview=preview,
            )
        return self.get(user, request_id)

    def new_grid(self, user: dict, dataset: str, rows: list[dict], *, entity: str | None = None) -> dict:
        """A draft from values typed in the grid: the rows become the tidy CSV they amount to, so
        they are checked, previewed and published exactly as an upload of that file would be."""
        rows = [r for r in rows if any(str(r.get(c) or "").strip() for c in GRID_COLUMNS)]
        if not rows:
            raise UserInputError("the grid is empty: give at least one row with series, area, year and value")
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(GRID_COLUMNS)
        for r in rows:
            writer.writerow([str(r.get(c) or "").strip() for c in GRID_COLUMNS])
        return self.new_data(user, dataset, "grid.csv", buf.getvalue().encode("utf-8"), entity=entity)

    def current_rows(self, user: dict, dataset: str, series: str, area: str) -> list[dict]:
        """The dataset's current total (headline, undisaggregated) values of one series and area as
        grid rows, for an editor of the dataset to correct."""
        with self.ws.lock:
            if not self.can_edit_dataset(user, dataset):
                raise NotAllowed(
                    f"dataset {dataset} belongs to {store_accounts.owner(self.con, dataset) or 'no entity'}"
                    f"; {user['name']} edits the datasets of {user.get('entity')}"
                )
            if not self.ws.store.has_dataset(dataset):
                return []
            frame = self.ws.observations(series, areas=[area], datasets=[dataset])
        frame = frame[frame["dims"] == ""]
        return [
            {
                "series": r.series,
                "area": r.area,
                "year": r.period,
                "unit": r.unit,
                "value": r.value_text
                if isinstance(r.value_text, str)
                else ("" if r.value != r.value else f"{r.value:g}"),
            }
            for r in frame.itertuples(index=False)
        ]

    def _preview(self, dataset: str, file_name: str, data: bytes) -> dict:
        view = self.ws.cursor()  # its own connection: a dry run's temporary tables stay its own
        try:
            with tempfile.TemporaryDirectory(prefix="sdgtrack-upload-") as tmp:
                path = Path(tmp) / file_name
                path.write_bytes(data)
                (Path(tmp) / UPLOAD_MARKER).touch()  # the reader looks for no structure file above it
                try:
                    report = view.validate(path, dataset=dataset, preview_rows=PREVIEW_ROWS)
                except InvalidInputError as exc:
                    raise InvalidInputError([_named(p, tmp) for p in exc.problems], exc.total) from None
                except UserInputError as exc:
                    raise UserInputError(_without_path(str(exc), path, tmp, file_name)) from None
            names = view.area_names(sorted({c["area"] for c in report.changes}))
        finally:
            view.store.con.close()
        for change in report.changes:
            change["area_name"] = names.get(change["area"])
        return {
            "rows_read": report.rows_read,
            "series": report.series,
            "areas": report.areas,
            "new": report.new,
            "updated": report.updated,
            "unchanged": report.unchanged,
            "missing": report.missing,
            "blank_values": report.blank_values,
            "formats": report.formats,
            "notes": report.notes,
            "changes": report.changes,
        }

    # -- contribution records ------------------------------------------------------------------
    def new_record(
        self, user: dict, kind: str, year: int, fields: dict[str, str], *, entity: str | None = None
    ) -> dict:
        """A draft contribution record from the questionnaire's fields (per kind: see
        :func:`sdgtrack.contributions.edit.record_fields`), read by the same field readers as imports and corrections."""
        with self.ws.lock:
            entity = self._entity_for(user, entity)
        record = build_record(self.ws, kind, year, fields)
        warnings = list(record.warnings)
        with self.ws.lock:
            request_id = store_requests.create(
                self.con,
                kind="record",
                entity=entity,
                author=user["name"],
                title=record.name,
                payload=record.model_dump_json().encode("utf-8"),
                year=int(year),
                preview={"kind": kind, "warnings": warnings, "words": record.word_count},
            )
        return self.get(user, request_id)

    def record_of(self, request: dict):
        """The contribution record a record request holds (its payload with ``payload=True``)."""
        from pydantic import TypeAdapter

        from .contributions.models import Record

        return TypeAdapter(Record).validate_json(request["payload"])

    # -- the lifecycle -------------------------------------------------------------------------
    def submit(self, user: dict, request_id: int) -> dict:
        request = self.get(user, request_id)
        if user["role"] == "reviewer":
            raise NotAllowed("reviewers approve or reject requests; the entity's editors submit them")
        with self.ws.lock:
            return store_requests.move(self.con, request["id"], "submitted", user["name"])

    def reject(self, user: dict, request_id: int, reason: str) -> dict:
        request = self.get(user, request_id)
        self._check_reviewer(user)
        reason = (reason or "").strip()
        if not reason:
            raise UserInputError("say why the request is rejected: its author reads the reason")
        with self.ws.lock:
            return store_requests.move(self.con, request["id"], "rejected", user["name"], reason=reason[:2000])

    def approve(self, user: dict, request_id: int) -> dict:
        """Publish a submitted request: data through :meth:`Workspace.ingest` (history records
        "author, approved by reviewer"), a record into the registry (published submission)."""
        request = self.get(user, request_id, payload=True)
        self._check_reviewer(user)
        with self.ws.lock:  # held from the state check to the state change: one approval per request
            current = store_requests.get(self.con, request["id"])
            if current["state"] != "submitted":
                raise UserInputError(
                    f"request {request_id} is {current['state']}: only a submitted request can be published"
                )
            if request["kind"] == "data":
                self._check_unchanged(request)
            who = (
                request["author"]
                if request["author"] == user["name"]
                else f"{request['author']}, approved by {user['name']}"
            )
            result = (
                self._publish_data(request, who) if request["kind"] == "data" else self._publish_record(request, who)
            )
            return store_requests.move(self.con, request["id"], "published", user["name"], result=result)

    def _check_unchanged(self, request: dict) -> None:
        """Refuse to publish a data request whose dataset changed owner or content since its preview:
        the reviewer approved that preview, and another entity's dataset is not the author's to change."""
        dataset, entity = request["dataset"], request["entity"]
        preview = request.get("preview") or {}
        owner = store_accounts.owner(self.con, dataset)
        author = store_accounts.user(self.con, request["author"]) or {}
        if owner is not None and owner != entity and author.get("role") != "admin":
            raise UserInputError(
                f"request {request['id']}: dataset {dataset} now belongs to {owner}, not to {entity} "
                "whose editor made this request; nothing was published"
            )
        if "dataset_owner" in preview and preview["dataset_owner"] != owner:
            raise UserInputError(
                f"request {request['id']}: dataset {dataset} belonged to {preview['dataset_owner'] or 'no entity'} "
                f"when this request was previewed and belongs to {owner or 'no entity'} now; nothing was published "
                "(the author uploads it again for a new preview)"
            )
        if "dataset_state" in preview and preview["dataset_state"] != store_accounts.dataset_state(self.con, dataset):
            raise UserInputError(
                f"request {request['id']}: dataset {dataset} has changed since this request was previewed, so the "
                "preview is not what would be published; nothing was published (the author uploads it again for "
                "a new preview)"
            )

    def _check_reviewer(self, user: dict) -> None:
        if user["role"] not in ("reviewer", "admin"):
            raise NotAllowed(f"{user['name']} is an editor: a reviewer or an admin decides on requests")

    def _publish_data(self, request: dict, who: str) -> dict:
        uploads = self.ws.path.parent / f"{self.ws.path.stem}-uploads" / f"request-{request['id']}"
        uploads.mkdir(parents=True, exist_ok=True)
        (uploads / UPLOAD_MARKER).touch()  # an SDMX upload takes no structure file from the folders above
        path = uploads / request["file_name"]  # kept: the file a published load read, as reviewed
        path.write_bytes(request["payload"])
        report = self.ws.ingest(path, dataset=request["dataset"], user=who)
        if store_accounts.owner(self.con, request["dataset"]) is None:
            store_accounts.set_owner(self.con, request["dataset"], request["entity"], who)
        return {
            "dataset": report.dataset,
            "new": report.new,
            "updated": report.updated,
            "unchanged": report.unchanged,
            "missing": report.missing,
        }

    def _publish_record(self, request: dict, who: str) -> dict:
        from .contributions.models import Submission, submission_id

        registry = self.ws.contributions
        record = self.record_of(request)
        sid = submission_id(request["entity"], request["year"], "2023")
        existing = registry.submissions()
        if sid in set(existing["id"]):
            # the entity's answer for that year: the record joins it; its status stays the registry's
            submission = registry.submission(sid)
        else:
            submission = Submission(
                entity=request["entity"],
                entity_code=request["entity"],
                year=request["year"],
                status="published",
                source_file="web entry",
            )
        record.id = ""
        record.raw_text = record.raw_text or f"{record.name}\n{record.description}"
        record.seq = len(submission.records) + 1
        submission.records.append(record)
        report = registry.save([submission])[0]
        return {
            "submission": sid,
            "record": record.id,
            "submission_status": report.status,
            "new": report.new,
            "updated": report.updated,
        }

    # -- inputs --------------------------------------------------------------------------------------

    def suggest_goals(self, text: str, limit: int = 5) -> dict:
        """SDGs the tagger suggests for a record's text: ``goals`` (goal, target, probability, evidence),
        best first, and ``note``: when none is suggested, why (too short, a language not read, the
        closest goal below the threshold); when the text was cut, that. The same tagger and evidence
        as ``contributions infer``; from the first MAX_SUGGEST_CHARS characters of the text once its
        markup is removed (a record's description is 150 words: the start says what it is about,
        and the tagger's time grows with the text)."""
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the reason is returned as the note
            frame = self.ws.tag([text or ""], labels=["the text"], max_chars=MAX_SUGGEST_CHARS).tables["tags"]
        cols = [c for c in ("goal", "target", "probability", "evidence") if c in frame.columns]
        goals = json.loads(frame[cols].head(limit).to_json(orient="records"))
        untagged = frame.attrs.get("untagged") or []
        cut = [w.removeprefix("the text ") for w in frame.attrs.get("warnings") or [] if "were tagged" in w]
        note = untagged[0]["message"] if untagged and not goals else ""
        return {"goals": goals, "note": "; ".join([*cut, note] if note else cut)}

    def suggest_record_goals(self, kind: str, year, fields: dict[str, str], limit: int = 5) -> dict:
        """``suggest_goals`` for a record being entered in the form: the text tagged is the one
        ``contributions infer`` will tag once the record is stored (``infer.record_text`` of the
        record the form would save: a HII's name is its initiative, a recommendation without a name
        is named by its first words), or the name and description as typed while the form cannot
        yet be saved (no year, no name)."""
        from .contributions.infer import record_text

        try:
            text = record_text(build_record(self.ws, kind, year, fields))
        except UserInputError:
            text = f"{str(fields.get('name') or '').strip()}. {str(fields.get('description') or '').strip()}"
        return self.suggest_goals(text, limit)


def check_upload(file_name: str, data: bytes) -> str:
    """A safe file name for an upload of an ingest format, or one clear refusal."""
    name = Path((file_name or "").replace("\\", "/")).name
    name = re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("._") or "upload"
    suffix = Path(name).suffix.lower()
    if len(name) > MAX_FILE_NAME:  # a file system refuses names over 255 bytes: keep the start and the type
        name = name[: MAX_FILE_NAME - len(suffix)].rstrip("._") + suffix
    accepted = ", ".join(f"{what} ({ext})" for ext, what in UPLOAD_TYPES.items())
    if suffix not in UPLOAD_TYPES:
        raise UserInputError(f"{name}: files of type {suffix or '(none)'} are not accepted; expected one of {accepted}")
    if not data:
        raise UserInputError(f"{name}: the file is empty")
    if len(data) > MAX_UPLOAD_BYTES:
        raise UserInputError(
            f"{name}: {len(data) / 2**20:.1f} MB is over the upload limit of "
            f"{MAX_UPLOAD_BYTES / 2**20:.0f} MB; load larger files with `sdgtrack ingest`"
        )
    head = data[:4096]
    if suffix == ".xlsx" and not head.startswith(b"PK\x03\x04"):
        raise UserInputError(
            f"{name}: not an Excel workbook (.xlsx is a zip file; this one is not); expected {accepted}"
        )
    if suffix == ".xlsx":
        from .workbooks import check_workbook

        check_workbook(name, data)  # rows, columns, used range and unpacked size, before it is read
    if suffix in (".csv", ".xml") and (b"\0" in head or head.startswith((b"PK\x03\x04", b"%PDF", b"\x89PNG"))):
        raise UserInputError(f"{name}: binary content in a {suffix} file; expected {UPLOAD_TYPES[suffix]} text")
    if suffix == ".xml" and not head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        raise UserInputError(f"{name}: not XML; expected an SDMX-ML message")
    return name


def _named(problem, tmp: str):
    from dataclasses import replace

    # the upload's own name; no other server path either (a structure file beside it)
    return replace(problem, file=Path(problem.file).name if problem.file.startswith(("/", tmp)) else problem.file)


def build_record(ws, kind: str, year, fields: dict[str, str]):
    """A record of ``kind`` from form text, through the registry's field readers (edit.correct);
    problems with a field are one clear error naming it; the word limit is a warning."""
    from .contributions.edit import correct, record_fields
    from .contributions.layout import description_word_limit
    from .contributions.models import RECORD_CLASSES

    allowed = dict(record_fields(kind))
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise UserInputError(f"year {year!r}: expected the questionnaire year, such as 2023") from None
    if not 2000 <= year <= 2100:
        raise UserInputError(f"year {year}: expected a year from 2000 to 2100")
    unknown = sorted(set(k for k, v in fields.items() if str(v or "").strip()) - set(allowed))
    if unknown:
        raise UserInputError(f"field {unknown[0]!r} does not apply to a {kind} record; expected {', '.join(allowed)}")
    name = str(fields.get("name") or "").strip()
    if kind == "recommendation" and not name:
        name = " ".join(str(fields.get("description") or "").split()[:12])
    if not name:
        raise UserInputError(f"field 'name': a {kind} record needs a name")
    if len(name) > MAX_RECORD_NAME:
        raise UserInputError(
            f"field 'name': {len(name):,} characters; expected at most {MAX_RECORD_NAME} (the description holds the text)"
        )
    record = RECORD_CLASSES[kind](name=name)
    resolve = ws.contributions.resolve_country
    for field in allowed:
        value = str(fields.get(field) or "").strip()
        if field == "name" or not value:
            continue
        if len(value) > 20000:
            raise UserInputError(f"field {field!r}: {len(value)} characters; expected at most 20000")
        try:
            with ws.lock:  # places are resolved through the store's areas
                correct(record, field, value, resolve, year)
        except UserInputError as exc:
            raise UserInputError(f"field {field!r}: {exc}") from None
    limit = description_word_limit()
    record.word_count = len(record.description.split())
    if record.word_count > limit:
        record.over_limit = True
        record.warnings.append(f"description: {record.word_count} words, over the {limit}-word limit (kept in full)")
    record.raw_text = "\n".join(
        f"{f}: {str(fields.get(f) or '').strip()}" for f in allowed if str(fields.get(f) or "").strip()
    )
    return record


def _without_path(message: str, path: Path, tmp: str, file_name: str) -> str:
    """A message about an upload as its author knows it: no server folder in it."""
    message = message.replace(str(path), file_name).replace(tmp + "/", "").replace(tmp, "the upload")
    return re.sub(r"(?<![^\s'\"(])(/[^\s/'\"]+)+/(?=[^\s/'\"]+)", "", message)
