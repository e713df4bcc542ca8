"""Serving: the server owns the store (reads during a write, a CLI write told who holds the store),
the limits and security headers, the site served live, /docs offline."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest
from fastapi import APIRouter
from fastapi.testclient import TestClient

from sdgtrack.publish import site as site_module
from sdgtrack.publish.site import SiteFile
from sdgtrack.storefiles import server_holding, sidecar_path
from sdgtrack.web.app import create_app
from sdgtrack.web.limits import Limits

from .web_fixtures import small_store

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture
def store(tmp_path) -> Path:
    return small_store(tmp_path / "s.duckdb")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """uvicorn in a thread of this process, over an app."""

    def __init__(self, app):
        import uvicorn

        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self):
        self.thread.start()
        for _ in range(200):
            if self.server.started:
                break
            time.sleep(0.05)
        return self

    def __exit__(self, *exc):
        self.server.should_exit = True
        self.thread.join(10)


# -- the store is the server's ----------------------------------------------------------------------
def test_reads_never_fail_while_an_ingest_runs_through_the_same_workspace(store, tmp_path):
    app = create_app(store)
    owner = app.state.owner
    first = tmp_path / "more.csv"
    first.write_text("series,area,year,value\nSH_DYN_MORT,NOR,2000,5.0\n")
    with owner.writing() as ws:
        ws.ingest(first, dataset="more")
    loads = 6
    failures: list[str] = []
    seen: set[int] = set()
    stop = threading.Event()

    def read(client: httpx.Client) -> None:
        while not stop.is_set():
            r = client.get("/api/observations", params={"code": "SH_DYN_MORT", "area": "NOR", "dataset": "more"})
            if r.status_code != 200:
                failures.append(f"{r.status_code}: {r.text[:200]}")
                continue
            body = r.json()
            years = [i["year"] for i in body["items"]]
            # one load's rows all or none: the years are always 2000 .. 2000 + n - 1, each value its year's
            if (
                years != list(range(2000, 2000 + len(years)))
                or body["total"] != len(years)
                or any(i["value"] != 5.0 + (i["year"] - 2000) for i in body["items"])
            ):
                failures.append(f"inconsistent answer: {years}")
            seen.add(len(years))
            other = client.get("/api/framework/3.2.1")
            if other.status_code != 200:
                failures.append(f"{other.status_code}: {other.text[:200]}")

    with Server(app) as server:
        clients = [httpx.Client(base_url=server.url, timeout=30) for _ in range(6)]
        readers = [threading.Thread(target=read, args=(c,)) for c in clients]
        for t in readers:
            t.start()
        for n in range(1, loads):
            data = tmp_path / f"more{n}.csv"
            rows = "".join(f"SH_DYN_MORT,NOR,{2000 + y},{5.0 + y}\n" for y in range(n + 1))
            data.write_text("series,area,year,value\n" + rows)
            with owner.writing() as ws:  # the ingest on the server's own workspace, readers on cursors
                report = ws.ingest(data, dataset="more")
            assert report.new == 1
            time.sleep(0.05)
        time.sleep(0.3)
        stop.set()
        for t in readers:
            t.join(30)
        for c in clients:
            c.close()
    assert not failures, failures[:5]
    assert max(seen) == loads  # the readers saw the last load (and so the cache followed the writes)


def test_a_cli_write_to_a_served_store_names_the_server(store):
    app = create_app(store, url="http://127.0.0.1:8123")
    with TestClient(app):  # the lifespan writes the sidecar
        info = json.loads(sidecar_path(store).read_text())
        assert info["pid"] == os.getpid() and info["url"] == "http://127.0.0.1:8123"
        cli = [sys.executable, "-m", "sdgtrack.cli"]
        run = subprocess.run(
            [*cli, "areas", "add", "XX-1", "Testby", "--db", str(store)], capture_output=True, text=True, timeout=120
        )
        assert run.returncode == 1 and "Traceback" not in run.stderr + run.stdout
        message = run.stderr + run.stdout
        assert "held by the sdgtrack server at http://127.0.0.1:8123" in message
        upload = app.state.upload_route  # the write API's upload route (or the default)
        assert f"POST http://127.0.0.1:8123{upload}" in message and "Could not set lock" not in message
    assert not sidecar_path(store).exists()  # withdrawn on shutdown


def test_a_server_without_data_entry_names_no_upload_route(store):
    app = create_app(store, url="http://127.0.0.1:8124")
    app.state.upload_route = None  # as when the data-entry routers are not part of the build
    with TestClient(app):
        assert json.loads(sidecar_path(store).read_text())["upload"] is None
        run = subprocess.run(
            [sys.executable, "-m", "sdgtrack.cli", "areas", "add", "XX-1", "Testby", "--db", str(store)],
            capture_output=True,
            text=True,
            timeout=120,
        )
        message = run.stderr + run.stdout
        assert run.returncode == 1 and "held by the sdgtrack server at http://127.0.0.1:8124" in message
        assert "read through it" in message and "POST" not in message and "None" not in message


def test_a_stale_sidecar_is_ignored(tmp_path):
    store = tmp_path / "x.duckdb"
    child = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    sidecar_path(store).write_text(json.dumps({"pid": int(child.stdout), "url": "http://x", "upload": "/u"}))
    assert server_holding(store) is None  # that process is gone
    sidecar_path(store).write_text(json.dumps({"pid": os.getpid(), "url": "http://x", "upload": "/u"}))
    assert server_holding(store)["url"] == "http://x"


# -- limits and headers ----------------------------------------------------------------------------
def test_oversized_requests_are_refused_before_any_work(store):
    app = create_app(store, limits=Limits(max_body_bytes=1000))
    calls = []

    @app.post("/test-echo", include_in_schema=False)
    async def echo(request: __import__("fastapi").Request):
        calls.append(1)
        return {"n": len(await request.body())}

    client = TestClient(app)
    long = client.get("/api/observations?" + "area=AFG&" * 2000 + "code=3")
    assert long.status_code == 414 and "limit is 8192 bytes" in long.json()["detail"]
    assert client.post("/test-echo", content=b"x" * 2000).status_code == 413 and not calls
    chunks = (b"x" * 400 for _ in range(5))  # no Content-Length: counted while it streams
    streamed = client.post("/test-echo", content=chunks)
    assert streamed.status_code == 413
    assert client.post("/test-echo", content=b"x" * 10).json() == {"n": 10}
    # repeats of one area are dropped; more than 50 different areas are refused
    same = client.get("/api/observations", params=[("code", "3")] + [("area", "AFG")] * 500)
    assert same.status_code == 200 and {i["area"] for i in same.json()["items"]} == {"4"}
    many = client.get("/api/observations", params=[("code", "3")] + [("area", str(c)) for c in range(4, 900, 8)])
    assert many.status_code == 400 and "at most 50" in many.json()["detail"]


def test_security_headers_everywhere(store):
    client = TestClient(create_app(store))
    for url in ("/api/framework", "/", "/docs", "/nothing-here", "/api/framework/99"):
        r = client.get(url)
        csp = r.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
        assert "frame-ancestors 'none'" in csp
        assert r.headers["x-content-type-options"] == "nosniff" and r.headers["referrer-policy"] == "same-origin"


# -- the site, live --------------------------------------------------------------------------------
@pytest.fixture
def producer():
    renders: list[str] = []

    def make(site):
        key = site.workspace.state_fingerprint()
        totals = site.workspace.totals

        def page(path):
            def render():
                renders.append(path)
                return f"<!doctype html><title>{path}</title><p>{totals()['observations']} observations".encode()

            return render

        yield SiteFile("en/index.html", page("en/index.html"), key)
        yield SiteFile("en/data/3-2-1.json", lambda: json.dumps({"n": totals()["observations"]}).encode(), key)
        yield SiteFile("en/api/shadowed.html", page("en/api/shadowed.html"), key)

    site_module.PRODUCERS.append(make)
    yield renders
    site_module.PRODUCERS.remove(make)


def test_the_site_is_served_at_its_build_paths_and_rendered_once_per_key(store, producer, tmp_path):
    app = create_app(store)
    extra = APIRouter()

    @extra.get("/en/api/shadowed.html", include_in_schema=False)
    def mounted_later():  # a router mounted after create_app wins over a site path
        return {"route": True}

    app.include_router(extra)
    client = TestClient(app)
    page = client.get("/en/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "144 observations" in page.text or "observations" in page.text
    assert client.get("/en/index.html").text == page.text
    assert producer == ["en/index.html"]  # rendered once for both requests
    assert client.get("/en", follow_redirects=False).status_code == 308
    data = client.get("/en/data/3-2-1.json")
    assert data.headers["content-type"] == "application/json; charset=utf-8" and data.json()["n"] > 0
    assert client.get("/en/api/shadowed.html").json() == {"route": True}
    etag = page.headers["etag"]
    assert client.get("/en/", headers={"If-None-Match": etag}).status_code == 304
    assert client.post("/en/index.html").status_code == 405
    assert client.get("/en/nothing.html").status_code == 404
    more = tmp_path / "more.csv"
    more.write_text("series,area,year,value\nSH_DYN_MORT,NOR,1999,5.0\n")
    with app.state.owner.writing() as ws:
        ws.ingest(more, dataset="more")
    # the previous list answers until the new one is made (in the background), then the new page
    for _ in range(100):
        changed = client.get("/en/", headers={"If-None-Match": etag})
        if changed.status_code == 200:
            break
        time.sleep(0.05)
    assert changed.status_code == 200 and changed.headers["etag"] != etag
    assert producer == ["en/index.html", "en/index.html"]


# -- /docs offline ----------------------------------------------------------------------------------
def test_docs_are_served_by_the_app(store):
    client = TestClient(create_app(store))
    page = client.get("/docs").text
    assert "http" not in page.replace("http-equiv", "")  # no other origin
    for asset in ("swagger-ui-bundle.js", "swagger-ui.css", "docs-init.js"):
        assert f"/docs/assets/{asset}" in page
        r = client.get(f"/docs/assets/{asset}")
        assert r.status_code == 200 and len(r.content) > 100
    assert client.get("/docs/assets/../../app.py").status_code == 404
    schema = client.get("/openapi.json").json()
    assert "/api/observations" in schema["paths"] and "ResultPage" in schema["components"]["schemas"]


def test_docs_render_in_chromium_under_the_csp(store, tmp_path):
    playwright = pytest.importorskip("playwright.sync_api")
    if not os.path.exists(CHROMIUM):
        pytest.skip("Debian chromium is not installed (apt-get install chromium)")
    with Server(create_app(store)) as server, playwright.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
        )
        page = browser.new_page()
        outside: list[str] = []
        page.on("request", lambda req: outside.append(req.url) if not req.url.startswith(server.url) else None)
        page.goto(server.url + "/docs")
        page.locator(".opblock").first.wait_for(timeout=20_000)
        assert page.locator(".opblock-summary-path", has_text="/api/observations").count() >= 1
        page.screenshot(path=str(tmp_path / "docs.png"))
        browser.close()
    assert not outside
