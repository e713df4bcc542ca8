"""`sdgtrack tag` from the command line, including the messages for bad input."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from .conftest import FIXTURES, REPO

RECORDS = FIXTURES / "tagging_records.csv"


def run(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(REPO / "src"), COLUMNS="200")
    return subprocess.run(
        [sys.executable, "-m", "sdgtrack.cli", "tag", *args], input=stdin, capture_output=True, env=env, timeout=120
    )


def test_csv_input_json_output():
    out = run(
        "--input",
        str(RECORDS),
        "--text-column",
        "description",
        "--id-column",
        "ref",
        "--method",
        "keywords",
        "--format",
        "json",
    )
    assert out.returncode == 0, out.stderr
    rows = json.loads(out.stdout)
    assert [(r["id"], r["sdg"], r["target"]) for r in rows] == [("A1", 3, "3.1"), ("A2", None, None), ("A3", 7, "7.1")]
    assert all(r["method"] == "keywords" for r in rows)
    assert b"line 3 is empty" in out.stderr


def test_missing_column_names_the_columns(tmp_path):
    out = run("--input", str(RECORDS), "--text-column", "abstract")
    assert out.returncode == 1
    assert b"no column 'abstract'; the columns are: ref, description" in out.stderr
    assert b"Traceback" not in out.stderr


def test_binary_file_and_empty_text(tmp_path):
    binary = tmp_path / "image.csv"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe")
    out = run("--input", str(binary))
    assert out.returncode == 1 and b"not UTF-8 text" in out.stderr and b"Traceback" not in out.stderr
    out = run("   ")
    assert out.returncode == 1 and b"the text is empty" in out.stderr
    out = run("-", stdin=b"\xff\xfe\x00binary")
    assert out.returncode == 1 and b"standard input: not UTF-8" in out.stderr


def test_one_megabyte_text_is_cut_with_a_warning():
    text = ("Solar mini-grids give villages access to affordable and reliable electricity. " * 20_000).encode()
    out = run("-", "--method", "keywords", "--format", "csv", stdin=text)
    assert out.returncode == 0, out.stderr
    assert b"only the first 100,000 were tagged" in out.stderr
    assert out.stdout.decode().splitlines()[1].startswith("1,7,7.1,")
