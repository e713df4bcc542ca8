"""The reporting site served live: every path the static build writes, rendered from the store.

The server does not know pages: it asks :class:`sdgtrack.publish.site.Site` for the file at the
request's path (the same producers the static build runs), so a served page and a built page are
the same bytes. Rendering is done once per (path, key): the key fingerprints every input of the
file, so until the store changes what a page shows, its bytes come from memory; the key is also
the ETag. The list of files is made once per store state, by one thread; after a change,
requests are answered from the previous list (a consistent earlier state) until the new one is
ready, so a write never makes every page request wait for the listing.

It is the app router's fallback (``app.router.default``): any route registered by the API, the
forms or anything mounted later is matched first, and only paths no route claims reach the site.
"""

from __future__ import annotations

import asyncio
import hashlib
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from ..publish.site import Site, SiteFile, SiteOptions
from .respond import BytesCache, Cached, current_state

if TYPE_CHECKING:
    from .owner import StoreOwner


class ThreadWorkspace:
    """The workspace as seen from whichever thread uses it: attribute access goes to that thread's
    cursor, so a Site made once can render in any worker thread."""

    def __init__(self, owner: "StoreOwner"):
        self._owner = owner

    def __getattr__(self, name):
        return getattr(self._owner.reader(), name)


class LiveSite:
    def __init__(self, owner: "StoreOwner", options: SiteOptions | None = None):
        self.owner = owner
        self.options = options or SiteOptions()
        self.bytes = BytesCache()
        self._state: str | None = None
        self._files: dict[str, SiteFile] | None = None
        self._lock = threading.Lock()
        # Listing the site for a new store state reads the store for every file's key (seconds on
        # a large store): done by one thread, while requests go on with the previous list.
        self._lister = ThreadPoolExecutor(max_workers=1, thread_name_prefix="site-list")
        self._listing: Future | None = None

    def files(self, state: str) -> dict[str, SiteFile]:
        """Path -> file of the site for one store state (nothing is rendered)."""
        with self._lock:
            if self._state == state and self._files is not None:
                return self._files
        site = Site(ThreadWorkspace(self.owner), self.options)  # type: ignore[arg-type]
        files = {f.path: f for f in site.files()}
        with self._lock:
            self._files, self._state = files, state
        return files

    async def current_files(self, state: str) -> dict[str, SiteFile]:
        """The list for ``state``; while it is being made after a change, the previous one (pages a
        few seconds old rather than every request waiting). The first list is waited for."""
        with self._lock:
            if self._state == state and self._files is not None:
                return self._files
            if self._files is not None:
                if self._listing is None or self._listing.done():
                    self._listing = self._lister.submit(self.files, state)
                return self._files
            if self._listing is None or self._listing.done():
                self._listing = self._lister.submit(self.files, state)
            listing = self._listing
        return await asyncio.wrap_future(listing)

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            return
        request = Request(scope, receive)
        response = await self.respond(request)
        await response(scope, receive, send)

    async def respond(self, request: Request) -> Response:
        path = request.url.path.lstrip("/")
        path = path + "index.html" if path == "" or path.endswith("/") else path
        state = await current_state(self.owner)
        files = await self.current_files(state)
        found = files.get(path)
        if found is None and f"{path}/index.html" in files:
            return RedirectResponse("/" + path + "/", status_code=308)
        if found is None:
            return JSONResponse({"detail": f"nothing at /{request.url.path.lstrip('/')}"}, status_code=404)
        if request.method not in ("GET", "HEAD"):
            return JSONResponse(
                {"detail": f"{request.method} is not allowed here (GET or HEAD)"},
                status_code=405,
                headers={"Allow": "GET, HEAD"},
            )
        etag = '"' + hashlib.sha1(found.key.encode()).hexdigest()[:20] + '"'
        if request.headers.get("if-none-match") == etag:
            return Response(status_code=304, headers={"ETag": etag, "Cache-Control": "no-cache"})
        hit = self.bytes.get("site", (found.path, found.key))
        if hit is None:
            hit = await run_in_threadpool(lambda: Cached(found.render(), found.media_type, etag))
            self.bytes.put("site", (found.path, found.key), hit)
        return hit.response(request.headers, head=request.method == "HEAD")
