"""Who is asking: session cookies for the forms, bearer tokens for the API, CSRF and a login rate limit.

- The session cookie holds a random token (the store keeps its SHA-256), is HttpOnly and
  SameSite=Lax, and Secure when the request came over HTTPS: the request's own scheme, or
  ``X-Forwarded-Proto: https`` from a proxy (trusting it can only make the cookie stricter).
- Every form carries the session's CSRF token in a hidden field; every state-changing form POST
  checks it (403 when missing or wrong). The sign-in form, which has no session yet, uses a
  double-submit cookie.
- The write API takes only ``Authorization: Bearer <token>``, never the cookie, so a page on
  another site cannot make a signed-in browser call it: the API needs no CSRF token.
- Failed sign-ins are limited per user name and per client address, in the memory of the
  process (a restart forgets them): 5 per name and 20 per address (an IPv6 client's /64) in 15
  minutes, in a table of bounded size (:class:`LoginLimiter`). The client address is the connection's; with ``SDGTRACK_TRUST_PROXY=1`` (a server behind one reverse
  proxy) it is the last ``X-Forwarded-For`` entry.
"""

from __future__ import annotations

import collections
import hashlib
import hmac
import ipaddress
import os
import secrets
import threading
import time

from fastapi import Depends, HTTPException, Request
from fastapi.responses import RedirectResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

SESSION_COOKIE = "sdgtrack_session"
LOGIN_COOKIE = "sdgtrack_login"
WINDOW_SECONDS = 15 * 60
MAX_FAILURES_PER_USER = 5
MAX_FAILURES_PER_ADDRESS = 20
MAX_LIMITER_KEYS = 20_000  # about 4 MB at most


class LoginLimiter:
    """Failed sign-ins in a sliding window, per user name and per client address (thread-safe).

    Memory is bounded whatever is sent: a name is kept as a 16-byte digest (a 1 MB name costs what
    a short one does), each key keeps at most its cap of times, only failures add keys (a refused
    try adds nothing), and the table holds at most ``max_keys`` keys, the least recently failed
    dropped first. An attacker who fills the table to push a name out still meets the address
    limit, which counts every one of those failures.
    """

    def __init__(
        self,
        per_user: int = MAX_FAILURES_PER_USER,
        per_address: int = MAX_FAILURES_PER_ADDRESS,
        window: float = WINDOW_SECONDS,
        max_keys: int = MAX_LIMITER_KEYS,
    ):
        self.per_user, self.per_address, self.window, self.max_keys = per_user, per_address, window, max_keys
        self._failures: collections.OrderedDict[bytes, list[float]] = collections.OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._failures)

    @staticmethod
    def _keys(name: str, address: str) -> tuple[bytes, bytes]:
        user = hashlib.blake2b(name.lower().encode("utf-8", "surrogatepass"), digest_size=16, person=b"user").digest()
        addr = hashlib.blake2b(address_key(address).encode(), digest_size=16, person=b"addr").digest()
        return user, addr

    def _recent(self, key: bytes, now: float) -> list[float]:
        times = self._failures.get(key)
        if not times:
            return []
        cut = now - self.window
        if times[0] <= cut:
            times[:] = [t for t in times if t > cut]
            if not times:
                del self._failures[key]
        return times

    def wait_seconds(self, name: str, address: str) -> int:
        """0 when a sign-in may be tried, else the seconds until the oldest counted failure expires."""
        now = time.monotonic()
        waits = []
        with self._lock:
            for key, cap in zip(self._keys(name, address), (self.per_user, self.per_address)):
                times = self._recent(key, now)
                if len(times) >= cap:
                    waits.append(int(times[-cap] + self.window - now) + 1)
        return max(waits, default=0)

    def failed(self, name: str, address: str) -> None:
        now = time.monotonic()
        with self._lock:
            for key, cap in zip(self._keys(name, address), (self.per_user, self.per_address)):
                times = self._recent(key, now)
                if not times:
                    times = self._failures[key] = []
                times.append(now)
                del times[:-cap]  # older failures no longer decide anything
                self._failures.move_to_end(key)
            while len(self._failures) > self.max_keys:
                self._failures.popitem(last=False)

    def succeeded(self, name: str) -> None:
        with self._lock:
            self._failures.pop(self._keys(name, "")[0], None)


