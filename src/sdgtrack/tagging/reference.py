"""The reference data of the tagger, shipped in ``data/`` (see ``data/README.md``)."""

from __future__ import annotations

import io
import json
from functools import lru_cache
from importlib import resources

import numpy as np
import pandas as pd

from . import queries

DATA = resources.files("sdgtrack.tagging").joinpath("data")
# The texts compared with the input; the 2020 indicator texts come last, after the query lines: the
# English rule found them noise, the multilingual one uses them (docs/methods/tagging.md).
EMBEDDED_KINDS = ("goal_title", "goal_text", "target")
GOALS = np.arange(1, 18)


@lru_cache(maxsize=1)
def reference_texts() -> pd.DataFrame:
    """goal (int), target (str, '' for goal rows), kind, text."""
    df = pd.read_csv(
        io.StringIO(DATA.joinpath("reference_texts.csv").read_text(encoding="utf-8")), dtype=str, keep_default_na=False
    )
    df["goal"] = df["goal"].astype(int)
    return df


@lru_cache(maxsize=1)
def embedded_texts() -> pd.DataFrame:
    """The texts compared with the input: goal titles, goal narratives and target texts, then one
    ``query`` row per Aurora query line: the line's phrases as a plain list ("maternal mortality,
    maternal death, ..."), the target-level vocabulary of the queries without their syntax, then the
    2020 indicator texts, the 2025 indicator titles and the national indicator descriptions (all
    ``indicator`` rows, English)."""
    ref = reference_texts()
    rows = ref[ref["kind"].isin(EMBEDDED_KINDS)]
    table = aurora_queries()
    lines = pd.DataFrame(
        {
            "goal": table["goal"],
            "target": table["target"],
            "kind": "query",
            "text": [query_text(tree) for tree in table["tree"]],
        }
    )
    indicators = ref[ref["kind"] == "indicator"]
    titles = ref[ref["kind"] == "indicator_title"].assign(kind="indicator")
    described = ref[ref["kind"] == "indicator_description"].assign(kind="indicator")
    return pd.concat([rows, lines, indicators, titles, described], ignore_index=True)


def query_text(node: queries.Node) -> str:
    """The phrases a query looks for (not those it excludes with AND NOT), wildcards dropped."""

    def wanted(n: queries.Node) -> list[str]:
        if isinstance(n, queries.Phrase):
            return [n.text.replace("*", "").strip()]
        return wanted(n.left) if n.kind == "not" else wanted(n.left) + wanted(n.right)

    return ", ".join(dict.fromkeys(p for p in wanted(node) if p))


# One file of reference vectors per model: the English model and the multilingual one.
VECTOR_FILES = {"english": "reference_vectors.npy", "multilingual": "reference_vectors_multilingual.npy"}


@lru_cache(maxsize=2)
def reference_vectors(model: str = "english") -> np.ndarray:
    """Embeddings of ``embedded_texts()`` in order with ``model`` (english | multilingual), made by
    tools/build_tagging_data.py with the shipped models."""
    name = VECTOR_FILES[model]
    with DATA.joinpath(name).open("rb") as f:
        vectors = np.load(f)
    if len(vectors) != len(embedded_texts()):
        raise RuntimeError(f"{name} does not match reference_texts.csv: run tools/build_tagging_data.py")
    return vectors


@lru_cache(maxsize=1)
def aurora_queries() -> pd.DataFrame:
    """goal (int), target ('' = goal-wide), line, query, and the parsed query in ``tree``."""
    df = pd.read_csv(
        io.StringIO(DATA.joinpath("aurora_queries.csv").read_text(encoding="utf-8")), dtype=str, keep_default_na=False
    )
    df["goal"] = df["goal"].astype(int)
    df["line"] = df["line"].astype(int)
    df["tree"] = [queries.parse(q) for q in df["query"]]
    return df


@lru_cache(maxsize=1)
def calibration() -> dict:
    """The fitted goal-selection rule per method (tools/calibrate_tagging.py)."""
    return json.loads(DATA.joinpath("calibration.json").read_text(encoding="utf-8"))
