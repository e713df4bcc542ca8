"""A bounded soak: a few thousand hostile requests against the whole app in-process, then memory,
the app's bounded tables and the store are checked (issue 21). The figures are printed (run with
-s to see them); nothing here times anything."""

from __future__ import annotations

import itertools
import re
import time

from .xlsx import inline, workbook

ROUNDS = 150  # each round sends 16 requests: 2,400 in all


def rss_mb() -> float:
    with open("/proc/self/statm", encoding="ascii") as statm:
        pages = int(statm.read().split()[1])
    import os

    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def store_facts(ws) -> dict:
    con = ws.store.con
    tables = ("observation", "dataset", "app_user", "api_token", "change_request", "dataset_owner")
    facts = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}
    facts["audit"] = con.execute("SELECT count(*), max(id) FROM audit_log WHERE action <> 'session.start'").fetchone()
    facts["values"] = con.execute("SELECT sum(value) FROM observation").fetchone()[0]
    return facts


def test_soak(live):
    app, client = live.app, live.client
    before_store = store_facts(live.ws)
    page = client.get("/login")
    login_token = re.search(r'name="login_token" value="([^"]+)"', page.text).group(1)
    xfd = workbook(b'<row r="1">' + inline("A1", "series") + b'</row><row r="1048576"><c r="XFD1048576"/></row>')
    editor = {"Authorization": f"Bearer {live.tokens['ed']}"}
    statuses: dict[int, int] = {}
    hostile_values = itertools.cycle(["' OR 1=1 --", "<script>alert(1)</script>", "../../etc/passwd", "\u202e", "%00"])
    warm = rss_mb()
    started = time.perf_counter()
    sent = 0
    for i in range(ROUNDS):
        bad = next(hostile_values)
        answers = [
            # sign-in floods: unique long names, a wrong form token
            client.post(
                "/login",
                data={"name": f"n{i}-" + "x" * 20_000, "password": "p", "login_token": login_token, "next": "/entry"},
            ),
            client.post("/login", data={"name": "boss", "password": "wrong", "login_token": "forged"}),
            # reads with hostile parameters, repeated datasets in both orders, a forged Host
            client.get("/api/observations", params={"code": bad, "area": [bad] * 3}),
            client.get(f"/api/observations?code=SH_DYN_MORT&dataset=hostile&dataset=x{i % 7}"),
            client.get(f"/api/observations?code=SH_DYN_MORT&dataset=x{i % 7}&dataset=hostile&format=csv"),
            client.get("/api/areas/", headers={"Host": f"evil{i}.example"}, follow_redirects=False),
            client.get(f"/api/framework?limit={10**9 + i}"),
            client.get("/api/observations", params={"code": "3", "as_of": bad}),
            client.get(f"/en/..%2f..%2f{i}%2fetc/passwd"),
            client.get("/en/data/3-2-1.csv"),
            # writes without the right credentials, hostile uploads with them
            client.post("/api/requests/data", data={"dataset": "hostile"}, files={"file": ("a.csv", b"x", "text/csv")}),
            client.post("/api/admin/users/boss/disable", headers=editor),
            client.post("/api/admin/users/boss/disable", headers={"X-Sdgtrack-Local-Key": f"guess{i}"}),
            client.post(
                "/api/requests/data",
                headers=editor,
                data={"dataset": "hostile"},
                files={"file": (f"{'n' * 300}{i}.xlsx", xfd, "application/octet-stream")},
            ),
            client.post("/entry/data/upload", data={"dataset": "hostile"}),  # no session
            client.get(f"/api/interlinkages?min_years={3 + i % 90}"),  # new analysis runs: limited
        ]
        for answer in answers:
            statuses[answer.status_code] = statuses.get(answer.status_code, 0) + 1
            assert answer.status_code < 500, (answer.request.url, answer.status_code, answer.text[:300])
            location = answer.headers.get("location", "")
            assert "evil" not in location
        sent += len(answers)
    seconds = time.perf_counter() - started
    grown = rss_mb() - warm
    print(f"\nsoak: {sent} requests in {seconds:.1f} s; RSS {warm:.0f} -> {warm + grown:.0f} MB; statuses {statuses}")
    assert sent == ROUNDS * 16
    assert statuses.get(429, 0) > 0 and statuses.get(401, 0) > 0 and statuses.get(403, 0) > 0
    # bounded tables and memory
    assert len(app.state.login_limiter) <= app.state.login_limiter.max_keys
    assert len(app.state.analysis_limit) <= app.state.analysis_limit.max_keys
    assert app.state.read_cache._bytes <= app.state.read_cache.max_bytes
    assert grown < 150, grown  # 150 sign-ins with 20 KB names alone kept 3 MB before; a leak shows here
    # the store: nothing written by any of it
    assert store_facts(live.ws) == before_store
