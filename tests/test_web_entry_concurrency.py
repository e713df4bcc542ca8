"""50 authenticated submissions of different records at once through the API, while 50 clients
read, against one served app and one Workspace: every submission stored, no 5xx, the store
consistent; then 50 approvals at once publish every record into the registry exactly once."""

from __future__ import annotations

import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from .web_entry_app import build

WRITERS = READERS = 50


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    import uvicorn

    entry = build(tmp_path_factory.mktemp("concurrency") / "c.duckdb")
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


def _run_at_once(jobs):
    """Start every job together (a barrier) and collect (job kind, status codes) of each."""
    barrier = threading.Barrier(len(jobs))

    def run(job):
        barrier.wait()
        return job()

    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        return list(pool.map(run, jobs))


def _reader(base, entry, i):
    def job():
        with httpx.Client(base_url=base, timeout=60) as client:
            codes = []
            for _ in range(4):
                codes.append(client.get("/history/SH_DYN_MORT", params={"area": "RWA"}).status_code)
                codes.append(client.get("/api/requests", headers=entry.api("rev")).status_code)
            return ("read", codes)

    return job


def test_50_submissions_while_50_clients_read(served):
    entry, base = served
    before = {r["id"] for r in entry.ws.review.list(entry.user("admin"))}

    def writer(i):
        who = "ed_a" if i % 2 else "ed_b"

        def job():
            with httpx.Client(base_url=base, timeout=60) as client:
                made = client.post(
                    "/api/requests/records",
                    headers=entry.api(who),
                    json={
                        "kind": "event",
                        "year": 2024,
                        "fields": {
                            "name": f"Concurrent forum {i}",
                            "description": f"Record number {i} of the test",
                            "sdgs": f"SDG {i % 17 + 1}",
                        },
                    },
                )
                if made.status_code != 201:
                    return ("write", [made.status_code])
                sent = client.post(f"/api/requests/{made.json()['id']}/submit", headers=entry.api(who))
                return ("write", [made.status_code, sent.status_code])

        return job

    results = _run_at_once([writer(i) for i in range(WRITERS)] + [_reader(base, entry, i) for i in range(READERS)])
    codes = [c for _, cs in results for c in cs]
    assert not [c for c in codes if c >= 500]
    assert all(cs == [201, 200] for kind, cs in results if kind == "write"), results
    assert all(set(cs) == {200} for kind, cs in results if kind == "read")

    made = [r for r in entry.ws.review.list(entry.user("admin")) if r["id"] not in before]
    assert len(made) == WRITERS and len({r["id"] for r in made}) == WRITERS
    assert sorted(r["title"] for r in made) == sorted(f"Concurrent forum {i}" for i in range(WRITERS))
    assert {r["state"] for r in made} == {"submitted"}
    assert {r["entity"] for r in made if r["title"].endswith(("1", "3", "5", "7", "9"))} == {"A"}
    for action in ("request.create", "request.submit"):
        logged = entry.ws.audit(action=action)
        assert len(set(logged["object"]) & {f"request:{r['id']}" for r in made}) == WRITERS
    assert entry.ws.audit()["id"].is_unique

    # 50 approvals at once (and the readers again): each record published once
    def approver(request_id):
        def job():
            with httpx.Client(base_url=base, timeout=120) as client:
                return (
                    "approve",
                    [client.post(f"/api/requests/{request_id}/approve", headers=entry.api("rev")).status_code],
                )

        return job

    results = _run_at_once([approver(r["id"]) for r in made] + [_reader(base, entry, i) for i in range(READERS)])
    assert not [c for _, cs in results for c in cs if c >= 500]
    assert all(cs == [200] for kind, cs in results if kind == "approve"), results
    records = entry.ws.contributions.records(year=2024)
    assert sorted(records["name"]) == sorted(f"Concurrent forum {i}" for i in range(WRITERS))
    assert set(records["entity"]) == {"A", "B"} and set(records["status"]) == {"published"}
