"""What a reviewer approves is what is published: a request is refused at approval when its
dataset's owner or content changed since its preview (issue 21, finding 3)."""

from __future__ import annotations

import pytest

from sdgtrack.errors import UserInputError

ROWS_1 = b"series,area,year,value\nSH_DYN_MORT,RWA,2015,11\n"
ROWS_2 = b"series,area,year,value\nSH_DYN_MORT,RWA,2015,999\nSH_DYN_MORT,RWA,2016,5\n"


def test_a_second_entity_cannot_publish_into_a_dataset_the_first_one_got(entry):
    first = entry.submitted("ed_a", "ds-race", ROWS_1)
    second = entry.submitted("ed_b", "ds-race", ROWS_2)  # previewed as "2 new" into a new dataset
    entry.ws.review.approve(entry.user("rev"), first)
    assert entry.ws.accounts.owner("ds-race") == "A"
    answer = entry.sessions["rev"].post(f"/api/requests/{second}/approve", headers=entry.api("rev"))
    assert answer.status_code == 422
    assert "ds-race now belongs to A, not to B" in answer.json()["detail"]
    assert entry.state(second) == "submitted"
    stored = entry.ws.observations("SH_DYN_MORT", datasets=["ds-race"])
    assert stored["value"].tolist() == [11.0]  # B's 999 never written into A's dataset
    assert len(entry.ws.dataset("ds-race")["loads"]) == 1


def test_a_preview_made_before_another_publish_is_not_published(entry):
    one = entry.submitted("ed_a", "ds-a", b"series,area,year,value\nSH_DYN_MORT,RWA,2021,30\n")
    two = entry.submitted("ed_a", "ds-a", b"series,area,year,value\nSH_DYN_MORT,RWA,2021,31\n")
    entry.ws.review.approve(entry.user("rev"), one)
    with pytest.raises(UserInputError, match="has changed since this request was previewed"):
        entry.ws.review.approve(entry.user("rev"), two)
    assert entry.state(two) == "submitted"


def test_a_request_is_refused_after_its_dataset_is_given_to_another_entity(entry):
    entry.ws.accounts.set_owner("ds-moved", "A", actor="test")
    draft = entry.submitted("ed_a", "ds-moved", ROWS_1)
    answer = entry.sessions["admin"].post(
        "/admin/datasets/owner", data={"csrf_token": entry.csrf["admin"], "dataset": "ds-moved", "entity": "B"}
    )
    assert answer.status_code == 200 and "ds-moved belongs to B" in answer.text
    with pytest.raises(UserInputError, match="now belongs to B"):
        entry.ws.review.approve(entry.user("rev"), draft)
    assert not entry.ws.store.has_dataset("ds-moved")
