"""The web app: the read API, the reporting site served live, `/docs`, over one owned store.

``create_app(db_path)`` opens the store once, read-write, for the life of the app
(:class:`~sdgtrack.web.owner.StoreOwner`); ``app.state.workspace`` is that workspace and
``app.state.owner`` hands each worker thread a cursor of it (``owner.reader()``) and serialises
writes (``with owner.writing() as ws: ...``). Other routers (accounts, forms, the write API) are
mounted on the returned app with ``app.include_router``; the site is the router's fallback, so
anything mounted later is matched before it.
"""

from __future__ import annotations

from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse

import sdgtrack

from ..errors import SdgtrackError
from ..publish.site import SiteOptions
from . import api, docs, sdmx
from .limits import Limits, LimitsMiddleware, RateLimit
from .live_site import LiveSite
from .owner import StoreOwner
from .respond import BytesCache, CachedReads, public_message

# Where the CLI is told to send a file when the server holds the store: none until the write API
# (data entry) is mounted and sets ``app.state.upload_route`` to its own route.
DEFAULT_UPLOAD_ROUTE: str | None = None
ANALYSIS_RUNS_PER_MINUTE = 6  # new (not yet computed) analysis runs per client address


def create_app(
    db_path: str | Path | None = None,
    *,
    url: str | None = None,
    site: SiteOptions | None = None,
    limits: Limits | None = None,
) -> FastAPI:
    """The app over the store at ``db_path`` (created if missing). ``url``: where it is served
    (written to the sidecar that tells a CLI write who holds the store)."""
    owner = StoreOwner(sdgtrack.default_db_path(db_path))

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        if url:
            owner.announce(url, app.state.upload_route)
        try:
            yield
        finally:  # the store itself stays open: a test client enters the lifespan once per client;
            owner.withdraw()  # `sdgtrack serve` closes it when the server has stopped

    app = FastAPI(
        title="sdgtrack",
        version=sdgtrack.__version__,
        lifespan=lifespan,
        description="SDG framework, indicator data and analyses of one sdgtrack store. Lists are paged "
        "(limit, offset; total and the next page's URL in the answer); add format=csv or send "
        'Accept: text/csv for CSV. Errors are JSON {"detail": message}.',
        docs_url=None,
        redoc_url=None,
    )  # FastAPI's /docs loads Swagger UI from a CDN: ours is served here
    app.state.owner = owner
    app.state.workspace = owner.workspace
    app.state.upload_route = DEFAULT_UPLOAD_ROUTE
    app.state.read_cache = BytesCache()
    # each new analysis parameter set costs seconds of the one analysis thread
    app.state.analysis_limit = RateLimit(ANALYSIS_RUNS_PER_MINUTE)
    # Added last is outermost: the limits see every request first, then cached reads are answered.
    app.add_middleware(CachedReads, owner=owner, cache=app.state.read_cache, lanes=api.MEMORY_LANES)
    app.add_middleware(LimitsMiddleware, limits=limits)

    @app.exception_handler(SdgtrackError)
    async def user_error(request: Request, exc: SdgtrackError):  # a route that let one through
        return JSONResponse({"detail": public_message(str(exc))}, status_code=400)

    @app.exception_handler(RequestValidationError)
    async def bad_parameter(request: Request, exc: RequestValidationError):
        problems = "; ".join(_problem(e) for e in exc.errors()[:5])
        return JSONResponse({"detail": problems, "errors": _plain_errors(exc.errors()[:20])}, status_code=422)

    app.include_router(api.router)
    app.include_router(docs.router)
    app.include_router(sdmx.router)

    @app.get("/api/cities", tags=["read"])
    def api_cities() -> list[dict]:
        """The cities in the store with how many U4SSC values each holds."""
        from ..results import records

        return records(owner.reader().list_cities())

    @app.get("/cities/{city}", response_class=HTMLResponse, include_in_schema=False)
    def city_page(city: str):
        """The city report page: the same HTML as `sdgtrack city report --output x.html`."""
        try:
            return HTMLResponse(owner.reader().city_report_html(city))
        except SdgtrackError as exc:
            raise HTTPException(404, str(exc)) from None

    _mount_entry(app)
    app.state.site = LiveSite(owner, site)
    app.router.default = app.state.site
    return app


def _mount_entry(app: FastAPI) -> None:
    """Mount the data-entry routers (accounts, forms, the write API: ``web/entry.py``) when this
    build has them; they share ``app.state.owner``'s write lock and set ``app.state.upload_route``."""
    import importlib

    try:
        entry = importlib.import_module("sdgtrack.web.entry")
    except ModuleNotFoundError as exc:
        if exc.name != "sdgtrack.web.entry":
            raise
        return
    entry.mount_entry(app)


def _problem(error: dict) -> str:
    where = ".".join(str(p) for p in error.get("loc", ()) if p not in ("query", "path", "body"))
    return f"{where}: {error.get('msg')}" if where else str(error.get("msg"))


def _plain_errors(errors) -> list[dict]:
    return [
        {"loc": [str(p) for p in e.get("loc", ())], "msg": str(e.get("msg")), "type": str(e.get("type"))}
        for e in errors
    ]
