"""The store as Hive-partitioned Parquet, and a store read back from such a folder.

Layout of an export (``write_parquet``)::

    observation/series=<code>/data_0.parquet   every column of ``observation``, one folder per series
    area.parquet, area_member.parquet, series.parquet, series_indicator.parquet,
    framework_node.parquet, dataset.parquet      the tables the analyses read beside it

Observations are partitioned by **series** because every rule of the analyses' read that spans
areas is a rule per series: the main unit of a series in its dataset (``headline_values``), its
target and direction (progress, interlinkages). A series folder is therefore self-contained, and a
task holding some series computes exactly what the whole store would for them. Interlinkages need
every series of one area; they regroup the per-series headline values by area (sdgtrack.cluster).
The partition value is percent-encoded in the folder name (DuckDB's Hive writer: ``GB:3.2.2`` is
``series=GB%3A3.2.2``) and kept inside each file too (``WRITE_PARTITION_COLUMNS``), so every file
reads alone with the same columns as the table.

``partition_store`` opens such a folder as a read-only :class:`Database` over views of the files
(all series, or only the folders of some), so the analyses run on it through the same methods they
use on a store file.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Sequence
from urllib.parse import unquote

import duckdb

from ..errors import UserInputError
from .database import Database
from .reads import OBSERVATION_COLUMNS

OBSERVATION_DIR = "observation"
PARTITION = "series"
# beside the observations: what the analyses' reads join (names, kinds, links to the framework,
# the datasets' order of preference) and what the headline rule weighs, which the progress roll-up
# follows (series crosswalk links; the sources' own start selections, ``START_FIELD`` rows only)
TABLES = (
    "area",
    "area_member",
    "series",
    "series_indicator",
    "framework_node",
    "dataset",
    "crosswalk",
    "indicator_metadata",
)
START_FIELD = "data_start_values"


def _quote(path: Path | str) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def table_columns(con: duckdb.DuckDBPyConnection, table: str) -> list[tuple[str, str]]:
    """(name, DuckDB type) of a table's columns, in order."""
    return [
        (r[0], r[1])
        for r in con.execute(
            "SELECT column_name, data_type FROM duckdb_columns() WHERE schema_name = 'main' AND table_name = ? "
            "ORDER BY column_index",
            [table],
        ).fetchall()
    ]


def write_parquet(con: duckdb.DuckDBPyConnection, out: Path, datasets: Sequence[str] | None = None) -> dict[str, int]:
    """Write the current observations (of ``datasets``, default all) and the tables beside them
    into the empty folder ``out``; returns the rows written per table. Unknown dataset ids are an error."""
    where, params = "TRUE", []
    if datasets:
        known = {r[0] for r in con.execute("SELECT id FROM dataset").fetchall()}
        unknown = [d for d in dict.fromkeys(datasets) if d not in known]
        if unknown:  # one message naming them, before anything is written
            raise UserInputError(
                f"unknown dataset {', '.join(unknown)}: expected one of "
                f"{', '.join(sorted(known)) or '(none loaded yet)'} (see `sdgtrack datasets list`)"
            )
        where, params = "dataset IN (SELECT unnest(?::VARCHAR[]))", [list(dict.fromkeys(datasets))]
    counts: dict[str, int] = {}
    columns = ", ".join(OBSERVATION_COLUMNS)
    con.execute(
        f"""COPY (SELECT {columns} FROM observation WHERE {where}
                  ORDER BY series, area, dataset, year, period, dims, unit, variant)
            TO {_quote(out / OBSERVATION_DIR)}
            (FORMAT parquet, COMPRESSION zstd, PARTITION_BY ({PARTITION}), WRITE_PARTITION_COLUMNS true)""",
        params,
    )
    counts["observation"] = int(con.fetchall()[0][0])
    if not counts["observation"]:  # no folder would hold anything: an export no analysis can read
        chosen = f" of {', '.join(datasets)}" if datasets else ""
        raise UserInputError(
            f"the store holds no observations{chosen}: nothing to export (load data with `sdgtrack ingest`)"
        )
    for table in TABLES:
        query = f"SELECT * FROM {table}"
        table_params: list = []
        if table == "dataset" and datasets:
            query += " WHERE id IN (SELECT unnest(?::VARCHAR[]))"
            table_params = [list(datasets)]
        if table == "indicator_metadata":  # the start selections only: the rest is text no analysis reads
            query = f"SELECT * EXCLUDE (load_id) FROM {table} WHERE field = ?" + (
                " AND dataset IN (SELECT unnest(?::VARCHAR[]))" if datasets else ""
            )
            table_params = [START_FIELD, *([list(datasets)] if datasets else [])]
        con.execute(
            f"COPY ({query}) TO {_quote(out / (table + '.parquet'))} (FORMAT parquet, COMPRESSION zstd)", table_params
        )
        counts[table] = int(con.fetchall()[0][0])
    return counts


