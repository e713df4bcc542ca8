"""The index codebook: one row per indicator with its goal, bounds, colour thresholds and flags.

Columns: ``indicator, goal, optimum, lower_bound, green_threshold, red_threshold, in_index, trend``
(``yes``/``no``); other columns (``title`` ...) are kept and ignored. Direction follows from the
bounds: lower is better when the optimum is below the lower bound. A codebook is checked whole:
every bad cell is reported with its line, and nothing is computed from a bad codebook.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from .. import textfiles
from ..errors import InvalidInputError, Problem
from ..plurals import count

REQUIRED = ["indicator", "goal", "optimum", "lower_bound", "green_threshold", "red_threshold", "in_index", "trend"]
NUMERIC = ["optimum", "lower_bound", "green_threshold", "red_threshold"]
GOALS = range(1, 18)


class IndexInputError(InvalidInputError):
    """A bad codebook or regions file: nothing was computed."""

    def summary(self, limit: int = 20) -> str:
        return super().summary(limit).rsplit("\n", 1)[0] + f"\n{count(self.total, 'problem')}; nothing was computed"


def shipped(name: str) -> Path:
    """A reference table shipped in ``sdgtrack/index/data`` (e.g. ``sdr2024_codebook.csv``)."""
    return Path(str(resources.files("sdgtrack.index") / "data" / name))


SHIPPED = {"codebook": "{}_codebook.csv", "regions file": "{}_regions.csv"}


def read_table(source, what: str, required: list[str]) -> tuple[pd.DataFrame, str]:
    """A CSV path or a DataFrame as text cells with a ``line`` column (the line a person sees).

    A name that is not a file but names a shipped table (``sdr2024`` for the codebook, ``sdr2023``
    for the regions) reads that table."""
    if not isinstance(source, pd.DataFrame) and not Path(source).exists() and what in SHIPPED:
        candidate = shipped(SHIPPED[what].format(Path(source).name))
        if "/" not in str(source) and candidate.exists():
            source = candidate
    if isinstance(source, pd.DataFrame):
        frame, name = source.astype(object).where(source.notna(), "").astype(str), f"<{what} table>"
    else:
        name = str(source)
        # each row keeps its physical line (blank lines and multi-line cells counted)
        frame = textfiles.read_csv(source, what, line_column="__line")
    lines = frame.pop("__line").to_numpy() if "__line" in frame.columns else np.arange(2, len(frame) + 2)
    frame.columns = [str(c).strip() for c in frame.columns]
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise IndexInputError(
            [
                Problem(name, 1, c, None, f"a column named {c!r} in the {what} header ({', '.join(required)})")
                for c in missing
            ]
        )
    if frame.empty:
        raise IndexInputError([Problem(name, 2, None, None, f"at least one row after the header of the {what}")])
    frame = frame.reset_index(drop=True)
    for c in frame.columns:
        frame[c] = frame[c].astype(str).str.strip()
    frame["line"] = lines
    return frame, name


def load_codebook(source) -> pd.DataFrame:
    """Read and check a codebook (CSV path or DataFrame); returns typed rows with normalised thresholds.

    Added columns: ``higher_is_better``, ``green_score`` and ``red_score`` (the thresholds on the
    0-100 scale, so colours and trends are computed in one direction for every indicator).
    """
    raw, name = read_table(source, "codebook", REQUIRED)
    problems: list[Problem] = []

    def bad(mask: pd.Series, column: str, expected: str) -> None:
        for _, row in raw[mask].iterrows():  # only the offending rows: a handful at most
            problems.append(Problem(name, int(row["line"]), column, row[column], expected))

    bad(raw["indicator"] == "", "indicator", "an indicator (series) code")
    bad(
        raw["indicator"].duplicated(keep="first") & (raw["indicator"] != ""),
        "indicator",
        "each indicator once in the codebook",
    )
    goal = pd.to_numeric(raw["goal"], errors="coerce")
    bad(~goal.isin(list(GOALS)), "goal", "a goal number from 1 to 17")
    nums = {c: pd.to_numeric(raw[c], errors="coerce") for c in NUMERIC}
    for c in NUMERIC:
        bad(nums[c].isna() | ~np.isfinite(nums[c].fillna(0)), c, "a number")
    for c in ("in_index", "trend"):  # a DataFrame given to the API may hold booleans
        raw[c] = raw[c].str.lower().replace({"true": "yes", "false": "no"})
        bad(~raw[c].str.lower().isin(["yes", "no"]), c, "yes or no")
    opt, low = nums["optimum"], nums["lower_bound"]
    valid_bounds = opt.notna() & low.notna()
    bad(
        valid_bounds & (opt == low),
        "optimum",
        "an optimum different from the lower bound (they define the 0-100 scale)",
    )
    span = (opt - low).where(valid_bounds & (opt != low))
    green_score = 100 * (nums["green_threshold"] - low) / span
    red_score = 100 * (nums["red_threshold"] - low) / span
    eps = 1e-9
    for c, score in (("green_threshold", green_score), ("red_threshold", red_score)):
        bad(
            score.notna() & ((score < -eps) | (score > 100 + eps)),
            c,
            "a threshold between the lower bound and the optimum",
        )
    bad(
        green_score.notna() & red_score.notna() & (green_score < red_score - eps),
        "green_threshold",
        "a green threshold at least as good as the red threshold",
    )
    if problems:
        problems.sort(key=lambda p: p.line or 0)
        raise IndexInputError(problems)
    book = raw.copy()
    book["goal"] = goal.astype(int)
    for c in NUMERIC:
        book[c] = nums[c].astype(float)
    book["in_index"] = raw["in_index"].str.lower() == "yes"
    book["trend"] = raw["trend"].str.lower() == "yes"
    book["higher_is_better"] = opt > low
    book["green_score"] = green_score.clip(0, 100)
    book["red_score"] = red_score.clip(0, 100)
    book.attrs["source"] = name
    return book
