"""`sdgtrack progress`: assessment toward the 2030 targets; `sdgtrack progress chart`: the progress chart."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from ..plurals import count
from ..registries import PROGRESS_METHODS, or_list
from ..vocabulary import EUROSTAT_DEFAULTS, EUROSTAT_PERIODS, PROGRESS_LEVELS
from ._common import (
    DatasetsOption,
    DbOption,
    FormatOption,
    OutputFormat,
    OutputOption,
    choices,
    console,
    emit_result,
    note_not_kept,
    open_db,
    open_db_to_keep,
)

Method = PROGRESS_METHODS.enum("Method")
Level = choices("Level", PROGRESS_LEVELS)
Period = choices("Period", EUROSTAT_PERIODS)

MethodOption = typer.Option(Method(PROGRESS_METHODS.default), "--method", "-m", help=PROGRESS_METHODS.help() + ".")
TargetsOption = typer.Option(None, "--targets", help="CSV extending/overriding the default target table.")
AreaOption = typer.Option(None, "--area", help="Area (M49, ISO code or name); repeatable. Default: all.")

TABLE_COLUMNS = {
    "series": [
        "series",
        "area",
        "area_name",
        "baseline_year",
        "baseline_value",
        "latest_year",
        "latest_value",
        "target",
        "direction",
        "cagr",
        "ratio",
        "status",
        "score",
        "dataset",
    ],
    "other": [
        "code",
        "area",
        "area_name",
        "score",
        "status",
        "share_on_track",
        "children_assessed",
        "n_series",
        "n_assessed",
    ],
}


def register(app: typer.Typer) -> None:
    group = typer.Typer(
        help=f"Progress toward the 2030 targets (methods: {', '.join(PROGRESS_METHODS)}).",
        invoke_without_command=True,
        no_args_is_help=False,
    )
    app.add_typer(group, name="progress")

    @group.callback()
    def progress(
        ctx: typer.Context,
        method: Method = MethodOption,
        targets: Optional[Path] = TargetsOption,
        area: Optional[List[str]] = AreaOption,
        series: Optional[List[str]] = typer.Option(
            None, "--series", help="Series or goal/target/indicator code; repeatable."
        ),
        level: Level = typer.Option(Level(PROGRESS_LEVELS[0]), "--level", help=f"{or_list(PROGRESS_LEVELS)}."),
        period: Period = typer.Option(
            Period(EUROSTAT_DEFAULTS["period"]),
            "--period",
            help="eurostat: " + or_list(f"{name} ({years} y)" for name, (years, _) in EUROSTAT_PERIODS.items()) + ".",
        ),
        base_year: int = typer.Option(
            2015,
            "--base-year",
            help="/".join(name for name, m in PROGRESS_METHODS.items() if "base_year" in m.DEFAULTS)
            + ": baseline year.",
        ),
        dataset: Optional[List[str]] = DatasetsOption,
        fmt: OutputFormat = FormatOption,
        output: Optional[Path] = OutputOption,
        db: Optional[Path] = DbOption,
    ) -> None:
        """Assess every headline series x area against its target and roll up (kept in the store)."""
        if ctx.invoked_subcommand is not None:
            return
        # Only the parameters the method has (its DEFAULTS) are passed on.
        defaults = PROGRESS_METHODS.get(method.value).DEFAULTS
        with open_db_to_keep(db) as workspace:
            result = workspace.assess(
                method.value,
                targets=targets,
                areas=area,
                series=series,
                level=level.value,
                datasets=dataset,
                base_year=base_year if "base_year" in defaults else None,
                period=period.value if "period" in defaults else None,
            )
        if workspace.read_only:
            note_not_kept(workspace.path, "assessment")
        frame = result.table
        columns = TABLE_COLUMNS["series" if level.value == "series" else "other"]
        emit_result(
            result,
            fmt,
            output,
            frame=frame[[c for c in columns if c in frame]],
            title=f"{result.method}: {count(len(frame), 'row')} ({level.value} level)",
        )

    @group.command("chart")
    def chart(
        area: str = typer.Option("1", "--area", help="Area (M49, ISO code, name or region)."),
        method: Method = MethodOption,
        targets: Optional[Path] = TargetsOption,
        output: Path = typer.Option(
            Path("progress-chart"), "--output", "-o", help="Output path without extension: writes .svg, .png and .html."
        ),
        db: Optional[Path] = DbOption,
    ) -> None:
        """Write the SDG Report progress chart (goals and targets by status) as SVG, PNG and HTML."""
        with open_db(db, read_only=True) as workspace:
            paths = workspace.progress_chart(output, area=area, method=method.value, targets=targets)
        for p in paths:
            console.print(f"wrote {p}", highlight=False)
