"""Migration 2's Python step: give every observation a dataset and rebuild the observation table
with ``dataset`` first in its key.

Rows loaded before datasets existed are assigned the dataset their reader derives from the
row's ``source_file`` (the load's recorded format says which reader), exactly as a new load of
that file would; the file need not exist any more. Those are the ingest's rules, not the store's:
the opener hands them over as :class:`OldRowRules` (``sdgtrack.ingest.upgrade.RULES``; the
workspace does), so the store imports no ingest module.
"""

from __future__ import annotations

from typing import Protocol

import duckdb
import pandas as pd

from ...errors import UserInputError
from ..datasets import DatasetRow


class OldRowRules(Protocol):
    """What migration 2 asks the ingest for rows written before datasets existed."""

    def dataset_of(self, source_file: str, formats: str | None) -> DatasetRow:
        """The dataset a new load of ``source_file`` (read by ``formats``, comma-separated) would go into."""
        ...

    def headline_table(self, con: duckdb.DuckDBPyConnection, combos: str, table: str, dataset: str) -> None:
        """Create ``table`` (series, dims, is_headline) deciding the headline rows of ``combos``
        (a SQL relation of series, dims) of ``dataset`` as a new load would."""
        ...


OBSERVATION_TABLE = """
CREATE TABLE observation (
    dataset VARCHAR NOT NULL,        -- the dataset (source collection) the row belongs to
    series VARCHAR NOT NULL,
    area VARCHAR NOT NULL,
    period VARCHAR NOT NULL,         -- the period as given: '2021', '2021/22', '2000 Q1'
    year INTEGER NOT NULL,           -- sortable start year derived from the period
    dims VARCHAR NOT NULL,           -- 'Age=15-24|Sex=FEMALE' (sorted by dimension), '' if none
    unit VARCHAR NOT NULL,           -- '' when the source gives none
    value DOUBLE,                    -- NULL only for the UN "not available" codes (N, NV)
    value_text VARCHAR,              -- the value as written when it is not a plain number ('<2.5')
    is_headline BOOLEAN NOT NULL,    -- every dimension is a total, decided per dataset and series
    nature VARCHAR,
    obs_status VARCHAR,
    source VARCHAR,
    footnote VARCHAR,
    source_file VARCHAR NOT NULL,
    load_id INTEGER NOT NULL         -- the load that wrote this version of the row
)"""
COLUMNS = (
    "series, area, period, year, dims, unit, value, value_text, is_headline, nature, obs_status, "
    "source, footnote, source_file, load_id"
)


def assign_datasets(con: duckdb.DuckDBPyConnection, rules: OldRowRules | None) -> None:
    has_dataset = con.execute(
        "SELECT count(*) FROM duckdb_columns() WHERE table_name = 'observation' AND column_name = 'dataset'"
    ).fetchall()[0][0]
    if has_dataset:
        return
    sources = con.execute("""SELECT o.source_file, any_value(l.format), min(l.loaded_at), max(l.loaded_at)
                             FROM observation o LEFT JOIN load l ON l.id = o.load_id GROUP BY o.source_file""").fetchall()
    rows = []
    for source_file, formats, first, last in sources:
        if rules is None:
            raise UserInputError(
                "this store holds observations from before datasets: upgrade it with `sdgtrack upgrade --db FILE` "
                "(or open it with sdgtrack.open()), which knows the readers' rules"
            )
        info = rules.dataset_of(source_file, formats)
        rows.append((source_file, info.id, info.title, info.kind, info.publisher, info.licence, first, last))
    datasets_of_files = pd.DataFrame(
        rows,
        columns=["source_file", "id", "title", "kind", "publisher", "licence", "first_loaded", "last_loaded"],
        dtype=object,
    )
    con.register("__dataset_of_file", datasets_of_files)
    try:
        con.execute("""INSERT INTO dataset (id, title, publisher, kind, licence, source_path, first_loaded, last_loaded)
                       SELECT id, any_value(title), any_value(publisher), any_value(kind), any_value(licence),
                              string_agg(DISTINCT source_file, '; '), min(first_loaded), max(last_loaded)
                       FROM __dataset_of_file GROUP BY id
                       ON CONFLICT DO NOTHING""")
        con.execute("ALTER TABLE observation RENAME TO observation_before_datasets")
        con.execute(OBSERVATION_TABLE)
        con.execute(f"""INSERT INTO observation (dataset, {COLUMNS})
                        SELECT d.id, {", ".join("o." + c.strip() for c in COLUMNS.split(","))}
                        FROM observation_before_datasets o JOIN __dataset_of_file d USING (source_file)""")
        con.execute("DROP TABLE observation_before_datasets")
        # loads of one dataset name it, so `datasets show` lists them
        con.execute("""UPDATE load SET dataset = d.dataset, action = 'load'
                       FROM (SELECT load_id, any_value(dataset) AS dataset FROM observation GROUP BY load_id
                             HAVING count(DISTINCT dataset) = 1) d WHERE load.id = d.load_id""")
    finally:
        con.unregister("__dataset_of_file")
    if sources and rules is not None:  # a store with observations: bring them to this release's rules
        _escape_dims(con)
        _recompute_headlines(con, rules)


