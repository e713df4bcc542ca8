"""`sdgtrack ingest` and `sdgtrack validate`."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from ..registries import READERS
from ..vocabulary import DATASET_KINDS
from ._common import DbOption, choices, console, new_store_kept_only_on_success, open_db, value_of

Kind = choices("Kind", DATASET_KINDS)
Format = READERS.enum("Format")


def _run(
    paths: List[Path],
    fmt: Optional[str],
    skip_invalid: bool,
    rejected: Optional[Path],
    area: Optional[str],
    db: Optional[Path],
    dry_run: bool,
    dataset: Optional[str] = None,
    dataset_info: Optional[dict] = None,
    replace: bool = False,
    yes: bool = False,
) -> None:
    from rich.status import Status

    from ..errors import InvalidInputError

    try:
        with (
            new_store_kept_only_on_success(db, keep=not dry_run),
            open_db(db) as database,
            Status("starting", console=console) as status,
        ):
            progress = lambda msg: status.update(msg)  # noqa: E731
            if dry_run:
                report = database.validate(paths, dataset=dataset, format=fmt, area=area, progress=progress)
            else:
                report = database.ingest(
                    paths,
                    dataset=dataset,
                    dataset_info=dataset_info,
                    replace=replace,
                    allow_large_removal=yes,
                    format=fmt,
                    skip_invalid=skip_invalid,
                    rejected_path=rejected,
                    area=area,
                    progress=progress,
                )
    except InvalidInputError as exc:
        if not skip_invalid and any(p.line is not None for p in exc.problems):
            exc.hint = (
                "to load the valid rows anyway, run `sdgtrack ingest --skip-invalid` "
                "(rejected rows and their reasons go to a CSV)"
            )
        raise
    console.print(report.summary(), highlight=False)
    for note in report.notes:  # what readers skipped or decided (archived files, custom areas ...)
        console.print(f"  note: {note}", highlight=False, markup=False, style="dim")
    for p in report.problems:
        console.print(f"  rejected: {p}", highlight=False, markup=False)
    if report.rejected > len(report.problems):
        console.print(
            f"  ... {report.rejected - len(report.problems):,} more in {report.rejected_file}", highlight=False
        )


FORMAT_HELP = f"Force a format (default: detected): {READERS.help()}."
DatasetOption = typer.Option(
    None,
    "--dataset",
    help="Dataset to load into (default: derived from the source, e.g. unsd, opensdg-uk, the file name).",
)


def register(app: typer.Typer) -> None:
    @app.command("ingest")
    def ingest(
        paths: List[Path] = typer.Argument(..., help="Files or folders to load."),
        fmt: Optional[Format] = typer.Option(None, "--format", help=FORMAT_HELP),
        skip_invalid: bool = typer.Option(False, help="Load valid rows; write rejected ones to a CSV."),
        rejected: Optional[Path] = typer.Option(None, help="Where --skip-invalid writes rejected rows."),
        area: Optional[str] = typer.Option(None, help="Area of data that names none (Open SDG national data)."),
        dataset: Optional[str] = DatasetOption,
        replace: bool = typer.Option(
            False,
            "--replace",
            help="Remove the dataset's rows absent from this load (a new release replacing the old; kept in history).",
        ),
        yes: bool = typer.Option(
            False, "--yes", help="With --replace: go ahead even when most of the dataset would be removed."
        ),
        title: Optional[str] = typer.Option(None, "--title", help="Dataset title."),
        kind: Optional[Kind] = typer.Option(None, "--kind", help="Dataset kind."),
        publisher: Optional[str] = typer.Option(None, "--publisher", help="Dataset publisher."),
        licence: Optional[str] = typer.Option(None, "--licence", help="Dataset licence."),
        db: Optional[Path] = DbOption,
    ) -> None:
        """Load indicator data (UN Global Database, Open SDG, SDMX-ML, tidy CSV/Excel, SDR) into one dataset."""
        info = {"title": title, "kind": kind.value if kind else None, "publisher": publisher, "licence": licence}
        _run(
            paths,
            value_of(fmt),
            skip_invalid,
            rejected,
            area,
            db,
            dry_run=False,
            dataset=dataset,
            dataset_info=info,
            replace=replace,
            yes=yes,
        )

    @app.command("validate")
    def validate(
        paths: List[Path] = typer.Argument(..., help="Files or folders to check."),
        fmt: Optional[Format] = typer.Option(None, "--format", help=FORMAT_HELP),
        area: Optional[str] = typer.Option(None, help="Area of data that names none."),
        dataset: Optional[str] = DatasetOption,
        db: Optional[Path] = DbOption,
    ) -> None:
        """Check files as `ingest` would, without loading anything."""
        _run(paths, value_of(fmt), False, None, area, db, dry_run=True, dataset=dataset)
