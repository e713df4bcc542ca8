"""Words for people: the codes analyses store (``on_track``, ``{'base_year': 2015}``) as tables and
charts show them ("on track", "base year 2015"). Data outputs (CSV, JSON) keep the codes."""

from __future__ import annotations

from typing import Any, Mapping


def label(code: Any) -> Any:
    """``on_track`` -> ``on track``; anything that is not a string is returned as it is."""
    return code.replace("_", " ") if isinstance(code, str) else code


def describe_parameters(parameters: Mapping[str, Any] | None) -> str:
    """``{'base_year': 2015, 'period': 'short'}`` -> ``base year 2015, period short``."""
    if not parameters:
        return "no parameters"
    return ", ".join(f"{label(k)} {span(label(v))}" for k, v in parameters.items())


def span(value: Any) -> str:
    """``[2015, 2017]`` -> ``2015-2017``; ``[2015, 2015]`` -> ``2015``; other values as text."""
    if isinstance(value, (list, tuple)) and len(value) == 2:
        first, last = value
        return str(first) if first == last else f"{first}-{last}"
    return "none" if value is None else str(value)
