"""Expert interlinkages: cross-impact matrices scored on Nilsson's 7-point scale.

A matrix (as in SEI's SDG Synergies) is square: rows and columns are the same goal or target
codes, and cell (i, j) scores how progress on row i affects progress on column j:
+3 indivisible, +2 reinforcing, +1 enabling, 0 consistent, -1 constraining, -2 counteracting,
-3 cancelling (Nilsson, Griggs and Visbeck 2016). Per node, with A the matrix and 1 a vector of
ones:

- influence = A 1 (row sum): the net push a node's progress gives to all others;
- influenced = A^T 1 (column sum): the net push it receives;
- positive/negative links out and in: counts of cells > 0 and < 0;
- second-order influence = A 1 + A (A 1): the direct push plus the push passed on through the
  nodes it affects (each neighbour's own influence, weighted by the score of the link to it);
- rank: by second-order influence, then influence (1 = most influential).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .. import textfiles
from ..errors import InvalidInputError, Problem
from ..frameworks import reference

SCALE = {
    3: "indivisible",
    2: "reinforcing",
    1: "enabling",
    0: "consistent",
    -1: "constraining",
    -2: "counteracting",
    -3: "cancelling",
}
NODE_COLUMNS = [
    "rank",
    "code",
    "title",
    "influence",
    "influenced",
    "second_order",
    "positive_out",
    "negative_out",
    "positive_in",
    "negative_in",
]


@dataclass
class CrossImpactMatrix:
    codes: list[str]
    values: np.ndarray  # (k, k) int, row acts on column
    source: str

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame(self.values, index=self.codes, columns=self.codes)


@dataclass
class ExpertResult:
    nodes: pd.DataFrame
    meta: dict

    def describe(self) -> list[str]:
        m = self.meta
        return [
            f"method: {m['method']}",
            f"matrix: {m['source']}: {m['nodes']} {m['level']} nodes, {m['links']} scored links "
            f"({m['positive_links']} positive, {m['negative_links']} negative)",
            "formulas: influence = A1 (row sum); influenced = A'1 (column sum); "
            "second_order = A1 + A(A1); rank by second_order, then influence",
        ]


def _framework_codes() -> dict[str, tuple[str, str]]:
    fw = reference._read_csv("sdg_framework_2025.csv")
    fw = fw[fw["level"].isin(["goal", "target"])]
    return {c: (lvl, t) for c, lvl, t in zip(fw["code"], fw["level"], fw["title"])}


def read_matrix(path: str | Path) -> CrossImpactMatrix:
    """Read and validate a cross-impact matrix CSV; raise InvalidInputError naming every problem."""
    path = Path(path)
    name = str(path)
    reader = csv.reader(io.StringIO(textfiles.read_text(path, "cross-impact matrix"), newline=""))
    try:
        rows, lines, previous = [], [], 0
        for row in reader:  # keep each row's physical line (blank lines, multi-line cells)
            start, previous = previous + 1, reader.line_num
            rows.append(row)
            lines.append(start)
    except csv.Error as exc:  # a cell over the csv module's field limit (128 KB) ...
        raise InvalidInputError(
            [Problem(name, reader.line_num, None, None, f"a CSV matrix of scores -3..+3 ({exc})")]
        ) from None
    kept = [i for i, r in enumerate(rows) if any(c.strip() for c in r)]
    rows, lines = [rows[i] for i in kept], [lines[i] for i in kept]
    if len(rows) < 3:
        raise InvalidInputError(
            [Problem(name, None, None, None, "a header row of codes and at least two rows of scores")]
        )
    known = _framework_codes()
    problems: list[Problem] = []
    header = [c.strip() for c in rows[0][1:]]
    while header and header[-1] == "":
        header.pop()
    for k, code in enumerate(header):
        if code not in known:
            problems.append(Problem(name, lines[0], f"column {k + 2}", code, "an SDG goal (3) or target (3.2) code"))
    if len(set(header)) != len(header):
        dup = sorted({c for c in header if header.count(c) > 1})
        problems.append(Problem(name, lines[0], None, ", ".join(dup), "each code once in the header"))
    row_codes, values = [], np.zeros((len(rows) - 1, len(header)), dtype=np.int64)
    for r, row in enumerate(rows[1:]):
        line = lines[r + 1]
        code = row[0].strip() if row else ""
        row_codes.append(code)
        if code not in known:
            problems.append(Problem(name, line, "first column", code, "an SDG goal (3) or target (3.2) code"))
        cells = [c.strip() for c in row[1:]]
        extra = [c for c in cells[len(header) :] if c]
        if extra:
            problems.append(Problem(name, line, None, ",".join(extra), f"{len(header)} scores (one per header code)"))
        for k, col in enumerate(header):
            text = cells[k] if k < len(cells) else ""
            score = _score(text)
            if score is None:
                problems.append(Problem(name, line, col, text, "an integer score from -3 to +3 (blank = 0)"))
            else:
                values[r, k] = score
    levels = {known[c][0] for c in header + row_codes if c in known}
    if len(levels) > 1:
        problems.append(Problem(name, None, None, None, "all codes at one level: goals only or targets only"))
    if not problems and (sorted(row_codes) != sorted(header) or len(set(row_codes)) != len(row_codes)):
        missing = sorted(set(header) - set(row_codes))
        extra_rows = sorted(set(row_codes) - set(header))
        dups = sorted({c for c in row_codes if row_codes.count(c) > 1})
        problems.append(
            Problem(
                name,
                None,
                "first column",
                f"rows missing {missing}, extra {extra_rows}, repeated {dups}",
                "a square matrix: the same codes as rows and as columns, once each",
            )
        )
    if problems:
        raise InvalidInputError(problems)
    order = [row_codes.index(c) for c in header]
    values = values[order]
    diagonal = np.flatnonzero(np.diag(values))
    if len(diagonal):
        raise InvalidInputError(
            [
                Problem(
                    name,
                    order[k] + 2,
                    header[k],
                    str(values[k, k]),
                    "0 or blank on the diagonal (a node does not score itself)",
                )
                for k in diagonal
            ]
        )
    return CrossImpactMatrix(header, values, name)


def _score(text: str) -> int | None:
    if text == "":
        return 0
    try:
        number = float(text)
    except ValueError:
        return None
    if number != int(number) or not -3 <= number <= 3:
        return None
    return int(number)


def analyse_matrix(matrix: CrossImpactMatrix) -> ExpertResult:
    a = matrix.values.astype(float)
    ones = np.ones(len(a))
    influence = a @ ones
    second = influence + a @ influence
    known = _framework_codes()
    nodes = pd.DataFrame(
        {
            "code": matrix.codes,
            "title": [known.get(c, ("", ""))[1] for c in matrix.codes],
            "influence": influence.astype(int),
            "influenced": (a.T @ ones).astype(int),
            "second_order": second.astype(int),
            "positive_out": (a > 0).sum(axis=1),
            "negative_out": (a < 0).sum(axis=1),
            "positive_in": (a > 0).sum(axis=0),
            "negative_in": (a < 0).sum(axis=0),
        }
    )
    nodes = nodes.sort_values(["second_order", "influence"], ascending=False, kind="stable").reset_index(drop=True)
    nodes.insert(
        0,
        "rank",
        nodes[["second_order", "influence"]].apply(tuple, axis=1).rank(method="min", ascending=False).astype(int),
    )
    level = known.get(matrix.codes[0], ("node", ""))[0]
    meta = {
        "method": "cross-impact matrix on Nilsson's 7-point scale (-3 cancelling .. +3 indivisible), "
        "row = the node whose progress acts",
        "source": matrix.source,
        "level": level,
        "nodes": len(a),
        "links": int(np.count_nonzero(a)),
        "positive_links": int((a > 0).sum()),
        "negative_links": int((a < 0).sum()),
    }
    return ExpertResult(nodes[NODE_COLUMNS], meta)
