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

    python tools/choose_tagging_form.py [--shared ../shared/data]
"""
from __future__ import annotations

import argparse
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
from sdgtrack.tagging.reference import embedded_texts, reference_texts, reference_vectors  # noqa: E402

K3 = ct.KINDS3
# (name, features, with the 2025 indicator titles among the indicator texts)
FORMS = [
    ("no indicator texts", K3 + ["similarity_gap", "query"], False),
    ("2020 indicator texts beside", K3 + ["similarity_gap", "query", "indicator"], False),
    ("2020 indicator texts in the gap", K3 + ["similarity_gap_indicator", "query", "indicator"], False),
    ("2020 + 2025 indicator texts beside", K3 + ["similarity_gap", "query", "indicator"], True),
    ("2020 + 2025 indicator texts in the gap", K3 + ["similarity_gap_indicator", "query", "indicator"], True),
]


def _features(vectors: np.ndarray, keep: np.ndarray, exclude: list[str] | None) -> dict[str, np.ndarray]:
    rows = embedded_texts()
    sims = vectors @ reference_vectors("multilingual").T
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
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    rows = embedded_texts()
    n_titles = int((reference_texts()["kind"] == "indicator_title").sum())
    titles_2025 = np.arange(len(rows)) >= len(rows) - n_titles  # embedded_texts() puts them last
    bench, texts = ct.load_benchmark(args.shared)
    j = ct.Judgements(bench)
    tune = np.flatnonzero(j.part == "tune")
    bench_vectors = multilingual.embed(texts)

    table = evaluate.parallel_texts(args.shared / "opensdg" / "canada")
    table = table[table["half"] == "choose"].reset_index(drop=True)
    english = (table["lang"] == "en").to_numpy()
    others = np.flatnonzero(~english)
    vectors = multilingual.embed(table.loc[others, "text"].tolist())
    top_english = {}
    for own_out in (False, True):
        exclude = table.loc[english, "target"].tolist() if own_out else None
        scores = tagger._score(table.loc[english, "text"].tolist(), "embedding", exclude=exclude)[0]
        top = scores["probability"].to_numpy().reshape(-1, 17).argmax(axis=1) + 1
        top_english[own_out] = pd.Series(top, index=pd.MultiIndex.from_frame(table.loc[english, ["set", "item"]]))
    keys = pd.MultiIndex.from_frame(table.loc[others, ["set", "item"]])
    goal = table.loc[others, "goal"].to_numpy()
    out = []
    for name, names, with_2025 in FORMS:
        keep = np.ones(len(rows), dtype=bool) if with_2025 else ~titles_2025
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


if __name__ == "__main__":
    main()
