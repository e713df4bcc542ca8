"""Benchmark of `sdgtrack tag`: accuracy on the SDG Classification Benchmark dev split, and speed.

Accuracy (the issue's metric): for each SDG, the accuracy of "sdg in the predicted set" against
the expert label, averaged over the 17 SDGs. The shipped rule (data/calibration.json) was fitted
on the *tune* half (fixed by the MD5 of each text); the *holdout* half is the honest figure.
The cross-fitted figure refits the same rule on the holdout half, scores the tune half, and
averages both directions: a less noisy out-of-sample estimate over the whole dev split.

Speed: texts per second for 600-character texts in batches, with both methods and for the
embedding step alone, in one process (ratios compare like with like on this machine).

    python bench/tagging_benchmark.py [--shared ../shared/data] [--texts 400]
"""
from __future__ import annotations

import argparse
import os
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tools"))

from sdgtrack.tagging import embedding, evaluate, keywords, tag_texts, tagger  # noqa: E402
from sdgtrack.tagging.reference import calibration  # noqa: E402


def quality(bench: pd.DataFrame, texts: list[str]) -> None:
    print("== accuracy (mean over the 17 SDGs of per-SDG accuracy)")
    for method in tagger.METHODS:
        tags = tag_texts(texts, method=method)
        row = {part: evaluate.macro_accuracy(bench[bench["part"] == part], tags) for part in ("tune", "holdout")}
        row["all"] = evaluate.macro_accuracy(bench, tags)
        print(f"{method:<10} holdout {row['holdout']:.3f}   tune {row['tune']:.3f}   all dev {row['all']:.3f}   "
              f"(threshold {tags.attrs['threshold']}, {len(tags)} tags on {len(texts)} texts)")
        if method == "embedding":
            per_sdg = evaluate.accuracy(bench[bench["part"] == "holdout"], tags)
            print("  holdout per SDG: " + " ".join(f"{s}:{a:.2f}" for s, a in zip(per_sdg["sdg"], per_sdg["accuracy"])))
        print(f"  cross-fitted (rule refitted on each half, scored on the other): {cross_fit(bench, texts, method):.3f}")


def cross_fit(bench: pd.DataFrame, texts: list[str], method: str) -> float:
    from calibrate_tagging import fit_logistic

    rule = calibration()[method]
    scores, found = tagger._score(texts, method)
    lines = keywords.line_counts(found, len(texts))
    sim = scores["similarity"].to_numpy().reshape(-1, 17) if method == "embedding" else None
    feats = tagger.features(method, sim, lines)
    rows = (bench["text_id"].to_numpy(), bench["sdg"].to_numpy() - 1)
    x = np.column_stack([feats[n][rows] for n in rule["features"]])
    y = bench["label"].astype(float).to_numpy()
    out = []
    for fit_part, eval_part in (("tune", "holdout"), ("holdout", "tune")):
        fit = (bench["part"] == fit_part).to_numpy()
        b, c = fit_logistic(x[fit], y[fit])
        r = dict(rule, intercept=b, coef=list(c))
        prob = tagger.probability(r, feats)
        sc = pd.DataFrame({"text_id": np.repeat(np.arange(len(texts)), 17),
                           "goal": np.tile(np.arange(1, 18), len(texts)), "probability": prob.ravel()})
        grid = np.round(np.arange(0.2, 0.81, 0.025), 3)
        best = max(grid, key=lambda t: evaluate.macro_accuracy(bench[fit], tagger.select(sc, t, 3)))
        out.append(evaluate.macro_accuracy(bench[~fit], tagger.select(sc, best, 3)))
    return float(np.mean(out))


def speed(texts: list[str], n: int) -> None:
    # 600-character texts: benchmark texts repeated and cut, so the words are real.
    pool = " ".join(texts)
    batch = [pool[i * 600:(i + 1) * 600] for i in range(n)]
    print(f"== speed: {n} texts of 600 characters, {os.cpu_count()} cores, one process")
    tag_texts(batch[:8])  # load the model and the queries once
    results = {}
    for name, fn in (("keywords method", lambda: tag_texts(batch, method="keywords")),
                     ("embedding step only", lambda: embedding.embed(batch)),
                     ("embedding method (full)", lambda: tag_texts(batch, method="embedding"))):
        t, cpu = time.perf_counter(), time.process_time()
        fn()
        results[name] = (n / (time.perf_counter() - t), n / (time.process_time() - cpu))
    base = results["keywords method"][0]
    print(f"load average at the end: {os.getloadavg()[0]:.1f} (other work on the machine slows wall-clock figures)")
    for name, (rate, per_cpu) in results.items():
        print(f"{name:<26}{rate:8.1f} texts/s wall ({rate / base:.2f} x the keywords method); "
              f"{per_cpu:6.1f} texts per CPU-second")
    # On an idle machine onnxruntime spreads the embedding over both cores; the keyword queries run
    # in one Python thread. Estimate from CPU time: the two parts one after the other.
    cores = min(2, os.cpu_count() or 1)
    idle = 1 / (1 / (results["embedding step only"][1] * cores) + 1 / results["keywords method"][1])
    print(f"estimated embedding method on {cores} idle cores: {idle:.1f} texts/s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--texts", type=int, default=400)
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    bench = pd.read_csv(args.shared / "tagging" / "benchmark_dev.csv")
    texts = bench["text"].drop_duplicates().tolist()
    bench["text_id"] = bench["text"].map({t: i for i, t in enumerate(texts)})
    bench["part"] = evaluate.split_part(bench["text"])
    print(f"benchmark: {len(bench)} judgements on {len(texts)} texts; "
          f"tune {int((bench['part'] == 'tune').sum())} rows, holdout {int((bench['part'] == 'holdout').sum())} rows")
    quality(bench, texts)
    speed(texts, args.texts)


if __name__ == "__main__":
    main()
