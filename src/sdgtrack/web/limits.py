"""Request limits and security headers, as one ASGI middleware in front of everything.

It runs before routing and before any parameter or body is parsed, so an oversized request costs
the server a length check, not an evaluation: a query string over the cap is refused with 414
(a 100 KB query of repeated areas once cost 20 s of server time), a body over the cap with 413
(from Content-Length at once, else while it streams in). Every response gets the security
headers: a Content-Security-Policy without inline script, no MIME sniffing, no framing, no
referrer to other sites; a redirect's Location is a path, never the request's Host.
:class:`RateLimit` counts costly work per client (analysis runs, SDG suggestions).
"""

from __future__ import annotations

import json
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass

from starlette.exceptions import HTTPException

MAX_QUERY_BYTES = 8 * 1024
MAX_PATH_BYTES = 2 * 1024
MAX_BODY_BYTES = 20 * 1024 * 1024  # uploads of indicator files; the write routes may check less

# Styles may be inline (Swagger UI and chart libraries set element styles); scripts only from the
# app itself. Images may be data: URIs (charts rendered to PNG inline).
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'"
)
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
]


@dataclass(frozen=True)
class Limits:
    max_query_bytes: int = MAX_QUERY_BYTES
    max_path_bytes: int = MAX_PATH_BYTES
    max_body_bytes: int = MAX_BODY_BYTES


class LimitsMiddleware:
    def __init__(self, app, limits: Limits | None = None):
        self.app = app
        self.limits = limits or Limits()

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        limits = self.limits
        query = scope.get("query_string", b"")
        if len(query) > limits.max_query_bytes or len(scope.get("raw_path") or scope["path"]) > limits.max_path_bytes:
            what = "query string" if len(query) > limits.max_query_bytes else "path"
            size = len(query) if what == "query string" else len(scope.get("raw_path") or scope["path"])
            cap = limits.max_query_bytes if what == "query string" else limits.max_path_bytes
            return await _refuse(
                send,
                414,
                f"the {what} is {size} bytes; the limit is {cap} bytes (ask for fewer areas or codes per request)",
            )
        length = _content_length(scope)
        if length is not None and length > limits.max_body_bytes:
            return await _refuse(
                send, 413, f"the request body is {length} bytes; the limit is {limits.max_body_bytes} bytes"
            )

        received = 0
        started = False

        async def limited_receive():
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limits.max_body_bytes:
                    raise _BodyTooLarge(limits.max_body_bytes)
            return message

        async def send_with_headers(message):
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = list(message.get("headers", []))
                if 300 <= message.get("status", 200) < 400:
                    headers = [_relative_location(k, v) for k, v in headers]
                names = {name.lower() for name, _ in headers}
                extra = [(k, v) for k, v in SECURITY_HEADERS if k not in names]
                message = {**message, "headers": headers + extra}
            await send(message)

        try:
            await self.app(scope, limited_receive, send_with_headers)
        except _BodyTooLarge:
            if not started:
                await _refuse(send, 413, f"the request body is over the limit of {limits.max_body_bytes} bytes")


class _BodyTooLarge(HTTPException):
    """Raised from ``receive``: FastAPI re-raises an HTTPException met while reading a body (any
    other error there would become "There was an error parsing the body", a 400)."""

    def __init__(self, limit: int = MAX_BODY_BYTES):
        super().__init__(413, f"the request body is over the limit of {limit} bytes")


def _relative_location(name: bytes, value: bytes) -> tuple[bytes, bytes]:
    """A redirect to this server names the path only: a Location built from the request's own Host
    header (Starlette's trailing-slash redirect) would send a visitor wherever a forged Host says."""
    if name.lower() == b"location" and value.startswith((b"http://", b"https://")):
        rest = value.split(b"//", 1)[1]
        slash = rest.find(b"/")
        return name, (rest[slash:] if slash >= 0 else b"/")
    return name, value


class RateLimit:
    """At most ``per_window`` events per client in a sliding window of ``window`` seconds, in a table
    of at most ``max_keys`` clients (the least recently seen dropped first): bounded memory."""

    def __init__(self, per_window: int, window: float = 60.0, max_keys: int = 10_000):
        self.per_window, self.window, self.max_keys = per_window, window, max_keys
        self._events: OrderedDict[str, list[float]] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._events)

    def take(self, client: str) -> int:
        """Count one event for ``client``: 0 when allowed, else the seconds to wait (nothing counted)."""
        now = time.monotonic()
        with self._lock:
            times = [t for t in self._events.get(client, ()) if t > now - self.window]
            if len(times) >= self.per_window:
                self._events[client] = times
                return int(times[0] + self.window - now) + 1
            times.append(now)
            self._events[client] = times
            self._events.move_to_end(client)
            while len(self._events) > self.max_keys:
                self._events.popitem(last=False)
            return 0


def _content_length(scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


async def _refuse(send, status: int, message: str) -> None:
    body = json.dumps({"detail": message}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
                *SECURITY_HEADERS,
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
