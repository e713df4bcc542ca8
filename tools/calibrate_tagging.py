"""Choose and fit the goal-selection rules of the tagger (``src/sdgtrack/tagging/data/calibration.json``).

Three rules: ``embedding.english`` (English texts: all-MiniLM-L6-v2 similarities and the Aurora
queries), ``embedding.multilingual`` (texts in other languages: the multilingual model's
similarities, no queries) and ``keywords`` (no model). Each is a logistic model of "the expert says
this text addresses this SDG" fitted on the *tune* half of the SDG Classification Benchmark dev
split (``../shared/data/tagging/benchmark_dev.csv``; halves fixed by the MD5 of each text,
``tagging.evaluate.split_part``). The feature set and the ridge penalty are chosen among a few
candidates by 5-fold cross-validation repeated 4 times *inside* the tune half, with the one-standard-
error rule (the simplest candidate whose score is within one standard error of the best: fewest
weights, then the strongest penalty); the threshold is the one with the best mean per-SDG accuracy
on the tune half. The *holdout* half is only scored:

    python tools/calibrate_tagging.py [--shared ../shared/data]

The multilingual rule is fitted on the same English texts read by the multilingual model: the
benchmark is English, and the model puts a text and its translations close together. Its
similarities are corrected for hubness first: ``data/reference_hubness_multilingual.npy`` (each
reference row's mean of its ``HUB_K`` highest cosines with the tune half's texts) is written here,
and the weight of the correction (``hubness`` in the rule, one of ``HUB_ALPHAS``) is chosen by the
same cross-validation: the smallest weight within one standard error of the best.

English texts are read by both readers: their log-odds are (1 - w) x the English rule's + w x the
multilingual rule's, w fitted by stacking on the two rules' out-of-fold log-odds in the tune half
(``fit_ensemble``), then the threshold of the combined probability; stored as ``ensemble`` in the
English rule. Run ``tools/choose_tagging_form.py --write`` afterwards: this script writes the file
anew, without the threshold for texts not in English that the other one chooses.
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

from sdgtrack.tagging import embedding, evaluate, keywords, lexical, multilingual, tagger  # noqa: E402
from sdgtrack.tagging import reference  # noqa: E402
from sdgtrack.tagging.reference import embedded_texts, reference_vectors  # noqa: E402

OUT = ROOT / "src" / "sdgtrack" / "tagging" / "data" / "calibration.json"
KINDS3 = ["goal_title", "goal_text", "target"]
# Candidates per rule; among those within one standard error of the best, the simplest is kept.
CANDIDATES = {
    "english": [(["similarity", "similarity_gap", "log_keyword_lines"], False),
                (KINDS3 + ["similarity_gap", "log_keyword_lines"], False),
                (KINDS3 + ["similarity_gap", "log_keyword_lines", "lexical"], False),
                (KINDS3 + ["similarity_gap", "log_keyword_lines", "query"], False),
                (KINDS3 + ["similarity_gap", "log_keyword_lines", "lexical", "query"], False),
                (KINDS3 + ["similarity_gap", "log_keyword_lines"], True),
                (KINDS3 + ["similarity_gap", "log_keyword_lines", "lexical"], True)],
    # One form: the best similarity with the goal's indicator texts (2020 Aurora texts and 2025
    # titles), counted in the gap. The English benchmark cannot tell the forms apart (all within
    # one standard error in tune); this one was chosen on the *choose* half of the parallel texts
    # (tools/choose_tagging_form.py), so the *report* half's figures are blind to the choice.
    "multilingual": [(KINDS3 + ["similarity_gap_indicator", "query", "indicator"], False)],
    "keywords": [(["log_keyword_lines", "keyword_gap"], False),
                 (["lexical", "lexical_gap", "log_keyword_lines"], False),
                 (["lexical", "lexical_gap", "log_keyword_lines", "keyword_gap"], False),
                 (["lexical", "lexical_gap", "log_keyword_lines"], True)],
}
PENALTIES = (1.0, 10.0, 30.0)  # ridge on standardised coefficients: ~250 rows, keep weights modest
GRID = np.round(np.arange(0.2, 0.81, 0.025), 3)
FOLDS, REPEATS = 5, 4
HUB_ALPHAS = (0.0, 0.25, 0.5, 0.75, 1.0)
_VECTORS: dict[str, tuple[list[str], np.ndarray]] = {}


def _embedded(reader: str, module, texts: list[str]) -> np.ndarray:
    """The texts' vectors with one reader's model, kept for the next call with the same texts."""
    if reader not in _VECTORS or _VECTORS[reader][0] != texts:
        _VECTORS[reader] = (list(texts), module.embed(texts))
    return _VECTORS[reader][1]


def write_hubness(texts: list[str], tune_texts: np.ndarray) -> np.ndarray:
    """Each reference row's hubness for the multilingual model: the mean of its ``HUB_K`` highest
    cosines with the tune half's texts (English; no parallel test text), written to the data folder."""
    sims = _embedded("multilingual", multilingual, texts)[tune_texts] @ reference_vectors("multilingual").T
    hub = np.sort(sims, axis=0)[-reference.HUB_K:].mean(axis=0).astype(np.float32)
    np.save(OUT.parent / reference.HUBNESS_FILE, hub)
    reference.hubness.cache_clear()
    return hub


