"""Reading the small text files users write by hand (targets, codebooks, matrices, exchange files)
with one message that names the real problem: a folder, an empty file, a workbook or other binary
file, UTF-16 or Latin-1 text where UTF-8 was expected, a row with too many cells.

(Indicator data files go through ``ingest/``, which reads them with DuckDB.)
"""
from __future__ import annotations

import csv
import io
import re
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
        latin = data[exc.start:exc.start + 1].decode("latin-1")
        raise UserInputError(f"{what} {path}, line {line}: byte 0x{data[exc.start]:02x} is not UTF-8 (in Latin-1 it "
                             f"would be {latin!r}): {SAVE_AS}") from None


def read_csv(path: str | Path, what: str) -> pd.DataFrame:
    """A CSV file as text cells (no NA guessing); ragged rows and bad quoting named by line."""
    text = read_text(path, what)
    rows = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(rows)
        for row in rows:
            if len(row) > len(header) and any(cell.strip() for cell in row[len(header):]):
                raise UserInputError(f"{what} {path}, line {rows.line_num}: {len(row)} cells; the header has "
                                     f"{len(header)} (a comma inside a value needs quotes)")
    except csv.Error as exc:
        raise UserInputError(f"{what} {path}, line {rows.line_num}: not valid CSV ({exc})") from None
    try:
        return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        quote = re.search(r"EOF inside string starting at row (\d+)", str(exc))
        if quote:  # pandas counts rows from 0 at the header
            raise UserInputError(f"{what} {path}, line {int(quote.group(1)) + 1}: a quote (\") opens a value that "
                                 "never closes") from None
        raise UserInputError(f"{what} {path}: not valid CSV ({str(exc).strip()})") from None
