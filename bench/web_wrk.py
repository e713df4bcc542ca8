"""Benchmark: the read API under `wrk` (a native load tool), uncached and cached, in one run.

    python bench/web_wrk.py [--db un.duckdb] [--connections 50] [--seconds 10] [--threads 1]

Loads the 2020 UN Global Database extract into ``--db`` unless it holds it (as ``bench/web_load.py``),
starts ``sdgtrack serve`` on it in a subprocess (the server users run), and drives it with ``wrk``
(``/usr/bin/wrk``, or ``--wrk PATH``) through a Lua script over a mix of ``/api/data/CODE?area=A``:
16 SDG indicators x up to 223 countries, in a fixed shuffled order, chosen from the store (the
indicators with the most headline rows, the countries with the most). Targets:

- ``uncached``: the mix, each request with a parameter the route ignores (``nocache=N``, N counting
  up), so every request misses the answer cache: what a burst of new queries costs. Before it,
  ``uncached_first_pass`` requests every path of the mix once from 8 threads (``nocache=first``):
  the reads before the server keeps anything for them (series blocks, resolved codes and areas;
  docs/scale.md, "Reads"), whose cost the ``uncached`` run then no longer pays;
- ``cached``: the same mix without it, after one warming pass, so every answer comes from memory;
- ``one``: one cached answer (``/api/data/3.2.1?area=AFG``), the figure issue 23 started from.

For each: requests/s, p50/p90/p99 latency (ms), non-2xx answers, socket errors, and the server's CPU
milliseconds per request (from /proc: steadier than requests/s on a shared machine). Output: one JSON
document; nothing is asserted (compare targets of the same run: machines differ).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from web_load import ensure_store, mix  # noqa: E402  (the same store and mix as the asyncio benchmark)

LUA = r"""
local paths = {}
for line in io.lines("%(paths)s") do paths[#paths + 1] = line end
local bust = %(bust)s
local n = 0
request = function()
  n = n + 1
  local path = paths[(n %% #paths) + 1]
  if bust then path = path .. "&nocache=" .. n end
  return wrk.format("GET", path)
end
done = function(summary, latency, requests)
  local non2xx = summary.errors.status
  io.write(string.format(
    'RESULT {"requests": %%d, "seconds": %%.3f, "p50_ms": %%.2f, "p90_ms": %%.2f, "p99_ms": %%.2f, ' ..
    '"max_ms": %%.2f, "non_2xx": %%d, "socket_errors": %%d}\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000, non2xx,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
"""


def run_wrk(wrk: str, url: str, script: Path, connections: int, seconds: float, threads: int) -> dict:
    out = subprocess.run(
        [
            wrk,
            f"-t{threads}",
            f"-c{connections}",
            f"-d{max(1, round(seconds))}s",
            "--timeout",
            "10s",
            "-s",
            str(script),
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    line = next(x for x in out.splitlines() if x.startswith("RESULT "))
    result = json.loads(line[len("RESULT ") :])
    result["requests_per_s"] = round(result["requests"] / result["seconds"], 1)
    return result


def server_cpu(pid: int) -> float | None:
    """CPU seconds the server process has used (user + system, every thread), where /proc says."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def first_pass(url: str, paths: list[str], pid: int, clients: int = 8) -> dict:
    """Every path of the mix once (``nocache=first``, so no answer is cached), from ``clients``
    threads: what reads cost before the server keeps anything for them (series blocks, lookups)."""
    from concurrent.futures import ThreadPoolExecutor

    def get(path: str) -> float:
        started = time.perf_counter()
        urllib.request.urlopen(f"{url}{path}&nocache=first", timeout=60).read()
        return time.perf_counter() - started

    cpu = server_cpu(pid)
    began = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        took = sorted(pool.map(get, paths))
    elapsed = time.perf_counter() - began
    out = {
        "requests": len(paths),
        "clients": clients,
        "seconds": round(elapsed, 2),
        "requests_per_s": round(len(paths) / elapsed, 1),
        "p50_ms": round(took[len(took) // 2] * 1000, 2),
        "p99_ms": round(took[int(len(took) * 0.99)] * 1000, 2),
    }
    if cpu is not None:
        out["server_cpu_ms_per_request"] = round((server_cpu(pid) - cpu) * 1000 / len(paths), 2)  # type: ignore[operator]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default=str(Path(os.environ.get("TMPDIR", "/tmp")) / "sdgtrack-bench-web.duckdb"))
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--threads", type=int, default=1, help="wrk threads (each takes a core from the server)")
    parser.add_argument("--port", type=int, default=8792)
    parser.add_argument("--wrk", default=shutil.which("wrk") or "/usr/bin/wrk")
    parser.add_argument("--only", help="comma-separated targets (uncached, cached, one)")
    args = parser.parse_args()
    if not Path(args.wrk).exists():
        sys.exit(f"wrk is not at {args.wrk}: install it (apt-get install wrk) or pass --wrk PATH")
    db = Path(args.db)
    loaded = ensure_store(db)
    paths = mix(db)
    work = Path(tempfile.mkdtemp(prefix="sdgtrack-wrk-"))
    (work / "mix.txt").write_text("\n".join(paths) + "\n")
    (work / "one.txt").write_text("/api/data/3.2.1?area=AFG\n")
    scripts = {}
    for name, listing, bust in (("uncached", "mix.txt", True), ("cached", "mix.txt", False), ("one", "one.txt", False)):
        scripts[name] = work / f"{name}.lua"
        scripts[name].write_text(LUA % {"paths": work / listing, "bust": "true" if bust else "false"})
    url = f"http://127.0.0.1:{args.port}"
    sdgtrack_cli = Path(sys.executable).with_name("sdgtrack")
    server = subprocess.Popen(
        [str(sdgtrack_cli), "serve", "--db", str(db), "--port", str(args.port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    results: dict = {
        "store_load_s": loaded,
        "connections": args.connections,
        "seconds": args.seconds,
        "wrk_threads": args.threads,
        "mix": f"{len(paths)} paths, e.g. {paths[0]}",
    }
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(f"{url}/api/datasets?limit=1", timeout=5).read()
                break
            except OSError:
                if server.poll() is not None:
                    sys.exit(f"the server stopped: {server.stderr.read().decode()[-2000:]}")
                time.sleep(0.1)
        wanted = args.only.split(",") if args.only else ["uncached", "cached", "one"]
        for name in wanted:
            if name == "cached":  # one pass over the mix fills the answer cache
                for path in paths:
                    urllib.request.urlopen(url + path, timeout=30).read()
            if name == "uncached":  # one pass fills what the server keeps besides the answer cache
                results["uncached_first_pass"] = first_pass(url, paths, server.pid)
            run_wrk(args.wrk, url, scripts[name], args.connections, 2.0, args.threads)  # warm up
            cpu = server_cpu(server.pid)
            results[name] = run_wrk(args.wrk, url, scripts[name], args.connections, args.seconds, args.threads)
            if cpu is not None:  # steadier than requests/s on a machine others share
                used = server_cpu(server.pid) - cpu  # type: ignore[operator]
                results[name]["server_cpu_ms_per_request"] = round(used * 1000 / max(1, results[name]["requests"]), 2)
    finally:
        server.terminate()
        server.wait(30)
        shutil.rmtree(work, ignore_errors=True)
    print(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
