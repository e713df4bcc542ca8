"""Benchmark: the live server under 50 concurrent clients on loopback, against a baseline in the same run.

    python bench/web_load.py [--db un.duckdb] [--clients 50] [--seconds 8] [--page PATH]

Loads the 2020 UN Global Database extract (``../shared/data/unsd/sdg_global_2020.csv.gz``) into
``--db`` unless it already holds it, starts the server in a subprocess (uvicorn, as ``sdgtrack serve``
does, plus one extra site producer of fixed bytes for the baseline), and drives it with ``--clients``
keep-alive HTTP/1.1 connections from one asyncio client in this process (a closed loop: each
client sends its next request when the last answer is in; it accepts gzip, as browsers do). For each target it prints requests/s,
p50 and p99 latency (ms), and the first (uncached) request's time:

- ``api``: ``/api/data/3.2.1?area=AFG`` (one indicator's observations of one area, JSON);
- ``api_uncached``: ``/api/data/CODE?area=A`` over 16 indicators x up to 223 countries (:func:`mix`,
  as ``bench/web_wrk.py``), each request with a parameter the route ignores (``nocache=N``, N
  counting up), so every request misses the answer cache and reads (a different ``offset`` each
  time, as before, gave mostly empty pages past the last row);
- ``home``: ``--home`` (default ``/en/``, the site's English home page);
- ``page``: an indicator page (``--page``, default ``/en/indicators/3-2-1/``);
- ``baseline_api`` / ``baseline_home`` / ``baseline_page``: a fixed file of the same size as the api
  answer / the home page / the indicator page as sent, served by the same server through the same
  site route (what the server costs for bytes it already has).

``first_request_ms`` is each target's first request on a fresh server: for pages it includes listing
the site's files for the store state (once per state) and rendering the page (once per key).

Output: one JSON document. No figure is asserted anywhere; compare with the baseline of the run.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

HERE = Path(__file__).resolve().parent
UN = HERE.parent.parent / "shared" / "data" / "unsd" / "sdg_global_2020.csv.gz"


# -- the server (subprocess mode) ------------------------------------------------------------------
def serve(db: str, port: int, sizes: list[int]) -> None:
    """Run the app with one extra producer: ``bench/N.bin`` = N fixed bytes, for every N in sizes."""
    import uvicorn

    from sdgtrack.publish.site import SiteFile, producer
    from sdgtrack.web.app import create_app

    @producer
    def fixed(site):
        for n in sizes:
            body = (b"0123456789abcdef" * (n // 16 + 1))[:n]
            yield SiteFile(f"bench/{n}.bin", (lambda b=body: b), key=f"fixed-{n}")

    uvicorn.run(create_app(db, url=f"http://127.0.0.1:{port}"), host="127.0.0.1", port=port, log_level="warning")


# -- the client ------------------------------------------------------------------------------------
async def fetch(reader, writer, host: str, path: str) -> tuple[int, int]:
    writer.write(f"GET {path} HTTP/1.1\r\nHost: {host}\r\nAccept: */*\r\nAccept-Encoding: gzip\r\n\r\n".encode())
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    length = 0
    chunked = False
    for line in lines[1:]:
        name, _, value = line.partition(":")
        if name.lower() == "content-length":
            length = int(value)
        elif name.lower() == "transfer-encoding" and "chunked" in value:
            chunked = True
    if chunked:
        size = 0
        while True:
            n = int((await reader.readline()).strip(), 16)
            await reader.readexactly(n + 2)
            size += n
            if n == 0:
                return status, size
    await reader.readexactly(length)
    return status, length


async def load(url: str, paths, clients: int, seconds: float) -> dict:
    """``clients`` connections, each requesting ``paths(i)`` in turn for ``seconds``."""
    parts = urlsplit(url)
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    size = 0
    deadline = time.perf_counter() + seconds

    async def client(k: int) -> None:
        nonlocal size
        reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
        i = k
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            status, size = await fetch(reader, writer, parts.netloc, paths(i))
            latencies.append(time.perf_counter() - started)
            statuses[status] = statuses.get(status, 0) + 1
            i += clients
        writer.close()

    began = time.perf_counter()
    await asyncio.gather(*(client(k) for k in range(clients)))
    elapsed = time.perf_counter() - began
    latencies.sort()
    q = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else latencies * 99
    return {"requests": len(latencies), "requests_per_s": round(len(latencies) / elapsed, 1),
            "p50_ms": round(q[49] * 1000, 1), "p99_ms": round(q[98] * 1000, 1),
            "max_ms": round(latencies[-1] * 1000, 1), "statuses": statuses, "bytes": size}


async def once(url: str, path: str) -> tuple[int, int, float]:
    parts = urlsplit(url)
    reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
    started = time.perf_counter()
    status, size = await fetch(reader, writer, parts.netloc, path)
    took = time.perf_counter() - started
    writer.close()
    return status, size, took


def mix(db: Path, n_indicators: int = 16, n_areas: int = 223) -> list[str]:
    """``/api/data/CODE?area=A`` for the indicators and countries with the most headline rows, in a
    fixed shuffled order."""
    import random

    from sdgtrack.workspace import Workspace

    with Workspace(db, read_only=True) as ws:
        facts = ws.store.series_facts()  # per dataset, indicator and series: n_headline rows
        countries = set(ws.areas(kind="country")["code"])
        if facts.empty:  # series no SDG indicator links (bench/scale.py's synthetic data): its series
            facts = ws.store.sql(
                "SELECT series AS indicator, count(*) AS n_headline FROM observation WHERE is_headline GROUP BY series"
            )
            frame = ws.store.sql("SELECT area FROM observation WHERE is_headline AND series = ?", [facts.iloc[0, 0]])
        else:
            frame = ws.observations(None)  # headline rows of every series: which countries have most
    indicators = (
        facts.groupby("indicator")["n_headline"].sum().sort_values(ascending=False).index[:n_indicators].tolist()
    )
    counts = frame[frame["area"].isin(countries)].groupby("area").size().sort_values(ascending=False)
    areas = counts.index[:n_areas].tolist()
    paths = [f"/api/data/{code}?area={area}" for code in indicators for area in areas]
    random.Random(23).shuffle(paths)
    return paths


def ensure_store(db: Path) -> float | None:
    """Load the UN extract into ``db`` unless it holds it; seconds taken (None if already there)."""
    from sdgtrack.workspace import Workspace

    with Workspace(db) as ws:
        if ws.store.has_dataset("unsd"):
            return None
        if not UN.exists():
            sys.exit(f"the UN extract is not at {UN}")
        started = time.perf_counter()
        ws.ingest(UN)
        return round(time.perf_counter() - started, 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default=str(Path(os.environ.get("TMPDIR", "/tmp")) / "sdgtrack-bench-web.duckdb"))
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--port", type=int, default=8791)
    parser.add_argument("--home", default="/en/")
    parser.add_argument("--page", default="/en/indicators/3-2-1/")
    parser.add_argument("--serve", nargs=3, metavar=("DB", "PORT", "SIZES"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        return serve(args.serve[0], int(args.serve[1]), [int(s) for s in args.serve[2].split(",") if s])

    loaded = ensure_store(Path(args.db))
    uncached = mix(Path(args.db))
    url = f"http://127.0.0.1:{args.port}"
    api = "/api/data/3.2.1?area=AFG"
    try:
        import uvloop

        uvloop.install()
    except ImportError:
        pass

    # First a server without the baseline files, to learn the sizes to mirror; then the real run.
    def start(sizes: str) -> subprocess.Popen:
        proc = subprocess.Popen([sys.executable, __file__, "--serve", args.db, str(args.port), sizes])
        for _ in range(300):
            try:
                asyncio.run(once(url, "/api/datasets?limit=1"))
                return proc
            except OSError:
                time.sleep(0.1)
        proc.kill()
        sys.exit("the server did not start")

    proc = start("")
    try:
        first = {name: asyncio.run(once(url, path)) for name, path in
                 (("api", api), ("home", args.home), ("page", args.page))}
    finally:
        proc.terminate()
        proc.wait(30)
    sizes = ",".join(str(first[k][1]) for k in ("api", "home", "page"))
    proc = start(sizes)
    results: dict = {"store_load_s": loaded, "clients": args.clients, "seconds": args.seconds,
                     "first_request_ms": {k: round(v[2] * 1000, 1) for k, v in first.items() if v[0] == 200},
                     "sizes": {k: v[1] for k, v in first.items()}}
    try:
        targets = {"api": lambda i: api,
                   "baseline_api": lambda i: f"/bench/{first['api'][1]}.bin",
                   "api_uncached": lambda i: f"{uncached[i % len(uncached)]}&nocache={i}",
                   "home": lambda i: args.home,
                   "baseline_home": lambda i: f"/bench/{first['home'][1]}.bin"}
        if first["page"][0] == 200:
            targets["page"] = lambda i: args.page
            targets["baseline_page"] = lambda i: f"/bench/{first['page'][1]}.bin"
        else:
            results["page"] = f"no indicator page at {args.page} (status {first['page'][0]}): the site has no pages yet"
        for name, paths in targets.items():
            asyncio.run(load(url, paths, args.clients, 1.0))  # warm up: threads, cursors, caches
            results[name] = asyncio.run(load(url, paths, args.clients, args.seconds))
    finally:
        proc.terminate()
        proc.wait(30)
    for name in ("api", "home", "page"):
        if isinstance(results.get(name), dict) and f"baseline_{name}" in results:
            results[f"{name}_p99_vs_baseline"] = round(results[name]["p99_ms"] / results[f"baseline_{name}"]["p99_ms"], 2)
    print(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
