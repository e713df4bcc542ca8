"""What the tagger accepts: checks on each text before any scoring."""

from __future__ import annotations

import re

# About 50 pages: enough for any record or summary; beyond it the text is cut (with a warning).
MAX_CHARS = 100_000
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd]")


class TaggingWarning(UserWarning):
    """A text was cut, skipped or could not be read; the tags of the other texts stand."""


def problem(text) -> str | None:
    """Why ``text`` cannot be tagged, or None when it can."""
    if isinstance(text, (bytes, bytearray)):
        return "is bytes, not text (decode it first)"
    if text is None or (isinstance(text, float) and text != text):
        return "is empty"
    if not isinstance(text, str):
        return f"is a {type(text).__name__}, not text"
    if not text.strip():
        return "is empty"
    sample = text[:10_000]
    # Binary data decoded as text shows NULs, control characters and replacement characters.
    if "\x00" in sample or len(_CONTROL.findall(sample)) > 0.05 * len(sample):
        return "does not look like text (control or undecodable characters)"
    return None


def prepare(texts, labels: list[str] | None = None) -> tuple[list[str], list[str]]:
    """Texts ready to tag ('' for those that cannot be tagged) and one warning per text changed or skipped."""
    ready, warnings = [], []
    for n, text in enumerate(texts):
        label = labels[n] if labels else f"text {n}"
        why = problem(text)
        if why:
            warnings.append(f"{label} {why}: no SDGs")
            ready.append("")
            continue
        if len(text) > MAX_CHARS:
            warnings.append(f"{label} has {len(text):,} characters: only the first {MAX_CHARS:,} were tagged")
            text = text[:MAX_CHARS]
        ready.append(text)
    return ready, warnings
