"""Options and output helpers shared by CLI commands."""

from __future__ import annotations

import json
import os
import sys
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Optional

import numpy as np
import pandas as pd
import typer
from rich.console import Console
from rich.table import Table

from .. import csvsafe
from ..errors import UserInputError
from ..labels import label
from ..registries import OUTPUT_FORMATS
from ..storefiles import check_store_path

DbOption = typer.Option(
    None, "--db", help="Database file (default: $SDGTRACK_DB, else ./sdgtrack.duckdb).", show_default=False
)


def choices(name: str, values) -> type[Enum]:
    """An option type whose values are ``values`` (kept where the domain defines them, e.g.
    ``contributions.models.KINDS``), so ``--help`` lists them and a typo is refused with the list."""
    return Enum(name, [(v, v) for v in values], type=str)  # type: ignore[return-value]


def value_of(choice: Optional[Enum]) -> Optional[str]:
    return None if choice is None else choice.value


OutputFormat = OUTPUT_FORMATS.enum("OutputFormat")
FormatOption = typer.Option(
    OutputFormat(OUTPUT_FORMATS.default), "--format", "-f", help=f"Output format: {OUTPUT_FORMATS.help()}."
)
OutputOption = typer.Option(None, "--output", "-o", help="Write to this file instead of the terminal.")

# Piped output (files, CI logs) gets room for wide tables instead of Rich's 80-column default.
console = Console(soft_wrap=True, width=None if sys.stdout.isatty() else 200)


def open_db(db: Optional[Path], read_only: bool = False, reference_only: bool = False):
    """The store at --db. Commands that only read pass ``read_only=True``: a mistyped --db then says
    "no database at ..." instead of creating an empty store, and a read-only file (chmod 444, a
    shared copy) works. ``reference_only``: the command needs only the shipped reference data
    (framework, areas), so on a first run, with no --db and no $SDGTRACK_DB, it reads them from a
    store in memory: a reading command never leaves a ``sdgtrack.duckdb`` behind."""
    import sdgtrack

    path = sdgtrack.default_db_path(db)
    check_store_path(path)
    if read_only and reference_only and db is None and not os.environ.get("SDGTRACK_DB") and not path.exists():
        return sdgtrack.open(":memory:")
    try:
        return sdgtrack.open(path, read_only=read_only)
    except UserInputError as exc:
        # DuckDB refuses, within one process, a read-only connection beside a writable one; that
        # happens only when the CLI runs inside a program that holds the store open (tests, a
        # notebook): share its mode then.
        if read_only and "different configuration" in str(exc):
            return sdgtrack.open(path)
        raise


@contextmanager
def new_store_kept_only_on_success(db: Optional[Path], keep: bool = True):
    """Remove the store at --db again if this command created it and then failed (or ``keep`` is
    False, a dry run): a refused first load leaves no empty store behind to puzzle the user."""
    import sdgtrack

    path = sdgtrack.default_db_path(db)
    created = not path.exists()
    try:
        yield
    except BaseException:
        if created:
            _remove_store_files(path)
        raise
    if created and not keep:
        _remove_store_files(path)


def _remove_store_files(path: Path) -> None:
    for leftover in (path, path.with_name(path.name + ".wal")):
        leftover.unlink(missing_ok=True)


def existing_store(db: Optional[Path]) -> Path:
    """The store path of a command that changes a store but must not create one (``upgrade``)."""
    import sdgtrack

    path = sdgtrack.default_db_path(db)
    if not path.exists():
        raise UserInputError(f"no database at {path}: load data first with `sdgtrack ingest`")
    check_store_path(path)
    return path


def open_db_to_keep(db: Optional[Path]):
    """The store of a command that reads and keeps its result when it can (``progress``, ``index``,
    ``links``): it must
    exist; a file the user may not write is opened read-only and the result is not kept."""
    import sdgtrack

    path = existing_store(db)
    writable = os.access(path, os.W_OK) and os.access(path.resolve().parent, os.W_OK)
    return sdgtrack.open(path, read_only=not writable)


def note_not_kept(path: Path, what: str) -> None:
    """Say on stderr that a result was computed but not kept (the store is read-only)."""
    Console(stderr=True).print(f"note: {path} is read-only: the {what} was not kept", highlight=False, markup=False)


# Columns whose values are codes with a word for people ("on_track" -> "on track") in tables.
LABEL_COLUMNS = {"status", "class", "kind", "trend", "colour", "direction", "reason"}
TABLE_ROWS = 40  # a terminal's worth: the rest is one option away (--format csv / --output)


def emit(
    frame: pd.DataFrame,
    fmt: OutputFormat = OutputFormat.table,
    output: Optional[Path] = None,
    title: str | None = None,
    max_rows: int = TABLE_ROWS,
) -> None:
    """Print or write a DataFrame as a table, CSV or JSON (records). Tables show at most
    ``max_rows`` rows, words instead of codes and one precision per column; CSV and JSON hold
    every row as stored."""
    if fmt == OutputFormat.csv:
        text = csvsafe.frame(frame).to_csv(index=False)  # safe to open in a spreadsheet
    elif fmt == OutputFormat.json:
        text = json.dumps(json.loads(frame.to_json(orient="records", date_format="iso")), ensure_ascii=False, indent=1)
    else:
        if output is not None:
            raise UserInputError("--output needs --format csv or json")
        _print_table(frame, title, max_rows)
        return
    _write_text(text if text.endswith("\n") else text + "\n", output, len(frame))


