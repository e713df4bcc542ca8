"""`sdgtrack --help` lists commands in panels in reading order, and flags show no type label."""

from __future__ import annotations

import re

import typer
from typer.testing import CliRunner

from sdgtrack.cli import app
from sdgtrack.commands._help import ORDER, PANELS

runner = CliRunner()


def _commands(command, path):  # type: ignore[no-untyped-def]
    yield path
    for name, sub in getattr(command, "commands", {}).items():
        yield from _commands(sub, [*path, name])


def test_every_top_level_command_has_a_panel() -> None:
    top = set(typer.main.get_command(app).commands)  # type: ignore[attr-defined]
    assert top - set(ORDER) == set(), "place new commands in commands/_help.PANELS"


def test_root_help_shows_panels_in_order() -> None:
    out = runner.invoke(app, ["--help"], terminal_width=200).output
    titles = [panel for panel, _ in PANELS]
    shown = [t for t in re.findall(r"╭─ ([A-Za-z -]+?) ─", out) if t in titles]
    assert shown == [t for t in titles if t in shown] and len(shown) >= 4
    names = ("ingest", "data", "progress", "site", "users", "upgrade")
    positions = [re.search(rf"^│ {name}\s", out, re.M).start() for name in names]  # type: ignore[union-attr]
    assert positions == sorted(positions), "commands out of reading order"


def test_no_flag_shows_a_type_label() -> None:
    for path in _commands(typer.main.get_command(app), []):
        out = runner.invoke(app, [*path, "--help"], terminal_width=200).output
        assert "<bool>" not in out, f"sdgtrack {' '.join(path)} --help shows <bool>"
