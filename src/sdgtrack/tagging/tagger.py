"""Tag texts with the SDGs they address: scores per goal, a calibrated selection rule, evidence.

Two methods, one shape of output:

- ``embedding`` (default): cosine similarity of the text's all-MiniLM-L6-v2 embedding with the goal
  titles, goal texts and 169 target texts (score per goal = best match), plus the number of Aurora
  query lines of the goal that match the text;
- ``keywords``: the Aurora query lines alone (no model needed; less accurate).

A logistic model fitted on part of the SDG Classification Benchmark dev split
(tools/calibrate_tagging.py, ``data/calibration.json``) turns each goal's features into a
probability; a goal is selected when its probability reaches the threshold, at most ``max_goals``
per text, most probable first.
"""
from __future__ import annotations

import warnings as _warnings

import numpy as np
import pandas as pd

from . import embedding, keywords
from .inputs import TaggingWarning, prepare
from .reference import calibration, embedded_texts, reference_vectors

METHODS = ("embedding", "keywords")
DEFAULT_MAX_GOALS = 3
# When two targets of a goal are about as similar to the text, prefer one whose query matched.
TARGET_KEYWORD_BOOST = 0.05
TAG_COLUMNS = ["text_id", "goal", "target", "probability", "similarity", "keyword_lines", "evidence"]
SCORE_COLUMNS = ["text_id", "goal", "probability", "similarity", "keyword_lines", "target"]


def _check_method(method: str) -> str:
    """The method to run; ``auto`` is ``embedding`` when the model is installed, else ``keywords``."""
    from ..errors import UserInputError

    if method == "auto":
        return "embedding" if embedding.available() else "keywords"
    if method not in METHODS:
        raise UserInputError(f"unknown tagging method {method!r}: expected one of {', '.join(METHODS)} or auto")
    return method


def features(method: str, similarity: np.ndarray | None, lines: np.ndarray) -> dict[str, np.ndarray]:
    """The named features of every (text, goal), each of shape (n_texts, 17)."""
    kw = np.log1p(lines.astype(float))
    out = {"log_keyword_lines": kw,
           "keyword_gap": kw - kw.max(axis=1, keepdims=True) if len(kw) else kw}
    if similarity is not None:
        out["similarity"] = similarity
        out["similarity_gap"] = similarity - similarity.max(axis=1, keepdims=True) if len(similarity) else similarity
    return out


def probability(rule: dict, feats: dict[str, np.ndarray]) -> np.ndarray:
    z = np.full_like(feats["log_keyword_lines"], rule["intercept"], dtype=float)
    for name, coef in zip(rule["features"], rule["coef"]):
        z = z + coef * feats[name]
    return 1.0 / (1.0 + np.exp(-z))


def _goal_similarity(vectors: np.ndarray, found: pd.DataFrame):
    """Per text and goal: best similarity and the best target (with the keyword boost)."""
    ref = embedded_texts()
    sims = vectors @ reference_vectors().T  # (texts, reference rows)
    goal_of = ref["goal"].to_numpy()
    similarity = np.full((len(vectors), 17), -1.0)
    for g in range(1, 18):
        similarity[:, g - 1] = sims[:, goal_of == g].max(axis=1)
    is_target = (ref["kind"] == "target").to_numpy()
    target_sims = sims[:, is_target].copy()
    target_codes = ref.loc[is_target, "target"].to_numpy()
    target_goal = goal_of[is_target]
    if len(found):
        matched = found[found["target"] != ""].drop_duplicates(["text_id", "target"])
        col = pd.Index(target_codes).get_indexer(matched["target"])
        target_sims[matched["text_id"].to_numpy(), col] += TARGET_KEYWORD_BOOST
    best_target = np.empty((len(vectors), 17), dtype=object)
    for g in range(1, 18):
        cols = np.flatnonzero(target_goal == g)
        best_target[:, g - 1] = target_codes[cols[target_sims[:, cols].argmax(axis=1)]]
    return similarity, best_target


def _keyword_targets(found: pd.DataFrame, n_texts: int) -> np.ndarray:
    """Per text and goal: the target with the most matched query lines (None when none)."""
    best = np.full((n_texts, 17), None, dtype=object)
    if len(found):
        per_target = (found[found["target"] != ""].drop_duplicates(["text_id", "target", "line"])
                      .groupby(["text_id", "goal", "target"], sort=False).size().reset_index(name="n")
                      .sort_values(["text_id", "goal", "n"], ascending=[True, True, False], kind="stable")
                      .drop_duplicates(["text_id", "goal"]))
        best[per_target["text_id"].to_numpy(), per_target["goal"].to_numpy() - 1] = per_target["target"].to_numpy()
    return best


