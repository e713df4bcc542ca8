"""The store: one DuckDB file with reference data and observations, behind a small facade.

Analyses get plain DataFrames from :meth:`Database.observations` and
:meth:`Database.headline_values` (rules in :mod:`sdgtrack.store.reads`: datasets, as-of, one
dataset per time series). Writes go through :mod:`sdgtrack.ingest` and
:mod:`sdgtrack.store.datasets`. The schema is built by numbered migrations
(:mod:`sdgtrack.store.migrations`), applied when a store is opened for writing.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

import duckdb
import pandas as pd

from ..errors import UserInputError
from ..frameworks import areas as area_ref
from ..frameworks import reference
from ..storefiles import check_store_path, server_holding
from . import catalog, history, migrations, reads
from . import datasets as dataset_ops
from .metadata import DataTranslator
from .migrations import OldRowRules

DEFAULT_DB_NAME = "sdgtrack.duckdb"
# what the source said beside the value (migration 6), as every observation read returns it
SOURCE_ATTRIBUTES = "o.unit_measure, o.unit_multiplier, o.geocode, o.source_dims, o.attributes, o.variant"
# the columns of indicator_observations after ``indicator``, which archived_observations shares
_INDICATOR_COLUMNS = (
    "o.dataset, o.series, o.area, a.name AS area_name, o.period, o.year, o.dims, o.unit, o.value, o.value_text, "
    f"o.is_headline, o.nature, o.obs_status, o.source, o.footnote, o.source_file, {SOURCE_ATTRIBUTES}"
)


def default_db_path(path: str | Path | None = None) -> Path:
    """--db, else $SDGTRACK_DB, else ./sdgtrack.duckdb."""
    return Path(path or os.environ.get("SDGTRACK_DB") or DEFAULT_DB_NAME)


_MEMORY_LIMIT = re.compile(r"\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)", re.I)


def _memory_limit() -> str:
    """$SDGTRACK_MEMORY_LIMIT (e.g. ``8GB``): DuckDB's memory limit for this store (default: 80% of
    the machine's memory). Past it, joins, sorts and aggregates spill to ``<store>.tmp`` beside it.
    Checked before the store is opened, so a bad value creates nothing."""
    limit = os.environ.get("SDGTRACK_MEMORY_LIMIT", "").strip()
    if limit and not _MEMORY_LIMIT.fullmatch(limit):
        raise UserInputError(f"SDGTRACK_MEMORY_LIMIT={limit!r}: expected a size such as 8GB or 512MB")
    return limit


class Lookups:
    """What a code or an area name resolved to, kept for one state of the store.

    Resolving ``3.2.1`` to its series and ``KEN`` to ``404`` takes four small queries, more than the
    observation read they serve once that read prunes to a row group or two. A server keeps one
    ``Lookups`` per store fingerprint (``web/owner.py``) and hands it to each thread's cursor, so
    the answers are exactly as fresh as its answer cache. Only answers are kept (an unknown code is
    asked again: it may be loaded next), and at most ``MAX_ENTRIES``, so text a client makes up
    cannot grow it without bound.
    """

    MAX_ENTRIES = 20_000

    def __init__(self, state: str):
        self.state = state
        self._kept: dict = {}
        self._retired = False

    def retire(self) -> None:
        """The store changed: keep nothing more, answer nothing kept (a cursor may still hold it)."""
        self._retired = True
        self._kept = {}

    def peek(self, key: tuple) -> Any:
        """What ``key`` resolved to, if kept (None otherwise): never asks the store, so a server
        may call it on its event loop."""
        return None if self._retired else self._kept.get(key)

    def get(self, key: tuple, compute: Callable[[], Any]) -> Any:
        if self._retired:
            return compute()
        try:
            return self._kept[key]
        except KeyError:
            pass
        value = compute()  # raises for an unknown code or area: nothing kept
        if len(self._kept) >= self.MAX_ENTRIES:
            self._kept.clear()
        self._kept[key] = value
        return value


class Database:
    def __init__(
        self, path: str | Path | None = None, *, read_only: bool = False, upgrade_rules: OldRowRules | None = None
    ) -> None:
        """Open (or create) the store at ``path``. ``upgrade_rules``: the ingest's rules for rows
        written before datasets existed (``sdgtrack.ingest.upgrade.RULES``; ``sdgtrack.open()``
        passes them), needed only to upgrade such a store."""
        self.path = default_db_path(path)
        self.upgraded: list[int] = []  # migrations applied by this open
        check_store_path(self.path)  # DuckDB would open a CSV as an in-memory view: a load then vanishes
        memory_limit = _memory_limit()
        self.read_only = read_only  # a reading face keeps no result in a read-only store
        # Codes and areas already resolved, for one state of the store (a server's: see Lookups);
        # None: every call asks the store.
        self.lookups: Lookups | None = None
        if read_only and not self.path.exists():
            raise UserInputError(f"no database at {self.path}: load data first with `sdgtrack ingest`")
        try:
            if not read_only:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            self.con = duckdb.connect(str(self.path), read_only=read_only)
        except (duckdb.Error, OSError) as exc:  # locked by another process, not a DuckDB file, ...
            raise UserInputError(_open_error(self.path, exc)) from None
        # Long work reports progress through the faces (Rich status), not DuckDB's own bar.
        self.con.execute("SET enable_progress_bar = false")
        if memory_limit:
            self.con.execute(f"SET memory_limit = '{memory_limit}'")
        if read_only:
            self._check_schema_version()
        else:
            self._ensure_schema(upgrade_rules)

    # -- lifecycle -------------------------------------------------------------------------
    def _check_schema_version(self) -> None:
        version = migrations.schema_version(self.con)
        if version < migrations.LATEST:
            self.con.close()
            raise UserInputError(
                f"the store {self.path} was written by an earlier sdgtrack (schema version {version}, this "
                f"release uses {migrations.LATEST}): upgrade it once with `sdgtrack upgrade --db {self.path}` "
                "(every observation is kept)"
            )
        if version > migrations.LATEST:
            self.con.close()
            raise UserInputError(
                f"the store {self.path} was written by a newer sdgtrack (schema version {version}, "
                f"this release knows up to {migrations.LATEST}): upgrade sdgtrack"
            )

    def _ensure_schema(self, rules: OldRowRules | None) -> None:
        if migrations.schema_version(self.con) > migrations.LATEST:
            self._check_schema_version()
        try:
            self.upgraded = migrations.upgrade(self.con, rules)
        except UserInputError:
            self.con.close()
            raise
        except duckdb.Error as exc:  # rolled back: the store is as it was
            self.con.close()
            raise UserInputError(
                f"cannot upgrade the store {self.path} to schema version {migrations.LATEST} ({exc}); it is unchanged"
            ) from None
        row = self.con.execute("SELECT value FROM meta WHERE key = 'reference_version'").fetchone()
        if row is None or row[0] != reference.REFERENCE_VERSION:
            self.con.execute("BEGIN")
            reference.load_reference(self.con)
            self.con.execute("COMMIT")

    def close(self) -> None:
        self.con.close()

    def cursor(self) -> "Database":
        """The same open store through another DuckDB connection, for another thread (a DuckDB
        connection is not shared between threads; its cursors see one database, each with its own
        transaction, so a reader never waits for or fails because of a writer)."""
        other = object.__new__(type(self))
        other.__dict__.update(self.__dict__)
        other.con = self.con.cursor()
        other.con.execute("SET enable_progress_bar = false")
        return other

    def __enter__(self) -> "Database":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def sql(self, query: str, params: Sequence | None = None) -> pd.DataFrame:
        return self.con.execute(query, params or []).df()

    # -- datasets (loads go through sdgtrack.ingest.load, which writes through this store) -----
    def datasets(self) -> pd.DataFrame:
        """The datasets in the store, in the order of preference, with their counts."""
        return dataset_ops.list_datasets(self.con)

    def dataset(self, dataset_id: str) -> dict:
        """One dataset: metadata, counts, loads, series (the workspace adds the series without a
        headline row, by the ingest's rules)."""
        return dataset_ops.show(self.con, dataset_id)

    def remove_dataset(self, dataset_id: str) -> int:
        """Remove a dataset's observations (kept in history); returns how many rows."""
        return dataset_ops.remove(self.con, dataset_id)

    def prefer_datasets(self, dataset_ids: Sequence[str]) -> None:
        """Where several datasets give a series for an area, take these first, in this order."""
        dataset_ops.prefer(self.con, list(dataset_ids))

    # -- areas -----------------------------------------------------------------------------
    def resolve_area(self, text: str) -> str:
        """The area code ``text`` names (M49 with or without zeros, ISO alpha-2/3, alias, name); an
        unknown text is an error naming the closest areas."""
        if self.lookups is not None:
            return self.lookups.get(("area", text), lambda: self._resolve_area_kept(text))
        return area_ref.resolve(self.con, text)

    def _resolve_area_kept(self, text: str) -> str:
        """``resolve_area`` with :attr:`lookups`: an exact code, ISO code, alias or name from the
        table of them kept for the store state (one query for every area, where each area took
        one of about 4 ms), else the store's resolver (names by their words, suggestions)."""
        key = str(text).strip()
        if key.isascii() and self.lookups is not None:  # upper() is DuckDB's in ASCII
            table = self.lookups.get(("area aliases", "every area"), lambda: area_ref.alias_table(self.con))
            codes = table.get(key.upper())
            if codes:  # as resolve's ORDER BY: the text as a code first, then the first code
                return key if key in codes else codes[0]
        return area_ref.resolve(self.con, text)

    def resolve_areas(self, texts: Iterable[str] | None) -> list[str] | None:
        return None if not texts else [self.resolve_area(t) for t in texts]

    def add_area(self, code: str, name: str, parent: str | None = None, kind: str = "custom") -> None:
        """Add a custom area (city, province ...) under ``parent``."""
        area_ref.add_custom(self.con, code, name, parent, kind)

    def areas(self, group: str | None = None, kind: str | None = None) -> pd.DataFrame:
        """The areas (of one ``group``'s members, of one ``kind``): code, name, kind, parent and its name, ISO codes, alias."""
        return area_ref.list_areas(self.con, group=group, kind=kind)

    def resolve_area_codes(self, texts: Sequence[str]) -> list[str | None]:
        """The area code each text names (M49, ISO, alias or name), None where none: one query."""
        return area_ref.resolve_many(self.con, texts)

    def remove_area(self, code: str) -> None:
        """Remove a custom area and its group memberships (a reference area is refused)."""
        area_ref.remove_custom(self.con, code)

    def area_names(self, codes: Sequence[str] | None = None) -> dict[str, str]:
        """Area code -> name for ``codes`` (None = every area); unknown codes are left out."""
        return catalog.area_names(self.con, codes)

    def area_codes(self) -> set[str]:
        """Every area code in the store, reference and custom."""
        return catalog.area_codes(self.con)

    def area_info(self, code: str) -> dict | None:
        """One area: code, name, kind, parent, iso2, iso3; None when the code is unknown."""
        return catalog.area_info(self.con, code)

    def cities_named(self, name: str, code: str | None = None) -> list[tuple[str, str | None]]:
        """(code, parent) of the city areas called ``name`` (any case) or coded ``code``."""
        return catalog.cities_named(self.con, name, code)

    # -- framework ---------------------------------------------------------------------------
    def series_codes_for(self, code: str) -> list[str]:
        """The series a code stands for: the code itself if it is a series, else the series of an
        indicator (or of every indicator of a target or goal)."""
        from ..frameworks import sdg

        if self.lookups is not None:
            return list(self.lookups.get(("series", code), lambda: tuple(sdg.series_for_code(self.con, code))))
        return sdg.series_for_code(self.con, code)

    def series_codes(self) -> list[str]:
        """Every series code in the store, in code order."""
        return catalog.series_codes(self.con)

    def series_indicator_links(self) -> pd.DataFrame:
        """``DataFrame(series, indicator)``: the SDG indicators each series serves."""
        return catalog.series_indicator_links(self.con)

    def series_info(self) -> pd.DataFrame:
        """``DataFrame(code, description, unit)`` of every series in the store."""
        return catalog.series_info(self.con)

    def node_titles(self, framework: str = "sdg") -> dict[str, str]:
        """Node code -> title of a framework's goals, targets and indicators."""
        return catalog.node_titles(self.con, framework)

    def current_nodes(self, framework: str = "sdg") -> list[tuple[str, str, str | None, str]]:
        """(code, level, parent, title) of a framework's current nodes, in reading order."""
        return catalog.current_nodes(self.con, framework)

    def nodes(
        self,
        framework: str = "sdg",
        *,
        level: str | None = None,
        parent: str | None = None,
        lang: str = "en",
        include_retired: bool = False,
    ) -> list[dict]:
        """A framework's nodes in reading order, titles in ``lang`` (English where not translated)."""
        return catalog.node_list(self.con, framework, level, parent, lang, include_retired)

    def framework_levels(self, framework: str = "sdg") -> list[str]:
        """A framework's levels from the root down (empty when the store has no such framework)."""
        return catalog.framework_levels(self.con, framework)

    def state_fingerprint(self) -> str:
        """Changes whenever what readers see may change (loads, preference, areas, results, registry)."""
        return catalog.state_fingerprint(self.con)

    # -- what the store holds ------------------------------------------------------------------
    def has_dataset(self, dataset_id: str) -> bool:
        """Whether the dataset ``dataset_id`` is in the store (and not removed)."""
        return catalog.has_dataset(self.con, dataset_id)

    def first_year(self, series: Sequence[str]) -> int | None:
        """The earliest year any of ``series`` has a row (any dataset or disaggregation), or None."""
        return catalog.first_year(self.con, series)

    def totals(self) -> dict[str, int | None]:
        """Whole-store counts: observations, series, areas, first and last year."""
        return catalog.totals(self.con)

    def headline_series_stats(self) -> list[dict]:
        """Per SDG indicator and series with headline rows: description, rows, areas, first and last year."""
        return catalog.headline_series_stats(self.con)

    def observations_per_goal(self) -> pd.DataFrame:
        """Per SDG goal: indicators, series and observations (every row, disaggregations included)."""
        return catalog.observations_per_goal(self.con)

    def series_facts(self, datasets: Sequence[str] | None = None, areas: Sequence[str] | None = None) -> pd.DataFrame:
        """Per dataset, indicator and series: rows, headline rows, areas, years, disaggregation names
        (of the rows in ``areas``, stored codes, when given)."""
        return catalog.series_facts(self.con, datasets, areas)

    def area_and_parts(self, code: str) -> list[str]:
        """An area's code and those of every area under it (its provinces, regions, cities ...)."""
        return catalog.area_and_parts(self.con, code)

    def main_areas(self) -> pd.DataFrame:
        """Per national or sub-national dataset: its main area, headline rows there, preference."""
        return catalog.main_areas(self.con)

    def headline_candidates(
        self, *, areas: Sequence[str] | None = None, datasets: Sequence[str] | None = None
    ) -> pd.DataFrame:
        """Per SDG indicator, dataset and series with headline values (in ``areas``): rank, rows,
        areas, last year, description: what the headline-series rule chooses among."""
        codes = self.resolve_areas(areas) if areas else None
        return catalog.headline_candidates(self.con, codes, datasets)

    def start_values(self, datasets: Sequence[str] | None = None) -> pd.DataFrame:
        """The selection each Open SDG repository opens an indicator's chart on (``data_start_values``):
        dataset, indicator, field, value, series, position; read as the pages read it
        (``display.start_values``), so the headline rule and the page's first selection agree."""
        from . import display

        return display.start_values(self.con, datasets)

    def dataset_main_area(self, dataset_id: str) -> str | None:
        """The area holding most of a dataset's headline rows, or None."""
        return catalog.dataset_main_area(self.con, dataset_id)

    # -- what the site build reads -------------------------------------------------------------
    def series_fingerprints(self, areas: Sequence[str] | None = None) -> list[tuple]:
        """(indicator, series, dataset, last_load, rows, meta hash) per series and dataset: what changed
        (rows in ``areas``, stored codes, when given)."""
        return catalog.series_fingerprints(self.con, areas)

    def metadata_fingerprints(self) -> list[tuple[str, str, int]]:
        """(indicator, dataset, hash of its metadata text and the dataset's labels) per indicator."""
        from . import metadata

        return metadata.metadata_fingerprints(self.con)

    def indicator_metadata(
        self, codes: Sequence[str], datasets: Sequence[str] | None = None, lang: str = "en"
    ) -> pd.DataFrame:
        """Every national metadata field of the indicators ``codes`` per dataset (``store/metadata.py``)."""
        from . import metadata

        for dataset_id in datasets or []:
            dataset_ops.check_exists(self.con, dataset_id)
        return metadata.indicator_metadata(self.con, codes, datasets, lang)

    def source_columns(self, datasets: Sequence[str] | None = None) -> pd.DataFrame:
        """The header of every source table loaded (Open SDG indicator files), as written: dataset,
        source_file, indicator, columns, has_rows (``store/datasets.py``)."""
        return dataset_ops.source_columns(self.con, list(datasets) if datasets is not None else None)

    def display_settings(
        self, codes: Sequence[str], datasets: Sequence[str] | None = None, lang: str = "en"
    ) -> dict[str, dict]:
        """Indicator -> the page settings its national metadata sets (``store/display.py``)."""
        from . import display

        for dataset_id in datasets or []:
            dataset_ops.check_exists(self.con, dataset_id)
        return display.display_settings(self.con, codes, datasets, lang)

    def metadata_translations(self, dataset: str, lang: str) -> dict[str, str]:
        """A dataset's translations into ``lang`` (its repository's ``translations/``): key -> text."""
        from . import metadata

        return metadata.translations(self.con, dataset, lang)

    def data_translator(self, dataset: str, lang: str) -> DataTranslator:
        """How the site's data files of ``dataset`` read in ``lang``: the repository's translations
        applied to breakdown names, cells, units and series as sdg-build applies them
        (``store/metadata.py``); a translator that changes nothing when the dataset has none."""
        from . import metadata

        return metadata.data_translator(self.con, dataset, lang)

    def metadata_indicators(self, datasets: Sequence[str] | None = None) -> pd.DataFrame:
        """Per dataset and indicator with national metadata: fields and languages."""
        from . import metadata

        return metadata.metadata_indicators(self.con, datasets)

    def store_state(self) -> dict:
        """Last load, dataset metadata and preference, areas, reference version (as fingerprints)."""
        return catalog.store_state(self.con)

    def titles_in(self, lang: str, framework: str = "sdg") -> dict[str, tuple[str, str | None]]:
        """Node code -> (title, short title) in ``lang`` from the shipped translations."""
        return catalog.titles_in(self.con, lang, framework)

    def indicator_coverage(
        self, datasets: Sequence[str] | None = None, areas: Sequence[str] | None = None
    ) -> pd.DataFrame:
        """Per SDG indicator with data: rows, series, areas, years, disaggregated rows and names."""
        return catalog.indicator_coverage(self.con, datasets, areas)

    def export_observations(
        self, path: str | Path, datasets: Sequence[str] | None = None, areas: Sequence[str] | None = None
    ) -> int:
        """Every observation the reads see (in ``areas``, when given), as one Parquet file; returns the row count."""
        return catalog.export_observations(self.con, str(path), datasets, areas)

    # -- queries -----------------------------------------------------------------------------
    def observations(
        self,
        code: str | Sequence[str] | None = None,
        *,
        areas: Sequence[str] | None = None,
        start: int | None = None,
        end: int | None = None,
        all_disaggregations: bool = False,
        datasets: Sequence[str] | None = None,
        as_of: str | dt.date | None = None,
    ) -> pd.DataFrame:
        """Observations as a DataFrame, one row per fact.

        ``code`` is a series code, an indicator/target/goal code, or a list of them (None = all).
        By default only headline (total) values; ``all_disaggregations=True`` returns every row.
        ``datasets``: restrict to these, in this order of preference (default: all); each
        (series, area) comes from one dataset only. ``as_of``: the store as it stood then.
        Columns: dataset, series, area, area_name, period, year, dims, unit, value, value_text,
        is_headline, nature, obs_status, source, footnote, source_file, and what the source said
        beside the value (NULL where it said nothing; docs/ingest.md): unit_measure,
        unit_multiplier, geocode, source_dims, attributes, variant (0; 1, 2 ... for the rows of a
        key the source gives different values, in source order).
        """
        where, params = self._filters(code, areas, start, end)
        if not all_disaggregations:
            where.append("o.is_headline")
        rows, row_params = reads.picked_sql(
            self.con, where, params, datasets, reads.parse_as_of(as_of), self._preference(datasets)
        )
        return self.con.execute(
            f"""
            SELECT o.dataset, o.series, o.area, a.name AS area_name, o.period, o.year, o.dims, o.unit,
                   o.value, o.value_text, o.is_headline, o.nature, o.obs_status, o.source,
                   o.footnote, o.source_file, {SOURCE_ATTRIBUTES}
            FROM ({rows}) o LEFT JOIN area a ON a.code = o.area
            ORDER BY o.series, o.area, o.year, o.period, o.dims, o.unit, o.variant""",
            row_params,
        ).df()

    def headline_runs(self, series: str, *, datasets: Sequence[str] | None = None) -> pd.DataFrame:
        """Every dataset's headline rows of one series (its exact code) for every area, each with
        its dataset's ``rank`` (1 = preferred), ordered by area, rank, then as :meth:`observations`:
        each (area, dataset) a run of rows. :meth:`observations` gives, per area, the run of the
        lowest rank among those with rows in the years read. For a reader that keeps a series and
        answers every area and year range from it (the API's series blocks, ``web/blocks.py``).
        Columns: those of :meth:`observations`, then ``rank``."""
        rows, params = reads.ranked_sql(
            self.con, ["o.series = ?", "o.is_headline"], [series], datasets, None, self._preference(datasets)
        )
        return self.con.execute(
            f"""
            SELECT o.dataset, o.series, o.area, a.name AS area_name, o.period, o.year, o.dims, o.unit,
                   o.value, o.value_text, o.is_headline, o.nature, o.obs_status, o.source,
                   o.footnote, o.source_file, {SOURCE_ATTRIBUTES}, o.rank
            FROM ({rows}) o LEFT JOIN area a ON a.code = o.area
            ORDER BY o.area, o.rank, o.year, o.period, o.dims, o.unit, o.variant""",
            params,
        ).df()

    def archived_observations(
        self,
        codes: Sequence[str],
        *,
        datasets: Sequence[str] | None = None,
        areas: Sequence[str] | None = None,
    ) -> pd.DataFrame:
        """Every observation of archived indicators ``codes`` (an Open SDG repository's ids such as
        ``archived-1-a-1``, :meth:`archived_indicators`) in the shape of :meth:`indicator_observations`."""
        return catalog.archived_observations(self.con, codes, _INDICATOR_COLUMNS, datasets, areas)

    def archived_indicators(self, datasets: Sequence[str] | None = None) -> pd.DataFrame:
        """The archived indicators of the datasets (all when None): dataset, indicator (the source's
        id, ``archived-1-a-1``), number (``1.a.1``), title, archive_type, tier, data_file; in order of
        the former numbers (``store/datasets.py``)."""
        return dataset_ops.archived_indicators(self.con, list(datasets) if datasets is not None else None)

    def archived_series(self) -> list[tuple[str, str]]:
        """(archived indicator id, series) of the series of archived indicators' data files."""
        return catalog.archived_series(self.con)

    def indicator_observations(
        self,
        indicators: Sequence[str],
        *,
        datasets: Sequence[str] | None = None,
        areas: Sequence[str] | None = None,
    ) -> pd.DataFrame:
        """Every observation (all disaggregations) of many SDG indicators in one query, as
        :meth:`observations` picks them, with an ``indicator`` column first (a series serving two of
        them appears under each), ordered by indicator then as :meth:`observations`. For builds that
        render every indicator: one read instead of one per indicator, fetched through Arrow."""
        where = ["o.series IN (SELECT series FROM series_indicator WHERE indicator IN (SELECT unnest(?::VARCHAR[])))"]
        params: list = [list(indicators)]
        if areas is not None:  # area codes as stored (a site's published areas)
            where.append("o.area IN (SELECT unnest(?::VARCHAR[]))")
            params.append(list(areas))
        rows, row_params = reads.picked_sql(self.con, where, params, datasets, None)
        table = self.con.sql(
            f"""
            SELECT si.indicator, o.dataset, o.series, o.area, a.name AS area_name, o.period, o.year, o.dims, o.unit,
                   o.value, o.value_text, o.is_headline, o.nature, o.obs_status, o.source, o.footnote, o.source_file,
                   {SOURCE_ATTRIBUTES}
            FROM ({rows}) o JOIN series_indicator si ON si.series = o.series
                 AND si.indicator IN (SELECT unnest(?::VARCHAR[]))
            LEFT JOIN area a ON a.code = o.area
            ORDER BY si.indicator, o.series, o.area, o.year, o.period, o.dims, o.unit, o.variant""",
            params=row_params + [list(indicators)],
        ).to_arrow_table()
        return table.to_pandas()

    def headline_values(
        self,
        code: str | Sequence[str] | None = None,
        *,
        areas: Sequence[str] | None = None,
        start: int | None = None,
        end: int | None = None,
        datasets: Sequence[str] | None = None,
        as_of: str | dt.date | None = None,
        units: pd.DataFrame | None = None,
    ) -> pd.DataFrame:
        """One headline value per (series, area, year), the shape analyses want.

        Columns: series, area, year, value, unit, n_values, dataset. Rules, so analyses never guess:
        only headline rows with a numeric value; when a series has several units in a dataset, its
        most frequent unit (on a tie, the first by name); when a year has several values (quarters, '2021/22' and '2021'), their
        mean (``n_values`` says how many were averaged); each (series, area) from one dataset
        (see :meth:`observations`).

        ``units``: the unit to keep of each (dataset, series), as :meth:`main_units` gives them,
        instead of the most frequent among the rows read. A read in parts (some areas at a time)
        passes the units of the whole read, so its parts are the rows one read would give.
        """
        return self._headline(code, areas, start, end, datasets, as_of, pick=True, units=units)

    def main_units(
        self,
        code: str | Sequence[str] | None = None,
        *,
        areas: Sequence[str] | None = None,
        start: int | None = None,
        end: int | None = None,
        datasets: Sequence[str] | None = None,
        as_of: str | dt.date | None = None,
    ) -> pd.DataFrame:
        """``DataFrame(dataset, series, unit, n)``: the unit :meth:`headline_values` keeps of each
        series in each dataset over the rows these arguments read, and how many rows have it (one
        aggregate in DuckDB)."""
        ranked, row_params = self._ranked_headline(code, areas, start, end, datasets, as_of)
        return self.con.execute(
            f"WITH all_rows AS ({ranked}), {_MAIN_UNIT} SELECT * FROM main_unit ORDER BY dataset, series",
            row_params,
        ).df()

    def compare(
        self,
        code: str | Sequence[str],
        *,
        areas: Sequence[str] | None = None,
        start: int | None = None,
        end: int | None = None,
        datasets: Sequence[str] | None = None,
        as_of: str | dt.date | None = None,
        alike: bool = False,
    ) -> pd.DataFrame:
        """Headline values of every dataset side by side per area and year, with the difference of
        each to the preferred one (columns: area, area_name, year, one per dataset, differences;
        ``attrs['units']`` gives each column's unit).

        ``alike``: instead, the alike series of two datasets (``store/comparison.py``: the same code
        or a series crosswalk link, in the same unit family), one row per pair, area and year: the
        headline value of the preferred dataset's series and of the other's, their difference, how
        they were matched, and the words for headers (dataset titles, series descriptions, area
        name). Empty when no two datasets hold alike series."""
        from . import comparison

        values = self._headline(code, areas, start, end, datasets, as_of, pick=False)
        ranks = self._ranks(datasets)
        values["rank"] = values["dataset"].map(ranks).fillna(len(ranks) + 1)
        if not alike:
            values["area_name"] = values["area"].map(self.area_names(values["area"].unique().tolist()))
            return history.side_by_side(values, comparison.series_links(self.con))
        long = comparison.like_with_like(values, comparison.series_links(self.con))
        info = catalog.series_info(self.con).set_index("code")["description"]
        titles = self.datasets().set_index("id")["title"]
        return long.assign(
            area_name=long["area"].map(self.area_names(long["area"].unique().tolist())),
            dataset_title=long["dataset"].map(titles),
            description=long["series"].map(info),
            other_dataset_title=long["other_dataset"].map(titles),
            other_description=long["other_series"].map(info),
        )

    def _ranks(self, datasets: Sequence[str] | None) -> pd.Series:
        """Dataset -> rank (1 is preferred): the order given, else the store's preference."""
        if datasets:
            ids = list(dict.fromkeys(datasets))
            return pd.Series(range(1, len(ids) + 1), index=ids)
        return self.datasets().set_index("id")["preference"]

    def history(
        self,
        code: str | Sequence[str],
        *,
        areas: Sequence[str] | None = None,
        start: int | None = None,
        end: int | None = None,
        datasets: Sequence[str] | None = None,
    ) -> pd.DataFrame:
        """Every version of the matching values (current, updated, removed), who wrote and changed it."""
        where, params = self._filters(code, areas, start, end)
        if datasets:
            reads.preference(self.con, datasets)  # unknown ids are an error
            where.append("o.dataset IN (SELECT unnest(?::VARCHAR[]))")
            params.append(list(datasets))
        return history.revisions(self.con, where, params)

    def sources(
        self,
        code: str | Sequence[str] | None = None,
        *,
        areas: Sequence[str] | None = None,
        start: int | None = None,
        end: int | None = None,
        all_disaggregations: bool = False,
        as_of: str | dt.date | None = None,
    ) -> pd.DataFrame:
        """Which datasets hold matching rows, before one is picked per (series, area): dataset, rows,
        series, areas, in the order of preference. Lets a face say what the default view left out."""
        where, params = self._filters(code, areas, start, end)
        if not all_disaggregations:
            where.append("o.is_headline")
        ranked, row_params = reads.ranked_sql(self.con, where, params, None, reads.parse_as_of(as_of))
        return self.con.execute(
            f"""SELECT dataset, count(*) AS rows, count(DISTINCT series) AS series,
                                           count(DISTINCT area) AS areas
                                    FROM ({ranked}) GROUP BY dataset ORDER BY min(rank)""",
            row_params,
        ).df()

    def _headline(
        self,
        code: str | Sequence[str] | None,
        areas: Sequence[str] | None,
        start: int | None,
        end: int | None,
        datasets: Sequence[str] | None,
        as_of: str | dt.date | None,
        pick: bool,
        units: pd.DataFrame | None = None,
    ) -> pd.DataFrame:
        ranked, row_params = self._ranked_headline(code, areas, start, end, datasets, as_of)
        if units is None:
            main_unit = _MAIN_UNIT
        else:  # decided by the caller over a larger read: three lists, not a join with a frame
            main_unit = (
                "main_unit AS (SELECT unnest(?::VARCHAR[]) AS dataset, unnest(?::VARCHAR[]) AS series, "
                "unnest(?::VARCHAR[]) AS unit)"
            )
            row_params = row_params + [
                units["dataset"].astype(str).tolist(),
                units["series"].astype(str).tolist(),
                [None if pd.isna(u) else str(u) for u in units["unit"]],
            ]
        # the main unit per dataset and series first, then one dataset per (series, area)
        choose = (
            (
                "JOIN (SELECT series, area, arg_min(dataset, rank) AS dataset FROM h GROUP BY ALL) "
                "USING (series, area, dataset)"
            )
            if pick
            else ""
        )
        return self.con.execute(
            f"""
            WITH all_rows AS ({ranked}),
            {main_unit},
            h AS (SELECT a.* FROM all_rows a JOIN main_unit m
                  ON a.dataset = m.dataset AND a.series = m.series AND a.unit IS NOT DISTINCT FROM m.unit)
            SELECT h.series, h.area, h.year, avg(h.value) AS value, h.unit, count(*) AS n_values, h.dataset
            FROM h {choose}
            GROUP BY h.series, h.area, h.year, h.unit, h.dataset
            ORDER BY h.series, h.area, h.year, h.dataset""",
            row_params,
        ).df()

    def _ranked_headline(
        self,
        code: str | Sequence[str] | None,
        areas: Sequence[str] | None,
        start: int | None,
        end: int | None,
        datasets: Sequence[str] | None,
        as_of: str | dt.date | None,
    ) -> tuple[str, list]:
        where, params = self._filters(code, areas, start, end)
        # a key the source gives several values: its first row (variant 1), as docs/ingest.md says
        where += ["o.is_headline", "o.value IS NOT NULL", "o.variant <= 1"]
        return reads.ranked_sql(self.con, where, params, datasets, reads.parse_as_of(as_of))

    def _preference(self, datasets: Sequence[str] | None) -> list[str]:
        """``reads.preference``, kept in :attr:`lookups` when there are any."""
        if isinstance(datasets, str):
            datasets = [datasets]
        if self.lookups is None:
            return reads.preference(self.con, datasets)
        key = ("preference", tuple(datasets) if datasets else None)
        return list(self.lookups.get(key, lambda: tuple(reads.preference(self.con, datasets))))

    def _filters(
        self, code: str | Sequence[str] | None, areas: Sequence[str] | None, start: int | None, end: int | None
    ) -> tuple[list[str], list]:
        """SQL conditions on ``observation o`` for a code (series, indicator, target or goal),
        areas (any name the resolver knows) and a year range."""
        return reads.filters(self.series_codes_for, self.resolve_areas, code, areas, start, end)


# The main unit of each series in each dataset over the rows read (``all_rows``). Two units as
# frequent as each other (the UK's 3.8.2 in % and in GBP): the first by name, so every read and
# every site build picks the same.
_MAIN_UNIT = """main_unit AS (SELECT dataset, series, unit, n
                  FROM (SELECT dataset, series, unit, count(*) AS n FROM all_rows GROUP BY ALL)
                  QUALIFY row_number() OVER (PARTITION BY dataset, series ORDER BY n DESC, unit) = 1)"""


def _open_error(path: Path, exc: BaseException) -> str:
    text = str(exc)
    if "Could not set lock" in text:
        server = server_holding(path)
        if server is not None:
            url = str(server.get("url", "")).rstrip("/")
            upload = server.get("upload")
            through = (
                f"read and send changes through it (upload: POST {url}{upload}; every route at {url}/docs)"
                if upload  # a server without data entry takes no changes
                else f"read through it (every route at {url}/docs)"
            )
            return (
                f"the store {path} is held by the sdgtrack server at {url} (PID {server.get('pid')}, since "
                f"{server.get('started')}): {through}, or stop the server to use the store from the command line"
            )
        holder = re.search(r"\(PID (\d+)\)", text)
        return (
            f"the store {path} is in use by another process{' (PID ' + holder.group(1) + ')' if holder else ''}: "
            "wait for its load or command to finish, or stop it (a server holding the store takes uploads "
            "through its web page and API)"
        )
    return f"cannot open database {path}: {text.splitlines()[0] if text else type(exc).__name__}"
