"""Read a CSV (plain or gzip) or an Excel sheet into a DuckDB table of text columns.

Every table gets ``__line``: the line (CSV) or row (Excel) number a person sees in the file,
so every problem can name where it is. Unreadable files become a :class:`Problem`, never a
traceback.
"""

from __future__ import annotations

import csv
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
        for row in ws.iter_rows(max_row=50, values_only=True):  # the first non-empty row
            if any(c is not None and str(c).strip() for c in row):
                return [str(c).strip() if c is not None else "" for c in row]
    except Exception:  # noqa: BLE001 - any failure means "not this format"
        return []
    return []


def load_csv(con, path: Path, table: str) -> list[str]:
    """Load ``path`` into ``table`` (all VARCHAR + __line). Returns the data column names."""
    source = Source(con, path)
    source.insert(f"CREATE OR REPLACE TEMP TABLE {table} AS SELECT * FROM {source.relation}")
    rows = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    fix_lines(con, table, path, source.skip + 1, rows, line_column="__line", file_column=None)
    return source.columns


def load_excel(con, path: Path, table: str, sheet: str | None = None) -> list[str]:
    """Load the first (or named) sheet; cells become text as a person reads them (2015, not 2015.0)."""
    try:
        from openpyxl import load_workbook

        wb = load_workbook(path, read_only=True, data_only=True)
        ws = wb[sheet] if sheet else (wb["data"] if "data" in wb.sheetnames else wb.worksheets[0])
        rows = ws.iter_rows(values_only=True)
        header_row = 1  # the first non-empty row is the header; rows keep their sheet numbers
        first = next(rows)
        while not any(c is not None and str(c).strip() for c in first):
            first, header_row = next(rows), header_row + 1
        header = [str(c).strip() if c is not None else "" for c in first]
        data = [[_cell_text(c) for c in row] for row in rows]
    except StopIteration:
        raise InvalidInputError([Problem(str(path), None, None, None, "a sheet with a header row")]) from None
    except Exception as exc:  # noqa: BLE001 - zip, XML or key errors from a damaged workbook
        raise InvalidInputError(
            [Problem(str(path), None, None, None, f"a readable Excel workbook ({why(exc)})")]
        ) from None
    width = len(header)
    rows = [(r + [None] * width)[:width] for r in data]
    # Columns with an empty header cell (formatting left to the right of a UN download) are no
    # data: dropped, unless a cell below holds a value, which cannot be named, so it is an error.
    unnamed = [i for i, name in enumerate(header) if not name]
    problems = []
    for i in unnamed:
        row = next((n for n, r in enumerate(rows, header_row + 1) if r[i] is not None and str(r[i]).strip()), None)
        if row is not None:
            problems.append(
                Problem(
                    str(path),
                    row,
                    excel_column(i),
                    str(rows[row - header_row - 1][i]),
                    f"a column name in row {header_row} above a column that holds values",
                )
            )
    if problems:
        raise InvalidInputError(problems)
    keep = [i for i, name in enumerate(header) if name]
    frame = pd.DataFrame([[r[i] for i in keep] for r in rows], columns=[header[i] for i in keep], dtype=object)
    frame["__line"] = range(header_row + 1, header_row + 1 + len(frame))
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
        self.relation = (
            f"(SELECT *, (row_number() OVER () + {self.skip + 1})::INTEGER AS __line FROM "
            f"read_csv({sql_str(str(path))}, all_varchar = true, header = true, skip = {self.skip}, "
            "delim = ',', quote = '\"', escape = '\"', null_padding = false, strict_mode = true))"
        )
        try:
            self.columns = [
                r[0] for r in con.execute(f"DESCRIBE SELECT * FROM {self.relation}").fetchall() if r[0] != "__line"
            ]
        except duckdb.Error as exc:
            raise InvalidInputError(
                [Problem(str(path), None, None, None, f"a readable CSV file ({why(exc)})")]
            ) from None

    def insert(self, sql: str) -> int:
        """Run an INSERT that reads ``self.relation``; a read failure names the file. Returns the rows."""
        try:
            return self.con.execute(sql).fetchone()[0]
        except duckdb.Error as exc:
            raise self.unreadable(exc) from None

    def unreadable(self, exc: Exception) -> InvalidInputError:
        """The error of a statement that failed reading this file (truncated gzip, ragged row ...)."""
        what = "Excel workbook" if is_excel(self.path) else "CSV file"
        return InvalidInputError([Problem(str(self.path), None, None, None, f"a readable {what} ({why(exc)})")])

    def fix_lines(self, table: str, rows: int) -> None:
        """Make ``line`` of the ``rows`` staged from this CSV its physical line (see :func:`fix_lines`)."""
        if not is_excel(self.path):
            fix_lines(self.con, table, self.path, self.skip + 1, rows)

    def close(self) -> None:
        self.con.execute("DROP TABLE IF EXISTS __excel_source")


