"""Benchmark: the live app's write path under concurrency, against reads in the same run.

    python bench/web_entry.py [--clients 50] [--rounds 4]

Serves a minimal app (FastAPI + one Workspace + ``mount_entry``) on loopback with uvicorn and
prints JSON with requests per second and p50/p99 latency (ms) for:
- ``one_client``: each kind of request from one client alone (no waiting), the unit cost;
- ``read_only``: ``--clients`` clients reading at once (``GET /api/requests`` as a reviewer and the
  public ``GET /history/SH_DYN_MORT?area=RWA``), the baseline;
- ``submit``: ``--clients`` clients each creating and submitting ``--rounds`` questionnaire records
  through the API (two writes per record) while as many clients read;
- ``upload``: the same with a small data upload (checked and previewed through the ingest's dry
  run) instead of a record;
- ``approve``: a reviewer's clients publishing every uploaded request at once (each a real ingest).
Writes share one lock on the store's connection, so their throughput is that of one writer.
"""
from __future__ import annotations

import argparse
import json
import socket
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import uvicorn

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.web_entry_app import build  # noqa: E402


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _timed(client: httpx.Client, method: str, url: str, **kwargs) -> tuple[float, int, httpx.Response]:
    start = time.perf_counter()
    answer = client.request(method, url, **kwargs)
    return time.perf_counter() - start, answer.status_code, answer


def _summary(times: list[float], codes: list[int], wall: float) -> dict:
    ordered = sorted(times)
    return {"requests": len(times), "per_second": round(len(times) / wall, 1),
            "p50_ms": round(1000 * statistics.median(ordered), 1),
            "p99_ms": round(1000 * ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))], 1),
            "errors_5xx": sum(c >= 500 for c in codes), "other_failures": sum(400 <= c < 500 for c in codes)}


def _run(jobs) -> tuple[list, float]:
    barrier = threading.Barrier(len(jobs))
    start = [0.0]

    def run(job):
        if barrier.wait() == 0:
            start[0] = time.perf_counter()
        return job()

    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        results = list(pool.map(run, jobs))
    return results, time.perf_counter() - start[0]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=4)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp())
    entry = build(tmp / "bench.duckdb")
    port = _port()
    server = uvicorn.Server(uvicorn.Config(entry.app, host="127.0.0.1", port=port, log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    base = f"http://127.0.0.1:{port}"

    def reader(kind_times):
        def job():
            out = []
            with httpx.Client(base_url=base, timeout=300) as c:
                for _ in range(args.rounds):
                    for url, headers in (("/api/requests", entry.api("rev")),
                                         ("/history/SH_DYN_MORT?area=RWA", {})):
                        t, code, _ = _timed(c, "GET", url, headers=headers)
                        out.append(("read", t, code))
            return out
        return job

    def writer(i, kind):
        who = "ed_a" if i % 2 else "ed_b"

        def job():
            out = []
            with httpx.Client(base_url=base, timeout=300) as c:
                for r in range(args.rounds):
                    if kind == "submit":
                        t, code, answer = _timed(c, "POST", "/api/requests/records", headers=entry.api(who), json={
                            "kind": "event", "year": 2024, "fields": {"name": f"Bench forum {i}-{r}", "sdgs": "SDG 4"}})
                    else:
                        area = "RWA" if who == "ed_a" else "KEN"
                        rows = f"series,area,year,value\nSH_DYN_MORT,{area},{1990 + r},{i + r / 10}\n".encode()
                        t, code, answer = _timed(c, "POST", "/api/requests/data", headers=entry.api(who),
                                                 data={"dataset": f"ds-{'a' if who == 'ed_a' else 'b'}"},
                                                 files={"file": (f"b{i}-{r}.csv", rows, "text/csv")})
                    out.append((kind, t, code))
                    if code == 201:
                        t, code, _ = _timed(c, "POST", f"/api/requests/{answer.json()['id']}/submit",
                                            headers=entry.api(who))
                        out.append((kind, t, code))
            return out
        return job

    figures = {"clients": args.clients, "rounds": args.rounds}
    # one client alone first: the cost of each kind of request without waiting for others
    alone = {}
    for name, job in (("read", reader(None)), ("submit", writer(0, "submit")), ("upload", writer(1, "upload"))):
        start = time.perf_counter()
        done = job()
        alone[name] = _summary([t for _, t, _ in done], [c for _, _, c in done], time.perf_counter() - start)
    figures["one_client"] = {k: {"p50_ms": v["p50_ms"], "per_second": v["per_second"]} for k, v in alone.items()}
    results, wall = _run([reader(None) for _ in range(args.clients)])
    flat = [x for r in results for x in r]
    figures["read_only"] = _summary([t for _, t, _ in flat], [c for _, _, c in flat], wall)
    for kind in ("submit", "upload"):
        results, wall = _run([writer(i, kind) for i in range(args.clients)] + [reader(None) for _ in range(args.clients)])
        flat = [x for r in results for x in r]
        for part in (kind, "read"):
            figures[f"{kind}_{'writes' if part == kind else 'reads_meanwhile'}"] = _summary(
                [t for k, t, _ in flat if k == part], [c for k, _, c in flat if k == part], wall)
    waiting = [r["id"] for r in entry.ws.review.list(entry.user("rev"), states=["submitted"], kind="data")]

    def approver(ids):
        def job():
            out = []
            with httpx.Client(base_url=base, timeout=600) as c:
                for request_id in ids:
                    t, code, _ = _timed(c, "POST", f"/api/requests/{request_id}/approve", headers=entry.api("rev"))
                    out.append(("approve", t, code))
            return out
        return job

    chunks = [waiting[i::args.clients] for i in range(args.clients)]
    results, wall = _run([approver(ids) for ids in chunks if ids])
    flat = [x for r in results for x in r]
    figures["approve"] = _summary([t for _, t, _ in flat], [c for _, _, c in flat], wall)
    figures["submit_vs_read_p50"] = round(figures["submit_writes"]["p50_ms"] / figures["read_only"]["p50_ms"], 2)
    server.should_exit = True
    print(json.dumps(figures, indent=1))


if __name__ == "__main__":
    main()
