"""The reporting status is each indicator's own ``reporting_status`` (its metadata), counted once for
``stats/reporting.json`` and the reporting page, as sdg-build counts it (issue 20): the UK marks 3.b.3
not started although it has data."""

from __future__ import annotations

import json
import re

import pytest

import sdgtrack
from sdgtrack.publish.site import Site, SiteOptions

from .conftest import shared_path


@pytest.fixture(scope="module")
def uk(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("reporting")
    ws = sdgtrack.open(tmp / "store.duckdb")
    ws.ingest(shared_path("opensdg", "uk"), skip_invalid=True, rejected_path=tmp / "rejected.csv")
    yield Site(ws, SiteOptions(langs=("en",)))
    ws.close()


def _cells(page: str, goal: int) -> list[int]:
    row = re.search(rf'<a href="../goals/{goal}/index.html">[^<]*</a></th>(.*?)</tr>', page, re.S)
    assert row, goal
    return [int(n) for n in re.findall(r'<td class="num">(\d+)</td>', row.group(1))]


def test_uk_reporting_counts_each_indicators_own_status(uk):
    stats = json.loads(uk.file("en/stats/reporting.json").render())
    assert "3.b.3" in uk.indicators()  # it has data ...
    meta = json.loads(uk.file("en/meta/3-b-3.json").render())
    assert meta["reporting_status"] == "notstarted"  # ... and the UK says not started
    order = [s["value"] for s in stats["statuses"]]
    assert set(order) <= {"complete", "inprogress", "notstarted"} and "notstarted" in order
    goal3 = next(g for g in stats["goals"] if g["goal"] == 3)
    counts = {s["status"]: s["count"] for s in goal3["statuses"]}
    assert counts["notstarted"] >= 1
    page = uk.file("en/reporting/index.html").render().decode("utf-8")
    for goal in stats["goals"]:
        cells = _cells(page, goal["goal"])  # total, with data, one per status, disaggregated
        assert cells[2 : 2 + len(order)] == [
            {s["status"]: s["count"] for s in goal["statuses"]}[status] for status in order
        ], goal["goal"]
    assert "Exploring data sources" in page  # notstarted in words
