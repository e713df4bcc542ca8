"""Staging for "long" tables (one observation per row) whose columns map onto the canonical row.

The UN Global Database download and the tidy CSV differ only in their column names and in which
columns are not dimensions; each reader states that as a :class:`LongLayout` and this module
does the detection and the single INSERT that stages the file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .canonical import CANONICAL_NAMES, dims_sql, quote, sql_str
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
        # Rows with a blank value are staged too: the loader counts and reports them.
        rows = source.insert(
            f"INSERT INTO {staging} ({', '.join(CANONICAL_NAMES)}) SELECT {', '.join(values)} FROM {source.relation}"
        )
        source.fix_lines(staging, rows)
        source.close()
        if not rows:
            raise no_rows(path)
        result = ReadResult()
        if dims:
            result.notes.append(f"{path.name}: dimensions {', '.join(sorted(dims))}")
        return result
