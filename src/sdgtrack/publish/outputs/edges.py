"""``LANG/edges/3-2-2.csv|json`` (how an indicator's disaggregations nest) and ``LANG/comb/3-2-2.json``
(its data and edges in one file), as sdg-build publishes them: Open SDG's disaggregation selectors
read them to show a breakdown only under the one it belongs to (Region under Country).

Column ``A`` is the parent of column ``B`` when ``B`` is only ever filled on rows where ``A`` is, and
``A`` is sometimes filled without ``B``; two columns always filled together nest the left one over
the right one. A parent's own parents are then removed from a child's parents, so only the nearest
parent remains. The test runs over whole columns: one matrix product of the (rows x columns) filled
mask counts, for every pair at once, the rows where one is filled and the other blank; the loops
that follow run over pairs of column names (a handful), never over rows.

Edges name the columns as each language's data files name them (the repository's translations):
languages without translations share one key, so their files share their bytes.
"""

from __future__ import annotations

import csv
import io
from functools import partial
from typing import Callable, Iterator

import numpy as np
import pandas as pd

from ..site import Site, SiteFile, producer, slug
from .data import indicator_file, with_data, without_data
from .tables import NOT_DISAGGREGATIONS, Table, dump, translated_table, translation_key


def disaggregation_columns(table: Table) -> list[str]:
    return [name for name in table.columns if name not in NOT_DISAGGREGATIONS]


def edges(table: Table) -> list[tuple[str, str]]:
    """(parent, child) pairs of the table's disaggregation columns, nearest parents only."""
    names = disaggregation_columns(table)
    if len(names) < 2 or len(table) == 0:
        return []
    filled = np.column_stack(
        [(pd.Series(table.columns[n]).notna() & pd.Series(table.columns[n]).ne("")).to_numpy() for n in names]
    ).astype(np.int64)
    # without[a, b]: rows where column a is filled and column b is blank
    without = filled.T @ (1 - filled)
    nonempty = [bool(v) for v in np.asarray(filled.sum(axis=0) > 0)]
    found: list[tuple[int, int]] = []
    for a in range(len(names)):
        for b in range(a + 1, len(names)):
            a_alone, b_alone = without[a, b] > 0, without[b, a] > 0
            if a_alone and not b_alone and nonempty[b]:
                found.append((a, b))
            elif b_alone and not a_alone and nonempty[a]:
                found.append((b, a))
            elif not a_alone and not b_alone and nonempty[a] and nonempty[b]:
                found.append((a, b))  # always together: the left column is the parent
    for child in list(dict.fromkeys(b for _, b in found)):
        ancestors: set[int] = set()
        frontier = [a for a, b in found if b == child]
        while frontier:
            grand = [a for a, b in found if b in frontier]
            frontier = [g for g in grand if g not in ancestors]
            ancestors.update(grand)
        found = [(a, b) for a, b in found if not (b == child and a in ancestors)]
    return [(names[a], names[b]) for a, b in found]


def edges_json(pairs: list[tuple[str, str]]) -> bytes:
    if not pairs:  # sdg-build writes an empty list, not empty columns
        return b"[]"
    return dump({"From": [a for a, _ in pairs], "To": [b for _, b in pairs]})


def edges_csv(pairs: list[tuple[str, str]]) -> bytes:
    sink = io.StringIO()
    writer = csv.writer(sink, lineterminator="\n")
    writer.writerow(["From", "To"])
    writer.writerows(pairs)
    return sink.getvalue().encode("utf-8")


def _pairs(site: Site, code: str, lang: str) -> list[tuple[str, str]]:
    held = site.memo(f"_edges:{translation_key(site, lang)}", dict)
    assert isinstance(held, dict)
    if code not in held:
        held[code] = edges(translated_table(site, code, lang))
    return held[code]


def comb(site: Site, lang: str, code: str) -> bytes:
    """``{"data": <data/ID.json>, "edges": <edges/ID.json>}``, spliced from the two files' bytes."""
    data = site.content(indicator_file(site, lang, "data", "json", code))
    return b'{"data":' + data + b',"edges":' + edges_json(_pairs(site, code, lang)) + b"}"


@producer
def indicator_edges(site: Site) -> Iterator[SiteFile]:
    for lang in site.options.langs:
        for code in with_data(site):
            key = (site.indicator_key(code), translation_key(site, lang))
            name = slug(code)
            yield SiteFile(
                f"{lang}/edges/{name}.json",
                partial(_render_edges, site, code, lang, edges_json),
                site.key("edges", "json", key),
                about=code,
            )
            yield SiteFile(
                f"{lang}/edges/{name}.csv",
                partial(_render_edges, site, code, lang, edges_csv),
                site.key("edges", "csv", key),
                about=code,
            )
            yield SiteFile(
                f"{lang}/comb/{name}.json", partial(comb, site, lang, code), site.key("comb", key), about=code
            )
        for code in without_data(site):  # no data: no breakdowns (sdg-build's files)
            name = slug(code)
            yield SiteFile(f"{lang}/edges/{name}.json", partial(bytes, b"[]"), site.key("empty", "edges", "json"))
            yield SiteFile(f"{lang}/edges/{name}.csv", partial(edges_csv, []), site.key("empty", "edges", "csv"))
            yield SiteFile(
                f"{lang}/comb/{name}.json", partial(bytes, b'{"data":[],"edges":[]}'), site.key("empty", "comb")
            )


def _render_edges(site: Site, code: str, lang: str, encode: Callable[[list[tuple[str, str]]], bytes]) -> bytes:
    return encode(_pairs(site, code, lang))
