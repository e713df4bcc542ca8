"""The repository's display settings in headless Chromium: the page script applies them to the
interactive chart (tests/test_site_settings.py checks the HTML, page data and SVG). The small
fixture repository (tests/fixtures/opensdg/settings), served with the live app's script policy."""

from __future__ import annotations

import functools
import socketserver
import threading

import pytest

from sdgtrack.publish.site import Site, SiteOptions
from sdgtrack.workspace import Workspace

from .conftest import FIXTURES
from .test_site_browser import _QuietHandler, browser  # noqa: F401  (the Chromium fixture)

CODES = ("1-4-2", "16-1-4", "5-5-1")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("settings-site")
    with Workspace(tmp / "store.duckdb") as ws:
        ws.ingest(FIXTURES / "opensdg" / "settings")
    out = tmp / "out"
    with Workspace(tmp / "store.duckdb", read_only=True) as ws:
        site = Site(ws, SiteOptions(langs=("en",)))
        for file in site.files():
            wanted = file.path.startswith("assets/") and not file.path.startswith(
                ("assets/indicators/", "assets/charts/")
            )
            if wanted or any(code in file.path for code in CODES):
                target = out / file.path
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(file.render())
    httpd = socketserver.ThreadingTCPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(out)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/en/indicators/"
    httpd.shutdown()
    httpd.server_close()


def _open(browser, url: str):  # noqa: F811
    page = browser.new_page(viewport={"width": 1100, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    # a script error, or one the policy blocks (an expression needing eval); not a missing favicon
    page.on(
        "console",
        lambda msg: (
            errors.append(msg.text) if msg.type == "error" and "Failed to load resource" not in msg.text else None
        ),
    )
    page.goto(url)
    page.wait_for_selector("#chart .chart-holder svg", timeout=30000)
    return page, errors


def _chart_text(page) -> list[str]:
    return page.evaluate("Array.from(document.querySelectorAll('#chart svg text')).map(t => t.textContent)")


def test_bar_chart_limits_precision_and_target_line(server, browser):  # noqa: F811
    page, errors = _open(browser, server + "1-4-2/index.html")
    assert page.get_attribute("#chart", "data-kind") == "bar"
    assert page.locator("#tab-map").count() == 0
    texts = _chart_text(page)
    assert "Aim for 2030: 70.00" in texts  # the repository's label, two decimals
    assert "80" in texts and "90" not in texts  # the axis stops at the limit
    assert page.locator("#chart svg path[aria-roledescription='bar']").count() == 4
    page.click("#tab-table")
    assert page.locator("#data-table td.num").all_inner_texts() == ["61.23", "63.50", "64.25", "90.00"]
    assert errors == []
    page.close()


def test_start_values_breaks_and_titles_per_series(server, browser):  # noqa: F811
    page, errors = _open(browser, server + "16-1-4/index.html")
    # data_start_values: the page opens on Sex = Female
    sex = page.locator(".selector", has_text="Sex").locator("select")
    assert sex.evaluate("s => s.options[s.selectedIndex].text") == "Female"
    texts = _chart_text(page)
    assert "Series break" in texts and "Survey change" in texts and "Halfway: 50" in texts
    # the other series: its own title (graph_titles) and its target line, not the first's break
    page.select_option("#sel-series", label="Feeling safe at home (GB:16.1.4:feeling-safe-at-home)")
    page.wait_for_function(
        "document.querySelector('#chart svg') && document.querySelector('#chart').textContent.includes('Safety at home')"
    )
    texts = _chart_text(page)
    assert "2030 target: 1" in texts and texts.count("Series break") == 1
    assert errors == []
    page.close()


def test_binary_chart_reads_yes_and_no(server, browser):  # noqa: F811
    page, errors = _open(browser, server + "5-5-1/index.html")
    assert page.get_attribute("#chart", "data-kind") == "binary"
    texts = _chart_text(page)
    assert "Yes" in texts and "No" in texts
    page.click("#tab-table")
    assert page.locator("#data-table td.num").all_inner_texts() == ["No", "Yes", "Yes"]
    assert errors == []
    page.close()
