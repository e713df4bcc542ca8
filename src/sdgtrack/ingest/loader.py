"""Ingest orchestration: find files, pick readers, stage, validate, merge in one transaction.

Strict by default: any invalid row aborts the whole load and nothing changes. With
``skip_invalid`` the valid rows load and the rejected ones go to a CSV with their reasons.
Every load goes into one dataset and touches no other. Re-loading the same data adds nothing
("0 new, N unchanged") and writes no rows; a changed value is updated and its earlier version
kept in ``observation_history``; rows of the dataset absent from the load are counted as missing
and, with ``replace``, removed (kept in history too).
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from ..errors import InvalidInputError, Problem, UserInputError
from ..plurals import count
from ..store import datasets as dataset_store
from ..store import reads
from ..store.transactions import rollback
from . import datasets, fingerprint, headline, registry, validate
from .canonical import ATTRIBUTE_NAMES, create_staging

STAGING = "__staged"
PREPARED = "__prepared"
VALID = "__valid"
INCOMING = "__incoming"
CONFLICTS = "__conflicts"
KEY = validate.KEY
# A stored row's key: the source's key and, for a key the source gives several values (Open SDG
# files, as sdg-build publishes them), which of them (1, 2 ... in source order; 0 otherwise).
ROW_KEY = (*KEY, "variant")
# Columns whose change makes an observation "updated" on reload (headline flags are
# recomputed for the dataset's series on every load, see headline.py).
PAYLOAD = ("value", "value_text", "year", "nature", "obs_status", "source", "footnote", *ATTRIBUTE_NAMES)


# --replace refuses to remove more than this share of a dataset unless told it is meant: loading
# one goal's Excel download with --replace into the whole UN database would empty it.
LARGE_REMOVAL = 0.5


@dataclass(frozen=True)
class LoadTarget:
    """Where a load goes: its dataset, the fields the user gave for it, and whether it replaces it."""

    info: datasets.DatasetInfo
    given: dict
    replace: bool = False
    allow_large_removal: bool = False
    user: str | None = None  # who the load is recorded for (a server's signed-in user); else current_user()
    preview_rows: int = 0  # a dry run lists this many of the rows it would write (report.changes)
    digest: str | None = None  # of the files read (fingerprint.py), kept with the load when set


@dataclass
class LoadReport:
    paths: list[str]
    dataset: str = ""
    formats: dict[str, int] = field(default_factory=dict)  # format -> files read
    files: int = 0
    rows_read: int = 0
    blank_values: int = 0
    exact_duplicates: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    missing: int = 0  # rows of the dataset in the store but not in this load
    removed: int = 0  # missing rows removed by --replace (kept in history)
    reflagged: int = 0  # stored rows whose headline flag this load changed (kept in history)
    rejected: int = 0  # rows (and file problems), as many as the rejected-rows CSV lists
    rejected_parts: dict[str, int] = field(default_factory=dict)
    rejected_file: str | None = None
    series: int = 0
    areas: int = 0
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    dry_run: bool = False
    # a dry run's preview: the first new and updated rows, with the stored value an update replaces
    changes: list[dict] = field(default_factory=list)
    metadata_indicators: int = 0  # indicators whose national metadata this load writes (Open SDG)
    metadata_fields: int = 0  # their field rows, every language
    variant_keys: int = 0  # keys the source gives several values, each kept as a variant (Open SDG)
    variant_rows: int = 0

    def summary(self) -> str:
        verb = "checked" if self.dry_run else "loaded"
        fmt = ", ".join(f"{n} {k}" for k, n in sorted(self.formats.items()))
        lines = [
            f"{verb} {count(self.files, 'file')} ({fmt}) into dataset {self.dataset}: "
            f"{count(self.rows_read, 'row')} read, {count(self.series, 'series', 'series')}, {count(self.areas, 'area')}"
        ]
        if self.dry_run:
            lines.append(
                f"would add {self.new:,} new, update {self.updated:,}, leave {self.unchanged:,} unchanged"
                + (f", remove {self.missing:,} missing" if self.removed else "")
            )
        else:
            lines.append(
                f"{self.new:,} new, {self.updated:,} updated, {self.unchanged:,} unchanged"
                + (f", {self.removed:,} removed (absent from this load)" if self.removed else "")
            )
            if self.reflagged:
                lines.append(
                    f"{self.reflagged:,} stored rows of dataset {self.dataset} changed headline (total) "
                    "status: the new rows split their series by other values of a dimension"
                )
            if self.updated or self.removed or self.reflagged:
                lines.append("earlier versions are kept in history (`sdgtrack history CODE`)")
        if self.missing and not self.removed:
            lines.append(
                f"{self.missing:,} rows of dataset {self.dataset} are not in this load and were kept; "
                "--replace removes them (a new release replacing the old one)"
            )
        if self.blank_values:
            lines.append(f"{count(self.blank_values, 'row')} without a value not loaded (blank Value cell)")
        if self.exact_duplicates:
            lines.append(f"{self.exact_duplicates:,} rows repeated an earlier row exactly and were stored once")
        if self.rejected:
            parts = self.rejected_parts
            said = [f"{parts[k]:,} {k}" for k in ("invalid rows", "file problems") if parts.get(k)]
            if parts.get("keys given different values"):
                said.append(
                    f"{parts['rows of keys given different values']:,} rows of "
                    f"{parts['keys given different values']:,} keys given different values"
                )
            lines.append(
                f"{self.rejected:,} rejected ({'; '.join(said) or 'rows'}); every one with its reason "
                f"in {self.rejected_file}"
            )
        return "\n".join(lines)


def find_inputs(paths: list[Path], fmt: str | None) -> list[tuple[Path, registry.Reader]]:
    """Expand folders into the files (or data repositories) a reader recognises."""
    found: list[tuple[Path, registry.Reader]] = []
    problems: list[Problem] = []
    for path in paths:
        if not path.exists():
            problems.append(Problem(str(path), None, None, None, "an existing file or folder"))
            continue
        if fmt:
            found.append((path, registry.get(fmt)))
            continue
        reader = registry.detect(path)
        if reader is not None:
            found.append((path, reader))
        elif path.is_dir():
            children = sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith("."))
            matched = [(p, r) for p in children if (r := registry.detect(p)) is not None]
            if not matched:
                problems.append(
                    Problem(
                        str(path),
                        None,
                        None,
                        None,
                        "a folder holding data in a known format (" + ", ".join(sorted(registry.all_readers())) + ")",
                    )
                )
            found += matched
        else:
            problems.append(registry.unknown_format(path))
    if problems:
        raise InvalidInputError(problems)
    return found


def ingest(
    db,
    paths: list[Path],
    *,
    dataset: str | None = None,
    dataset_info: dict | None = None,
    replace: bool = False,
    allow_large_removal: bool = False,
    format: str | None = None,
    skip_invalid: bool = False,  # noqa: A002
    rejected_path: str | Path | None = None,
    dry_run: bool = False,
    area: str | None = None,
    progress=None,
    user: str | None = None,
    preview_rows: int = 0,
) -> LoadReport:
    """Load ``paths`` into ``db``, into one dataset (``dataset``, else the readers' default).
    ``area`` is the default area for formats without one (Open SDG)."""
    report = LoadReport(paths=[str(p) for p in paths], dry_run=dry_run)
    inputs = find_inputs(paths, format)
    target = dataclasses.replace(
        _target(paths, inputs, dataset, dataset_info, replace, allow_large_removal),
        user=user,
        preview_rows=preview_rows if dry_run else 0,
    )
    report.dataset = target.info.id
    options = {"area": db.resolve_area(area) if area else None}
    if not dry_run:
        digest = fingerprint.inputs_digest(inputs, {**options, "format": format}, dataset_store.reference_state(db.con))
        if digest is not None and _unchanged_reload(db.con, report, target, digest, progress):
            return report
        target = dataclasses.replace(target, digest=digest)
    try:
        return _run(db, paths, inputs, options, report, skip_invalid, rejected_path, dry_run, progress, target)
    finally:  # a failed load leaves no work tables behind either
        _drop_work_tables(db.con)


def _target(
    paths: list[Path], inputs, dataset: str | None, dataset_info: dict | None, replace: bool, allow_large_removal: bool
) -> LoadTarget:
    given = dict(dataset_info or {})
    if given.get("kind") is not None:
        datasets.check_kind(given["kind"])
    if dataset is None:
        info = datasets.for_inputs(paths, inputs)
    else:  # the user's id; kind, title and publisher as the reader would say (a UN download stays global)
        try:
            derived = datasets.for_inputs(paths, inputs)
        except InvalidInputError:
            derived = datasets.DatasetInfo(dataset, dataset, "other")
        info = dataclasses.replace(
            derived, id=datasets.check_id(dataset), title=derived.title if derived.kind != "other" else dataset
        )
    return LoadTarget(info.merged(given), given, replace, allow_large_removal)


def _run(
    db,
    paths,
    inputs,
    options,
    report: LoadReport,
    skip_invalid: bool,
    rejected_path,
    dry_run: bool,
    progress,
    target: LoadTarget,
) -> LoadReport:
    con = db.con
    create_staging(con, STAGING)
    problems: list[Problem] = []
    new_areas: list[tuple[str, str, str | None, str]] = []
    metadata: list = []  # MetadataRows of each input that carries metadata
    tables: list = []  # the headers of the source tables read (ReadResult.tables)
    keep_files: set[str] = set()  # files whose keys given different values are kept (see _collapse_keys)
    for path, reader in inputs:
        if progress:
            progress(f"reading {path} ({reader.name})")
        staged_before = _staged_rows(con)
        keeps = getattr(reader, "keeps_conflicting_rows", False)
        files_before = _staged_files(con) if keeps else set()
        try:
            result = reader.read(con, path, STAGING, options)
        except InvalidInputError as exc:
            problems += exc.problems
            continue
        if keeps:
            keep_files |= _staged_files(con) - files_before
        report.files += 1
        report.formats[reader.name] = report.formats.get(reader.name, 0) + 1
        report.rows_read += _staged_rows(con) - staged_before
        report.blank_values += result.blank_values
        problems += result.problems
        report.notes += result.notes
        new_areas += result.areas
        if result.metadata is not None:
            metadata.append(result.metadata)
        tables += result.tables
    if problems and not skip_invalid:
        raise InvalidInputError(problems[:1000], len(problems))
    if report.files == 0:
        raise InvalidInputError(problems or [Problem(", ".join(map(str, paths)), None, None, None, "data files")])

    added_areas = _add_areas(db, new_areas)
    try:
        _validate_and_merge(
            db, report, problems, skip_invalid, rejected_path, dry_run, progress, target, metadata, keep_files, tables
        )
    except BaseException:
        _remove_areas(con, added_areas)
        raise
    if dry_run:
        _remove_areas(con, added_areas)
    return report


def _validate_and_merge(
    db,
    report: LoadReport,
    problems: list[Problem],
    skip_invalid: bool,
    rejected_path,
    dry_run: bool,
    progress,
    target: LoadTarget,
    metadata: list,
    keep_files: set[str] | None = None,
    tables: list | None = None,
) -> None:
    con = db.con
    if progress:
        progress("validating")
    # A row without a value is no observation: counted and reported, never silently dropped.
    blank = "value_raw IS NULL OR trim(value_raw) = ''"
    n_blank = con.execute(f"SELECT count(*) FROM {STAGING} WHERE {blank}").fetchone()[0]
    if n_blank:
        report.blank_values += n_blank
        report.rows_read -= n_blank
        con.execute(f"DELETE FROM {STAGING} WHERE {blank}")
    validate.prepare(con, STAGING, PREPARED)
    con.execute(f"DROP TABLE {STAGING}")  # everything needed is in PREPARED now: keep peak memory down
    row_problems, n_invalid, invalid_sql = validate.problems(con, PREPARED)
    if n_invalid and not skip_invalid:
        raise InvalidInputError(row_problems, n_invalid)
    con.execute(f"CREATE OR REPLACE TEMP VIEW {VALID} AS SELECT * FROM {PREPARED} WHERE NOT ({invalid_sql})")
    _collapse_keys(con, keep_files)
    _count_variants(con, report)
    dup_problems, n_dups = validate.conflicting_duplicates(con, INCOMING, PREPARED)
    if n_dups and not skip_invalid:
        raise InvalidInputError(dup_problems, n_dups)
    n_dup_rows = 0
    if n_dups:  # drop every row of a conflicting key: we cannot know which value is right (exact path: a table)
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE {CONFLICTS} AS SELECT {', '.join(KEY)} FROM {INCOMING} WHERE n_values > 1"
        )
        n_dup_rows = con.execute(f"SELECT sum(copies) FROM {INCOMING} WHERE n_values > 1").fetchone()[0]
        con.execute(f"DELETE FROM {INCOMING} WHERE n_values > 1")
    rejected = problems + row_problems + dup_problems
    # counted in rows, as the CSV lists them: every row of a conflicting key is rejected
    report.rejected = len(problems) + n_invalid + n_dup_rows
    report.rejected_parts = {
        "file problems": len(problems),
        "invalid rows": n_invalid,
        "rows of keys given different values": n_dup_rows,
        "keys given different values": n_dups,
    }
    if report.rejected:
        report.rejected_file = str(
            _write_rejected(con, problems, n_invalid, invalid_sql, rejected_path, conflicts=bool(n_dups))
        )
    report.problems = rejected[:20]

    if progress:
        progress("merging")
    _merge(db, report, dry_run, target, metadata, tables)


def _add_areas(db, areas: list[tuple[str, str, str | None, str]]) -> list[str]:
    """Add the custom areas readers found (before validation: rows name them). Returns the new codes."""
    added = []
    for code, name, parent, kind in dict.fromkeys(areas):
        if db.con.execute("SELECT 1 FROM area WHERE code = ?", [code]).fetchone():
            continue
        db.add_area(code, name, parent, kind)
        added.append(code)
    return added


def _remove_areas(con, codes: list[str]) -> None:
    if codes:
        con.execute(
            'DELETE FROM area_member WHERE member IN (SELECT unnest(?)) OR "group" IN (SELECT unnest(?))',
            [codes, codes],
        )
        con.execute("DELETE FROM area WHERE code IN (SELECT unnest(?))", [codes])


def _staged_rows(con) -> int:
    return con.execute(f"SELECT count(*) FROM {STAGING}").fetchone()[0]


def _staged_files(con) -> set[str]:
    return {r[0] for r in con.execute(f"SELECT DISTINCT source_file FROM {STAGING}").fetchall()}


def _count_variants(con, report: "LoadReport") -> None:
    """Count the keys kept with several values and name the first few places, for the summary."""
    n_keys, n_rows = con.execute(
        f"SELECT count(DISTINCT hash({', '.join(KEY)})), count(*) FROM {INCOMING} WHERE variant > 0"
    ).fetchone()
    report.variant_keys, report.variant_rows = n_keys, n_rows
    if n_keys:
        shown = con.execute(f"""
            SELECT regexp_extract(first(source_file ORDER BY variant), '[^/\\\\]+$'), list(value ORDER BY variant)
            FROM {INCOMING} WHERE variant > 0 GROUP BY {", ".join(KEY)} ORDER BY 1, 2 LIMIT 3""").fetchall()
        report.notes.append(
            f"{n_keys:,} keys are given different values by the source ({n_rows:,} rows): every row is kept, "
            "numbered as variants 1, 2 ... in the order of the source (analyses read variant 1; "
            "docs/ingest.md), e.g. "
            + "; ".join(
                f"{f} {' and '.join('N/A' if v is None else format(v, '.15g') for v in vals)}" for f, vals in shown
            )
        )


def _collapse_keys(con, keep_files: set[str] | None = None) -> None:
    """One row per key and value: exact repeats collapse (counted in ``copies``; the first in the
    source gives the row's attributes and source). A key given different values is either kept,
    each value a ``variant`` (1, 2 ... in source order), when every row of it comes from
    ``keep_files`` (files whose format publishes such rows as written: Open SDG), or marked
    ``n_values`` = 2 to be rejected."""
    key = ", ".join(KEY)
    attributes = ", ".join(ATTRIBUTE_NAMES)
    # Fast path: most files repeat no key. Counting distinct 64-bit key hashes is a tenth of the
    # cost of grouping by five text columns; a hash collision can only make the count smaller,
    # which sends the load down the exact path below, so the shortcut is never wrong.
    rows, distinct = con.execute(f"SELECT count(*), count(DISTINCT hash({key})) FROM {VALID}").fetchone()
    if rows == distinct:  # a view: no copy of the rows, and nothing will be deleted from it
        con.execute(f"""CREATE OR REPLACE TEMP VIEW {INCOMING} AS
            SELECT {key}, year, value, value_text, nature, obs_status, source, footnote, source_file, {attributes},
                   0 AS variant, 1 AS copies, 1 AS n_values, series_description, indicator
            FROM {VALID}""")
        return
    first_payload = ", ".join(
        f"first({c} ORDER BY ord) AS {c}"
        for c in ("year", "nature", "obs_status", "source", "footnote", "source_file", *ATTRIBUTE_NAMES)
        if c not in ("source_dims", "attributes")
    )
    con.execute("CREATE OR REPLACE TEMP TABLE __keep_files (source_file VARCHAR)")
    if keep_files:
        con.executemany("INSERT INTO __keep_files VALUES (?)", [[f] for f in sorted(keep_files)])
    con.execute(f"""CREATE OR REPLACE TEMP TABLE {INCOMING} AS
        WITH ordered AS (SELECT *, row_number() OVER (ORDER BY source_file, line) AS ord,
                                source_file IN (SELECT source_file FROM __keep_files) AS keep
                         FROM {VALID}),
        per_value AS (  -- GROUP BY puts NULLs together: 'N' (value NULL) repeated is one value
            SELECT {key}, value, value_text, source_dims, attributes, {first_payload}, count(*) AS copies, min(ord) AS ord, bool_and(keep) AS keep_value,
                   first(series_description ORDER BY ord) AS series_description,
                   first(indicator ORDER BY ord) AS indicator
            -- rows that differ in what the source wrote beside the value (a GeoCode) are no repeats
            FROM ordered GROUP BY {key}, value, value_text, source_dims, attributes)
        SELECT * EXCLUDE (ord, keep_value, keep, n_given),
               CASE WHEN n_given > 1 AND keep THEN row_number() OVER (k ORDER BY ord) ELSE 0 END AS variant,
               CASE WHEN n_given > 1 AND NOT keep THEN 2 ELSE 1 END AS n_values
        FROM (SELECT *, count(*) OVER k AS n_given, bool_and(keep_value) OVER k AS keep FROM per_value
              WINDOW k AS (PARTITION BY {key}))
        WINDOW k AS (PARTITION BY {key})""")
    con.execute("DROP TABLE __keep_files")


def _merge(
    db, report: LoadReport, dry_run: bool, target: LoadTarget, metadata: list | None = None, tables: list | None = None
) -> None:
    """Classify incoming keys against the dataset's stored rows and write the difference.

    Only rows of ``target``'s dataset are compared, updated, flagged or removed: the invariant
    that a load changes no other dataset's rows rests on every statement here naming it.
    """
    con = db.con
    dataset = target.info.id
    _check_same_source(con, target.info, report.formats)
    if target.replace and report.rejected:
        raise UserInputError(
            f"--replace with {report.rejected:,} rejected rows would remove stored values whose new "
            f"row was rejected (reasons in {report.rejected_file}): fix those rows, or load without "
            "--replace"
        )
    on = " AND ".join(f"o.{k} = i.{k}" for k in ROW_KEY)
    changed = " OR ".join(f"o.{c} IS DISTINCT FROM i.{c}" for c in PAYLOAD)
    headline.headline_table(con, INCOMING, "__headline", dataset, keep_stored=not target.replace)
    report.exact_duplicates = con.execute(f"SELECT coalesce(sum(copies - 1), 0) FROM {INCOMING}").fetchone()[0]
    stored_total = con.execute("SELECT count(*) FROM observation WHERE dataset = ?", [dataset]).fetchone()[0]
    # Fast path for the common first load: nothing of these series is in the dataset yet.
    stored = (
        stored_total
        and con.execute(
            f"SELECT count(*) FROM observation WHERE dataset = ? AND series IN (SELECT DISTINCT series FROM {INCOMING})",
            [dataset],
        ).fetchone()[0]
    )
    existing_rows = f"(SELECT * FROM observation WHERE dataset = {_sql_text(dataset)})"
    status = f"CASE WHEN o.series IS NULL THEN 'new' WHEN {changed} THEN 'updated' ELSE 'unchanged' END"
    existing = f"LEFT JOIN {existing_rows} o ON {on}" if stored else ""
    n_incoming = con.execute(f"SELECT count(*) FROM {INCOMING}").fetchone()[0]
    if stored and stored_total == n_incoming and _same_content(con, dataset):
        # the same data again: nothing to classify, copy or write
        con.execute(f"""CREATE OR REPLACE TEMP VIEW __classified AS
            SELECT i.* EXCLUDE (copies, n_values), TRUE AS is_headline, 'new' AS status FROM {INCOMING} i WHERE FALSE""")
        counts = {}
    else:
        # Rows to write, with their headline flag, in one pass over the join. Without stored rows
        # every key is new and a view spares a copy; with stored rows only new and updated keys
        # are kept, so a re-load with few changes copies few rows.
        con.execute(f"""CREATE OR REPLACE TEMP {"TABLE" if stored else "VIEW"} __classified AS
            SELECT * FROM (
                SELECT i.* EXCLUDE (copies, n_values), h.is_headline, {status if stored else "'new'"} AS status
                FROM {INCOMING} i JOIN __headline h USING (series, dims) {existing})
            WHERE status <> 'unchanged'""")
        counts = (
            dict(con.execute("SELECT status, count(*) FROM __classified GROUP BY status").fetchall())
            if stored
            else {"new": n_incoming}
        )
    counts["unchanged"] = n_incoming - counts.get("new", 0) - counts.get("updated", 0)
    report.new, report.updated, report.unchanged = (counts.get(k, 0) for k in ("new", "updated", "unchanged"))
    # keys are unique within a dataset, so every stored row not matched by an incoming key is missing
    report.missing = stored_total - report.updated - report.unchanged
    report.removed = report.missing if target.replace else 0
    if report.removed > LARGE_REMOVAL * stored_total and not target.allow_large_removal:
        raise UserInputError(
            f"--replace would remove {report.removed:,} of the {stored_total:,} rows of dataset "
            f"{dataset} (absent from this load): if this load is the whole new release, confirm "
            "with --yes (Python: allow_large_removal=True); to add or update only, leave out "
            "--replace"
        )
    flipped = (
        "EXISTS (SELECT 1 FROM __headline h WHERE h.series = o.series AND h.dims = o.dims "
        "AND h.is_headline <> o.is_headline)"
    )
    report.reflagged = (
        con.execute(f"SELECT count(*) FROM observation o WHERE o.dataset = ? AND {flipped}", [dataset]).fetchone()[0]
        if stored
        else 0
    )
    report.series, report.areas = con.execute(
        f"SELECT count(DISTINCT series), count(DISTINCT area) FROM {INCOMING}"
    ).fetchone()
    metadata = metadata or []
    report.metadata_indicators = sum(len(m.indicators) for m in metadata)
    report.metadata_fields = sum(len(m.rows) for m in metadata)
    if dry_run:
        if target.preview_rows:
            report.changes = _preview(con, dataset, target.preview_rows, bool(stored), on)
        _drop_work_tables(con)
        return
    con.execute("BEGIN TRANSACTION")
    try:
        load_id = dataset_store.next_load_id(con)
        now = dt.datetime.now()
        if report.updated:
            _to_history(
                con,
                dataset,
                f"EXISTS (SELECT 1 FROM __classified i WHERE i.status = 'updated' AND {on})",
                load_id,
                "updated",
            )
        if report.removed:
            _to_history(con, dataset, f"NOT EXISTS (SELECT 1 FROM {INCOMING} i WHERE {on})", load_id, "removed")
        if report.reflagged:  # counted again: updated and removed rows are in history already
            report.reflagged = con.execute(
                f"SELECT count(*) FROM observation o WHERE o.dataset = ? AND {flipped}", [dataset]
            ).fetchone()[0]
        if report.reflagged:
            # New combinations can change which of the dataset's stored rows are headline: the row
            # as it was goes to history, so the store still answers as it stood before this load.
            con.execute(
                f"{dataset_store.HISTORY_INSERT}, {load_id}, 'updated' FROM observation o "
                f"WHERE o.dataset = {_sql_text(dataset)} AND {flipped}"
            )
            con.execute(f"""UPDATE observation o SET is_headline = h.is_headline, load_id = {load_id}
                            FROM __headline h WHERE o.dataset = {_sql_text(dataset)} AND o.series = h.series
                              AND o.dims = h.dims AND o.is_headline <> h.is_headline""")
        attributes = ", ".join(ATTRIBUTE_NAMES)
        con.execute(f"""INSERT INTO observation (dataset, series, area, period, year, dims, unit, value, value_text,
                            is_headline, nature, obs_status, source, footnote, source_file, load_id,
                            {attributes}, variant)
                        SELECT {_sql_text(dataset)}, series, area, period, year, dims, unit, value, value_text,
                               is_headline, nature, obs_status, source, footnote, source_file, {load_id},
                               {attributes}, variant
                        FROM __classified ORDER BY {reads.OBSERVATION_ORDER}""")
        # Series first seen here (national series) get a row; indicator links from the data are kept.
        # Description and unit are the most frequent of the series' rows (ties: the first by text),
        # so the same data always gives the same series row (17.19.1 has rows in USD and in GBP).
        # Counted per (series, description, unit) first: the windows then rank a few distinct
        # combinations instead of every row of the load (a fifth of a first load's time at 1 M rows).
        con.execute(
            """INSERT INTO series (code, description, unit, origin)
                       WITH c AS (SELECT series, series_description AS description, unit, count(*) AS n
                                  FROM __classified WHERE series NOT IN (SELECT code FROM series) GROUP BY ALL),
                       d AS (SELECT series, description,
                                    sum(n) * 1e9 - dense_rank() OVER (PARTITION BY series ORDER BY description NULLS LAST)
                                        AS rank_d
                             FROM c GROUP BY series, description),
                       u AS (SELECT series, unit,
                                    sum(n) * 1e9 - dense_rank() OVER (PARTITION BY series ORDER BY unit) AS rank_u
                             FROM c GROUP BY series, unit)
                       SELECT series, d.description, u.unit, ?
                       FROM (SELECT series, arg_max(description, rank_d) AS description FROM d GROUP BY series) d
                       JOIN (SELECT series, arg_max(unit, rank_u) AS unit FROM u GROUP BY series) u USING (series)""",
            [dataset],
        )
        con.execute("""INSERT INTO series_indicator
                       SELECT DISTINCT series, trim(unnest(string_split(indicator, ','))) FROM
                         (SELECT DISTINCT series, indicator FROM __classified WHERE indicator IS NOT NULL)
                       ON CONFLICT DO NOTHING""")
        dataset_store.upsert(con, target.info, "; ".join(report.paths), now, target.given)
        for part in metadata:
            dataset_store.replace_metadata(con, dataset, part, load_id)
        dataset_store.replace_source_columns(con, dataset, tables or [], load_id)
        _record_load(con, report, target, load_id, now)
        if target.digest is not None and not report.rejected:
            dataset_store.record_source(
                con,
                load_id,
                dataset,
                target.digest,
                stored_total - report.removed + report.new,
                json.dumps({k: getattr(report, k) for k in _KEPT_REPORT} | {"incoming": n_incoming}),
            )
        con.execute("COMMIT")
    except duckdb.Error:
        rollback(con)
        raise
    finally:
        _drop_work_tables(con)


# What an unchanged re-load reports as the load it repeats did (the rest: nothing new, updated or removed).
_KEPT_REPORT = (
    "formats",
    "files",
    "rows_read",
    "blank_values",
    "exact_duplicates",
    "series",
    "areas",
    "notes",
    "variant_keys",
    "variant_rows",
)


def _unchanged_reload(con, report: LoadReport, target: LoadTarget, digest: str, progress) -> bool:
    """Record a load of the same files as the dataset's last load, when nothing changed since, without
    reading them: the store's rows are what reading them would give. False: read them."""
    found = dataset_store.last_source(con, target.info.id)
    if found is None or found[0] != digest:
        return False
    _, dataset_rows, saved = found
    kept = json.loads(saved)
    if kept.pop("incoming") != dataset_rows:  # the dataset also holds rows these files do not give
        return False
    if progress:
        progress("unchanged since the last load: not read again")
    for name, value in kept.items():
        setattr(report, name, value)
    report.unchanged = dataset_rows
    con.execute("BEGIN TRANSACTION")
    try:
        load_id = dataset_store.next_load_id(con)
        now = dt.datetime.now()
        dataset_store.upsert(con, target.info, "; ".join(report.paths), now, target.given)
        _record_load(con, report, target, load_id, now)
        dataset_store.record_source(con, load_id, target.info.id, digest, dataset_rows, saved)
        con.execute("COMMIT")
    except duckdb.Error:
        rollback(con)
        raise
    report.notes.append(
        "the same files as the dataset's last load, which nothing changed since: not read again (every row unchanged)"
    )
    return True


def _record_load(con, report: LoadReport, target: LoadTarget, load_id: int, now: dt.datetime) -> None:
    con.execute(
        """INSERT INTO load (id, loaded_at, paths, format, rows_read, rows_new, rows_updated,
                             rows_unchanged, rows_rejected, dataset, action, user_name, rows_missing,
                             rows_removed)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'load', ?, ?, ?)""",
        [
            load_id,
            now,
            "; ".join(report.paths),
            ",".join(sorted(report.formats)),
            report.rows_read,
            report.new,
            report.updated,
            report.unchanged,
            report.rejected,
            target.info.id,
            target.user or dataset_store.current_user(),
            report.missing,
            report.removed,
        ],
    )


def _preview(con, dataset: str, limit: int, stored: bool, on: str) -> list[dict]:
    """The first ``limit`` rows a load would write (new or updated), each with the stored value an
    update replaces: what a reviewer needs to see before approving."""
    old = (
        f"LEFT JOIN (SELECT * FROM observation WHERE dataset = {_sql_text(dataset)}) o ON {on}"
        if stored
        else "LEFT JOIN (SELECT NULL AS value, NULL AS value_text) o ON FALSE"
    )
    rows = con.execute(f"""SELECT i.status, i.series, i.area, i.period, i.dims, i.unit,
                                  coalesce(o.value_text, o.value::VARCHAR) AS old_value,
                                  coalesce(i.value_text, i.value::VARCHAR) AS new_value
                           FROM __classified i {old}
                           ORDER BY i.status DESC, i.series, i.area, i.period, i.dims LIMIT {int(limit)}""").fetchall()
    names = ("status", "series", "area", "period", "dims", "unit", "old_value", "new_value")
    return [dict(zip(names, row)) for row in rows]


def _check_same_source(con, info, formats: dict[str, int]) -> None:
    """One dataset, one kind of source: a tidy file that happens to be named ``unsd.csv``, or an
    Open SDG repository loaded with ``--dataset unsd``, must not mix into the UN database (its
    rows would change which of the UN's rows are headline)."""
    stored = {
        f
        for (cell,) in con.execute(
            "SELECT DISTINCT format FROM load WHERE dataset = ? AND action = 'load'", [info.id]
        ).fetchall()
        for f in (cell or "").split(",")
        if f
    }
    if stored and not stored & set(formats):
        raise UserInputError(
            f"dataset {info.id} holds data read as {', '.join(sorted(stored))}; this load reads "
            f"{', '.join(sorted(formats))}: load it into a dataset of its own (--dataset ID), or "
            f"remove {info.id} first (`sdgtrack datasets remove {info.id}`)"
        )


def _same_content(con, dataset: str) -> bool:
    """Whether the incoming rows are exactly the dataset's stored rows (keys and payload), from one
    order-independent checksum of each side: two aggregate scans instead of a join of every key.
    Only called when both sides have the same number of rows; keys are unique on both sides."""
    columns = ", ".join(ROW_KEY + PAYLOAD)
    checksum = f"sum(hash({columns})::HUGEINT)"
    incoming = con.execute(f"SELECT {checksum} FROM {INCOMING}").fetchone()[0]
    stored = con.execute(f"SELECT {checksum} FROM observation WHERE dataset = ?", [dataset]).fetchone()[0]
    return incoming == stored


def _to_history(con, dataset: str, condition: str, load_id: int, change: str) -> None:
    """Move the dataset's rows matching ``condition`` (on ``o``) to history, superseded by ``load_id``."""
    where = f"o.dataset = {_sql_text(dataset)} AND {condition}"
    con.execute(f"{dataset_store.HISTORY_INSERT}, {load_id}, '{change}' FROM observation o WHERE {where}")
    con.execute(f"DELETE FROM observation o WHERE {where}")


def _sql_text(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _drop_work_tables(con) -> None:
    """Drop the temporary views and tables of a load (which are views depends on the path taken)."""
    names = [STAGING, PREPARED, VALID, INCOMING, CONFLICTS, "__headline", "__classified"]
    for kind in ("view", "table"):  # views first: they read the tables
        found = con.execute(
            f"SELECT {kind}_name FROM duckdb_{kind}s() WHERE temporary AND {kind}_name IN "
            "(SELECT unnest(?::VARCHAR[]))",
            [names],
        ).fetchall()
        for (name,) in found:
            con.execute(f"DROP {kind.upper()} {name}")


def _write_rejected(
    con,
    file_problems: list[Problem],
    n_invalid: int,
    invalid_sql: str,
    path: str | Path | None,
    conflicts: bool = False,
) -> Path:
    """Every rejected row with its reason, so nothing the user gave is lost silently: file-level
    problems, invalid rows, and every row of a key given different values (all of them: which
    one is right cannot be known). Line numbers are physical lines of the source file."""
    out = Path(path) if path else Path(f"rejected-{dt.datetime.now():%Y%m%d-%H%M%S}.csv")
    key = ", ".join(KEY)
    try:
        with open(out, "w", encoding="utf-8", newline="") as f:
            w = csv.writer(f)
            w.writerow(["file", "line", "column", "value", "reason", "series", "area", "period", "value_raw", "dims"])
            for p in file_problems:
                w.writerow([p.file, p.line, p.column, p.value, p.expected, "", "", "", "", ""])
            listed: list[tuple] = []
            if n_invalid:
                reasons = " || ".join(
                    f"CASE WHEN {c.condition} THEN '{c.column}: expected {c.expected.replace(chr(39), chr(39) * 2)}; ' ELSE '' END"
                    for c in validate.CHECKS
                )
                listed += con.execute(f"""SELECT source_file, line, NULL, NULL, {reasons}, series, area_raw, period,
                                                 value_raw, dims FROM {PREPARED} WHERE {invalid_sql}""").fetchall()
            if conflicts:
                listed += con.execute(f"""
                        SELECT source_file, line, 'value', coalesce(value_text, value::VARCHAR),
                               'one value per series, area, period, dimensions and unit; this key has '
                               || count(*) OVER k || ' rows with different values, all rejected (at '
                               || string_agg(regexp_extract(source_file, '[^/\\\\]+$') || ':' || line, ', ')
                                  OVER k || ')',
                               series, area_raw, period, value_raw, dims
                        FROM {VALID} SEMI JOIN {CONFLICTS} USING ({key})
                        WINDOW k AS (PARTITION BY {key} ORDER BY source_file, line
                                     ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)
                        """).fetchall()
            w.writerows(sorted(listed, key=lambda r: (r[0], r[1])))  # in the order of the files
    except OSError as exc:
        raise UserInputError(f"cannot write the rejected rows to {out}: {exc}") from None
    return out
