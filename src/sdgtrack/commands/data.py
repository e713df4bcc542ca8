"""`sdgtrack data CODE`: observations of a series or an indicator."""
from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from ._common import DbOption, FormatOption, OutputFormat, OutputOption, emit, open_db

COLUMNS = ["series", "area", "area_name", "period", "dims", "unit", "value", "value_text", "nature"]


def register(app: typer.Typer) -> None:
    @app.command("data")
    def data(code: str = typer.Argument(..., help="Series code (SH_DYN_MORT) or goal/target/indicator code (3.2.1)."),
             area: Optional[List[str]] = typer.Option(None, "--area", help="Area (M49, ISO code or name); repeatable."),
             from_year: Optional[int] = typer.Option(None, "--from", help="First year."),
             to_year: Optional[int] = typer.Option(None, "--to", help="Last year."),
             all_disaggregations: bool = typer.Option(False, "--all-disaggregations",
                                                      help="Every disaggregation, not only headline totals."),
             fmt: OutputFormat = FormatOption, output: Optional[Path] = OutputOption,
             db: Optional[Path] = DbOption) -> None:
        """Show observations (headline totals unless --all-disaggregations)."""
        with open_db(db, read_only=True) as database:
            frame = database.observations(code, areas=area, start=from_year, end=to_year,
                                          all_disaggregations=all_disaggregations)
        if fmt == OutputFormat.table:
            frame = frame[COLUMNS]
        emit(frame, fmt, output, title=f"{code}: {len(frame):,} observations")
