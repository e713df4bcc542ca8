"""`sdgtrack progress`: assessment toward the 2030 targets; `sdgtrack progress chart`: the progress chart."""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import List, Optional

import typer
from rich.console import Console

from ..labels import describe_parameters, label, span
from ..progress.methods import eurostat
from ..progress.rollup import LEVELS
from ..registries import PROGRESS_METHODS, or_list
from ._common import (
    DatasetsOption,
    DbOption,
    FormatOption,
    OutputFormat,
    OutputOption,
    choices,
    console,
    emit,
    open_db,
    open_db_to_keep,
)

Method = PROGRESS_METHODS.enum("Method")
Level = choices("Level", LEVELS)
Period = choices("Period", eurostat.PERIODS)

MethodOption = typer.Option(Method(PROGRESS_METHODS.default), "--method", "-m", help=PROGRESS_METHODS.help() + ".")
TargetsOption = typer.Option(None, "--targets", help="CSV extending/overriding the default target table.")
AreaOption = typer.Option(None, "--area", help="Area (M49, ISO code or name); repeatable. Default: all.")

TABLE_COLUMNS = {
    "series": ["series", "area", "area_name", "baseline_year", "baseline_value", "latest_year", "latest_value",
               "target", "direction", "cagr", "ratio", "status", "score", "dataset"],
    "other": ["code", "area", "area_name", "score", "status", "share_on_track", "children_assessed", "n_series",
              "n_assessed"],
}


def register(app: typer.Typer) -> None:
    group = typer.Typer(help=f"Progress toward the 2030 targets (methods: {', '.join(PROGRESS_METHODS)}).",
                        invoke_without_command=True, no_args_is_help=False)
    app.add_typer(group, name="progress")

    @group.callback()
    def progress(ctx: typer.Context,
                 method: Method = MethodOption,
                 targets: Optional[Path] = TargetsOption,
                 area: Optional[List[str]] = AreaOption,
                 series: Optional[List[str]] = typer.Option(None, "--series",
                                                            help="Series or goal/target/indicator code; repeatable."),
                 level: Level = typer.Option(Level(LEVELS[0]), "--level", help=f"{or_list(LEVELS)}."),
                 period: Period = typer.Option(Period(eurostat.DEFAULTS["period"]), "--period", help="eurostat: " + or_list(
                     f"{name} ({years} y)" for name, (years, _) in eurostat.PERIODS.items()) + "."),
                 base_year: int = typer.Option(2015, "--base-year", help="/".join(name for name, m in PROGRESS_METHODS.items()
                                                                     if "base_year" in m.DEFAULTS) + ": baseline year."),
                 dataset: Optional[List[str]] = DatasetsOption,
                 fmt: OutputFormat = FormatOption, output: Optional[Path] = OutputOption,
                 db: Optional[Path] = DbOption) -> None:
        """Assess every headline series x area against its target and roll up (kept in the store)."""
        if ctx.invoked_subcommand is not None:
            return
        from ..progress import assess

        # The parameters the method has (its DEFAULTS), from the options that set them.
        given = {"period": period.value, "base_year": base_year}
        params = {name: given[name] for name in PROGRESS_METHODS.get(method.value).DEFAULTS}
        with open_db_to_keep(db) as database:
            keep = not database.read_only
            frame = assess(database, method.value, targets=targets, areas=area, series=series,
                           level=level.value, save=keep, datasets=dataset, **params)
        if not keep:
            Console(stderr=True).print(f"note: {database.path} is read-only: the assessment was not kept",
                                       highlight=False, markup=False)
        _emit(frame, fmt, output)

    @group.command("chart")
    def chart(area: str = typer.Option("1", "--area", help="Area (M49, ISO code, name or region)."),
              method: Method = MethodOption,
              targets: Optional[Path] = TargetsOption,
              output: Path = typer.Option(Path("progress-chart"), "--output", "-o",
                                          help="Output path without extension: writes .svg, .png and .html."),
              db: Optional[Path] = DbOption) -> None:
        """Write the SDG Report progress chart (goals and targets by status) as SVG, PNG and HTML."""
        from ..progress.chart import write_chart

        with open_db(db, read_only=True) as database:
            paths = write_chart(database, output, area=area, method=method.value, targets=targets)
        for p in paths:
            console.print(f"wrote {p}", highlight=False)


def _emit(frame, fmt: OutputFormat, output: Optional[Path]) -> None:
    attrs = frame.attrs
    window = attrs.get("data_window") or {}
    window_text = ("; ".join(f"{label(k)} {span(v)}" for k, v in window.items()) if isinstance(window, dict)
                   else str(window))
    heading = (f"{attrs.get('title')} ({attrs.get('method')}); {describe_parameters(attrs.get('parameters'))}; "
               f"data window: {window_text}; {attrs.get('assessed'):,} of {attrs.get('pairs'):,} "
               f"series x areas assessed; datasets {', '.join(attrs.get('datasets') or []) or 'none'}")
    if fmt == OutputFormat.json:
        text = json.dumps({"assessment": attrs, "results": json.loads(frame.to_json(orient="records"))},
                          ensure_ascii=False, indent=1, default=str)
        if output is not None:
            Path(output).write_text(text + "\n", encoding="utf-8")
            console.print(f"wrote {len(frame):,} rows to {output}", highlight=False)
        else:
            sys.stdout.write(text + "\n")
        return
    if fmt == OutputFormat.table:
        cols = TABLE_COLUMNS["series" if attrs.get("level", "series") == "series" else "other"]
        emit(frame[[c for c in cols if c in frame]], fmt, output, title=heading)
        return
    if output is None:
        # CSV on stdout stays machine-readable; the method and window go to stderr.
        print(heading, file=sys.stderr)
    emit(frame, fmt, output)