def fit_logistic(x: np.ndarray, y: np.ndarray, l2: float = 1.0) -> tuple[float, np.ndarray]:
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


class Judgements:
    """The benchmark rows as arrays: text, goal (0-16), label, part."""

    def __init__(self, bench: pd.DataFrame):
        self.text = bench["text_id"].to_numpy()
        self.goal = bench["sdg"].to_numpy() - 1
        self.label = bench["label"].astype(bool).to_numpy()
        self.part = bench["part"].to_numpy()

    def accuracy(self, prob: np.ndarray, threshold: float, rows: np.ndarray, max_goals: int = 3) -> float:
        """Mean over SDGs of the accuracy of 'goal selected' on ``rows`` (the metric of the benchmark)."""
        rank = (-prob).argsort(axis=1).argsort(axis=1)
        t, g = self.text[rows], self.goal[rows]
        chosen = (prob[t, g] >= threshold) & (rank[t, g] < max_goals)
        correct = chosen == self.label[rows]
        return float(np.mean([correct[g == k].mean() for k in np.unique(g)]))


def design(feats: dict, names: list[str], offsets: bool) -> np.ndarray:
    """(texts * 17, features) matrix: the named features, plus one indicator per goal."""
    cols = [feats[n].ravel() for n in names]
    if offsets:
        n = len(feats[names[0]])
        cols += [np.tile(np.eye(17)[k], n) for k in range(17)]
    return np.column_stack(cols)


def _fit(x_all: np.ndarray, j: Judgements, rows: np.ndarray, l2: float):
    pair = j.text[rows] * 17 + j.goal[rows]
    b, c = fit_logistic(x_all[pair], j.label[rows].astype(float), l2)
    n_texts = x_all.shape[0] // 17
    return b, c, (1 / (1 + np.exp(-(b + x_all @ c)))).reshape(n_texts, 17)


def _threshold(prob: np.ndarray, j: Judgements, rows: np.ndarray) -> float:
    scores = {float(t): j.accuracy(prob, t, rows) for t in GRID}
    best = max(scores.values())
    # Among near-ties, the one nearest 0.5 (the calibrated point).
    return min((t for t, s in scores.items() if s >= best - 0.002), key=lambda t: abs(t - 0.5))


def cross_validate(x_all: np.ndarray, j: Judgements, rows: np.ndarray, l2: float) -> tuple[float, float]:
    """Mean and standard error of the per-SDG accuracy over the folds."""
    texts = np.unique(j.text[rows])
    out = []
    for rep in range(REPEATS):
        fold = dict(zip(np.random.default_rng(rep).permutation(texts), np.arange(len(texts)) % FOLDS))
        which = np.array([fold[t] for t in j.text[rows]])
        for k in range(FOLDS):
            inner, outer = rows[which != k], rows[which == k]
            _, _, prob = _fit(x_all, j, inner, l2)
            out.append(j.accuracy(prob, _threshold(prob, j, inner), outer))
    return float(np.mean(out)), float(np.std(out, ddof=1) / np.sqrt(len(out)))


