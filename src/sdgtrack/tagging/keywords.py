"""Keyword evidence: which Aurora SDG query lines match a text, and the words that matched."""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd

from .queries import Matcher, needed_anchors
from .reference import aurora_queries

EVIDENCE_COLUMNS = ["text_id", "goal", "target", "line", "excerpt"]


def evidence(texts: list[str]) -> pd.DataFrame:
    """One row per (text, matched query line, matched passage): text_id, goal, target, line, excerpt.

    ``target`` is '' for the goal-wide query of SDG 13. Passages repeated within a line are kept once.
    """
    table = aurora_queries()
    trees = table["tree"].tolist()
    goals, targets, lines = table["goal"].tolist(), table["target"].tolist(), table["line"].tolist()
    by_anchor = _lines_by_anchor()
    rows = []
    for text_id, text in enumerate(texts):
        if not text:
            continue
        matcher = Matcher(text)
        # Only the lines one of whose needed anchors occurs can match: a few of the 378 for a
        # typical text (a substring test per anchor instead of walking every line's tree).
        candidates = sorted({q for anchor, qs in by_anchor.items() if anchor in matcher.norm for q in qs})
        for q in candidates:
            spans = matcher.run(trees[q])
            seen = set()
            for span in spans:
                excerpt = matcher.excerpt(text, span)
                key = excerpt.lower()
                if key not in seen:
                    seen.add(key)
                    rows.append((text_id, goals[q], targets[q], lines[q], excerpt))
    return pd.DataFrame(rows, columns=EVIDENCE_COLUMNS)


@lru_cache(maxsize=1)
def _lines_by_anchor() -> dict[str, list[int]]:
    """Per anchor, the query lines (rows of ``aurora_queries``) that need it (``queries.needed_anchors``)."""
    out: dict[str, list[int]] = {}
    for q, tree in enumerate(aurora_queries()["tree"]):
        for anchor in needed_anchors(tree):
            out.setdefault(anchor, []).append(q)
    return out


def line_counts(found: pd.DataFrame, n_texts: int) -> np.ndarray:
    """Matched query lines per text and goal, shape (n_texts, 17)."""
    counts = np.zeros((n_texts, 17), dtype=np.int64)
    if len(found):
        lines = found.drop_duplicates(["text_id", "goal", "target", "line"])
        np.add.at(counts, (lines["text_id"].to_numpy(), lines["goal"].to_numpy() - 1), 1)
    return counts
