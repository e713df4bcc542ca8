"""`sdgtrack areas list|add`: countries, regions, groups and custom areas."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from ..plurals import count
from ..vocabulary import CUSTOM_AREA_KINDS
from ._common import DbOption, FormatOption, OutputFormat, OutputOption, choices, console, emit, open_db

CustomKind = choices("CustomKind", CUSTOM_AREA_KINDS)

areas_app = typer.Typer(
    help="Areas: M49 countries and regions, UN groups, SDG regions, custom areas.", no_args_is_help=True
)


@areas_app.command("list")
def list_(
    group: Optional[str] = typer.Option(
        None, help="Members of a group or region: LDC, LLDC, SIDS, an M49 region code or name (e.g. 747, Africa)."
    ),
    kind: Optional[str] = typer.Option(None, help="country, region, subregion, sdg_region, group, city ..."),
    fmt: OutputFormat = FormatOption,
    output: Optional[Path] = OutputOption,
    db: Optional[Path] = DbOption,
) -> None:
    """List areas."""
    with open_db(db, read_only=True, reference_only=True) as database:
        frame = database.areas(group=group, kind=kind)
    emit(frame, fmt, output, title=count(len(frame), "area") + (f" in {group}" if group else ""))


@areas_app.command("add")
def add(
    code: str = typer.Argument(..., help="New area code, e.g. RW-01 or CITY-GVA"),
    name: str = typer.Argument(..., help="Area name"),
    parent: Optional[str] = typer.Option(None, help="Parent area (code, ISO code or name)."),
    kind: CustomKind = typer.Option("custom", help="Kind of area."),
    db: Optional[Path] = DbOption,
) -> None:
    """Add a custom area such as a city or a province (its code and name must be new: no area
    may answer to them already)."""
    with open_db(db) as database:
        areas = database.areas()
        before = areas[areas["code"] == code.strip()]
        database.add_area(code, name, parent, kind.value)
    under = f" under {parent}" if parent else ""
    if before.empty:
        console.print(f"added {kind.value} {code} ({name}){under}", highlight=False, markup=False)
    else:
        old = before.iloc[0]
        console.print(
            f"{code} already exists ({old['kind']} {old['name']!r}); now {kind.value} {name!r}{under}",
            highlight=False,
            markup=False,
        )


def register(app: typer.Typer) -> None:
    app.add_typer(areas_app, name="areas")
