"""Read a CSV (plain or gzip) or an Excel sheet into a DuckDB table of text columns.

Every table gets ``__line``: the line (CSV) or row (Excel) number a person sees in the file,
so every problem can name where it is. Unreadable files become a :class:`Problem`, never a
traceback.
"""
from __future__ import annotations

import math
from pathlib import Path

import duckdb
import pandas as pd

from ..errors import InvalidInputError, Problem
from .canonical import sql_str

EXCEL_SUFFIXES = (".xlsx", ".xlsm")


def is_excel(path: Path) -> bool:
    return path.suffix.lower() in EXCEL_SUFFIXES


def is_csv(path: Path) -> bool:
    name = path.name.lower()
    return name.endswith(".csv") or name.endswith(".csv.gz")


def csv_header(path: Path) -> list[str]:
    """The header row of a CSV file (for format detection); [] when unreadable."""
    import csv
    import gzip

    opener = gzip.open if path.name.lower().endswith(".gz") else open
    try:
        with opener(path, "rt", encoding="utf-8-sig", newline="") as f:
            for row in csv.reader(f):
                if any(cell.strip() for cell in row):
                    return [c.strip() for c in row]
    except (OSError, UnicodeDecodeError, EOFError, csv.Error):
        return []
    return []


def excel_header(path: Path, sheet: str | None = None) -> list[str]:
    try:
        from openpyxl import load_workbook

        wb = load_workbook(path, read_only=True, data_only=True)
        ws = wb[sheet] if sheet else wb.worksheets[0]
        for row in ws.iter_rows(max_row=1, values_only=True):
            return [str(c).strip() if c is not None else "" for c in row]
    except Exception:  # noqa: BLE001 - any failure means "not this format"
        return []
    return []


def load_csv(con, path: Path, table: str) -> list[str]:
    """Load ``path`` into ``table`` (all VARCHAR + __line). Returns the data column names."""
    source = Source(con, path)
    source.insert(f"CREATE OR REPLACE TEMP TABLE {table} AS SELECT * FROM {source.relation}")
    return source.columns


def load_excel(con, path: Path, table: str, sheet: str | None = None) -> list[str]:
    """Load the first (or named) sheet; cells become text as a person reads them (2015, not 2015.0)."""
    try:
        from openpyxl import load_workbook

        wb = load_workbook(path, read_only=True, data_only=True)
        ws = wb[sheet] if sheet else (wb["data"] if "data" in wb.sheetnames else wb.worksheets[0])
        rows = ws.iter_rows(values_only=True)
        header = [str(c).strip() if c is not None else "" for c in next(rows)]
        data = [[_cell_text(c) for c in row] for row in rows]
    except StopIteration:
        raise InvalidInputError([Problem(str(path), None, None, None, "a sheet with a header row")]) from None
    except Exception as exc:  # noqa: BLE001 - zip, XML or key errors from a damaged workbook
        raise InvalidInputError([Problem(str(path), None, None, None, f"a readable Excel workbook ({why(exc)})")]) from None
    width = len(header)
    frame = pd.DataFrame([(r + [None] * width)[:width] for r in data], columns=header, dtype=object)
    frame["__line"] = range(2, 2 + len(frame))
    frame = frame[frame.drop(columns="__line").notna().any(axis=1)]  # trailing empty rows
    # A replacement scan of the local DataFrame, not con.register(): DuckDB 2 refuses register()
    # while an earlier result on the connection is still open.
    excel_frame = frame  # noqa: F841 - read by name in the SQL below
    con.execute(f"CREATE OR REPLACE TEMP TABLE {table} AS SELECT * FROM excel_frame")
    return [c for c in header if c]


def load_table(con, path: Path, table: str) -> list[str]:
    return load_excel(con, path, table) if is_excel(path) else load_csv(con, path, table)


class Source:
    """A CSV or Excel file as a SQL relation of text columns plus ``__line``, read once.

    For a CSV, ``relation`` is a ``read_csv`` subquery, so an ``INSERT ... SELECT`` over it parses
    the file in the same pass that stages it (no intermediate copy of a 1 M-row table). Use
    :meth:`insert` so that read errors (truncated gzip, ragged rows) become a Problem.
    """

    def __init__(self, con, path: Path):
        self.con, self.path = con, path
        if is_excel(path):
            load_excel(con, path, "__excel_source")
            self.relation = "__excel_source"
            self.columns = [c for c in _columns(con, "__excel_source") if c != "__line"]
            return
        self.skip = leading_blank_lines(path)
        self.relation = (f"(SELECT *, (row_number() OVER () + {self.skip + 1})::INTEGER AS __line FROM "
                         f"read_csv({sql_str(str(path))}, all_varchar = true, header = true, skip = {self.skip}, "
                         "delim = ',', quote = '\"', escape = '\"', null_padding = false, strict_mode = true))")
        try:
            self.columns = [r[0] for r in con.execute(f"DESCRIBE SELECT * FROM {self.relation}").fetchall()
                            if r[0] != "__line"]
        except duckdb.Error as exc:
            raise InvalidInputError([Problem(str(path), None, None, None, f"a readable CSV file ({why(exc)})")]) from None

    def insert(self, sql: str) -> None:
        """Run an INSERT that reads ``self.relation``; a read failure names the file."""
        try:
            self.con.execute(sql)
        except duckdb.Error as exc:
            raise InvalidInputError([Problem(str(self.path), None, None, None,
                                             f"a readable {'Excel workbook' if is_excel(self.path) else 'CSV file'} "
                                             f"({why(exc)})")]) from None

    def close(self) -> None:
        self.con.execute("DROP TABLE IF EXISTS __excel_source")


def leading_blank_lines(path: Path) -> int:
    """Blank lines before the header (seen in real Open SDG files), so the header is found."""
    import gzip

    opener = gzip.open if path.name.lower().endswith(".gz") else open
    skip = 0
    try:
        with opener(path, "rt", encoding="utf-8-sig", newline="") as f:
            for line in f:
                if line.strip():
                    break
                skip += 1
    except (OSError, EOFError, UnicodeDecodeError) as exc:
        raise InvalidInputError([Problem(str(path), None, None, None, f"a readable UTF-8 CSV file ({why(exc)})")]) from None
    return skip


def _cell_text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, float):
        if math.isfinite(value) and value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _columns(con, table: str) -> list[str]:
    return [r[0] for r in con.execute(f"DESCRIBE {table}").fetchall()]


def why(exc: Exception) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:300]


def require_columns(path: Path, columns: list[str], required: list[str], what: str) -> None:
    missing = [c for c in required if c not in columns]
    if missing:
        raise InvalidInputError([Problem(str(path), 1, c, None, f"a column named {c!r} in the header ({what})")
                                 for c in missing])
