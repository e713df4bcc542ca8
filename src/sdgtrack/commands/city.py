"""`sdgtrack city template|import|score|report|compare|list|targets`: U4SSC city KPIs."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from ._common import DbOption, FormatOption, OutputFormat, OutputOption, console, emit, open_db

city_app = typer.Typer(
    help="U4SSC KPIs for smart sustainable cities: collection, scoring, report, comparison.", no_args_is_help=True
)

TargetsOption = typer.Option(
    None,
    "--targets",
    help="Targets CSV (kpi, target[, direction, source]); "
    "default: the shipped default set (see `sdgtrack city targets`).",
)


@city_app.command("template")
def template_(
    output: Path = typer.Option(..., "--output", "-o", help="FILE.xlsx or FILE.csv"),
    year: Optional[int] = typer.Option(None, help="Fill the year column."),
) -> None:
    """Write the collection template: one row per KPI or data point, to fill in and import."""
    from ..workspace import Workspace

    path = Workspace.city_template(output, year)
    console.print(f"wrote the U4SSC collection template to {path}", highlight=False)


@city_app.command("import")
def import_(
    file: Path = typer.Argument(..., help="A filled template (.xlsx/.csv) or a table of published values."),
    city: str = typer.Option(..., "--city", help="City name (the file's rows of this city, if it has a city column)."),
    country: Optional[str] = typer.Option(
        None, "--country", help="Country: M49 code or name (else the file's country column)."
    ),
    year: Optional[int] = typer.Option(None, "--year", help="Year of rows whose year cell is blank."),
    code: Optional[str] = typer.Option(
        None, "--code", help="Area code of a new city (default ISO2-NAME, e.g. NO-ASKER)."
    ),
    replace: bool = typer.Option(
        False, "--replace", help="Remove the city's stored values this file lacks (kept in history)."
    ),
    db: Optional[Path] = DbOption,
) -> None:
    """Check every cell and store the city's KPI values in its dataset (city-<code>); on any problem nothing is stored."""
    with open_db(db) as workspace:
        report = workspace.city_import(file, city=city, country=country, year=year, code=code, replace=replace)
    console.print(report.summary(), highlight=False)


@city_app.command("score")
def score(
    city: str = typer.Option(..., "--city", help="City name or area code."),
    targets: Optional[Path] = TargetsOption,
    level: str = typer.Option("all", help="kpi, rollup or all (table format shows both)."),
    fmt: OutputFormat = FormatOption,
    output: Optional[Path] = OutputOption,
    db: Optional[Path] = DbOption,
) -> None:
    """Per KPI: value, target, attainment, points; per category, sub-dimension, dimension: the roll-ups."""
    with open_db(db, read_only=True) as workspace:
        result = workspace.city_score(city, targets=targets)
    if level not in ("kpi", "rollup", "all"):
        from ..errors import UserInputError

        raise UserInputError(f"--level {level!r}: expected kpi, rollup or all")
    kpi_cols = ["key", "name", "value", "unit", "status", "target", "direction", "attainment", "points", "band", "note"]
    roll_cols = ["level", "name", "points", "max_points", "kpis_scored", "percent", "band"]
    if fmt == OutputFormat.json and level == "all":
        _write(result.to_json(), output)
        return
    if fmt != OutputFormat.table:  # CSV holds one table: the KPI lines, or the roll-ups with --level rollup
        emit(result.rollups if level == "rollup" else result.kpis, fmt, output)
        return
    console.print(result.describe(), highlight=False)
    if level in ("kpi", "all"):
        shown = result.kpis[result.kpis["status"] != "no_data"][kpi_cols]
        emit(shown, fmt, None, title=f"{result.city['name']}: KPIs with data ({len(shown)})")
    if level in ("rollup", "all"):
        rolls = result.rollups[result.rollups["kpis_scored"] > 0][roll_cols]
        emit(rolls, fmt, None, title=f"{result.city['name']}: roll-ups with a scored KPI")


@city_app.command("report")
def report(
    city: str = typer.Option(..., "--city", help="City name or area code."),
    output: Path = typer.Option(..., "--output", "-o", help="report.html or report.pdf"),
    targets: Optional[Path] = TargetsOption,
    db: Optional[Path] = DbOption,
) -> None:
    """The city report: summary, benchmarking wheel, results per dimension, not reported/verified, SDG links."""
    with open_db(db, read_only=True) as workspace:
        path = workspace.city_report(city, output, targets=targets)
    console.print(f"wrote {path}", highlight=False)


@city_app.command("compare")
def compare(
    cities: List[str] = typer.Argument(..., help="Two or more city names or area codes."),
    targets: Optional[Path] = TargetsOption,
    chart: Optional[Path] = typer.Option(None, "--chart", help="Also draw the roll-ups: .svg, .png or .html."),
    level: str = typer.Option("category", help="Roll-up level of the chart: category, sub_dimension, dimension."),
    fmt: OutputFormat = FormatOption,
    output: Optional[Path] = OutputOption,
    db: Optional[Path] = DbOption,
) -> None:
    """Side-by-side table of values and points (and a chart of the roll-ups)."""
    from ..charts import render
    from ..errors import UserInputError
    from ..vocabulary import CITY_LEVELS

    if level not in CITY_LEVELS:
        raise UserInputError(f"--level {level!r}: expected one of {', '.join(CITY_LEVELS)}")
    with open_db(db, read_only=True) as workspace:
        result = workspace.city_compare(cities, targets=targets)
    if chart is not None:
        render(result.chart(level, title=f"U4SSC {level.replace('_', '-')} scores"), chart)
        console.print(f"wrote {chart}", highlight=False)
    if fmt == OutputFormat.json:
        _write(result.to_json(), output)
        return
    if fmt == OutputFormat.table:
        console.print(result.describe(), highlight=False)
    emit(result.table, fmt, output, title="U4SSC KPIs side by side (value, points)")


@city_app.command("list")
def list_(
    fmt: OutputFormat = FormatOption, output: Optional[Path] = OutputOption, db: Optional[Path] = DbOption
) -> None:
    """Cities in the store and how many U4SSC values each has."""
    with open_db(db, read_only=True) as workspace:
        emit(workspace.list_cities(), fmt, output, title="Cities")


@city_app.command("targets")
def targets_(fmt: OutputFormat = FormatOption, output: Optional[Path] = OutputOption) -> None:
    """The shipped default targets with their sources (copy and edit them for --targets)."""
    from ..workspace import Workspace

    frame = Workspace.city_targets().rename(columns={"key": "kpi"})
    emit(frame, fmt, output, title="Default targets (sdgtrack's choice, each with its source; ITU's are not public)")


def _write(text: str, output: Optional[Path]) -> None:
    if output is None:
        print(text)
        return
    from ..errors import UserInputError

    try:
        output.write_text(text + "\n", encoding="utf-8")
    except OSError as exc:
        raise UserInputError(f"cannot write {output}: {exc}") from None
    console.print(f"wrote {output}", highlight=False)


def register(app: typer.Typer) -> None:
    app.add_typer(city_app, name="city")
