"""Options and output helpers shared by CLI commands."""
from __future__ import annotations

import json
import os
import sys
from enum import Enum
from pathlib import Path
from typing import Optional

import pandas as pd
import typer
from rich.console import Console
from rich.table import Table

from ..errors import UserInputError
from ..store.files import check_store_path

DbOption = typer.Option(None, "--db", help="Database file (default: $SDGTRACK_DB, else ./sdgtrack.duckdb).",
                        show_default=False)


def choices(name: str, values) -> type[Enum]:
    """An option type whose values are ``values`` (kept where the domain defines them, e.g.
    ``contributions.models.KINDS``), so ``--help`` lists them and a typo is refused with the list."""
    return Enum(name, [(v, v) for v in values], type=str)  # type: ignore[return-value]


def value_of(choice: Optional[Enum]) -> Optional[str]:
    return None if choice is None else choice.value


class OutputFormat(str, Enum):
    table = "table"
    csv = "csv"
    json = "json"


FormatOption = typer.Option(OutputFormat.table, "--format", "-f", help="Output format.")
OutputOption = typer.Option(None, "--output", "-o", help="Write to this file instead of the terminal.")

# Piped output (files, CI logs) gets room for wide tables instead of Rich's 80-column default.
console = Console(soft_wrap=True, width=None if sys.stdout.isatty() else 200)


def open_db(db: Optional[Path], read_only: bool = False, reference_only: bool = False):
    """The store at --db. Commands that only read pass ``read_only=True``: a mistyped --db then says
    "no database at ..." instead of creating an empty store, and a read-only file (chmod 444, a
    shared copy) works. ``reference_only``: the command needs only the shipped reference data
    (framework, areas), so on a first run, with no --db and no $SDGTRACK_DB, the default store is
    created as any writing command would."""
    import sdgtrack

    path = sdgtrack.default_db_path(db)
    check_store_path(path)
    if read_only and reference_only and db is None and not os.environ.get("SDGTRACK_DB") and not path.exists():
        sdgtrack.open(path).close()
    return sdgtrack.open(path, read_only=read_only)


def open_db_to_keep(db: Optional[Path]):
    """The store of a command that reads and keeps its result when it can (``progress``): it must
    exist; a file the user may not write is opened read-only and the result is not kept."""
    import sdgtrack

    path = sdgtrack.default_db_path(db)
    if not path.exists():
        raise UserInputError(f"no database at {path}: load data first with `sdgtrack ingest`")
    check_store_path(path)
    writable = os.access(path, os.W_OK) and os.access(path.resolve().parent, os.W_OK)
    return sdgtrack.open(path, read_only=not writable)


def emit(frame: pd.DataFrame, fmt: OutputFormat = OutputFormat.table, output: Optional[Path] = None,
         title: str | None = None, max_rows: int = 200) -> None:
    """Print or write a DataFrame as a table, CSV or JSON (records)."""
    if fmt == OutputFormat.csv:
        text = frame.to_csv(index=False)
    elif fmt == OutputFormat.json:
        text = json.dumps(json.loads(frame.to_json(orient="records", date_format="iso")), ensure_ascii=False, indent=1)
    else:
        if output is not None:
            raise UserInputError("--output needs --format csv or json")
        _print_table(frame, title, max_rows)
        return
    if output is not None:
        try:
            Path(output).write_text(text, encoding="utf-8")
        except OSError as exc:
            raise UserInputError(f"cannot write {output}: {exc}") from None
        console.print(f"wrote {len(frame):,} rows to {output}", highlight=False)
    else:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")


def _print_table(frame: pd.DataFrame, title: str | None, max_rows: int) -> None:
    table = Table(title=title, show_lines=False, header_style="bold")
    for c in frame.columns:
        table.add_column(str(c), overflow="fold")
    for row in frame.head(max_rows).itertuples(index=False):
        table.add_row(*["" if v is None or (isinstance(v, float) and pd.isna(v)) else _fmt(v) for v in row])
    console.print(table)
    if len(frame) > max_rows:
        console.print(f"... {len(frame) - max_rows:,} more rows (use --format csv for all)", highlight=False)


def _fmt(v) -> str:
    if isinstance(v, float):
        return f"{v:.4g}"
    return str(v)
