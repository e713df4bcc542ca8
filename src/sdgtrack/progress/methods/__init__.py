"""Progress-assessment methods: one module each, registered by name.

A method module defines ``NAME``, ``TITLE``, ``STATUSES`` (roll-up bands, worst first), ``GOOD`` (the
statuses counted as "on track or met"), ``MET`` (the status of a target already met, or None),
``INSUFFICIENT``, ``SCORE_RANGE``, ``window(params)`` (how the panel picks its baseline),
``assess(panel, goal, params)`` and ``band(score)``.
"""
from __future__ import annotations

from importlib import import_module

from ...errors import UserInputError

NAMES = ("unsd", "eurostat", "statcan")


def get(name: str):
    if name not in NAMES:
        raise UserInputError(f"unknown progress method {name!r}: expected one of {', '.join(NAMES)}")
    return import_module(f"{__name__}.{name}")
