"""U4SSC Key Performance Indicators for Smart Sustainable Cities (ITU-T Y.4903).

The 91 KPIs are reference data (``sdgtrack.frameworks.u4ssc``); here: the collection template and its import
with validation (``template``, ``collect``, ``importer``), scoring against targets with the
published U4SSC method (``targets``, ``scoring``), the city report (``report``, ``wheel``) and
comparisons between cities (``compare``). Method and sources: docs/methods/cities.md.
"""

from __future__ import annotations

from typing import Any

__all__ = ["city_compare", "city_import", "city_report", "city_result", "city_score", "city_template", "list_cities"]


def __getattr__(name: str) -> Any:
    # Imported on first use: the workspace offers ``importer.import_city`` as its own at start-up,
    # and the charts behind ``api`` (Altair) would cost every command half a second.
    if name == "city_import":
        from .importer import import_city

        return import_city
    if name in __all__:
        from . import api

        return getattr(api, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
