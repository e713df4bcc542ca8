"""`sdgtrack links`: statistical interlinkages; `sdgtrack links expert`: cross-impact matrices."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import List, Optional

import typer

from ..errors import UserInputError
from ..plurals import count
from ..registries import LINK_LEVELS, TRANSFORMS
from ._common import (
    DatasetsOption,
    DbOption,
    FormatOption,
    OutputFormat,
    OutputOption,
    console,
    emit_result,
    note_not_kept,
    open_db_to_keep,
)

links_app = typer.Typer(help="Interlinkages: synergies and trade-offs between series, targets and goals.")


Transform = TRANSFORMS.enum("Transform")
Level = LINK_LEVELS.enum("Level")


class Unknown(str, Enum):
    keep = "keep"
    drop = "drop"


@links_app.callback(invoke_without_command=True)
def links(
    ctx: typer.Context,
    area: Optional[List[str]] = typer.Option(
        None, "--area", help="Area (M49, ISO code or name); repeatable. Default: every country."
    ),
    series: Optional[List[str]] = typer.Option(
        None, "--series", help="Series, indicator, target or goal code; repeatable. Default: all series."
    ),
    from_year: Optional[int] = typer.Option(None, "--from", help="First year."),
    to_year: Optional[int] = typer.Option(None, "--to", help="Last year."),
    transform: Transform = typer.Option(Transform(TRANSFORMS.default), "--transform", help=f"{TRANSFORMS.help()}."),
    min_years: int = typer.Option(10, "--min-years", min=3, help="Fewest years where both series have a value."),
    level: Level = typer.Option(Level(LINK_LEVELS.default), "--level", help=f"{LINK_LEVELS.help()}."),
    threshold: float = typer.Option(
        0.6, "--threshold", min=0, max=1, help="|rho| above which a significant pair is classed."
    ),
    alpha: float = typer.Option(0.05, "--alpha", min=0, max=1, help="Significance level."),
    bh: bool = typer.Option(False, "--bh", help="Benjamini-Hochberg adjusted p-values over each area's tests."),
    null: int = typer.Option(20, "--null", min=0, max=10_000, help="Permutations for the shuffled null (0: none)."),
    seed: int = typer.Option(0, "--seed", min=0, max=2**32 - 1, help="Random seed of the shuffled null."),
    targets: Optional[Path] = typer.Option(
        None,
        "--targets",
        help="Targets CSV (as for `sdgtrack progress`) whose directions extend or override the defaults.",
    ),
    unknown_direction: Unknown = typer.Option(
        Unknown.drop,
        "--unknown-direction",
        help="Series without a desired direction: drop them, or keep them unaligned.",
    ),
    heatmap: Optional[Path] = typer.Option(
        None, "--heatmap", help="Also write the goal x goal heatmap (.svg, .png or .html)."
    ),
    network_chart: Optional[Path] = typer.Option(
        None, "--network", help="Also write the goal network picture (.svg, .png or .html)."
    ),
    dataset: Optional[List[str]] = DatasetsOption,
    fmt: OutputFormat = FormatOption,
    output: Optional[Path] = OutputOption,
    db: Optional[Path] = DbOption,
) -> None:
    """Spearman correlations between series in each area, classed as synergies or trade-offs (kept in the store)."""
    if ctx.invoked_subcommand is not None:
        return
    for chart in (heatmap, network_chart):
        if chart is not None:
            _check_chart_path(chart)
    with open_db_to_keep(db) as workspace, console.status("computing interlinkages"):
        result = workspace.links(
            level=level.value,
            areas=area,
            series=series,
            start=from_year,
            end=to_year,
            transform=transform.value,
            min_years=min_years,
            rho_threshold=threshold,
            alpha=alpha,
            bh=bh,
            null_permutations=null,
            seed=seed,
            unknown_direction=unknown_direction.value,
            targets=targets,
            datasets=dataset,
        )
    if workspace.read_only:
        note_not_kept(workspace.path, "interlinkages")
    if heatmap is not None:
        result.write_chart("heatmap", heatmap)
    if network_chart is not None:
        result.write_chart("network", network_chart)
    _emit(result, level.value, fmt, output)


def _check_chart_path(path: Path) -> None:
    if path.suffix.lower() not in (".svg", ".png", ".html"):
        raise UserInputError(f"chart file {path}: expected a name ending in .svg, .png or .html")


def _emit(result, level: str, fmt: OutputFormat, output: Optional[Path]) -> None:
    if fmt == OutputFormat.json:  # the goal-pair tables only at goal level, where they are the point
        emit_result(result, fmt, output, table=None if level == "goal" else level)
        return
    table = result.tables[level]
    lines = list(result.notes)
    top = result.tables["top_goal_pairs"]
    if fmt == OutputFormat.table and level == "goal" and len(top):
        lines.append("most synergistic and most conflicting goal pairs (pooled, >= 10 series pairs):")
        lines += [
            f"  {r.kind:<17} {r.goal_a:>2} x {r.goal_b:<2} synergy {r.share_synergy:6.1%}  "
            f"trade-off {r.share_tradeoff:6.1%}  of {r.pairs:,} pairs"
            for r in top.itertuples()
        ]
    emit_result(
        result,
        fmt,
        output,
        table=level,
        frame=table,
        lines=lines,
        title=f"interlinkages ({level} level): {count(len(table), 'row')}",
    )


@links_app.command("expert")
def expert(
    matrix: Path = typer.Argument(
        ...,
        help="Cross-impact matrix CSV: first column and header row are goal "
        "or target codes; cells -3..+3; row = the node that acts.",
    ),
    fmt: OutputFormat = FormatOption,
    output: Optional[Path] = OutputOption,
) -> None:
    """Influence of each node in an expert cross-impact matrix (Nilsson's 7-point scale)."""
    from ..workspace import Workspace

    result = Workspace.expert_links(matrix)
    nodes = result.table
    if fmt == OutputFormat.table:
        nodes = nodes.assign(title=nodes["title"].str.slice(0, 40))
    emit_result(result, fmt, output, frame=nodes, lines=result.notes, title=f"{matrix.name}: {len(nodes)} nodes")


def register(app: typer.Typer) -> None:
    app.add_typer(links_app, name="links")
