"""The kept SDG Index and interlinkages (migration 5): saved by a run, read back as the run returned
them, replaced by the next run, never saved on a read-only store; and the site's pages built from
them (SDG Index dashboard, interlinkages, an indicator's strongest interlinkages), only when kept.

Real data: the published SDR 2023 database (goal scores recomputed from its normalised scores, as
tests/test_index_sdr2023.py does), the UK Open SDG repository (the site's area) and the UN extract."""

from __future__ import annotations

import re

import pytest

from sdgtrack.index import shipped
from sdgtrack.publish.site import Site, SiteOptions
from sdgtrack.workspace import Workspace

from .conftest import FIXTURES, shared_path
from .test_index_sdr2023 import identity_codebook

LINKS = dict(level="series", areas=["GBR", "NPL"], series=["3"], null_permutations=2)


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("kept")
    path = tmp / "store.duckdb"
    with Workspace(path) as ws:
        ws.ingest(shared_path("opensdg", "uk"), skip_invalid=True, rejected_path=tmp / "rejected.csv")
        ws.ingest(shared_path("sdr", "sdr2023.csv"))
        ws.ingest(shared_path("unsd", "sdg_global_2020.csv.gz"))
    return path


def _run_index(ws: Workspace, max_missing: float = 0.3, **kw):
    return ws.index(identity_codebook(ws.store), shipped("sdr2023_regions.csv"), max_missing=max_missing, **kw)


def _same_run(fresh, kept) -> None:
    """The kept Result is the run's: every table, the method, parameters, window and datasets; its
    summary adds when it ran."""
    a, b = fresh.to_json(), kept.to_json()
    for key in ("analysis", "method", "parameters", "data_window", "datasets", "notes", "tables"):
        assert a[key] == b[key], key
    assert list(kept.tables) == list(fresh.tables)
    for name in fresh.tables:
        assert list(kept.tables[name].columns) == list(fresh.tables[name].columns), name
        assert dict(kept.tables[name].dtypes) == dict(fresh.tables[name].dtypes), name
    assert b["summary"] == {**a["summary"], "run at": b["summary"]["run at"]}


def test_index_is_kept_read_back_and_replaced(store):
    with Workspace(store) as ws:
        first = _run_index(ws)
        kept = ws.kept_index()
        assert kept is not None
        _same_run(first, kept)
        assert first.summary["areas with an index"] == 166  # the published SDR 2023 ranking
        # queryable: one row per area and goal
        areas = first.tables["areas"]
        orange_13 = ws.store.con.execute(
            "SELECT count(*) FROM kept_index_goal WHERE goal = 13 AND colour = 'orange'"
        ).fetchone()[0]
        assert orange_13 == int((areas["goal_13_colour"] == "orange").sum()) > 0
        # a second run replaces the first
        second = _run_index(ws, max_missing=0.2)
        kept = ws.kept_index()
        _same_run(second, kept)
        assert kept.parameters["max_missing"] == 0.2
        assert kept.summary["areas with an index"] == second.summary["areas with an index"] < 166
        assert ws.store.con.execute("SELECT count(*) FROM kept_run WHERE analysis = 'index'").fetchone()[0] == 1
        # save=False leaves the kept run alone
        _run_index(ws, max_missing=0.5, save=False)
        assert ws.kept_index().parameters["max_missing"] == 0.2


def test_links_are_kept_at_each_level_and_replaced(store):
    with Workspace(store) as ws:
        for level in ("network", "goal", "series"):
            fresh = ws.links(**{**LINKS, "level": level})
            kept = ws.kept_links()
            assert kept is not None and kept.parameters["level"] == level
            _same_run(fresh, kept)
            pairs = ws.store.con.execute("SELECT count(*) FROM kept_links_pair").fetchone()[0]
            assert pairs == (len(fresh.table) if level == "series" else 0)
        # the series level names indicators' partners; an indicator's own series are left out
        linked = ws.kept_indicator_links("826", 5)
        assert len(linked) and set(linked["area"]) == {"826"} and (linked["indicator"] != linked["other"]).all()
        assert (linked.groupby(["indicator", "class"]).size() <= 5).all()
        table = fresh.table
        strongest = linked.iloc[0]
        row = table[
            (table["area"] == "826")
            & (
                ((table["series_a"] == strongest["series"]) & (table["series_b"] == strongest["other_series"]))
                | ((table["series_b"] == strongest["series"]) & (table["series_a"] == strongest["other_series"]))
            )
        ]
        assert len(row) == 1 and row["rho"].iloc[0] == pytest.approx(strongest["rho"])


