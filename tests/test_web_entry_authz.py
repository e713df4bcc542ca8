"""The authorisation matrix of the data-entry app: every write route (forms and API) x anonymous,
an editor of entity A on A's data, the same editor on entity B's, a reviewer, an admin. One test
per cell; a refused cell must also have changed nothing."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from .web_entry_app import ROWS_A, ROWS_B, build

ROLES = ("anonymous", "editor_own", "editor_other", "reviewer", "admin")
WHO = {"anonymous": None, "editor_own": "ed_a", "editor_other": "ed_a", "reviewer": "rev", "admin": "admin"}
NEW_ROWS = {
    "A": b"series,area,year,value\nSH_DYN_MORT,RWA,2021,31.5\n",
    "B": b"series,area,year,value\nSH_DYN_MORT,KEN,2021,40.2\n",
}
GRID = {"A": ("RWA", "2022", "30.9"), "B": ("KEN", "2022", "39.9")}

# expected outcome per route and role: ok (the change happened), 401 (API without token), login
# (form redirected to the sign-in page), 403, 404 (another entity's request stays unseen)
MATRIX = {
    "api upload": ("401", "ok", "403", "403", "ok"),
    "api grid": ("401", "ok", "403", "403", "ok"),
    "api record": ("401", "ok", "403", "403", "ok"),
    "api submit": ("401", "ok", "404", "403", "ok"),
    "api approve": ("401", "403", "404", "ok", "ok"),
    "api reject": ("401", "403", "404", "ok", "ok"),
    "api audit": ("401", "403", "403", "403", "ok"),
    "form upload": ("login", "ok", "403", "403", "ok"),
    "form grid": ("login", "ok", "403", "403", "ok"),
    "form record": ("login", "ok", "403", "403", "ok"),
    "form submit": ("login", "ok", "404", "403", "ok"),
    "form approve": ("login", "403", "404", "ok", "ok"),
    "form reject": ("login", "403", "404", "ok", "ok"),
    "form audit": ("login", "403", "403", "403", "ok"),
}
CELLS = [(route, role, expected) for route, outcomes in MATRIX.items() for role, expected in zip(ROLES, outcomes)]


@pytest.fixture(scope="module")
def entry(tmp_path_factory):
    built = build(tmp_path_factory.mktemp("authz") / "authz.duckdb")
    yield built
    built.ws.close()


def _entity(role: str) -> str:
    return "B" if role == "editor_other" else "A"


def _client(entry, role: str) -> tuple[TestClient, str]:
    who = WHO[role]
    if who is None:
        return TestClient(entry.app), ""
    return entry.sessions[who], entry.csrf[who]


def _owner_of(entity: str) -> str:
    return "ed_a" if entity == "A" else "ed_b"


def _act(entry, route: str, role: str):
    """Run the route as the role; returns the response and a function telling whether it took effect."""
    who, entity = WHO[role], _entity(role)
    dataset = f"ds-{entity.lower()}"
    api = entry.api(who)
    client, csrf = _client(entry, role)
    admin_entity = {"entity": "A"} if role == "admin" else {}
    if route.endswith(("upload", "grid", "record")):
        before = entry.count()
        if route == "api upload":
            answer = client.post(
                "/api/requests/data",
                headers=api,
                data={"dataset": dataset},
                files={"file": ("new.csv", NEW_ROWS[entity], "text/csv")},
            )
        elif route == "form upload":
            answer = client.post(
                "/entry/data/upload",
                data={"csrf_token": csrf, "dataset": dataset},
                files={"file": ("new.csv", NEW_ROWS[entity], "text/csv")},
                follow_redirects=False,
            )
        elif route == "api grid":
            area, year, value = GRID[entity]
            answer = client.post(
                "/api/requests/grid",
                headers=api,
                json={
                    "dataset": dataset,
                    "rows": [{"series": "SH_DYN_MORT", "area": area, "year": year, "value": value}],
                },
            )
        elif route == "form grid":
            area, year, value = GRID[entity]
            answer = client.post(
                "/entry/data/grid",
                data={
                    "csrf_token": csrf,
                    "dataset": dataset,
                    "series_0": "SH_DYN_MORT",
                    "area_0": area,
                    "year_0": year,
                    "value_0": value,
                },
                follow_redirects=False,
            )
        elif route == "api record":
            answer = client.post(
                "/api/requests/records",
                headers=api,
                json={
                    "kind": "event",
                    "year": 2023,
                    "fields": {"name": f"Forum of {entity}", "sdgs": "SDG 3"},
                    **({"entity": entity} if role in ("editor_other", "admin") else {}),
                },
            )
        else:
            answer = client.post(
                "/entry/records/new",
                data={
                    "csrf_token": csrf,
                    "kind": "event",
                    "year": "2023",
                    "name": f"Forum of {entity}",
                    "goal": "3",
                    "action": "save",
                    **({"entity": "B"} if role == "editor_other" else admin_entity),
                },
                follow_redirects=False,
            )
        return answer, lambda: entry.count() == before + 1
    if route.endswith("audit"):
        answer = (
            client.get("/api/audit", headers=api)
            if route == "api audit"
            else client.get("/admin/audit", follow_redirects=False)
        )
        return answer, lambda: answer.status_code == 200 and ("actor" in answer.text)
    rows = ROWS_A if entity == "A" else ROWS_B
    if route.endswith("submit"):
        request_id = entry.draft(_owner_of(entity), f"ds-{entity.lower()}", rows)
        goal = "submitted"
    else:
        request_id = entry.submitted(_owner_of(entity), f"ds-{entity.lower()}", rows)
        goal = "published" if route.endswith("approve") else "rejected"
    action = route.split()[1]
    if route.startswith("api"):
        body = {"json": {"reason": "figures do not match the release"}} if action == "reject" else {}
        answer = client.post(f"/api/requests/{request_id}/{action}", headers=api, **body)
    else:
        data = {"csrf_token": csrf, **({"reason": "figures do not match the release"} if action == "reject" else {})}
        answer = client.post(f"/entry/requests/{request_id}/{action}", data=data, follow_redirects=False)
    return answer, lambda: entry.state(request_id) == goal


@pytest.mark.parametrize("route,role,expected", CELLS, ids=[f"{r}-{o}" for r, o, _ in CELLS])
def test_authorisation_cell(entry, route, role, expected):
    answer, took_effect = _act(entry, route, role)
    if expected == "ok":
        if route.startswith("form") and not route.endswith("audit"):
            assert answer.status_code == 303, answer.text[:500]
            assert answer.headers["location"].startswith("/entry/requests/")
        else:
            assert answer.status_code in (200, 201), answer.text[:500]
        assert took_effect()
        return
    if expected == "login":
        assert answer.status_code == 303 and answer.headers["location"].startswith("/login?next=")
    else:
        assert answer.status_code == int(expected), answer.text[:500]
    assert not took_effect()
