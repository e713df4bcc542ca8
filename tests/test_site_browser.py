"""The built site in headless Chromium (Debian's /usr/bin/chromium through Playwright), on real data:
the UK Open SDG repository and the UN extract, pages in English and French.

Home -> goal 3 -> indicator 3.2.1 (UK data by country and sex); a selector changes the chart and
the table; the full CSV downloads and matches the store; the language switch; the map tab. axe-core
(axe-playwright-python) finds no serious or critical violation on the home, goal, indicator and
reporting pages. Screenshots of each page type go to $SDGTRACK_SCREENSHOTS (default /tmp/sdgtrack-site).

Only the files these pages need are written (the whole site is the build's tests' business), so the
test stays well under a minute once the store is loaded.
"""

from __future__ import annotations

import csv
import functools
import http.server
import io
import os
import shutil
import socketserver
import threading
from pathlib import Path

import pytest

from sdgtrack.publish.site import Site, SiteOptions
from sdgtrack.workspace import Workspace

from .conftest import shared_path

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SHOTS = Path(os.environ.get("SDGTRACK_SCREENSHOTS", "/tmp/sdgtrack-site"))
PAGES = (
    "index.html",
    "goals/3/index.html",
    "indicators/3-2-1/index.html",
    "reporting/index.html",
    "search/index.html",
    "progress/index.html",
    "sdg-index/index.html",  # the kept SDG Index and interlinkages (test_kept_results.py)
    "interlinkages/index.html",
)


def _needed(path: str) -> bool:
    if path.startswith("assets/") and not path.startswith(("assets/indicators/", "assets/charts/")):
        return True
    if "3-2-1" in path and path.startswith(("assets/", "en/data/", "fr/data/", "en/headline/", "fr/headline/")):
        return True
    if path in ("assets/indicators/11-1-1.json", "en/indicators/11-1-1/index.html"):  # UK regions
        return True
    return path in ("index.html",) or any(path == f"{lang}/{p}" for lang in ("en", "fr") for p in PAGES)


@pytest.fixture(scope="module")
def site_root(tmp_path_factory):
    uk = shared_path("opensdg", "uk")
    un = shared_path("unsd", "sdg_global_2020.csv.gz")
    tmp = tmp_path_factory.mktemp("site")
    store = tmp / "store.duckdb"
    with Workspace(store) as ws:
        ws.ingest(uk, skip_invalid=True, rejected_path=tmp / "rejected.csv")
        ws.ingest(un)
        ws.assess("unsd", areas=["826"])  # kept: the pages show its statuses
        ws.ingest(shared_path("sdr", "sdr2024_indicators.csv"))
        ws.index("sdr2024", "sdr2023", year=2023)  # kept: the SDG Index page
        ws.links(level="series", areas=["GBR", "NPL"], series=["3"], null_permutations=0)  # kept: interlinkages
    out = tmp / "out"
    ws = Workspace(store, read_only=True)
    # every area (--all-areas): the CSV holds the store's rows and the map spans the UN's countries
    site = Site(ws, SiteOptions(langs=("en", "fr"), title="UK SDG data", all_areas=True))
    for file in site.files():
        if _needed(file.path):
            target = out / file.path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(file.render())
    yield out, ws
    ws.close()


@pytest.fixture(scope="module")
def server(site_root):
    out, _ws = site_root
    handler = functools.partial(_QuietHandler, directory=str(out))
    httpd = socketserver.ThreadingTCPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


# the policy the live server sends (web/limits.py): script only from the site's own files, no eval
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'"
)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def end_headers(self):
        self.send_header("Content-Security-Policy", CSP)
        super().end_headers()


@pytest.fixture(scope="module")
def browser():
    playwright = pytest.importorskip("playwright.sync_api")
    if not os.path.exists(CHROMIUM):
        pytest.skip("Debian chromium is not installed (apt-get install chromium)")
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
        )
        yield b
        b.close()


