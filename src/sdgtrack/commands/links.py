"""`sdgtrack links`: statistical interlinkages; `sdgtrack links expert`: cross-impact matrices."""
from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path
from typing import List, Optional

import typer
from rich.console import Console

from ..errors import UserInputError
from ..registries import LINK_LEVELS, TRANSFORMS, or_list
from ._common import DatasetsOption, DbOption, FormatOption, OutputFormat, OutputOption, console, emit, open_db

links_app = typer.Typer(help="Interlinkages: synergies and trade-offs between series, targets and goals.")


Transform = TRANSFORMS.enum("Transform")
Level = LINK_LEVELS.enum("Level")


class Unknown(str, Enum):
    keep = "keep"
    drop = "drop"


@links_app.callback(invoke_without_command=True)
def links(ctx: typer.Context,
          area: Optional[List[str]] = typer.Option(None, "--area", help="Area (M49, ISO code or name); repeatable. "
                                                                         "Default: every country."),
          series: Optional[List[str]] = typer.Option(None, "--series", help="Series, indicator, target or goal code; "
                                                                             "repeatable. Default: all series."),
          from_year: Optional[int] = typer.Option(None, "--from", help="First year."),
          to_year: Optional[int] = typer.Option(None, "--to", help="Last year."),
          transform: Transform = typer.Option(Transform(TRANSFORMS.default), "--transform",
                                              help=f"{TRANSFORMS.help()}."),
          min_years: int = typer.Option(10, "--min-years", min=3, help="Fewest years where both series have a value."),
          level: Level = typer.Option(Level(LINK_LEVELS.default), "--level", help=f"{LINK_LEVELS.help()}."),
          threshold: float = typer.Option(0.6, "--threshold", min=0, max=1, help="|rho| above which a significant pair is classed."),
          alpha: float = typer.Option(0.05, "--alpha", min=0, max=1, help="Significance level."),
          bh: bool = typer.Option(False, "--bh", help="Benjamini-Hochberg adjusted p-values over each area's tests."),
          null: int = typer.Option(20, "--null", min=0, max=10_000, help="Permutations for the shuffled null (0: none)."),
          seed: int = typer.Option(0, "--seed", min=0, max=2**32 - 1, help="Random seed of the shuffled null."),
          targets: Optional[Path] = typer.Option(None, "--targets", help="Targets CSV (as for `sdgtrack progress`) whose "
                                                                    "directions extend or override the defaults."),
          unknown_direction: Unknown = typer.Option(Unknown.drop, "--unknown-direction",
                                                    help="Series without a desired direction: drop them, or keep "
                                                         "them unaligned."),
          heatmap: Optional[Path] = typer.Option(None, "--heatmap", help="Also write the goal x goal heatmap "
                                                                         "(.svg, .png or .html)."),
          network_chart: Optional[Path] = typer.Option(None, "--network", help="Also write the goal network picture "
                                                                               "(.svg, .png or .html)."),
          dataset: Optional[List[str]] = DatasetsOption,
          fmt: OutputFormat = FormatOption, output: Optional[Path] = OutputOption,
          db: Optional[Path] = DbOption) -> None:
    """Spearman correlations between series in each area, classed as synergies or trade-offs."""
    if ctx.invoked_subcommand is not None:
        return
    from ..links.analysis import link_report

    for chart in (heatmap, network_chart):
        if chart is not None:
            _check_chart_path(chart)
    with open_db(db, read_only=True) as database, console.status("computing interlinkages"):
        report = link_report(database, level=level.value, areas=area, series=series, start=from_year,
                             end=to_year, transform=transform.value, min_years=min_years,
                             rho_threshold=threshold, alpha=alpha, bh=bh, null_permutations=null,
                             seed=seed, unknown_direction=unknown_direction.value, targets=targets,
                             datasets=dataset)
    if heatmap is not None or network_chart is not None:
        from ..links import charts

        if heatmap is not None:
            charts.save(charts.heatmap(report.goals, report.meta), heatmap)
        if network_chart is not None:
            charts.save(charts.goal_network_chart(report.goals, report.meta), network_chart)
    _emit_report(report, fmt, output)


def _check_chart_path(path: Path) -> None:
    if path.suffix.lower() not in (".svg", ".png", ".html"):
        raise UserInputError(f"chart file {path}: expected a name ending in .svg, .png or .html")


