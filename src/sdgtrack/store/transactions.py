"""Ending a failed write transaction without hiding why it failed."""

from __future__ import annotations

import contextlib

import duckdb


def rollback(con: duckdb.DuckDBPyConnection) -> None:
    """Roll back after a failed write, in an ``except`` block that re-raises the original error.

    When DuckDB has already ended the transaction itself (a COMMIT that fails on a full disk, a
    fatal I/O error), ROLLBACK raises "cannot rollback - no transaction is active", and that error
    would replace the real cause in the user's message. There is nothing left to undo then: the
    store keeps its last committed state."""
    with contextlib.suppress(duckdb.Error):
        con.execute("ROLLBACK")
