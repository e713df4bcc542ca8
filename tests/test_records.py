"""``results.records``: a column at a time, the same plain values, of the same types, as converting
every cell with ``plain`` (what every API answer and JSON result is made of)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from sdgtrack.results import plain, records


def _cell_by_cell(frame: pd.DataFrame) -> list[dict]:
    columns = [str(c) for c in frame.columns]
    return [{c: plain(v) for c, v in zip(columns, row)} for row in frame.itertuples(index=False, name=None)]


def test_records_are_the_plain_values_of_every_cell_with_their_types():
    frame = pd.DataFrame(
        {
            "int": [1, 2, 3],
            "int_with_gap": [1, None, 3],
            "float": [1.5, np.nan, np.inf],
            "text": ["x", None, "z"],
            "flag": [True, False, True],
            "flag_with_gap": [True, False, None],
            "list": [[1, np.int64(2)], [], None],
            "when": pd.to_datetime(["2020-01-01", None, "2021-02-03"]),
            "nullable": pd.array([1, None, 2], dtype="Int64"),
            "numpy_ints": np.array([3, 4, 5], dtype="int32"),
        }
    )
    frame["arrow_text"] = pd.array(["a", None, "c"], dtype="string[pyarrow]")
    got, want = records(frame), _cell_by_cell(frame)
    assert got == want
    assert [[type(v) for v in row.values()] for row in got] == [[type(v) for v in row.values()] for row in want]
    assert got[1]["float"] is None and got[2]["float"] is None and got[1]["text"] is None
    assert records(frame.iloc[:0]) == [] and records(pd.DataFrame(index=range(2))) == [{}, {}]
