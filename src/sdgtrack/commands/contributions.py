"""`sdgtrack contributions import|list|show|coverage|export|submissions|status|correct|history|infer|review`:
the registry of UN-system contributions to the SDGs (questionnaire answers as records)."""

from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console

from ..plurals import count
from ..registries import TAGGING_METHODS
from ..vocabulary import CONTRIBUTION_FIELDS, CONTRIBUTION_KINDS, CONTRIBUTION_STATUSES, TAGGING_AUTO_HELP
from ._common import (
    DbOption,
    FormatOption,
    OutputFormat,
    OutputOption,
    choices,
    console,
    emit,
    emit_result,
    open_db,
    value_of,
)

app = typer.Typer(
    help="Contributions registry: questionnaire answers of UN entities as records tied to SDGs.", no_args_is_help=True
)


class ImportFormat(str, Enum):
    text = "text"
    json = "json"
    csv = "csv"


class ExportFormat(str, Enum):
    json = "json"
    csv = "csv"


class By(str, Enum):
    entity = "entity"
    kind = "kind"
    year = "year"


Kind = choices("Kind", CONTRIBUTION_KINDS)
Status = choices("Status", CONTRIBUTION_STATUSES)
Field = choices("Field", CONTRIBUTION_FIELDS)
InferMethod = TAGGING_METHODS.enum("InferMethod", extra=tuple(TAGGING_AUTO_HELP))


class CoverageTable(str, Enum):
    per_sdg = "per-sdg"
    totals = "totals"
    cooccurrence = "cooccurrence"


class SdgSource(str, Enum):
    effective = "effective"
    declared = "declared"
    inferred = "inferred"


def _registry(workspace):

    return workspace.contributions


