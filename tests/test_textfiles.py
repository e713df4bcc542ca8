"""Hand-written CSV files (targets, codebooks, matrices): one message naming the real problem."""

from __future__ import annotations

import pytest

from sdgtrack.errors import UserInputError
from sdgtrack.textfiles import read_csv

from .conftest import FIXTURES

BROKEN = FIXTURES / "broken"


@pytest.mark.parametrize(
    "name, message",
    [
        ("latin1.csv", "latin1.csv, line 2: byte 0xf4 is not UTF-8 (in Latin-1 it would be 'ô')"),
        ("utf16.csv", "UTF-16 text; expected UTF-8"),
        ("truncated.xlsx", "an Excel workbook or other zip file; expected CSV text"),
        ("binary.csv", "a binary file"),
        ("empty.csv", "the file is empty"),
        ("ragged.csv", "ragged.csv: line 4 has 6 cells, the header has 4"),
        ("unclosed_quote.csv", 'unclosed_quote.csv, line 2: a quote (") opens a value that never closes'),
    ],
)
def test_the_message_names_the_problem(name, message):
    with pytest.raises(UserInputError) as info:
        read_csv(BROKEN / name, "targets file")
    assert message in str(info.value) and str(info.value).startswith("targets file ")


def test_folders_and_missing_files(tmp_path):
    with pytest.raises(UserInputError, match="is a folder; expected a file"):
        read_csv(tmp_path, "codebook")
    with pytest.raises(UserInputError, match="no such file"):
        read_csv(tmp_path / "nope.csv", "codebook")


def test_a_good_file_keeps_text_cells(tmp_path):
    path = tmp_path / "t.csv"
    path.write_bytes("\ufeffseries,target\nSH_DYN_MORT,025\nNA,\n".encode())
    frame = read_csv(path, "targets file")
    assert frame.to_dict("list") == {"series": ["SH_DYN_MORT", "NA"], "target": ["025", ""], "line": [2, 3]}
