"""Observation reads: which rows a query sees, from which dataset, as of when.

Three rules every read shares, so no analysis has to know them:
- **as of**: without a date, the current rows; with one, the rows as the store stood then
  (current rows written by then, plus earlier versions from ``observation_history`` that were
  still current at that time).
- **datasets**: ``None`` means every dataset; a list restricts to those, in that order of
  preference.
- **one dataset per time series**: where several datasets give a series for the same area, the
  rows of one dataset only (the first by preference: the user's list, else the store's
  precedence set with `sdgtrack datasets prefer`, else national before global), never a mix of
  years from two sources.
"""

from __future__ import annotations

import datetime as dt
from typing import Callable, Iterable, Sequence

import duckdb

from ..errors import UserInputError

# Default preference by kind: a country's own figures before the UN's (national statistics
# offices report their data first; the global database is the fallback).
KIND_ORDER = ("national", "subnational", "city", "other", "global")
# The order of preference of the dataset table: the user's (`datasets prefer`), then kind, then id.
PREFERENCE_ORDER = "precedence NULLS LAST, list_position([" + ", ".join(f"'{k}'" for k in KIND_ORDER) + "], kind), id"
OBSERVATION_COLUMNS = (
    "dataset",
    "series",
    "area",
    "period",
    "year",
    "dims",
    "unit",
    "value",
    "value_text",
    "is_headline",
    "nature",
    "obs_status",
    "source",
    "footnote",
    "source_file",
    "load_id",
    # what the source said beside the value (migration 6)
    "unit_measure",
    "unit_multiplier",
    "geocode",
    "source_dims",
    "attributes",
    "variant",
)


# The physical order of the observation table (loads insert in it; migration 7 rewrote older
# stores in it): DuckDB skips row groups by their min/max, so a series x area read touches one or
# two row groups per load instead of most of the table (docs/scale.md, "Reads").
OBSERVATION_ORDER = "series, area"


def parse_as_of(value: str | dt.date | None) -> dt.datetime | None:
    """A date or time given by a user: '2026-11-30', '2026-11-30 14:05', a date or datetime."""
    if value is None or isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time.max)  # "as of a day": by the end of it
    text = str(value).strip()
    try:
        parsed = dt.datetime.fromisoformat(text)
    except ValueError:
        raise UserInputError(
            f"--as-of {text!r}: expected a date or time such as 2026-11-30 or 2026-11-30T14:05"
        ) from None
    if len(text) <= 10:  # a date: by the end of that day
        return dt.datetime.combine(parsed.date(), dt.time.max)
    # a time as a person writes it (the history shows whole seconds): by the end of that minute or second
    if "." not in text:
        parsed = parsed.replace(microsecond=999999, second=parsed.second if text.count(":") >= 2 else 59)
    return parsed


def source_sql(as_of: dt.datetime | None) -> tuple[str, list]:
    """A relation with the observation columns: the current rows, or the rows as of a time."""
    if as_of is None:
        return "observation", []
    hcols = ", ".join(f"h.{c}" for c in OBSERVATION_COLUMNS)
    ocols = ", ".join(f"o.{c}" for c in OBSERVATION_COLUMNS)
    return (
        f"""(SELECT {ocols} FROM observation o JOIN load l ON l.id = o.load_id WHERE l.loaded_at <= ?
                 UNION ALL
                 SELECT {hcols} FROM observation_history h
                 JOIN load written ON written.id = h.load_id JOIN load gone ON gone.id = h.superseded_load
                 WHERE written.loaded_at <= ? AND gone.loaded_at > ?)""",
        [as_of, as_of, as_of],
    )


