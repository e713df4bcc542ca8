"""Errors a user can cause. Faces print them as one clear message, never a traceback."""

from __future__ import annotations

import errno
from dataclasses import dataclass

from .plurals import count


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
        lines.append(f"{count(self.total, 'problem')}; nothing was loaded")
        return "\n".join(lines)


def fault_message(exc: BaseException) -> tuple[str, int]:
    """One line naming a fault that is not a user error (database, disk, encoding, interrupt, bug),
    and the exit status. Faces print it instead of a traceback; every store write is one
    transaction, so a fault leaves the store as it was."""
    import duckdb

    first = (str(exc).strip().splitlines() or [""])[0][:300]
    # DuckDB raises InterruptException, or RuntimeError("Query interrupted") while fetching a result
    if isinstance(exc, duckdb.InterruptException) or (isinstance(exc, RuntimeError) and "interrupted" in first.lower()):
        return "interrupted; nothing was changed by the unfinished command", 130
    if (isinstance(exc, OSError) and exc.errno == errno.ENOSPC) or "No space left on device" in first:
        return (f"the disk is full ({first}); nothing was changed: free some space and run the command again", 1)
    if isinstance(exc, (duckdb.OutOfMemoryException, MemoryError)):
        return f"out of memory ({first or 'no detail'}); try fewer files, areas or series at once", 1
    if isinstance(exc, duckdb.Error) and ("Corrupt database" in first or "not a valid DuckDB" in first):
        return (
            f"the database file is damaged ({first}); restore a copy, or build a new store by loading "
            "the data again with `sdgtrack ingest --db NEW_FILE`",
            1,
        )
    if isinstance(exc, duckdb.Error):
        return (
            f"database error ({type(exc).__name__}): {first}; the store keeps its last committed state "
            "(if the file is damaged, rebuild it with `sdgtrack ingest`)",
            1,
        )
    if isinstance(exc, PermissionError):
        return f"permission denied: {exc.filename or first}", 1
    if isinstance(exc, IsADirectoryError):
        return f"{exc.filename}: is a folder; expected a file", 1
    if isinstance(exc, FileNotFoundError):
        return f"{exc.filename or first}: no such file", 1
    if isinstance(exc, OSError):
        where = f"{exc.filename}: " if exc.filename else ""
        return f"{where}{exc.strerror or first}", 1
    if isinstance(exc, UnicodeError):
        return f"text is not in the expected encoding ({first}); expected UTF-8", 1
    if isinstance(exc, RecursionError):
        return "the input is nested too deeply to read", 1
    return (
        f"internal error ({type(exc).__name__}: {first}). This is a bug in sdgtrack: please report it "
        "with the command you ran (SDGTRACK_DEBUG=1 shows the traceback)",
        1,
    )


class NotAllowed(SdgtrackError):
    """The signed-in user may not do this (data entry; HTTP 403)."""


class NotFound(UserInputError):
    """Nothing of that name, or not one this user may see (HTTP 404): a change request or record
    (another entity's drafts stay unseen), an SDMX dataflow or structure, no matching observations."""


class TooLarge(UserInputError):
    """The answer would exceed the bound of one request (HTTP 413)."""
