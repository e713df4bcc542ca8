"""How an indicator's breakdowns nest (publish/outputs/edges.py), on small tables whose answer is known."""

from __future__ import annotations

import json

import numpy as np

from sdgtrack.publish.outputs.edges import edges, edges_csv, edges_json
from sdgtrack.publish.outputs.tables import Table


def table(**columns) -> Table:
    n = len(next(iter(columns.values())))
    return Table({k: np.array(v, dtype=object) for k, v in columns.items()}, np.zeros(n, dtype=bool))


def test_a_breakdown_nests_under_the_one_it_needs():
    # Region only where Country is filled (England's regions); Sex on its own
    t = table(
        Year=["2015"] * 6,
        Country=[None, "England", "England", "Wales", None, None],
        Region=[None, None, "London", None, None, None],
        Sex=[None, None, None, None, "Female", "Male"],
        Units=["%"] * 6,
        Value=[1.0] * 6,
    )
    assert edges(t) == [("Country", "Region")]


def test_only_the_nearest_parent_is_kept():
    # Country > Region > Local authority: Country is Region's parent, Region the authority's
    t = table(
        Country=["England", "England", "England", "Wales", None],
        Region=[None, "London", "London", None, None],
        **{"Local authority": [None, None, "Camden", None, None]},
        Value=[1.0] * 5,
    )
    assert edges(t) == [("Country", "Region"), ("Region", "Local authority")]


def test_columns_always_filled_together_nest_left_over_right():
    t = table(Age=["15-24", None, "25-64"], Sex=["Female", None, "Male"], Value=[1.0, 2.0, 3.0])
    assert edges(t) == [("Age", "Sex")]
    swapped = table(Sex=["Female", None, "Male"], Age=["15-24", None, "25-64"], Value=[1.0, 2.0, 3.0])
    assert edges(swapped) == [("Sex", "Age")]


def test_independent_breakdowns_and_attributes_have_no_edges():
    t = table(
        Sex=["Female", None, None],
        Age=[None, "15-24", None],
        **{"Observation status": ["A", "A", "A"], "Unit multiplier": ["Units"] * 3},
        GeoCode=["E92000001", None, None],
        Value=[1.0, 2.0, 3.0],
    )
    assert edges(t) == []
    assert edges_json([]) == b"[]" and edges_csv([]) == b"From,To\n"


def test_files_in_sdg_builds_shape():
    pairs = [("Country", "Region"), ("Country", "Birthweight (grams), total")]
    assert json.loads(edges_json(pairs)) == {
        "From": ["Country", "Country"],
        "To": ["Region", "Birthweight (grams), total"],
    }
    assert edges_csv(pairs) == b'From,To\nCountry,Region\nCountry,"Birthweight (grams), total"\n'
