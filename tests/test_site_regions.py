"""Sub-national areas on the site's maps: Rwanda's Open SDG boundary file (provinces named by the
local part of their codes), shipped as ``assets/boundaries.geojson`` and drawn by the map tab in
headless Chromium; bad boundary files refused with one message each."""

from __future__ import annotations

import functools
import http.server
import json
import os
import re
import shutil
import socketserver
import threading
from pathlib import Path

import numpy as np
import pytest

import sdgtrack
from sdgtrack.cli import run
from sdgtrack.errors import UserInputError
from sdgtrack.publish.build import build_site
from sdgtrack.publish.outputs.geojson import boundary_features
from sdgtrack.publish.site import Site, SiteOptions
from sdgtrack.workspace import Workspace

from .conftest import shared_path

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SHOTS = Path(os.environ.get("SDGTRACK_SCREENSHOTS", "/tmp/sdgtrack-site"))
PROVINCES = ["RW-1", "RW-2", "RW-3", "RW-4", "RW-5"]


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("regions")
    # Rwanda's 3-2-1 switches its map off (data_show_map: false, honoured: docs/site.md); these
    # tests draw its provinces, so their copy of the repository switches it on
    repo = tmp / "rwanda"
    shutil.copytree(shared_path("opensdg", "rwanda"), repo)
    meta = repo / "meta" / "3-2-1.md"
    meta.write_text(meta.read_text("utf-8").replace("data_show_map: false", "data_show_map: true"), "utf-8")
    path = tmp / "rw.duckdb"
    with sdgtrack.open(path) as db:
        db.ingest(repo)
    return path


@pytest.fixture(scope="module")
def regions_file() -> Path:
    return shared_path("opensdg", "rwanda", "geojsons", "RwandaRegions.geojson")


@pytest.fixture(scope="module")
def site(store, regions_file):
    ws = Workspace(store, read_only=True)
    yield Site(ws, SiteOptions(langs=("en",), boundaries=regions_file))
    ws.close()


def test_rwanda_boundary_file_names_the_provinces_by_local_code(site):
    """Its features carry `id: "1"` ... (REF_AREA codes of Rwanda's SDMX data) and names that differ
    from the store's ("East Province"): the local codes match, not M49's World ("1")."""
    outlines = boundary_features(site)
    assert sorted(outlines) == PROVINCES


def test_boundaries_asset_and_page(site):
    files = {f.path: f for f in site.files()}
    collection = json.loads(files["assets/boundaries.geojson"].render())
    features = collection["features"]
    assert [f["id"] for f in features] == PROVINCES
    assert features[4]["properties"] == {"code": "RW-5", "name": "Eastern Province"}  # the store's name
    for feature in features:  # outer rings clockwise, as d3-geo draws them (else the map fills the globe)
        for polygon in feature["geometry"]["coordinates"]:
            xy = np.asarray(polygon[0])[:, :2]
            assert np.dot(xy[:-1, 0], xy[1:, 1]) - np.dot(xy[1:, 0], xy[:-1, 1]) < 0
    page = files["en/indicators/3-2-1/index.html"].render().decode("utf-8")
    assert 'data-regions="../../../assets/boundaries.geojson"' in page
    data = json.loads(re.search(r'id="page-data">(.*?)</script>', page).group(1))
    assert data["regions"] == PROVINCES
    # an indicator without province rows draws countries only
    national = next(
        code
        for code in site.indicators()
        if not set(map(str, site.coverage().loc[code, "area_codes"])) & set(PROVINCES)
    )
    other = files[f"en/indicators/{national.replace('.', '-')}/index.html"].render().decode("utf-8")
    assert "data-regions" not in other and '"regions":[]' in other


def _collection(features) -> str:
    return json.dumps({"type": "FeatureCollection", "features": features})


SQUARE = {"type": "Polygon", "coordinates": [[[30, -2], [30, -1.8], [30.2, -1.8], [30.2, -2], [30, -2]]]}


