"""How a read route answers: cached by the store's state, JSON or CSV, paged, errors as one message.

A read is computed once per store state: the answer's bytes are kept under (store fingerprint,
path, query, format) and served from memory until the store changes, with the fingerprint's hash
as ETag. A hit is answered on the event loop without a thread; a miss runs in a worker thread on
that thread's cursor. User errors (unknown code, bad option) are 400 with the workspace's own
message; "nothing there" is 404.
"""
from __future__ import annotations

import hashlib
import io
import threading
from collections import OrderedDict
from typing import Any, Callable

import pandas as pd
from fastapi import HTTPException, Request
from fastapi.responses import Response
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from ..errors import SdgtrackError
from ..results import plain
from ..workspace import Workspace

MAX_LIMIT = 10_000
DEFAULT_LIMIT = 100
MAX_AREAS = 50
CACHE_ENTRIES = 4096
CACHE_BYTES = 256 * 1024 * 1024


class NotFound(Exception):
    """Raised by a route's work for a thing that is not there (404)."""


class Answer:
    """What a route's work returns: a pydantic model (the JSON body) and the rows its CSV has."""

    def __init__(self, model: BaseModel, rows: list[dict] | None = None):
        self.model = model
        self.rows = rows


class BytesCache:
    """An LRU of response bodies for one store state; emptied when the state changes."""

    def __init__(self, entries: int = CACHE_ENTRIES, max_bytes: int = CACHE_BYTES):
        self.entries, self.max_bytes = entries, max_bytes
        self._data: OrderedDict[Any, tuple[bytes, str, str]] = OrderedDict()
        self._bytes = 0
        self._state: str | None = None
        self._lock = threading.Lock()

    def get(self, state: str, key) -> tuple[bytes, str, str] | None:
        with self._lock:
            if state != self._state:
                return None
            hit = self._data.get(key)
            if hit is not None:
                self._data.move_to_end(key)
            return hit

    def put(self, state: str, key, value: tuple[bytes, str, str]) -> None:
        with self._lock:
            if state != self._state:
                self._data.clear()
                self._bytes, self._state = 0, state
            old = self._data.pop(key, None)
            if old is not None:
                self._bytes -= len(old[0])
            self._data[key] = value
            self._bytes += len(value[0])
            while self._data and (len(self._data) > self.entries or self._bytes > self.max_bytes):
                _, dropped = self._data.popitem(last=False)
                self._bytes -= len(dropped[0])


def wants_csv(request: Request) -> bool:
    fmt = request.query_params.get("format")
    if fmt is not None:
        return fmt == "csv"
    accept = request.headers.get("accept", "")
    return "text/csv" in accept and "application/json" not in accept


async def answer(request: Request, work: Callable[[Workspace], Answer]) -> Response:
    owner = request.app.state.owner
    cache: BytesCache = request.app.state.read_cache
    csv = wants_csv(request)
    key = (request.url.path, tuple(sorted(request.query_params.multi_items())), csv)
    state = owner.fingerprint()
    hit = cache.get(state, key)
    if hit is None:
        hit = await run_in_threadpool(_compute, owner, work, csv, state, key)
        cache.put(state, key, hit)
    body, media_type, etag = hit
    headers = {"ETag": etag, "Cache-Control": "no-cache"}
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers=headers)
    return Response(body, media_type=media_type, headers=headers)


def _compute(owner, work, csv: bool, state: str, key) -> tuple[bytes, str, str]:
    try:
        result = work(owner.reader())
    except NotFound as exc:
        raise HTTPException(404, str(exc)) from None
    except SdgtrackError as exc:
        raise HTTPException(400, str(exc)) from None
    if csv:
        rows = result.rows if result.rows is not None else [result.model.model_dump(mode="json")]
        body, media_type = to_csv(rows), "text/csv; charset=utf-8"
    else:
        body, media_type = result.model.model_dump_json().encode(), "application/json"
    etag = '"' + hashlib.sha1(repr((state, key)).encode()).hexdigest()[:20] + '"'
    return body, media_type, etag


def to_csv(rows: list[dict]) -> bytes:
    """Rows as CSV; list cells become text joined by ';' (a spreadsheet reads them)."""
    frame = pd.DataFrame([{k: ";".join(map(str, v)) if isinstance(v, list) else v for k, v in row.items()}
                          for row in rows])
    out = io.StringIO()
    frame.to_csv(out, index=False)
    return out.getvalue().encode()


# -- paging and parameters ------------------------------------------------------------------------
def page_of(request: Request, items: list[dict], limit: int, offset: int) -> dict:
    """The page [offset, offset+limit) of ``items`` with the total and the next page's URL."""
    total = len(items)
    chosen = items[offset:offset + limit]
    nxt = None
    if offset + limit < total:
        nxt = str(request.url.include_query_params(offset=offset + limit, limit=limit))
    return {"total": total, "limit": limit, "offset": offset, "next": nxt, "items": chosen}


def frame_rows(frame: pd.DataFrame) -> list[dict]:
    """A DataFrame's rows as plain JSON values (NaN is null, numpy scalars are Python numbers)."""
    from ..results import records

    return records(frame)


def areas_param(values: list[str] | None) -> list[str] | None:
    """Repeated area parameters, blanks and repeats (any case) dropped, at most MAX_AREAS. Not split
    on commas: area names have them ("Bonaire, Sint Eustatius and Saba")."""
    if not values:
        return None
    seen: dict[str, str] = {}
    for value in values:
        value = value.strip()
        if value:
            seen.setdefault(value.casefold(), value)
    if len(seen) > MAX_AREAS:
        raise SdgtrackError(f"{len(seen)} different areas asked for; at most {MAX_AREAS} per request")
    return list(seen.values()) or None


def plain_dict(value: dict) -> dict:
    return plain(value)