def test_read_only_store_keeps_nothing(tmp_path):
    path = tmp_path / "sdr.duckdb"
    with Workspace(path) as ws:
        ws.ingest(shared_path("sdr", "sdr2023.csv"))
    with Workspace(path, read_only=True) as ws:
        result = _run_index(ws)
        assert result.summary["areas with an index"] == 166
        assert ws.kept_index() is None and ws.kept_run("index") is None and ws.kept_links() is None


def _rows(html: str, table_class: str) -> list[str]:
    body = re.search(rf'<table class="{table_class}[^"]*">.*?<tbody>(.*?)</tbody>', html, re.S)
    assert body, table_class
    return re.findall(r"<tr[^>]*>.*?</tr>", body.group(1), re.S)


def test_site_pages_of_the_kept_results(store):
    with Workspace(store) as ws:
        index = _run_index(ws)
        links = ws.links(**LINKS)
    ws = Workspace(store, read_only=True)
    try:
        site = Site(ws, SiteOptions(langs=("en", "fr"), title="UK"))
        files = {f.path: f for f in site.files()}
        for lang in ("en", "fr"):
            assert f"{lang}/sdg-index/index.html" in files and f"{lang}/interlinkages/index.html" in files
        home = files["en/index.html"].render().decode()
        assert 'en/sdg-index/index.html"' in home and 'en/interlinkages/index.html"' in home

        # the dashboard: every area in the Result's order, ranks as computed, the site's area marked
        page = files["en/sdg-index/index.html"].render().decode()
        areas = index.tables["areas"]
        rows = _rows(page, "dashboard")
        assert len(rows) == len(areas)
        for row, (_, expected) in zip(rows[:20], areas.head(20).iterrows()):
            assert re.search(r'<td class="num">(\d+)</td>', row).group(1) == str(int(expected["rank"]))
            assert f">{expected['area_name']}" in row
        uk = areas.set_index("area").loc["826"]
        current = [r for r in rows if 'class="current"' in r]
        assert len(current) == 1 and f'<td class="num">{int(uk["rank"])}</td>' in current[0]
        assert int(uk["rank"]) == 11  # the published SDR 2023 rank of the United Kingdom
        cells = re.findall(r'<td class="dash dash-(\w+)">', current[0])
        assert cells == [uk[f"goal_{g}_colour"] for g in range(1, 18)] and len(set(cells)) > 1
        assert "11 of 166" in page and f"{index.summary['areas with an index']} of {len(areas)} areas" in page

        # interlinkages: counts of the Result, the goal 3 x goal 3 cell of the pooled goal pairs
        page = files["en/interlinkages/index.html"].render().decode()
        assert f'<dd class="links-synergies">{links.summary["synergies"]:,}</dd>' in page
        goals = links.tables["goal_pairs"]
        cell = goals[(goals["area"] == "all") & (goals["goal_a"] == 3) & (goals["goal_b"] == 3)].iloc[0]
        matrix = _rows(page, "heatmap")
        third = re.findall(r'<td class="heat [^"]+">(.*?)</td>', matrix[2], re.S)[2]
        assert third.startswith(f'{round(100 * cell["share_synergy"])}<span aria-hidden="true">/</span>')
        assert f"{int(cell['pairs'])} series pairs" in third
        strongest = _rows(page, "strongest-pairs strongest-synergy")
        assert 0 < len(strongest) <= 15 and "indicators/3-" in strongest[0]

        # an indicator page lists its strongest interlinked indicators, linking to their pages
        linked = ws.kept_indicator_links("826", 5)
        mine = linked[linked["indicator"] == "3.2.1"]
        assert len(mine)
        page = files["en/indicators/3-2-1/index.html"].render().decode()
        other = mine.iloc[0]["other"]
        assert 'id="linked-h"' in page and f'href="../{other.replace(".", "-")}/index.html">{other} ' in page
        assert f"rho {mine.iloc[0]['rho']:.2f}" in page
    finally:
        ws.close()


