"""`sdgtrack report vnr`: the statistical annex of a Voluntary National Review."""

from __future__ import annotations

import time
from pathlib import Path
from typing import List, Optional

import typer

from ..registries import PROGRESS_METHODS
from ..report.words import languages
from ._common import DatasetsOption, DbOption, choices, console, open_db

report_app = typer.Typer(help="Reports made from the store: the VNR statistical annex.", no_args_is_help=True)

Lang = choices("Lang", list(languages()))
Method = PROGRESS_METHODS.enum("ReportMethod")


@report_app.command("vnr")
def vnr(
    area: str = typer.Option(..., "--area", "-a", help="The reviewing country: M49 code, ISO code or name."),
    output: Path = typer.Option(..., "--output", "-o", help="annex.pdf, annex.docx, annex.xlsx or annex.html"),
    dataset: Optional[List[str]] = DatasetsOption,
    lang: Lang = typer.Option(Lang("en"), "--lang", help="Language of the annex's words and titles."),  # type: ignore[call-arg]
    method: Method = typer.Option(  # type: ignore[valid-type]
        Method(PROGRESS_METHODS.default), "--method", "-m", help="Progress method: " + PROGRESS_METHODS.help() + "."
    ),
    targets: Optional[Path] = typer.Option(
        None,
        "--targets",
        help="Targets CSV extending the default table (national series need rows here to be assessed).",
    ),
    base_year: Optional[int] = typer.Option(None, "--base-year", help="Baseline year (default 2015)."),
    global_directions: bool = typer.Option(
        True,
        "--global-directions/--own-targets-only",
        help="Assess series without a target row with the direction of their indicator's global series "
        "(no numeric target), or leave them unassessed.",
    ),
    db: Optional[Path] = DbOption,
) -> None:
    """Write the VNR statistical annex of one country: cover, contents, the progress chart, per goal each
    indicator with data (baseline, latest, World, source, progress, trend) and those without, sources and
    methods. The format follows the file's extension; nothing is written on any error."""
    from ..report.output import check_output
    from ..report.vnr import build_annex

    check_output(output, lang.value)  # a wrong name is said before the annex is built
    started = time.perf_counter()
    with open_db(db, read_only=True) as workspace:
        annex = build_annex(
            workspace,
            area,
            datasets=dataset or None,
            lang=lang.value,
            method=method.value,
            targets=targets,
            base_year=base_year,
            global_directions=global_directions,
        )
        path = annex.write(output)
    c = annex.counts
    console.print(
        f"wrote the statistical annex of {annex.area_name} to {path}: {c['with_data']} of {c['total']} indicators "
        f"with data, {c['assessed']} assessed ({time.perf_counter() - started:.1f} s)",
        highlight=False,
    )


def register(app: typer.Typer) -> None:
    app.add_typer(report_app, name="report")
