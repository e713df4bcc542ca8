"""Totals written as text ("Total", "Both sexes", the country's name) in disaggregation columns.

Open SDG marks the total of a disaggregation with a blank cell, but many files write it out
beside the real splits (Canada's ``Sex=Both sexes``, ``Geography=Canada``; the UK's
``Country=United Kingdom``), so no row of the series is all-blank and the series has no headline.
A reader asks :func:`choose_total` which value of one dimension of one series is its total; that
value is then staged as a blank cell (the total), the same as every other format.

Order of evidence (see docs/ingest.md, "Totals written as text"):
1. the repository's own word: the indicator's ``data_start_values`` (the value its site shows
   first) when it names one value for the dimension and that value reads as a total;
2. the text rules of ``data/total_labels.csv`` (tiers, best first) and the country's names.

A value becomes blank only where it cannot collide: the dimension has no blank cell in the
series (else blank is already its total), and exactly one value of the best tier is found.
:func:`headline_gaps` explains, from the stored rows, why a series still has no headline row.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from .headline import TOTAL_CODES, TOTAL_CODES_BY_DIMENSION

DATA = Path(__file__).resolve().parent / "data" / "total_labels.csv"


@dataclass(frozen=True)
class Rule:
    tier: int
    match: str  # exact, prefix, suffix
    text: str  # lower case


@lru_cache(maxsize=1)
def rules() -> tuple[Rule, ...]:
    with open(DATA, encoding="utf-8", newline="") as f:
        return tuple(Rule(int(r["tier"]), r["match"], r["text"].lower()) for r in csv.DictReader(f))


def _norm(text: str) -> str:
    return " ".join(str(text).split()).casefold()


def tier(value: str, country_names: frozenset[str] = frozenset()) -> int | None:
    """The best tier of the text rules (1 = surest) that ``value`` matches, else None."""
    text = _norm(value)
    if text in country_names:
        return 1
    found = [
        r.tier
        for r in rules()
        if (r.match == "exact" and text == r.text)
        or (r.match == "prefix" and text.startswith(r.text))
        or (r.match == "suffix" and text.endswith(r.text))
    ]
    return min(found) if found else None


def choose_total(values, has_blank: bool, start_values=(), country_names=frozenset()) -> tuple[str | None, str]:
    """(the value of one dimension of one series that is its total, or None; why).

    ``values``: the distinct non-blank values of the dimension in the series; ``has_blank``: whether
    some row of the series leaves it blank; ``start_values``: the repository's ``data_start_values``
    for this dimension; ``country_names``: lower-case names of the repository's country.
    """
    values = sorted(set(values))
    if has_blank:
        return None, "blank cells mark the total"
    names = frozenset(_norm(n) for n in country_names)
    by_norm = {_norm(v): v for v in values}
    starts = {by_norm[_norm(s)] for s in start_values if _norm(s) in by_norm}
    if len(starts) == 1:
        (start,) = starts
        if tier(start, names) is not None:
            return start, "data_start_values"
    tiers = {v: t for v in values if (t := tier(v, names)) is not None}
    if not tiers:
        return None, "no value reads as a total"
    best = min(tiers.values())
    chosen = [v for v, t in tiers.items() if t == best]
    if len(chosen) > 1:
        if len(starts & set(chosen)) == 1:  # the repository's start value settles a tie
            return next(iter(starts & set(chosen))), "data_start_values"
        return None, "several values read as a total: " + ", ".join(chosen)
    return chosen[0], "text rule"


# total codes of the headline rule (any dimension: "", or per dimension), as the reasons must see them
TOTAL_VALUES = {"": set(TOTAL_CODES), **{d: set(TOTAL_CODES) | set(v) for d, v in TOTAL_CODES_BY_DIMENSION.items()}}


def headline_gaps(
    con, series: list[str] | None = None, like: str | None = None, dataset: str | None = None
) -> pd.DataFrame:
    """Series of the store without any headline row, with the reason, one row per series.

    ``series`` limits to these codes, ``like`` to codes matching a SQL LIKE pattern (``'GB:%'``),
    ``dataset`` to one dataset (headline flags are decided per dataset).
    Columns: series, rows, reason. The reason names each dimension that is never blank in the
    series and has no total (its values), or says that several values read as a total.
    """
    where, params = [], []
    if series is not None:
        where.append("series IN (SELECT unnest(?::VARCHAR[]))")
        params.append(list(series))
    if like is not None:
        where.append("series LIKE ?")
        params.append(like)
    if dataset is not None:
        where.append("dataset = ?")
        params.append(dataset)
    filt = ("AND " + " AND ".join(where)) if where else ""
    rows = con.execute(
        f"""
        WITH gap AS (SELECT series, count(*) AS n FROM observation WHERE TRUE {filt}
                     GROUP BY series HAVING NOT bool_or(is_headline)),
        combos AS (SELECT DISTINCT series, dims FROM observation WHERE series IN (SELECT series FROM gap) {filt}),
        n_combos AS (SELECT series, count(*) AS n FROM combos GROUP BY series),
        pairs AS (SELECT series, dims, unnest(string_split(dims, '|')) AS pair FROM combos WHERE dims <> '')
        SELECT g.series, g.n, split_part(p.pair, '=', 1) AS dim,
               list(DISTINCT substr(p.pair, strpos(p.pair, '=') + 1)) AS vals,
               count(DISTINCT p.dims) < any_value(nc.n) AS has_blank
        FROM gap g JOIN n_combos nc USING (series) LEFT JOIN pairs p USING (series)
        GROUP BY ALL ORDER BY g.series, dim""",
        params + params,
    ).fetchall()
    from .canonical import unescape_dim

    out: dict[str, tuple[int, list[str], list[str]]] = {}
    for code, n, dim, vals, has_blank in rows:
        n_rows, reasons, facets = out.setdefault(code, (n, [], []))
        if dim is None:
            continue
        name = unescape_dim(dim)
        if has_blank:
            facets.append(name)
            continue
        if len(vals) == 1 or set(vals) & TOTAL_VALUES.get(name, TOTAL_VALUES[""]):
            continue  # a dimension that defines the series, or one with a total code: not why
        vals = sorted(unescape_dim(v) for v in vals)
        total, why = choose_total(vals, False)
        if total is not None:
            reasons.append(f"{name}: the total is written as text ({total!r}), not as a blank cell")
        else:
            shown = ", ".join(vals[:4]) + (f" ... ({len(vals)} values)" if len(vals) > 4 else "")
            reasons.append(f"{name}: never blank, {why} ({shown})")
    return pd.DataFrame(
        [
            (
                s,
                n,
                "; ".join(r)
                or (
                    "no row is blank in every dimension: each row is split by one of " + ", ".join(f)
                    if f
                    else _combined_reason()
                ),
            )
            for s, (n, r, f) in out.items()
        ],
        columns=["series", "rows", "reason"],
    )


def _combined_reason() -> str:
    return "every dimension alone has a total or defines the series, but no row has the total of all dimensions at once"
