"""The store keeps the last assessment with its parameters (tables progress_run, progress_result)."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pandas as pd

from ..store.transactions import rollback

RESULT_COLUMNS = [
    "series",
    "area",
    "disaggregation",
    "method",
    "baseline_year",
    "baseline_value",
    "latest_year",
    "latest_value",
    "target",
    "target_year",
    "direction",
    "cagr",
    "ratio",
    "status",
    "score",
    "target_met",
    "dataset",
]


def save(con, frame: pd.DataFrame) -> None:
    """Replace the kept assessment by ``frame`` (series level) in one transaction."""
    rows = frame[RESULT_COLUMNS].copy()
    con.execute("BEGIN")
    try:
        con.execute("DELETE FROM progress_result")
        con.execute("DELETE FROM progress_run")
        con.execute(
            "INSERT INTO progress_run VALUES (?, ?, ?, ?)",
            [
                datetime.now(timezone.utc).replace(tzinfo=None),
                frame.attrs.get("method"),
                json.dumps(frame.attrs, default=str),
                len(rows),
            ],
        )
        con.register("_progress_rows", rows)
        con.execute(f"INSERT INTO progress_result SELECT {', '.join(RESULT_COLUMNS)} FROM _progress_rows")
        con.unregister("_progress_rows")
        con.execute("COMMIT")
    except Exception:
        rollback(con)
        raise


def run_time(con) -> str | None:
    """When the kept assessment was saved (None when the store keeps none): a cheap fingerprint."""
    run = con.execute("SELECT run_at FROM progress_run").fetchall()
    return str(run[0][0]) if run else None


def load(con) -> pd.DataFrame | None:
    run = con.execute("SELECT run_at, parameters FROM progress_run").fetchone()
    if run is None:
        return None
    frame = con.execute("SELECT * FROM progress_result ORDER BY series, area").df()
    frame.attrs.update(json.loads(run[1]))
    frame.attrs["run_at"] = str(run[0])
    return frame
