"""The reader registry: each module in ``sdgtrack.ingest.readers`` registers one format.

A reader is an object with ``name``, ``description``, ``detect(path) -> bool`` and
``read(con, path, staging_table, options) -> ReadResult`` (the ``Reader`` protocol of
``sdgtrack.registries``). Adding a format means adding one module and its section in
docs/ingest.md (tests/test_docs.py checks); `--format` and its help follow the registry.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import Problem
from ..registries import READERS, Reader, ReadResult

__all__ = ["READERS", "ReadResult", "Reader", "all_readers", "detect", "get", "register"]


def register(reader: Reader) -> Reader:
    return READERS.register(reader)


def get(name: str) -> Reader:
    return READERS.get(name)


def detect(path: Path) -> Reader | None:
    # Order matters only where two readers could claim a path: folder formats first.
    for reader in sorted(READERS.values(), key=lambda r: getattr(r, "priority", 50)):
        try:
            if reader.detect(path):
                return reader
        except OSError:
            continue
    return None


def all_readers() -> dict[str, Reader]:
    return dict(READERS.items())


# what people call the tidy layout's columns (compared in lower case)
_TIDY_NAMES = {
    "series": ("series", "series code", "seriescode", "series_code", "code"),
    "area": (
        "area",
        "country",
        "country or area",
        "countryorarea",
        "geoareacode",
        "geoareaname",
        "geo",
        "ref_area",
        "ref area",
        "location",
        "region",
        "iso3",
        "iso",
        "m49",
    ),
    "year": ("year", "period", "time", "timeperiod", "time_period", "time period", "date"),
    "value": ("value", "obs_value", "observation", "observation value", "data"),
}


def unknown_format(path: Path) -> Problem:
    """The problem of a file no reader claims. A sheet (CSV or Excel) gets the columns it has, the
    columns of each layout that reads sheets, and which of its columns look like the tidy layout's:
    ``Indicator, Country, Year, Value`` is one rename away from ``series, area, year, value``."""
    from .tables import csv_header, excel_header, is_csv, is_excel

    header = csv_header(path) if is_csv(path) else excel_header(path) if is_excel(path) else []
    header = [c for c in header if c]
    readers = all_readers().values()
    if not header:
        expected = "a file in a known format: " + "; ".join(r.description for r in readers)
        return Problem(str(path), None, None, None, expected + " (or force one with --format)")
    layouts = []
    for reader in readers:
        wanted = getattr(reader, "columns", None)
        if wanted:
            missing = [c for c in wanted if c not in header]
            layouts.append(f"{reader.summary}: {', '.join(wanted)} (missing {', '.join(missing)})")
    renames = []
    lower = {c.lower().strip(): c for c in header}
    for column, names in _TIDY_NAMES.items():
        found = next((lower[n] for n in names if n in lower), None)
        if found is not None and found != column and column not in header:
            renames.append(f"{found} -> {column}")
    hint = ""
    if renames:
        hint = f"; for the tidy layout rename {', '.join(renames)} (column names are exact, lower case)"
    if "series" not in header and not any(r.endswith("-> series") for r in renames):
        hint += "; a series column holds series codes (SH_DYN_MORT); an indicator column may add the SDG indicator"
    expected = (
        "the columns of a known format: "
        + "; ".join(layouts)
        + hint
        + " (docs/ingest.md; examples/data.csv; or force a reader with --format)"
    )
    return Problem(str(path), None, None, "columns " + ", ".join(header), expected)
