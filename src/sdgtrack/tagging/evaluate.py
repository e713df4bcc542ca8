"""Quality of a tagging against expert judgements (SDG Classification Benchmark format)."""
from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd


def split_part(texts: pd.Series) -> pd.Series:
    """'tune' or 'holdout' per text, by the MD5 of the text: fixed, and one text is never in both parts."""
    return texts.map(lambda t: "tune" if int(hashlib.md5(t.encode("utf-8")).hexdigest()[:8], 16) % 2 == 0
                     else "holdout")


def accuracy(judgements: pd.DataFrame, predicted: pd.DataFrame) -> pd.DataFrame:
    """Per SDG, the accuracy of "sdg in the predicted set" against the expert label.

    ``judgements``: columns text_id, sdg, label (bool); ``predicted``: columns text_id, goal (the
    selected goals). Returns sdg, rows, accuracy; the benchmark's score is the mean of ``accuracy``.
    """
    chosen = set(zip(predicted["text_id"].tolist(), predicted["goal"].astype(int).tolist()))
    hit = np.array([(t, int(g)) in chosen for t, g in zip(judgements["text_id"], judgements["sdg"])])
    correct = hit == judgements["label"].astype(bool).to_numpy()
    out = (pd.DataFrame({"sdg": judgements["sdg"].astype(int).to_numpy(), "correct": correct})
           .groupby("sdg")["correct"].agg(rows="size", accuracy="mean").reset_index())
    return out


def macro_accuracy(judgements: pd.DataFrame, predicted: pd.DataFrame) -> float:
    return float(accuracy(judgements, predicted)["accuracy"].mean())
