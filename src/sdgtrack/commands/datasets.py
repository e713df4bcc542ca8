"""`sdgtrack datasets list|show|remove|prefer`: the sources in the store, and which one wins."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from ..plurals import count
from ._common import DbOption, FormatOption, OutputFormat, OutputOption, console, emit, open_db

LIST_COLUMNS = [
    "preference",
    "id",
    "kind",
    "title",
    "observations",
    "series",
    "areas",
    "first_year",
    "last_year",
    "last_loaded",
]


def register(app: typer.Typer) -> None:
    group = typer.Typer(
        help="Datasets: one source's collection of observations (UN database, national repository ...).",
        no_args_is_help=True,
    )
    app.add_typer(group, name="datasets")

    @group.command("list")
    def list_(
        fmt: OutputFormat = FormatOption, output: Optional[Path] = OutputOption, db: Optional[Path] = DbOption
    ) -> None:
        """The datasets, in the order of preference used where several give the same series and area."""
        with open_db(db, read_only=True) as database:
            frame = database.datasets()
        if fmt == OutputFormat.table:
            frame = frame[LIST_COLUMNS]
        emit(frame, fmt, output, title=f"{len(frame)} dataset(s)")

    @group.command("show")
    def show(
        dataset_id: str = typer.Argument(..., metavar="ID", help="Dataset id (see `sdgtrack datasets list`)."),
        db: Optional[Path] = DbOption,
    ) -> None:
        """A dataset: metadata, counts, loads, and the series without a headline (total) row, with why."""
        with open_db(db, read_only=True) as database:
            shown = database.dataset(dataset_id)
        info, counts = shown["dataset"], shown["counts"]
        console.print(f"[bold]{info['id']}[/]: {info['title']}", highlight=False)
        for label, key in (
            ("kind", "kind"),
            ("publisher", "publisher"),
            ("licence", "licence"),
            ("source", "source_path"),
        ):
            if _present(info.get(key)):
                console.print(f"  {label}: {info[key]}", highlight=False, markup=False)
        years = f"{counts['first_year']}-{counts['last_year']}" if _present(counts.get("first_year")) else "none"
        console.print(
            f"  preference {counts['preference']}; {count(counts['observations'], 'observation')}, "
            f"{count(counts['series'], 'series', 'series')}, {count(counts['areas'], 'area')}, years {years}",
            highlight=False,
        )
        console.print(
            f"  first loaded {info['first_loaded']:%Y-%m-%d %H:%M}, last loaded {info['last_loaded']:%Y-%m-%d %H:%M}",
            highlight=False,
        )
        emit(shown["loads"].drop(columns=["paths"]), OutputFormat.table, title="loads")
        missing = shown["without_headline"]
        if len(missing):
            share = len(missing) / max(int(counts["series"]), 1)
            emit(
                missing,
                OutputFormat.table,
                title=f"{len(missing)} of {counts['series']} series ({share:.0%}) have no headline (total) row",
            )
        else:
            console.print("  every series has a headline (total) row", highlight=False)

    @group.command("remove")
    def remove(
        dataset_id: str = typer.Argument(..., metavar="ID", help="Dataset id."), db: Optional[Path] = DbOption
    ) -> None:
        """Remove a dataset's observations (kept in history: `data --as-of` still sees them)."""
        with open_db(db) as database:
            n = database.remove_dataset(dataset_id)
        console.print(f"removed dataset {dataset_id}: {count(n, 'observation')} moved to history", highlight=False)

    @group.command("prefer")
    def prefer(
        dataset_ids: Optional[List[str]] = typer.Argument(
            None, metavar="ID...", help="Dataset ids, most preferred first."
        ),
        reset: bool = typer.Option(False, "--reset", help="Back to the default order by kind."),
        db: Optional[Path] = DbOption,
    ) -> None:
        """Set which datasets win where several give a series for the same area (the rest follow by
        kind: national, subnational, city, other, global)."""
        from ..errors import UserInputError

        if bool(dataset_ids) == reset:
            raise UserInputError("name the datasets in order of preference, or give --reset")
        with open_db(db) as database:
            database.prefer_datasets(dataset_ids or [])
            order = database.datasets()["id"].tolist()
        console.print("order of preference: " + ", ".join(order), highlight=False)


def _present(value) -> bool:
    return value is not None and value == value and value != ""  # NaN != NaN
