"""`sdgtrack data CODE`: observations of a series or an indicator; `sdgtrack history CODE`: their revisions."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer
from rich.console import Console

from ..plurals import count
from ._common import (
    DatasetsOption,
    DbOption,
    FormatOption,
    OutputFormat,
    OutputOption,
    console,
    emit,
    existing_store,
    open_db,
)

COLUMNS = ["dataset", "series", "area", "area_name", "period", "dims", "unit", "value", "value_text", "nature"]
HISTORY_COLUMNS = [
    "dataset",
    "series",
    "area",
    "period",
    "dims",
    "value",
    "value_text",
    "status",
    "valid_from",
    "valid_until",
    "written_by",
    "changed_by",
]
CodeArgument = typer.Argument(..., help="Series code (SH_DYN_MORT) or goal/target/indicator code (3.2.1).")
AreaOption = typer.Option(None, "--area", help="Area (M49, ISO code or name); repeatable.")
FromOption = typer.Option(None, "--from", help="First year.")
ToOption = typer.Option(None, "--to", help="Last year.")


def register(app: typer.Typer) -> None:
    @app.command("data")
    def data(
        code: str = CodeArgument,
        area: Optional[List[str]] = AreaOption,
        from_year: Optional[int] = FromOption,
        to_year: Optional[int] = ToOption,
        all_disaggregations: bool = typer.Option(
            False, "--all-disaggregations", help="Every disaggregation, not only headline totals."
        ),
        dataset: Optional[List[str]] = DatasetsOption,
        compare: bool = typer.Option(
            False,
            "--compare",
            help="The datasets side by side per year, with the "
            "difference to the preferred one (national vs UN figures).",
        ),
        as_of: Optional[str] = typer.Option(
            None, "--as-of", help="The store as it stood at this date or time (2026-11-30, 2026-11-30T14:05)."
        ),
        fmt: OutputFormat = FormatOption,
        output: Optional[Path] = OutputOption,
        db: Optional[Path] = DbOption,
    ) -> None:
        """Show observations (headline totals unless --all-disaggregations), one dataset per series and area."""
        with open_db(db, read_only=True) as database:
            if compare:
                frame = database.compare(code, areas=area, start=from_year, end=to_year, datasets=dataset, as_of=as_of)
            else:
                frame = database.observations(
                    code,
                    areas=area,
                    start=from_year,
                    end=to_year,
                    all_disaggregations=all_disaggregations,
                    datasets=dataset,
                    as_of=as_of,
                )
                held = (
                    None
                    if dataset
                    else database.sources(
                        code,
                        areas=area,
                        start=from_year,
                        end=to_year,
                        all_disaggregations=all_disaggregations,
                        as_of=as_of,
                    )
                )
                first_load = database.datasets()["first_loaded"].min() if as_of and frame.empty else None
        if compare:
            units = "; ".join(f"{c}: {u}" for c, u in frame.attrs.get("units", {}).items() if u)
            emit(frame, fmt, output, title=f"{code}: datasets side by side" + (f" (units: {units})" if units else ""))
            return
        notes = Console(stderr=True, soft_wrap=True)  # notes never mix into CSV or JSON on stdout
        shown = set(frame["dataset"])
        if held is not None and set(held["dataset"]) - shown:
            # the default view took one dataset per series and area: say what else holds this code
            others = held[~held["dataset"].isin(shown)]
            notes.print(
                "also in "
                + ", ".join(f"{d} ({count(n, 'row')})" for d, n in zip(others["dataset"], others["rows"]))
                + ": one dataset per series and area is shown; see --compare or --dataset",
                highlight=False,
            )
        if first_load is not None:
            notes.print(
                f"nothing matched as of {as_of}; the first load still in the store ran at {first_load}", highlight=False
            )
        if fmt == OutputFormat.table:
            frame = frame[COLUMNS]
        emit(
            frame,
            fmt,
            output,
            title=f"{code}: {count(len(frame), 'observation')}" + (f" as of {as_of}" if as_of else ""),
        )

    @app.command("history")
    def history(
        code: str = CodeArgument,
        area: Optional[List[str]] = AreaOption,
        from_year: Optional[int] = FromOption,
        to_year: Optional[int] = ToOption,
        dataset: Optional[List[str]] = typer.Option(None, "--dataset", help="Only this dataset; repeatable."),
        fmt: OutputFormat = FormatOption,
        output: Optional[Path] = OutputOption,
        db: Optional[Path] = DbOption,
    ) -> None:
        """Every version of the values of a code: current, updated or removed, when and by whom."""
        with open_db(db, read_only=True) as database:
            frame = database.history(code, areas=area, start=from_year, end=to_year, datasets=dataset)
        revised = int((frame["status"] != "current").sum())
        if fmt == OutputFormat.table:
            console.print(
                f"{code}: {len(frame):,} versions, {revised:,} of them earlier values "
                "(updated or removed by a later load)",
                highlight=False,
            )
            frame = frame[HISTORY_COLUMNS]
        emit(frame, fmt, output, title=f"{code}: revisions")

    @app.command("upgrade")
    def upgrade(db: Optional[Path] = DbOption) -> None:
        """Bring a store written by an earlier sdgtrack to this release's schema (every observation kept)."""
        from ..vocabulary import RELOAD_TO_APPLY, SCHEMA_VERSION

        with open_db(existing_store(db)) as database:  # a mistyped --db must not create a store
            applied = database.upgraded
        if applied:
            console.print(
                f"upgraded {database.path} to schema version {SCHEMA_VERSION} "
                f"(applied {'migration' if len(applied) == 1 else 'migrations'} {', '.join(map(str, applied))}); every "
                "observation kept, in the dataset its source file derives (`sdgtrack datasets list`)",
                highlight=False,
            )
            reload_for = [RELOAD_TO_APPLY[v] for v in applied if v in RELOAD_TO_APPLY]
            if reload_for:
                console.print(
                    f"to apply this release's reading rules ({'; '.join(reload_for)}), "
                    "re-load each dataset from its files with --replace",
                    highlight=False,
                )
        else:
            console.print(f"{database.path} is already at schema version {SCHEMA_VERSION}", highlight=False)
