"""The one kind every analysis returns: tables plus what a reader needs to trust them.

A :class:`Result` carries its tables (the first is the main one), the method and its parameters,
the data window, the datasets the figures came from, a short summary of counts and notes. Faces
only choose a format: ``describe()`` for people, ``to_json()`` for programs (typed: lists stay
lists, numbers are numbers, missing is ``null``), the tables for CSV. The JSON document's shape
is the pydantic model :class:`ResultDocument`, whose JSON Schema the web API publishes.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import numpy as np
import pandas as pd
from pydantic import BaseModel, Field


class ResultDocument(BaseModel):
    """The JSON form of a :class:`Result`."""

    analysis: str = Field(description="Which analysis: progress, index, links, coverage, tagging, cities ...")
    method: str = Field(description="The method as published, e.g. 'UNSD progress assessment (SDG Report)'")
    parameters: dict[str, Any] = Field(description="Every parameter the method ran with")
    data_window: dict[str, Any] = Field(description="The years the figures come from")
    datasets: dict[str, int] = Field(description="Dataset id -> how many series (or values) it gave")
    summary: dict[str, Any] = Field(description="Counts a person wants first")
    description: str = Field(description="One paragraph saying what was done")
    notes: list[str] = Field(default_factory=list)
    tables: dict[str, list[dict[str, Any]]] = Field(
        description="Named tables as lists of rows; the first is the main one"
    )


@dataclass
class Result:
    analysis: str
    method: str
    parameters: dict[str, Any]
    tables: dict[str, pd.DataFrame]
    data_window: dict[str, Any] = field(default_factory=dict)
    datasets: dict[str, int] = field(default_factory=dict)
    summary: dict[str, Any] = field(default_factory=dict)
    description: str = ""
    notes: list[str] = field(default_factory=list)
    # The analysis's pictures, by name: each writes itself to a .svg, .png or .html path. Faces
    # choose the file; the result is not serialised with them.
    charts: dict[str, Callable[[Path], Path]] = field(default_factory=dict, repr=False)

    @property
    def table(self) -> pd.DataFrame:
        """The main table."""
        return next(iter(self.tables.values()))

    def describe(self) -> str:
        """One paragraph a person can read: method, parameters, data window, datasets, counts."""
        parts = [self.description or self.method]
        if self.parameters:
            parts.append(
                "parameters: " + ", ".join(f"{k.replace('_', ' ')} {_words(v)}" for k, v in self.parameters.items())
            )
        if self.data_window:
            parts.append(
                "data window: " + ", ".join(f"{k.replace('_', ' ')} {_words(v)}" for k, v in self.data_window.items())
            )
        if self.datasets:
            parts.append("datasets: " + ", ".join(f"{d} ({n})" for d, n in self.datasets.items()))
        if self.summary:
            parts.append(", ".join(f"{k.replace('_', ' ')} {_count(v)}" for k, v in self.summary.items()))
        return "; ".join(parts) + "."

    def to_json(self, tables: list[str] | None = None) -> dict[str, Any]:
        """The result as plain JSON types (``tables``: which tables to include, default all)."""
        chosen = {k: v for k, v in self.tables.items() if tables is None or k in tables}
        document = ResultDocument(
            analysis=self.analysis,
            method=self.method,
            parameters=plain(self.parameters),
            data_window=plain(self.data_window),
            datasets=plain(self.datasets),
            summary=plain(self.summary),
            description=self.describe(),
            notes=list(self.notes),
            tables={name: records(frame) for name, frame in chosen.items()},
        )
        return document.model_dump()

    def write_chart(self, name: str, path: str | Path) -> Path:
        """Write the chart ``name`` (see ``charts``) to ``path`` (.svg, .png or .html)."""
        from .errors import UserInputError

        if name not in self.charts:
            raise UserInputError(
                f"{self.analysis} has no chart {name!r}: expected one of {', '.join(self.charts) or 'none'}"
            )
        path = Path(path)
        if path.suffix.lower() not in (".svg", ".png", ".html"):
            raise UserInputError(f"chart file {path}: expected a name ending in .svg, .png or .html")
        return self.charts[name](path)

    @staticmethod
    def json_schema() -> dict[str, Any]:
        return ResultDocument.model_json_schema()


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows of a DataFrame as dicts of plain JSON values (NaN, NaT and pd.NA become None).

    Converted a column at a time: numbers, booleans and text through NumPy and pandas, only the
    cells of other columns (lists, timestamps, mixed objects) one by one through :func:`plain`.
    The API answers every uncached read through here; per cell it cost as much as the read."""
    columns = [str(c) for c in frame.columns]
    values = [_plain_column(column) for _, column in frame.items()]
    return [dict(zip(columns, row)) for row in zip(*values)] if columns else [{} for _ in range(len(frame))]


def _plain_column(column: pd.Series) -> list[Any]:
    dtype = column.dtype
    if pd.api.types.is_bool_dtype(dtype) and not column.hasnans:
        return column.to_numpy(dtype=bool).tolist()
    if pd.api.types.is_integer_dtype(dtype) and not column.hasnans:
        return column.to_numpy(dtype="int64").tolist()
    if pd.api.types.is_float_dtype(dtype):
        numbers = column.to_numpy(dtype="float64", na_value=np.nan)
        out = numbers.tolist()
        for i in np.flatnonzero(~np.isfinite(numbers)).tolist():
            out[i] = None
        return out
    if pd.api.types.is_string_dtype(dtype) and not pd.api.types.is_object_dtype(dtype):
        out = column.tolist()
        for i in np.flatnonzero(column.isna().to_numpy()).tolist():
            out[i] = None
        return out
    return [plain(v) for v in column.tolist()]


def plain(value: Any) -> Any:
    """A value as a plain JSON type: numpy scalars and arrays, pandas missing values, timestamps."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, np.ndarray, pd.Series)):
        return [plain(v) for v in value]
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, (np.bool_, bool)):
        return bool(value)
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return None if math.isnan(value) or math.isinf(value) else float(value)
    if isinstance(value, (pd.Timestamp, dt.datetime, dt.date)):
        return value.isoformat()
    return value


def _count(value: Any) -> str:
    """Counts with thousands separators (summaries hold counts, not years)."""
    return f"{value:,}" if isinstance(value, int) and not isinstance(value, bool) else _words(value)


def _words(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return (
            "-".join(map(str, value))
            if len(value) == 2 and all(isinstance(v, int) for v in value)
            else ", ".join(map(str, value))
        )
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)
