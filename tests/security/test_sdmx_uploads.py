"""An SDMX upload never takes a structure file from the server's temporary folders, and no message
shows a server path (issue 21, finding 8)."""

from __future__ import annotations

import tempfile

from sdgtrack.ingest.readers.sdmx import UPLOAD_MARKER, find_dsd

from ..conftest import shared_path

PLANTED = (
    '<?xml version="1.0"?><message:Structure xmlns:message="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message">'
    "<DataStructure>planted by whoever may write to the temporary folder</DataStructure></message:Structure>"
)


def test_an_upload_ignores_a_structure_file_planted_in_the_temp_folder(entry, tmp_path, monkeypatch):
    data = shared_path("opensdg", "rwanda", "sdmx-data", "2025_RWA-SDG_Data.xml").read_bytes()
    shared_tmp = tmp_path / "tmp"
    shared_tmp.mkdir()
    (shared_tmp / "planted.xml").write_text(PLANTED, encoding="utf-8")
    monkeypatch.setattr(tempfile, "tempdir", str(shared_tmp))  # the server's temporary folder
    made = entry.ws.review.new_data(entry.user("ed_a"), "ds-sdmx", "rwanda.xml", data)
    preview = made["preview"]
    assert preview["new"] == 2_330, preview
    text = repr(preview)
    assert "planted" not in text and str(tmp_path) not in text


def test_the_search_stops_at_an_upload_folder_and_at_shared_folders(tmp_path, monkeypatch):
    (tmp_path / "planted.xml").write_text(PLANTED, encoding="utf-8")
    upload = tmp_path / "uploads" / "request-1"
    upload.mkdir(parents=True)
    data = upload / "data.xml"
    data.write_text("<x/>", encoding="utf-8")
    assert find_dsd(data) == tmp_path / "planted.xml"  # a folder of the user's own: searched as before
    (upload / UPLOAD_MARKER).touch()
    assert find_dsd(data) is None
    (upload / UPLOAD_MARKER).unlink()
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    assert find_dsd(data) is None  # never in a shared temporary folder
