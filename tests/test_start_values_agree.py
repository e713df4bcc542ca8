"""The selection a repository's page opens on (``data_start_values``) is read once (store/display.py):
the indicator page's first selection and the headline rule's "source default" step see the same
values, on the real UK and Canada repositories (issue 20)."""

from __future__ import annotations

import pandas as pd
import pytest

import sdgtrack

from .conftest import shared_path


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("start")
    ws = sdgtrack.open(tmp / "store.duckdb")
    for name in ("uk", "canada"):
        ws.ingest(shared_path("opensdg", name), skip_invalid=True, rejected_path=tmp / f"{name}.csv")
    yield ws
    ws.close()


def test_page_start_selection_and_headline_rule_read_the_same_values(loaded):
    ws = loaded
    rows = ws.start_values()
    assert {"opensdg-uk", "opensdg-canada"} <= set(rows["dataset"])
    codes = sorted(set(rows["indicator"]))
    assert len(codes) > 30  # the UK's 29 and Canada's dozens of indicators set one
    for dataset in ("opensdg-uk", "opensdg-canada"):
        pages = ws.display_settings(codes, dataset)
        mine = rows[rows["dataset"] == dataset]
        for code, part in mine.groupby("indicator"):
            page = [(v["field"], v["value"], v["series"]) for v in pages[code]["start_values"]]
            read = [(f, v, None if pd.isna(s) else s) for f, v, s in zip(part["field"], part["value"], part["series"])]
            assert page == read, code


def test_a_headline_chosen_by_its_start_values_is_the_page_selection(loaded):
    ws = loaded
    chosen = ws.headline_series(datasets=["opensdg-uk"])
    by_start = chosen[chosen["reason"] == "start"]
    assert len(by_start) > 0
    pages = ws.display_settings(sorted(by_start["indicator"]), "opensdg-uk")
    labels = ws.store.sql(
        "SELECT code, description FROM series WHERE code IN (SELECT unnest(?::VARCHAR[]))", [list(by_start["series"])]
    )
    description = dict(zip(labels["code"], labels["description"]))
    for code, series in zip(by_start["indicator"], by_start["series"]):
        wanted = {v["value"].strip().casefold() for v in pages[code]["start_values"] if v["field"].lower() == "series"}
        assert description[series].strip().casefold() in wanted, (code, series)
