"""The observation route answered from series blocks (web/blocks.py) gives the bytes the store read
gives, on a small store with two datasets and on the UN extract; blocks follow writes; hostile
parameters get one 4xx."""

from __future__ import annotations

import json
import random

import pytest
from fastapi.testclient import TestClient

from sdgtrack.web.app import create_app
from sdgtrack.web.blocks import Block, SeriesBlocks

from .conftest import shared_path
from .web_fixtures import small_store


def _bodies(client: TestClient, paths: list[str], blocks: bool) -> list[tuple[int, bytes]]:
    """Each path's status and body, answered with the series blocks or by the store read (a new
    store state first, so no answer comes from the answer cache)."""
    owner = client.app.state.owner
    owner.block_bytes = 128 * 1024 * 1024 if blocks else 0
    owner.changed()
    out = []
    for path in paths:
        response = client.get(path)
        out.append((response.status_code, response.content))
    return out


def _same(client: TestClient, paths: list[str]) -> None:
    read = _bodies(client, paths, blocks=False)
    kept = _bodies(client, paths, blocks=True)
    for path, (status_a, body_a), (status_b, body_b) in zip(paths, read, kept):
        assert (status_a, body_a) == (status_b, body_b), path
    assert len(client.app.state.owner._blocks) > 0  # the blocks did answer


@pytest.fixture(scope="module")
def two_datasets(tmp_path_factory):
    path = small_store(tmp_path_factory.mktemp("reads") / "s.duckdb")
    national = path.with_name("national.csv")
    lines = ["series,area,year,value,unit,footnote"]
    lines += [
        f'SH_DYN_MORT,NOR,{y},{3 + y / 1000:.3f},PER_1000_LIVE_BIRTHS,"national, ""revised"" é"' for y in (2010, 2021)
    ]
    lines += [f"NO_SERIES,NOR,{y},{y / 7},PERCENT," for y in range(2015, 2020)]
    national.write_text("\n".join(lines) + "\n", encoding="utf-8")
    from sdgtrack.workspace import Workspace

    with Workspace(path) as ws:
        ws.ingest(national, dataset="national")
    return TestClient(create_app(path))


def test_blocks_answer_as_the_store_read_on_a_small_store(two_datasets):
    paths = []
    for code in ("SH_DYN_MORT", "3.2.1", "3.2", "3", "NO_SERIES", "1.1.1"):
        for query in (
            "",
            "?area=NOR",
            "?area=Norway&area=AFG",
            "?area=afg&area=AFG&area=Afghanistan",
            "?area=NPL&from=2010&to=2015",
            "?from=2020",
            "?to=2006&limit=3",
            "?limit=5&offset=5",
            "?limit=2&offset=1000",
            "?area=NOR&dataset=small",
            "?area=NOR&dataset=national&dataset=small",
            "?area=NOR&dataset=small&dataset=national",
            "?area=World&limit=1",
            "?area=Kenya",
        ):
            paths.append(f"/api/data/{code}{query}")
            paths.append(f"/api/observations?code={code}{query.replace('?', '&')}")
    paths += ["/api/observations?code=SH_DYN_IMRT&code=SH_DYN_MORT&area=NOR&area=AFG&limit=7&offset=3"]
    _same(two_datasets, paths)
    # the national figures are preferred for Norway, the small dataset's elsewhere
    nor = json.loads(two_datasets.get("/api/data/SH_DYN_MORT?area=NOR").content)
    assert {i["dataset"] for i in nor["items"]} == {"national"} and nor["total"] == 2
    assert "revised" in nor["items"][0]["footnote"]


def test_blocks_are_not_used_where_they_cannot_answer(two_datasets):
    """CSV, disaggregations, dims and as-of are read from the store (and still right)."""
    client = two_datasets
    _bodies(client, [], blocks=True)
    csv = client.get("/api/data/SH_DYN_MORT?area=AFG&format=csv")
    assert csv.status_code == 200 and csv.text.startswith("dataset,series,area")
    every = client.get("/api/data/SH_DYN_MORT?area=AFG&all_disaggregations=true").json()
    assert every["total"] == 2 * 18
    female = client.get("/api/observations?code=SH_DYN_MORT&area=AFG&dims=Sex=FEMALE").json()
    assert female["total"] == 18 and all(i["dims"] == "Sex=FEMALE" for i in female["items"])
    assert len(client.app.state.owner._blocks) == 0


