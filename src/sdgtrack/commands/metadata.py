"""`sdgtrack metadata CODE`: an indicator's national metadata (the Open SDG meta files loaded)."""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import List, Optional

import typer

from ._common import DbOption, FormatOption, OutputFormat, OutputOption, console, emit, open_db

TABLE_TEXT = 300  # characters of a text a terminal table shows; CSV and JSON keep it whole


def _plain(value: str) -> str:
    """A metadata text as one line of plain words (tags dropped, entities and spaces folded)."""
    from ..publish.metadata import render_text

    text = re.sub(r"<br>|</p>|</li>", " ", render_text(value))
    text = html.unescape(re.sub(r"<[^>]+>", "", text))
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= TABLE_TEXT else text[: TABLE_TEXT - 1] + "…"


def register(app: typer.Typer) -> None:
    @app.command("metadata")
    def metadata(
        code: str = typer.Argument(..., help="Indicator code (3.2.1), or a national indicator's id."),
        dataset: Optional[List[str]] = typer.Option(None, "--dataset", help="Only this dataset; repeatable."),
        lang: str = typer.Option("en", "--lang", help="Language of texts and labels, where the repository has it."),
        every_field: bool = typer.Option(
            False, "--all", help="Every field, settings too (the table shows only what the site's tab shows)."
        ),
        settings: bool = typer.Option(
            False,
            "--settings",
            help="The page settings instead (chart type, map, start values, lines, breaks, limits ...), as the site "
            "applies them, with each value it cannot use.",
        ),
        fmt: OutputFormat = FormatOption,
        output: Optional[Path] = OutputOption,
        db: Optional[Path] = DbOption,
    ) -> None:
        """Show an indicator's national metadata: definition, calculation, units, notes, sources ... as
        the Open SDG repositories loaded with `sdgtrack ingest` wrote them, per dataset."""
        if settings:
            _settings(code, dataset or None, lang, fmt, output, db)
            return
        with open_db(db, read_only=True) as ws:
            frame = ws.indicator_metadata(code, dataset or None, lang=lang)
        if frame.empty:
            console.print(
                f"{code}: no national metadata in the store (it comes with Open SDG repositories loaded "
                "with `sdgtrack ingest`)",
                highlight=False,
            )
            if fmt == OutputFormat.table:
                return
        if fmt == OutputFormat.table:
            shown = frame if every_field else frame[frame["group"].notna()]
            table = shown.assign(text=[_plain(v) for v in shown["value"]])[["dataset", "lang", "label", "text"]]
            emit(table, fmt, output, title=f"{code}: national metadata ({len(table)} of {len(frame)} fields)")
            return
        emit(frame if every_field else frame[frame["group"].notna()], fmt, output, title=f"{code}: national metadata")


def _settings(code: str, dataset, lang: str, fmt: OutputFormat, output: Optional[Path], db: Optional[Path]) -> None:
    """`sdgtrack metadata CODE --settings`: one row per setting (store/display.py), JSON values."""
    import json

    import pandas as pd

    with open_db(db, read_only=True) as ws:
        ws.indicator_metadata(code, dataset, lang=lang)  # an unknown code or dataset: its clear error
        found = ws.display_settings(code, dataset, lang=lang).get(code.strip())
    if found is None:
        console.print(f"{code}: no national metadata in the store, so no page settings", highlight=False)
        return
    rows = [
        {"dataset": found["dataset"], "setting": name, "value": json.dumps(value, ensure_ascii=False)}
        for name, value in found.items()
        if name not in ("dataset", "problems") and value not in (None, [], {})
    ]
    rows += [{"dataset": found["dataset"], "setting": "problem", "value": p} for p in found["problems"]]
    emit(pd.DataFrame(rows, columns=["dataset", "setting", "value"]), fmt, output, title=f"{code}: page settings")
