"""One data-entry app shared by the security tests that do not change who owns what (building it
signs in every role: argon2 hashes cost a few seconds)."""

from __future__ import annotations

import pytest

from ..web_entry_app import build


@pytest.fixture(scope="session")
def entry(tmp_path_factory):
    built = build(tmp_path_factory.mktemp("security") / "entry.duckdb")
    yield built
    built.ws.close()