def test_a_write_retires_the_blocks(tmp_path):
    path = small_store(tmp_path / "s.duckdb")
    client = TestClient(create_app(path))
    owner = client.app.state.owner
    before = client.get("/api/data/SH_DYN_MORT?area=NOR").json()
    kept = owner._blocks
    assert len(kept) == 1 and before["total"] == 18
    extra = tmp_path / "more.csv"
    extra.write_text("series,area,year,value\nSH_DYN_MORT,NOR,2030,1.5\n", encoding="utf-8")
    with owner.writing() as ws:
        ws.ingest(extra, dataset="more")
    assert len(kept) == 0  # retired: nothing answered from it again
    after = client.get("/api/data/SH_DYN_MORT?area=NOR&limit=1000").json()
    with owner.workspace.cursor() as ws:
        read = ws.observations("SH_DYN_MORT", areas=["NOR"])
    assert after["total"] == len(read) and [i["year"] for i in after["items"]] == read["year"].tolist()
    assert 2030 in read["year"].tolist() or set(read["dataset"]) == {"small"}


def test_the_bound_in_bytes(tmp_path):
    path = small_store(tmp_path / "s.duckdb")
    client = TestClient(create_app(path))
    owner = client.app.state.owner
    with owner.workspace.cursor() as ws:
        one = Block(ws.headline_runs("SH_DYN_MORT"))
    assert one.size > 0 and len(one.areas) == 4 and len(one.rows) == 4 * 18
    blocks = SeriesBlocks("s", max_bytes=one.size * 8 * 2)  # room for two blocks of this size
    with owner.workspace.cursor() as ws:
        for series in ("SH_DYN_MORT", "SH_DYN_IMRT", "SH_DYN_MORT", "SH_DYN_IMRT"):
            assert blocks.get(series, lambda s=series: ws.headline_runs(s)) is not None
        assert len(blocks) == 2 and blocks.size <= blocks.max_bytes
        small = SeriesBlocks("s", max_bytes=one.size * 4)  # a block over an eighth is not kept
        assert small.get("SH_DYN_MORT", lambda: ws.headline_runs("SH_DYN_MORT")) is not None
        assert small.get("SH_DYN_MORT", lambda: pytest.fail("built again")) is None
        assert len(small) == 0 and small.size == 0


def test_hostile_parameters_get_one_clear_4xx(two_datasets):
    client = two_datasets
    _bodies(client, [], blocks=True)
    many = "&".join(f"area=A{i}" for i in range(51))
    cases = {
        f"/api/data/3.2.1?{many}": (400, "at most 50"),
        "/api/data/9.9.9.9?area=NOR": (404, "unknown code"),
        "/api/data/3.2.1?area=Atlantis": (400, "Atlantis"),
        "/api/data/3.2.1?area=NOR&dataset=nope": (400, "unknown dataset nope"),
        "/api/data/3.2.1?area=NOR&limit=0": (422, "limit"),
        "/api/data/3.2.1?area=NOR&limit=10001": (422, "limit"),
        "/api/data/3.2.1?area=NOR&offset=-1": (422, "offset"),
        "/api/data/3.2.1?area=NOR&offset=99999999999": (422, "offset"),
        "/api/data/3.2.1?area=NOR&from=2020&to=2010": (400, "after"),
        "/api/data/3.2.1?area=NOR&from=abc": (422, "from"),
        "/api/observations?code=3.2.1&area=%00": (400, ""),
    }
    for path, (status, words) in cases.items():
        response = client.get(path)
        assert response.status_code == status, (path, response.text)
        assert words in response.json()["detail"], (path, response.text)
    long_name = client.get("/api/data/3.2.1", params={"area": "x" * 5000})
    assert long_name.status_code == 400
    many_codes = client.get("/api/observations", params={"code": ["3.2.1"] * 21})
    assert many_codes.status_code == 422
    assert len(client.app.state.owner._blocks) <= 2  # no error kept a block


