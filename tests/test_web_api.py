"""The read API: paging, filters, CSV, errors, no NaN and no server paths, on a small store and on
the real UN extract."""

from __future__ import annotations

import csv
import io
import json
import math
import unicodedata

import pytest
from fastapi.testclient import TestClient

from sdgtrack.web.app import create_app

from .conftest import shared_path
from .web_fixtures import small_store


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    path = small_store(tmp_path_factory.mktemp("api") / "s.duckdb")
    return TestClient(create_app(path))


def _no_nan(text: str) -> None:
    json.loads(text, parse_constant=lambda c: pytest.fail(f"{c} in JSON"))


def test_framework_levels_languages_and_paging(client):
    goals = client.get("/api/framework", params={"level": "goal", "lang": "fr"})
    assert goals.status_code == 200
    body = goals.json()
    assert body["total"] == 17 and body["next"] is None
    assert (
        unicodedata.normalize("NFC", body["items"][0]["title"]).startswith("Éliminer la pauvreté")
        and body["items"][0]["title_lang"] == "fr"
    )
    _no_nan(goals.text)
    page = client.get("/api/framework", params={"limit": 5, "offset": 5}).json()
    assert page["offset"] == 5 and len(page["items"]) == 5 and page["total"] > 200
    assert page["next"].startswith("/api/framework?")  # relative: right for every Host name
    following = client.get(page["next"]).json()
    assert following["offset"] == 10 and following["items"][0]["code"] != page["items"][0]["code"]
    bad = client.get("/api/framework", params={"level": "bogus"})
    assert bad.status_code == 400 and bad.json()["detail"] == "level 'bogus': expected goal, target or indicator"
    assert client.get("/api/framework", params={"framework": "nope"}).status_code == 400
    assert "u4ssc" in client.get("/api/framework", params={"framework": "nope"}).json()["detail"]
    assert client.get("/api/framework", params={"lang": "de"}).status_code == 400
    u4ssc = client.get("/api/framework", params={"framework": "u4ssc", "limit": 1}).json()
    assert u4ssc["total"] > 90
    assert client.get("/api/framework", params={"limit": 0}).status_code == 422


def test_framework_node(client):
    node = client.get("/api/framework/3.2.1").json()
    assert node["parent"] == "3.2" and [a["code"] for a in node["ancestors"]] == ["3.2", "3"]
    assert {s["code"]: s["observations"] for s in node["series"]}["SH_DYN_MORT"] == 4 * 18 * 2
    assert {t["lang"] for t in node["translations"]} >= {"en", "fr", "zh-Hans"}
    missing = client.get("/api/framework/42.1")
    assert missing.status_code == 404 and "unknown code '42.1'" in missing.json()["detail"]
    kpi = client.get("/api/framework/EC.ICT.ICT.1C").json()
    assert kpi["framework"] == "u4ssc" and any(link["framework"] == "sdg" for link in kpi["links"])


def test_observations_filters_and_paging(client):
    r = client.get(
        "/api/observations",
        params={"code": "3.2.1", "area": ["afg", "AFG", "Afghanistan", "004"], "from": 2010, "to": 2012},
    )
    body = r.json()
    # four spellings of one area: repeats of the same text are dropped, the rest resolve to one area
    assert body["total"] == 3 * 2 and {i["area"] for i in body["items"]} == {"4"}
    assert {i["year"] for i in body["items"]} == {2010, 2011, 2012}
    assert all("source_file" not in i for i in body["items"])
    female = client.get("/api/observations", params={"code": "SH_DYN_MORT", "area": "NOR", "dims": "Sex=FEMALE"}).json()
    assert female["total"] == 18 and all(i["dims"] == "Sex=FEMALE" for i in female["items"])
    every = client.get(
        "/api/observations", params={"code": "SH_DYN_MORT", "area": "NOR", "all_disaggregations": True}
    ).json()
    assert every["total"] == 36
    big = client.get("/api/observations", params={"code": "3", "limit": 50}, headers={"Accept-Encoding": "gzip"})
    assert big.headers["content-encoding"] == "gzip" and big.headers["vary"] == "Accept-Encoding"
    paged = big.json()
    assert paged["total"] == 4 * 18 * 2 and len(paged["items"]) == 50 and "offset=50" in paged["next"]
    assert client.get("/api/observations", params={"code": "3", "dataset": "nope"}).status_code == 400
    assert client.get("/api/observations", params={"code": "3", "dataset": "small"}).json()["total"] == 144
    unknown = client.get("/api/observations", params={"code": "3.2.1", "area": "Atlantis"})
    assert unknown.status_code == 400 and "Atlantis" in unknown.json()["detail"]
    assert client.get("/api/observations", params={"code": "NOPE"}).status_code == 400
    assert client.get("/api/observations", params={"code": "3", "from": 2015, "to": 2010}).status_code == 400
    assert client.get("/api/observations", params={"code": "3", "dims": "Sex"}).status_code == 400
    assert client.get("/api/observations").status_code == 422  # code is required


