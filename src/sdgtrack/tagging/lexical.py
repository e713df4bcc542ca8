"""Word overlap of an English text with the goal and target wording, for the model-free method.

Each target is one document (its text and its 2020 indicator texts), each goal one more (its title
and narrative). Words are lower-cased, English function words dropped, plurals made singular and
words cut to their first seven letters: a crude stem that makes "deaths"/"death" and
"educational"/"education" meet but keeps "maternal" and "material" apart. A text's
score for a goal is the best TF-IDF cosine with one of the goal's documents, and 0 unless the text
shares at least ``MIN_SHARED`` different stems with the goal's documents: one shared word is
chance ("The weather was pleasant" and target 2.4's "extreme weather"). The Aurora queries miss
plain wordings such as "cut maternal deaths" (goal 3: "maternal", "deaths"); this does not.
"""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np
import pandas as pd

from .language import function_words
from .reference import reference_texts

_WORD = re.compile(r"[^\W\d_]+")
STEM = 7
MIN_SHARED = 2


def _stem(word: str) -> str:
    if word.endswith("ies") and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) > 3:
        word = word[:-1]
    return word[:STEM]


def _stems(text: str, stop: frozenset[str]) -> list[str]:
    return [_stem(w) for w in (m.group(0).lower() for m in _WORD.finditer(text)) if w not in stop and len(w) > 2]


@lru_cache(maxsize=1)
def _index():
    """Documents (goal, target) and their L2-normalised TF-IDF matrix over the stem vocabulary."""
    # The 2025 indicator titles and the national indicator descriptions are read by the
    # multilingual reader only: the English rule was chosen and fitted with these documents as they are.
    ref = reference_texts()
    ref = ref[~ref["kind"].isin(["indicator_title", "indicator_description"])]
    ref = ref.assign(doc=np.where(ref["target"] == "", "goal " + ref["goal"].astype(str), ref["target"]))
    docs = (
        ref.groupby("doc", sort=False)
        .agg(goal=("goal", "first"), target=("target", "first"), text=("text", " ".join))
        .reset_index()
    )
    stop = function_words()["en"]
    stems = [_stems(t, stop) for t in docs["text"]]
    vocab = {s: i for i, s in enumerate(sorted({s for doc in stems for s in doc}))}
    counts = np.zeros((len(docs), len(vocab)), dtype=np.float32)
    for row, doc in enumerate(stems):
        for s in doc:
            counts[row, vocab[s]] += 1
    idf = np.log((1 + len(docs)) / (1 + (counts > 0).sum(axis=0))) + 1
    matrix = np.log1p(counts) * idf
    matrix /= np.clip(np.linalg.norm(matrix, axis=1, keepdims=True), 1e-12, None)
    in_goal = np.zeros((17, len(vocab)), dtype=np.float32)
    np.add.at(in_goal, docs["goal"].to_numpy() - 1, (counts > 0).astype(np.float32))
    return docs[["goal", "target"]], vocab, idf.astype(np.float32), matrix, stop, (in_goal > 0).astype(np.float32)


def similarity(texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Per text and goal the best TF-IDF cosine (n, 17), and per text and document the cosine
    (n, documents; the documents are ``documents()``)."""
    docs, vocab, idf, matrix, stop, in_goal = _index()
    vectors = np.zeros((len(texts), len(vocab)), dtype=np.float32)
    for row, text in enumerate(texts):
        for s in _stems(text, stop):
            col = vocab.get(s)
            if col is not None:
                vectors[row, col] += 1
    shared = (vectors > 0).astype(np.float32) @ in_goal.T  # distinct stems shared with each goal
    vectors = np.log1p(vectors) * idf
    vectors /= np.clip(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12, None)
    sims = vectors @ matrix.T
    goal_of = docs["goal"].to_numpy()
    best = np.zeros((len(texts), 17))
    for g in range(1, 18):
        best[:, g - 1] = sims[:, goal_of == g].max(axis=1)
    best[shared < MIN_SHARED] = 0.0
    return best, sims


def documents() -> pd.DataFrame:
    """goal, target ('' for a goal document), in the column order of ``similarity``'s second result."""
    return _index()[0]
