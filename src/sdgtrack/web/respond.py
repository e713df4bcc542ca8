"""How a read route answers: cached by the store's state, JSON or CSV, paged, errors as one message.

A read is computed once per store state: the answer's bytes are kept under (store fingerprint,
path, query, format) and served from memory until the store changes, with the fingerprint's hash
as ETag. A hit is answered on the event loop without a thread; a miss runs in a worker thread on
that thread's cursor. User errors (unknown code, bad option) are 400 with the workspace's own
message; "nothing there" is 404.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import re
import threading
from collections import OrderedDict
from contextvars import ContextVar
from typing import Any, Callable, Sequence

import pandas as pd
from fastapi import HTTPException, Request
from fastapi.responses import Response
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import URL, Headers, QueryParams

from .. import csvsafe
from ..errors import SdgtrackError
from ..results import plain
from ..workspace import Workspace
from .blocks import SeriesBlocks

MAX_LIMIT = 10_000
DEFAULT_LIMIT = 100
MAX_AREAS = 50
CACHE_ENTRIES = 4096
CACHE_BYTES = 256 * 1024 * 1024


class NotFound(Exception):
    """Raised by a route's work for a thing that is not there (404)."""


class Answer:
    """What a route's work returns: a pydantic model (the JSON body) and the rows its CSV has; or
    the JSON body's bytes already made (``body``: the route checked that JSON is asked for)."""

    def __init__(self, model: BaseModel | None = None, rows: list[dict] | None = None, body: bytes | None = None):
        self.model = model
        self.rows = rows
        self.body = body


# The series blocks of the store state a worker thread's read is answering (set by _compute for
# the duration of one route's work; None outside one, or when the server keeps none).
BLOCKS: ContextVar[SeriesBlocks | None] = ContextVar("sdgtrack_series_blocks", default=None)


GZIP_FROM = 1024  # bytes: smaller answers go as they are


class Cached:
    """An answer's bytes with its media type and ETag, and the gzip form for clients that take it
    (made once, in the worker thread that made the bytes, never on the event loop; or, for a
    small answer made on the event loop (``lazy_gzip``), when a client first takes gzip)."""

    __slots__ = ("body", "media_type", "etag", "gzipped", "_compressible")

    def __init__(self, body: bytes, media_type: str, etag: str, lazy_gzip: bool = False):
        self.body, self.media_type, self.etag = body, media_type, etag
        compressible = media_type.startswith(("text/", "application/json", "application/javascript", "image/svg"))
        self._compressible = compressible and len(body) >= GZIP_FROM
        self.gzipped = gzip.compress(body, compresslevel=6, mtime=0) if self._compressible and not lazy_gzip else None

    @property
    def size(self) -> int:
        # a lazy gzip form is counted as the body again: an upper bound the LRU can rely on
        return len(self.body) + (len(self.gzipped) if self.gzipped else len(self.body) if self._compressible else 0)

    def response(self, headers: Headers, head: bool = False) -> Response:
        out = {"ETag": self.etag, "Cache-Control": "no-cache", "Vary": "Accept-Encoding"}
        if headers.get("if-none-match") == self.etag:
            return Response(status_code=304, headers=out)
        body = self.body
        if self._compressible and "gzip" in headers.get("accept-encoding", ""):
            if self.gzipped is None:
                self.gzipped = gzip.compress(body, compresslevel=6, mtime=0)
            body = self.gzipped
            out["Content-Encoding"] = "gzip"
        out["Content-Length"] = str(len(body))
        return Response(b"" if head else body, media_type=self.media_type, headers=out)


class BytesCache:
    """An LRU of response bodies for one store state; emptied when the state changes."""

    def __init__(self, entries: int = CACHE_ENTRIES, max_bytes: int = CACHE_BYTES):
        self.entries, self.max_bytes = entries, max_bytes
        self._data: OrderedDict[Any, Cached] = OrderedDict()
        self._bytes = 0
        self._state: str | None = None
        self._lock = threading.Lock()

    def get(self, state: str, key) -> Cached | None:
        with self._lock:
            if state != self._state:
                return None
            hit = self._data.get(key)
            if hit is not None:
                self._data.move_to_end(key)
            return hit

    def put(self, state: str, key, value: Cached) -> None:
        with self._lock:
            if state != self._state:
                self._data.clear()
                self._bytes, self._state = 0, state
            old = self._data.pop(key, None)
            if old is not None:
                self._bytes -= old.size
            self._data[key] = value
            self._bytes += value.size
            while self._data and (len(self._data) > self.entries or self._bytes > self.max_bytes):
                _, dropped = self._data.popitem(last=False)
                self._bytes -= dropped.size


def wants_csv(query: QueryParams, accept: str) -> bool:
    fmt = query.get("format")
    if fmt is not None:
        return fmt == "csv"
    return "text/csv" in accept and "application/json" not in accept


def cache_key(path: str, query: QueryParams, accept: str) -> tuple:
    """What a read answer depends on besides the store: path, parameters, format. Different
    parameters may come in any order, but the values of a repeated one keep theirs: ``dataset=``
    is an order of preference, so ``dataset=b&dataset=a`` is another answer than ``a&b`` (a sort
    by name alone is stable)."""
    return (path, tuple(sorted(query.multi_items(), key=lambda item: item[0])), wants_csv(query, accept))


async def answer(request: Request, work: Callable[[Workspace], Answer]) -> Response:
    owner = request.app.state.owner
    cache: BytesCache = request.app.state.read_cache
    key = cache_key(request.url.path, request.query_params, request.headers.get("accept", ""))
    state = await current_state(owner)
    hit = cache.get(state, key)
    if hit is None:
        hit = await run_in_threadpool(_compute, owner, work, key[2], state, key)
        cache.put(state, key, hit)
    return hit.response(request.headers)