def choose_and_fit(feats: dict, j: Judgements, fit_rows: np.ndarray, candidates) -> dict:
    """The candidate with the best cross-validated score inside ``fit_rows``, fitted on all of them."""
    tried = []
    for names, offsets in candidates:
        x_all = design(feats, names, offsets)
        for l2 in PENALTIES:
            tried.append((*cross_validate(x_all, j, fit_rows, l2), names, offsets, l2))
    best_score, best_se, *_ = max(tried, key=lambda t: t[0])
    near = [t for t in tried if t[0] >= best_score - best_se]
    score, _, names, offsets, l2 = min(near, key=lambda t: (len(t[2]) + 17 * t[3], -t[4]))
    x_all = design(feats, names, offsets)
    b, c, prob = _fit(x_all, j, fit_rows, l2)
    rule = {"features": names, "coef": [round(float(v), 6) for v in c[:len(names)]], "intercept": round(b, 6)}
    if offsets:
        rule["goal_offset"] = [round(float(v), 6) for v in c[len(names):]]
    rule.update(threshold=_threshold(prob, j, fit_rows), max_goals=tagger.DEFAULT_MAX_GOALS, l2=l2,
                cv_accuracy=round(score, 4),
                candidates=[{"features": n, "goal_offsets": o, "l2": p, "cv_accuracy": round(s, 4),
                             "cv_se": round(e, 4)} for s, e, n, o, p in tried])
    return rule


def _out_of_fold_logits(x_all: np.ndarray, j: Judgements, rows: np.ndarray, l2: float, rep: int) -> np.ndarray:
    """Each judged pair's log-odds from a rule fitted on the other folds (``FOLDS`` folds of texts)."""
    texts = np.unique(j.text[rows])
    fold = dict(zip(np.random.default_rng(rep).permutation(texts), np.arange(len(texts)) % FOLDS))
    which = np.array([fold[t] for t in j.text[rows]])
    out = np.zeros(len(rows))
    for k in range(FOLDS):
        inner, outer = rows[which != k], rows[which == k]
        b, c, _ = _fit(x_all, j, inner, l2)
        out[which == k] = b + x_all[j.text[outer] * 17 + j.goal[outer]] @ c
    return out


def _rule_logits(feats: dict, rule: dict) -> tuple[np.ndarray, float]:
    return design(feats, rule["features"], "goal_offset" in rule), float(rule["l2"])


def fit_ensemble(feats: dict, j: Judgements, rows: np.ndarray, english: dict, multi: dict) -> dict:
    """English texts read by both readers: the weight w of the multilingual rule's log-odds in
    (1 - w) z_english + w z_multilingual, by stacking (Wolpert 1992): a logistic regression of the
    label on the two rules' out-of-fold log-odds inside ``rows`` (each rule refitted on the other
    folds with its chosen features and penalty), w = its second coefficient over the sum of both,
    the mean over the ``REPEATS`` fold draws; then the threshold of the combined probability, as
    for a single rule. ``feats``: {'english': ..., 'multilingual': ...} of the same (English) texts."""
    xe, le = _rule_logits(feats["english"], english)
    xm, lm = _rule_logits(feats["multilingual"], multi)
    label = j.label[rows].astype(float)
    weights = []
    for rep in range(REPEATS):
        stacked = np.column_stack([_out_of_fold_logits(xe, j, rows, le, rep),
                                   _out_of_fold_logits(xm, j, rows, lm, rep)])
        _, coef = fit_logistic(stacked, label, 0.0)
        weights.append(float(coef[1] / coef.sum()))
    weight = round(float(np.mean(weights)), 2)
    prob = combined(feats, english, multi, weight)
    return {"reader": "multilingual", "weight": weight, "threshold": _threshold(prob, j, rows),
            "weights_by_draw": [round(w, 4) for w in weights]}


def combined(feats: dict, english: dict, multi: dict, weight: float) -> np.ndarray:
    """The English texts' probabilities with both readers (``tagger._score`` does the same)."""
    z = (1 - weight) * tagger.logit(english, feats["english"]) + weight * tagger.logit(multi, feats["multilingual"])
    return 1 / (1 + np.exp(-z))