def _open_text(path: Path):
    import gzip

    opener = gzip.open if path.name.lower().endswith(".gz") else open
    return opener(path, "rt", encoding="utf-8-sig", newline="")


def physical_lines(path: Path) -> int:
    """Lines in a (gzip) text file, the last one counted even without a final newline."""
    import gzip

    opener = gzip.open if path.name.lower().endswith(".gz") else open
    n, last = 0, b"\n"
    with opener(path, "rb") as f:
        while chunk := f.read(1 << 24):
            n += chunk.count(b"\n")
            last = chunk[-1:]
    return n + (last != b"\n")


def record_lines(path: Path) -> list[int]:
    """The physical line on which each data record of a CSV starts, header excluded: blank lines
    and quoted cells spanning lines are counted; blank lines are no record (as in DuckDB's read_csv)."""
    out: list[int] = []
    header_seen, previous = False, 0
    with _open_text(path) as f:
        reader = csv.reader(f)
        for row in reader:
            start, previous = previous + 1, reader.line_num
            if not row:
                continue
            if header_seen:
                out.append(start)
            header_seen = True
    return out


def read_text_table(path: Path | str, line_column: str = "line") -> pd.DataFrame:
    """A small CSV as a DataFrame of text cells plus ``line_column``: the physical line of each row
    (blank lines and quoted multi-line cells counted). Rows with every cell blank are skipped.

    Raises OSError, UnicodeDecodeError, csv.Error, or ValueError (no header; a row with more cells
    than the header, naming its line) for the caller to turn into its own message.
    """
    header: list[str] | None = None
    rows, lines = [], []
    previous = 0
    with _open_text(Path(path)) as f:
        reader = csv.reader(f)
        for row in reader:
            start, previous = previous + 1, reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            if header is None:
                header = [c.strip() for c in row]
                continue
            if len(row) > len(header) and any(c.strip() for c in row[len(header) :]):
                raise ValueError(f"line {start} has {len(row)} cells, the header has {len(header)}")
            rows.append((row + [""] * len(header))[: len(header)])
            lines.append(start)
    if header is None:
        raise ValueError("no header row")
    frame = pd.DataFrame(rows, columns=header, dtype=object) if rows else pd.DataFrame(columns=header, dtype=object)
    frame[line_column] = pd.Series(lines, dtype="int64")
    return frame


def fix_lines(
    con,
    table: str,
    path: Path,
    header_line: int,
    n: int,
    line_column: str = "line",
    file_column: str | None = "source_file",
) -> None:
    """Staged CSV rows are numbered ``header_line + k`` (the k-th record) in one fast pass; that is
    the physical line unless the file has blank lines or multi-line quoted cells. ``n``: the rows
    staged from ``path``. A line count (one pass over the bytes) tells; only then is the file
    parsed again to renumber its rows (one UPDATE, evaluated on the old numbers)."""
    if not n:
        return
    try:
        if physical_lines(path) == header_line + n:
            return
        lines = record_lines(path)
    except (OSError, EOFError, UnicodeDecodeError, csv.Error):
        return  # unreadable here means DuckDB read it differently: keep its numbering
    naive = list(range(header_line + 1, header_line + n + 1))
    if len(lines) != n or lines == naive:  # e.g. only blank lines at the end: nothing to renumber
        return
    same_file = f"t.{file_column} = {sql_str(str(path))} AND" if file_column else ""
    con.execute(
        f"""UPDATE {table} t SET {line_column} = m.line
                    FROM (SELECT unnest(?::INTEGER[]) AS naive, unnest(?::INTEGER[]) AS line) m
                    WHERE {same_file} t.{line_column} = m.naive""",
        [naive, lines],
    )


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
        raise InvalidInputError(
            [Problem(str(path), None, None, None, f"a readable UTF-8 CSV file ({why(exc)})")]
        ) from None
    return skip


def excel_column(index: int) -> str:
    """Excel column letters of a 0-based column index (0 -> A, 27 -> AB)."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


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


def no_rows(path: Path) -> InvalidInputError:
    """A file with a header and no data row is an error, not an empty load."""
    return InvalidInputError(
        [Problem(str(path), None, None, None, "data rows below the header: the file has a header only (no rows)")]
    )


def require_columns(path: Path, columns: list[str], required: list[str], what: str) -> None:
    missing = [c for c in required if c not in columns]
    if missing:
        raise InvalidInputError(
            [Problem(str(path), 1, c, None, f"a column named {c!r} in the header ({what})") for c in missing]
        )
