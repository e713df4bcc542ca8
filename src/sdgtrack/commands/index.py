"""`sdgtrack index`: SDG Index and Dashboards (SDSN SDR method) over the store."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer
from rich.console import Console

from ..errors import UserInputError
from ..plurals import count
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

TABLE_COLUMNS = ["rank", "area", "area_name", "index"] + [f"goal_{g}" for g in range(1, 18)]
INDICATOR_TABLE_COLUMNS = ["area", "indicator", "goal", "year", "value", "score", "colour", "trend_arrow"]


def register(app: typer.Typer) -> None:
    @app.command("index")
    def index(
        codebook: str = typer.Option(
            ...,
            "--codebook",
            help="Codebook CSV (indicator, goal, optimum, "
            "lower_bound, green_threshold, red_threshold, in_index, trend), or "
            "'sdr2024' for the shipped SDR 2024 codebook.",
        ),
        regions: Optional[str] = typer.Option(
            None,
            "--regions",
            help="CSV area, region "
            "[, goals_not_applicable] for imputing missing goals, or "
            "'sdr2023' for the shipped SDR 2023 regions.",
        ),
        year: Optional[int] = typer.Option(None, "--year", help="Use the latest value up to this year."),
        max_missing: float = typer.Option(
            20.0, "--max-missing", help="Percent of index indicators an area may miss and still get an index."
        ),
        area: Optional[List[str]] = typer.Option(None, "--area", help="Only these areas; repeatable."),
        indicators: bool = typer.Option(
            False,
            "--indicators",
            help="Per-indicator rows (value, year, score, colour, trend) instead of one row per area.",
        ),
        chart: Optional[Path] = typer.Option(
            None, "--chart", help="Also write the dashboard chart: .svg, .png or .html (self-contained page)."
        ),
        dataset: Optional[List[str]] = DatasetsOption,
        fmt: OutputFormat = FormatOption,
        output: Optional[Path] = OutputOption,
        db: Optional[Path] = DbOption,
    ) -> None:
        """SDG Index, goal scores, dashboard colours and trends (SDSN Sustainable Development Report method; kept in the store)."""
        if chart is not None and chart.suffix.lower() not in (".svg", ".png", ".html"):
            raise UserInputError(f"--chart {chart}: expected a file name ending in .svg, .png or .html")
        with open_db_to_keep(db) as workspace:
            result = workspace.index(
                codebook, regions, year=year, max_missing=max_missing / 100, areas=area, datasets=dataset
            )
        if workspace.read_only:
            note_not_kept(workspace.path, "index")
        if chart is not None:
            result.write_chart("dashboard", chart)
            # on stderr when the data go to stdout, so a pipe gets only the data
            out = console if fmt == OutputFormat.table or output is not None else Console(stderr=True)
            out.print(f"wrote the dashboard to {chart}", highlight=False)
        name = "indicators" if indicators else "areas"
        frame = result.tables[name]
        if indicators:
            frame = frame[INDICATOR_TABLE_COLUMNS]
        else:  # narrow enough for a terminal: goal scores as whole numbers
            frame = frame[TABLE_COLUMNS].round({"index": 1, **{f"goal_{g}": 0 for g in range(1, 18)}})
            frame = frame.rename(columns={f"goal_{g}": f"g{g}" for g in range(1, 18)})
            frame["rank"] = frame["rank"].astype(object).where(frame["rank"].notna(), "")
        excluded = result.tables["excluded"]
        lines = [result.describe()]
        if len(excluded):
            lines.append(
                f"no index for {len(excluded)} areas, e.g. {excluded.area_name.iloc[0]}: {excluded.reason.iloc[0]}"
            )
        emit_result(
            result,
            fmt,
            output,
            table=name,
            frame=frame,
            lines=lines,
            title=f"SDG Index: {count(result.summary['areas with an index'], 'area')} ranked",
        )
