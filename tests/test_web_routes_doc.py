"""docs/web.md names only routes the app has (`GET /api/...`, the upload route a locked-out CLI is
sent to, `/favicon.ico` ...), and the server answers /favicon.ico with the icon shipped in the
package, as the static site does."""

from __future__ import annotations

import re
from importlib import resources

import pytest
from fastapi.testclient import TestClient

from sdgtrack.web.app import create_app

from .conftest import REPO

DOCS = ("web.md", "web-entry.md")
# a route as the docs write it: `GET /api/areas/{name}`, or a path of the app in running text
METHOD_ROUTE = re.compile(r"`(GET|POST|PUT|PATCH|DELETE) (/[^`\s?\[]*)")
PATH = re.compile(
    r"(?<![\w./-])(/(?:api|sdmx/rest|entry|admin|docs|openapi\.json|login|logout|favicon\.ico)[^\s`),;\"'?\[]*)"
)


def _shape(path: str) -> str:
    """`{code}`, `{id}`, `N` and `42` as one parameter shape."""
    return re.sub(r"/(?:{[^}]*}|N|\d+)(?=/|$)", "/{}", path.rstrip(".:"))


def _app_routes(app) -> set[tuple[str, str]]:
    """(method, path) of every route, the included routers' too, with `{...}` for a parameter."""

    def walk(routes, prefix=""):
        for route in routes:
            included = getattr(route, "original_router", None)  # FastAPI >= 0.16x wraps included routers
            if included is not None:
                context = getattr(route, "include_context", None)
                yield from walk(included.routes, prefix + (getattr(context, "prefix", "") or ""))
            elif hasattr(route, "path"):
                for method in getattr(route, "methods", None) or {"GET"}:
                    yield method, _shape(prefix + route.path)

    return set(walk(app.routes))


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    return create_app(tmp_path_factory.mktemp("routes") / "store.duckdb")


def test_every_documented_route_exists(app):
    routes = _app_routes(app)
    paths = {path for _method, path in routes} | {"/favicon.ico"}  # the site's file, served by the fallback
    missing = []
    for name in DOCS:
        text = (REPO / "docs" / name).read_text(encoding="utf-8")
        for method, path in METHOD_ROUTE.findall(text):
            if (method, _shape(path)) not in routes:
                missing.append(f"{name}: {method} {path}")
        for path in PATH.findall(re.sub(r"https?://[^/\s]+", "", text)):
            path = _shape(path)
            # a prefix the docs name for a family of routes (/api/, /sdmx/rest/...) is fine
            if path not in paths and not any(p.startswith(path.rstrip("/") + "/") for p in paths):
                missing.append(f"{name}: {path}")
    assert not missing, sorted(set(missing))
    assert ("POST", "/api/requests/data") in routes  # the upload route docs/web.md names


def test_upload_route_told_to_the_cli_is_the_app_route(app):
    assert app.state.upload_route in {path for method, path in _app_routes(app) if method == "POST"}


def test_favicon_answers_with_the_shipped_icon(app):
    icon = (resources.files("sdgtrack.publish.pages") / "static" / "favicon.ico").read_bytes()
    assert icon[:4] == b"\x00\x00\x01\x00"  # an ICO file
    with TestClient(app) as client:
        response = client.get("/favicon.ico")
        assert response.status_code == 200 and response.content == icon
        assert response.headers["content-type"] in ("image/vnd.microsoft.icon", "image/x-icon")
        page = client.get("/en/index.html").text
        assert '<link rel="icon" href="../favicon.ico">' in page
