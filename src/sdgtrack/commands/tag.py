"""`sdgtrack tag`: the SDGs a free text addresses (six UN languages), with the best target and the evidence."""

from __future__ import annotations

import io
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
    if path.suffix.lower() == ".xlsx":
        return _read_workbook(path, column, id_column)
    frame = read_csv(path, "--input", line_column=_LINE)
    for name in (column, id_column):
        if name is not None and name not in frame.columns:
            have = ", ".join(str(c) for c in frame.columns if c != _LINE) or "none"
            raise UserInputError(f"{path}: no column {name!r}; the columns are: {have}")
    lines = [f"{path}, line {n}" for n in frame[_LINE]]
    ids = frame[id_column].tolist() if id_column else [str(n + 1) for n in range(len(frame))]
    return frame[column].tolist(), ids, lines


def _read_workbook(path: Path, column: str, id_column: Optional[str]) -> tuple[list[str], list[str], list[str]]:
    """The first sheet of an Excel workbook: its first row names the columns; each text is labelled
    by its cell ('FILE, cell B7'). The workbook is checked for size before it is read."""
    import openpyxl

    from ..workbooks import check_workbook, column_letters

    if not path.is_file():
        raise UserInputError(f"--input {path}: no such file" if not path.is_dir() else f"--input {path}: is a folder")
    data = path.read_bytes()
    check_workbook(str(path), data)
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise UserInputError(f"--input {path}: not a readable Excel workbook ({exc}); expected an .xlsx file") from None
    sheet = book.worksheets[0]
    rows = [
        (n, row)
        for n, row in enumerate(sheet.iter_rows(values_only=True), start=1)
        if any(v is not None and str(v).strip() for v in row)
    ]
    book.close()
    if not rows:
        raise UserInputError(
            f"--input {path}: sheet {sheet.title!r} is empty; expected a header row naming the columns"
        )
    header = ["" if v is None else str(v).strip() for v in rows[0][1]]
    for name in (column, id_column):
        if name is not None and name not in header:
            have = ", ".join(h for h in header if h) or "none"
            raise UserInputError(
                f"--input {path}, sheet {sheet.title!r}: no column {name!r} in row {rows[0][0]}; "
                f"the columns are: {have}"
            )
    at = header.index(column)
    id_at = header.index(id_column) if id_column else None
    body = rows[1:]

    def cell(row: tuple, i: int | None):
        value = row[i] if i is not None and i < len(row) else None
        return "" if value is None else value if isinstance(value, str) else str(value)

    texts = [row[at] if at < len(row) else None for _, row in body]  # a number stays a number: not text
    ids = [cell(row, id_at) for _, row in body] if id_column else [str(k + 1) for k in range(len(body))]
    labels = [f"{path}, cell {column_letters(at + 1)}{n}" for n, _ in body]
    return texts, ids, labels


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
        None,
        "--input",
        "-i",
        help="A CSV or Excel (.xlsx, first sheet) file with one text per row, or a .txt, .md or .html file as one text.",
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
    if input_file is None and tags.attrs["warnings"] and not texts[0].strip():
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
