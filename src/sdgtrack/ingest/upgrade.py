"""The ingest's rules for rows a store kept from before datasets existed (migration 2): the
dataset a source file's rows go into and which rows are headline, exactly as a new load of the
file would decide them. ``sdgtrack.open()`` hands :data:`RULES` to the store it opens."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

if TYPE_CHECKING:
    from ..registries import Reader
    from .datasets import DatasetInfo


class OldRows:
    """:class:`sdgtrack.store.migrations.OldRowRules` by the readers of this release (imported
    only when an old store is upgraded)."""

    def dataset_of(self, source_file: str, formats: str | None) -> DatasetInfo:
        from . import datasets, registry

        path = Path(source_file)
        names = [f for f in (formats or "").split(",") if f]
        readers = registry.all_readers()
        reader: Reader | None
        if "opensdg" in names:  # a repository's SDMX and CSV inputs are one national collection
            reader = readers["opensdg"]
        elif path.exists() and (found := registry.detect(path)) is not None:
            reader = found
        else:
            reader = next((readers[n] for n in names if n in readers), None)
        return datasets.for_path(reader, path) if reader is not None else datasets.from_file_stem(path)

    def headline_table(self, con: duckdb.DuckDBPyConnection, combos: str, table: str, dataset: str) -> None:
        from . import headline

        headline.headline_table(con, combos, table, dataset, keep_stored=False)


RULES = OldRows()
