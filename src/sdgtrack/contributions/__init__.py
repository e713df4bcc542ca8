"""Contributions registry: the UN-system questionnaire on support to the 2030 Agenda as structured
records (decisions, events, resources, High-Impact Initiative contributions, partnerships,
recommendations) tied to SDGs and targets, imported from answers as published.

    >>> from sdgtrack.contributions import Registry
    >>> reg = Registry(sdgtrack.open("sdgtrack.duckdb"))
    >>> reg.import_file("itu-2023.txt")          # -> [ImportReport]
    >>> reg.records(kind="event", sdg=11)        # -> DataFrame
    >>> reg.coverage(by="entity")                # -> Coverage (per-SDG counts, co-occurrence)
"""

from __future__ import annotations

from .layout import parse_answer, read_answer
from .models import (
    KINDS,
    STATUSES,
    Decision,
    Event,
    HighImpactInitiative,
    Partnership,
    Recommendation,
    Record,
    Resource,
    Submission,
)
from .registry import ImportReport, Registry

__all__ = [
    "Registry",
    "ImportReport",
    "Submission",
    "Record",
    "Decision",
    "Event",
    "Resource",
    "HighImpactInitiative",
    "Partnership",
    "Recommendation",
    "KINDS",
    "STATUSES",
    "parse_answer",
    "read_answer",
]
