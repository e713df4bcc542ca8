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
    assert (
        out.returncode == 1 and b"a binary file (it holds NUL bytes)" in out.stderr and b"Traceback" not in out.stderr
    )
    out = run("   ")
    assert out.returncode == 1 and b"the text is empty" in out.stderr
    out = run("-", stdin=b"\xff\xfe\x00binary")
    assert out.returncode == 1 and b"standard input, line 1: not UTF-8" in out.stderr
    out = run("-", stdin="Water\nCafé owners".encode("latin-1"))
    assert out.returncode == 1
    assert "standard input, line 2: not UTF-8 text (byte 0xe9 at offset 9; in Latin-1 it would be 'é')" in (
        " ".join(out.stderr.decode().split())
    )


def test_one_megabyte_text_is_cut_with_a_warning():
    text = ("Solar mini-grids give villages access to affordable and reliable electricity. " * 20_000).encode()
    out = run("-", "--method", "keywords", "--format", "csv", stdin=text)
    assert out.returncode == 0, out.stderr
    assert b"only the first 100,000 were tagged" in out.stderr
    assert out.stdout.decode().splitlines()[1].startswith("1,7,7.1,")


def test_files_people_have_get_one_clear_message(tmp_path):
    latin = tmp_path / "latin.csv"
    latin.write_bytes("text\nCafé owners cut water use\n".encode("latin-1"))
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    excel = tmp_path / "records.csv"  # a workbook saved under a .csv name
    excel.write_bytes(b"PK\x03\x04" + b"\x00" * 40)
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a zip")
    unclosed = tmp_path / "unclosed.csv"
    unclosed.write_text('text\nWater for all\n"Solar power, for schools\n', encoding="utf-8")
    expected = {
        latin: f"--input {latin}, line 2: byte 0xe9 is not UTF-8 (in Latin-1 it would be 'é')",
        empty: f"--input {empty}: the file is empty",
        excel: f"--input {excel}: an Excel workbook or other zip file; expected CSV text",
        unclosed: f'--input {unclosed}, line 3: a quote (") opens a value that never closes',
        tmp_path: f"--input {tmp_path}: is a folder; expected a file",
        broken: f"{broken}: not a readable Excel workbook (File is not a zip file); expected an .xlsx file",
    }
    for path, message in expected.items():
        out = run("--input", str(path), "--method", "keywords")
        assert out.returncode == 1 and message in " ".join(out.stderr.decode().split()), out.stderr
        assert b"Traceback" not in out.stderr


def test_a_file_name_given_as_text_says_to_use_input(tmp_path):
    report = tmp_path / "report.txt"
    report.write_text("Midwives in rural clinics reduce maternal and newborn deaths.", encoding="utf-8")
    out = run(str(report), "--method", "keywords")
    assert out.returncode == 1
    assert f"is the name of a file, and TEXT is the text itself: to tag the file's text, give --input {report}" in (
        " ".join(out.stderr.decode().split())
    )
    out = run("--input", str(report), "--method", "keywords", "--format", "json")
    assert out.returncode == 0, out.stderr
    assert [(r["id"], r["sdg"]) for r in json.loads(out.stdout)][:1] == [("report.txt", 3)]


def test_html_rows_spanning_lines_are_named_by_their_line_and_read_as_text(tmp_path):
    plain_text = "Midwives in rural clinics reduce maternal and newborn deaths."
    records = tmp_path / "records.csv"
    records.write_text(
        "ref,text\n"
        'A1,"<p>Midwives in rural&nbsp;clinics\n<b>reduce</b> maternal and newborn deaths.</p>"\n'
        'A2,"<p><br>\n</p>"\n'
        f"A3,{plain_text}\n",
        encoding="utf-8",
    )
    out = run("--input", str(records), "--id-column", "ref", "--method", "keywords", "--format", "json")
    assert out.returncode == 0, out.stderr
    rows = json.loads(out.stdout)
    by_id = {r["id"]: r for r in rows}
    same = ("sdg", "target", "probability", "evidence")
    assert by_id["A1"]["sdg"] == 3 and all(by_id["A1"][k] == by_id["A3"][k] for k in same)
    assert by_id["A2"]["sdg"] is None and "holds only markup" in by_id["A2"]["evidence"]
    # A2 starts on line 4: A1's cell spans lines 2-3
    assert f"{records}, line 4 holds only markup" in " ".join(out.stderr.decode().split())


def test_excel_sheet_column_with_cells_named(tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Records"
    sheet.append(["ref", "description"])
    sheet.append(["A1", "<p>Midwives in rural clinics reduce maternal and newborn deaths.</p>"])
    sheet.append([])
    sheet.append(["A2", 2023])
    sheet.append(["A3", None])
    sheet.append([7, "Solar mini-grids give villages access to affordable and reliable electricity."])
    workbook = tmp_path / "records.xlsx"
    book.save(workbook)
    args = ("--input", str(workbook), "--method", "keywords")
    out = run(*args, "--text-column", "description", "--id-column", "ref", "--format", "json")
    assert out.returncode == 0, out.stderr
    rows = json.loads(out.stdout)
    assert [(r["id"], r["sdg"]) for r in rows] == [("A1", 3), ("A2", None), ("A3", None), ("7", 7)]
    err = " ".join(out.stderr.decode().split())
    assert f"{workbook}, cell B4 is the number 2023, not text: no SDGs" in err
    assert f"{workbook}, cell B5 is empty: no SDGs" in err
    out = run(*args)
    assert out.returncode == 1
    assert "sheet 'Records': no column 'text' in row 1; the columns are: ref, description" in " ".join(
        out.stderr.decode().split()
    )
