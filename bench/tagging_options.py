"""SDG tagging: the options weighed for the English reader's rule, each scored by cross-validation
inside the *tune* half of the benchmark dev split only (the holdout half is not read here).

Every option adds features to (or changes) the shipped rule's feature set, is fitted by the same
L2-penalised logistic regression as ``tools/calibrate_tagging.py`` (5 folds x 4 repeats, threshold
chosen inside each training fold) and reported as mean per-SDG accuracy +- one standard error:

    python bench/tagging_options.py [--shared ../shared/data]

Options: a k-nearest-neighbour vote of the judged tune texts (a supervised head on the embeddings,
fitted inside each fold), the cosine with each goal's centroid of reference vectors, a softmax
classifier trained on the reference texts (goal titles, narratives, targets, query phrase lists),
the mean of the three closest targets, a softmax of the best similarity over goals, the
multilingual model's similarities beside the English ones, the two readers' similarities averaged,
one intercept per goal (per-SDG thresholds), and 1, 2 or 17 goals at most per text.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tools"))

import calibrate_tagging as ct  # noqa: E402

from sdgtrack.tagging import embedding, multilingual, tagger  # noqa: E402
from sdgtrack.tagging.reference import calibration, embedded_texts, reference_vectors  # noqa: E402


def softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def reference_classifier(ref: np.ndarray, goal: np.ndarray, l2: float = 1e-3, steps: int = 3000) -> tuple:
    """Softmax regression of the goal on the reference vectors (gradient descent; no benchmark text)."""
    w, b, y = np.zeros((ref.shape[1], 17)), np.zeros(17), np.eye(17)[goal - 1]
    for _ in range(steps):
        err = softmax(ref @ w + b) - y
        w -= 5.0 * (ref.T @ err / len(ref) + l2 * w)
        b -= 5.0 * err.mean(axis=0)
    return w, b


def option_features(vectors: dict[str, np.ndarray], feats: dict[str, dict]) -> dict[str, np.ndarray]:
    rows = embedded_texts()
    goal_of, kind_of = rows["goal"].to_numpy(), rows["kind"].to_numpy()
    e, ref = vectors["english"], reference_vectors("english")
    sims = e @ ref.T
    out = dict(feats["english"])
    top3, centroid = np.zeros((len(e), 17)), np.zeros((len(e), 17))
    for g in range(1, 18):
        closest = np.sort(sims[:, (goal_of == g) & (kind_of == "target")], axis=1)[:, ::-1]
        top3[:, g - 1] = closest[:, :3].mean(axis=1)
        c = ref[goal_of == g].mean(axis=0)
        centroid[:, g - 1] = e @ (c / np.linalg.norm(c))
    w, b = reference_classifier(ref, goal_of)
    out.update(top3=top3, centroid=centroid, centroid_gap=tagger._gap(centroid),
               reference_classifier=np.log(softmax(e @ w + b) + 1e-9),
               goal_softmax=softmax(out["similarity"] / 0.05))
    ml = feats["multilingual"]
    for k in (*tagger.KINDS, "query", "similarity_gap"):
        out["ml_" + k] = ml[k]
    for k in (*tagger.KINDS, "query"):
        out["avg_" + k] = (out[k] + ml[k]) / 2
    out["avg_gap"] = tagger._gap(np.maximum.reduce([out["avg_" + k] for k in tagger.KINDS]))
    return out


def knn_vote(e: np.ndarray, j: ct.Judgements, rows: np.ndarray, temperature: float) -> tuple:
    """Per text and goal, the similarity-weighted vote (+1 yes, -1 no) of the judgements in ``rows``
    about that goal; for the texts of ``rows`` themselves, their own judgement left out."""
    t, g, y = j.text[rows], j.goal[rows], 2.0 * j.label[rows] - 1
    weight = np.exp((e @ e[t].T - 1) / temperature)
    own = np.arange(len(e))[:, None] == t[None, :]
    vote, vote_loo = np.zeros((len(e), 17)), np.zeros((len(e), 17))
    for k in range(17):
        m = g == k
        wk = weight[:, m]
        vote[:, k] = (wk * y[m]).sum(axis=1) / (wk.sum(axis=1) + 1e-9)
        wk = np.where(own[:, m], 0.0, wk)
        vote_loo[:, k] = (wk * y[m]).sum(axis=1) / (wk.sum(axis=1) + 1e-9)
    return vote, vote_loo


def cross_validate_knn(feats: dict, names: list[str], e: np.ndarray, j: ct.Judgements, rows: np.ndarray,
                       l2: float, temperature: float) -> tuple[float, float]:
    """``ct.cross_validate`` with the vote refitted inside every training fold."""
    texts = np.unique(j.text[rows])
    scores = []
    for rep in range(ct.REPEATS):
        fold = dict(zip(np.random.default_rng(rep).permutation(texts), np.arange(len(texts)) % ct.FOLDS))
        which = np.array([fold[t] for t in j.text[rows]])
        for k in range(ct.FOLDS):
            inner, outer = rows[which != k], rows[which == k]
            vote, vote_loo = knn_vote(e, j, inner, temperature)
            x_in = ct.design({**feats, "knn": vote_loo}, names, False)
            x_out = ct.design({**feats, "knn": vote}, names, False)
            b, c, prob = ct._fit(x_in, j, inner, l2)
            out_prob = (1 / (1 + np.exp(-(b + x_out @ c)))).reshape(len(e), 17)
            scores.append(j.accuracy(out_prob, ct._threshold(prob, j, inner), outer))
    return float(np.mean(scores)), float(np.std(scores, ddof=1) / np.sqrt(len(scores)))


def cross_validate_goal_thresholds(x_all: np.ndarray, j: ct.Judgements, rows: np.ndarray,
                                   l2: float) -> tuple[float, float]:
    """``ct.cross_validate`` with one threshold per SDG, each chosen on the training fold's
    judgements of that SDG (ties: the one nearest the common threshold)."""
    texts = np.unique(j.text[rows])
    scores = []
    for rep in range(ct.REPEATS):
        fold = dict(zip(np.random.default_rng(rep).permutation(texts), np.arange(len(texts)) % ct.FOLDS))
        which = np.array([fold[t] for t in j.text[rows]])
        for k in range(ct.FOLDS):
            inner, outer = rows[which != k], rows[which == k]
            _, _, prob = ct._fit(x_all, j, inner, l2)
            common = ct._threshold(prob, j, inner)
            rank = (-prob).argsort(axis=1).argsort(axis=1)
            per_goal = np.full(17, common)
            for g in range(17):
                mine = inner[j.goal[inner] == g]
                if not len(mine):
                    continue
                t, label = j.text[mine], j.label[mine]
                hits = {float(c): np.mean(((prob[t, g] >= c) & (rank[t, g] < 3)) == label) for c in ct.GRID}
                best = max(hits.values())
                per_goal[g] = min((c for c, h in hits.items() if h >= best), key=lambda c: abs(c - common))
            t, g = j.text[outer], j.goal[outer]
            correct = ((prob[t, g] >= per_goal[g]) & (rank[t, g] < 3)) == j.label[outer]
            scores.append(float(np.mean([correct[g == q].mean() for q in np.unique(g)])))
    return float(np.mean(scores)), float(np.std(scores, ddof=1) / np.sqrt(len(scores)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data")
    args = parser.parse_args()
    bench, texts = ct.load_benchmark(args.shared)
    j = ct.Judgements(bench)
    tune = np.flatnonzero(j.part == "tune")
    vectors = {"english": embedding.embed(texts), "multilingual": multilingual.embed(texts)}
    feats = option_features(vectors, ct.benchmark_features(texts))
    shipped = calibration()["embedding"]["english"]
    base, l2 = list(shipped["features"]), shipped["l2"]
    print(f"cross-validated in the tune half ({len(tune)} judgements); shipped rule: {base}, l2 {l2}")
    options = {"shipped rule": (base, False),
               "+ centroid of the goal's references": (base + ["centroid", "centroid_gap"], False),
               "+ classifier trained on the reference texts": (base + ["reference_classifier"], False),
               "+ mean of the 3 closest targets": (base + ["top3"], False),
               "+ softmax of the best similarity over goals": (base + ["goal_softmax"], False),
               "+ multilingual model's similarities": (base + ["ml_" + k for k in (*tagger.KINDS, "query",
                                                                                  "similarity_gap")], False),
               "both readers' similarities averaged": (["avg_" + k for k in (*tagger.KINDS, "query")]
                                                       + ["avg_gap", "log_keyword_lines", "lexical"], False),
               "+ one intercept per goal": (base, True)}
    for name, (names, offsets) in options.items():
        mean, se = ct.cross_validate(ct.design(feats, names, offsets), j, tune, l2)
        print(f"{name:<52}{mean:.4f} +- {se:.4f}")
    mean, se = cross_validate_goal_thresholds(ct.design(feats, base, False), j, tune, l2)
    print(f"{'one threshold per SDG, chosen on the training fold':<52}{mean:.4f} +- {se:.4f}")
    for temperature in (0.02, 0.05):
        mean, se = cross_validate_knn(feats, base + ["knn"], vectors["english"], j, tune, l2, temperature)
        print(f"{'+ k-NN vote of judged tune texts (T=' + str(temperature) + ')':<52}{mean:.4f} +- {se:.4f}")
    accuracy = ct.Judgements.accuracy
    for most in (1, 2, 17):
        ct.Judgements.accuracy = lambda self, p, t, r, max_goals=most: accuracy(self, p, t, r, max_goals)
        mean, se = ct.cross_validate(ct.design(feats, base, False), j, tune, l2)
        print(f"{'shipped rule, at most ' + str(most) + ' goals per text':<52}{mean:.4f} +- {se:.4f}")
    ct.Judgements.accuracy = accuracy


if __name__ == "__main__":
    main()
