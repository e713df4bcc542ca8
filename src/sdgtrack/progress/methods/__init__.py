"""Progress-assessment methods: one module each, registered by name in
``sdgtrack.registries.PROGRESS_METHODS`` (the module calls ``PROGRESS_METHODS.register`` on itself).

A method module defines ``NAME``, ``TITLE``, ``SUMMARY`` (a few words for --help), ``STATUSES``
(roll-up bands, worst first), ``GOOD`` (the statuses counted as "on track or met"), ``MET`` (the
status of a target already met, or None), ``INSUFFICIENT``, ``SCORE_RANGE``, ``COLOURS`` (of the
progress chart), ``DEFAULTS`` (its parameters), ``INDICATOR_FROM`` ("headline" or "mean": how an
indicator rolls up from its series), ``window(params)`` (how the panel picks its
baseline), ``assess(panel, goal, params)`` and ``band(score)`` -- the ``ProgressMethod`` protocol. A new method is one module here and its
section in docs/methods/progress.md (tests/test_docs.py checks); the CLI's --method follows.
"""

from __future__ import annotations

from ...registries import PROGRESS_METHODS, ProgressMethod


def get(name: str) -> ProgressMethod:
    return PROGRESS_METHODS.get(name)