def test_walk_through_the_site(server, site_root, browser):
    _out, ws = site_root
    SHOTS.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    # a script the policy blocks (inline, eval) shows as a console error: there must be none
    page.on(
        "console",
        lambda msg: errors.append(msg.text) if msg.type == "error" and "Content Security" in msg.text else None,
    )
    page.goto(server + "en/index.html")
    assert page.locator(".goal-tiles .tile").count() == 17
    assert page.locator(".skip-link").get_attribute("href") == "#main"
    page.screenshot(path=str(SHOTS / "home.png"), full_page=True)
    # the high-contrast toggle, remembered on the next page
    toggle = page.locator(".contrast-toggle")
    toggle.click()
    assert toggle.get_attribute("aria-pressed") == "true" and "contrast" in page.locator("html").get_attribute("class")
    page.screenshot(path=str(SHOTS / "home-contrast.png"), full_page=False)
    page.reload()
    assert "contrast" in page.locator("html").get_attribute("class")
    page.locator(".contrast-toggle").click()

    page.locator(".tile.goal-3").click()
    page.wait_for_url("**/en/goals/3/index.html")
    assert "Ensure healthy lives" in page.locator("h1").inner_text()
    page.screenshot(path=str(SHOTS / "goal.png"), full_page=True)

    page.locator("a", has_text="Under-5 mortality rate").first.click()
    page.wait_for_url("**/en/indicators/3-2-1/index.html")
    page.wait_for_selector("#chart .chart-holder svg")
    table_rows = page.locator("#data-table tbody tr")
    before_rows = page.locator("#data-table tbody").inner_text()
    before_chart = page.locator("#chart").get_attribute("data-rows")
    assert int(before_chart) == table_rows.count() > 10
    page.screenshot(path=str(SHOTS / "indicator.png"), full_page=True)

    # a disaggregation selector drives chart and table together
    sex = page.get_by_label("Sex", exact=True)
    sex.select_option("Female")
    page.wait_for_function("document.querySelector('#chart').getAttribute('data-rows') !== null")
    after_rows = page.locator("#data-table tbody").inner_text()
    assert after_rows != before_rows
    assert "Sex: Female" in page.locator("#data-table caption").inner_text()
    female = ws.observations("3.2.1", areas=["826"], all_disaggregations=True)
    female = female[(female["series"] == "GB:3.2.1") & (female["dims"] == "Sex=Female")]
    assert page.locator("#data-table tbody tr").count() == len(female) > 0
    assert int(page.locator("#chart").get_attribute("data-rows")) == female["value"].notna().sum()

    # keyboard: arrow keys move between the tabs (ARIA tabs pattern)
    page.locator("#tab-chart").focus()
    page.keyboard.press("ArrowRight")
    assert page.locator("#tab-table").get_attribute("aria-selected") == "true"
    assert page.locator("#panel-chart").is_hidden() and page.locator("#panel-table").is_visible()

    # the full CSV (the data side's file) downloads and holds the store's rows
    with page.expect_download() as info:
        page.locator(".downloads a", has_text="All data").click()
    text = Path(info.value.path()).read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    stored = ws.observations("3.2.1", all_disaggregations=True)
    assert len(rows) == len(stored)
    assert sorted(float(r["Value"]) for r in rows) == sorted(stored["value"].tolist())
    assert len(stored[stored["series"] == "GB:3.2.1"]) > 300  # the UK's own rows, regions included

    # the map tab: the UN series of 3.2.1 cover about 200 countries
    page.locator("#tab-map").click()
    page.get_by_label("Series", exact=True).select_option(
        label="Under-five mortality rate, by sex (deaths per 1,000 live births) (SH_DYN_MORT)"
    )
    page.wait_for_selector("#map .map-holder svg path", timeout=20_000)
    assert int(page.locator("#map").get_attribute("data-areas")) > 150
    # its values as a table too (the map's text alternative)
    assert page.locator("#map details tbody tr").count() == int(page.locator("#map").get_attribute("data-areas"))
    page.screenshot(path=str(SHOTS / "indicator-map.png"), full_page=True)

    # the chart of that series in the UK draws the kept assessment's 2030 target (25 per 1,000)
    page.locator("#tab-chart").click()
    page.wait_for_selector("#chart .chart-holder svg")
    assert "2030 target: 25" in page.locator("#chart svg").inner_html()

    # the language switch keeps the page
    page.locator(".lang-switch a[hreflang=fr]").click()
    page.wait_for_url("**/fr/indicators/3-2-1/index.html")
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.locator("#tab-chart").inner_text() == "Graphique"
    page.screenshot(path=str(SHOTS / "indicator-fr.png"), full_page=True)

    page.goto(server + "en/reporting/index.html")
    page.screenshot(path=str(SHOTS / "reporting.png"), full_page=True)
    page.goto(server + "en/search/index.html?q=mortality")
    assert page.locator("#search-results li").count() >= 5
    page.screenshot(path=str(SHOTS / "search.png"), full_page=True)
    assert not errors, errors
    page.close()


@pytest.mark.parametrize(
    "path",
    [
        "en/index.html",
        "en/goals/3/index.html",
        "en/indicators/3-2-1/index.html",
        "en/reporting/index.html",
        "fr/index.html",
        "en/sdg-index/index.html",
        "fr/interlinkages/index.html",
    ],
)
def test_no_serious_accessibility_violations(server, browser, path):
    axe_module = pytest.importorskip("axe_playwright_python.sync_playwright")
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(server + path)
    if "indicators" in path:
        page.wait_for_selector("#chart .chart-holder svg")
    results = axe_module.Axe().run(page)
    bad = [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    page.close()
    assert not bad, bad


def test_a_region_with_two_years_has_one_tick_per_year(server, browser):
    """UK 11.1.1 for the North East holds 2020 and 2021 only: Vega's own ticks drew 2020, 2020.5
    and 2021, labelled "2020 2021 2021"."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(server + "en/indicators/11-1-1/index.html")
    page.wait_for_selector("#chart .chart-holder svg")
    areas = page.locator("#selectors select").nth(1)
    north_east = [o for o in areas.locator("option").all_inner_texts() if o == "North East"]
    assert north_east, "the UK's regions are areas of the page"
    areas.select_option(label="North East")
    page.wait_for_function(
        "document.querySelector('#chart .chart-holder svg') && "
        "document.querySelector('#chart .chart-holder svg').textContent.includes('North East')"
    )
    x_axis = page.locator("#chart .chart-holder svg .role-axis[aria-label^='X-axis']")
    years = x_axis.locator(".role-axis-label text").evaluate_all("texts => texts.map(t => t.textContent)")
    page.close()
    assert years == sorted(set(years)) and len(years) >= 2, years


def test_kept_analysis_pages(server, browser):
    """The SDG Index dashboard with the UK's row marked, and the interlinkages heatmap."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(server + "en/index.html")
    page.locator(".nav a", has_text="SDG Index").click()
    page.wait_for_url("**/en/sdg-index/index.html")
    current = page.locator("table.dashboard tr.current")
    assert current.count() == 1 and "United Kingdom" in current.inner_text()
    assert current.locator("td.dash").count() == 17
    page.screenshot(path=str(SHOTS / "sdg-index.png"), full_page=False)
    page.locator(".nav a", has_text="Interlinkages").click()
    page.wait_for_url("**/en/interlinkages/index.html")
    assert page.locator("table.heatmap tbody tr").count() == 17
    page.screenshot(path=str(SHOTS / "interlinkages.png"), full_page=True)
    page.close()
