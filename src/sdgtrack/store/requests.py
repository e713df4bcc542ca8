"""Change requests: a proposed change to data (an upload or a grid edit) or to the contributions
registry (one record), kept as a draft until submitted, then published or rejected by a reviewer.
The payload is stored as given (the file's bytes, the record's JSON), so what was approved is
exactly what was reviewed. States move only forward: draft -> submitted -> published | rejected."""

from __future__ import annotations

import json

import duckdb

from ..errors import UserInputError
from . import audit
from .accounts import write

KINDS = ("data", "record")
STATES = ("draft", "submitted", "published", "rejected")
NEXT = {"draft": {"submitted"}, "submitted": {"published", "rejected"}, "published": set(), "rejected": set()}
VERB = {"submitted": "submit", "published": "publish", "rejected": "reject"}  # audit actions
FIELDS = (
    "id",
    "kind",
    "entity",
    "dataset",
    "year",
    "title",
    "file_name",
    "preview",
    "state",
    "author",
    "reviewer",
    "reason",
    "created_at",
    "submitted_at",
    "decided_at",
    "result",
)


def create(
    con: duckdb.DuckDBPyConnection,
    *,
    kind: str,
    entity: str,
    author: str,
    title: str,
    payload: bytes,
    dataset: str | None = None,
    year: int | None = None,
    file_name: str | None = None,
    preview: dict | None = None,
) -> int:
    if kind not in KINDS:
        raise UserInputError(f"request kind {kind!r}: expected one of {', '.join(KINDS)}")
    with write(con):
        request_id = con.execute("SELECT coalesce(max(id), 0) + 1 FROM change_request").fetchall()[0][0]
        con.execute(
            """INSERT INTO change_request (id, kind, entity, dataset, year, title, file_name, payload, preview,
                                                   state, author, created_at)
                       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'draft', ?, ?)""",
            [request_id, kind, entity, dataset, year, title, file_name, payload, _json(preview), author, audit.now()],
        )
        audit.record(
            con,
            author,
            "request.create",
            f"request:{request_id}",
            None,
            {
                "kind": kind,
                "entity": entity,
                "dataset": dataset,
                "year": year,
                "title": title,
                "file_name": file_name,
                "bytes": len(payload),
                "preview": preview,
            },
        )
    return request_id


def get(con: duckdb.DuckDBPyConnection, request_id: int, *, payload: bool = False) -> dict | None:
    columns = list(FIELDS) + (["payload"] if payload else [])
    found = con.execute(f"SELECT {', '.join(columns)} FROM change_request WHERE id = ?", [request_id]).fetchone()
    if found is None:
        return None
    row = dict(zip(columns, found))
    for key in ("preview", "result"):
        row[key] = json.loads(row[key]) if row[key] else None
    return row


def listing(
    con: duckdb.DuckDBPyConnection,
    *,
    entity: str | None = None,
    states: list[str] | None = None,
    kind: str | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> list[dict]:
    """Requests without their payloads, newest first; ``entity`` restricts to one entity's. A
    data request's preview keeps its counts here, not its rows (:func:`get` has them)."""
    where: list[str] = []
    params: list = []
    if entity is not None:
        where.append("entity = ?")
        params.append(entity)
    if states:
        where.append("state IN (SELECT unnest(?::VARCHAR[]))")
        params.append(list(states))
    if kind:
        where.append("kind = ?")
        params.append(kind)
    rows = con.execute(
        f"SELECT {', '.join(FIELDS)} FROM change_request {'WHERE ' + ' AND '.join(where) if where else ''} "
        f"ORDER BY id DESC {'LIMIT ' + str(int(limit)) if limit is not None else ''} OFFSET {int(offset)}",
        params,
    ).fetchall()
    out = []
    for found in rows:
        row = dict(zip(FIELDS, found))
        for key in ("preview", "result"):
            row[key] = json.loads(row[key]) if row[key] else None
        if row["preview"]:
            row["preview"].pop("changes", None)
        out.append(row)
    return out


def move(
    con: duckdb.DuckDBPyConnection,
    request_id: int,
    state: str,
    actor: str,
    *,
    reason: str | None = None,
    result: dict | None = None,
) -> dict:
    """Move a request to ``state`` (one transaction with its audit entry); refuses a move backwards."""
    before = get(con, request_id)
    if before is None:
        raise UserInputError(f"no change request {request_id}")
    if state not in NEXT[before["state"]]:
        allowed = " or ".join(sorted(NEXT[before["state"]])) or "nothing (it is final)"
        raise UserInputError(f"request {request_id} is {before['state']}: it can become {allowed}, not {state}")
    when = audit.now()
    with write(con):
        if state == "submitted":
            con.execute("UPDATE change_request SET state = ?, submitted_at = ? WHERE id = ?", [state, when, request_id])
        else:
            con.execute(
                "UPDATE change_request SET state = ?, reviewer = ?, reason = ?, decided_at = ?, result = ? "
                "WHERE id = ?",
                [state, actor, reason, when, _json(result), request_id],
            )
        audit.record(
            con,
            actor,
            f"request.{VERB[state]}",
            f"request:{request_id}",
            {"state": before["state"]},
            {"state": state, **({"reason": reason} if reason else {}), **({"result": result} if result else {})},
        )
    return {**before, **(get(con, request_id) or {})}


def _json(value: object) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False, default=str)
