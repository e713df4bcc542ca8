"""Every CLI command, given broken inputs, ends in one message and a non-zero exit: never a traceback.

The commands and their parameters are discovered from the Typer app, so a new command or option is
covered without editing this file. Each file parameter gets every file of the corpus in
``tests/fixtures/broken/`` (see its README) plus a folder, a path under a file and a missing path;
``--db`` gets a damaged store, a truncated store, a folder and a missing file; numbers get
out-of-range values. A run passes when ``sdgtrack.cli.run`` returns (no exception escapes), prints
no traceback and no "internal error", and, when it fails, leaves the store's rows as they were.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest
import typer.main

import sdgtrack
from sdgtrack.cli import app, run
from sdgtrack.contributions import Registry
from sdgtrack.ingest import load

from .conftest import FIXTURES

BROKEN = FIXTURES / "broken"

# A valid value for each required parameter, so a run reaches the parameter under test.
SAMPLES = {
    "code": "3.2.1",
    "name": "Test area",
    "record": "dec-bce291e779",
    "submission": "WWCO",
    "new_status": "draft",
    "field": "name",
    "value": "A new name",
    "text": "Clean water for rural clinics",
    "codebook": "sdr2024",
    "matrix": str(FIXTURES / "links" / "expert_targets.csv"),
    "paths": str(FIXTURES / "ingest" / "tidy_good.csv"),
    "file": str(FIXTURES / "contributions" / "wwco-2024.txt"),
}
# Text parameters that name an input file (Path parameters are found by their type).
TEXT_FILE_PARAMS = {"codebook", "regions"}
# Commands too slow to run on valid inputs in a unit test: only their broken-store runs are made.
SLOW = {("demo", "build")}
BAD_NUMBERS = ["-1", "99999999999999999999", "nan", "1e309"]


def commands():
    """(path, click command) for every command of the app, groups that run on their own included."""

    def walk(cmd, path):
        subs = getattr(cmd, "commands", None)
        if subs:
            if path and cmd.invoke_without_command:
                yield tuple(path), cmd
            for name, sub in subs.items():
                yield from walk(sub, [*path, name])
        else:
            yield tuple(path), cmd

    return list(walk(typer.main.get_command(app), []))


COMMANDS = commands()


PATH_FAULTS = ("a folder", "under a file")


def _kind(param) -> str:
    return str(param.bare_type())


def _is_output(param) -> bool:
    """A file the command writes: only where it is matters (a folder, a path under a file), not
    what it holds, so it gets the path faults and not the whole corpus."""
    text = (param.help or "").lower()
    return "writ" in text or text.startswith("output")


def _base_args(cmd, skip: str | None = None) -> list[str]:
    """Required arguments and options with valid sample values (except ``skip``)."""
    args: list[str] = []
    for p in cmd.params:
        if p.name == skip or not p.required:
            continue
        value = SAMPLES.get(p.name, "x")
        args += [value] if p.param_type_name == "argument" else [p.opts[0], value]
    return args


def _with(cmd, param, value: str) -> list[str]:
    base = _base_args(cmd, skip=param.name)
    if param.param_type_name == "argument":
        # arguments keep their order: put the value where the parameter stands
        args, k = [], 0
        for p in cmd.params:
            if p.param_type_name != "argument" or (not p.required and p is not param):
                continue
            if p is param:
                args.append(value)
            else:
                args.append(base[k])
                k += 1
        return args + base[k:]
    return base + [param.opts[0], value]


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    """A small store with observations and a contributions answer, copied for every run."""
    path = tmp_path_factory.mktemp("template") / "store.duckdb"
    with sdgtrack.Database(path) as database:
        load(database, FIXTURES / "ingest" / "tidy_good.csv")
        Registry(database).import_file(FIXTURES / "contributions" / "wwco-2024.txt")
    return path


@pytest.fixture(scope="module")
def corpus(tmp_path_factory, template) -> dict[str, Path]:
    """The broken files, with the ones too big or too odd to keep in the repository. Runs get
    copies (see ``_fresh``): a command that writes must never change what the next run reads."""
    root = tmp_path_factory.mktemp("broken")
    files = {p.name: p for p in BROKEN.iterdir() if p.name != "README.md"}
    deep = root / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000)
    big = root / "big_cell.csv"
    big.write_text(",1,2\n1,," + "9" * 200_000 + "\n2,1,\n")
    truncated = root / "truncated.duckdb"
    truncated.write_bytes(template.read_bytes()[:100_000])
    return files | {
        "deep.json": deep,
        "big_cell.csv": big,
        "truncated.duckdb": truncated,
        "a folder": None,
        "under a file": None,
        "missing": None,
    }


def _fresh(corpus: dict, name: str, where: Path) -> Path:
    """A private copy of one corpus entry in the folder ``where``."""
    where.mkdir(parents=True, exist_ok=True)
    if name == "a folder":
        return where
    if name == "under a file":
        (where / "a-file.csv").write_text("x\n")
        return where / "a-file.csv" / "x.csv"
    if name == "missing":
        return where / "no-such-file.csv"
    return Path(shutil.copy(corpus[name], where / corpus[name].name))


def _counts(db: Path) -> tuple:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return tuple(
            con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("observation", "area", "load", "contribution_record")
        )
    finally:
        con.close()


def _check(args: list[str], capfd, db: Path | None = None) -> int:
    before = _counts(db) if db is not None else None
    try:
        status = run(args)
    except SystemExit as exc:  # a command may end with sys.exit; run() returning is the rule
        pytest.fail(f"sdgtrack {' '.join(args)}: SystemExit({exc.code}) escaped run()")
    out, err = capfd.readouterr()
    text = out + err
    assert "Traceback" not in text, f"sdgtrack {' '.join(args)} printed a traceback:\n{text[-3000:]}"
    assert "internal error" not in text, f"sdgtrack {' '.join(args)}:\n{text[-2000:]}"
    if status != 0 and before is not None:
        assert _counts(db) == before, f"sdgtrack {' '.join(args)} failed but changed the store"
    return status


@pytest.fixture(autouse=True)
def no_server(monkeypatch):
    monkeypatch.setattr("uvicorn.run", lambda *a, **k: None)  # `serve` on valid inputs would block


def _store(tmp_path, template) -> Path:
    return Path(shutil.copy(template, tmp_path / "store.duckdb"))


@pytest.mark.parametrize("path, cmd", COMMANDS, ids=[" ".join(p) for p, _ in COMMANDS])
def test_broken_files(path, cmd, corpus, template, tmp_path, capfd):
    file_params = [p for p in cmd.params if p.name != "db" and ("Path" in _kind(p) or p.name in TEXT_FILE_PARAMS)]
    has_db = any(p.name == "db" for p in cmd.params)
    runs = 0
    for param in file_params if path not in SLOW else []:
        for k, name in enumerate(PATH_FAULTS if _is_output(param) else corpus):
            broken = _fresh(corpus, name, tmp_path / f"{param.name}-{k}")
            db = _store(tmp_path, template) if has_db else None
            args = [*path, *_with(cmd, param, str(broken))] + (["--db", str(db)] if db else [])
            _check(args, capfd, db)
            runs += 1
    assert runs or not file_params or path in SLOW


@pytest.mark.parametrize(
    "path, cmd",
    [(p, c) for p, c in COMMANDS if any(x.name == "db" for x in c.params)],
    ids=[" ".join(p) for p, c in COMMANDS if any(x.name == "db" for x in c.params)],
)
def test_broken_store(path, cmd, corpus, tmp_path, capfd):
    for k, name in enumerate(("corrupt.duckdb", "truncated.duckdb", "a folder", "under a file", "binary.csv")):
        broken = _fresh(corpus, name, tmp_path / str(k))
        status = _check([*path, *_base_args(cmd), "--db", str(broken)], capfd)
        assert status != 0, f"sdgtrack {' '.join(path)} --db {name} succeeded"


@pytest.mark.parametrize("path, cmd", COMMANDS, ids=[" ".join(p) for p, _ in COMMANDS])
def test_bad_numbers(path, cmd, template, tmp_path, capfd):
    numbers = [p for p in cmd.params if _kind(p) in ("int", "float")]
    has_db = any(p.name == "db" for p in cmd.params)
    for param in numbers if path not in SLOW else []:
        for value in BAD_NUMBERS:
            db = _store(tmp_path, template) if has_db else None
            _check([*path, *_with(cmd, param, value)] + (["--db", str(db)] if db else []), capfd, db)


def test_the_corpus_covers_the_named_faults():
    names = {p.name for p in BROKEN.iterdir()}
    assert {
        "latin1.csv",
        "utf16.csv",
        "truncated.xlsx",
        "ragged.csv",
        "codebook_header_only.csv",
        "corrupt.duckdb",
        "README.md",
    } <= names


def test_every_command_is_discovered():
    found = {" ".join(p) for p, _ in COMMANDS}
    assert {
        "ingest",
        "validate",
        "data",
        "index",
        "links",
        "links expert",
        "progress",
        "progress chart",
        "tag",
        "serve",
        "contributions import",
        "areas add",
        "framework show",
        "demo build",
    } <= found