def preference(con: duckdb.DuckDBPyConnection, datasets: Sequence[str] | None) -> list[str]:
    """The dataset ids a read takes, most preferred first: ``datasets`` as given (unknown ids are an
    error), else every dataset of the store in its order of preference."""
    if isinstance(datasets, str):  # one id given as a string, not its letters
        datasets = [datasets]
    if datasets:
        ids = list(dict.fromkeys(datasets))
        known = {r[0] for r in con.execute("SELECT id FROM dataset").fetchall()}
        unknown = [d for d in ids if d not in known]
        if unknown:
            raise UserInputError(
                f"unknown dataset {', '.join(unknown)}: expected one of "
                f"{', '.join(sorted(known)) or '(none loaded yet)'} (see `sdgtrack datasets list`)"
            )
        return ids
    return [r[0] for r in con.execute(f"SELECT id FROM dataset ORDER BY {PREFERENCE_ORDER}").fetchall()]


def in_list(column: str, values: Sequence[str]) -> tuple[str, list]:
    """``column IN (?, ?, ...)``: a list of constants DuckDB checks against each row group's min and
    max before reading it (an ``IN (SELECT unnest(?))`` is a join, and prunes only through the
    join's dynamic filter). No values: no row."""
    values = list(values)
    if not values:
        return "FALSE", []
    if len(values) == 1:
        return f"{column} = ?", values
    return f"{column} IN ({', '.join('?' * len(values))})", values


def filters(
    resolve_series: Callable[[str], Iterable[str]],
    resolve_areas: Callable[[Sequence[str]], list[str] | None],
    code: str | Sequence[str] | None,
    areas: Sequence[str] | None,
    start: int | None,
    end: int | None,
    alias: str = "o",
) -> tuple[list[str], list]:
    """SQL conditions for a code (series, indicator, target or goal), areas and a year range."""
    where: list[str] = []
    params: list = []
    if code is not None:
        codes = [code] if isinstance(code, str) else list(code)
        condition, values = in_list(f"{alias}.series", sorted({s for c in codes for s in resolve_series(c)}))
        where.append(condition)
        params += values
    if areas:
        condition, values = in_list(f"{alias}.area", list(dict.fromkeys(resolve_areas(areas) or [])))
        where.append(condition)
        params += values
    if start is not None:
        where.append(f"{alias}.year >= ?")
        params.append(int(start))
    if end is not None:
        where.append(f"{alias}.year <= ?")
        params.append(int(end))
    return where, params


def ranked_sql(
    con: duckdb.DuckDBPyConnection,
    where: list[str],
    params: list,
    datasets: Sequence[str] | None,
    as_of: dt.datetime | None,
    order: Sequence[str] | None = None,
) -> tuple[str, list]:
    """The filtered rows of every dataset read, each with its dataset's ``rank`` (lower is preferred).
    ``order``: :func:`preference` of ``datasets`` when the caller has it already."""
    source, source_params = source_sql(as_of)
    ids = list(order) if order is not None else preference(con, datasets)
    # the rank is a lookup in a list of the few dataset ids, not a join: a small read stays one scan
    taken, taken_params = in_list("o.dataset", ids)
    condition = " AND ".join([taken, *where])
    return (
        f"SELECT o.*, list_position(?::VARCHAR[], o.dataset) AS rank FROM {source} o WHERE {condition}",
        [ids] + source_params + taken_params + params,
    )


def picked_sql(
    con: duckdb.DuckDBPyConnection,
    where: list[str],
    params: list,
    datasets: Sequence[str] | None,
    as_of: dt.datetime | None,
    order: Sequence[str] | None = None,
) -> tuple[str, list]:
    """The filtered rows, restricted to the preferred dataset of each (series, area)."""
    ids = list(order) if order is not None else preference(con, datasets)
    ranked, ranked_params = ranked_sql(con, where, params, datasets, as_of, ids)
    if len(ids) <= 1:  # one dataset read: nothing to choose between
        return f"SELECT * EXCLUDE (rank) FROM ({ranked})", ranked_params
    # ranks are unique per dataset, so the rows at the lowest rank of a (series, area) are its
    # preferred dataset's: one pass over the rows read (a self-join would read them twice)
    return (
        f"""SELECT * EXCLUDE (rank) FROM ({ranked})
                QUALIFY rank = min(rank) OVER (PARTITION BY series, area)""",
        ranked_params,
    )
