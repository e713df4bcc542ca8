"""Kept results: the last run of an analysis the store keeps beside the data (tables ``kept_run`` and
``kept_<analysis>_*``, migration 5), so pages, the API and later sessions read it without running it
again. The analysis shapes its result into rows of its own tables (``index/store.py``,
``links/store.py``); this module writes and reads them, one analysis at a time, in one transaction.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timezone

import duckdb
import pandas as pd

from .transactions import rollback

# The tables each kept analysis owns, with the order their rows are read back in.
TABLES: dict[str, dict[str, str]] = {
    "index": {
        "kept_index_area": "position",
        "kept_index_goal": "area, goal",
        "kept_index_indicator": "position",
    },
    "links": {
        "kept_links_pair": "position",
        "kept_links_goal": "position",
        "kept_links_node": "position",
    },
}


@dataclass
class KeptRun:
    """A kept analysis as the store holds it: when it ran, its method and parameters, the rest of
    what rebuilds its result (``about``) and its tables' rows."""

    analysis: str
    run_at: str
    method: str
    parameters: dict
    about: dict
    tables: dict[str, pd.DataFrame]


def save(
    con: duckdb.DuckDBPyConnection,
    analysis: str,
    *,
    method: str,
    parameters: dict,
    about: dict,
    tables: dict[str, pd.DataFrame],
    n_rows: int,
) -> None:
    """Replace the kept ``analysis`` by this run in one transaction. ``tables``: store table -> rows
    with its columns (a table of the analysis not given is left empty)."""
    owned = TABLES[analysis]
    unknown = set(tables) - set(owned)
    if unknown:
        raise ValueError(f"{analysis} keeps no table {sorted(unknown)}")
    con.execute("BEGIN")
    try:
        con.execute("DELETE FROM kept_run WHERE analysis = ?", [analysis])
        for table in owned:
            con.execute(f"DELETE FROM {table}")
        con.execute(
            "INSERT INTO kept_run VALUES (?, ?, ?, ?, ?, ?)",
            [
                analysis,
                datetime.now(timezone.utc).replace(tzinfo=None),
                method,
                json.dumps(parameters, default=str),
                json.dumps(about, default=str),
                n_rows,
            ],
        )
        for table, frame in tables.items():
            if frame.empty:
                continue
            if "position" not in frame.columns and table != "kept_index_goal":
                frame = frame.assign(position=range(len(frame)))
            columns = ", ".join(f'"{c}"' for c in frame.columns)
            con.register("_kept_rows", frame)
            try:
                con.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM _kept_rows")
            finally:
                con.unregister("_kept_rows")
        con.execute("COMMIT")
    except Exception:
        rollback(con)
        raise


def run_time(con: duckdb.DuckDBPyConnection, analysis: str) -> str | None:
    """When the kept ``analysis`` was saved, or None when the store keeps none (a cheap fingerprint)."""
    row = con.execute("SELECT run_at FROM kept_run WHERE analysis = ?", [analysis]).fetchone()
    return str(row[0]) if row else None


def about(con: duckdb.DuckDBPyConnection, analysis: str) -> dict | None:
    """The kept run's own record (counts, window, notes) without its tables, or None when none is kept."""
    row = con.execute("SELECT about FROM kept_run WHERE analysis = ?", [analysis]).fetchone()
    return json.loads(row[0]) if row else None


def load(con: duckdb.DuckDBPyConnection, analysis: str) -> KeptRun | None:
    """The kept ``analysis`` with every row of its tables, or None when the store keeps none."""
    row = con.execute(
        "SELECT run_at, method, parameters, about FROM kept_run WHERE analysis = ?", [analysis]
    ).fetchone()
    if row is None:
        return None
    tables = {
        table: con.execute(f"SELECT * FROM {table} ORDER BY {order}").df() for table, order in TABLES[analysis].items()
    }
    return KeptRun(analysis, str(row[0]), row[1], json.loads(row[2]), json.loads(row[3]), tables)


def rows_of(
    con: duckdb.DuckDBPyConnection,
    table: str,
    where: str = "",
    params: list | None = None,
    order: str = "",
    limit: int | None = None,
) -> pd.DataFrame:
    """Some rows of one kept table (``where``: a SQL condition on its columns): pages read the few rows
    they show without loading a whole series-level run."""
    if not any(table in owned for owned in TABLES.values()):
        raise ValueError(f"no kept table {table!r}")
    sql = f"SELECT * FROM {table}" + (f" WHERE {where}" if where else "") + (f" ORDER BY {order}" if order else "")
    sql += f" LIMIT {int(limit)}" if limit is not None else ""
    return con.execute(sql, params or []).df()


def restore_types(frame: pd.DataFrame, columns: list[list[str]]) -> pd.DataFrame:
    """``frame`` with the columns, their order and their pandas types as the result had them
    (``columns``: [name, dtype] pairs recorded when it was kept)."""
    out = frame[[name for name, _ in columns]].copy()
    for name, dtype in columns:
        if str(out[name].dtype) == dtype:
            continue
        if dtype == "object":
            out[name] = out[name].astype(object).where(out[name].notna(), None)
        else:
            out[name] = out[name].astype(pd.api.types.pandas_dtype(dtype))
    return out


def column_types(frame: pd.DataFrame) -> list[list[str]]:
    """[name, dtype] of every column (see :func:`restore_types`)."""
    return [[str(c), str(t)] for c, t in frame.dtypes.items()]
