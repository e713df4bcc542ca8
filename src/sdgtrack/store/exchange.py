"""Reads for data exchange (SDMX export and the SDMX REST API): one dataset's rows with what an
exchange format needs beside them (the series label, the area's ISO codes and parent)."""

from __future__ import annotations

from typing import Sequence

import duckdb
import pandas as pd

from ..errors import UserInputError

# The observation attributes a source gave, as plain columns. Migration 0006 (issue 20) adds
# unit_measure and unit_multiplier; before it, the unit (with the multiplier folded in as
# " x10^N" by the SDMX reader) is all there is. Every export reads them through this one place.
ATTRIBUTE_COLUMNS = ("unit_measure", "unit_multiplier", "attributes")


def _attribute_sql(con: duckdb.DuckDBPyConnection) -> str:
    present = {
        r[0]
        for r in con.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'observation'"
        ).fetchall()
    }
    return ", ".join(f"o.{c}::VARCHAR AS {c}" if c in present else f"NULL::VARCHAR AS {c}" for c in ATTRIBUTE_COLUMNS)


def exchange_rows(
    con: duckdb.DuckDBPyConnection,
    dataset: str,
    *,
    series: Sequence[str] | None = None,
    areas: Sequence[str] | None = None,
    start: int | None = None,
    end: int | None = None,
    limit: int | None = None,
) -> pd.DataFrame:
    """The current rows of one dataset in a stable order (series, area, dims, unit, year, period)."""
    if not con.execute("SELECT 1 FROM dataset WHERE id = ? AND removed_at IS NULL", [dataset]).fetchall():
        known = [r[0] for r in con.execute("SELECT id FROM dataset WHERE removed_at IS NULL ORDER BY id").fetchall()]
        raise UserInputError(f"no dataset {dataset!r} in the store; datasets: {', '.join(known) or 'none'}")
    where: list[str] = ["o.dataset = ?"]
    params: list[object] = [dataset]
    if series:
        where.append("o.series IN (SELECT unnest(?::VARCHAR[]))")
        params.append(list(series))
    if areas:
        where.append("o.area IN (SELECT unnest(?::VARCHAR[]))")
        params.append(list(areas))
    if start is not None:
        where.append("o.year >= ?")
        params.append(start)
    if end is not None:
        where.append("o.year <= ?")
        params.append(end)
    tail = f" LIMIT {int(limit)}" if limit is not None else ""
    return con.execute(
        f"""
        SELECT o.series, s.description AS series_label,
               (SELECT string_agg(si.indicator, ',' ORDER BY si.indicator) FROM series_indicator si
                WHERE si.series = o.series) AS series_indicators, o.area, a.iso2 AS area_iso2, a.iso3 AS area_iso3,
               a.name AS area_name, a.kind AS area_kind, o.period, o.year, o.dims, o.unit, o.value, o.value_text,
               o.nature, o.obs_status, o.source, o.footnote, {_attribute_sql(con)}
        FROM observation o
        LEFT JOIN series s ON s.code = o.series
        LEFT JOIN area a ON a.code = o.area
        WHERE {" AND ".join(where)}
        ORDER BY o.series, o.area, o.dims, o.unit, o.year, o.period{tail}""",
        params,
    ).df()


def exchange_datasets(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Datasets with rows: id, title, publisher, kind, licence, rows, first and last year."""
    return con.execute(
        """
        SELECT d.id, d.title, d.publisher, d.kind, d.licence, count(o.series) AS rows,
               min(o.year) AS first_year, max(o.year) AS last_year
        FROM dataset d JOIN observation o ON o.dataset = d.id
        WHERE d.removed_at IS NULL
        GROUP BY ALL ORDER BY d.id"""
    ).df()


def dataset_header(con: duckdb.DuckDBPyConnection, dataset: str) -> tuple[str | None, object]:
    """(publisher, last loaded) of a dataset: the sender and the preparation time of its message."""
    row = con.execute("SELECT publisher, last_loaded FROM dataset WHERE id = ?", [dataset]).fetchone()
    return (row[0], row[1]) if row else (None, None)
