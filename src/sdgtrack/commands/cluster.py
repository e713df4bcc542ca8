"""`sdgtrack cluster run links|progress`: the analyses that grow with areas x series on a Dask
cluster, over an export written by `sdgtrack export parquet` (docs/scale.md)."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import List, Optional

import typer

from ..errors import UserInputError
from ..registries import LINK_LEVELS, PROGRESS_METHODS, TRANSFORMS
from ._common import DatasetsOption, FormatOption, OutputFormat, OutputOption, console, emit_result
from .progress import TABLE_COLUMNS

Transform = TRANSFORMS.enum("Transform")
Method = PROGRESS_METHODS.enum("Method")


class Analysis(str, Enum):
    links = "links"
    progress = "progress"


def register(app: typer.Typer) -> None:
    group = typer.Typer(
        help="The analyses that grow with areas x series (interlinkages, progress) on a Dask cluster.",
        no_args_is_help=True,
    )
    app.add_typer(group, name="cluster")

    @group.command("run")
    def run(
        analysis: Analysis = typer.Argument(
            ..., help="links (interlinkages per area) or progress (per series x area)."
        ),
        parquet: Path = typer.Option(
            ..., "--parquet", help="Folder written by `sdgtrack export parquet`, readable by every worker."
        ),
        scheduler: Optional[str] = typer.Option(
            None, "--scheduler", help="Address of a running Dask scheduler (tcp://host:8786)."
        ),
        local_workers: Optional[int] = typer.Option(
            None,
            "--local-workers",
            min=1,
            max=256,
            help="Start a local cluster of this many worker processes (default 2).",
        ),
        level: Optional[str] = typer.Option(
            None,
            "--level",
            help=f"links: {', '.join(LINK_LEVELS)} (default series); progress: series, indicator, target, goal (default series).",
        ),
        area: Optional[List[str]] = typer.Option(
            None,
            "--area",
            help="Area (M49, ISO code or name); repeatable. Default: every country (links), all (progress).",
        ),
        series: Optional[List[str]] = typer.Option(
            None, "--series", help="Series, indicator, target or goal code; repeatable. Default: all series."
        ),
        targets: Optional[Path] = typer.Option(None, "--targets", help="Targets CSV, as for `sdgtrack progress`."),
        method: Method = typer.Option(  # type: ignore[valid-type]
            Method(PROGRESS_METHODS.default), "--method", "-m", help="progress: " + PROGRESS_METHODS.help() + "."
        ),
        from_year: Optional[int] = typer.Option(None, "--from", help="links: first year."),
        to_year: Optional[int] = typer.Option(None, "--to", help="links: last year."),
        transform: Transform = typer.Option(  # type: ignore[valid-type]
            Transform(TRANSFORMS.default), "--transform", help=f"links: {TRANSFORMS.help()}."
        ),
        min_years: int = typer.Option(
            10, "--min-years", min=3, help="links: fewest years where both series have a value."
        ),
        null: int = typer.Option(20, "--null", min=0, max=10_000, help="links: permutations for the shuffled null."),
        seed: int = typer.Option(0, "--seed", min=0, max=2**32 - 1, help="links: random seed of the shuffled null."),
        dataset: Optional[List[str]] = DatasetsOption,
        fmt: OutputFormat = FormatOption,
        output: Optional[Path] = OutputOption,
    ) -> None:
        """Run links or progress over an exported store on a Dask cluster; the same tables as
        `sdgtrack links` / `sdgtrack progress` on the store, kept nowhere."""
        from ..workspace import Workspace

        if scheduler and local_workers is not None:
            raise UserInputError(
                "--scheduler and --local-workers: give one (a running cluster, or a local one to start)"
            )
        on = Workspace.cluster(
            parquet, scheduler=scheduler, local_workers=2 if local_workers is None else local_workers
        )
        if analysis == Analysis.links:
            chosen = level or LINK_LEVELS.default
            if chosen not in LINK_LEVELS:
                raise UserInputError(f"--level {chosen}: expected one of {', '.join(LINK_LEVELS)} for links")
            with console.status("computing interlinkages on the cluster"):
                result = on.links(
                    level=chosen,
                    areas=area,
                    series=series,
                    start=from_year,
                    end=to_year,
                    transform=transform.value,
                    min_years=min_years,
                    null_permutations=null,
                    seed=seed,
                    targets=targets,
                    datasets=dataset,
                )
        else:
            if from_year is not None or to_year is not None:
                raise UserInputError("--from/--to: for links; progress reads every year (its method picks the window)")
            chosen = level or "series"
            with console.status("assessing progress on the cluster"):
                result = on.assess(
                    method.value,
                    level=chosen,
                    targets=targets,
                    areas=area,
                    series=series,
                    datasets=dataset,
                )
        if analysis == Analysis.progress:  # a terminal shows the columns `sdgtrack progress` shows
            frame = result.tables[chosen]
            columns = TABLE_COLUMNS["series" if chosen == "series" else "other"]
            emit_result(result, fmt, output, table=chosen, frame=frame[[c for c in columns if c in frame]])
        else:
            emit_result(result, fmt, output, table=chosen)
