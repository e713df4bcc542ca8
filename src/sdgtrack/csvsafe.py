"""Cells of a published CSV made safe to open in a spreadsheet.

A spreadsheet reads a cell that starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage
return before one) as a formula: ``=HYPERLINK(...)`` or ``+cmd|' /C calc'!A0`` in a series label
of an approved upload or an Open SDG repository would run on the reader's machine. As OWASP's
"CSV Injection" page advises, such a cell gets a leading ``'`` (shown as text, never evaluated).
Numbers are left as they are, written as numbers or as text (``-1.5``, ``+3``, ``-1e-05``), so
every value column reads back unchanged, and so is a lone ``-`` (a table's "no value"). Every CSV the project publishes (the API, the site's
data and headline files, contributions, metadata, the audit log) goes through this module.
"""

from __future__ import annotations

import re
from typing import Any, Iterable

import numpy as np
import pandas as pd

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def cell(value: Any) -> Any:
    """One cell: text that a spreadsheet would take for a formula gets a leading ``'``."""
    if isinstance(value, str) and len(value) > 1 and value.startswith(TRIGGERS) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def column(values: Iterable[Any] | np.ndarray | pd.Series) -> np.ndarray:
    """A whole column at once (object array out); only text cells are looked at."""
    series = values if isinstance(values, pd.Series) else pd.Series(np.asarray(values, dtype=object), dtype=object)
    out = series.to_numpy(dtype=object, copy=True)
    if not len(out):
        return out
    is_text = np.fromiter((isinstance(v, str) for v in out), dtype=bool, count=len(out))
    if not is_text.any():
        return out
    text = series[is_text].astype(str)
    risky = text.str[:1].isin(TRIGGERS) & (text.str.len() > 1) & ~text.str.fullmatch(_NUMBER.pattern)
    if risky.any():
        where = np.flatnonzero(is_text)[risky.to_numpy()]
        out[where] = ["'" + v for v in text[risky].tolist()]
    return out


def frame(table: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``table`` with every text column neutralised (number columns untouched); the
    column names too, which a data file's header takes from its source."""
    out = table.copy()
    for name in out.columns:
        if out[name].dtype == object or pd.api.types.is_string_dtype(out[name].dtype):
            out[name] = column(out[name])
    out.columns = [cell(c) for c in out.columns]
    return out


def rows(records: Iterable[Iterable[Any]]) -> list[list[Any]]:
    """Rows of cells (for ``csv.writer``), each cell through :func:`cell`."""
    return [[cell(v) for v in row] for row in records]


def undo_column(values: pd.Series) -> pd.Series:
    """Read back a column this module wrote: ``'=x`` is ``=x`` again (a CSV the project exports and
    imports, such as the contributions registry's, round-trips)."""
    text = values.astype(str)
    marked = text.str.startswith("'") & text.str[1:2].isin(TRIGGERS)
    return values.where(~marked, text.str[1:])
