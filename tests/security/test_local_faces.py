"""The local faces of issue 21 (finding 12): `site serve` lists no folder, and reading commands
never create ./sdgtrack.duckdb."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import urllib.error
import urllib.request

import pytest

from sdgtrack.publish.build import MANIFEST
from sdgtrack.publish.serve import make_server


def test_site_serve_lists_no_folder(tmp_path):
    site = tmp_path / "site"
    (site / "en" / "data").mkdir(parents=True)
    (site / MANIFEST).write_text("{}", encoding="utf-8")
    (site / "en" / "data" / "3-2-1.csv").write_text("Year,Value\n2020,1\n", encoding="utf-8")
    (site / "en" / "index.html").write_text("<p>home</p>", encoding="utf-8")
    os.environ["SDGTRACK_QUIET_SERVER"] = "1"
    server = make_server(site, port=0)
    port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        base = f"http://127.0.0.1:{port}"
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        assert opener.open(f"{base}/en/").read() == b"<p>home</p>"
        assert opener.open(f"{base}/en/data/3-2-1.csv").status == 200
        with pytest.raises(urllib.error.HTTPError) as listing:
            opener.open(f"{base}/en/data/")
        assert listing.value.code == 404 and b"3-2-1.csv" not in listing.value.read()
    finally:
        server.shutdown()
        server.server_close()


def test_reading_commands_create_no_store(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "SDGTRACK_DB"}
    for args in (["framework", "list", "--level", "goal"], ["framework", "show", "3.2.1"], ["areas", "list"]):
        done = subprocess.run(
            [sys.executable, "-m", "sdgtrack.cli", *args], cwd=tmp_path, env=env, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr
        assert list(tmp_path.iterdir()) == [], args
    assert "Under-5 mortality rate" in done.stdout or "Afghanistan" in done.stdout
