"""The datasets invariant on the real sources: loading, re-loading or removing one dataset changes
no row of any other dataset (value, flags, anything), whatever the load order."""

from __future__ import annotations

import pytest

import sdgtrack
from sdgtrack.ingest import load

from .conftest import shared_path

# (dataset id, path under shared/data, ingest options). Goal14.xlsx is the UN's own Excel download:
# by default it joins the `unsd` dataset; here it gets its own id so the two can be told apart.
SOURCES = [
    ("unsd", ("unsd", "sdg_global_2020.csv.gz"), {}),
    ("unsd-goal14", ("unsd", "Goal14.xlsx"), {"dataset": "unsd-goal14"}),
    ("opensdg-uk", ("opensdg", "uk"), {"skip_invalid": True}),  # ONS files repeat keys with two values
    ("opensdg-canada", ("opensdg", "canada"), {"skip_invalid": True}),
    ("opensdg-rwanda", ("opensdg", "rwanda"), {}),
    ("sdr2024_indicators", ("sdr", "sdr2024_indicators.csv"), {}),
]
# Each source first once and last once: the six rotations of the list.
ORDERS = [SOURCES[k:] + SOURCES[:k] for k in range(len(SOURCES))]


def fingerprints(db) -> dict[str, tuple[int, int]]:
    """Per dataset: row count and the sum of a hash of every column of every row."""
    rows = db.con.execute("""
        SELECT dataset, count(*), sum(hash(series, area, period, year, dims, unit, value, value_text, is_headline,
                                          nature, obs_status, source, footnote, source_file, load_id)::HUGEINT)
        FROM observation GROUP BY dataset""").fetchall()
    return {d: (n, int(h)) for d, n, h in rows}


def assert_others_unchanged(before: dict, after: dict, changed: str) -> None:
    for dataset, print_ in before.items():
        if dataset != changed:
            assert after.get(dataset) == print_, f"loading {changed} changed dataset {dataset}"


@pytest.mark.parametrize("order", ORDERS, ids=[o[0][0] + "-first" for o in ORDERS])
def test_no_load_changes_another_dataset(order, tmp_path):
    paths = {ident: shared_path(*parts) for ident, parts, _ in order}
    with sdgtrack.Database(tmp_path / "store.duckdb") as db:
        for ident, _, options in order:
            before = fingerprints(db)
            report = load(db, paths[ident], rejected_path=tmp_path / f"{ident}-rejected.csv", **options)
            assert report.dataset == ident
            after = fingerprints(db)
            assert after[ident][0] > 0
            assert_others_unchanged(before, after, ident)
        # the README tour's failure: Rwanda's SDMX file no longer takes the UN's headline rows
        assert len(db.observations("SH_DYN_MORT", areas=["AFG"], datasets=["unsd"])) == 20
        # re-loading the first source and removing the last change nothing else either
        first, last = order[0], order[-1]
        before = fingerprints(db)
        again = load(db, paths[first[0]], rejected_path=tmp_path / "again.csv", **first[2])
        assert again.new == again.updated == again.missing == 0
        assert fingerprints(db) == before
        db.remove_dataset(last[0])
        after = fingerprints(db)
        assert last[0] not in after
        assert_others_unchanged(before, after, last[0])
