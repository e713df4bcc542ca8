"""Errors a user can cause. Faces print them as one clear message, never a traceback."""
from __future__ import annotations

from dataclasses import dataclass


class SdgtrackError(Exception):
    """Base class of errors caused by input (files, codes, options), not by a bug."""


class UserInputError(SdgtrackError):
    """A single problem with something the user gave (an unknown code, a bad option)."""


@dataclass(frozen=True)
class Problem:
    """One invalid thing in an input file: where it is, what it holds, what was expected."""

    file: str
    line: int | None  # 1-based line (CSV) or row (Excel); None for file-level problems
    column: str | None
    value: str | None
    expected: str

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            # Excel users think in rows (the number at the left of the sheet), CSV users in lines.
            label = "row" if self.file.lower().endswith((".xlsx", ".xlsm")) else "line"
            where += f", {label} {self.line}"
        if self.column:
            where += f", column '{self.column}'"
        got = "" if self.value is None else f": got {self.value!r}"
        # "file: expected ..." when there is no offending value to quote
        return f"{where}{got}; expected {self.expected}" if got else f"{where}: expected {self.expected}"


class InvalidInputError(SdgtrackError):
    """An input failed validation; nothing was changed. Carries every problem found."""

    def __init__(self, problems: list[Problem], total: int | None = None):
        self.problems = problems
        self.total = total if total is not None else len(problems)
        super().__init__(self.summary())

    def summary(self, limit: int = 20) -> str:
        lines = [str(p) for p in self.problems[:limit]]
        if self.total > limit:
            lines.append(f"... and {self.total - limit} more problems")
        lines.append(f"{self.total} problem(s); nothing was loaded")
        return "\n".join(lines)
