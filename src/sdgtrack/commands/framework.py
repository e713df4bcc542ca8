"""`sdgtrack framework show|list`: the SDG goals, targets and indicators."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from ..frameworks import sdg
from ..frameworks.reference import LANGUAGES
from ._common import DbOption, FormatOption, OutputFormat, OutputOption, choices, console, emit, open_db, value_of

Language = choices("Language", LANGUAGES)
Level = choices("Level", ("goal", "target", "indicator"))

framework_app = typer.Typer(help="The SDG global indicator framework (2025 revision).", no_args_is_help=True)


@framework_app.command("show")
def show(code: str = typer.Argument(..., help="Goal, target or indicator code, e.g. 3, 3.2, 3.2.1"),
         lang: Optional[Language] = typer.Option(None, help="Only this translation."),
         fmt: OutputFormat = FormatOption, db: Optional[Path] = DbOption) -> None:
    """Title, parents, children, series and translations of one node."""
    with open_db(db, read_only=True, reference_only=True) as database:
        node = sdg.node(database.con, code)
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
            console.print(f"  {s['code']}  {s['description']}  [{s['unit']}]  {s['observations']:,} observations",
                          highlight=False, markup=False)
    console.print("\n[bold]Translations[/] (2020-era official titles, before the 2025 review)")
    for t in node["translations"]:
        console.print(f"  {t['lang']:<8}{t['kind']:<6}{t['title']}", highlight=False, markup=False)
    if node["missing_languages"]:
        console.print(f"  no title in: {', '.join(node['missing_languages'])} (not in the 2020 lists)", highlight=False)
    if node["translation_is_older_text"]:
        console.print("  note: the 2020 English title differs from the current 2025 text above", highlight=False)


@framework_app.command("list")
def list_(level: Optional[Level] = typer.Option(None, help="Only this level (default: all)."),
          parent: Optional[str] = typer.Option(None, help="Only nodes under this goal or target."),
          include_retired: bool = typer.Option(False, help="Also list indicators the 2025 review removed."),
          fmt: OutputFormat = FormatOption, output: Optional[Path] = OutputOption,
          db: Optional[Path] = DbOption) -> None:
    """List goals, targets or indicators."""
    with open_db(db, read_only=True, reference_only=True) as database:
        frame = sdg.list_nodes(database.con, level=value_of(level), parent=parent, include_retired=include_retired)
    emit(frame, fmt, output, title=f"SDG framework: {value_of(level) or 'all levels'}")


def register(app: typer.Typer) -> None:
    app.add_typer(framework_app, name="framework")
