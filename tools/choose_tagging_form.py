"""Choose the form of the multilingual reader's rule on the *choose* half of the parallel texts.

The English benchmark (the only labelled data) cannot tell apart the forms of the multilingual rule
that differ in how they use the indicator texts: their cross-validated scores in the tune half are
within one standard error of each other. What they are for is texts in other languages, so the
form is chosen on parallel texts, on the *choose* half only (``evaluate.parallel_half``: half of the
targets, every text of a target in the same half), so that the figures reported on the *report*
half (``bench/tagging_benchmark.py --only parallel``) are blind to the choice. Each form is fitted
on the tune half of the benchmark (ridge penalty by cross-validation, as ``calibrate_tagging.py``
does) and scored on the non-English texts of the choose half: agreement of the top goal with the
English version's and accuracy of the top goal, with all references and with the text's own
target left out; the criterion is the mean of the four. No non-English text is a reference or a
training text; the choose half only picks one of a few forms.

Then the threshold of the shipped multilingual rule for the texts it reads (texts not in English):
the one on a 0.025 grid whose selected goals (at most 3) agree best with those selected for the
English versions (Jaccard index, mean with and without the own target), ties to the fitted one;
``--write`` stores it in ``calibration.json`` as ``threshold_other_languages`` (``tagger.threshold``).

    python tools/choose_tagging_form.py [--shared ../shared/data] [--write]
"""
from __future__ import annotations

import argparse
import json
import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tools"))

import calibrate_tagging as ct  # noqa: E402

from sdgtrack.tagging import evaluate, multilingual, tagger  # noqa: E402
from sdgtrack.tagging.reference import DATA, calibration, embedded_texts, reference_texts, reference_vectors  # noqa: E402

K3 = ct.KINDS3
# (name, features, which indicator texts beyond the 2020 ones: the 2025 titles, the national descriptions)
FORMS = [
    ("no indicator texts", K3 + ["similarity_gap", "query"], ()),
    ("2020 indicator texts beside", K3 + ["similarity_gap", "query", "indicator"], ()),
    ("2020 indicator texts in the gap", K3 + ["similarity_gap_indicator", "query", "indicator"], ()),
    ("2020 + 2025 indicator texts beside", K3 + ["similarity_gap", "query", "indicator"], ("title",)),
    ("2020 + 2025 indicator texts in the gap", K3 + ["similarity_gap_indicator", "query", "indicator"], ("title",)),
    ("2020 + 2025 + national descriptions beside", K3 + ["similarity_gap", "query", "indicator"],
     ("title", "description")),
    ("2020 + 2025 + national descriptions in the gap", K3 + ["similarity_gap_indicator", "query", "indicator"],
     ("title", "description")),
]


