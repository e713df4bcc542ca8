"""FastAPI application: pages (Jinja2) and a JSON API over one database.

Each request opens the database read-only, so the server never holds a write lock and the CLI
can keep loading data while it runs.
"""
from __future__ import annotations

from importlib import resources
from pathlib import Path

from fastapi import FastAPI, HTTPException, Query, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

import sdgtrack

from ..errors import SdgtrackError
from . import queries


def create_app(db_path: str | Path | None = None) -> FastAPI:
    path = sdgtrack.default_db_path(db_path)
    if not path.exists():
        sdgtrack.open(path).close()  # create it (schema + reference data) so pages work when empty
    app = FastAPI(title="sdgtrack", description="SDG framework, indicator data and analyses")
    templates = Jinja2Templates(directory=str(resources.files("sdgtrack.web") / "templates"))
    templates.env.filters["thousands"] = lambda n: f"{n:,}" if isinstance(n, int) else n

    def db():
        return sdgtrack.open(path, read_only=True)

    @app.get("/", response_class=HTMLResponse)
    def home(request: Request):
        with db() as database:
            tree = queries.framework_with_data(database)
            totals = database.totals()
        return templates.TemplateResponse(request, "index.html", {"goals": tree, "totals": totals})

    @app.get("/api/framework")
    def api_framework(level: str | None = None):
        with db() as database:
            return database.framework_nodes(level=level).to_dict("records")

    @app.get("/api/framework/{code}")
    def api_node(code: str):
        with db() as database:
            try:
                return database.framework_node(code)
            except SdgtrackError as exc:
                raise HTTPException(404, str(exc)) from None

    @app.get("/api/data/{code}")
    def api_data(code: str, area: list[str] | None = Query(None), start: int | None = None, end: int | None = None,
                 all_disaggregations: bool = False):
        with db() as database:
            try:
                frame = database.observations(code, areas=area, start=start, end=end,
                                              all_disaggregations=all_disaggregations)
            except SdgtrackError as exc:
                raise HTTPException(404, str(exc)) from None
        frame = frame.astype(object).where(frame.notna(), None)
        return frame.to_dict("records")

    @app.get("/api/cities")
    def api_cities():
        with db() as workspace:
            return workspace.list_cities().to_dict("records")

    @app.get("/api/cities/{city}/score")
    def api_city_score(city: str):
        with db() as workspace:
            try:
                return workspace.cities(city).to_json()
            except SdgtrackError as exc:
                raise HTTPException(404, str(exc)) from None

    @app.get("/cities/{city}", response_class=HTMLResponse)
    def city_page(city: str):
        """The city report page: the same HTML as `sdgtrack city report --output x.html`."""
        with db() as workspace:
            try:
                return HTMLResponse(workspace.city_report_html(city))
            except SdgtrackError as exc:
                raise HTTPException(404, str(exc)) from None

    return app
