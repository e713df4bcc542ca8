"""Tables for people: words for codes, one precision per column, the rest of the rows one option away."""

from __future__ import annotations

import numpy as np
import pandas as pd

from sdgtrack.commands._common import _column_text, emit
from sdgtrack.labels import describe_parameters, span


def test_codes_become_words_only_in_label_columns():
    assert _column_text(pd.Series(["on_track", "insufficient_data"]), "status") == ["on track", "insufficient data"]
    assert _column_text(pd.Series(["SH_DYN_MORT"]), "series") == ["SH_DYN_MORT"]


def test_one_precision_per_column():
    assert _column_text(pd.Series([86.1, 50.0, np.nan]), "index") == ["86.1", "50.0", ""]  # rounded values kept
    assert _column_text(pd.Series([41.6, 63.81147]), "value") == ["41.60", "63.81"]
    assert _column_text(pd.Series([2015.0, 2019.0]), "year") == ["2015", "2019"]
    assert _column_text(pd.Series([0.4832, -0.04]), "cagr") == ["0.483", "-0.040"]
    assert _column_text(pd.Series([12345.678, 200.5]), "n") == ["12,345.7", "200.5"]
    assert _column_text(pd.Series([3e-9, 0.04]), "p") == ["3e-09", "0.04"]
    assert _column_text(pd.Series([0.906, 0.98, ""], dtype=object), "probability") == ["0.906", "0.980", ""]


def test_long_tables_are_bounded(capsys):
    emit(pd.DataFrame({"a": range(100)}), max_rows=10)
    out = capsys.readouterr().out
    assert "90 more rows: --format csv or --output for all" in out and "│ 10 │" not in out


def test_parameters_in_words():
    assert describe_parameters({"base_year": 2015}) == "base year 2015"
    assert describe_parameters({"period": "short", "window": [2015, 2019]}) == "period short, window 2015-2019"
    assert span([2015, 2015]) == "2015" and span(None) == "none"
