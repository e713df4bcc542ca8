"""An admin acts while the server runs (issue 21, finding 5): disables users, revokes tokens and
reassigns dataset owners from the web app (CSRF, audit); a disabled user's sessions and tokens stop
at once; `sdgtrack users|tokens` reach the running server through its sidecar and key file."""

from __future__ import annotations

import os
import socket
import stat
import threading
import time

import pytest
import uvicorn
from fastapi.testclient import TestClient

from sdgtrack.cli import run
from sdgtrack.storefiles import server_key_path

from ..web_entry_app import PASSWORD, sign_in


def _victim(entry, name: str) -> tuple[TestClient, str]:
    entry.ws.accounts.add_user(name, role="editor", entity="A", password=PASSWORD, actor="test")
    client, _ = sign_in(entry.app, name)
    return client, entry.ws.accounts.add_token(name, label="t", actor="test")[1]


def test_an_admin_disables_a_user_from_the_web_and_it_stops_at_once(entry):
    client, token = _victim(entry, "victim1")
    assert client.get("/entry").status_code == 200
    assert client.get("/api/requests", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    admin = entry.sessions["admin"]
    page = admin.get("/admin/users")
    assert page.status_code == 200 and "victim1" in page.text and "/admin/users/victim1/disable" in page.text
    # no CSRF token: refused; an editor: refused
    assert admin.post("/admin/users/victim1/disable", data={}).status_code == 403
    editor = entry.sessions["ed_a"]
    assert editor.post("/admin/users/victim1/disable", data={"csrf_token": entry.csrf["ed_a"]}).status_code == 403
    assert entry.ws.accounts.user("victim1")["disabled_at"] is None
    done = admin.post("/admin/users/victim1/disable", data={"csrf_token": entry.csrf["admin"]})
    assert done.status_code == 200 and "disabled victim1" in done.text
    assert client.get("/entry", follow_redirects=False).status_code == 303  # signed out
    assert client.get("/api/requests", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    audit = entry.ws.audit(object="user:victim1")
    assert "user.disable" in set(audit["action"]) and "admin" in set(audit["actor"])


def test_an_admin_revokes_a_token_from_the_web_and_the_api(entry):
    _, token = _victim(entry, "victim2")
    tokens = entry.ws.accounts.tokens("victim2")
    token_id = int(tokens["id"].iloc[0])
    headers = {"Authorization": f"Bearer {token}"}
    assert entry.sessions["ed_a"].get("/api/requests", headers=headers).status_code == 200
    done = entry.sessions["admin"].post(f"/admin/tokens/{token_id}/revoke", data={"csrf_token": entry.csrf["admin"]})
    assert done.status_code == 200 and f"revoked token {token_id}" in done.text
    assert entry.sessions["ed_a"].get("/api/requests", headers=headers).status_code == 401
    # the API: an admin's token may, an editor's may not
    second = entry.ws.accounts.add_token("victim2", label="again", actor="test")[0]
    api = entry.sessions["ed_a"]
    assert api.post(f"/api/admin/tokens/{second}/revoke", headers=entry.api("ed_a")).status_code == 403
    assert api.post(f"/api/admin/tokens/{second}/revoke", headers=entry.api("admin")).status_code == 200
    assert entry.ws.accounts.tokens("victim2")["revoked_at"].notna().all()
    assert api.post("/api/admin/tokens/1/revoke", headers={"X-Sdgtrack-Local-Key": "guess"}).status_code == 401


@pytest.fixture
def served(live):
    """The live app on a loopback port with its sidecar and key file, as `sdgtrack serve` leaves them."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(live.app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(200):
        if server.started:
            break
        time.sleep(0.05)
    owner = live.app.state.owner
    owner.announce(f"http://0.0.0.0:{port}", "/api/requests/data")
    yield live
    owner.withdraw()
    server.should_exit = True
    thread.join(10)


def test_the_cli_reaches_the_running_server(served, capsys):
    live = served
    key_file = server_key_path(live.path)
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600
    live.ws.accounts.add_user("stolen", role="editor", entity="A", password=PASSWORD, actor="test")
    token = live.ws.accounts.add_token("stolen", label="laptop", actor="test")[1]
    assert run(["users", "disable", "stolen", "--db", str(live.path)]) == 0
    assert "disabled stolen" in capsys.readouterr().out
    assert live.ws.accounts.user("stolen")["disabled_at"] is not None
    assert live.client.get("/api/requests", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    actors = set(live.ws.audit(object="user:stolen")["actor"])
    assert any(a.startswith("cli:") for a in actors)
    assert run(["tokens", "list", "stolen", "--db", str(live.path), "--format", "csv"]) == 0
    assert "laptop" in capsys.readouterr().out
    assert run(["users", "own", "ds-x", "--entity", "B", "--db", str(live.path)]) == 0
    assert live.ws.accounts.owner("ds-x") == "B"
    # a wrong key is refused by the server, named as such
    key_file.write_text("not the key", encoding="ascii")
    assert run(["users", "disable", "boss", "--db", str(live.path)]) == 1
    assert "refused" in capsys.readouterr().err
    assert live.ws.accounts.user("boss")["disabled_at"] is None


ADMIN_ROUTES = [
    ("GET", "/api/admin/users", None),
    ("POST", "/api/admin/users", {"name": "x1", "role": "admin", "password": "p" * 12}),
    ("POST", "/api/admin/users/ed_b/disable", None),
    ("GET", "/api/admin/tokens", None),
    ("POST", "/api/admin/tokens", {"user": "ed_b", "label": "x"}),
    ("POST", "/api/admin/tokens/1/revoke", None),
    ("PUT", "/api/admin/datasets/ds-b/owner", {"entity": "A"}),
    ("GET", "/api/admin/audit.csv", None),
]


@pytest.mark.parametrize("method,route,body", ADMIN_ROUTES, ids=[f"{m} {r}" for m, r, _ in ADMIN_ROUTES])
def test_admin_routes_authorisation_matrix(entry, method, route, body):
    client = entry.sessions["ed_a"]  # a signed-in browser: the cookie alone never reaches the API
    for who, expected in ((None, 401), ("ed_a", 403), ("rev", 403)):
        answer = client.request(method, route, headers=entry.api(who), json=body)
        assert answer.status_code == expected, (who, answer.status_code, answer.text[:200])
    assert entry.ws.accounts.user("ed_b")["disabled_at"] is None and entry.ws.accounts.owner("ds-b") == "B"
    for page in ("/admin/users", "/admin/audit"):
        assert entry.sessions["ed_a"].get(page).status_code == 403
        assert entry.sessions["rev"].get(page).status_code == 403
