"""What a progress assessment is asked: declared once here, for ``Workspace.assess``, a run on a
cluster (``Workspace.cluster(...).assess``) and :func:`sdgtrack.progress.assess`. Imports nothing
heavy: the workspace names these at start-up."""

from __future__ import annotations

from dataclasses import KW_ONLY, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Sequence

from ..errors import UserInputError

if TYPE_CHECKING:
    import pandas as pd

LEVELS = ("series", "indicator", "target", "goal")  # progress/rollup.py rolls up along these


@dataclass(frozen=True, eq=False)
class ProgressOptions:
    """``method``: a progress method (``registries.PROGRESS_METHODS``); ``targets``: a CSV path or
    frame extending the default target table; ``areas``, ``series`` (series, indicator, target or
    goal codes): default all; ``level``: series, indicator, target or goal; ``datasets``: in order
    of preference (default all, one per series and area); ``base_year`` (unsd, statcan; default
    2015) and ``period`` (eurostat: short or long): the method's parameters, None for its default."""

    method: str = "unsd"
    _: KW_ONLY
    targets: str | Path | pd.DataFrame | None = None
    areas: Sequence[str] | None = None
    series: Sequence[str] | None = None
    level: str = "series"
    datasets: Sequence[str] | None = None
    base_year: int | None = None
    period: str | None = None

    def check(self) -> None:
        if self.level not in LEVELS:
            raise UserInputError(f"level {self.level!r}: expected one of {', '.join(LEVELS)}")

    def method_parameters(self) -> dict[str, Any]:
        """The method's parameters given (the others take the method's defaults)."""
        return {k: v for k, v in (("base_year", self.base_year), ("period", self.period)) if v is not None}

    def reading(self) -> dict[str, Any]:
        """What the assessment reads, as keywords of ``assess.assess_series``."""
        datasets = list(self.datasets) if self.datasets else None
        return {"targets": self.targets, "areas": self.areas, "series": self.series, "datasets": datasets}


@dataclass(frozen=True, eq=False)
class KeptProgressOptions(ProgressOptions):
    """An assessment of the store, which keeps it (``save``) as the last one unless the store is
    read-only; a run on a cluster reads an export and keeps nothing."""

    _: KW_ONLY
    save: bool = True
