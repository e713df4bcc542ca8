"""`sdgtrack headline`: the series each indicator's headline figure and status speak for, and why."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from ..plurals import count
from ._common import DatasetsOption, DbOption, FormatOption, OutputFormat, OutputOption, emit, open_db


def register(app: typer.Typer) -> None:
    @app.command("headline")
    def headline(
        area: Optional[List[str]] = typer.Option(
            None, "--area", help="Only headline values of this area (M49, ISO code or name); repeatable."
        ),
        indicator: Optional[List[str]] = typer.Option(None, "--indicator", help="Only this indicator; repeatable."),
        dataset: Optional[List[str]] = DatasetsOption,
        fmt: OutputFormat = FormatOption,
        output: Optional[Path] = OutputOption,
        db: Optional[Path] = DbOption,
    ) -> None:
        """List each indicator's headline series and the step of the rule that chose it: the series with
        the 2030 target, the source's default selection, the series matching the title, most observations
        (docs/site.md, "The headline series")."""
        from ..errors import UserInputError
        from ..vocabulary import HEADLINE_REASONS

        with open_db(db, read_only=True) as workspace:
            frame = workspace.headline_series(areas=area, datasets=dataset)
            if indicator:
                unknown = sorted(set(indicator) - set(workspace.node_titles("sdg")))
                if unknown:
                    raise UserInputError(
                        f"--indicator {', '.join(unknown)}: expected SDG indicator codes such as 3.2.1"
                    )
                frame = frame[frame["indicator"].isin(indicator)]
        frame = frame.assign(why=frame["reason"].map(HEADLINE_REASONS))
        where = f" in {', '.join(area)}" if area else ""
        emit(
            frame.reset_index(drop=True),
            fmt,
            output,
            title=f"headline series of {count(len(frame), 'indicator')}{where}",
        )