def _escape_dims(con: duckdb.DuckDBPyConnection) -> None:
    """Write '=' and '\\' inside dimension values as this release does (``Age=<=45Y`` becomes
    ``Age=<\\3D45Y``), so a re-load finds the same keys. ('|' inside a value was ambiguous before and
    cannot be told apart now.)"""

    def escape(expr: str) -> str:
        return f"replace(replace({expr}, '\\', '\\5C'), '=', '\\3D')"

    pair = "lambda p: " + escape("split_part(p, '=', 1)") + " || '=' || " + escape("substr(p, strpos(p, '=') + 1)")
    con.execute(f"""UPDATE observation SET dims = array_to_string(list_transform(string_split(dims, '|'), {pair}), '|')
                    WHERE dims LIKE '%=%=%' OR dims LIKE '%\\%'""")


def _recompute_headlines(con: duckdb.DuckDBPyConnection, rules: OldRowRules) -> None:
    """Decide headline flags per dataset, as loads now do: before datasets, a file that split a UN
    series by other dimensions (Rwanda's SDMX) took the UN's headline rows away. A changed flag
    keeps the row as it was in history, superseded by a 'migrate' entry in the load table."""
    load_id = con.execute("SELECT coalesce(max(id), 0) + 1 FROM load").fetchall()[0][0]
    changed = 0
    for (dataset,) in con.execute("SELECT DISTINCT dataset FROM observation").fetchall():
        combos = (
            f"(SELECT DISTINCT series, dims FROM observation WHERE dataset = '{dataset.replace(chr(39), chr(39) * 2)}')"
        )
        rules.headline_table(con, combos, "__migrate_headline", dataset)
        flipped = (
            "o.dataset = $dataset AND EXISTS (SELECT 1 FROM __migrate_headline h WHERE h.series = o.series "
            "AND h.dims = o.dims AND h.is_headline <> o.is_headline)"
        )
        n = con.execute(f"SELECT count(*) FROM observation o WHERE {flipped}", {"dataset": dataset}).fetchall()[0][0]
        if n:
            con.execute(
                f"""INSERT INTO observation_history SELECT o.*, {load_id}, 'updated' FROM observation o
                            WHERE {flipped}""",
                {"dataset": dataset},
            )
            con.execute(
                f"""UPDATE observation o SET is_headline = h.is_headline, load_id = {load_id}
                            FROM __migrate_headline h WHERE o.dataset = $dataset AND h.series = o.series
                              AND h.dims = o.dims AND h.is_headline <> o.is_headline""",
                {"dataset": dataset},
            )
            changed += n
    con.execute("DROP TABLE IF EXISTS __migrate_headline")
    con.execute(
        """INSERT INTO load (id, loaded_at, paths, format, action, rows_updated)
                   VALUES (?, now()::TIMESTAMP, '', '', 'migrate', ?)""",
        [load_id, changed],
    )
