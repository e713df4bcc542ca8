"""Numbered schema migrations, applied in order in one transaction when a store opens for writing.

The store records its version in ``meta.schema_version``. A store made before versioning has no
such row and counts as version 0: migration 1 creates what it lacks (every statement of the base
schema is ``IF NOT EXISTS``), so such stores and new ones take the same path. A migration is a
SQL file, optionally followed by a Python step for what SQL alone cannot do.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from typing import Callable

import duckdb

from .datasets_step import OldRowRules, assign_datasets

__all__ = ["LATEST", "MIGRATIONS", "RELOAD_TO_APPLY", "Migration", "OldRowRules", "schema_version", "upgrade"]


@dataclass(frozen=True)
class Migration:
    version: int
    sql_file: str
    # (con, the ingest's rules for old rows or None) -> None, run after the SQL in the same transaction
    then: Callable[[duckdb.DuckDBPyConnection, OldRowRules | None], None] | None = None

    def apply(self, con: duckdb.DuckDBPyConnection, rules: OldRowRules | None = None) -> None:
        con.execute((resources.files(__name__) / self.sql_file).read_text("utf-8"))
        if self.then is not None:
            self.then(con, rules)


MIGRATIONS = [
    Migration(1, "0001_base.sql"),
    Migration(2, "0002_datasets.sql", assign_datasets),
    Migration(3, "0003_accounts.sql"),  # accounts, change requests, audit log (the live app)
    Migration(4, "0004_metadata.sql"),  # national indicator metadata (Open SDG meta files)
    Migration(5, "0005_kept_results.sql"),  # the kept SDG Index and interlinkages (index/store.py, links/store.py)
    Migration(6, "0006_source_attributes.sql"),  # what the source said beside the value; conflicting rows kept
    Migration(7, "0007_observation_order.sql"),  # observations rewritten in (series, area) order: reads prune
    Migration(8, "0008_translations.sql"),  # an Open SDG repository's translations, kept with its load
    Migration(9, "0009_source_columns.sql"),  # each source table's columns as written (Open SDG headers)
    Migration(10, "0010_source_columns_per_indicator.sql"),  # ... per indicator (one SDMX message, many)
    Migration(12, "0012_load_source.sql"),  # the digest of a load's files: an unchanged re-load reads nothing
    Migration(13, "0013_archived_indicators.sql"),  # an Open SDG repository's archived indicators
    Migration(14, "0014_dataset_lang.sql"),  # the language of a dataset's own texts (its metadata falls back to it)
]
LATEST = MIGRATIONS[-1].version

# What a migration cannot give rows loaded before it, and a re-load of their files does: the
# upgrade command names only the applied migrations' items, so it never advises a needless re-load.
RELOAD_TO_APPLY = {
    2: "totals written as text and the UN Reporting Type read as breakdowns",
    6: "the attributes written beside each value (unit measure, unit multiplier, observation status)",
    8: "an Open SDG repository's translations",
    9: "an Open SDG file's columns as written",
    10: "an Open SDG repository's SDMX data as its own build writes it (Rwanda's names, headers, series placement)",
    13: "an Open SDG repository's archived indicators",
    14: "an Open SDG repository's first language",
}


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    has_meta = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'meta' AND schema_name = 'main'"
    ).fetchall()[0][0]
    if not has_meta:
        return 0
    row = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    return int(row[0]) if row else 0


def upgrade(con: duckdb.DuckDBPyConnection, rules: OldRowRules | None = None) -> list[int]:
    """Apply the pending migrations in one transaction; returns the versions applied. ``rules``:
    the ingest's, needed only by a store holding rows from before datasets (migration 2)."""
    current = schema_version(con)
    pending = [m for m in MIGRATIONS if m.version > current]
    if not pending:
        return []
    con.execute("BEGIN TRANSACTION")
    try:
        for migration in pending:
            migration.apply(con, rules)
            con.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", [str(migration.version)])
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return [m.version for m in pending]
