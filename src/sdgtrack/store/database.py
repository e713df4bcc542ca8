"""The store: one DuckDB file with reference data and observations, behind a small facade.

Analyses get plain DataFrames from :meth:`Database.observations` or run SQL on
:attr:`Database.con` (tables in ``schema.sql``). Writes go through :mod:`sdgtrack.ingest`.
"""
from __future__ import annotations

import os
from importlib import resources
from pathlib import Path
from typing import Iterable, Sequence

import duckdb
import pandas as pd

from ..errors import UserInputError
from ..frameworks import areas as area_ref
from ..frameworks import reference

DEFAULT_DB_NAME = "sdgtrack.duckdb"


def default_db_path(path: str | Path | None = None) -> Path:
    """--db, else $SDGTRACK_DB, else ./sdgtrack.duckdb."""
    return Path(path or os.environ.get("SDGTRACK_DB") or DEFAULT_DB_NAME)


class Database:
    def __init__(self, path: str | Path | None = None, *, read_only: bool = False):
        self.path = default_db_path(path)
        if read_only and not self.path.exists():
            raise UserInputError(f"no database at {self.path}: load data first with `sdgtrack ingest`")
        try:
            if not read_only:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            self.con = duckdb.connect(str(self.path), read_only=read_only)
        except (duckdb.Error, OSError) as exc:  # locked by another process, not a DuckDB file, ...
            raise UserInputError(f"cannot open database {self.path}: {exc}") from None
        # Long work reports progress through the faces (Rich status), not DuckDB's own bar.
        self.con.execute("SET enable_progress_bar = false")
        if not read_only:
            self._ensure_schema()

    # -- lifecycle -------------------------------------------------------------------------
    def _ensure_schema(self) -> None:
        sql = (resources.files("sdgtrack.store") / "schema.sql").read_text("utf-8")
        self.con.execute(sql)
        row = self.con.execute("SELECT value FROM meta WHERE key = 'reference_version'").fetchone()
        if row is None or row[0] != reference.REFERENCE_VERSION:
            self.con.execute("BEGIN")
            reference.load_reference(self.con)
            self.con.execute("COMMIT")

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> "Database":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def sql(self, query: str, params: Sequence | None = None) -> pd.DataFrame:
        return self.con.execute(query, params or []).df()

    # -- ingest ----------------------------------------------------------------------------
    def ingest(self, paths: Iterable[str | Path] | str | Path, **options):
        """Load files or folders; see :func:`sdgtrack.ingest.loader.ingest` for options."""
        from ..ingest.loader import ingest

        return ingest(self, _as_paths(paths), **options)

    def validate(self, paths: Iterable[str | Path] | str | Path, **options):
        """Check files as :meth:`ingest` would, without changing the store."""
        from ..ingest.loader import ingest

        return ingest(self, _as_paths(paths), dry_run=True, **options)

    # -- areas -----------------------------------------------------------------------------
    def resolve_area(self, text: str) -> str:
        return area_ref.resolve(self.con, text)

    def resolve_areas(self, texts: Iterable[str] | None) -> list[str] | None:
        return None if not texts else [self.resolve_area(t) for t in texts]

    def add_area(self, code: str, name: str, parent: str | None = None, kind: str = "custom") -> None:
        area_ref.add_custom(self.con, code, name, parent, kind)

    def areas(self, group: str | None = None, kind: str | None = None) -> pd.DataFrame:
        return area_ref.list_areas(self.con, group=group, kind=kind)

    # -- framework ---------------------------------------------------------------------------
    def series_codes_for(self, code: str) -> list[str]:
        """The series a code stands for: the code itself if it is a series, else the series of an
        indicator (or of every indicator of a target or goal)."""
        from ..frameworks import sdg

        return sdg.series_for_code(self.con, code)

    # -- queries -----------------------------------------------------------------------------
    def observations(
        self,
        code: str | Sequence[str] | None = None,
        *,
        areas: Sequence[str] | None = None,
        start: int | None = None,
        end: int | None = None,
        all_disaggregations: bool = False,
    ) -> pd.DataFrame:
        """Observations as a DataFrame, one row per fact.

        ``code`` is a series code, an indicator/target/goal code, or a list of them (None = all).
        By default only headline (total) values; ``all_disaggregations=True`` returns every row.
        Columns: series, area, area_name, period, year, dims, unit, value, value_text,
        is_headline, nature, obs_status, source, footnote, source_file.
        """
        where, params = self._filters(code, areas, start, end)
        if not all_disaggregations:
            where.append("o.is_headline")
        query = f"""
            SELECT o.series, o.area, a.name AS area_name, o.period, o.year, o.dims, o.unit,
                   o.value, o.value_text, o.is_headline, o.nature, o.obs_status, o.source,
                   o.footnote, o.source_file
            FROM observation o LEFT JOIN area a ON a.code = o.area
            {"WHERE " + " AND ".join(where) if where else ""}
            ORDER BY o.series, o.area, o.year, o.period, o.dims, o.unit"""
        return self.con.execute(query, params).df()

    def headline_values(
        self,
        code: str | Sequence[str] | None = None,
        *,
        areas: Sequence[str] | None = None,
        start: int | None = None,
        end: int | None = None,
    ) -> pd.DataFrame:
        """One headline value per (series, area, year), the shape analyses want.

        Columns: series, area, year, value, unit, n_values. Rules, so analyses never guess:
        only headline rows with a numeric value; when a series has several units, its most
        frequent unit; when a year has several values (quarters, '2021/22' and '2021'), their mean
        (``n_values`` says how many were averaged).
        """
        where, params = self._filters(code, areas, start, end)
        where += ["o.is_headline", "o.value IS NOT NULL"]
        return self.con.execute(f"""
            WITH h AS (SELECT o.series, o.area, o.year, o.unit, o.value FROM observation o WHERE {" AND ".join(where)}),
            main_unit AS (SELECT series, arg_max(unit, n) AS unit
                          FROM (SELECT series, unit, count(*) AS n FROM h GROUP BY ALL) GROUP BY series)
            SELECT h.series, h.area, h.year, avg(h.value) AS value, h.unit, count(*) AS n_values
            FROM h JOIN main_unit USING (series, unit)
            GROUP BY h.series, h.area, h.year, h.unit
            ORDER BY h.series, h.area, h.year""", params).df()

    def _filters(self, code, areas, start, end) -> tuple[list[str], list]:
        """SQL conditions on ``observation o`` for a code (series, indicator, target or goal),
        areas (any name the resolver knows) and a year range."""
        where, params = [], []
        if code is not None:
            codes = [code] if isinstance(code, str) else list(code)
            where.append("o.series IN (SELECT unnest(?::VARCHAR[]))")
            params.append(sorted({s for c in codes for s in self.series_codes_for(c)}))
        if areas:
            where.append("o.area IN (SELECT unnest(?::VARCHAR[]))")
            params.append(self.resolve_areas(areas))
        if start is not None:
            where.append("o.year >= ?")
            params.append(int(start))
        if end is not None:
            where.append("o.year <= ?")
            params.append(int(end))
        return where, params


def _as_paths(paths) -> list[Path]:
    if isinstance(paths, (str, Path)):
        return [Path(paths)]
    return [Path(p) for p in paths]
