"""How ``sdgtrack --help`` reads: commands in panels, in the order a user meets them, and flags
without a type label.

Typer lists commands in the order their modules happened to register them (``upgrade`` came
third) and labels every option with its Python type, so a flag such as ``--compare`` showed
``<bool>`` although it takes no value. Both are fixed here, once, for every command and group.
"""

from __future__ import annotations

from typing import Any

import typer
from typer.core import TyperCommand, TyperGroup

# Every top-level command, in the panel and order the root help shows it. A command missing here
# fails tests/test_cli_help.py, so a new command is placed on purpose, not appended by accident.
PANELS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Data", ("ingest", "validate", "data", "history", "metadata", "datasets", "areas", "framework")),
    ("Analyses", ("progress", "headline", "index", "links", "tag", "city", "contributions", "cluster")),
    ("Publish", ("site", "serve", "report", "export")),
    ("Live app", ("users", "tokens", "audit")),
    ("Set-up", ("demo", "upgrade")),
)
ORDER = [name for _, names in PANELS for name in names]
PANEL_OF = {name: panel for panel, names in PANELS for name in names}


def _tidy(params: list[Any]) -> list[Any]:
    """Flags take no value, so they show no type (``metavar`` "" is what Typer prints)."""
    for param in params:
        if getattr(param, "is_flag", False) and param.metavar is None:
            param.metavar = ""
    return params


class TidyCommand(TyperCommand):
    def get_params(self, ctx: Any) -> list[Any]:
        return _tidy(super().get_params(ctx))


class TidyGroup(TyperGroup):
    def get_params(self, ctx: Any) -> list[Any]:
        return _tidy(super().get_params(ctx))


class RootGroup(TidyGroup):
    """The root: top-level commands in :data:`ORDER`, each in its panel."""

    def list_commands(self, ctx: Any) -> list[str]:
        names = super().list_commands(ctx)
        rank = {name: n for n, name in enumerate(ORDER)}
        return sorted(names, key=lambda name: (rank.get(name, len(rank)), name))

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        command = super().get_command(ctx, cmd_name)
        if command is not None and cmd_name in PANEL_OF:
            command.rich_help_panel = PANEL_OF[cmd_name]  # type: ignore[attr-defined]
        return command


def tidy_app(app: typer.Typer) -> None:
    """Give every registered command and group of ``app`` (recursively) the tidy classes."""
    for command in app.registered_commands:
        if command.cls in (None, TyperCommand):  # Typer's default; a command's own class stays
            command.cls = TidyCommand
        if command.name in PANEL_OF:
            command.rich_help_panel = PANEL_OF[command.name]
    for group in app.registered_groups:
        sub = group.typer_instance
        if sub is None:
            continue
        if group.name in PANEL_OF:
            group.rich_help_panel = PANEL_OF[group.name]
        if not isinstance(sub.info.cls, type) or sub.info.cls is TyperGroup:
            sub.info.cls = TidyGroup
        tidy_app(sub)
