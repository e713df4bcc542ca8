"""Interlinkages between SDG series, targets and goals: statistical (Spearman per area, rolled up
to goal pairs and networks) and expert (cross-impact matrices on Nilsson's scale)."""

from __future__ import annotations

from typing import Any

__all__ = ["LinkParameters", "LinkResult", "links_from_values", "statistical_links"]


def __getattr__(name: str) -> Any:
    # Imported on first use: the CLI imports links.transforms for its --transform choices, and
    # statistical.py brings in scipy, which every other command would otherwise pay for at start-up.
    if name in __all__:
        from . import statistical

        return getattr(statistical, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