def test_a_new_run_rewrites_only_the_pages_depending_on_it(store):
    def keys():
        ws = Workspace(store, read_only=True)
        try:
            return {f.path: f.key for f in Site(ws, SiteOptions(langs=("en",))).files()}
        finally:
            ws.close()

    with Workspace(store) as ws:
        _run_index(ws)
        ws.links(**LINKS)
    before = keys()
    with Workspace(store) as ws:
        ws.links(**{**LINKS, "areas": ["GBR"]})
    after = keys()
    changed = {p for p in before if before[p] != after.get(p)}
    assert "en/interlinkages/index.html" in changed and "en/indicators/3-2-1/index.html" in changed
    assert "en/sdg-index/index.html" not in changed and "en/reporting/index.html" not in changed
    assert not any(p.startswith(("en/data/", "assets/indicators/")) for p in changed)


def test_no_pages_when_nothing_is_kept(tmp_path):
    path = tmp_path / "tidy.duckdb"
    with Workspace(path) as ws:
        ws.ingest(FIXTURES / "ingest" / "tidy_good.csv")
    with Workspace(path, read_only=True) as ws:
        assert ws.kept_index() is None and ws.kept_links() is None
        assert ws.kept_indicator_links("1").empty
        files = {f.path: f for f in Site(ws, SiteOptions(langs=("en",))).files()}
        assert not any("sdg-index" in p or "interlinkages" in p for p in files)
        home = files["en/index.html"].render().decode()
        assert "sdg-index" not in home and "interlinkages" not in home
        assert 'id="linked-h"' not in files["en/indicators/3-2-1/index.html"].render().decode()


def test_api_serves_the_kept_runs(tmp_path):
    from fastapi.testclient import TestClient

    from sdgtrack.web.app import create_app

    path = tmp_path / "sdr.duckdb"
    with Workspace(path) as ws:
        ws.ingest(shared_path("sdr", "sdr2023.csv"))
        kept = _run_index(ws)
    client = TestClient(create_app(path))
    doc = client.get("/api/index", params={"limit": 5}).json()
    assert doc["summary"]["areas with an index"] == 166 and "run at" in doc["summary"]
    assert doc["parameters"]["max_missing"] == 0.3
    assert [r["area"] for r in doc["tables"]["areas"]] == kept.tables["areas"]["area"].head(5).tolist()
    # a parameter asks for a fresh run (the shipped SDR 2024 codebook, which these data do not fit)
    assert client.get("/api/index", params={"year": 2023}).status_code == 400
    # no kept interlinkages: a fresh run answers, and the API keeps nothing
    assert client.get("/api/interlinkages", params={"level": "goal", "area": "FIN"}).status_code == 200
    owner = client.app.state.owner
    assert owner.workspace.kept_run("links") is None
    assert owner.workspace.kept_index().parameters["max_missing"] == 0.3


def test_no_interlinkages_page_for_a_run_that_tested_no_pair(tmp_path):
    """A kept run with nothing tested (here one series: no pair) would be a page of zeros: none, and no
    link to it, as for no run at all; the index of numbers shows 0 as 0, not 0.000."""
    path = tmp_path / "tidy.duckdb"
    with Workspace(path) as ws:
        ws.ingest(FIXTURES / "ingest" / "tidy_good.csv")
        assert ws.links().summary["tests"] == 0
    with Workspace(path, read_only=True) as ws:
        assert ws.kept_links() is not None and ws.kept_links_tested() == 0
        files = {f.path: f for f in Site(ws, SiteOptions(langs=("en",))).files()}
        assert not any("interlinkages" in p for p in files)
        assert "interlinkages" not in files["en/index.html"].render().decode()
    from sdgtrack.publish.pages.common import format_number

    assert (format_number(0), format_number(0.0), format_number(0.25), format_number(1234.0)) == (
        "0",
        "0",
        "0.250",
        "1,234",
    )
