"""Fit the goal-selection rule of the tagger (``src/sdgtrack/tagging/data/calibration.json``).

For each method, a logistic model of "the expert says this text addresses this SDG" on the
features of ``tagging.tagger.features`` is fitted on the *tune* half of the SDG Classification
Benchmark dev split (``../shared/data/tagging/benchmark_dev.csv``; the half is fixed by the MD5 of
each text, ``tagging.evaluate.split_part``), and the probability threshold is the one that gives
the best mean per-SDG accuracy on that half. The *holdout* half is only scored, never fitted:

    python tools/calibrate_tagging.py [--shared ../shared/data]
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from sdgtrack.tagging import evaluate, keywords, tagger  # noqa: E402

OUT = ROOT / "src" / "sdgtrack" / "tagging" / "data" / "calibration.json"
FEATURES = {
    "embedding": ["similarity", "similarity_gap", "log_keyword_lines"],
    "keywords": ["log_keyword_lines", "keyword_gap"],
}
L2 = 1.0  # ridge penalty on the coefficients (not the intercept): ~250 rows, keep weights modest


def fit_logistic(x: np.ndarray, y: np.ndarray, l2: float = L2) -> tuple[float, np.ndarray]:
    """Newton-Raphson for L2-penalised logistic regression; returns (intercept, coefficients)."""
    mu, sd = x.mean(axis=0), x.std(axis=0) + 1e-9
    z = np.column_stack([np.ones(len(x)), (x - mu) / sd])
    w = np.zeros(z.shape[1])
    penalty = np.diag([0.0] + [l2] * x.shape[1])
    for _ in range(50):
        p = 1 / (1 + np.exp(-z @ w))
        grad = z.T @ (p - y) + penalty @ w
        hess = z.T @ (z * (p * (1 - p))[:, None]) + penalty
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-10:
            break
    coef = w[1:] / sd
    return float(w[0] - (coef * mu).sum()), coef


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data")
    args = parser.parse_args()
    bench = pd.read_csv(args.shared / "tagging" / "benchmark_dev.csv")
    texts = bench["text"].drop_duplicates().tolist()
    text_id = {t: i for i, t in enumerate(texts)}
    bench["text_id"] = bench["text"].map(text_id)
    bench["part"] = evaluate.split_part(bench["text"])
    out = {}
    for method, names in FEATURES.items():
        found = keywords.evidence(texts)
        lines = keywords.line_counts(found, len(texts))
        similarity = None
        if method == "embedding":
            from sdgtrack.tagging import embedding

            similarity, _ = tagger._goal_similarity(embedding.embed(texts), found)
        feats = tagger.features(method, similarity, lines)
        rows = (bench["text_id"].to_numpy(), bench["sdg"].to_numpy() - 1)
        x = np.column_stack([feats[n][rows] for n in names])
        y = bench["label"].astype(float).to_numpy()
        tune = (bench["part"] == "tune").to_numpy()
        intercept, coef = fit_logistic(x[tune], y[tune])
        rule = {"features": names, "coef": [round(float(c), 6) for c in coef], "intercept": round(intercept, 6)}
        prob = tagger.probability(rule, feats)
        scores = pd.DataFrame({"text_id": np.repeat(np.arange(len(texts)), 17),
                               "goal": np.tile(np.arange(1, 18), len(texts)), "probability": prob.ravel()})
        results = {}
        for threshold in np.round(np.arange(0.2, 0.81, 0.025), 3):
            chosen = tagger.select(scores, threshold, tagger.DEFAULT_MAX_GOALS)
            results[float(threshold)] = {
                part: evaluate.macro_accuracy(bench[bench["part"] == part], chosen) for part in ("tune", "holdout")}
        # Best on the tune half; among near-ties, the one nearest 0.5 (the calibrated point).
        best_tune = max(r["tune"] for r in results.values())
        threshold = min((t for t, r in results.items() if r["tune"] >= best_tune - 0.002), key=lambda t: abs(t - 0.5))
        rule.update(threshold=threshold, max_goals=tagger.DEFAULT_MAX_GOALS,
                    fitted_on=f"SDG Classification Benchmark dev split, tune half ({int(tune.sum())} rows, "
                              f"{bench.loc[tune, 'text'].nunique()} texts)",
                    tune_accuracy=round(results[threshold]["tune"], 4),
                    holdout_accuracy=round(results[threshold]["holdout"], 4),
                    holdout_rows=int((~tune).sum()))
        out[method] = rule
        print(method, json.dumps(rule))
    OUT.write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