def test_blocks_answer_as_the_store_read_on_the_un_extract(tmp_path_factory):
    src = shared_path("unsd", "sdg_global_2020.csv.gz")
    path = tmp_path_factory.mktemp("un-reads") / "un.duckdb"
    from sdgtrack.workspace import Workspace

    with Workspace(path) as ws:
        ws.ingest(src)
        indicators = ws.store.sql(
            "SELECT DISTINCT indicator FROM series_indicator JOIN observation o ON o.series = series_indicator.series"
        )["indicator"].tolist()
        countries = ws.areas(kind="country")["iso3"].dropna().tolist()
    pick = random.Random(23)
    codes = sorted(pick.sample(sorted(indicators), 24)) + ["3.2", "SH_DYN_MORT", "EN_ATM_CO2"]
    paths = []
    for code in codes:
        areas = pick.sample(countries, 3)
        paths += [
            f"/api/data/{code}?area={areas[0]}",
            f"/api/data/{code}?area={areas[1]}&area={areas[2]}&from=2010",
            f"/api/data/{code}?area={areas[0]}&limit=3&offset=2",
        ]
    paths += ["/api/data/3.2.1?limit=50&offset=100", "/api/data/SH_DYN_MORT?from=2015&to=2016&limit=500"]
    client = TestClient(create_app(path))
    _same(client, paths)
    assert sum(b'"total":0' not in body for _, body in _bodies(client, paths, blocks=True)) > len(paths) / 2


def test_the_memory_lane_answers_only_what_it_is_sure_of(two_datasets):
    """On the event loop, before routing: the route's bytes where everything is kept; None (the
    route answers) for anything else."""
    from starlette.datastructures import QueryParams

    from sdgtrack.web.api import data_from_memory

    client = two_datasets
    owner = client.app.state.owner
    _bodies(client, [], blocks=True)
    state = owner.fingerprint()

    def lane(path: str, query: str) -> bytes | None:
        scope = {"type": "http", "method": "GET", "path": path, "query_string": query.encode(), "headers": []}
        scope |= {"scheme": "http", "server": ("testserver", 80), "root_path": ""}
        return data_from_memory(owner, state, scope, QueryParams(query))

    assert lane("/api/data/3.2.1", "area=NOR") is None  # nothing kept yet
    warm = client.get("/api/data/3.2.1?area=NOR&area=AFG&nocache=1").content  # the route keeps it
    for query in ("area=NOR&area=AFG&nocache=1", "area=AFG&area=NOR&limit=3&offset=1&from=2010&x=y"):
        made = lane("/api/data/3.2.1", query)
        owner.block_bytes, kept = 0, owner.block_bytes  # the store read, for comparison
        owner.changed()
        read = client.get(f"/api/data/3.2.1?{query}").content
        owner.block_bytes = kept
        owner.changed()
        client.get("/api/data/3.2.1?area=NOR&area=AFG&nocache=1")
        state = owner.fingerprint()
        assert made == read and made is not None, query
    assert warm == read or b'"total"' in warm
    for query in (
        "area=NOR&format=csv",
        "area=NOR&all_disaggregations=true",
        "area=NOR&limit=010",
        "area=NOR&limit=5&limit=6",
        "area=NOR&limit=0",
        "area=NOR&offset=-1",
        "area=NOR&from=2020&to=2010",
        "area=NOR&from=1800",
        "area=Atlantis",
        "area=NOR&dataset=nope",
        "",  # every area: left to the route (a long answer is not made on the event loop)
        "&".join(f"area=A{i}" for i in range(51)),
    ):
        assert lane("/api/data/3.2.1", query) is None, query
    assert lane("/api/data/NOPE", "area=NOR") is None and lane("/api/data/", "area=NOR") is None
    # what the lane answers is served, with the route's headers, and gzip when asked for
    plain = client.get("/api/data/3.2.1?area=NOR&area=AFG&limit=9&z=1")
    zipped = client.get("/api/data/3.2.1?area=NOR&area=AFG&limit=9&z=1", headers={"Accept-Encoding": "gzip"})
    assert plain.headers["content-type"] == "application/json" and plain.headers["etag"] == zipped.headers["etag"]
    assert zipped.headers.get("content-encoding") == "gzip" and zipped.content == plain.content
