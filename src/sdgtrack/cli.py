"""The command line: a thin face over the services.

Commands live in ``sdgtrack.commands``: each module there has ``register(app)`` and is found
automatically, so adding a command never means editing this file. User errors end in one
clear message and exit status 1, never a traceback.
"""
from __future__ import annotations

import importlib
import pkgutil
import sys

import typer
from rich.console import Console

from .errors import InvalidInputError, SdgtrackError

app = typer.Typer(
    name="sdgtrack",
    help="Follow-up and review of the 2030 Agenda: SDG framework, indicator data, progress and more.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


def _register_commands() -> None:
    from . import commands

    for mod in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        if mod.name.startswith("_"):
            continue
        module = importlib.import_module(f"{commands.__name__}.{mod.name}")
        module.register(app)


_register_commands()


def main() -> None:
    err = Console(stderr=True, soft_wrap=True)  # messages stay one line each: easy to copy and grep
    try:
        app()
    except InvalidInputError as exc:
        err.print("[bold red]error:[/] invalid input", highlight=False)
        for line in exc.summary().splitlines():
            err.print(f"  {line}", highlight=False, markup=False)
        if getattr(exc, "hint", None):
            err.print(f"hint: {exc.hint}", highlight=False, markup=False)
        sys.exit(1)
    except SdgtrackError as exc:
        err.print("[bold red]error:[/] ", end="", highlight=False)
        err.print(str(exc), highlight=False, markup=False)
        sys.exit(1)


if __name__ == "__main__":
    main()