def _emit_report(report, fmt: OutputFormat, output: Optional[Path]) -> None:
    if fmt == OutputFormat.json:
        doc = {"meta": report.meta, "rows": json.loads(report.table.to_json(orient="records"))}
        if report.meta["level"] == "goal":
            doc["top"] = json.loads(report.top.to_json(orient="records"))
        text = json.dumps(doc,
                          ensure_ascii=False, indent=1, default=str)
        if output is None:
            sys.stdout.write(text + "\n")
        else:
            try:
                output.write_text(text + "\n", encoding="utf-8")
            except OSError as exc:
                raise UserInputError(f"cannot write {output}: {exc.strerror or exc}") from None
            console.print(f"wrote {len(report.table):,} rows to {output}", highlight=False)
    elif fmt == OutputFormat.csv:
        emit(report.table, fmt, output)
    # The summary comes first in a table (the rows are the detail), and goes to stderr when the data
    # go to stdout, so pipes get clean CSV.
    out = console if fmt == OutputFormat.table or output is not None else Console(stderr=True)
    for line in describe(report.meta):
        out.print(line, highlight=False, markup=False, soft_wrap=True)
    if fmt == OutputFormat.table and report.meta["level"] == "goal" and len(report.top):
        out.print("most synergistic and most conflicting goal pairs (pooled, >= 10 series pairs):",
                  highlight=False)
        for r in report.top.itertuples():
            out.print(f"  {r.kind:<17} {r.goal_a:>2} x {r.goal_b:<2} synergy {r.share_synergy:6.1%}  "
                      f"trade-off {r.share_tradeoff:6.1%}  of {r.pairs:,} pairs", highlight=False)
    if fmt == OutputFormat.table:
        emit(report.table, fmt, output, title=f"interlinkages ({report.meta['level']} level): "
                                              f"{len(report.table):,} rows")


def describe(meta: dict) -> list[str]:
    """The method, parameters, data window and counts, as lines for people."""
    p = meta["parameters"]
    null = meta["null"]
    lines = [
        f"method: {meta['method']}",
        f"transform: {meta['transform']}; min years {p['min_years']}; {meta['classification']}",
        f"window: {meta['window'][0]}-{meta['window'][1]}" if meta["window"] else "window: no data",
        f"areas {meta['areas']:,} ({meta['areas_requested'] if isinstance(meta['areas_requested'], str) else 'as given'}); "
        f"series {meta['series']:,}; pairs {meta['pairs']:,}; tests {meta['tests']:,} "
        f"({meta['undefined']:,} undefined: a series constant on the shared years)",
        f"synergies {meta['synergies']:,} ({_pct(meta['synergy_rate'])}); trade-offs {meta['tradeoffs']:,} "
        f"({_pct(meta['tradeoff_rate'])})",
    ]
    if null["permutations"]:
        lines.append(f"shuffled null ({null['permutations']} permutations, {null['tests']:,} tests): "
                     f"synergy {_pct(null['synergy_rate'])}, trade-off {_pct(null['tradeoff_rate'])} by chance alone")
    else:
        lines.append("shuffled null: not run (--null 0)")
    lines.append(f"direction: from the {meta.get('direction_source', 'direction table given')}; "
                 f"{meta['series_without_direction']} series without a desired direction "
                 f"{meta['unknown_direction']}")
    if meta.get("datasets"):
        lines.append("datasets: " + ", ".join(f"{d} ({n} series)" for d, n in meta["datasets"].items()))
    if p["transform"] == "levels":
        lines.append("note: in levels, series that trend over time correlate whether or not they are linked; "
                     f"compare with --transform {or_list(n for n in TRANSFORMS if n != 'levels')}")
    return lines


def _pct(x) -> str:
    return "n/a" if x is None else f"{x:.1%}"


@links_app.command("expert")
def expert(matrix: Path = typer.Argument(..., help="Cross-impact matrix CSV: first column and header row are goal "
                                                    "or target codes; cells -3..+3; row = the node that acts."),
           fmt: OutputFormat = FormatOption, output: Optional[Path] = OutputOption) -> None:
    """Influence of each node in an expert cross-impact matrix (Nilsson's 7-point scale)."""
    from ..links.expert import analyse_matrix, read_matrix

    result = analyse_matrix(read_matrix(matrix))
    nodes = result.nodes
    if fmt == OutputFormat.table:
        nodes = nodes.assign(title=nodes["title"].str.slice(0, 40))
    emit(nodes, fmt, output, title=f"{matrix.name}: {len(nodes)} nodes")
    out = console if fmt == OutputFormat.table or output is not None else Console(stderr=True)
    for line in result.describe():
        out.print(line, highlight=False, markup=False, soft_wrap=True)


def register(app: typer.Typer) -> None:
    app.add_typer(links_app, name="links")