def address_key(address: str) -> str:
    """What a per-address limit counts: the address, or its /64 network for IPv6 (one host is
    usually given a whole /64, so rotating within it is free)."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address[:64]
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network((ip, 64), strict=False))
    return str(ip)


def workspace(request: Request):
    return request.app.state.workspace


def client_address(request: Request) -> str:
    if os.environ.get("SDGTRACK_TRUST_PROXY") == "1":
        forwarded = request.headers.get("x-forwarded-for", "")
        if forwarded.strip():
            return forwarded.split(",")[-1].strip()
    return request.client.host if request.client else "unknown"


def is_https(request: Request) -> bool:
    return request.url.scheme == "https" or request.headers.get("x-forwarded-proto", "").lower() == "https"


def session_user(request: Request) -> dict | None:
    """The signed-in user of the session cookie (with the session's CSRF token), or None."""
    cached = getattr(request.state, "entry_user", False)
    if cached is not False:
        return cached if isinstance(cached, dict) else None
    token = request.cookies.get(SESSION_COOKIE)
    found = workspace(request).accounts.session(token) if token and len(token) < 200 else None
    request.state.entry_user = found
    return found


BEARER = HTTPBearer(auto_error=False, description="an API token (`sdgtrack tokens add USER`)")


def bearer_user(request: Request, credentials: HTTPAuthorizationCredentials | None = Depends(BEARER)) -> dict:
    """The user of an API token, or 401."""
    token = credentials.credentials if credentials is not None else ""
    if credentials is None or credentials.scheme.lower() != "bearer" or not token.strip():
        raise HTTPException(
            401,
            "sign in with an API token: Authorization: Bearer TOKEN (`sdgtrack tokens add`)",
            headers={"WWW-Authenticate": "Bearer"},
        )
    found = workspace(request).accounts.token_user(token.strip()) if len(token) < 200 else None
    if found is None:
        raise HTTPException(401, "unknown or revoked API token", headers={"WWW-Authenticate": "Bearer"})
    return found


class SignInNeeded(Exception):
    """Raised by a form route for an anonymous visitor: the app answers with a redirect to /login."""

    def __init__(self, next_url: str):
        self.next_url = next_url


def form_user(request: Request) -> dict:
    found = session_user(request)
    if found is None:
        raise SignInNeeded(request.url.path)
    return found


def check_csrf(user: dict, submitted: object) -> None:
    """Refuse a form whose token is not the session's (``submitted``: the form field as sent, which a
    crafted request may make a file)."""
    if not isinstance(submitted, str) or not submitted or not hmac.compare_digest(submitted, user["csrf"]):
        raise HTTPException(
            403,
            "the form's security token is missing or wrong (an expired page, or a form "
            "sent from another site): reload the page and try again",
        )


def set_session_cookie(response, request: Request, token: str) -> None:
    response.set_cookie(
        SESSION_COOKIE, token, httponly=True, samesite="lax", secure=is_https(request), path="/", max_age=12 * 3600
    )


def login_token(request: Request) -> str:
    """The sign-in form's double-submit token: reuse the cookie's, else a new one."""
    found = request.cookies.get(LOGIN_COOKIE)
    return found if found and 20 <= len(found) <= 100 else secrets.token_urlsafe(24)


def redirect_to_login(next_url: str) -> RedirectResponse:
    from urllib.parse import quote

    return RedirectResponse("/login?next=" + quote(next_url, safe="/"), status_code=303)


def safe_next(next_url: str | None) -> str:
    """Where to go after signing in: a path of this site only (no //host, no scheme)."""
    if not next_url or not next_url.startswith("/") or next_url.startswith("//") or "\\" in next_url:
        return "/entry"
    return next_url
