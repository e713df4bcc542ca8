"""Data entry on real data: the UN Global Database's Goal 14 workbook uploaded, previewed and
published by an entity into a dataset of its own; ITU's 2023 questionnaire answer extended by an
ITU editor's record through the form."""

from __future__ import annotations

from fastapi.testclient import TestClient

from .conftest import shared_path
from .web_entry_app import build


def test_goal14_workbook_upload_preview_publish(tmp_path):
    workbook = shared_path("unsd", "Goal14.xlsx")
    entry = build(tmp_path / "real.duckdb")
    entry.ws.accounts.add_user("unsd-ed", role="editor", entity="UNSD", password="a long enough password", actor="t")
    token = entry.ws.accounts.add_token("unsd-ed", label="t", actor="t")[1]
    client = TestClient(entry.app)
    headers = {"Authorization": f"Bearer {token}"}

    def upload():
        answer = client.post(
            "/api/requests/data",
            headers=headers,
            data={"dataset": "unsd-goal14"},
            files={"file": (workbook.name, workbook.read_bytes(), "application/octet-stream")},
        )
        assert answer.status_code == 201, answer.text[:1000]
        return answer.json()

    # the CLI's dry run of the same file gives the same counts
    cli = entry.ws.validate(workbook, dataset="unsd-goal14")
    first = upload()
    preview = first["preview"]
    assert preview["formats"] == {"unsd": 1} and preview["new"] == cli.new > 1000 and preview["updated"] == 0
    assert preview["rows_read"] == cli.rows_read and len(preview["changes"]) == 200
    assert not entry.ws.store.has_dataset("unsd-goal14")  # nothing public yet
    client.post(f"/api/requests/{first['id']}/submit", headers=headers)
    done = client.post(f"/api/requests/{first['id']}/approve", headers=entry.api("rev")).json()
    assert done["state"] == "published" and done["result"]["new"] == cli.new
    assert entry.ws.accounts.owner("unsd-goal14") == "UNSD"
    stored = entry.ws.observations("14", datasets=["unsd-goal14"], all_disaggregations=True)
    assert len(stored) == cli.new
    loads = entry.ws.dataset("unsd-goal14")["loads"]
    assert "unsd-ed, approved by rev" in set(loads["user"])
    # the same workbook again: nothing would change
    again = upload()["preview"]
    assert (again["new"], again["updated"], again["unchanged"]) == (0, 0, cli.new)
    # another entity's editor may not touch it now that UNSD owns it
    refused = client.post(
        "/api/requests/data",
        headers=entry.api("ed_a"),
        data={"dataset": "unsd-goal14"},
        files={"file": (workbook.name, workbook.read_bytes(), "application/octet-stream")},
    )
    assert refused.status_code == 403
    entry.ws.close()


def test_itu_answer_gets_a_record_from_the_form(tmp_path):
    answer = shared_path("questionnaires", "itu-2023.txt")
    entry = build(tmp_path / "itu.duckdb")
    registry = entry.ws.contributions
    registry.import_file(answer)
    before = registry.records(entity="ITU")
    entry.ws.accounts.add_user("itu-ed", role="editor", entity="ITU", password="a long enough password", actor="t")
    from .web_entry_app import sign_in

    client, csrf = sign_in(entry.app, "itu-ed", "a long enough password")
    year = int(before["year"].iloc[0])
    made = client.post(
        "/entry/records/new",
        data={
            "csrf_token": csrf,
            "kind": "event",
            "year": str(year),
            "name": "WSIS Forum side event on data",
            "description": "A session on harnessing data to track SDG progress.",
            "dates": "8 to 10 July 2023",
            "location": "Geneva, Switzerland",
            "goal": ["9", "17"],
            "action": "save",
        },
        follow_redirects=False,
    )
    request_id = int(made.headers["location"].rsplit("/", 1)[1])
    entry.ws.review.submit(entry.user("itu-ed"), request_id)
    entry.ws.review.approve(entry.user("rev"), request_id)
    after = registry.records(entity="ITU")
    assert len(after) == len(before) + 1
    added = after[~after["id"].isin(before["id"])].iloc[0]
    assert added["name"] == "WSIS Forum side event on data" and list(added["sdgs"]) == [9, 17]
    assert added["start_date"] == f"{2023}-07-08" and list(added["countries"]) == ["756"]
    # the records already there are untouched
    kept = after[after["id"].isin(before["id"])].set_index("id").sort_index()
    assert kept["name"].equals(before.set_index("id").sort_index()["name"])
    assert registry.submissions()["status"].tolist() == ["published"]
    entry.ws.close()
