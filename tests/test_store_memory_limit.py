"""$SDGTRACK_MEMORY_LIMIT sets DuckDB's memory limit for the store; a bad value is one clear message."""

from __future__ import annotations

import pytest

import sdgtrack
from sdgtrack.errors import UserInputError


def test_memory_limit_is_applied(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("SDGTRACK_MEMORY_LIMIT", "1GB")
    with sdgtrack.Database(tmp_path / "s.duckdb") as db:
        limit = db.con.execute("SELECT current_setting('memory_limit')").fetchone()[0]
    assert limit.replace(" ", "") in {"953.6MiB", "1.0GB", "1GB", "1000.0MB"}


def test_a_bad_memory_limit_is_refused_and_creates_nothing(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("SDGTRACK_MEMORY_LIMIT", "lots")
    with pytest.raises(UserInputError, match="SDGTRACK_MEMORY_LIMIT='lots': expected a size such as 8GB"):
        sdgtrack.Database(tmp_path / "s.duckdb")
    assert not (tmp_path / "s.duckdb").exists()
