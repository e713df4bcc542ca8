"""How ``sdgtrack`` finds its commands and how ``sdgtrack --help`` reads: commands in panels, in
the order a user meets them, each module imported only when one of its commands runs, and flags
without a type label.

Typer lists commands in the order their modules happened to register them (``upgrade`` came
third) and labels every option with its Python type, so a flag such as ``--compare`` showed
``<bool>`` although it takes no value. Both are fixed here, once, for every command and group.

Importing every command module to build the root cost about 2.5 CPU seconds (pandas, Altair, the
web app, the tagger ...) before any command ran, ``--version`` included. The root now knows each
command from :data:`COMMANDS` alone and imports a module when one of its commands is asked for;
its help is drawn from the table. ``tests/test_cli_help.py`` fails when the table and the modules
disagree.
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Iterator, MutableMapping
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

# Every top-level command: the module of ``sdgtrack.commands`` whose ``register(app)`` adds it, and
# the first paragraph of its help exactly as the command has it (the root's help shows this line
# without importing the module). tests/test_cli_help.py compares both with the modules.
COMMANDS: dict[str, tuple[str, str]] = {
    "ingest": (
        "ingest",
        "Load indicator data (UN Global Database, Open SDG, SDMX-ML, tidy CSV/Excel, SDR) into one dataset.",
    ),
    "validate": ("ingest", "Check files as `ingest` would, without loading anything."),
    "data": (
        "data",
        "Show observations (headline totals unless --all-disaggregations), one dataset per series and area.",
    ),
    "history": ("data", "Every version of the values of a code: current, updated or removed, when and by whom."),
    "metadata": (
        "metadata",
        "Show an indicator's national metadata: definition, calculation, units, notes, sources ... as\n"
        "the Open SDG repositories loaded with `sdgtrack ingest` wrote them, per dataset.",
    ),
    "datasets": (
        "datasets",
        "Datasets: one source's collection of observations (UN database, national repository ...).",
    ),
    "areas": ("areas", "Areas: M49 countries and regions, UN groups, SDG regions, custom areas."),
    "framework": (
        "framework",
        "The SDG global indicator framework (2025 revision), U4SSC KPIs, WSIS action lines and the crosswalks "
        "between them.",
    ),
    "progress": ("progress", "Progress toward the 2030 targets (methods: unsd, eurostat, statcan)."),
    "headline": (
        "headline",
        "List each indicator's headline series and the step of the rule that chose it: the series with\n"
        "the 2030 target, the source's default selection, the series matching the title, most observations\n"
        '(docs/site.md, "The headline series").',
    ),
    "index": (
        "index",
        "SDG Index, goal scores, dashboard colours and trends (SDSN Sustainable Development Report method; "
        "kept in the store).",
    ),
    "links": ("links", "Interlinkages: synergies and trade-offs between series, targets and goals."),
    "tag": (
        "tag",
        "Tag text with the SDGs it addresses: per SDG the best target, a probability and the evidence\n"
        "(matched Aurora query lines, closest goal and target texts with their similarity).",
    ),
    "city": ("city", "U4SSC KPIs for smart sustainable cities: collection, scoring, report, comparison."),
    "contributions": (
        "contributions",
        "Contributions registry: questionnaire answers of UN entities as records tied to SDGs.",
    ),
    "cluster": (
        "cluster",
        "The analyses that grow with areas x series (interlinkages, progress) on a Dask cluster.",
    ),
    "site": ("site", "The reporting website: build it from the store as static files, serve a built one."),
    "serve": ("serve", "Serve the site's pages, the JSON/CSV API (/docs) and the forms at http://HOST:PORT."),
    "report": ("report", "Reports made from the store: the VNR statistical annex."),
    "export": ("export", "Export data in exchange formats (SDMX, Parquet)."),
    "users": (
        "users",
        "Accounts of the live app: editors (one entity's data and records), reviewers (approve or reject), admins.",
    ),
    "tokens": ("users", "API tokens for scripts (Authorization: Bearer TOKEN); shown once, stored hashed."),
    "audit": ("users", "The audit log: every write through the live app and the account commands."),
    "demo": ("demo", "The demo database (a real subset of the UN SDG Global Database)."),
    "upgrade": (
        "data",
        "Bring a store written by an earlier sdgtrack to this release's schema (every observation kept).",
    ),
}
PACKAGE = "sdgtrack.commands"


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


@functools.cache
def module_commands(module: str, **settings: Any) -> dict[str, Any]:
    """The Click commands that ``sdgtrack.commands.<module>`` registers, tidied, by name.
    ``settings``: the root's Typer settings the commands inherit (rich_markup_mode ...). Made once
    per process, as when every module registered at import: a command's choices are the registries'
    members of that moment."""
    app = typer.Typer(**settings)
    importlib.import_module(f"{PACKAGE}.{module}").register(app)
    tidy_app(app)
    return dict(typer.main.get_group(app).commands)


class LazyCommands(MutableMapping[str, Any]):
    """The root's commands by name: every name of :data:`COMMANDS` from the start, a command itself
    made when first looked up, with the others of its module. Click and Typer only read a group's
    ``commands`` as a mapping (lookup, names for "Did you mean ...?"), so they see every command."""

    def __init__(self, settings: dict[str, Any]) -> None:
        self._settings = settings
        self._made: dict[str, Any] = {}

    def made(self, name: str) -> bool:
        return name in self._made

    def __getitem__(self, name: str) -> Any:
        if name not in self._made and name in COMMANDS:
            self._made.update(module_commands(COMMANDS[name][0], **self._settings))
        return self._made[name]

    def __setitem__(self, name: str, command: Any) -> None:
        self._made[name] = command

    def __delitem__(self, name: str) -> None:
        del self._made[name]

    def __iter__(self) -> Iterator[str]:
        yield from COMMANDS
        yield from (name for name in self._made if name not in COMMANDS)

    def __len__(self) -> int:
        return len(COMMANDS) + sum(name not in COMMANDS for name in self._made)

    def __contains__(self, name: object) -> bool:
        return name in COMMANDS or name in self._made


class RootGroup(TidyGroup):
    """The root: top-level commands in :data:`ORDER`, each in its panel, each module imported when
    one of its commands runs (or shows its own help)."""

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        given = dict(self.commands)  # commands registered on the root app itself, if any
        settings = {"rich_markup_mode": self.rich_markup_mode, "suggest_commands": self.suggest_commands}
        self.commands = LazyCommands(settings)
        self.commands.update(given)
        self._listing = False

    def list_commands(self, ctx: Any) -> list[str]:
        names = list(self.commands)  # the names only: Typer's own reads every command (.items())
        rank = {name: n for n, name in enumerate(ORDER)}
        return sorted(names, key=lambda name: (rank.get(name, len(rank)), name))

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        commands = self.commands
        lazy = isinstance(commands, LazyCommands) and not commands.made(cmd_name) and cmd_name in COMMANDS
        if lazy and self._listing:  # the root's help needs only the line of the table
            return TyperCommand(cmd_name, help=COMMANDS[cmd_name][1], rich_help_panel=PANEL_OF.get(cmd_name))
        command = super().get_command(ctx, cmd_name)
        if command is not None and cmd_name in PANEL_OF:
            command.rich_help_panel = PANEL_OF[cmd_name]  # type: ignore[attr-defined]
        return command

    def format_help(self, ctx: Any, formatter: Any) -> None:
        self._listing = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self._listing = False


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
