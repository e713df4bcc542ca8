"""`sdgtrack framework show|list|crosswalk`: the SDG framework, U4SSC KPIs, WSIS action lines and their links."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from ..plurals import count
from ..vocabulary import LANGUAGES
from ._common import DbOption, FormatOption, OutputFormat, OutputOption, choices, console, emit, open_db, value_of

Language = choices("Language", LANGUAGES)
Framework = choices("Framework", ("sdg", "u4ssc", "wsis"))

framework_app = typer.Typer(
    help="The SDG global indicator framework (2025 revision), U4SSC KPIs, WSIS action "
    "lines and the crosswalks between them.",
    no_args_is_help=True,
)
crosswalk_app = typer.Typer(
    help="Links between frameworks (U4SSC KPI -> SDG, WSIS action line -> SDG ...).", no_args_is_help=True
)
framework_app.add_typer(crosswalk_app, name="crosswalk")


@framework_app.command("show")
def show(
    code: str = typer.Argument(
        ...,
        help="SDG goal, target or indicator (3, 3.2, 3.2.1), U4SSC KPI "
        "(EC.ICT.ICT.1C) or WSIS action line (C4, C7.e-health)",
    ),
    lang: Optional[Language] = typer.Option(None, help="Only this translation."),
    fmt: OutputFormat = FormatOption,
    db: Optional[Path] = DbOption,
) -> None:
    """Title, parents, children, series, translations and crosswalk links of one node."""
    with open_db(db, read_only=True, reference_only=True) as workspace:
        node = workspace.framework_node(code)
    if node["framework"] != "sdg":
        _show_other(node, fmt)
        return
    if lang:
        node["translations"] = [t for t in node["translations"] if t["lang"] == lang.value]
    if fmt == OutputFormat.json:
        import json

        print(json.dumps(node, ensure_ascii=False, indent=1, default=str))
        return
    status = "" if node["status"] == "current" else " [retired: not in the 2025 framework]"
    console.print(f"[bold]{node['level'].capitalize()} {node['code']}[/]{status}", highlight=False)
    console.print(node["title"], highlight=False)
    if node["unsd_code"]:
        console.print(f"UNSD code: {node['unsd_code']}", highlight=False)
    for a in node["ancestors"]:
        console.print(f"  {a['level']} {a['code']}: {a['title']}", highlight=False)
    if node["children"]:
        console.print(f"\n[bold]{len(node['children'])} children[/]")
        for c in node["children"]:
            console.print(f"  {c['code']}  {c['title']}", highlight=False)
    if node["level"] == "indicator":
        console.print(f"\n[bold]Series[/] ({len(node['series'])})")
        for s in node["series"]:
            console.print(
                f"  {s['code']}  {s['description']}  [{s['unit']}]  {count(s['observations'], 'observation')}",
                highlight=False,
                markup=False,
            )
    console.print("\n[bold]Translations[/] (2020-era official titles, before the 2025 review)")
    for t in node["translations"]:
        console.print(f"  {t['lang']:<8}{t['kind']:<6}{t['title']}", highlight=False, markup=False)
    if node["missing_languages"]:
        console.print(f"  no title in: {', '.join(node['missing_languages'])} (not in the 2020 lists)", highlight=False)
    if node["translation_is_older_text"]:
        console.print("  note: the 2020 English title differs from the current 2025 text above", highlight=False)
    _print_links(node["links"])


def _show_other(node: dict, fmt: OutputFormat) -> None:
    """A node of a framework beside the SDGs (U4SSC, WSIS): its place in the tree and its links."""
    framework = node["framework"]
    if fmt == OutputFormat.json:
        import json

        keep = ("framework", "code", "level", "parent", "title", "ancestors", "children", "links")
        print(json.dumps({k: node[k] for k in keep}, ensure_ascii=False, indent=1, default=str))
        return
    console.print(f"[bold]{framework.upper()} {node['level'].replace('_', ' ')} {node['code']}[/]", highlight=False)
    console.print(node["title"], highlight=False, markup=False)
    for a in node["ancestors"]:
        console.print(f"  {a['level'].replace('_', ' ')} {a['code']}: {a['title']}", highlight=False, markup=False)
    if node["children"]:
        console.print(f"\n[bold]{len(node['children'])} children[/]")
        for c in node["children"]:
            console.print(f"  {c['code']}  {c['title']}", highlight=False, markup=False)
    _print_links(node["links"])


def _print_links(links: list[dict]) -> None:
    console.print(f"\n[bold]Crosswalk links[/] ({len(links)})")
    if not links:
        console.print("  none (load a matrix with `sdgtrack framework crosswalk import FILE.csv`)", highlight=False)
    for link in links:
        arrow = "->" if link["direction"] == "to" else "<-"
        console.print(
            f"  {arrow} {link['framework']} {link['code']}  {link['title'] or ''}  "
            f"[{link['relation']}; {link['source'] or 'no source'}]",
            highlight=False,
            markup=False,
        )


@crosswalk_app.command("import")
def crosswalk_import(
    file: Path = typer.Argument(..., help="CSV: from_framework, from_code, to_framework, to_code, relation, source"),
    db: Optional[Path] = DbOption,
) -> None:
    """Load links between frameworks (e.g. the WSIS-SDG matrix an office uses); re-loading adds nothing."""
    with open_db(db) as workspace:
        counts = workspace.import_crosswalk(file)
    console.print(
        f"{file}: {counts['rows']} links read, {counts['new']} new, {counts['unchanged']} already there",
        highlight=False,
    )


@crosswalk_app.command("count")
def crosswalk_count(
    framework: str = typer.Argument("wsis", help="The framework whose nodes are counted (wsis)."),
    of: str = typer.Option("contributions", "--of", help="contributions or u4ssc (city KPIs)."),
    fmt: OutputFormat = FormatOption,
    output: Optional[Path] = OutputOption,
    db: Optional[Path] = DbOption,
) -> None:
    """Contributions or U4SSC KPIs per node (e.g. per WSIS action line) through the nodes' SDG links."""
    with open_db(db) as workspace:
        frame = workspace.crosswalk_counts(framework, of=of)
    emit(frame, fmt, output, title=f"{of} per {framework} node (through SDG links, by goal)")