def benchmark_features(texts: list[str], hub_alpha: float | None = None) -> dict[str, dict]:
    """Features of every benchmark text for each rule (each text read by each reader); the
    multilingual similarities corrected for hubness with weight ``hub_alpha`` (default: the shipped
    rule's)."""
    found = keywords.evidence(texts)
    lines = keywords.line_counts(found, len(texts))
    lex, _ = lexical.similarity(texts)
    rows = embedded_texts()
    goal_of, kind_of = rows["goal"].to_numpy(), rows["kind"].to_numpy()
    out = {"keywords": tagger.features(lines, lexical_sim=lex)}
    for reader, module in (("english", embedding), ("multilingual", multilingual)):
        sims = _embedded(reader, module, texts) @ reference_vectors(reader).T
        if reader == "multilingual":
            if hub_alpha is None:
                hub_alpha = float(reference.calibration()["embedding"]["multilingual"].get("hubness", 0.0))
            sims = tagger.adjusted({"hubness": hub_alpha}, sims)
        by_kind = {k: tagger._per_goal(sims, goal_of, kind_of == k) for k in tagger.ALL_KINDS}
        out[reader] = tagger.features(lines, by_kind, lex)
    return out


def load_benchmark(shared: Path) -> tuple[pd.DataFrame, list[str]]:
    bench = pd.read_csv(shared / "tagging" / "benchmark_dev.csv")
    texts = bench["text"].drop_duplicates().tolist()
    bench["text_id"] = bench["text"].map({t: i for i, t in enumerate(texts)})
    bench["part"] = evaluate.split_part(bench["text"])
    return bench, texts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data")
    args = parser.parse_args()
    bench, texts = load_benchmark(args.shared)
    j = Judgements(bench)
    tune, holdout = np.flatnonzero(j.part == "tune"), np.flatnonzero(j.part == "holdout")
    write_hubness(texts, np.unique(j.text[tune]))
    by_alpha = {alpha: benchmark_features(texts, alpha) for alpha in HUB_ALPHAS}
    feats = by_alpha[0.0]
    fitted = {}
    for name, candidates in CANDIDATES.items():
        if name == "multilingual":
            tried = {alpha: choose_and_fit(f[name], j, tune, candidates) for alpha, f in by_alpha.items()}
            best = max(tried.values(), key=lambda r: r["cv_accuracy"])
            se = min(c["cv_se"] for c in best["candidates"] if c["cv_accuracy"] == best["cv_accuracy"])
            alpha = min(a for a, r in tried.items() if r["cv_accuracy"] >= best["cv_accuracy"] - se)
            rule = dict(tried[alpha], hubness=alpha,
                        hubness_tried=[{"hubness": a, "cv_accuracy": r["cv_accuracy"]} for a, r in tried.items()])
            feats = dict(feats, multilingual=by_alpha[alpha]["multilingual"])
        else:
            rule = choose_and_fit(feats[name], j, tune, candidates)
        prob = tagger.probability(rule, feats[name])
        rule.update(fitted_on=f"SDG Classification Benchmark dev split, tune half ({len(tune)} rows, "
                              f"{len(np.unique(j.text[tune]))} texts)",
                    tune_accuracy=round(j.accuracy(prob, rule["threshold"], tune), 4),
                    holdout_accuracy=round(j.accuracy(prob, rule["threshold"], holdout), 4),
                    holdout_rows=len(holdout))
        fitted[name] = rule
        print(f"{name}: {rule['features']} goal offsets {'goal_offset' in rule} l2 {rule['l2']} "
              f"threshold {rule['threshold']}: cv {rule['cv_accuracy']} tune {rule['tune_accuracy']} "
              f"holdout {rule['holdout_accuracy']}")
    ensemble = fit_ensemble(feats, j, tune, fitted["english"], fitted["multilingual"])
    prob = combined(feats, fitted["english"], fitted["multilingual"], ensemble["weight"])
    ensemble.update(tune_accuracy=round(j.accuracy(prob, ensemble["threshold"], tune), 4),
                    holdout_accuracy=round(j.accuracy(prob, ensemble["threshold"], holdout), 4))
    fitted["english"]["ensemble"] = ensemble
    print(f"english read by both readers: weight {ensemble['weight']} ({ensemble['weights_by_draw']}) threshold "
          f"{ensemble['threshold']}: tune {ensemble['tune_accuracy']} holdout {ensemble['holdout_accuracy']}")
    out = {"embedding": {"english": fitted["english"], "multilingual": fitted["multilingual"]},
           "keywords": fitted["keywords"]}
    OUT.write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
