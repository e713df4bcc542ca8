"""The dataset table: list, show, remove, order of preference; and who changes the store.

Removing a dataset moves its rows to ``observation_history`` (change ``removed``) and keeps its
metadata with ``removed_at`` set, so the store can still answer "as of" a date before the removal.
No operation here touches another dataset's rows.
"""

from __future__ import annotations

import datetime as dt
import getpass
import os
from typing import Protocol, Sequence

import duckdb
import pandas as pd

from ..errors import UserInputError
from .reads import OBSERVATION_COLUMNS, PREFERENCE_ORDER


# What a load hands the store, described here so the store needs no ingest module: the ingest's
# ``DatasetInfo`` and ``MetadataRows`` have these shapes.
class DatasetRow(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def publisher(self) -> str | None: ...
    @property
    def licence(self) -> str | None: ...


class MetadataPart(Protocol):
    @property
    def rows(self) -> pd.DataFrame: ...  # indicator_metadata rows without dataset and load
    @property
    def fields(self) -> pd.DataFrame: ...  # metadata_field rows without dataset
    @property
    def indicators(self) -> Sequence[str]: ...  # the indicators this load read
    @property
    def whole(self) -> bool: ...  # every indicator of the dataset was read ...
    @property
    def kept(self) -> Sequence[str]: ...  # ... except these, whose files had problems
    @property
    def translations(self) -> pd.DataFrame: ...  # dataset_translation rows (lang, key, text) without dataset
    @property
    def archived(self) -> pd.DataFrame: ...  # archived_indicator rows without dataset and load
    @property
    def lang(self) -> str | None: ...  # the language of the dataset's own texts (None: not known)


HISTORY_INSERT = (
    f"INSERT INTO observation_history ({', '.join(OBSERVATION_COLUMNS)}, superseded_load, change) "
    f"SELECT {', '.join('o.' + c for c in OBSERVATION_COLUMNS)}"
)


def current_user() -> str:
    """Who a change is recorded for: $SDGTRACK_USER (set by a server for its signed-in user), else
    the operating-system account."""
    try:
        return os.environ.get("SDGTRACK_USER") or getpass.getuser()
    except (KeyError, OSError):  # no passwd entry (containers)
        return "unknown"


def next_load_id(con: duckdb.DuckDBPyConnection) -> int:
    return con.execute("SELECT coalesce(max(id), 0) + 1 FROM load").fetchall()[0][0]


def upsert(
    con: duckdb.DuckDBPyConnection, info: DatasetRow, source_path: str, when: dt.datetime, given: dict | None = None
) -> None:
    """Record a load of dataset ``info``: a new row, or the last-load date (and the fields the user
    gave) of an existing one. The stored title, kind ... of a dataset are kept otherwise."""
    exists = con.execute("SELECT 1 FROM dataset WHERE id = ?", [info.id]).fetchone()
    if not exists:
        con.execute(
            """INSERT INTO dataset (id, title, publisher, kind, licence, source_path, first_loaded, last_loaded)
                       VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
            [info.id, info.title, info.publisher, info.kind, info.licence, source_path, when, when],
        )
        return
    fields = {k: v for k, v in (given or {}).items() if v is not None and k != "id"}
    sets = ", ".join(f"{k} = ?" for k in fields)
    con.execute(
        f"""UPDATE dataset SET source_path = ?, last_loaded = ?, removed_at = NULL,
                    first_loaded = CASE WHEN removed_at IS NULL THEN first_loaded ELSE ? END
                    {", " + sets if sets else ""} WHERE id = ?""",
        [source_path, when, when, *fields.values(), info.id],
    )


def reference_state(con: duckdb.DuckDBPyConnection) -> str:
    """What a load's rows depend on in the store beside its files: the areas (codes, names, ISO
    codes and aliases, which area cells resolve to) and the framework's indicator codes (which
    indicator cells are known). Two small aggregates; equal states validate a file alike."""
    areas, nodes = con.execute(
        """SELECT (SELECT (count(*), coalesce(sum(hash(code, name, iso2, iso3, alias)::HUGEINT), 0)) FROM area),
                  (SELECT (count(*), coalesce(sum(hash(code)::HUGEINT), 0)) FROM framework_node
                   WHERE level = 'indicator')"""
    ).fetchall()[0]
    return f"areas {areas}; indicators {nodes}"


def last_source(con: duckdb.DuckDBPyConnection, dataset_id: str) -> tuple[str, int, str] | None:
    """(digest, rows, report JSON) recorded by the dataset's last load, when that load is the last
    change of the dataset (every load, removal and data-entry publication writes a ``load`` row), so
    its rows are still as that load left them; else None."""
    return con.execute(
        """SELECT s.digest, s.dataset_rows, s.report FROM load_source s
           WHERE s.dataset = $dataset AND s.load_id = (SELECT max(id) FROM load WHERE dataset = $dataset)""",
        {"dataset": dataset_id},
    ).fetchone()


def record_source(
    con: duckdb.DuckDBPyConnection, load_id: int, dataset_id: str, digest: str, dataset_rows: int, report: str
) -> None:
    """Keep the digest of a load's files (inside its transaction); the dataset's earlier ones go."""
    con.execute("DELETE FROM load_source WHERE dataset = ?", [dataset_id])
    con.execute("INSERT INTO load_source VALUES (?, ?, ?, ?, ?)", [load_id, dataset_id, digest, dataset_rows, report])


def replace_metadata(con: duckdb.DuckDBPyConnection, dataset_id: str, part: MetadataPart, load_id: int) -> None:
    """Write a load's national metadata (inside the load's transaction): the dataset's metadata of
    the indicators read is replaced (a whole repository: all of it, except indicators whose files
    had problems, which keep theirs); every statement names the dataset, so no other changes."""
    if part.whole:
        con.execute(
            "DELETE FROM indicator_metadata WHERE dataset = ? AND indicator NOT IN (SELECT unnest(?::VARCHAR[]))",
            [dataset_id, list(part.kept)],
        )
    else:
        con.execute(
            "DELETE FROM indicator_metadata WHERE dataset = ? AND indicator IN (SELECT unnest(?::VARCHAR[]))",
            [dataset_id, list(part.indicators)],
        )
    if len(part.rows):
        con.register("__metadata_rows", part.rows)
        try:
            con.execute(
                """INSERT OR REPLACE INTO indicator_metadata
                   SELECT ?, indicator, lang, field, value, structured, position, source_file, ?
                   FROM __metadata_rows""",
                [dataset_id, load_id],
            )
        finally:
            con.unregister("__metadata_rows")
    _replace_archived(con, dataset_id, part, load_id)
    if part.lang:
        con.execute("UPDATE dataset SET lang = ? WHERE id = ?", [part.lang, dataset_id])
    if part.whole or len(part.translations):
        con.execute("DELETE FROM dataset_translation WHERE dataset = ?", [dataset_id])
    if len(part.translations):
        con.register("__translations", part.translations)
        try:
            con.execute(
                "INSERT OR REPLACE INTO dataset_translation SELECT ?, lang, key, text FROM __translations", [dataset_id]
            )
        finally:
            con.unregister("__translations")
    if part.whole or len(part.fields):
        con.execute("DELETE FROM metadata_field WHERE dataset = ?", [dataset_id])
    if len(part.fields):
        con.register("__metadata_fields", part.fields)
        try:
            con.execute(
                "INSERT OR REPLACE INTO metadata_field SELECT ?, lang, field, label, position, section FROM __metadata_fields",
                [dataset_id],
            )
        finally:
            con.unregister("__metadata_fields")


def _replace_archived(con: duckdb.DuckDBPyConnection, dataset_id: str, part: MetadataPart, load_id: int) -> None:
    """A load's archived indicators: a whole repository's replace the dataset's list; a load of some
    indicators replaces the rows of those it read."""
    archived = getattr(part, "archived", None)
    if part.whole:
        con.execute("DELETE FROM archived_indicator WHERE dataset = ?", [dataset_id])
    elif archived is not None and len(archived):
        con.execute(
            "DELETE FROM archived_indicator WHERE dataset = ? AND indicator IN (SELECT unnest(?::VARCHAR[]))",
            [dataset_id, archived["indicator"].tolist()],
        )
    if archived is None or not len(archived):
        return
    con.register("__archived", archived)
    try:
        con.execute(
            """INSERT OR REPLACE INTO archived_indicator
               SELECT ?, indicator, number, title, archive_type, tier, data_file, ? FROM __archived""",
            [dataset_id, load_id],
        )
    finally:
        con.unregister("__archived")


def archived_indicators(con: duckdb.DuckDBPyConnection, datasets: list[str] | None = None) -> pd.DataFrame:
    """The archived indicators of the datasets not removed (of ``datasets``, when given): dataset,
    indicator (its id as the source has it), number, title, archive_type, tier, data_file; by
    former number (goal, target, indicator as numbers where they are), then dataset."""
    where = "AND dataset IN (SELECT unnest(?::VARCHAR[]))" if datasets is not None else ""
    return con.execute(
        f"""SELECT dataset, indicator, number, title, archive_type, tier, data_file FROM archived_indicator
            WHERE dataset IN (SELECT id FROM dataset WHERE removed_at IS NULL) {where}
            ORDER BY try_cast(split_part(number, '.', 1) AS INTEGER) NULLS LAST,
                     lpad(split_part(number, '.', 2), 3, '0'), lpad(split_part(number, '.', 3), 3, '0'), indicator,
                     dataset""",
        [list(datasets)] if datasets is not None else [],
    ).df()


def replace_source_columns(
    con: duckdb.DuckDBPyConnection, dataset_id: str, tables: list[tuple[str, str | None, list[str], bool]], load_id: int
) -> None:
    """Write the headers of the source tables a load read, (file, indicator, columns, has rows
    [, the series the file places under the indicator]) each, inside the load's transaction: each file's earlier headers in the dataset are replaced.
    One file may give one header per indicator (an SDMX message holds many indicators' series)."""
    if not tables:
        return
    frame = pd.DataFrame(
        {
            "source_file": [t[0] for t in tables],
            "indicator": [t[1] for t in tables],
            "columns": [list(t[2]) for t in tables],
            "has_rows": [bool(t[3]) for t in tables],
            "series": [list(t[4]) if len(t) > 4 and t[4] is not None else None for t in tables],
        }
    )
    con.register("__source_columns", frame)
    try:
        con.execute(
            "DELETE FROM source_columns WHERE dataset = ? AND source_file IN (SELECT source_file FROM __source_columns)",
            [dataset_id],
        )
        con.execute(
            """INSERT INTO source_columns SELECT ?, source_file, coalesce(indicator, ''), columns::VARCHAR[], has_rows, ?,
                      series::VARCHAR[] FROM __source_columns""",
            [dataset_id, load_id],
        )
    finally:
        con.unregister("__source_columns")


def source_columns(con: duckdb.DuckDBPyConnection, datasets: list[str] | None = None) -> pd.DataFrame:
    """Every stored source header (of ``datasets``, when given): dataset, source_file, indicator,
    columns (a list, as written), has_rows, series (the series the file places under the indicator,
    or None); ordered by dataset, file and indicator."""
    where = "WHERE dataset IN (SELECT unnest(?::VARCHAR[]))" if datasets is not None else ""
    return con.execute(
        f"""SELECT dataset, source_file, nullif(indicator, '') AS indicator, columns, has_rows, series FROM source_columns
            WHERE dataset IN (SELECT id FROM dataset WHERE removed_at IS NULL)
            {where.replace("WHERE", "AND")} ORDER BY dataset, source_file, indicator""",
        [list(datasets)] if datasets is not None else [],
    ).df()


def check_exists(con: duckdb.DuckDBPyConnection, dataset_id: str) -> None:
    row = con.execute("SELECT removed_at FROM dataset WHERE id = ?", [dataset_id]).fetchone()
    if row is None or row[0] is not None:
        known = [r[0] for r in con.execute("SELECT id FROM dataset WHERE removed_at IS NULL ORDER BY id").fetchall()]
        raise UserInputError(
            f"no dataset {dataset_id!r} in the store: expected one of {', '.join(known) or '(none loaded yet)'}"
        )


def list_datasets(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """One row per dataset in the order of preference, with what it holds."""
    return con.execute(f"""
        WITH counts AS (SELECT dataset, count(*) AS observations, count(DISTINCT series) AS series,
                               count(DISTINCT area) AS areas, min(year) AS first_year, max(year) AS last_year
                        FROM observation GROUP BY dataset)
        SELECT row_number() OVER (ORDER BY {PREFERENCE_ORDER}) AS preference,
               d.id, d.title, d.kind, d.publisher, d.licence,
               coalesce(c.observations, 0) AS observations, coalesce(c.series, 0) AS series,
               coalesce(c.areas, 0) AS areas, c.first_year, c.last_year,
               date_trunc('second', d.first_loaded) AS first_loaded, date_trunc('second', d.last_loaded) AS last_loaded
        FROM dataset d LEFT JOIN counts c ON c.dataset = d.id
        WHERE d.removed_at IS NULL
        ORDER BY preference""").df()


def show(con: duckdb.DuckDBPyConnection, dataset_id: str) -> dict:
    """A dataset's metadata, counts, loads and series."""
    check_exists(con, dataset_id)
    info = con.execute("SELECT * FROM dataset WHERE id = ?", [dataset_id]).df().iloc[0].to_dict()
    listing = list_datasets(con)
    counts = listing[listing["id"] == dataset_id].iloc[0].to_dict()
    loads = con.execute(
        """SELECT id AS load, date_trunc('second', loaded_at) AS loaded_at, action, user_name AS "user", rows_read, rows_new,
                                  rows_updated, rows_unchanged, rows_missing, rows_removed, rows_rejected, paths
                           FROM load WHERE dataset = ? ORDER BY id""",
        [dataset_id],
    ).df()
    series = con.execute(
        """SELECT series, count(*) AS observations, count(*) FILTER (WHERE is_headline) AS headline,
                                   count(DISTINCT area) AS areas, min(year) AS first_year, max(year) AS last_year
                            FROM observation WHERE dataset = ? GROUP BY series ORDER BY series""",
        [dataset_id],
    ).df()
    return {"dataset": info, "counts": counts, "loads": loads, "series": series}


def remove(con: duckdb.DuckDBPyConnection, dataset_id: str, when: dt.datetime | None = None) -> int:
    """Move a dataset's rows to history and mark it removed; returns the number of rows."""
    check_exists(con, dataset_id)
    when = when or dt.datetime.now()
    con.execute("BEGIN TRANSACTION")
    try:
        load_id = next_load_id(con)
        n = con.execute("SELECT count(*) FROM observation WHERE dataset = ?", [dataset_id]).fetchall()[0][0]
        con.execute(f"{HISTORY_INSERT}, {load_id}, 'removed' FROM observation o WHERE o.dataset = ?", [dataset_id])
        con.execute("DELETE FROM observation WHERE dataset = ?", [dataset_id])
        con.execute("DELETE FROM indicator_metadata WHERE dataset = ?", [dataset_id])
        con.execute("DELETE FROM metadata_field WHERE dataset = ?", [dataset_id])
        con.execute("DELETE FROM source_columns WHERE dataset = ?", [dataset_id])
        con.execute("DELETE FROM archived_indicator WHERE dataset = ?", [dataset_id])
        con.execute("DELETE FROM dataset_translation WHERE dataset = ?", [dataset_id])
        con.execute("UPDATE dataset SET removed_at = ?, precedence = NULL WHERE id = ?", [when, dataset_id])
        con.execute(
            """INSERT INTO load (id, loaded_at, paths, format, dataset, action, user_name, rows_removed)
                       VALUES (?, ?, '', '', ?, 'remove', ?, ?)""",
            [load_id, when, dataset_id, current_user(), n],
        )
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return n


def prefer(con: duckdb.DuckDBPyConnection, dataset_ids: list[str]) -> None:
    """Set the order of preference: these datasets first, in this order; the rest by kind (an
    empty list restores the default order by kind)."""
    for dataset_id in dataset_ids:
        check_exists(con, dataset_id)
    twice = sorted({d for d in dataset_ids if dataset_ids.count(d) > 1})
    if twice:
        raise UserInputError(f"{', '.join(twice)} named twice in the order of preference: name each dataset once")
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute("UPDATE dataset SET precedence = NULL")
        for position, dataset_id in enumerate(dataset_ids, start=1):
            con.execute("UPDATE dataset SET precedence = ? WHERE id = ?", [position, dataset_id])
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
