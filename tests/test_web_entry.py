"""Data entry with review: inputs (HTML, SQL-like text, oversize and wrong-type uploads), CSRF,
sessions and tokens, the login limit, visibility across entities, the audit trail, the preview
and history of a published change, and the account commands."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys

import pytest
from fastapi.testclient import TestClient

from sdgtrack.contributions.edit import CORRECTABLE, record_fields
from sdgtrack.contributions.models import KINDS
from sdgtrack.data_entry import MAX_UPLOAD_BYTES
from sdgtrack.errors import InvalidInputError

from .web_entry_app import PASSWORD, build, sign_in

SCRIPT = '<script>alert("x")</script><img src=x onerror=alert(1)>'
SQL = "Robert'); DROP TABLE change_request; -- \" OR 1=1"


@pytest.fixture(scope="module")
def entry(tmp_path_factory):
    built = build(tmp_path_factory.mktemp("entry") / "entry.duckdb")
    yield built
    built.ws.close()


def _new_id(answer) -> int:
    assert answer.status_code == 303, answer.text[:800]
    return int(answer.headers["location"].rsplit("/", 1)[1])


# -- text fields: HTML shown as text, SQL-like strings stored as data -----------------------------------
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("text", [SCRIPT, SQL], ids=["html", "sql"])
def test_every_record_field_is_stored_and_shown_as_text(entry, kind, text):
    client, csrf = entry.sessions["ed_a"], entry.csrf["ed_a"]
    form = {"csrf_token": csrf, "kind": kind, "year": "2023", "action": "save"}
    free_text = [f for f, _ in record_fields(kind) if f not in ("sdgs", "websites", "dates", "theme")]
    for f in free_text:
        form[f] = f"{f} {text}"
    request_id = _new_id(client.post("/entry/records/new", data=form, follow_redirects=False))
    page = client.get(f"/entry/requests/{request_id}").text
    assert "<script>alert" not in page and "<img src=x" not in page
    for f in free_text:
        assert f in page
    if text == SCRIPT:
        assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page
    record = entry.ws.review.record_of(entry.ws.review.get(entry.user("admin"), request_id, payload=True))
    name = f"initiative {text}" if kind == "hii" else f"name {text}"  # a HII's name is its initiative
    assert record.name == name  # stored exactly as given
    # published into the registry verbatim, the change_request table still there
    entry.ws.review.submit(entry.user("ed_a"), request_id)
    published = entry.ws.review.approve(entry.user("rev"), request_id)
    stored = entry.ws.contributions.record(published["result"]["record"])
    assert stored.name == name and stored.description == f"description {text}"
    assert entry.count() > 0


def test_rejection_reason_and_file_names_are_text(entry):
    request_id = entry.submitted("ed_a", "ds-a", b"series,area,year,value\nSH_DYN_MORT,RWA,2018,35.5\n")
    rev, csrf = entry.sessions["rev"], entry.csrf["rev"]
    answer = rev.post(
        f"/entry/requests/{request_id}/reject",
        data={"csrf_token": csrf, "reason": SCRIPT + SQL},
        follow_redirects=False,
    )
    assert answer.status_code == 303
    page = entry.sessions["ed_a"].get(f"/entry/requests/{request_id}").text
    assert "<script>" not in page and "&lt;script&gt;" in page and "DROP TABLE change_request" in page
    assert entry.ws.review.get(entry.user("ed_a"), request_id)["reason"] == SCRIPT + SQL
    # a file name is reduced to safe characters before it is stored or shown
    answer = entry.sessions["ed_a"].post(
        "/entry/data/upload",
        data={"csrf_token": entry.csrf["ed_a"], "dataset": "ds-a"},
        files={
            "file": (
                '<b onmouseover="x">..\\..\\evil.csv',
                b"series,area,year,value\nSH_DYN_MORT,RWA,2017,36\n",
                "text/csv",
            )
        },
        follow_redirects=False,
    )
    shown = entry.ws.review.get(entry.user("ed_a"), _new_id(answer))
    assert shown["file_name"] == "evil.csv"


def test_sql_like_values_in_an_upload_are_data(entry):
    rows = (
        f'series,area,year,value,footnote\nSH_DYN_MORT,RWA,2016,37.0,"{SQL.replace(chr(34), chr(34) * 2)}"\n'
    ).encode()
    request_id = entry.submitted("ed_a", "ds-a", rows)
    entry.ws.review.approve(entry.user("rev"), request_id)
    found = entry.ws.observations("SH_DYN_MORT", areas=["RWA"], datasets=["ds-a"])
    assert SQL in set(found["footnote"])


# -- uploads --------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "name,content,message",
    [
        (
            "report.pdf",
            b"%PDF-1.4 ...",
            "files of type .pdf are not accepted; expected one of CSV (.csv), Excel workbook",
        ),
        ("tool.exe", b"MZ\x90\x00", "files of type .exe are not accepted"),
        ("noext", b"series,area,year,value\n", "files of type (none) are not accepted"),
        ("fake.xlsx", b"series,area,year,value\n", "fake.xlsx: not an Excel workbook"),
        ("binary.csv", b"series\x00,area", "binary.csv: binary content in a .csv file"),
        ("zip.csv", b"PK\x03\x04rest", "binary content in a .csv file"),
        ("page.xml", b"series,area", "page.xml: not XML"),
        ("empty.csv", b"", "empty.csv: the file is empty"),
        (
            "data.csv",
            b"series,area,year,value\nSH_DYN_MORT,Atlantis,2019,abc\n",
            "data.csv, line 2, column 'value': got 'abc'; expected a number",
        ),
        ("data.csv", b"what,is,this\n1,2,3\n", "data.csv"),
    ],
)
def test_wrong_uploads_are_refused_with_a_clear_message(entry, name, content, message):
    before = entry.count()
    answer = entry.sessions["ed_a"].post(
        "/entry/data/upload",
        data={"csrf_token": entry.csrf["ed_a"], "dataset": "ds-a"},
        files={"file": (name, content, "application/octet-stream")},
    )
    assert answer.status_code == 422
    assert message.replace("'", "&#39;") in answer.text
    api = TestClient(entry.app).post(
        "/api/requests/data",
        headers=entry.api("ed_a"),
        data={"dataset": "ds-a"},
        files={"file": (name, content, "application/octet-stream")},
    )
    assert (
        api.status_code == 422
        and message in json.dumps(api.json()).replace("\\u2019", "'")
        or message in api.json()["detail"]
    )
    assert entry.count() == before


def test_every_bad_cell_is_named_like_the_cli(entry, tmp_path):
    rows = b"series,area,year,value\nSH_DYN_MORT,RWA,2019,abc\nSH_DYN_MORT,Atlantis,2019,3\nSH_DYN_MORT,RWA,20x9,4\n"
    api = TestClient(entry.app).post(
        "/api/requests/data",
        headers=entry.api("ed_a"),
        data={"dataset": "ds-a"},
        files={"file": ("cells.csv", rows, "text/csv")},
    )
    assert api.status_code == 422
    where = {(p["file"], p["line"], p["column"]) for p in api.json()["problems"]}
    assert {("cells.csv", 2, "value"), ("cells.csv", 3, "area"), ("cells.csv", 4, "period")} <= where
    assert "/tmp" not in api.text  # the server's temporary folder is not shown
    # the same messages as `sdgtrack ingest` gives for that file
    path = tmp_path / "cells.csv"
    path.write_bytes(rows)
    with pytest.raises(InvalidInputError) as cli:
        entry.ws.validate(path, dataset="ds-a")
    assert api.json()["detail"] == str(cli.value).replace(str(path), "cells.csv")


def test_oversize_upload_is_refused(entry):
    big = b"series,area,year,value\n" + b"SH_DYN_MORT,RWA,2019,1\n" * (MAX_UPLOAD_BYTES // 23 + 10)
    assert len(big) > MAX_UPLOAD_BYTES
    before = entry.count()
    answer = TestClient(entry.app).post(
        "/api/requests/data",
        headers=entry.api("ed_a"),
        data={"dataset": "ds-a"},
        files={"file": ("big.csv", big, "text/csv")},
    )
    assert answer.status_code == 422
    assert "over the upload limit of 16 MB" in answer.json()["detail"]
    assert entry.count() == before


# -- CSRF, sessions, tokens, sign-in limit --------------------------------------------------------
FORM_POSTS = [
    (
        "/entry/data/upload",
        {"dataset": "ds-a"},
        {"file": ("x.csv", b"series,area,year,value\nSH_DYN_MORT,RWA,2014,40\n", "text/csv")},
    ),
    (
        "/entry/data/grid",
        {"dataset": "ds-a", "series_0": "SH_DYN_MORT", "area_0": "RWA", "year_0": "2013", "value_0": "41"},
        None,
    ),
    ("/entry/records/new", {"kind": "event", "year": "2023", "name": "Forum", "action": "save"}, None),
    ("/entry/requests/{draft}/submit", {}, None),
    ("/entry/requests/{submitted}/approve", {}, None),
    ("/entry/requests/{submitted}/reject", {"reason": "no"}, None),
    ("/logout", {}, None),
]


@pytest.mark.parametrize("token", [None, "", "wrong-token"], ids=["missing", "empty", "wrong"])
@pytest.mark.parametrize("path,data,files", FORM_POSTS, ids=[p for p, _, _ in FORM_POSTS])
def test_form_posts_without_the_csrf_token_are_refused(entry, path, data, files, token):
    who = "rev" if "approve" in path or "reject" in path else "ed_a"
    draft = entry.draft("ed_a", "ds-a", b"series,area,year,value\nSH_DYN_MORT,RWA,2012,42\n")
    submitted = entry.submitted("ed_a", "ds-a", b"series,area,year,value\nSH_DYN_MORT,RWA,2011,43\n")
    before = entry.count()
    form = dict(data)
    if token is not None:
        form["csrf_token"] = token
    answer = entry.sessions[who].post(
        path.format(draft=draft, submitted=submitted), data=form, files=files, follow_redirects=False
    )
    assert answer.status_code == 403 and "security token is missing or wrong" in answer.text
    assert entry.count() == before and entry.state(draft) == "draft" and entry.state(submitted) == "submitted"
    assert entry.sessions[who].get("/entry").status_code == 200  # still signed in


def test_session_cookie_flags_and_sign_out(entry):
    client = TestClient(entry.app)
    page = client.get("/login")
    token = re.search(r'name="login_token" value="([^"]+)"', page.text).group(1)
    answer = client.post(
        "/login",
        data={"name": "ed_b", "password": PASSWORD, "login_token": token},
        headers={"X-Forwarded-Proto": "https"},
        follow_redirects=False,
    )
    cookie = answer.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Secure" in cookie
    session = re.search(r"sdgtrack_session=([^;]+)", cookie).group(1)
    stored = entry.ws.store.sql("SELECT token_hash FROM app_session")["token_hash"].tolist()
    assert session not in stored and len(stored[0]) == 64  # only the SHA-256 is kept
    token = re.search(r'name="login_token" value="([^"]+)"', client.get("/login").text).group(1)
    plain = client.post(
        "/login", data={"name": "ed_b", "password": PASSWORD, "login_token": token}, follow_redirects=False
    ).headers["set-cookie"]
    assert "HttpOnly" in plain and "Secure" not in plain  # plain http (a laptop): the browser would drop it
    client2, csrf = sign_in(entry.app, "ed_b")
    client2.post("/logout", data={"csrf_token": csrf}, follow_redirects=False)
    assert client2.get("/entry", follow_redirects=False).headers["location"].startswith("/login")
    # a forged login form (no double-submit cookie) is refused
    assert (
        TestClient(entry.app)
        .post("/login", data={"name": "ed_b", "password": PASSWORD, "login_token": "x" * 30})
        .status_code
        == 403
    )


def test_login_limit_per_user(entry):
    entry.ws.accounts.add_user("victim", role="editor", entity="A", password=PASSWORD, actor="test")
    client = TestClient(entry.app)
    token = re.search(r'name="login_token" value="([^"]+)"', client.get("/login").text).group(1)
    for _ in range(5):
        assert (
            client.post("/login", data={"name": "victim", "password": "guess", "login_token": token}).status_code == 401
        )
    answer = client.post("/login", data={"name": "victim", "password": PASSWORD, "login_token": token})
    assert answer.status_code == 429 and "too many failed sign-ins" in answer.text
    # another user from the same address is not locked out by these five
    assert (
        client.post(
            "/login", data={"name": "ed_b", "password": PASSWORD, "login_token": token}, follow_redirects=False
        ).status_code
        == 303
    )


def test_revoked_token_and_disabled_user(entry):
    entry.ws.accounts.add_user("temp", role="editor", entity="A", password=PASSWORD, actor="test")
    token_id, token = entry.ws.accounts.add_token("temp", label="ci", actor="test")
    headers = {"Authorization": f"Bearer {token}"}
    client = TestClient(entry.app)
    assert client.get("/api/requests", headers=headers).status_code == 200
    entry.ws.accounts.revoke_token(token_id, actor="test")
    assert client.get("/api/requests", headers=headers).status_code == 401
    session, _ = sign_in(entry.app, "temp")
    _, token2 = entry.ws.accounts.add_token("temp", label="ci2", actor="test")
    entry.ws.accounts.disable_user("temp", actor="test")
    assert session.get("/entry", follow_redirects=False).status_code == 303
    assert client.get("/api/requests", headers={"Authorization": f"Bearer {token2}"}).status_code == 401
    stored = entry.ws.store.sql("SELECT token_hash FROM api_token")["token_hash"].tolist()
    assert token not in stored and token2 not in stored
    # the API never takes the session cookie: a signed-in browser cannot be made to call it
    ed_a = entry.sessions["ed_a"]
    assert (
        ed_a.post("/api/requests/records", json={"kind": "event", "year": 2023, "fields": {"name": "x"}}).status_code
        == 401
    )


# -- visibility, preview, history, audit ------------------------------------------------------------
def test_nobody_sees_another_entitys_drafts_and_nothing_is_public_before_approval(entry):
    request_id = entry.draft("ed_a", "ds-a", b"series,area,year,value\nSH_DYN_MORT,RWA,2010,99.9\n")
    ed_b = TestClient(entry.app)
    assert all(r["entity"] == "B" for r in ed_b.get("/api/requests", headers=entry.api("ed_b")).json())
    assert ed_b.get(f"/api/requests/{request_id}", headers=entry.api("ed_b")).status_code == 404
    assert entry.sessions["ed_b"].get(f"/entry/requests/{request_id}").status_code == 404
    assert "99.9" not in entry.sessions["ed_b"].get("/entry").text
    assert any(r["id"] == request_id for r in ed_b.get("/api/requests", headers=entry.api("rev")).json())
    entry.ws.review.submit(entry.user("ed_a"), request_id)
    public = TestClient(entry.app).get("/history/SH_DYN_MORT", params={"area": "RWA"})
    assert public.status_code == 200 and "99.9" not in public.text
    assert 2010 not in set(entry.ws.observations("SH_DYN_MORT", areas=["RWA"], datasets=["ds-a"])["year"])


def test_preview_then_publish_keeps_history_with_author_and_approver(entry):
    rows = b"series,area,year,value\nSH_DYN_MORT,RWA,2019,34.6\nSH_DYN_MORT,RWA,2023,29.0\n"
    answer = TestClient(entry.app).post(
        "/api/requests/data",
        headers=entry.api("ed_a"),
        data={"dataset": "ds-a"},
        files={"file": ("update.csv", rows, "text/csv")},
    )
    assert answer.status_code == 201
    shown = answer.json()
    preview = shown["preview"]
    stored_rows = len(entry.ws.observations("SH_DYN_MORT", datasets=["ds-a"], all_disaggregations=True))
    assert (preview["new"], preview["updated"], preview["unchanged"]) == (1, 1, 0)
    assert preview["missing"] == stored_rows - 1
    changes = {(c["status"], c["period"]): (c["old_value"], c["new_value"]) for c in preview["changes"]}
    assert changes == {("updated", "2019"): ("34.1", "34.6"), ("new", "2023"): (None, "29.0")}
    page = entry.sessions["ed_a"].get(f"/entry/requests/{shown['id']}").text
    assert "34.1" in page and "34.6" in page
    client = TestClient(entry.app)
    assert client.post(f"/api/requests/{shown['id']}/submit", headers=entry.api("ed_a")).json()["state"] == "submitted"
    done = client.post(f"/api/requests/{shown['id']}/approve", headers=entry.api("rev")).json()
    assert done["state"] == "published" and done["result"]["updated"] == 1 and done["reviewer"] == "rev"
    history = entry.ws.history("SH_DYN_MORT", areas=["RWA"], datasets=["ds-a"])
    v2019 = history[history["period"] == "2019"].set_index("status")
    assert v2019.loc["updated", "value"] == 34.1 and v2019.loc["current", "value"] == 34.6
    assert v2019.loc["updated", "changed_by"] == "ed_a, approved by rev"
    public = client.get("/history/SH_DYN_MORT", params={"area": "RWA"}).text
    assert "34.6" in public and "ed_a, approved by rev" in public
    # approving twice publishes once
    again = client.post(f"/api/requests/{shown['id']}/approve", headers=entry.api("admin"))
    assert again.status_code == 422 and "is published" in again.json()["detail"]


def test_grid_is_checked_as_the_csv_it_amounts_to(entry):
    client, csrf = entry.sessions["ed_a"], entry.csrf["ed_a"]
    answer = client.post(
        "/entry/data/grid",
        data={
            "csrf_token": csrf,
            "dataset": "ds-a",
            "series_0": "SH_DYN_MORT",
            "area_0": "RWA",
            "year_0": "2009",
            "value_0": "n/a",
        },
    )
    assert answer.status_code == 422 and "grid.csv, line 2, column &#39;value&#39;: got &#39;n/a&#39;" in answer.text
    assert 'value="n/a"' in answer.text  # the typed rows stay in the form
    answer = client.post(
        "/entry/data/grid",
        data={
            "csrf_token": csrf,
            "dataset": "ds-a",
            "series_0": "SH_DYN_MORT",
            "area_0": "Rwanda",
            "year_0": "2009",
            "value_0": "52.5",
        },
        follow_redirects=False,
    )
    shown = entry.ws.review.get(entry.user("ed_a"), _new_id(answer), payload=True)
    assert shown["payload"].decode() == "series,area,year,value,unit\nSH_DYN_MORT,Rwanda,2009,52.5,\n"
    assert shown["preview"]["new"] == 1


def test_record_form_shows_the_evidence_or_why_no_sdg_is_suggested(entry):
    """The form's suggestions come from the tagger of `contributions infer`, with its evidence, and
    an empty answer says why."""
    client, csrf = entry.sessions["ed_a"], entry.csrf["ed_a"]

    def suggest(name: str, description: str) -> str:
        data = {"csrf_token": csrf, "kind": "resource", "year": "2023", "name": name, "description": description}
        page = client.post("/entry/records/new", data={**data, "action": "suggest"})
        assert page.status_code == 200
        return page.text

    text = suggest("Midwives", "Midwives in rural clinics cut maternal and newborn deaths")
    assert re.search(
        r"SDG 3 \(target 3\.[12]\), probability 0\.\d\d: <span class=\"evidence\">3\.[12] \(0\.\d\d\) ", text
    )
    german = suggest("Hebammen", "Hebammen in ländlichen Kliniken senken die Müttersterblichkeit")
    assert "No SDG suggested: the text looks German, a language not read: the tagger reads Arabic" in german
    assert "No SDG suggested: the text is too short (1 word)" in suggest("Furniture", "")


def test_record_form_warns_over_the_word_limit_and_suggests_sdgs(entry):
    client, csrf = entry.sessions["ed_a"], entry.csrf["ed_a"]
    long_text = " ".join(["broadband connectivity for rural schools and digital skills for girls"] * 16)
    page = client.post(
        "/entry/records/new",
        data={
            "csrf_token": csrf,
            "kind": "resource",
            "year": "2023",
            "name": "Toolkit",
            "description": long_text,
            "action": "suggest",
        },
    )
    assert page.status_code == 200 and 'id="suggestions"' in page.text
    assert re.search(r'id="goal-4" name="goal" value="4"', page.text) and "(suggested)" in page.text
    assert "160 words; the questionnaire asks for at most 150" in page.text
    saved = client.post(
        "/entry/records/new",
        data={
            "csrf_token": csrf,
            "kind": "resource",
            "year": "2023",
            "name": "Toolkit",
            "description": long_text,
            "goal": ["4", "9"],
            "languages": "English, French",
            "action": "save",
        },
        follow_redirects=False,
    )
    shown = entry.ws.review.get(entry.user("ed_a"), _new_id(saved), payload=True)
    assert shown["preview"]["warnings"] == ["description: 160 words, over the 150-word limit (kept in full)"]
    record = entry.ws.review.record_of(shown)
    assert record.sdgs.goals == [4, 9] and record.languages == ["English", "French"] and record.over_limit
    bad = client.post(
        "/entry/records/new",
        data={
            "csrf_token": csrf,
            "kind": "event",
            "year": "2023",
            "name": "Forum",
            "dates": "sometime soon",
            "action": "save",
        },
    )
    assert bad.status_code == 422 and "field &#39;dates&#39;: no date in" in bad.text


def test_record_fields_follow_the_registry():
    assert [f for f, _ in record_fields("partnership")] == [
        f for f, (kinds, _) in CORRECTABLE.items() if kinds is None or "partnership" in kinds
    ]
    with pytest.raises(Exception, match="record kind 'meeting'"):
        record_fields("meeting")


def test_every_write_is_audited_with_before_and_after(entry):
    request_id = entry.submitted("ed_a", "ds-a", b"series,area,year,value\nSH_DYN_MORT,RWA,2008,55\n")
    entry.ws.review.reject(entry.user("rev"), request_id, "wrong year")
    log = entry.ws.audit(object=f"request:{request_id}")
    assert list(log["action"])[::-1] == ["request.create", "request.submit", "request.reject"]
    assert list(log["actor"])[::-1] == ["ed_a", "ed_a", "rev"]
    reject = log.iloc[0]
    assert json.loads(reject["before"]) == {"state": "submitted"}
    assert json.loads(reject["after"]) == {"state": "rejected", "reason": "wrong year"}
    text = entry.sessions["admin"].get("/admin/audit.csv").text
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {"request.create", "request.publish", "user.add", "token.add", "dataset.owner"} <= {
        r["action"] for r in rows
    }
    assert [int(r["id"]) for r in rows] == sorted((int(r["id"]) for r in rows), reverse=True)
    page = entry.sessions["admin"].get("/admin/audit", params={"object": f"request:{request_id}"}).text
    assert page.count("request.") == 3 and "wrong year" in page


# -- the account commands ----------------------------------------------------------------------------
def _cli(*args, db, stdin=None):
    return subprocess.run(
        [sys.executable, "-m", "sdgtrack.cli", *args, "--db", str(db)], input=stdin, capture_output=True, text=True
    )


def test_account_commands(tmp_path):
    db = tmp_path / "cli.duckdb"
    for command in (
        ("users", "list"),
        ("users", "disable", "amina"),
        ("tokens", "list"),
        ("audit", "export", "-o", "a.csv"),
    ):
        missing = _cli(*command, db=db)  # a mistyped --db: one message, and no empty store left behind
        assert missing.returncode == 1 and f"no database at {db}" in missing.stderr, (command, missing.stderr)
        assert not db.exists()
    added = _cli(
        "users",
        "add",
        "amina",
        "--role",
        "editor",
        "--entity",
        "NSO-RW",
        "--password-stdin",
        db=db,
        stdin=PASSWORD + "\n",
    )
    assert added.returncode == 0 and "added editor amina for NSO-RW" in added.stdout
    short = _cli("users", "add", "bob", "--role", "reviewer", "--password-stdin", db=db, stdin="short\n")
    assert short.returncode == 1 and "at least 10 characters" in short.stderr and "Traceback" not in short.stderr
    no_entity = _cli("users", "add", "eve", "--role", "editor", "--password-stdin", db=db, stdin=PASSWORD + "\n")
    assert no_entity.returncode == 1 and "give --entity" in no_entity.stderr
    again = _cli("users", "add", "amina", "--role", "admin", "--password-stdin", db=db, stdin=PASSWORD + "\n")
    assert again.returncode == 1 and "exists already" in again.stderr
    token = _cli("tokens", "add", "amina", "--label", "nightly", db=db)
    assert token.returncode == 0 and token.stdout.strip().splitlines()[-1].startswith("sdgt_")
    listed = _cli("users", "list", "--format", "csv", db=db)
    assert "amina,editor,NSO-RW" in listed.stdout and listed.stdout.strip().endswith(",1")
    assert _cli("tokens", "revoke", "1", db=db).returncode == 0
    assert "no API token 9" in _cli("tokens", "revoke", "9", db=db).stderr
    assert _cli("users", "disable", "amina", db=db).returncode == 0
    assert _cli("users", "own", "nso-rw", "--entity", "NSO-RW", db=db).returncode == 0
    out = tmp_path / "audit.csv"
    exported = _cli("audit", "export", "--output", str(out), db=db)
    assert exported.returncode == 0
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [r["action"] for r in rows][::-1] == [
        "user.add",
        "token.add",
        "token.revoke",
        "user.disable",
        "dataset.owner",
    ]
    assert all(r["actor"].startswith("cli:") for r in rows)
    assert PASSWORD not in out.read_text() and "argon2" not in out.read_text()


def test_grid_loads_current_values_to_correct(entry):
    client, csrf = entry.sessions["ed_b"], entry.csrf["ed_b"]
    page = client.get("/entry/data/new", params={"dataset": "ds-b", "series": "SH_DYN_MORT", "area": "Kenya"})
    assert page.status_code == 200
    assert 'name="year_0" value="2019"' in page.text and 'name="value_0" value="41"' in page.text
    other = client.get("/entry/data/new", params={"dataset": "ds-a", "series": "SH_DYN_MORT", "area": "RWA"})
    assert other.status_code == 403  # another entity's values are not loaded for editing
    answer = client.post(
        "/entry/data/grid",
        data={
            "csrf_token": csrf,
            "dataset": "ds-b",
            "series_0": "SH_DYN_MORT",
            "area_0": "404",
            "year_0": "2019",
            "value_0": "40.5",
        },
        follow_redirects=False,
    )
    preview = entry.ws.review.get(entry.user("ed_b"), _new_id(answer))["preview"]
    assert (preview["updated"], preview["new"]) == (1, 0)
    assert preview["changes"][0]["old_value"] == "41.0" and preview["changes"][0]["new_value"] == "40.5"


ENTRY_PAGES = [
    "/entry",
    "/entry/data/new",
    "/entry/data/new?dataset=ds-a&series=SH_DYN_MORT&area=RWA",
    *[f"/entry/records/new?kind={k}" for k in KINDS],
    "/admin/audit",
    "/history/SH_DYN_MORT",
    "/login",
]


@pytest.mark.parametrize("path", ENTRY_PAGES)
def test_pages_label_every_field_and_carry_no_inline_script(entry, path):
    from html.parser import HTMLParser

    class Fields(HTMLParser):
        def __init__(self):
            super().__init__()
            self.fields, self.labels, self.inline = [], set(), []

        def handle_starttag(self, tag, attrs):
            a = dict(attrs)
            if tag in ("input", "textarea", "select") and a.get("type") not in ("hidden", "submit"):
                self.fields.append(a.get("id"))
            if tag == "label" and a.get("for"):
                self.labels.add(a["for"])
            if tag == "script" or tag == "style" or "style" in a or any(k.startswith("on") for k in a):
                self.inline.append((tag, a))

    client = entry.sessions["admin"] if path != "/login" else TestClient(entry.app)
    page = client.get(path)
    assert page.status_code == 200
    found = Fields()
    found.feed(page.text)
    assert found.fields or path in ("/entry", "/history/SH_DYN_MORT")
    assert [f for f in found.fields if f is None or f not in found.labels] == []
    assert found.inline == []
