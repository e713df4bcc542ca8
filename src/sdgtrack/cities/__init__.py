"""U4SSC Key Performance Indicators for Smart Sustainable Cities (ITU-T Y.4903).

The 91 KPIs are reference data (``sdgtrack.frameworks.u4ssc``); here: the collection template and its import
with validation (``template``, ``collect``, ``importer``), scoring against targets with the
published U4SSC method (``targets``, ``scoring``), the city report (``report``, ``wheel``) and
comparisons between cities (``compare``). Method and sources: docs/methods/cities.md.
"""

from __future__ import annotations

from .api import city_compare, city_import, city_report, city_result, city_score, city_template, list_cities

__all__ = ["city_compare", "city_import", "city_report", "city_result", "city_score", "city_template", "list_cities"]
