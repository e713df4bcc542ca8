"""The audit log: every write through the live app and the account commands, with who, when, what,
and the object before and after (JSON). Written in the same transaction as the change it records,
so a change without its entry (or an entry without its change) cannot exist."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path
from typing import Iterator

import duckdb
import pandas as pd

from .. import csvsafe
from ..errors import UserInputError

COLUMNS = ["id", "at_time", "actor", "action", "object", "before", "after"]


def now() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)


def record(
    con: duckdb.DuckDBPyConnection, actor: str, action: str, obj: str, before: object = None, after: object = None
) -> None:
    """Append one entry; call inside the transaction of the write it describes."""
    con.execute(
        "INSERT INTO audit_log SELECT coalesce(max(id), 0) + 1, ?, ?, ?, ?, ?, ? FROM audit_log",
        [now(), actor, action, obj, _json(before), _json(after)],
    )


def entries(
    con: duckdb.DuckDBPyConnection,
    *,
    actor: str | None = None,
    action: str | None = None,
    obj: str | None = None,
    limit: int | None = None,
) -> pd.DataFrame:
    """Entries, newest first, filtered by actor, action (prefix: ``request.``) or object."""
    where, params = [], []
    for column, value, op in (("actor", actor, "= ?"), ("action", action, "LIKE ? || '%'"), ("object", obj, "= ?")):
        if value:
            where.append(f"{column} {op}")
            params.append(value)
    sql = (
        f"SELECT {', '.join(COLUMNS)} FROM audit_log {'WHERE ' + ' AND '.join(where) if where else ''} ORDER BY id DESC"
    )
    if limit:
        sql += f" LIMIT {int(limit)}"
    return con.execute(sql, params).df()


def write_csv(frame: pd.DataFrame, path: str | Path) -> Path:
    out = Path(path)
    try:
        with open(out, "w", encoding="utf-8", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(COLUMNS)
            writer.writerows(_csv_rows(frame))
    except OSError as exc:
        raise UserInputError(f"cannot write the audit log to {out}: {exc.strerror or exc}") from None
    return out


def csv_text(frame: pd.DataFrame) -> str:
    import io

    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(COLUMNS)
    writer.writerows(_csv_rows(frame))
    return buf.getvalue()


def _csv_rows(frame: pd.DataFrame) -> Iterator[list[str]]:
    for row in frame[COLUMNS].itertuples(index=False):
        yield [_cell(v) for v in row]


def _cell(value: object) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    # a spreadsheet would run a cell starting with = + - @ as a formula: the log holds user text
    return csvsafe.cell(str(value))


def _json(value: object) -> str | None:
    if value is None:
        return None
    return json.dumps(value, ensure_ascii=False, default=str, sort_keys=True)
