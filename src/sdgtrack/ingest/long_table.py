"""Staging for "long" tables (one observation per row) whose columns map onto the canonical row.

The UN Global Database download and the tidy CSV differ only in their column names and in which
columns are not dimensions; each reader states that as a :class:`LongLayout` and this module
does the detection and the single INSERT that stages the file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .canonical import ATTRIBUTE_NAMES, CANONICAL_NAMES, dims_sql, quote, sql_str
from .registry import ReadResult
from .tables import Source, csv_header, excel_header, is_csv, is_excel, no_rows, require_columns

# canonical field -> SQL template over the source column ({c}); blank cells become NULL
_FIELD_SQL = {
    "series": "trim({c})",
    "series_description": "nullif(trim({c}), '')",
    "indicator": "nullif(replace({c}, ' ', ''), '')",
    "area_raw": "trim({c})",
    "period": "trim({c})",
    "value_raw": "trim({c})",
    "unit": "coalesce(trim({c}), '')",
    "nature": "nullif(nullif(trim({c}), ''), 'NOTSPEC')",  # NOTSPEC: the DDF export's "not given"
    "obs_status": "nullif(trim({c}), '')",
    "source": "nullif(trim({c}), '')",
    "footnote": "nullif(trim({c}), '')",
}
_REQUIRED_FIELDS = ("series", "area_raw", "period", "value_raw")
# fields whose cell is NULL on every row of a file without their column ('unit' is '' then)
_NULL_WHEN_ABSENT = ("series_description", "indicator", "nature", "obs_status", "source", "footnote")


@dataclass(frozen=True)
class LongLayout:
    columns: dict[str, str]  # canonical field -> column name in the file
    not_dimensions: frozenset[str]  # further columns that are neither fields nor dimensions
    what: str  # how the layout is named in messages
    # dimension -> values that say the same as a blank cell (staged blank, so that a file that
    # writes them and one that leaves the column out give the same keys)
    blank_equivalents: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def required(self) -> list[str]:
        return [self.columns[f] for f in _REQUIRED_FIELDS]

    def matches(self, path: Path) -> bool:
        if path.is_dir():
            return False
        header = csv_header(path) if is_csv(path) else excel_header(path) if is_excel(path) else []
        return all(c in header for c in self.required)

    def stage(self, con, path: Path, staging: str) -> ReadResult:
        source, select, dims = self._select(con, path)
        # Rows with a blank value are staged too: the loader counts and reports them.
        rows = source.insert(f"INSERT INTO {staging} ({', '.join(CANONICAL_NAMES)}) {select}")
        source.fix_lines(staging, rows)
        source.close()
        if not rows:
            raise no_rows(path)
        return self._result(path, dims)

    def relation(self, con, path: Path) -> Relation:
        """The file's canonical rows as a SELECT, for a loader that parses them in the same pass
        that reads the file (no staged copy); attribute columns are NULL."""
        source, select, dims = self._select(con, path)
        attributes = ", ".join(f"NULL::VARCHAR AS {name}" for name in ATTRIBUTE_NAMES)
        names = ", ".join(CANONICAL_NAMES)
        return Relation(
            sql=f"SELECT *, {attributes} FROM ({select}) AS canonical({names})",
            source=source,
            result=self._result(path, dims),
            indicators=self.columns.get("indicator") in source.columns,
            absent=tuple(
                [
                    name
                    for name in _NULL_WHEN_ABSENT
                    if name not in self.columns or self.columns[name] not in source.columns
                ]
                + ATTRIBUTE_NAMES
            ),
        )

    def _select(self, con, path: Path) -> tuple[Source, str, list[str]]:
        source = Source(con, path)
        require_columns(path, source.columns, self.required, self.what)
        mapped = set(self.columns.values()) | self.not_dimensions
        dims = [c for c in source.columns if c not in mapped]
        values = []
        for name in CANONICAL_NAMES:
            if name == "dims":
                cells = {
                    c: f"CASE WHEN trim({quote(c)}) IN ({', '.join(sql_str(v) for v in same)}) THEN NULL "
                    f"ELSE {quote(c)} END"
                    for c, same in self.blank_equivalents.items()
                    if c in dims
                }
                values.append(dims_sql(dims, cells))
            elif name == "source_file":
                values.append(sql_str(str(path)))
            elif name == "line":
                values.append("__line")
            else:
                column = self.columns.get(name)
                present = column is not None and column in source.columns
                values.append(_FIELD_SQL[name].format(c=quote(column) if present else "NULL"))
        return source, f"SELECT {', '.join(values)} FROM {source.relation}", dims

    @staticmethod
    def _result(path: Path, dims: list[str]) -> ReadResult:
        result = ReadResult()
        if dims:
            result.notes.append(f"{path.name}: dimensions {', '.join(sorted(dims))}")
        return result


@dataclass(frozen=True)
class Relation:
    """A file's canonical rows as SQL (``sql``, columns as the staging table's), read when the
    loader runs it; ``source`` names the file in read errors and numbers its lines."""

    sql: str
    source: Source
    result: ReadResult
    indicators: bool  # whether the file has an indicator column (else every cell is NULL)
    absent: tuple[str, ...]  # the columns NULL on every row: the file has no column for them
