"""The Python API of city KPIs; the CLI (and the web pages) call these and only choose a format."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..results import Result
from . import compare as _compare
from . import report, store, template
from .assess import CityScore, score_city


def _store(db):
    """The store behind a workspace, or the store itself: these functions take either."""
    return getattr(db, "store", db)


def city_template(path: str | Path, year: int | None = None) -> Path:
    """Write the collection template (.xlsx or .csv): one row per KPI or data point."""
    return template.write_template(path, year)


def city_score(db, city: str, targets=None) -> CityScore:
    """Scores per KPI and data point and roll-ups per category, sub-dimension and dimension."""
    return score_city(_store(db), city, targets)


def city_report(db, city: str, path: str | Path, targets=None) -> Path:
    """Write the city report as .html or .pdf."""
    db = _store(db)
    score = score_city(db, city, targets)
    return report.write_report(score, report.sdg_links(db), path)


def city_report_html(db, city: str, targets=None) -> str:
    """The city report page as HTML (what `city report --output x.html` writes and the web app serves)."""
    db = _store(db)
    return report.render_html(score_city(db, city, targets), report.sdg_links(db))


def city_compare(db, cities: list[str], targets=None) -> _compare.Comparison:
    """Side by side: every KPI line's value and points, and the roll-ups, for several cities."""
    return _compare.compare(_store(db), cities, targets)


def list_cities(db) -> pd.DataFrame:
    """Cities in the store with how many U4SSC values each holds."""
    db = _store(db)
    cities = db.areas(kind="city")[["code", "name", "parent", "parent_name"]]
    counts = [len(store.city_values(db, c)) for c in cities["code"]]
    return cities.assign(kpi_values=counts)


def city_result(db, cities: str | list[str], targets=None) -> Result:
    """One city's scores, or several cities side by side, as the project's Result kind."""
    names = [cities] if isinstance(cities, str) else list(cities)
    if len(names) == 1:
        return city_score(db, names[0], targets).to_result()
    return city_compare(db, names, targets).to_result()
