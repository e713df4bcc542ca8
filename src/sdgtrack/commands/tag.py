"""`sdgtrack tag`: the SDGs a free text addresses (six UN languages), with the best target and the evidence."""

from __future__ import annotations

import sys
import warnings
from pathlib import Path
from typing import Optional

import pandas as pd
import typer
from rich.console import Console

from ..errors import UserInputError
from ..registries import TAGGING_METHODS
from ..vocabulary import TAGGING_AUTO_HELP, TaggingWarning
from ._common import FormatOption, OutputFormat, OutputOption, emit

TagMethod = TAGGING_METHODS.enum("TagMethod", extra=tuple(TAGGING_AUTO_HELP))
METHOD_HELP = f"{TAGGING_METHODS.help(extra=TAGGING_AUTO_HELP)}."


# Files read as one text each; any other --input is a CSV of texts.
TEXT_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm")
_LINE = "\0line"  # the physical line of each CSV row: a name no header holds


def _read_input(path: Path, column: str, id_column: Optional[str]) -> tuple[list[str], list[str], list[str]]:
    """Texts, their ids and their labels: a text file (.txt, .md, .html) is one text; a CSV file
    one text per row, labelled 'FILE, line N' by the row's physical line (a quoted cell may span
    lines: pasted HTML often does)."""
    from ..textfiles import read_csv, read_text

    if path.suffix.lower() in TEXT_SUFFIXES:
        return [read_text(path, "--input")], [path.name], [str(path)]
    frame = read_csv(path, "--input", line_column=_LINE)
    for name in (column, id_column):
        if name is not None and name not in frame.columns:
            have = ", ".join(str(c) for c in frame.columns if c != _LINE) or "none"
            raise UserInputError(f"{path}: no column {name!r}; the columns are: {have}")
    lines = [f"{path}, line {n}" for n in frame[_LINE]]
    ids = frame[id_column].tolist() if id_column else [str(n + 1) for n in range(len(frame))]
    return frame[column].tolist(), ids, lines


def _read_stdin() -> str:
    data = sys.stdin.buffer.read()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        latin = data[exc.start : exc.start + 1].decode("latin-1")
        raise UserInputError(
            f"standard input, line {line}: not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}; "
            f"in Latin-1 it would be {latin!r}): convert it, e.g. iconv -f latin1 -t utf-8"
        ) from None


def tag(
    text: Optional[str] = typer.Argument(None, help="The text to tag ('-' reads standard input)."),
    input_file: Optional[Path] = typer.Option(
        None, "--input", "-i", help="A CSV file with one text per row, or a .txt, .md or .html file as one text."
    ),
    text_column: str = typer.Option("text", "--text-column", help="Column of --input holding the texts."),
    id_column: Optional[str] = typer.Option(
        None, "--id-column", help="Column of --input identifying each row (default: row number)."
    ),
    method: TagMethod = typer.Option("auto", "--method", "-m", help=METHOD_HELP),
    max_goals: int = typer.Option(3, "--max-goals", help="At most this many SDGs per text."),
    threshold: Optional[float] = typer.Option(
        None, "--threshold", help="Probability an SDG needs (default: the calibrated one)."
    ),
    fmt: OutputFormat = FormatOption,
    output: Optional[Path] = OutputOption,
) -> None:
    """Tag text with the SDGs it addresses: per SDG the best target, a probability and the evidence
    (matched Aurora query lines, closest goal and target texts with their similarity)."""
    from ..workspace import Workspace

    if (text is None) == (input_file is None):
        raise UserInputError("give either a TEXT or --input FILE.csv (not both)")
    if input_file is not None:
        texts, ids, labels = _read_input(input_file, text_column, id_column)
        if not texts:
            raise UserInputError(f"{input_file}: no rows to tag")
    else:
        if text == "-":
            text = _read_stdin()
        elif text.strip() and not any(c.isspace() for c in text.strip()) and Path(text).is_file():
            raise UserInputError(
                f"{text!r} is the name of a file, and TEXT is the text itself: to tag the file's text, "
                f"give --input {text}"
            )
        if not text.strip():
            raise UserInputError("the text is empty: give some text to tag")
        texts, ids, labels = [text], ["1"], ["the text"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", TaggingWarning)  # printed below, once, in plain words
        tags = Workspace.tag(texts, method=method.value, max_goals=max_goals, threshold=threshold, labels=labels).table
    err = Console(stderr=True)
    for message in tags.attrs["warnings"]:
        err.print(f"[yellow]warning:[/] {message}", highlight=False)
    if len(texts) == 1 and tags.attrs["warnings"] and not texts[0].strip():
        raise UserInputError(tags.attrs["warnings"][0])
    frame = _output_frame(tags, ids)
    thresholds = sorted(set(tags.attrs["thresholds"].values()))
    threshold = (
        f"threshold {thresholds[0]:g}"
        if len(thresholds) == 1
        else "thresholds " + ", ".join(f"{t:g} ({r})" for r, t in tags.attrs["thresholds"].items())
    )
    params = (
        f"method {tags.attrs['method']}"
        + (f" ({tags.attrs['model']})" if tags.attrs["model"] else "")
        + f", {threshold}, at most {tags.attrs['max_goals']} SDGs per text"
    )
    if fmt == OutputFormat.table:
        if input_file is None:
            frame = frame.drop(columns=["id"])
        frame = frame.astype(object).where(frame.notna(), "")
        emit(frame.drop(columns=["method"]), fmt, output, title=f"SDG tags: {params}")
        err.print(
            "probability: calibrated on expert judgements (docs/methods/tagging.md); evidence: Aurora SDG "
            "query lines matched (query TARGET#LINE: passage), then the closest goal or target texts "
            "(TARGET (similarity) wording)",
            highlight=False,
        )
    else:
        emit(frame, fmt, output)


def _output_frame(tags: pd.DataFrame, ids: list[str]) -> pd.DataFrame:
    """One row per text and SDG; a text with no SDG gets one row with an empty sdg and the reason
    (language not read, too short, closest goal below the threshold ...)."""
    tagged = tags.assign(id=[ids[i] for i in tags["text_id"]])
    untagged = pd.DataFrame(tags.attrs["untagged"], columns=["text_id", "message"])
    blank = pd.DataFrame(
        {
            "text_id": untagged["text_id"].astype(int),
            "id": [ids[i] for i in untagged["text_id"]],
            "evidence": "(" + untagged["message"] + ")",
        }
    )
    out = pd.concat([tagged, blank], ignore_index=True).sort_values(["text_id"], kind="stable")
    out["sdg"] = out["goal"].astype("Int64")
    out["method"] = tags.attrs["method"]
    out["probability"] = out["probability"].round(3)
    out["similarity"] = out["similarity"].round(3)
    out["keyword_lines"] = out["keyword_lines"].astype("Int64")
    columns = ["id", "sdg", "target", "probability", "similarity", "keyword_lines", "evidence", "method"]
    return out[columns].reset_index(drop=True)


def register(app: typer.Typer) -> None:
    app.command("tag")(tag)