def _features(vectors: np.ndarray, keep: np.ndarray, exclude: list[str] | None) -> dict[str, np.ndarray]:
    rows = embedded_texts()
    # corrected for hubness as the shipped rule is (the weight chosen by tools/calibrate_tagging.py)
    sims = tagger.adjusted(calibration()["embedding"]["multilingual"], vectors @ reference_vectors("multilingual").T)
    sims[:, ~keep] = -1.0
    mask = tagger._exclusion(exclude, rows["target"].to_numpy())
    if mask is not None:
        sims = np.where(mask, -1.0, sims)
    goal_of, kind_of = rows["goal"].to_numpy(), rows["kind"].to_numpy()
    by_kind = {k: tagger._per_goal(sims, goal_of, kind_of == k) for k in tagger.ALL_KINDS}
    return tagger.features(np.zeros((len(vectors), 17)), by_kind, None)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--write", action="store_true", help="store the chosen threshold in calibration.json")
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    rows = embedded_texts()
    kinds = reference_texts()["kind"]
    n_titles, n_described = int((kinds == "indicator_title").sum()), int((kinds == "indicator_description").sum())
    # embedded_texts() puts the 2025 titles, then the national descriptions, last
    position = np.arange(len(rows))
    extra = {"description": position >= len(rows) - n_described}
    extra["title"] = (position >= len(rows) - n_described - n_titles) & ~extra["description"]
    bench, texts = ct.load_benchmark(args.shared)
    j = ct.Judgements(bench)
    tune = np.flatnonzero(j.part == "tune")
    bench_vectors = multilingual.embed(texts)

    table = evaluate.parallel_texts(args.shared / "opensdg" / "canada")
    table = table[table["half"] == "choose"].reset_index(drop=True)
    english = (table["lang"] == "en").to_numpy()
    others = np.flatnonzero(~english)
    vectors = multilingual.embed(table.loc[others, "text"].tolist())
    top_english, sets_english = {}, {}
    keys = pd.MultiIndex.from_frame(table.loc[others, ["set", "item"]])
    english_rule = calibration()["embedding"]["english"]
    for own_out in (False, True):
        exclude = table.loc[english, "target"].tolist() if own_out else None
        scores = tagger._score(table.loc[english, "text"].tolist(), "embedding", exclude=exclude)[0]
        prob = scores["probability"].to_numpy().reshape(-1, 17)
        index = pd.MultiIndex.from_frame(table.loc[english, ["set", "item"]])
        top_english[own_out] = pd.Series(prob.argmax(axis=1) + 1, index=index)
        sets_english[own_out] = _selected(prob, tagger.rule_threshold(english_rule))[index.get_indexer(keys)]
    goal = table.loc[others, "goal"].to_numpy()
    out = []
    for name, names, with_extra in FORMS:
        keep = ~np.logical_or.reduce([extra[k] for k in extra if k not in with_extra] + [np.zeros(len(rows), bool)])
        rule = ct.choose_and_fit(_features(bench_vectors, keep, None), j, tune, [(names, False)])
        result = {"form": name, "cv in tune": rule["cv_accuracy"], "ridge": rule["l2"]}
        for own_out in (False, True):
            exclude = table.loc[others, "target"].tolist() if own_out else None
            top = tagger.probability(rule, _features(vectors, keep, exclude)).argmax(axis=1) + 1
            suffix = ", own target out" if own_out else ""
            result["agreement" + suffix] = float(np.mean(top == top_english[own_out].reindex(keys).to_numpy()))
            result["accuracy" + suffix] = float(np.mean(top == goal))
        result["criterion"] = float(np.mean([v for k, v in result.items() if k.startswith(("agreement", "accuracy"))]))
        out.append(result)
    print(f"choose half: {len(others)} non-English texts of {table['target'].nunique()} targets")
    with pd.option_context("display.width", 250, "display.max_columns", 20):
        print(pd.DataFrame(out).to_string(index=False, float_format=lambda v: f"{v:.3f}"))

    shipped = calibration()["embedding"]["multilingual"]
    probs = {own_out: tagger.probability(shipped, _features(vectors, np.ones(len(rows), dtype=bool),
                                                            table.loc[others, "target"].tolist() if own_out else None))
             for own_out in (False, True)}
    grid = {}
    for tau in ct.GRID:
        jac = [_jaccard(_selected(probs[o], tau), sets_english[o]).mean() for o in (False, True)]
        grid[float(tau)] = (float(np.mean(jac)), *jac)
    best = max(v[0] for v in grid.values())
    chosen = min((t for t, v in grid.items() if v[0] >= best - 0.002), key=lambda t: abs(t - shipped["threshold"]))
    print(f"threshold of the shipped multilingual rule for texts not in English (fitted: {shipped['threshold']}):")
    for tau, (mean, plain, own) in grid.items():
        mark = "  <- chosen" if tau == chosen else ""
        print(f"  {tau:.3f}: goals agreeing with English's (Jaccard) {plain:.3f}, own target out {own:.3f}{mark}")
    if args.write:
        path = Path(str(DATA.joinpath("calibration.json")))
        table_json = json.loads(path.read_text(encoding="utf-8"))
        table_json["embedding"]["multilingual"]["threshold_other_languages"] = chosen
        path.write_text(json.dumps(table_json, indent=1) + "\n", encoding="utf-8")
        print(f"written to {path}")


def _selected(prob: np.ndarray, tau: float) -> np.ndarray:
    """The goals tag_texts selects (at most 3 at or above ``tau``), as (texts, 17) booleans."""
    rank = (-prob).argsort(axis=1).argsort(axis=1)
    return (prob >= tau) & (rank < tagger.DEFAULT_MAX_GOALS)


def _jaccard(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    either = (a | b).sum(axis=1)
    return np.where(either > 0, (a & b).sum(axis=1) / np.maximum(either, 1), 1.0)


if __name__ == "__main__":
    main()
