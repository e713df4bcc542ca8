"""Store a checked city return as observations of the city area, through the normal ingest path.

The rows become a tidy CSV (docs/ingest.md: series, area, year, value, unit + a ``data_point``
dimension) in a temporary folder, loaded with ``sdgtrack.ingest.load(db, ..., format="tidy")`` in one
transaction. A KPI the city marks not reported is stored with the not-available code ``N`` and
``obs_status`` ``not_reported``; ``not_verified`` rows keep their number (if the report gives one) and that status.
"""

from __future__ import annotations

import re
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..errors import InvalidInputError, Problem, UserInputError
from ..frameworks import u4ssc
from ..ingest import load as load_files
from .collect import collect

# Letters NFKD does not split into a base letter and a mark.
_TRANSLIT = str.maketrans(
    {
        "ø": "o",
        "Ø": "O",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
        "ß": "ss",
        "ł": "l",
        "Ł": "L",
        "đ": "d",
        "Đ": "D",
        "þ": "th",
        "Þ": "TH",
        "ı": "i",
    }
)


@dataclass
class ImportReport:
    city: str  # area code
    city_name: str
    dataset: str
    rows: int
    reported: int
    not_reported: int
    not_verified: int
    load_summary: str

    def summary(self) -> str:
        return (
            f"{self.city_name} ({self.city}), dataset {self.dataset}: {self.rows} KPI rows "
            f"({self.reported} reported, {self.not_verified} not verified, {self.not_reported} not reported)\n"
            f"{self.load_summary}"
        )


def slug(name: str) -> str:
    """'Karmøy' -> 'karmoy': ASCII, lower case, hyphens."""
    text = unicodedata.normalize("NFKD", name.translate(_TRANSLIT)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def dataset_id(city_code: str) -> str:
    return f"city-{city_code.lower()}"


def dataset_info(city_name: str, sources: list[str]) -> dict:
    """What the store's dataset table records for a city's KPI return."""
    publisher = sources[0] if len(sources) == 1 else f"{city_name} (city return)"
    return {
        "title": f"U4SSC KPIs of {city_name}",
        "publisher": publisher,
        "kind": "city",
        "licence": "as stated by the city",
    }


def import_city(
    db,
    path: str | Path,
    *,
    city: str,
    country: str | None = None,
    year: int | None = None,
    code: str | None = None,
    replace: bool = False,
) -> ImportReport:
    """Check ``path`` and store its KPI values for ``city`` in the city's dataset (``city-<area code>``,
    kind city); on any problem raise and store nothing. ``replace``: the city's stored values that
    this file does not have are removed (kept in the store's history)."""
    path = Path(path)
    if not path.exists():
        raise InvalidInputError([Problem(str(path), None, None, None, "an existing .csv or .xlsx file")])
    got = collect(path, city=city, year=year)
    if got.problems:
        raise InvalidInputError(got.problems)
    area_code, created = _city_area(db, city, country or got.country, code, path)
    rows = got.rows
    sources = sorted(set(rows["data_source"]) - {""})
    tidy = pd.DataFrame(
        {
            "series": rows["kpi"].map(u4ssc.series_code),
            "area": area_code,
            "year": rows["year"].astype(int),
            # N = not available: the row is kept (a not-reported KPI is a fact of the return) with no number
            "value": [("N" if v is None or pd.isna(v) else repr(float(v))) for v in rows["value"]],
            "unit": rows["unit"],
            "obs_status": rows["status"],
            "source": rows["data_source"],
            "footnote": rows["comment"],
            "series_description": rows["kpi"].map(_kpi_names()),
            u4ssc.DATA_POINT_DIM: rows["data_point"],
        }
    )
    try:
        with tempfile.TemporaryDirectory(prefix="sdgtrack-city-") as tmp:
            tidy_path = Path(tmp) / f"{slug(city) or 'city'}-u4ssc.csv"
            tidy.to_csv(tidy_path, index=False)
            load = load_files(
                db,
                [tidy_path],
                format="tidy",
                dataset=dataset_id(area_code),
                dataset_info=dataset_info(city, sources),
                replace=replace,
                allow_large_removal=replace,
            )  # a return is the city's whole dataset
    except BaseException:
        if created:  # a failed load leaves no half-made city behind
            db.remove_area(area_code)
        raise
    counts = rows["status"].value_counts()
    return ImportReport(
        city=area_code,
        city_name=city,
        dataset=dataset_id(area_code),
        rows=len(rows),
        reported=int(counts.get("reported", 0)),
        not_reported=int(counts.get("not_reported", 0)),
        not_verified=int(counts.get("not_verified", 0)),
        load_summary=load.summary(),
    )


def _kpi_names() -> dict[str, str]:
    t = u4ssc.kpi_table()
    return dict(zip(t["code"], "U4SSC " + t["official_code"] + " " + t["name"]))


def _country(db, country: str | None, path: Path) -> str:
    if not country:
        raise UserInputError(f"{path}: no country: give --country (an M49 code such as 578, or a name)")
    code = db.resolve_area(country)
    kind = db.area_info(code)["kind"]
    if kind != "country":
        raise UserInputError(f"--country {country!r} is a {kind.replace('_', ' ')}: expected a country")
    return code


def _city_area(db, name: str, country: str | None, code: str | None, path: Path) -> tuple[str, bool]:
    """The city's area code (existing, or new: '<ISO2>-<NAME>'), and whether it was created now.

    A city already in the store needs no country; a new one does."""
    name = name.strip()
    if not name:
        raise UserInputError("--city: expected the city's name")
    found = db.cities_named(name, code)
    if found:
        if country and _country(db, country, path) != found[0][1]:
            raise UserInputError(f"city {name!r} is already stored under country {found[0][1]}, not {country}")
        return found[0][0], False
    parent = _country(db, country, path)
    iso2 = db.area_info(parent)["iso2"] or parent
    new_code = code or f"{iso2}-{slug(name).upper()}"
    db.add_area(new_code, name, parent=parent, kind="city")
    return new_code, True