@pytest.mark.parametrize(
    "text, message",
    [
        (
            '{"type": "FeatureCollection",\n "features": [}',
            r"bad\.geojson, line 2, column \d+: .*expected a GeoJSON file",
        ),
        ("[1, 2]", r"bad\.geojson: expected a GeoJSON FeatureCollection with features, got a JSON list"),
        (
            _collection([]),
            r"bad\.geojson: expected a GeoJSON FeatureCollection with features, got type 'FeatureCollection' with no features",
        ),
        (
            _collection([{"type": "Feature", "properties": {"shapeName": "Atlantis", "n": 7}, "geometry": SQUARE}]),
            r"bad\.geojson: no feature names an area of the store \(tried the feature id, n, shapeName\); expected a property",
        ),
        (
            _collection([{"type": "Feature", "properties": {"code": "RW-1"}, "geometry": None}]),
            r"bad\.geojson: the features naming areas \(code\) have no geometry; expected a Polygon",
        ),
    ],
)
def test_bad_boundary_files_are_refused(store, tmp_path, text, message):
    bad = tmp_path / "bad.geojson"
    bad.write_text(text, "utf-8")
    out = tmp_path / "site"
    with Workspace(store, read_only=True) as ws, pytest.raises(UserInputError, match=message):
        build_site(ws, out, SiteOptions(boundaries=bad))
    assert not out.exists()


def test_cli_refuses_a_bad_boundary_file_in_one_line(store, tmp_path, capfd):
    bad = tmp_path / "bad.geojson"
    bad.write_text("not json", "utf-8")
    code = run(["site", "build", str(tmp_path / "site"), "--boundaries", str(bad), "--db", str(store)])
    err = capfd.readouterr().err
    assert code == 1 and "bad.geojson, line 1, column 1" in err and "Traceback" not in err


# -- in the browser ---------------------------------------------------------------------------------
def _needed(path: str) -> bool:
    if path.startswith("assets/"):
        return not path.startswith(("assets/indicators/", "assets/charts/")) or "3-2-1" in path
    return path == "en/indicators/3-2-1/index.html"


@pytest.fixture(scope="module")
def server(site, tmp_path_factory):
    out = tmp_path_factory.mktemp("regions-site")
    for file in site.files():
        if _needed(file.path):
            target = out / file.path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(file.render())

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    httpd = socketserver.ThreadingTCPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(out)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="module")
def browser():
    playwright = pytest.importorskip("playwright.sync_api")
    if not os.path.exists(CHROMIUM):
        pytest.skip("Debian chromium is not installed (apt-get install chromium)")
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        yield b
        b.close()


def test_map_tab_fills_the_provinces(server, browser, store):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(server + "en/indicators/3-2-1/index.html")
    page.wait_for_selector("#selectors select")
    # codes by name: the selectors and the table
    assert page.locator("label[for^=sel-dim]", has_text="Degree of urbanisation").count() == 1
    sex = page.get_by_label("Sex", exact=True)
    assert sex.locator("option").all_inner_texts() == ["Female", "Male", "Both sexes or no breakdown by sex"]
    page.locator("#tab-table").click()
    assert "Per 1,000 live births" in page.locator("#data-table tbody").inner_text()
    assert "PER_1000_LIVE_BIRTHS" not in page.locator("main").inner_text()

    page.locator("#tab-map").click()
    page.wait_for_selector("#map .map-holder svg path", timeout=20_000)
    page.wait_for_function("document.querySelectorAll('#map svg path[fill]').length > 5")
    assert page.locator("#map").get_attribute("data-layer") == "regions"
    assert int(page.locator("#map").get_attribute("data-areas")) == 5
    fills = page.eval_on_selector_all(
        "#map svg path", "ps => ps.map(p => p.getAttribute('fill')).filter(f => f && f !== 'none' && f !== '#e5e7eb')"
    )
    assert len(fills) >= 5 and len(set(fills)) >= 2  # five provinces, coloured by value
    assert "Per 1,000 live births" in page.locator("#map svg").text_content()  # the legend's title
    rows = page.locator("#map details tbody tr")
    assert rows.count() == 5
    names = sorted(rows.locator("th").all_text_contents())  # folded: text, not rendered text
    assert names == ["City of Kigali", "Eastern Province", "Northern Province", "Southern Province", "Western Province"]
    # the table's values are the store's latest for each province (both sexes, all ages)
    with Workspace(store, read_only=True) as ws:
        frame = ws.observations("3.2.1", areas=PROVINCES, all_disaggregations=True)
    totals = frame[frame["dims"].str.contains("SEX=_T") & frame["dims"].str.contains("AGE=Y0T4")]
    latest = totals.sort_values("year").groupby("area_name")["value"].last()
    shown = {r.locator("th").text_content(): float(r.locator("td.num").text_content()) for r in rows.all()}
    assert shown == pytest.approx(latest.round(2).to_dict(), abs=0.01)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.locator("#panel-map").screenshot(path=str(SHOTS / "rwanda-provinces-map.png"))
    assert not errors, errors
    page.close()
