"""Interlinkages between SDG series, targets and goals: statistical (Spearman per area, rolled up
to goal pairs and networks) and expert (cross-impact matrices on Nilsson's scale)."""
from __future__ import annotations

from .statistical import LinkParameters, LinkResult, links_from_values, statistical_links

__all__ = ["LinkParameters", "LinkResult", "links_from_values", "statistical_links"]
