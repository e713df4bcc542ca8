"""`sdgtrack ingest` and `sdgtrack validate`."""
from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from ._common import DbOption, console, open_db


def _run(paths: List[Path], fmt: Optional[str], skip_invalid: bool, rejected: Optional[Path],
         area: Optional[str], db: Optional[Path], dry_run: bool) -> None:
    from rich.status import Status

    from ..errors import InvalidInputError

    try:
        with open_db(db) as database, Status("starting", console=console) as status:
            report = (database.validate if dry_run else database.ingest)(
                paths, format=fmt, skip_invalid=skip_invalid, rejected_path=rejected, area=area,
                progress=lambda msg: status.update(msg))
    except InvalidInputError as exc:
        if not skip_invalid and any(p.line is not None for p in exc.problems):
            exc.hint = ("to load the valid rows anyway, run `sdgtrack ingest --skip-invalid` "
                        "(rejected rows and their reasons go to a CSV)")
        raise
    console.print(report.summary(), highlight=False)
    for note in report.notes:  # what readers skipped or decided (archived files, custom areas ...)
        console.print(f"  note: {note}", highlight=False, markup=False, style="dim")
    for p in report.problems:
        console.print(f"  rejected: {p}", highlight=False, markup=False)
    if report.rejected > len(report.problems):
        console.print(f"  ... {report.rejected - len(report.problems):,} more in {report.rejected_file}", highlight=False)


FORMAT_HELP = "Force a format: unsd, opensdg, sdmx, tidy (default: detected)."


def register(app: typer.Typer) -> None:
    @app.command("ingest")
    def ingest(paths: List[Path] = typer.Argument(..., help="Files or folders to load."),
               fmt: Optional[str] = typer.Option(None, "--format", help=FORMAT_HELP),
               skip_invalid: bool = typer.Option(False, help="Load valid rows; write rejected ones to a CSV."),
               rejected: Optional[Path] = typer.Option(None, help="Where --skip-invalid writes rejected rows."),
               area: Optional[str] = typer.Option(None, help="Area of data that names none (Open SDG national data)."),
               db: Optional[Path] = DbOption) -> None:
        """Load indicator data (UN Global Database, Open SDG, SDMX-ML, tidy CSV/Excel) into the store."""
        _run(paths, fmt, skip_invalid, rejected, area, db, dry_run=False)

    @app.command("validate")
    def validate(paths: List[Path] = typer.Argument(..., help="Files or folders to check."),
                 fmt: Optional[str] = typer.Option(None, "--format", help=FORMAT_HELP),
                 area: Optional[str] = typer.Option(None, help="Area of data that names none."),
                 db: Optional[Path] = DbOption) -> None:
        """Check files as `ingest` would, without loading anything."""
        _run(paths, fmt, False, None, area, db, dry_run=True)
