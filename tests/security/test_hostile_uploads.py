"""Hostile workbooks are refused fast, before and outside the write lock, with one clear message;
a sign-in never waits for an upload's check (issue 21, finding 2). Also long upload names
(finding 9) and record names (finding 10)."""

from __future__ import annotations

import threading
import time

import pytest

import sdgtrack.ingest
from sdgtrack.data_entry import MAX_RECORD_NAME, check_upload
from sdgtrack.errors import UserInputError

from ..conftest import shared_path
from ..web_entry_app import ROWS_A, sign_in
from .xlsx import inline, rows, workbook


def refused(data: bytes, name: str = "hostile.xlsx") -> tuple[str, float]:
    started = time.perf_counter()
    with pytest.raises(UserInputError) as info:
        check_upload(name, data)
    return str(info.value), time.perf_counter() - started


def test_200000_rows_refused_at_once():
    data = workbook(rows(200_000))
    assert len(data) < 4_000_000  # a small file: the 16 MB cap alone lets it through
    message, seconds = refused(data)
    assert "hostile.xlsx: sheet 'data' has rows down to row" in message and "100,000 rows" in message
    assert seconds < 3, seconds  # reading it took 31.7 s under the write lock


def test_one_cell_at_xfd1048576_refused():
    sheet = b'<row r="1">' + inline("A1", "series") + b'</row><row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
    message, seconds = refused(workbook(sheet))
    assert "row 1,048,576" in message and seconds < 1


def test_a_far_column_and_a_lying_used_range_refused():
    wide = b'<row r="1">' + inline("A1", "series") + b'<c r="XFD1"><v>1</v></c></row>'
    assert "column XFD" in refused(workbook(wide))[0]
    message, _ = refused(workbook(rows(3), dimension="A1:XFD1048576"))
    assert "declares a used range" in message


def test_zip_bomb_refused_from_the_directory():
    bomb = workbook(rows(3), extra={"xl/sharedStrings.xml": b" " * (70 * 2**20)})
    assert len(bomb) < 200_000
    message, seconds = refused(bomb)
    assert "unpacks to 70 MB" in message and "64 MB" in message and seconds < 1


def test_damaged_and_entity_declaring_workbooks_refused():
    assert "not a readable Excel workbook" in refused(b"PK\x03\x04" + b"\x00" * 100)[0]
    entities = workbook(b'<!DOCTYPE x [<!ENTITY a "aaaa">]><row r="1">' + inline("A1", "&a;") + b"</row>")
    assert "declares XML entities" in refused(entities)[0]


def test_a_real_workbook_passes():
    goal14 = shared_path("unsd", "Goal14.xlsx")
    assert check_upload(goal14.name, goal14.read_bytes()) == "Goal14.xlsx"


def test_the_api_refuses_a_hostile_workbook_and_keeps_nothing(entry):
    before = entry.count()
    answer = entry.sessions["ed_a"].post(
        "/api/requests/data",
        headers=entry.api("ed_a"),
        data={"dataset": "ds-a"},
        files={"file": ("big.xlsx", workbook(rows(200_000)), "application/octet-stream")},
    )
    assert answer.status_code == 422 and "100,000 rows" in answer.json()["detail"]
    assert entry.count() == before


def test_sign_in_never_waits_for_an_upload_check(entry, monkeypatch):
    checking, release = threading.Event(), threading.Event()
    original = sdgtrack.ingest.check

    def slow_validate(db, *args, **kwargs):
        checking.set()
        release.wait(15)
        return original(db, *args, **kwargs)

    monkeypatch.setattr(sdgtrack.ingest, "check", slow_validate)
    upload = threading.Thread(
        target=lambda: entry.ws.review.new_data(entry.user("ed_a"), "ds-a", "slow.csv", ROWS_A), daemon=True
    )
    upload.start()
    try:
        assert checking.wait(10)
        started = time.perf_counter()
        client, _ = sign_in(entry.app, "rev")  # needs the store's write lock to start a session
        waited = time.perf_counter() - started
        assert client.get("/entry").status_code == 200
    finally:
        release.set()
        upload.join(20)
    assert waited < 5, waited  # the upload's check held the lock for as long as it ran


def test_long_upload_names_are_shortened(entry):
    name = "x" * 400 + ".csv"
    kept = check_upload(name, ROWS_A)
    assert kept.endswith(".csv") and len(kept) <= 120
    answer = entry.sessions["ed_a"].post(
        "/api/requests/data",
        headers=entry.api("ed_a"),
        data={"dataset": "ds-a"},
        files={"file": (name, ROWS_A, "text/csv")},
    )
    assert answer.status_code == 201, answer.text[:300]
    assert len(answer.json()["file_name"]) <= 120


def test_record_names_have_a_cap(entry):
    client, csrf = entry.sessions["ed_a"], entry.csrf["ed_a"]
    before = entry.count()
    answer = client.post(
        "/entry/records/new",
        data={"csrf_token": csrf, "kind": "event", "year": "2023", "name": "N" * 100_000, "description": "d"},
    )
    assert answer.status_code == 422 and f"at most {MAX_RECORD_NAME}" in answer.text
    assert len(answer.text) < 150_000  # the page does not echo the name more than once
    assert entry.count() == before


def test_an_xml_entity_bomb_is_refused_without_a_server_path(entry):
    lol = '<!ENTITY l0 "lol">' + "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 8))
    bomb = (
        f'<?xml version="1.0"?><!DOCTYPE m [{lol}]><message:StructureSpecificData '
        'xmlns:message="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message"><message:Header>'
        "<message:ID>&l7;</message:ID></message:Header></message:StructureSpecificData>"
    ).encode()
    started = time.perf_counter()
    answer = entry.sessions["ed_a"].post(
        "/api/requests/data",
        headers=entry.api("ed_a"),
        data={"dataset": "ds-a"},
        files={"file": ("bomb.xml", bomb, "application/xml")},
    )
    assert answer.status_code == 422 and time.perf_counter() - started < 10
    detail = answer.json()["detail"]
    assert "bomb.xml" in detail and "/tmp" not in detail and "sdgtrack-upload" not in detail
