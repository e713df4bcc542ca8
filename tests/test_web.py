"""The web face: the JSON API (TestClient) and the page in headless Chromium."""

from __future__ import annotations

import shutil
import socket
import threading
import time

import pytest
from fastapi.testclient import TestClient

import sdgtrack
from sdgtrack.demo import build as build_demo
from sdgtrack.web.app import create_app

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    with sdgtrack.open(path) as workspace:
        report, progress = build_demo(workspace)
        kept = workspace.kept_assessment()
    assert report.new == report.rows_read > 100_000
    # the demo keeps a progress assessment so the pages have a status to show
    assert progress.analysis == "progress" and kept is not None and len(kept) == progress.summary["series x areas"]
    return path


def test_demo_covers_every_goal(demo_db):
    with sdgtrack.Database(demo_db, read_only=True) as db:
        goals = db.sql("""SELECT DISTINCT split_part(si.indicator, '.', 1) AS g FROM observation o
                          JOIN series_indicator si USING (series) WHERE o.is_headline""")["g"]
    assert sorted(goals, key=int) == [str(g) for g in range(1, 18)]


def test_api(demo_db):
    client = TestClient(create_app(demo_db))
    goals = client.get("/api/framework", params={"level": "goal"}).json()["items"]
    assert [g["code"] for g in goals] == [str(g) for g in range(1, 18)]
    node = client.get("/api/framework/3.2.1").json()
    assert node["parent"] == "3.2" and any(s["code"] == "SH_DYN_MORT" and s["observations"] > 0 for s in node["series"])
    data = client.get("/api/data/SH_DYN_MORT", params={"area": ["AFG"], "from": 2019}).json()["items"]
    assert [(d["period"], d["value"]) for d in data] == [("2019", 60.3)]
    assert client.get("/api/framework/42.1").status_code == 404
    assert client.get("/api/data/NOPE").status_code == 404
    page = client.get("/en/indicators/3-2-1/")  # the site's page, rendered live from the store
    assert page.status_code == 200 and "Under-5 mortality rate" in page.text and "SH_DYN_MORT" in page.text


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(demo_db):
    import uvicorn

    port = _free_port()
    srv = uvicorn.Server(uvicorn.Config(create_app(demo_db), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    for _ in range(100):
        if srv.started:
            break
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(5)


def test_site_in_chromium(server, tmp_path):
    """The reporting site served live: / leads to the English home, and an indicator page shows."""
    playwright = pytest.importorskip("playwright.sync_api")
    if not shutil.which("chromium") and not __import__("os").path.exists(CHROMIUM):
        pytest.skip("Debian chromium is not installed (apt-get install chromium)")
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
        )
        page = browser.new_page()
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" and "404" not in m.text else None)
        missing: list[str] = []
        page.on("response", lambda r: missing.append(r.url) if r.status >= 400 else None)
        page.goto(server + "/")
        page.wait_for_url("**/en/index.html")
        assert page.locator("h1").first.inner_text() == "Sustainable Development Goals"
        page.goto(server + "/en/indicators/3-2-1/")
        assert "3.2.1" in page.locator("h1").first.inner_text()
        page.screenshot(path=str(tmp_path / "indicator.png"), full_page=False)
        browser.close()
    assert not errors, errors  # nothing refused by the CSP, no script error
    assert [u for u in missing if not u.endswith("/favicon.ico")] == []