def emit_result(
    result,
    fmt: OutputFormat,
    output: Optional[Path],
    *,
    table: str | None = None,
    frame: pd.DataFrame | None = None,
    title: str | None = None,
    lines: list[str] | None = None,
) -> None:
    """An analysis :class:`~sdgtrack.results.Result` in the chosen format. JSON is the result's own
    document (``Result.to_json``: method, parameters, data window, datasets, every table or just
    ``table``); CSV is the chosen table with every column; a table shows the summary first (what
    was done, on what: ``describe()`` and the notes, or ``lines`` when the command words it
    itself), then a bounded table (``frame``: the columns a terminal can hold).
    Summaries go to stderr when data go to stdout, so pipes stay clean."""
    chosen = result.tables[table] if table else result.table
    if fmt == OutputFormat.json:
        text = json.dumps(result.to_json(tables=[table] if table else None), ensure_ascii=False, indent=1)
        _write_text(text + "\n", output, len(chosen))
        return
    summary = lines if lines is not None else [result.describe(), *result.notes]
    out = console if fmt == OutputFormat.table or output is not None else Console(stderr=True)
    for line in summary:
        out.print(line, highlight=False, markup=False, soft_wrap=True)
    emit(chosen if fmt == OutputFormat.csv or frame is None else frame, fmt, output, title=title)


def _write_text(text: str, output: Optional[Path], rows: int) -> None:
    if output is None:
        sys.stdout.write(text)
        return
    try:
        Path(output).write_text(text, encoding="utf-8")
    except OSError as exc:
        raise UserInputError(f"cannot write {output}: {exc.strerror or exc}") from None
    console.print(f"wrote {rows:,} rows to {output}", highlight=False)


def _print_table(frame: pd.DataFrame, title: str | None, max_rows: int) -> None:
    shown = frame.head(max_rows)
    table = Table(title=title, show_lines=False, header_style="bold")
    columns = []
    for c in shown.columns:
        numeric = pd.api.types.is_numeric_dtype(shown[c]) and not pd.api.types.is_bool_dtype(shown[c])
        table.add_column(str(c), overflow="fold", justify="right" if numeric else "left")
        columns.append(_column_text(shown[c], str(c)))
    for row in zip(*columns) if columns else []:
        table.add_row(*row)
    console.print(table, markup=False)
    if len(frame) > max_rows:
        console.print(f"{len(frame) - max_rows:,} more rows: --format csv or --output for all", highlight=False)


def _column_text(col: pd.Series, name: str) -> list[str]:
    """A column as text: codes as words, floats with one number of decimals for the whole column."""
    missing = col.isna().to_numpy()
    if col.dtype == object:  # numbers kept in an object column so blanks can be "" (tag's table)
        missing = missing | (col == "").to_numpy()
        present = col[~missing]
        if len(present) and all(isinstance(v, (float, np.floating)) for v in present):
            col = pd.to_numeric(col.where(~missing), errors="coerce")
    if pd.api.types.is_float_dtype(col):
        values = col.to_numpy(dtype=float)
        finite = values[~missing & np.isfinite(values)] if len(values) else values
        if name in ("p", "p_adj", "p_value"):  # p-values span orders of magnitude
            texts = [f"{v:.2g}" for v in values]
        else:
            decimals = _decimals(finite)
            sep = "" if "year" in name else ","  # 2,015 is no year
            texts = [f"{v:{sep}.{decimals}f}" for v in values]
    elif pd.api.types.is_integer_dtype(col) and not pd.api.types.is_bool_dtype(col) and "year" not in name:
        texts = [f"{v:,}" for v in col]
    elif name in LABEL_COLUMNS:
        texts = [str(label(v)) for v in col]
    else:
        texts = [str(v) for v in col]
    return ["" if m else t for t, m in zip(texts, missing)]


def _decimals(values: np.ndarray) -> int:
    """Decimals that show a column's values at about three significant digits, or none when they
    are whole numbers (years, counts stored as floats)."""
    if not len(values) or np.all(values == np.round(values)):
        return 0
    typical = float(np.median(np.abs(values[values != 0]))) if np.any(values != 0) else 0.0
    most = 1 if typical >= 100 else 2 if typical >= 1 else 3
    for decimals in range(most):  # values already rounded (index scores to 0.1) keep their precision
        scaled = values * 10**decimals
        if np.all(np.abs(scaled - np.round(scaled)) < 1e-6):
            return decimals
    return most


DatasetsOption = typer.Option(
    None,
    "--dataset",
    help="Only this dataset; repeatable, in order of preference "
    "(default: all, one dataset per series and area; see `sdgtrack datasets list`).",
)
