"""The record filters listing (``registry.py``) and coverage (``coverage.py``) share: apart from
both, so that neither imports the other for them."""

from __future__ import annotations

from ..errors import UserInputError
from .models import KINDS


def record_filters(entity: str | None, year: int | None, kind: str | None) -> tuple[list[str], list]:
    """SQL conditions on submission ``s`` and record ``r`` shared by listing and coverage."""
    where, params = [], []
    if entity:
        where.append("(upper(s.entity) = upper(?) OR upper(s.entity_code) = upper(?))")
        params += [entity, entity]
    if year is not None:
        where.append("s.year = ?")
        params.append(int(year))
    if kind:
        if kind not in KINDS:
            raise UserInputError(f"kind {kind!r}: expected one of {', '.join(KINDS)}")
        where.append("r.kind = ?")
        params.append(kind)
    return where, params
