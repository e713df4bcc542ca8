"""Reading the small text files users write by hand (targets, codebooks, matrices, exchange files)
with one message that names the real problem: a folder, an empty file, a workbook or other binary
file, UTF-16 or Latin-1 text where UTF-8 was expected, a row with too many cells.

(Indicator data files go through ``ingest/``, which reads them with DuckDB.)
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd

from .errors import UserInputError

SAVE_AS = "save it as 'CSV UTF-8' (Excel) or with UTF-8 encoding"


def read_text(path: str | Path, what: str) -> str:
    """The text of ``path`` (UTF-8, a BOM allowed); ``what`` names the file in messages
    ("targets file", "codebook")."""
    path = Path(path)
    if path.is_dir():
        raise UserInputError(f"{what} {path}: is a folder; expected a file")
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise UserInputError(f"{what} {path}: no such file") from None
    except OSError as exc:
        raise UserInputError(f"{what} {path}: cannot read it ({exc.strerror or exc})") from None
    if not data.strip():
        raise UserInputError(f"{what} {path}: the file is empty")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UserInputError(f"{what} {path}: UTF-16 text; expected UTF-8: {SAVE_AS}")
    if data.startswith(b"PK\x03\x04"):
        raise UserInputError(f"{what} {path}: an Excel workbook or other zip file; expected CSV text: {SAVE_AS}")
    if b"\x00" in data[:65536]:
        raise UserInputError(f"{what} {path}: a binary file (it holds NUL bytes); expected CSV text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        latin = data[exc.start : exc.start + 1].decode("latin-1")
        raise UserInputError(
            f"{what} {path}, line {line}: byte 0x{data[exc.start]:02x} is not UTF-8 (in Latin-1 it "
            f"would be {latin!r}): {SAVE_AS}"
        ) from None


def read_csv(path: str | Path, what: str, line_column: str = "line") -> pd.DataFrame:
    """A CSV file as text cells plus ``line_column``, the physical line of each row
    (``ingest.tables.read_text_table``); encoding, ragged rows and bad quoting named by line."""
    from .ingest.tables import read_text_table

    text = read_text(path, what)
    try:  # an unclosed quote swallows the rest of the file; only a strict reader notices
        for _ in csv.reader(io.StringIO(text, newline=""), strict=True):
            pass
    except csv.Error as exc:
        if "unexpected end of data" in str(exc):
            start = _quote_line(text)
            raise UserInputError(f'{what} {path}, line {start}: a quote (") opens a value that never closes') from None
    try:
        return read_text_table(path, line_column=line_column)
    except (csv.Error, ValueError) as exc:
        detail = str(exc).strip()
        if detail.startswith("line "):  # "line 4 has 6 cells, the header has 4"
            detail += " (a comma inside a value needs quotes)"
        raise UserInputError(f"{what} {path}: {detail}") from None


def _quote_line(text: str) -> int:
    """The line where the last quoted value opens and never closes."""
    lines, quoted, start = 1, False, 1
    for ch in text:
        if ch == '"':
            quoted = not quoted
            if quoted:
                start = lines
        elif ch == "\n":
            lines += 1
    return start
