"""`sdgtrack export sdmx`: one dataset as an SDMX message for the global SDG data structure.
`sdgtrack export parquet`: the store as Hive-partitioned Parquet with a Frictionless descriptor."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from ..vocabulary import SDMX_FORMAT_HELP, SDMX_FORMATS
from ._common import DbOption, choices, console, open_db

SdmxFormat = choices("SdmxFormat", SDMX_FORMATS)


def register(app: typer.Typer) -> None:
    group = typer.Typer(help="Export data in exchange formats (SDMX, Parquet).", no_args_is_help=True)
    app.add_typer(group, name="export")

    @group.command("sdmx")
    def sdmx(
        out: Path = typer.Argument(..., metavar="OUT", help="File to write (written whole or not at all)."),
        dataset: str = typer.Option(..., "--dataset", help="Dataset to export (see `sdgtrack datasets list`)."),
        dsd: Optional[Path] = typer.Option(
            None, "--dsd", help="SDMX-ML structure message with the DSD (default: the shipped global SDG DSD 1.14)."
        ),
        maps: Optional[List[Path]] = typer.Option(
            None,
            "--map",
            help="Map file of columns and codes (column,value,concept,code; or sdg-build's column "
            "map Text,Value and code map Text,Dimension,Value); repeatable.",
        ),
        fmt: SdmxFormat = typer.Option(  # type: ignore[valid-type]
            "structure",
            "--format",
            help="; ".join(f"{k}: {v}" for k, v in SDMX_FORMAT_HELP.items()) + ".",
        ),
        report: Optional[Path] = typer.Option(
            None, "--report", help="CSV of every problem (unmapped value, missing concept ...), written in any case."
        ),
        skip_invalid: bool = typer.Option(
            False, "--skip-invalid", help="Write the observations without problems instead of nothing."
        ),
        db: Optional[Path] = DbOption,
    ) -> None:
        """One dataset as an SDMX message (DF_SDG_GLH), every code checked against the DSD first."""
        with open_db(db, read_only=True) as ws:
            result = ws.export_sdmx(
                dataset, out, dsd=dsd, maps=maps or [], format=fmt.value, report=report, skip_invalid=skip_invalid
            )
        console.print(result.describe(), highlight=False)
        for note in result.notes:
            console.print(f"  note: {note}", highlight=False)

    @group.command("parquet")
    def parquet(
        out: Path = typer.Argument(..., metavar="OUT_DIR", help="A new or empty folder (written whole or not at all)."),
        datasets: Optional[List[str]] = typer.Option(
            None, "--dataset", help="Dataset to export (repeatable; default: every dataset)."
        ),
        db: Optional[Path] = DbOption,
    ) -> None:
        """The observations as Hive-partitioned Parquet (one folder per series) with the area, series,
        framework and dataset tables and a Frictionless datapackage.json: the input of `sdgtrack cluster run`."""
        with open_db(db, read_only=True) as ws:
            result = ws.export_parquet(out, datasets=datasets or None)
        console.print(result.describe(), highlight=False)
