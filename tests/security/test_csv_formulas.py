"""Every CSV we publish is safe to open in a spreadsheet: text a spreadsheet would run as a formula
gets a leading ', numbers are untouched (issue 21, finding 4)."""

from __future__ import annotations

import csv
import io

import numpy as np
import pandas as pd

from sdgtrack import csvsafe
from sdgtrack.web.respond import to_csv

from .conftest import FORMULA_SEX, FORMULA_UNIT

RISKY = ("=1+1", "+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0", "@SUM(1+1)", "\t=1", "\r=1")
NUMBERS = ("-1.5", "+3", "-1e-05", "12", ".5", "-0")


def cells(text: str) -> list[str]:
    return [c for row in csv.reader(io.StringIO(text)) for c in row]


def test_the_helper_marks_formulas_and_leaves_numbers():
    for value in RISKY:
        assert csvsafe.cell(value) == "'" + value
    for value in (*NUMBERS, "-", "plain", "", "a=b", "3 + 4"):
        assert csvsafe.cell(value) == value
    assert csvsafe.cell(-2.5) == -2.5 and csvsafe.cell(None) is None
    column = csvsafe.column(np.array([*RISKY, *NUMBERS, None, 7.0], dtype=object))
    assert list(column[: len(RISKY)]) == ["'" + v for v in RISKY]
    assert list(column[len(RISKY) :]) == [*NUMBERS, None, 7.0]
    frame = pd.DataFrame({"=name": ["=x", "ok"], "n": [-1, 2]})
    safe = csvsafe.frame(frame)
    assert list(safe.columns) == ["'=name", "n"] and safe["'=name"].tolist() == ["'=x", "ok"]
    assert safe["n"].tolist() == [-1, 2]
    back = csvsafe.undo_column(pd.Series(["'=x", "'plain", "ok"]))
    assert back.tolist() == ["=x", "'plain", "ok"]


def test_the_api_csv_marks_formulas(live):
    params = {"code": "SH_DYN_MORT", "format": "csv", "all_disaggregations": "true"}
    answer = live.client.get("/api/observations", params=params)
    assert answer.status_code == 200
    found = cells(answer.text)
    assert "'" + FORMULA_UNIT in found
    assert any("HYPERLINK" in c for c in found)  # the disaggregated row is there ("Sex=...": not a formula)
    assert not any(c.startswith(("=", "@", "+")) for c in found)
    assert "-3.5" in found and "-2.0" in found  # values stay numbers
    assert to_csv([{"a": "=1", "b": -1}]) == b"a,b\n'=1,-1\n"


def test_the_site_data_and_headline_csvs_mark_formulas(live):
    for kind in ("data", "headline"):
        answer = live.client.get(f"/en/{kind}/3-2-1.csv")
        assert answer.status_code == 200, (kind, answer.status_code)
        found = cells(answer.text)
        assert "'" + FORMULA_UNIT in found, (kind, found[:20])
        assert not any(c.startswith(("=", "@", "+")) for c in found), kind
        assert "-3.5" in found  # the value column is untouched
        if kind == "data":  # the disaggregation column, as the repository's CSV has it
            assert "'" + FORMULA_SEX in found


def test_contributions_csv_marks_formulas_and_round_trips(live, tmp_path):
    ws = live.ws
    boss = ws.accounts.user("boss")
    name = "+cmd|' /C calc'!A0"
    draft = ws.review.new_record(boss, "event", 2023, {"name": name, "description": "=1+1 a description"})
    ws.review.submit(boss, draft["id"])
    ws.review.approve(boss, draft["id"])
    live.app.state.owner.changed()
    answer = live.client.get("/api/contributions", params={"format": "csv"})
    found = cells(answer.text)
    assert "'" + name in found and not any(c.startswith(("=", "+", "@")) for c in found)
    out = tmp_path / "c.csv"
    ws.contributions.export(out, "csv")
    exported = out.read_text(encoding="utf-8")
    assert "'" + name in exported
    from sdgtrack.contributions.exchange import read_csv

    names = [r.name for s in read_csv(out, ws.contributions) for r in s.records]
    assert name in names  # read back as it was written