def test_csv_by_parameter_and_by_accept(client):
    params = {"code": "SH_DYN_MORT", "area": "NOR", "from": 2020}
    by_param = client.get("/api/observations", params={**params, "format": "csv"})
    by_accept = client.get("/api/observations", params=params, headers={"Accept": "text/csv"})
    assert by_param.headers["content-type"].startswith("text/csv") and by_param.text == by_accept.text
    rows = list(csv.DictReader(io.StringIO(by_param.text)))
    assert [(r["year"], r["value"]) for r in rows] == [("2020", "2.53"), ("2021", "2.46"), ("2022", "2.38")]
    contributions = client.get("/api/contributions", params={"format": "csv", "limit": 2}).text
    assert contributions.splitlines()[0].startswith("id,entity,year,kind,name,sdgs")


def test_areas_and_datasets_show_no_server_paths(client, tmp_path):
    areas = client.get("/api/areas", params={"group": "LDC"}).json()
    assert areas["total"] > 40 and "Afghanistan" in {a["name"] for a in areas["items"]}
    assert client.get("/api/areas/NOR").json()["code"] == "578"
    assert client.get("/api/areas/Atlantis").status_code == 404
    listing = client.get("/api/datasets")
    assert [d["id"] for d in listing.json()["items"]] == ["small"]
    detail = client.get("/api/datasets/small")
    assert detail.status_code == 200
    assert detail.json()["loads"][0]["files"] == ["small.csv"]
    for text in (listing.text, detail.text):
        assert str(tmp_path.anchor + "tmp") not in text and "/pytest-" not in text and "source_path" not in text
    assert client.get("/api/datasets/nope").status_code == 404


def test_progress_is_the_kept_assessment(client):
    series = client.get("/api/progress", params={"area": "NOR"}).json()
    assert series["analysis"] == "progress" and series["table"] == "series"
    assert series["total"] >= 1 and {r["area"] for r in series["tables"]["series"]} == {"578"}
    _no_nan(client.get("/api/progress").text)
    goals = client.get("/api/progress", params={"level": "goal"}).json()
    assert goals["parameters"]["level"] == "goal" and goals["total"] >= 1
    bad = client.get("/api/progress", params={"level": "planet"})
    assert bad.status_code == 400 and "series, indicator, target or goal" in bad.json()["detail"]


def test_contributions_search(client):
    everything = client.get("/api/contributions").json()
    assert everything["total"] > 5
    word = everything["items"][0]["name"].split()[0]
    found = client.get("/api/contributions", params={"q": word}).json()
    assert 1 <= found["total"] <= everything["total"]
    assert all(word.lower() in (i["name"] + " " + (i["description"] or "")).lower() for i in found["items"])
    goal = client.get("/api/contributions", params={"sdg": 5}).json()
    assert all(5 in i["sdgs"] for i in goal["items"])
    assert client.get("/api/contributions", params={"kind": "party"}).status_code == 400


def test_interlinkages_and_index_answer_or_say_why(client):
    links = client.get("/api/interlinkages", params={"level": "series", "min_years": 5})
    assert links.status_code == 200 and links.json()["analysis"] == "links"
    _no_nan(links.text)
    assert client.get("/api/interlinkages", params={"transform": "cube"}).status_code == 400
    index = client.get("/api/index")  # no SDR data in this store: one message, not a 500
    assert index.status_code in (200, 400)


def test_answers_are_cached_per_store_state_with_an_etag(client):
    first = client.get("/api/observations", params={"code": "SH_DYN_MORT", "area": "NOR"})
    again = client.get(
        "/api/observations",
        params={"code": "SH_DYN_MORT", "area": "NOR"},
        headers={"If-None-Match": first.headers["etag"]},
    )
    assert again.status_code == 304
    owner = client.app.state.owner
    with owner.writing() as ws:
        ws.add_area("NO-XX", "Testby", parent="Norway", kind="city")
    changed = client.get(
        "/api/observations",
        params={"code": "SH_DYN_MORT", "area": "NOR"},
        headers={"If-None-Match": first.headers["etag"]},
    )
    assert changed.status_code == 200 and changed.headers["etag"] != first.headers["etag"]
    assert client.get("/api/areas/Testby").json()["code"] == "NO-XX"


def test_the_un_extract(tmp_path_factory):
    src = shared_path("unsd", "sdg_global_2020.csv.gz")
    path = tmp_path_factory.mktemp("un-web") / "un.duckdb"
    from sdgtrack.workspace import Workspace

    with Workspace(path) as ws:
        ws.ingest(src)
    client = TestClient(create_app(path))
    afg = client.get("/api/data/3.2.1", params={"area": "AFG"}).json()
    assert afg["total"] > 20 and {i["series"] for i in afg["items"]} >= {"SH_DYN_MORT"}
    assert all(i["dataset"] == "unsd" and i["area_name"] == "Afghanistan" for i in afg["items"])
    nodes = client.get("/api/framework", params={"limit": 10_000})
    assert nodes.status_code == 200 and nodes.json()["total"] > 400
    _no_nan(nodes.text)
    unsd = client.get("/api/datasets/unsd").json()
    assert unsd["observations"] > 1_000_000 and unsd["loads"][0]["files"] == ["sdg_global_2020.csv.gz"]
    assert "/work/" not in json.dumps(unsd) and "/shared/" not in json.dumps(unsd)
    # every observation row of one indicator is JSON-clean (NaN values are null)
    rows = client.get("/api/observations", params={"code": "1", "all_disaggregations": True, "limit": 10_000}).json()
    assert all(i["value"] is None or math.isfinite(i["value"]) for i in rows["items"])
