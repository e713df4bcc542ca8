"""Every registered reader, progress method, link transform and tagging method is offered in its
commands' ``--help`` and described in ``docs/``.

The registries (``sdgtrack.registries``) are the one list of each kind; the CLI builds its choices
from them, and this test makes a new member without documentation fail. "Described" means the
doc names it in backticks in a heading of its own (``## Tidy CSV or Excel (`tidy`)``), or, for
transforms, which docs/methods/interlinkages.md compares in one table, in the first cell of a
table row (``| `detrend` | ...``): not merely somewhere in the text.
"""

from __future__ import annotations

import re
import subprocess
import sys
from contextlib import contextmanager
from types import SimpleNamespace

import numpy as np
import pytest
from typer.testing import CliRunner

from sdgtrack.cli import app
from sdgtrack.errors import UserInputError
from sdgtrack.links.transforms import NamedTransform
from sdgtrack.registries import PROGRESS_METHODS, READERS, TAGGING_METHODS, TRANSFORMS, Choice, Registry

from .conftest import REPO

# registry, the commands whose --help must offer every member, the doc that must describe it,
# whether a table row there is description enough
KINDS = {
    "reader": (READERS, [["ingest"], ["validate"]], "docs/ingest.md", False),
    "progress method": (PROGRESS_METHODS, [["progress"], ["progress", "chart"]], "docs/methods/progress.md", False),
    "transform": (TRANSFORMS, [["links"]], "docs/methods/interlinkages.md", True),
    "tagging method": (TAGGING_METHODS, [["tag"], ["contributions", "infer"]], "docs/methods/tagging.md", False),
}


def help_text(command: list[str]) -> str:
    # Wide, so Rich does not fold a name across lines.
    result = CliRunner().invoke(app, [*command, "--help"], env={"COLUMNS": "400", "TERMINAL_WIDTH": "400"})
    assert result.exit_code == 0, result.output
    return result.output


def described(name: str, doc: str, table_row: bool = False) -> bool:
    code = re.escape(f"`{name}`")
    pattern = rf"^(#+ .*{code}|\|\s*{code})" if table_row else rf"^#+ .*{code}"
    return re.search(pattern, doc, flags=re.MULTILINE) is not None


def gaps(registry: Registry, commands: list[list[str]], doc_path: str, table_row: bool = False) -> list[str]:
    """Each member missing from a command's help or from its doc, as 'NAME: not in ...'."""
    doc = (REPO / doc_path).read_text(encoding="utf-8")
    helps = {" ".join(c): help_text(c) for c in commands}
    out = []
    for name in registry.names():
        out += [
            f"{name}: not in `sdgtrack {c} --help`"
            for c, text in helps.items()
            if not re.search(rf"\b{re.escape(name)}\b", text)
        ]
        if not described(name, doc, table_row):
            out.append(f"{name}: not described in {doc_path}")
    return out


@pytest.mark.parametrize("kind", KINDS)
def test_every_member_is_in_help_and_docs(kind):
    registry, commands, doc, table_row = KINDS[kind]
    assert len(registry.names()) >= 2  # the registry found its modules
    assert gaps(registry, commands, doc, table_row) == []


def test_registries_hold_what_the_modules_define():
    assert READERS.names() == ("opensdg", "sdmx", "sdr", "tidy", "unsd")
    assert PROGRESS_METHODS.names() == ("unsd", "eurostat", "statcan")
    assert TRANSFORMS.names() == ("levels", "detrend", "diff")
    assert TAGGING_METHODS.names() == ("embedding", "keywords")


DUMMY = "undocumented_dummy"


@contextmanager
def registered(registry: Registry, item):
    registry.register(item)
    try:
        yield
    finally:
        registry.unregister(DUMMY)


DUMMIES = {
    "reader": SimpleNamespace(
        name=DUMMY, summary="a dummy", description="a dummy", priority=99, detect=lambda path: False, read=None
    ),
    "progress method": SimpleNamespace(NAME=DUMMY, TITLE="Dummy", SUMMARY="a dummy", DEFAULTS={}),
    "transform": NamedTransform(DUMMY, "a dummy", lambda x: x),
    "tagging method": Choice(DUMMY, "a dummy"),
}


@pytest.mark.parametrize("kind", KINDS)
def test_a_member_registered_without_docs_is_flagged(kind):
    registry, commands, doc, table_row = KINDS[kind]
    # The commands' modules (imported when a command first runs) build their choices before the dummy comes.
    assert gaps(registry, commands, doc, table_row) == []
    with registered(registry, DUMMIES[kind]):
        found = gaps(registry, commands, doc, table_row)
    assert f"{DUMMY}: not described in {doc}" in found
    # The CLI was built before the dummy came: its help does not offer it, and the check says so.
    assert f"{DUMMY}: not in `sdgtrack {' '.join(commands[0])} --help`" in found
    assert DUMMY not in registry and gaps(registry, commands, doc, table_row) == []


def test_described_needs_a_heading_or_where_allowed_a_table_row():
    assert described("tidy", "## Tidy CSV or Excel (`tidy`)\n")
    assert not described("sdr", "## SDR databases\n| `sdr` | the file stem |\n")
    assert described("diff", "| `diff` | x(t) - x(t-1) |\n", table_row=True)
    assert not described("diff", "compare with `diff` in passing\n", table_row=True)


def test_an_unknown_name_is_one_clear_error_listing_the_members():
    with pytest.raises(UserInputError, match="unknown transform 'trend': expected one of levels, detrend, diff"):
        TRANSFORMS.get("trend")
    with pytest.raises(UserInputError, match="unknown progress method 'sdsn': expected one of unsd, eurostat"):
        PROGRESS_METHODS.get("sdsn")
    result = CliRunner().invoke(app, ["ingest", "--format", "csv", "x.csv"])
    assert result.exit_code != 0 and "opensdg" in result.output and "Traceback" not in result.output


def test_a_name_is_registered_once():
    with pytest.raises(ValueError, match="registered twice"):
        TRANSFORMS.register(NamedTransform("levels", "another", np.negative))
    assert TRANSFORMS["levels"].summary == "as Pradhan et al."


def test_registry_order_does_not_depend_on_what_was_imported_first():
    # CI once imported the SDMX reader (through the exchange package) before the registry loaded,
    # and "sdmx" came first in every list of formats.
    code = (
        "import sdgtrack.ingest.readers.sdmx\n"
        "from sdgtrack.registries import READERS\n"
        "print(','.join(READERS.names()))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "opensdg,sdmx,sdr,tidy,unsd"