async def current_state(owner) -> str:
    """The store's fingerprint: from memory when fresh, else read in a worker thread (never a store
    read on the event loop)."""
    state = owner.fresh_fingerprint()
    if state is None:
        state = await run_in_threadpool(owner.fingerprint)
    return state


# A memory lane: (path prefix, function(owner, state, scope, query) -> JSON bytes or None). It runs
# on the event loop, so it must never touch the store: it answers only from what the server
# already keeps for ``state`` (lookups, series blocks), small answers only, and returns None for
# anything else (the request then goes on to its route, which reads and checks as always).
Lane = tuple[str, Callable[[Any, str, dict, QueryParams], "bytes | None"]]


class CachedReads:
    """ASGI middleware: a GET of /api/... whose answer is in the cache for the current store state is
    answered here, before routing and parameter parsing (a miss goes on to the route, which fills
    the cache through :func:`answer`). Only answers made by :func:`answer` are ever in the cache,
    and they do not depend on who asks."""

    def __init__(self, app, owner, cache: BytesCache, prefix: str = "/api/", lanes: Sequence[Lane] = ()):
        self.app, self.owner, self.cache, self.prefix, self.lanes = app, owner, cache, prefix, tuple(lanes)

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http" and scope["method"] == "GET" and scope["path"].startswith(self.prefix):
            # a stale fingerprint (every 0.5 s) is re-read in a worker thread here, not left to
            # the route: else every request of that moment would miss the cache and the lanes
            state = await current_state(self.owner)
            if state is not None:
                headers = Headers(scope=scope)
                query = QueryParams(scope.get("query_string", b""))
                key = cache_key(scope["path"], query, headers.get("accept", ""))
                hit = self.cache.get(state, key)
                if hit is None and not key[2]:
                    hit = self._from_memory(scope, query, state, key)
                if hit is not None:
                    return await hit.response(headers)(scope, receive, send)
        return await self.app(scope, receive, send)

    def _from_memory(self, scope, query: QueryParams, state: str, key) -> Cached | None:
        """A JSON answer a lane makes from what the server keeps for this state, or None."""
        for prefix, lane in self.lanes:
            if scope["path"].startswith(prefix):
                body = lane(self.owner, state, scope, query)
                if body is None:
                    return None
                hit = Cached(body, "application/json", etag_of(state, key), lazy_gzip=True)
                self.cache.put(state, key, hit)
                return hit
        return None


def _compute(owner, work, csv: bool, state: str, key) -> Cached:
    reader = owner.reader()
    reader.use_lookups(owner.lookups(state))
    kept = BLOCKS.set(owner.blocks(state))
    try:
        result = work(reader)
    except NotFound as exc:
        raise HTTPException(404, public_message(str(exc))) from None
    except SdgtrackError as exc:
        raise HTTPException(400, public_message(str(exc))) from None
    finally:
        BLOCKS.reset(kept)
    if result.body is not None:  # JSON made by the route itself (it is not asked for CSV then)
        body, media_type = result.body, "application/json"
    elif result.model is None:
        raise TypeError("a route's Answer needs a model or a body")
    elif csv:
        rows = result.rows if result.rows is not None else [result.model.model_dump(mode="json")]
        body, media_type = to_csv(rows), "text/csv; charset=utf-8"
    else:
        body, media_type = result.model.model_dump_json().encode(), "application/json"
    return Cached(body, media_type, etag_of(state, key))


def etag_of(state: str, key) -> str:
    return '"' + hashlib.sha1(repr((state, key)).encode()).hexdigest()[:20] + '"'


_SERVER_PATH = re.compile(r"(?<![\w/.:])/(?:[^\s/,;'\"()]+/)+(?=[^\s/,;'\"()]+)")


def public_message(text: str) -> str:
    """A message for anyone on the web: server folders left out of any path in it (a shipped
    codebook is ``sdr2024_codebook.csv``, not where the package is installed)."""
    return _SERVER_PATH.sub("", text)


def to_csv(rows: list[dict]) -> bytes:
    """Rows as CSV; list cells become text joined by ';' (a spreadsheet reads them); text a
    spreadsheet would run as a formula is marked as text (:mod:`sdgtrack.csvsafe`)."""
    frame = pd.DataFrame(
        [{k: ";".join(map(str, v)) if isinstance(v, list) else v for k, v in row.items()} for row in rows]
    )
    out = io.StringIO()
    csvsafe.frame(frame).to_csv(out, index=False)
    return out.getvalue().encode()


# -- paging and parameters ------------------------------------------------------------------------
def page_of(request: Request, items: list[dict] | pd.DataFrame, limit: int, offset: int) -> dict:
    """The page [offset, offset+limit) of ``items`` with the total and the next page's URL. A
    DataFrame's rows become plain values for the page only (a 100-row page of a 10,000-row read
    converts 100 rows, not all)."""
    total = len(items)
    if isinstance(items, pd.DataFrame):
        chosen = frame_rows(items.iloc[offset : offset + limit])
    else:
        chosen = items[offset : offset + limit]
    return {
        "total": total,
        "limit": limit,
        "offset": offset,
        "next": next_page(request.url, total, limit, offset),
        "items": chosen,
    }


def next_page(url: URL, total: int, limit: int, offset: int) -> str | None:
    """The path and query of the page after [offset, offset+limit) of ``url``, None on the last page."""
    if offset + limit >= total:
        return None
    # relative to the server: a cached answer serves every Host name
    following = url.include_query_params(offset=offset + limit, limit=limit)
    return f"{following.path}?{following.query}"


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
