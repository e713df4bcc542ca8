"""What an uploaded Excel workbook would cost to read, found before it is read.

An ``.xlsx`` is a zip of XML parts; openpyxl reads a sheet as a grid as large as its used range,
so a 5 KB file with one cell at XFD1048576, or a 100 KB file of 200,000 rows, costs tens of
seconds and gigabytes. :func:`check_workbook` looks only at the zip's directory and streams each
worksheet's XML through a few regular expressions (no XML parser, no workbook model), stopping at
the first limit passed, so a hostile workbook is refused in well under a second with one message.
The zip's declared sizes bound what reading it can produce (Python's zipfile, which openpyxl also
uses, stops a member at its declared size), so a zip bomb is refused from its directory.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib

from .errors import UserInputError

MAX_ROWS = 100_000  # rows of one sheet's used range
MAX_COLUMNS = 256  # columns of one sheet's used range (IV, the old Excel limit)
MAX_CELLS = 2_000_000  # cells written in all sheets
MAX_UNPACKED_BYTES = 64 * 1024 * 1024  # all parts together, uncompressed
MAX_PARTS = 1_000  # entries in the zip
CHUNK = 1 << 20

_SHEET_PART = re.compile(r"xl/worksheets/[^/]+\.xml")
_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(row|c|dimension)\b([^>]*)>")
_R = re.compile(rb'\sr="([A-Za-z]*)(\d*)"')
_REF = re.compile(rb'\sref="([^"]*)"')
_CELL_REF = re.compile(r"\$?([A-Za-z]{1,3})\$?(\d+)")


def column_number(letters: str) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n


def column_letters(n: int) -> str:
    out = ""
    while n:
        n, rest = divmod(n - 1, 26)
        out = chr(65 + rest) + out
    return out


def check_workbook(name: str, data: bytes) -> None:
    """Raise one :class:`UserInputError` naming the file, the sheet and the limit when the
    workbook ``data`` is over a limit or is not a readable zip."""
    advice = "save the sheet as CSV, split it, or load it with `sdgtrack ingest`"
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        parts = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError) as exc:
        raise UserInputError(f"{name}: not a readable Excel workbook ({exc}); expected an .xlsx file") from None
    if len(parts) > MAX_PARTS:
        raise UserInputError(f"{name}: the workbook holds {len(parts):,} parts; the limit is {MAX_PARTS:,}")
    unpacked = sum(p.file_size for p in parts)
    if unpacked > MAX_UNPACKED_BYTES:
        raise UserInputError(
            f"{name}: the workbook unpacks to {unpacked / 2**20:,.0f} MB; the limit for an upload is "
            f"{MAX_UNPACKED_BYTES / 2**20:.0f} MB ({advice})"
        )
    titles = _sheet_titles(archive)
    cells = 0
    for part in parts:
        if _SHEET_PART.fullmatch(part.filename):
            cells = _scan_sheet(archive, part, titles.get(part.filename, part.filename), name, cells, advice)


def _scan_sheet(archive: zipfile.ZipFile, part: zipfile.ZipInfo, sheet: str, name: str, cells: int, advice: str):
    """Stream one worksheet's XML: the used range it declares, its last row, its widest column and
    its cells, counted by regular expressions over whole chunks (C speed: a 20 MB sheet of 550,000
    cells in about half a second); a sheet whose rows or cells leave out their references (allowed,
    rare) is followed tag by tag instead."""
    scan = _Scan(name, sheet, advice, cells)
    carry = b""
    try:
        with archive.open(part) as stream:
            while True:
                chunk = stream.read(CHUNK)
                buffer = carry + chunk
                if not chunk:
                    usable, carry = buffer, b""
                else:  # a tag never spans a '>': what follows the last one waits for the next chunk
                    cut = buffer.rfind(b">") + 1
                    usable, carry = buffer[:cut], buffer[cut:]
                    if len(carry) > CHUNK:
                        raise UserInputError(f"{name}: sheet {sheet!r} holds a tag over {CHUNK:,} bytes long")
                scan.feed(usable)
                if not chunk:
                    return scan.cells
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, zlib.error) as exc:  # a damaged or lying member
        raise UserInputError(f"{name}: sheet {sheet!r} cannot be read ({exc}); expected an .xlsx file") from None


# The fast path: the layout Excel, LibreOffice and openpyxl write (no namespace prefix, ``r`` the
# first attribute); a regular expression with a literal start runs at memchr speed.
_ROW_NUMBER = re.compile(rb'<row r="(\d+)"')
_CELL_COLUMN = re.compile(rb'<c r="([A-Za-z]+)')
_DIMENSION = re.compile(rb'<dimension ref="([^"]*)"')


class _Scan:
    def __init__(self, name: str, sheet: str, advice: str, cells: int):
        self.name, self.sheet, self.advice, self.cells = name, sheet, advice, cells
        self.row = self.max_col = self.col = 0
        self.tag_by_tag = False

    def over(self, what: str, value: int, cap: int, unit: str) -> UserInputError:
        return UserInputError(
            f"{self.name}: sheet {self.sheet!r} {what} {value:,}; the limit for an uploaded workbook is "
            f"{cap:,} {unit} ({self.advice})"
        )

    def rows_to(self, row: int) -> None:
        if row > MAX_ROWS:
            raise self.over("has rows down to row", row, MAX_ROWS, "rows")
        self.row = max(self.row, row)

    def columns_to(self, col: int, letters: str | None = None) -> None:
        if col > MAX_COLUMNS:
            where = f"has a cell in column {letters or column_letters(col)}, column"
            raise self.over(where, col, MAX_COLUMNS, f"columns (up to {column_letters(MAX_COLUMNS)})")
        self.max_col = max(self.max_col, col)

    def count_cells(self, n: int) -> None:
        self.cells += n
        if self.cells > MAX_CELLS:
            raise UserInputError(
                f"{self.name}: the workbook holds over {MAX_CELLS:,} cells; the limit for an upload is "
                f"{MAX_CELLS:,} ({self.advice})"
            )

    def feed(self, xml: bytes) -> None:
        if b"<!DOCTYPE" in xml or b"<!ENTITY" in xml:
            raise UserInputError(f"{self.name}: sheet {self.sheet!r} declares XML entities; a workbook never does")
        prefixed = b":dimension" in xml or b":row" in xml or b":c " in xml
        for ref in _DIMENSION.findall(xml):
            last = _CELL_REF.fullmatch(ref.decode("ascii", "replace").split(":")[-1])
            if last:
                if int(last.group(2)) > MAX_ROWS:
                    raise self.over("declares a used range down to row", int(last.group(2)), MAX_ROWS, "rows")
                self.columns_to(column_number(last.group(1)), last.group(1).upper())
        if not self.tag_by_tag and not prefixed:
            rows = xml.count(b"<row ") + xml.count(b"<row>") + xml.count(b"<row/>")
            cells = xml.count(b"<c ") + xml.count(b"<c>") + xml.count(b"<c/>")
            numbers, columns = _ROW_NUMBER.findall(xml), _CELL_COLUMN.findall(xml)
            if rows == len(numbers) and cells == len(columns):
                if numbers:
                    self.rows_to(max(map(int, numbers)))
                self.count_cells(cells)
                for letters in set(columns):  # a sheet has few distinct columns
                    self.columns_to(column_number(letters.decode("ascii")), letters.decode("ascii").upper())
                return
            self.tag_by_tag = True
        self._tags(xml)

    def _tags(self, xml: bytes) -> None:
        for tag in _TAG.finditer(xml):
            kind, attrs = tag.group(1), tag.group(2)
            if kind == b"dimension":
                ref = _REF.search(attrs)
                last = _CELL_REF.fullmatch(ref.group(1).decode("ascii", "replace").split(":")[-1]) if ref else None
                if last and int(last.group(2)) > MAX_ROWS:
                    raise self.over("declares a used range down to row", int(last.group(2)), MAX_ROWS, "rows")
                if last:
                    self.columns_to(column_number(last.group(1)), last.group(1).upper())
                continue
            r = _R.search(attrs)
            if kind == b"row":
                self.rows_to(int(r.group(2)) if r and r.group(2) else self.row + 1)
                self.col = 0
                continue
            self.count_cells(1)
            self.col = column_number(r.group(1).decode("ascii")) if r and r.group(1) else self.col + 1
            self.columns_to(self.col)


def _sheet_titles(archive: zipfile.ZipFile) -> dict[str, str]:
    """Worksheet part -> the sheet's name as Excel shows it (best effort: the part name otherwise)."""
    try:
        book = archive.read("xl/workbook.xml")[: 4 * CHUNK]
        rels = archive.read("xl/_rels/workbook.xml.rels")[: 4 * CHUNK]
    except (KeyError, zipfile.BadZipFile, OSError, ValueError):
        return {}
    targets = {}
    for rel in re.finditer(rb"<Relationship\b([^>]*)>", rels):
        rid, target = re.search(rb'\sId="([^"]*)"', rel.group(1)), re.search(rb'\sTarget="([^"]*)"', rel.group(1))
        if rid and target:
            path = target.group(1).decode("utf-8", "replace").lstrip("/")
            targets[rid.group(1)] = path if path.startswith("xl/") else "xl/" + path
    titles = {}
    for sheet in re.finditer(rb"<(?:\w+:)?sheet\b([^>]*)>", book):
        title = re.search(rb'\sname="([^"]*)"', sheet.group(1))
        rid = re.search(rb'\s(?:\w+:)?id="([^"]*)"', sheet.group(1))
        if title and rid and rid.group(1) in targets:
            titles[targets[rid.group(1)]] = title.group(1).decode("utf-8", "replace")
    return titles
