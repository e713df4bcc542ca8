"""What an interlinkages run is asked: declared once here, for ``Workspace.links``, a run on a
cluster (``Workspace.cluster(...).links``) and the analysis itself, so a new option is added in
one place. Imports nothing heavy: the CLI and the workspace name these at start-up."""

from __future__ import annotations

from dataclasses import dataclass, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any, Sequence

from ..errors import UserInputError
from ..registries import LINK_LEVELS, TRANSFORMS

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True, kw_only=True)
class LinkParameters:
    """How each area's pairs are tested (the part of the options a worker needs)."""

    transform: str = "levels"
    min_years: int = 10
    rho_threshold: float = 0.6
    alpha: float = 0.05
    bh: bool = False  # Benjamini-Hochberg over all tests of an area
    null_permutations: int = 20
    seed: int = 0
    unknown_direction: str = "drop"  # series without a desired direction: "drop", or "keep" unaligned

    def check(self) -> None:
        if self.transform not in TRANSFORMS:
            raise UserInputError(f"transform {self.transform!r}: expected one of {', '.join(TRANSFORMS)}")
        if self.min_years < 3:
            raise UserInputError(f"min-years {self.min_years}: expected at least 3 (the p-value needs n - 2 >= 1)")
        if not 0 < self.rho_threshold < 1:
            raise UserInputError(f"rho threshold {self.rho_threshold}: expected a number between 0 and 1")
        if not 0 < self.alpha < 1:
            raise UserInputError(f"alpha {self.alpha}: expected a number between 0 and 1")
        if self.null_permutations < 0:
            raise UserInputError(f"null {self.null_permutations}: expected 0 or more permutations")
        if self.unknown_direction not in ("keep", "drop"):
            raise UserInputError(f"unknown direction {self.unknown_direction!r}: expected keep or drop")


@dataclass(frozen=True, eq=False, kw_only=True)
class LinkOptions(LinkParameters):
    """An interlinkages run: the tests (:class:`LinkParameters`) and what they read. ``level``:
    series, goal or network; ``areas``: codes or names (default every country); ``series``: series,
    indicator, target or goal codes (default all); ``start``/``end``: years; ``targets``: a targets
    CSV or frame whose directions extend or override the defaults; ``datasets``: in order of
    preference (default all, one per series and area)."""

    level: str = "series"
    areas: Sequence[str] | None = None
    series: Sequence[str] | None = None
    start: int | None = None
    end: int | None = None
    targets: str | Path | pd.DataFrame | None = None
    datasets: Sequence[str] | None = None

    def check(self) -> None:
        if self.level not in LINK_LEVELS:
            raise UserInputError(f"level {self.level!r}: expected one of {', '.join(LINK_LEVELS)}")
        super().check()

    def parameters(self) -> LinkParameters:
        """The tests alone (what a run records as its parameters and a worker is sent)."""
        return LinkParameters(**{f.name: getattr(self, f.name) for f in fields(LinkParameters)})

    def reading(self) -> dict[str, Any]:
        """What the run reads, as the keywords of ``statistical.link_values``."""
        datasets = list(self.datasets) if self.datasets else None
        return {"areas": self.areas, "series": self.series, "start": self.start, "end": self.end, "datasets": datasets}


@dataclass(frozen=True, eq=False, kw_only=True)
class KeptLinkOptions(LinkOptions):
    """A run on the store, which keeps it (``save``) as the last interlinkages run unless the store
    is read-only; a run on a cluster reads an export and keeps nothing."""

    save: bool = True
