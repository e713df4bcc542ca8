"""Quality of a tagging against expert judgements (SDG Classification Benchmark format)."""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd


def split_part(texts: pd.Series) -> pd.Series:
    """'tune' or 'holdout' per text, by the MD5 of the text: fixed, and one text is never in both parts."""
    return texts.map(
        lambda t: "tune" if int(hashlib.md5(t.encode("utf-8")).hexdigest()[:8], 16) % 2 == 0 else "holdout"
    )


def accuracy(judgements: pd.DataFrame, predicted: pd.DataFrame) -> pd.DataFrame:
    """Per SDG, the accuracy of "sdg in the predicted set" against the expert label.

    ``judgements``: columns text_id, sdg, label (bool); ``predicted``: columns text_id, goal (the
    selected goals). Returns sdg, rows, accuracy; the benchmark's score is the mean of ``accuracy``.
    """
    chosen = set(zip(predicted["text_id"].tolist(), predicted["goal"].astype(int).tolist()))
    hit = np.array([(t, int(g)) in chosen for t, g in zip(judgements["text_id"], judgements["sdg"])])
    correct = hit == judgements["label"].astype(bool).to_numpy()
    out = (
        pd.DataFrame({"sdg": judgements["sdg"].astype(int).to_numpy(), "correct": correct})
        .groupby("sdg")["correct"]
        .agg(rows="size", accuracy="mean")
        .reset_index()
    )
    return out


def macro_accuracy(judgements: pd.DataFrame, predicted: pd.DataFrame) -> float:
    return float(accuracy(judgements, predicted)["accuracy"].mean())


def translated_targets() -> pd.DataFrame:
    """The 169 target texts in each of the six UN languages shipped with the package
    (``frameworks/data/translations``): lang, goal, target, text. They are test texts only: never
    reference or training texts of the tagger."""
    from ..frameworks.reference import LANGUAGES, framework_titles

    titles = framework_titles()
    out = titles[(titles["kind"] == "title") & titles["code"].str.count(r"\.").eq(1)].copy()
    out["goal"] = out["code"].str.split(".").str[0].astype(int)
    out["text"] = out["title"].str.split().str.join(" ")
    out["lang"] = pd.Categorical(out["lang"], categories=list(LANGUAGES), ordered=True)
    out = out.sort_values(["lang", "goal"], kind="stable")
    return out.rename(columns={"code": "target"})[["lang", "goal", "target", "text"]].reset_index(drop=True)


def language_accuracy(method: str = "embedding", own_target_excluded: bool = False) -> pd.DataFrame:
    """Per language, the share of translated target texts whose most probable goal is the target's goal.

    With ``own_target_excluded`` each text is scored without its own target's English wording among
    the references (and without that target's query lines): how well the goal is recognised from
    the other texts of the goal, not from a near-copy. Returns lang, texts, accuracy, and the
    number of texts each reader took (english, multilingual).
    """
    from .tagger import _score

    table = translated_targets()
    texts = table["text"].tolist()
    exclude = table["target"].tolist() if own_target_excluded else None
    scores, _, _, _, readers = _score(texts, method, exclude=exclude)
    prob = scores["probability"].to_numpy().reshape(len(texts), 17)
    table["correct"] = prob.argmax(axis=1) + 1 == table["goal"].to_numpy()
    table["reader"] = readers
    out = table.groupby("lang", observed=True).agg(
        texts=("correct", "size"),
        accuracy=("correct", "mean"),
        english_reader=("reader", lambda r: int((r == "english").sum())),
    )
    return out.reset_index()