def partitions(root: Path) -> dict[str, Path]:
    """Series code -> its folder under ``root/observation`` (folder names decoded)."""
    base = Path(root) / OBSERVATION_DIR
    if not base.is_dir():
        raise UserInputError(
            f"{root}: no {OBSERVATION_DIR}/ folder; expected a folder written by `sdgtrack export parquet`"
        )
    found = {}
    for folder in base.iterdir():
        key, sep, value = folder.name.partition("=")
        if sep and key == PARTITION and folder.is_dir():
            found[unquote(value)] = folder
    return found


def check_export(root: Path) -> None:
    """One message when ``root`` is not an export (missing folder or table), before any work."""
    root = Path(root)
    if not root.is_dir():
        raise UserInputError(f"--parquet {root}: no such folder; expected one written by `sdgtrack export parquet`")
    missing = [t + ".parquet" for t in TABLES if not (root / f"{t}.parquet").is_file()]
    if missing or not (root / OBSERVATION_DIR).is_dir():
        raise UserInputError(
            f"--parquet {root}: missing {', '.join(missing + ([OBSERVATION_DIR + '/'] if not (root / OBSERVATION_DIR).is_dir() else []))}; "
            "expected a folder written by `sdgtrack export parquet`"
        )


def partition_store(root: Path, series: Sequence[str] | None = None) -> Database:
    """A read-only store over an export: ``observation`` is a view of the folders of ``series``
    (default: every series), the other tables views of their files. Nothing is copied; DuckDB reads
    only those files."""
    root = Path(root)
    check_export(root)
    if series is None:
        files = [str(root / OBSERVATION_DIR / "*" / "*.parquet")]
    else:
        folders = partitions(root)
        files = [str(p) for s in dict.fromkeys(series) if (f := folders.get(s)) for p in sorted(f.glob("*.parquet"))]
    con = duckdb.connect(":memory:")
    con.execute("SET enable_progress_bar = false")
    columns = ", ".join(OBSERVATION_COLUMNS)
    if files:
        listing = "[" + ", ".join(_quote(f) for f in files) + "]"
        con.execute(
            f"CREATE VIEW observation AS SELECT {columns} FROM read_parquet({listing}, hive_partitioning = false)"
        )
    else:  # no folder for these series: an empty table of the same columns
        first = next(iter(partitions(root).values()), None)
        if first is None:
            raise UserInputError(f"{root}: the export holds no observations")
        con.execute(
            f"CREATE VIEW observation AS SELECT {columns} FROM read_parquet({_quote(first / '*.parquet')}) LIMIT 0"
        )
    for table in TABLES:
        con.execute(f"CREATE VIEW {table} AS SELECT * FROM read_parquet({_quote(root / (table + '.parquet'))})")
    # the metadata reads join the fields' labels, which no analysis needs: none are exported
    con.execute(
        "CREATE TEMP TABLE metadata_field (dataset VARCHAR, lang VARCHAR, field VARCHAR, label VARCHAR, "
        "position INTEGER, section VARCHAR)"
    )
    # As Database.cursor(): the facade with every attribute a Database has, over another connection.
    db = object.__new__(Database)
    db.__dict__.update(_template().__dict__)
    db.path = root
    db.read_only = True
    db.con = con
    return db


@functools.cache
def _template() -> Database:
    """An empty in-memory store, opened once per process: the attributes its ``__init__`` sets are
    what each export-backed store starts from (so a new attribute of Database needs no change here)."""
    return Database(":memory:")