@crosswalk_app.command("list")
def crosswalk_list(
    from_framework: Optional[str] = typer.Option(None, "--from", help="u4ssc, wsis, sdg ..."),
    to_framework: Optional[str] = typer.Option(None, "--to"),
    fmt: OutputFormat = FormatOption,
    output: Optional[Path] = OutputOption,
    db: Optional[Path] = DbOption,
) -> None:
    """The links in the store."""
    with open_db(db) as workspace:
        frame = workspace.crosswalk_links(from_framework, to_framework)
    emit(frame, fmt, output, title="Crosswalk links")


@framework_app.command("list")
def list_(
    level: Optional[str] = typer.Option(
        None,
        help="goal, target or indicator (u4ssc: dimension, "
        "sub_dimension, category, kpi, data_point; wsis: action_line, e_application)",
    ),
    framework: Framework = typer.Option(Framework("sdg"), "--framework", help="Which framework."),
    parent: Optional[str] = typer.Option(None, help="Only nodes under this goal or target."),
    include_retired: bool = typer.Option(False, help="Also list indicators the 2025 review removed."),
    fmt: OutputFormat = FormatOption,
    output: Optional[Path] = OutputOption,
    db: Optional[Path] = DbOption,
) -> None:
    """List the nodes of a framework: SDG goals, targets, indicators (default), U4SSC or WSIS."""
    with open_db(db, read_only=True, reference_only=True) as workspace:
        frame = workspace.framework_nodes(
            level=level, parent=parent, framework=value_of(framework), include_retired=include_retired
        )
    emit(frame, fmt, output, title=f"{value_of(framework).upper()} framework: {level or 'all levels'}")


def register(app: typer.Typer) -> None:
    app.add_typer(framework_app, name="framework")