@app.command("import")
def import_(
    file: Path = typer.Argument(..., help="An answer as published (text), or a registry export (.json, .csv)."),
    entity: Optional[str] = typer.Option(None, help="Entity name, when the text does not say it (or to override)."),
    year: Optional[int] = typer.Option(None, help="Year of the answer, when the text does not say it."),
    status: Optional[Status] = typer.Option(
        None, help="Status of the answer (text answers are published by default; re-imports keep the stored status)."
    ),
    fmt: Optional[ImportFormat] = typer.Option(None, "--format", help="Input format (default: from the file name)."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Read and report; store nothing."),
    show_warnings: int = typer.Option(30, "--warnings", help="How many warnings to print."),
    db: Optional[Path] = DbOption,
) -> None:
    """Import a questionnaire answer; prints records per kind, duplicates and warnings. Idempotent."""
    with open_db(db) as database:
        reports = _registry(database).import_file(
            file, fmt=fmt.value if fmt else None, entity=entity, year=year, status=value_of(status), dry_run=dry_run
        )
    for r in reports:
        kinds = ", ".join(f"{n} {k}" for k, n in r.records.items() if n)
        verb = "would store" if r.dry_run else "stored"
        console.print(
            f"[bold]{r.submission}[/] ({r.entity}, {r.year}, {r.status}) from {r.source}: "
            f"{verb} {count(sum(r.records.values()), 'record')}: {kinds or 'none'}",
            highlight=False,
        )
        console.print(
            f"  {r.new} new, {r.updated} updated, {r.unchanged} unchanged, {r.removed} removed"
            + (f" ({r.kept_corrected} corrected records kept)" if r.kept_corrected else "")
            + ("" if r.changed or r.dry_run else ": nothing changed"),
            highlight=False,
        )
        for d in r.duplicates:
            console.print(f"  repeated entry stored once: {d}", highlight=False, markup=False)
        if r.warnings:
            console.print(f"  {len(r.warnings)} warning(s):", highlight=False)
            for w in r.warnings[:show_warnings]:
                console.print(f"    - {w}", highlight=False, markup=False)
            if len(r.warnings) > show_warnings:
                console.print(f"    ... {len(r.warnings) - show_warnings} more (--warnings N)", highlight=False)


LIST_COLUMNS = ["id", "entity", "year", "kind", "name", "sdgs", "start_date", "end_date", "countries", "warnings"]


@app.command("list")
def list_(
    entity: Optional[str] = typer.Option(None, help="Entity name or code (ITU)."),
    year: Optional[int] = typer.Option(None),
    kind: Optional[Kind] = typer.Option(None, help="Kind of record."),
    sdg: Optional[int] = typer.Option(None, min=1, max=17, help="Goal number 1-17 (declared, else inferred SDGs)."),
    query: Optional[str] = typer.Option(None, "--query", "-q", help="Words to find in names and descriptions."),
    status: Optional[Status] = typer.Option(None, help="Status of the submission."),
    fmt: OutputFormat = FormatOption,
    output: Optional[Path] = OutputOption,
    db: Optional[Path] = DbOption,
) -> None:
    """List records (search with --query; all words must occur; best matches first)."""
    with open_db(db, read_only=True) as database:
        frame = _registry(database).records(
            entity=entity, year=year, kind=value_of(kind), sdg=sdg, query=query, status=value_of(status)
        )
    if fmt != OutputFormat.json:  # JSON keeps the lists; a table or CSV cell shows them as text
        frame = frame.assign(
            sdgs=frame["sdgs"].map(_goals_text),
            countries=frame["countries"].map(", ".join),
            websites=frame["websites"].map(" ".join),
        )
    if fmt == OutputFormat.table:
        frame = frame[LIST_COLUMNS]
    emit(frame, fmt, output, title=f"{len(frame)} contribution records")


def _goals_text(goals) -> str:
    return "all" if len(goals) == 17 else ", ".join(str(g) for g in goals)


@app.command("show")
def show(
    record: str = typer.Argument(..., help="Record id (see `contributions list`)."), db: Optional[Path] = DbOption
) -> None:
    """Show one record in full (JSON), with its verbatim text."""
    with open_db(db, read_only=True) as database:
        rec = _registry(database).record(record)
    sys.stdout.write(json.dumps(rec.model_dump(mode="json"), ensure_ascii=False, indent=1) + "\n")


@app.command("coverage")
def coverage(
    by: By = typer.Option(By.entity, "--by", help="Rows of the table and the heatmap."),
    sdgs: SdgSource = typer.Option(
        SdgSource.effective, "--sdgs", help="effective = declared, else inferred; or declared / inferred only."
    ),
    include_all_goals: bool = typer.Option(
        False, "--include-all-goals", help="Count records naming all 17 goals in the co-occurrence."
    ),
    entity: Optional[str] = typer.Option(None),
    year: Optional[int] = typer.Option(None),
    kind: Optional[Kind] = typer.Option(None, help="Kind of record."),
    table: CoverageTable = typer.Option(
        CoverageTable.per_sdg, "--table", help="Table written with --format csv (json holds all three)."
    ),
    chart: Optional[Path] = typer.Option(None, "--chart", help="Write the heatmap: .svg, .png or .html."),
    fmt: OutputFormat = FormatOption,
    output: Optional[Path] = OutputOption,
    db: Optional[Path] = DbOption,
) -> None:
    """Records per SDG (by entity, kind or year), SDG co-occurrence, and a heatmap chart."""
    with open_db(db, read_only=True) as workspace:
        result = workspace.contributions.coverage(
            by=by.value,
            sdgs=sdgs.value,
            include_all_goals=include_all_goals,
            entity=entity,
            year=year,
            kind=value_of(kind),
        ).to_result()
    if chart is not None:
        result.write_chart("heatmap", chart)
    if fmt == OutputFormat.table:
        wide = result.tables["per_sdg"].pivot(index="group", columns="goal", values="records")
        wide.columns = [str(c) for c in wide.columns]
        console.print(result.describe(), highlight=False, markup=False)
        emit(wide.reset_index().rename(columns={"group": by.value}), fmt, title=f"Records per SDG by {by.value}")
        co = result.tables["cooccurrence"].pivot(index="goal_a", columns="goal_b", values="records")
        co.columns = [str(c) for c in co.columns]
        emit(co.reset_index().rename(columns={"goal_a": "SDG"}), fmt, title="SDGs named together (records)")
    else:  # json holds every table; csv the one asked for
        emit_result(result, fmt, output, table=None if fmt == OutputFormat.json else table.value.replace("-", "_"))
    if chart is not None:
        console.print(f"wrote chart {chart}", highlight=False)


@app.command("export")
def export(
    file: Optional[Path] = typer.Argument(None, help="Output file (default: standard output)."),
    fmt: Optional[ExportFormat] = typer.Option(
        None,
        "--format",
        "-f",
        help="json (whole submissions) or csv (one row per record); default from the file name, else json.",
    ),
    entity: Optional[str] = typer.Option(None),
    year: Optional[int] = typer.Option(None),
    db: Optional[Path] = DbOption,
) -> None:
    """Export the registry for exchange (import it back with `contributions import FILE`)."""
    if fmt is None:
        fmt = ExportFormat.csv if file is not None and file.suffix.lower() == ".csv" else ExportFormat.json
    with open_db(db, read_only=True) as database:
        _registry(database).export(file, fmt.value, entity=entity, year=year)
    if file is not None:
        console.print(f"wrote {file}", highlight=False)


@app.command("submissions")
def submissions(
    fmt: OutputFormat = FormatOption, output: Optional[Path] = OutputOption, db: Optional[Path] = DbOption
) -> None:
    """List submissions with their status and record counts."""
    with open_db(db, read_only=True) as database:
        frame = _registry(database).submissions()
    emit(frame, fmt, output, title=f"{len(frame)} submissions")


@app.command("status")
def status(
    submission: str = typer.Argument(..., help="Submission id (ITU/2023/2023) or entity name/code."),
    new_status: Status = typer.Argument(..., metavar="STATUS", help="draft, submitted or published"),
    year: Optional[int] = typer.Option(None, help="Year, when the entity has several submissions."),
    note: str = typer.Option("", help="Why (kept in the history)."),
    db: Optional[Path] = DbOption,
) -> None:
    """Move a submission along draft -> submitted -> published (or back: submitted -> draft, published -> submitted)."""
    with open_db(db) as database:
        reg = _registry(database)
        old = reg.set_status(submission, new_status.value, year=year, note=note)
        sid = reg.submission_id(submission, year)
    new = new_status.value
    console.print(f"{sid}: {old} -> {new}" if old != new else f"{sid} is already {old}", highlight=False)


@app.command("correct")
def correct(
    record: str = typer.Argument(..., help="Record id."),
    field: Field = typer.Argument(..., help="The field to correct."),
    value: str = typer.Argument(..., help="The corrected text (parsed like the imported field)."),
    note: str = typer.Option("", help="Why (kept in the history)."),
    db: Optional[Path] = DbOption,
) -> None:
    """Correct one field of a record; the verbatim text stays, the change is logged."""
    with open_db(db) as database:
        rec = _registry(database).correct(record, field.value, value, note=note)
    console.print(f"{record} {field.value}: {rec.field_text(field.value)}", highlight=False, markup=False)


@app.command("history")
def history(
    record: Optional[str] = typer.Argument(None, help="Record id (default: every change)."),
    fmt: OutputFormat = FormatOption,
    output: Optional[Path] = OutputOption,
    db: Optional[Path] = DbOption,
) -> None:
    """Corrections and status changes."""
    with open_db(db, read_only=True) as database:
        frame = _registry(database).changes(record)
    emit(frame, fmt, output, title=f"{len(frame)} changes")


@app.command("infer")
def infer(
    method: InferMethod = typer.Option(
        "auto", help=f"Tagging method: {TAGGING_METHODS.help(extra=TAGGING_AUTO_HELP)}."
    ),
    max_goals: int = typer.Option(3, "--max-goals", help="At most this many goals per record."),
    only_undeclared: bool = typer.Option(False, "--only-undeclared", help="Tag only records that declare no SDGs."),
    fmt: OutputFormat = FormatOption,
    output: Optional[Path] = OutputOption,
    db: Optional[Path] = DbOption,
) -> None:
    """Infer SDGs of records from their text (sdgtrack.tagging); stored as 'inferred' beside declared ones."""
    with open_db(db) as database:
        rows = _registry(database).infer_sdgs(method=method.value, max_goals=max_goals, only_undeclared=only_undeclared)
    a = rows.attrs
    emit(
        rows,
        fmt,
        output,
        title=f"{len(rows)} inferred goals for {a.get('n_records')} records "
        f"(method {a.get('method')}, threshold {a.get('threshold')}, "
        f"at most {a.get('max_goals')} goals)",
    )
    _report_untagged(a.get("untagged") or [])


def _report_untagged(untagged: list[dict], shown: int = 10) -> None:
    """On standard error: the records that got no SDG, each with the tagger's reason."""
    if not untagged:
        return
    err = Console(stderr=True)
    err.print(f"{count(len(untagged), 'record')} got no inferred SDG:", highlight=False)
    for u in untagged[:shown]:
        name = f" ({u['name']})" if u.get("name") else ""
        err.print(f"  record {u['record']}{name}: {u['message']}", highlight=False, soft_wrap=True)
    if len(untagged) > shown:
        err.print(f"  ... and {len(untagged) - shown} more", highlight=False)


@app.command("review")
def review(
    include_all_goals: bool = typer.Option(False, "--include-all-goals", help="Also records declaring all 17 goals."),
    fmt: OutputFormat = FormatOption,
    output: Optional[Path] = OutputOption,
    db: Optional[Path] = DbOption,
) -> None:
    """Records whose declared and inferred SDGs disagree (run `contributions infer` first)."""
    with open_db(db, read_only=True) as database:
        frame = _registry(database).review(include_all_goals=include_all_goals)
    if fmt == OutputFormat.table:
        frame = frame.drop(columns=["record", "year"])
    emit(
        frame,
        fmt,
        output,
        title=f"{len(frame)} records where declared and inferred SDGs disagree "
        "(agreement = shared goals / all goals of both)",
    )


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="contributions")
