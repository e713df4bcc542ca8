"""A city the store does not hold (the README's `city compare Asker Kristiansund` before importing
them) gets the city message naming the cities there are and how to import one, not "unknown area"."""

from __future__ import annotations

import pytest

import sdgtrack
from sdgtrack.errors import UserInputError

from .conftest import shared_path


def test_unknown_city_names_the_cities_and_the_import(tmp_path):
    with sdgtrack.open(tmp_path / "store.duckdb") as ws:
        with pytest.raises(UserInputError, match=r"'Asker' is not a city in this store; expected one of: none yet"):
            ws.city_compare(["Asker", "Kristiansund"])
        ws.city_import(shared_path("u4ssc", "city_values.csv"), city="Karmøy")
        with pytest.raises(UserInputError, match=r"'Asker' is not a city in this store; expected one of: Karmøy"):
            ws.city_compare(["Asker", "Kristiansund"])
