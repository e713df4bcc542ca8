"""`sdgtrack --help` lists commands in panels in reading order, and flags show no type label;
the table of commands the root knows without importing their modules is the modules' own."""

from __future__ import annotations

import inspect
import json
import pkgutil
import re
import subprocess
import sys

import typer
from typer.testing import CliRunner

from sdgtrack import commands
from sdgtrack.cli import app
from sdgtrack.commands._help import COMMANDS, ORDER, PANELS, LazyCommands, module_commands

from .conftest import REPO

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


def test_the_table_holds_every_module_s_commands_and_their_help() -> None:
    modules = sorted(m.name for m in pkgutil.iter_modules(commands.__path__) if not m.name.startswith("_"))
    assert {module for module, _ in COMMANDS.values()} == set(modules)
    for module in modules:
        made = module_commands(module)
        listed = {name for name, (owner, _) in COMMANDS.items() if owner == module}
        assert set(made) == listed, (
            f"commands/{module}.py registers {sorted(made)}; commands/_help.COMMANDS says {sorted(listed)}"
        )
        for name, command in made.items():
            first = inspect.cleandoc(command.short_help or command.help or "").split("\n\n")[0]
            assert COMMANDS[name][1] == first, f"the help of `{name}` changed: copy its first paragraph to COMMANDS"
    assert set(COMMANDS) == set(ORDER), "a command needs both its module in COMMANDS and its panel in PANELS"


def test_root_help_from_the_table_equals_help_from_the_modules(monkeypatch) -> None:
    wide = {"COLUMNS": "400", "TERMINAL_WIDTH": "400"}  # each line of a help on one line of the panel
    lazy = runner.invoke(app, ["--help"], env=wide)
    assert lazy.exit_code == 0
    for name, (_, line) in COMMANDS.items():
        assert re.search(rf"^│ {name}\s+{re.escape(line.split(chr(10))[0])}", lazy.output, re.M), name
    monkeypatch.setattr(LazyCommands, "made", lambda self, name: True)  # every module imported for the help
    assert runner.invoke(app, ["--help"], env=wide).output == lazy.output


def test_a_command_imports_only_its_own_module() -> None:
    script = (
        "import json, sys\n"
        "from sdgtrack.cli import run\n"
        "status = run(sys.argv[1:])\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith('sdgtrack.commands.'))))\n"
    )
    for args, modules in ((["--version"], []), (["--help"], []), (["validate", "--help"], ["ingest"])):
        out = subprocess.run([sys.executable, "-c", script, *args], capture_output=True, text=True, check=True)
        imported = json.loads(out.stdout.strip().splitlines()[-1])
        expected = ["_help", *(["_common", *modules] if modules else [])]
        assert imported == sorted(f"sdgtrack.commands.{m}" for m in expected), args


def test_a_load_imports_no_chart_web_or_tagging_library(tmp_path) -> None:
    """`sdgtrack ingest` imports what a load needs: Altair, the web app, the tagger, argon2 ... cost a
    second of CPU before the first row was read (issue 23)."""
    script = (
        "import json, sys\n"
        "from sdgtrack.cli import run\n"
        "status = run(sys.argv[1:])\n"
        "print(json.dumps([status, sorted(sys.modules)]))\n"
    )
    fixture = REPO / "tests" / "fixtures" / "ingest" / "tidy_good.csv"
    args = ["ingest", str(fixture), "--db", str(tmp_path / "store.duckdb")]
    out = subprocess.run([sys.executable, "-c", script, *args], capture_output=True, text=True, check=True)
    status, loaded = json.loads(out.stdout.strip().splitlines()[-1])
    assert status == 0 and "new" in out.stdout
    heavy = ["altair", "vl_convert", "fastapi", "uvicorn", "scipy", "onnxruntime", "jinja2", "argon2"]
    heavy += [f"sdgtrack.{package}" for package in ("tagging", "web", "publish", "contributions", "report")]
    assert [name for name in heavy if name in loaded] == []
