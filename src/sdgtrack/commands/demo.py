"""`sdgtrack demo build`: a demo database from the UN data subset shipped with the package."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from ._common import DbOption, console, open_db

demo_app = typer.Typer(help="The demo database (a real subset of the UN SDG Global Database).", no_args_is_help=True)


@demo_app.command("build")
def build(db: Optional[Path] = DbOption) -> None:
    """Create or refresh the demo database and print what it holds."""
    from ..demo import demo_data_path

    with open_db(db) as workspace:
        console.print(f"loading {demo_data_path().name} into {workspace.path}", highlight=False)
        report, progress = workspace.build_demo()
        console.print(report.summary(), highlight=False)
        console.print(f"kept a progress assessment: {progress.describe()}", highlight=False, markup=False)
        per_goal = workspace.observations_per_goal()
    console.print("goal  indicators  series  observations", highlight=False)
    for r in per_goal.itertuples():
        console.print(f"{r.goal:>4}  {r.indicators:>10}  {r.series:>6}  {r.observations:>12,}", highlight=False)


def register(app: typer.Typer) -> None:
    app.add_typer(demo_app, name="demo")
