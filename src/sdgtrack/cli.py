"""The command line: a thin face over the services.

Commands live in ``sdgtrack.commands``: each module there has ``register(app)``, and
``commands/_help.COMMANDS`` names the module of every command, so a run imports only the module
of the command it runs (``sdgtrack ingest`` never imports the web app, Altair or the tagger), and
adding a command never means editing this file. Whatever happens, a command
ends in one clear message and a non-zero exit status, never a traceback: user errors
(``SdgtrackError``) with exit status 1; database, operating-system, encoding and interrupt faults
are named by :func:`sdgtrack.errors.fault_message` (the store keeps its last committed state:
every write is one DuckDB transaction). ``SDGTRACK_DEBUG=1`` shows the traceback of a bug.
"""

from __future__ import annotations

import errno
import os
import sys
from typing import Optional, Sequence

import typer
from rich.console import Console

from . import __version__
from .commands._help import RootGroup
from .errors import InvalidInputError, SdgtrackError, fault_message

app = typer.Typer(
    name="sdgtrack",
    help="Follow-up and review of the 2030 Agenda: SDG framework, indicator data, progress and more.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    cls=RootGroup,
)

INTERRUPTED = 130  # the shell's convention for a command ended by Ctrl-C (128 + SIGINT)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"sdgtrack {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", help="Print the version and exit.", callback=_version, is_eager=True
    ),
) -> None:
    """Follow-up and review of the 2030 Agenda: SDG framework, indicator data, progress and more."""


def _undecodable_argument(args: Sequence[str]) -> Optional[str]:
    """A message for the first argument that was not UTF-8 on the command line, else None.

    Python keeps undecodable bytes as lone surrogates; passed on, they fail deep inside a library
    (the tokenizer, DuckDB) instead of here, where the argument can still be named."""
    for n, arg in enumerate(args, start=1):
        try:
            arg.encode("utf-8")
        except UnicodeEncodeError as exc:
            byte = ord(arg[exc.start]) - 0xDC00 if 0xDC80 <= ord(arg[exc.start]) <= 0xDCFF else None
            shown = f" (byte 0x{byte:02x} at character {exc.start + 1})" if byte is not None else ""
            return (
                f"argument {n} is not UTF-8 text{shown}; expected UTF-8 (set the terminal or the "
                "script to UTF-8, or pass the text with --input FILE.csv saved as UTF-8)"
            )
    return None


def run(args: Optional[Sequence[str]] = None) -> int:
    """Run the command line on ``args`` (default: ``sys.argv[1:]``); return the exit status.

    Prints results to standard output and every problem, as one message, to standard error."""
    err = Console(stderr=True, soft_wrap=True)  # messages stay one line each: easy to copy and grep
    args = list(sys.argv[1:] if args is None else args)

    def fail(message: str, status: int = 1) -> int:
        err.print("[bold red]error:[/] ", end="", highlight=False)
        err.print(message, highlight=False, markup=False)
        return status

    bad_argument = _undecodable_argument(args)
    if bad_argument:
        return fail(bad_argument)
    try:
        result = app(args, prog_name="sdgtrack", standalone_mode=False)
        if result == INTERRUPTED:  # Typer turns Ctrl-C into a silent exit status 130
            return fail("interrupted; nothing was changed by the unfinished command", INTERRUPTED)
        return result if isinstance(result, int) else 0
    except InvalidInputError as exc:
        err.print("[bold red]error:[/] invalid input", highlight=False)
        for line in exc.summary().splitlines():
            err.print(f"  {line}", highlight=False, markup=False)
        if getattr(exc, "hint", None):
            err.print(f"hint: {exc.hint}", highlight=False, markup=False)
        return 1
    except SdgtrackError as exc:
        return fail(str(exc))
    except typer.Abort:
        return fail("aborted")
    except KeyboardInterrupt:
        return fail("interrupted; nothing was changed by the unfinished command", INTERRUPTED)
    except typer.TyperException as exc:  # a usage error: Typer's own box with the usage line
        from typer import rich_utils

        rich_utils.rich_format_error(exc)  # type: ignore[arg-type]
        return exc.exit_code
    except Exception as exc:  # noqa: BLE001 - the face's last line: no traceback, whatever the fault
        if isinstance(exc, OSError) and exc.errno == errno.EPIPE:  # `sdgtrack data ... | head`
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - Python flushes stdout at exit
            return 1
        if os.environ.get("SDGTRACK_DEBUG"):
            raise
        message, status = fault_message(exc)
        return fail(message, status)


def main() -> None:
    sys.exit(run())


if __name__ == "__main__":
    main()