def score_goals(texts, method: str = "embedding", labels: list[str] | None = None) -> pd.DataFrame:
    """All 17 goals of every text: text_id, goal, probability, similarity, keyword_lines, target.

    For review (a declared SDG with a low probability, a likely one not declared); ``tag_texts``
    applies the selection rule to the same scores. Bad texts warn and score 0 (see ``tag_texts``).
    """
    method = _check_method(method)
    texts = [texts] if isinstance(texts, (str, bytes)) else list(texts)
    ready, problems = prepare(texts, labels)
    for message in problems:
        _warnings.warn(message, TaggingWarning, stacklevel=2)
    scores, _ = _score(ready, method)
    scores.attrs.update(method=method, model=embedding.MODEL_NAME if method == "embedding" else None,
                        n_texts=len(texts), warnings=problems)
    return scores


def _score(texts: list[str], method: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Scores of all 17 goals per checked text ('' scores nothing), and the keyword evidence."""
    n = len(texts)
    found = keywords.evidence(texts)
    lines = keywords.line_counts(found, n)
    if method == "embedding":
        vectors = np.zeros((n, 384), dtype=np.float32)
        present = [i for i, t in enumerate(texts) if t]
        if present:
            vectors[present] = embedding.embed([texts[i] for i in present])
        similarity, best_target = _goal_similarity(vectors, found)
    else:
        similarity, best_target = None, _keyword_targets(found, n)
    prob = probability(calibration()[method], features(method, similarity, lines))
    empty = np.array([not t for t in texts])
    prob[empty] = 0.0
    scores = pd.DataFrame({
        "text_id": np.repeat(np.arange(n), 17),
        "goal": np.tile(np.arange(1, 18), n),
        "probability": prob.ravel(),
        "similarity": similarity.ravel() if similarity is not None else np.nan,
        "keyword_lines": lines.ravel(),
        "target": best_target.ravel(),
    })
    return scores, found


def select(scores: pd.DataFrame, threshold: float, max_goals: int) -> pd.DataFrame:
    """The goals of each text whose probability reaches ``threshold``, at most ``max_goals``, best first."""
    chosen = scores[scores["probability"] >= threshold]
    chosen = chosen.sort_values(["text_id", "probability"], ascending=[True, False], kind="stable")
    return chosen.groupby("text_id", sort=False).head(max_goals).reset_index(drop=True)


def tag_texts(texts, method: str = "embedding", max_goals: int = DEFAULT_MAX_GOALS,
              threshold: float | None = None, labels: list[str] | None = None) -> pd.DataFrame:
    """Tag each text with the SDGs it addresses (``method``: embedding, keywords or auto).

    Returns one row per (text, selected goal), most probable goal first: ``text_id`` (position in
    ``texts``), ``goal`` (1-17), ``target`` (the most likely target of that goal, e.g. '3.2'; None when the
    ``keywords`` method found only SDG 13's goal-wide query),
    ``probability`` (calibrated), ``similarity`` (best cosine similarity; NaN for ``keywords``),
    ``keyword_lines`` (Aurora query lines of the goal that matched) and ``evidence`` (the matched
    phrases, '; '-separated). A text with no goal selected has no row.

    ``df.attrs`` holds ``method``, ``model``, ``threshold``, ``max_goals``, ``n_texts`` and
    ``warnings`` (texts that were empty, not text, or cut at ``inputs.MAX_CHARS``); each warning is
    also issued as a ``TaggingWarning``.
    """
    from ..errors import UserInputError

    method = _check_method(method)
    if isinstance(texts, (str, bytes)):
        texts = [texts]
    texts = list(texts)
    if max_goals < 1:
        raise UserInputError(f"max_goals {max_goals}: expected at least 1")
    rule = calibration()[method]
    threshold = rule["threshold"] if threshold is None else float(threshold)
    if not 0 <= threshold <= 1:
        raise UserInputError(f"threshold {threshold}: expected a probability between 0 and 1")
    ready, problems = prepare(texts, labels)
    for message in problems:
        _warnings.warn(message, TaggingWarning, stacklevel=2)
    scores, found = _score(ready, method)
    tags = select(scores, threshold, max_goals)
    tags["evidence"] = _evidence_strings(found, tags)
    tags = tags[TAG_COLUMNS]
    tags.attrs.update(method=method, model=embedding.MODEL_NAME if method == "embedding" else None,
                      threshold=threshold, max_goals=max_goals, n_texts=len(texts),
                      calibration=rule.get("fitted_on", ""), warnings=problems)
    return tags


def _evidence_strings(found: pd.DataFrame, tags: pd.DataFrame) -> list[str]:
    if not len(tags):
        return []
    if not len(found):
        return [""] * len(tags)
    found = found.assign(key=found["excerpt"].str.lower()).drop_duplicates(["text_id", "goal", "key"])
    # Passages of the chosen target first, then the rest of the goal's.
    joined = found.merge(tags[["text_id", "goal", "target"]].rename(columns={"target": "chosen"}),
                         on=["text_id", "goal"])
    joined["rank"] = (joined["target"] != joined["chosen"]).astype(int)
    joined = joined.sort_values(["text_id", "goal", "rank"], kind="stable")
    text = joined.groupby(["text_id", "goal"])["excerpt"].agg(lambda s: "; ".join(s))
    key = pd.MultiIndex.from_frame(tags[["text_id", "goal"]])
    return text.reindex(key).fillna("").tolist()
