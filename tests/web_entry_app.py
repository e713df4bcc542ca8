"""A minimal live app for the data-entry tests: FastAPI() + one Workspace + mount_entry, with
users of every role, two entities that each own a dataset, sessions and API tokens."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from fastapi import FastAPI
from fastapi.testclient import TestClient

from sdgtrack.web.entry import mount_entry
from sdgtrack.workspace import Workspace

PASSWORD = "a long enough password"
ROWS_A = b"series,area,year,value\nSH_DYN_MORT,RWA,2019,34.1\nSH_DYN_MORT,RWA,2020,33.0\n"
ROWS_B = b"series,area,year,value\nSH_DYN_MORT,KEN,2019,41.0\n"
USERS = {"admin": ("admin", None), "rev": ("reviewer", None), "ed_a": ("editor", "A"), "ed_b": ("editor", "B")}


@dataclass
class EntryApp:
    ws: Workspace
    app: FastAPI
    tokens: dict[str, str] = field(default_factory=dict)
    sessions: dict[str, TestClient] = field(default_factory=dict)
    csrf: dict[str, str] = field(default_factory=dict)

    def api(self, who: str | None) -> dict:
        return {"Authorization": f"Bearer {self.tokens[who]}"} if who else {}

    def user(self, who: str) -> dict:
        return self.ws.accounts.user(who)

    def draft(self, who: str, dataset: str, rows: bytes) -> int:
        return self.ws.review.new_data(self.user(who), dataset, "d.csv", rows)["id"]

    def submitted(self, who: str, dataset: str, rows: bytes) -> int:
        request_id = self.draft(who, dataset, rows)
        self.ws.review.submit(self.user(who), request_id)
        return request_id

    def state(self, request_id: int) -> str:
        return self.ws.review.get(self.user("admin"), request_id)["state"]

    def count(self) -> int:
        return len(self.ws.review.list(self.user("admin")))


def sign_in(app: FastAPI, name: str, password: str = PASSWORD) -> tuple[TestClient, str]:
    client = TestClient(app)
    page = client.get("/login")
    token = re.search(r'name="login_token" value="([^"]+)"', page.text).group(1)
    answer = client.post(
        "/login",
        data={"name": name, "password": password, "login_token": token, "next": "/entry"},
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/entry").text).group(1)
    return client, csrf


def build(path, before_start=None) -> EntryApp:
    """``before_start(app)``: add middleware and the like before the first request starts the app."""
    ws = Workspace(path)
    for name, (role, entity) in USERS.items():
        ws.accounts.add_user(name, role=role, entity=entity, password=PASSWORD, actor="test")
    app = FastAPI()
    app.state.workspace = ws
    mount_entry(app)
    if before_start is not None:
        before_start(app)
    entry = EntryApp(ws, app)
    for name in USERS:
        entry.tokens[name] = ws.accounts.add_token(name, label="test", actor="test")[1]
        entry.sessions[name], entry.csrf[name] = sign_in(app, name)
    # each entity's dataset, published once so it exists in the store
    for who, dataset, rows in (("ed_a", "ds-a", ROWS_A), ("ed_b", "ds-b", ROWS_B)):
        ws.accounts.set_owner(dataset, USERS[who][1], actor="test")
        request_id = entry.submitted(who, dataset, rows)
        ws.review.approve(entry.user("rev"), request_id)
    return entry
