"""Progress assessment toward the 2030 targets: methods (UNSD, Eurostat, Statistics Canada), target
tables, roll-ups to indicator, target and goal, and the SDG Report progress chart.

    >>> from sdgtrack import progress
    >>> frame = progress.assess(db, method="unsd", areas=["1"])             # series level
    >>> goals = progress.assess(db, method="unsd", areas=["1"], level="goal")
"""

from __future__ import annotations

from .api import assess, last_assessment, target_table

__all__ = ["assess", "last_assessment", "target_table"]
