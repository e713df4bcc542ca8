"""The data-entry flow in headless Chromium (Debian's /usr/bin/chromium through Playwright): an
editor signs in, uploads a small file, sees the preview and submits; a reviewer approves; the
value is then public with its history. Pages run under a Content-Security-Policy without
'unsafe-inline', and no page may trigger a violation. Screenshots go to /tmp/web-entry-*.png."""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time

import pytest

from .web_entry_app import PASSWORD, build

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
    "frame-ancestors 'none'; object-src 'none'; base-uri 'self'"
)
SHOTS = "/tmp/web-entry"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    import uvicorn

    def strict_csp(app):
        @app.middleware("http")
        async def add_csp(request, call_next):  # stricter than the server's: no inline style either
            response = await call_next(request)
            response.headers["Content-Security-Policy"] = CSP
            return response

    entry = build(tmp_path_factory.mktemp("browser") / "b.duckdb", before_start=strict_csp)

    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(entry.app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(200):
        if server.started:
            break
        time.sleep(0.05)
    yield entry, f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)
    entry.ws.close()


def _sign_in(page, base, name):
    page.goto(f"{base}/entry")
    assert page.url.startswith(f"{base}/login")
    page.get_by_label("Name").fill(name)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}/entry")


def test_upload_preview_submit_approve_public(served, tmp_path):
    playwright = pytest.importorskip("playwright.sync_api")
    if not os.path.exists(CHROMIUM):
        pytest.skip("Debian chromium is not installed (apt-get install chromium)")
    entry, base = served
    data = tmp_path / "rwanda-u5mr.csv"
    data.write_text("series,area,year,value\nSH_DYN_MORT,RWA,2019,34.8\nSH_DYN_MORT,RWA,2024,27.3\n", encoding="utf-8")
    violations: list[str] = []
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
        )
        for who in ("editor", "reviewer", "public"):
            context = browser.new_context(viewport={"width": 1200, "height": 900})
            page = context.new_page()
            page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
            if who == "editor":
                _sign_in(page, base, "ed_a")
                page.get_by_role("link", name="Upload or edit data").first.click()
                page.locator("#upload-dataset").fill("ds-a")
                page.get_by_label("File (").set_input_files(str(data))
                page.get_by_role("button", name="Check and preview").first.click()
                page.wait_for_url(f"{base}/entry/requests/*")
                counts = page.locator("#preview-counts")
                assert "new" in counts.inner_text() and page.locator("#preview-rows tbody tr").count() == 2
                updated = page.locator("#preview-rows tr", has_text="2019")
                assert (
                    "updated" in updated.inner_text()
                    and "34.1" in updated.inner_text()
                    and "34.8" in updated.inner_text()
                )
                page.screenshot(path=f"{SHOTS}-1-preview.png", full_page=True)
                page.get_by_role("button", name="Submit for review").click()
                page.wait_for_load_state()
                assert page.locator(".state").first.inner_text() == "submitted"
                page.screenshot(path=f"{SHOTS}-2-submitted.png", full_page=True)
                # a questionnaire record: SDGs suggested from the text, ticked, saved as a draft
                page.get_by_role("link", name="Questionnaire record").click()
                page.get_by_role("link", name="Initiative or partnership").click()
                page.get_by_label("name (").fill("Connect2Recover <b>schools</b>")
                page.get_by_label("description (").fill(
                    "Broadband connectivity and digital skills for rural "
                    "schools and teachers in least developed countries."
                )
                page.get_by_label("partners (").fill("UNICEF, ITU")
                page.get_by_role("button", name="Suggest SDGs from the text").click()
                page.wait_for_load_state()
                assert page.locator("#suggestions").is_visible()
                suggested = page.locator("label.suggested input")
                assert suggested.count() >= 1
                suggested.first.check()
                page.screenshot(path=f"{SHOTS}-6-record-form.png", full_page=True)
                page.get_by_role("button", name="Save as draft").click()
                page.wait_for_url(f"{base}/entry/requests/*")
                record = page.locator("dl.record").inner_text()
                assert "Connect2Recover <b>schools</b>" in record and "UNICEF, ITU" in record
                page.screenshot(path=f"{SHOTS}-7-record-draft.png", full_page=True)
            elif who == "reviewer":
                _sign_in(page, base, "rev")
                waiting = page.locator("section", has_text="Waiting for review")
                waiting.get_by_role("link", name="rwanda-u5mr.csv").click()
                page.screenshot(path=f"{SHOTS}-3-review.png", full_page=True)
                page.get_by_role("button", name="Approve and publish").click()
                page.wait_for_load_state()
                assert page.locator(".state").first.inner_text() == "published"
                assert "1 new, 1 updated" in page.locator("main").inner_text()
                page.screenshot(path=f"{SHOTS}-4-published.png", full_page=True)
            else:
                page.goto(f"{base}/history/SH_DYN_MORT?area=RWA")
                table = page.locator("#history")
                row2024 = table.locator("tr", has_text="2024")
                assert "27.3" in row2024.inner_text() and "ed_a, approved by rev" in row2024.inner_text()
                old2019 = table.locator("tr.updated", has_text="2019")
                assert "34.1" in old2019.inner_text() and "ed_a, approved by rev" in old2019.inner_text()
                assert "34.8" in table.locator("tr.current", has_text="2019").inner_text()
                page.screenshot(path=f"{SHOTS}-5-public-history.png", full_page=True)
            context.close()
        browser.close()
    assert not violations, violations
