"""Hostile workbooks are refused fast, before and outside the write lock, with one clear message;
a sign-in never waits for an upload's check (issue 21, finding 2). Also long upload names
(finding 9) and record names (finding 10)."""

from __future__ import annotations

import io
import threading
import zipfile

import pytest

import sdgtrack.ingest
from sdgtrack.data_entry import MAX_RECORD_NAME, check_upload
from sdgtrack.errors import UserInputError

from ..conftest import shared_path
from ..web_entry_app import ROWS_A, sign_in
from .xlsx import inline, rows, workbook


@pytest.fixture
def unpacked(monkeypatch) -> dict[str, int]:
    """Bytes unpacked from each workbook member during a check; and no workbook ever reaches
    openpyxl (parsing the 200,000-row sheet with it took 31.7 s under the write lock)."""
    import openpyxl

    def parsed(*args, **kwargs):
        raise AssertionError("a hostile workbook reached openpyxl")

    monkeypatch.setattr(openpyxl, "load_workbook", parsed)
    counts: dict[str, int] = {}
    plain_read = zipfile.ZipExtFile.read

    def counted(self, n=-1):
        data = plain_read(self, n)
        counts[self.name] = counts.get(self.name, 0) + len(data)
        return data

    monkeypatch.setattr(zipfile.ZipExtFile, "read", counted)
    return counts


def refused(data: bytes, name: str = "hostile.xlsx") -> str:
    with pytest.raises(UserInputError) as info:
        check_upload(name, data)
    return str(info.value)


def sheet_size(data: bytes) -> int:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.getinfo("xl/worksheets/sheet1.xml").file_size


def test_200000_rows_refused_at_once(unpacked):
    data = workbook(rows(200_000))
    assert len(data) < 4_000_000  # a small file: the 16 MB cap alone lets it through
    message = refused(data)
    assert "hostile.xlsx: sheet 'data' has rows down to row" in message and "100,000 rows" in message
    # the stream stopped near row 100,001: the rest of the sheet was never unpacked
    assert unpacked["xl/worksheets/sheet1.xml"] < 0.6 * sheet_size(data), (unpacked, sheet_size(data))


def test_one_cell_at_xfd1048576_refused(unpacked):
    sheet = b'<row r="1">' + inline("A1", "series") + b'</row><row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
    assert "row 1,048,576" in refused(workbook(sheet))


def test_a_far_column_and_a_lying_used_range_refused(unpacked):
    wide = b'<row r="1">' + inline("A1", "series") + b'<c r="XFD1"><v>1</v></c></row>'
    assert "column XFD" in refused(workbook(wide))
    assert "declares a used range" in refused(workbook(rows(3), dimension="A1:XFD1048576"))


def test_zip_bomb_refused_from_the_directory(unpacked):
    bomb = workbook(rows(3), extra={"xl/sharedStrings.xml": b" " * (70 * 2**20)})
    assert len(bomb) < 200_000
    message = refused(bomb)
    assert "unpacks to 70 MB" in message and "64 MB" in message
    assert unpacked == {}  # refused from the zip directory: not one byte was unpacked


def test_damaged_and_entity_declaring_workbooks_refused(unpacked):
    assert "not a readable Excel workbook" in refused(b"PK\x03\x04" + b"\x00" * 100)
    entities = workbook(b'<!DOCTYPE x [<!ENTITY a "aaaa">]><row r="1">' + inline("A1", "&a;") + b"</row>")
    assert "declares XML entities" in refused(entities)


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
        release.wait(60)
        return original(db, *args, **kwargs)

    monkeypatch.setattr(sdgtrack.ingest, "check", slow_validate)
    upload = threading.Thread(
        target=lambda: entry.ws.review.new_data(entry.user("ed_a"), "ds-a", "slow.csv", ROWS_A), daemon=True
    )
    upload.start()
    try:
        assert checking.wait(30)
        client, _ = sign_in(entry.app, "rev")  # needs the store's write lock to start a session
        # the check is still running: had it held the write lock, the sign-in would have waited
        # for it to end (60 s), however slow this machine is
        assert upload.is_alive() and not release.is_set()
        assert client.get("/entry").status_code == 200
    finally:
        release.set()
        upload.join(70)


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
    answer = entry.sessions["ed_a"].post(
        "/api/requests/data",
        headers=entry.api("ed_a"),
        data={"dataset": "ds-a"},
        files={"file": ("bomb.xml", bomb, "application/xml")},
    )
    assert answer.status_code == 422
    detail = answer.json()["detail"]
    assert "amplification" in detail  # the parser stopped the expansion; it never built the 30 MB text
    assert "bomb.xml" in detail and "/tmp" not in detail and "sdgtrack-upload" not in detail
