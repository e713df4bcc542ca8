"""Tagging in the six UN languages: the shipped target translations, each tagged, top goal against the target's goal."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sdgtrack.tagging import evaluate, language, model_available, tag_texts
from sdgtrack.tagging.reference import embedded_texts, reference_texts

from .conftest import shared_path

needs_model = pytest.mark.skipif(not model_available(), reason="tagging models not installed (pip install sdgtrack)")
LANGS = ["en", "fr", "es", "ar", "ru", "zh-Hans"]
# Pooled agreement of the translations with English in the sample of test_parallel_texts_sample
# (the whole benchmark: docs/methods/tagging.md).
AGREEMENT_SAMPLE = (
    0.92  # 0.945 measured; without the 2025 indicator titles 0.891, without any indicator text below 0.85
)


def test_translations_are_test_texts_only():
    table = evaluate.translated_targets()
    assert table.groupby("lang", observed=True).size().to_dict() == {lang: 169 for lang in LANGS}
    references = set(reference_texts()["text"])
    others = table[table["lang"] != "en"]
    assert not set(others["text"]) & references  # no translated text is a reference text


def test_language_routing():
    texts = [
        "Midwives in rural clinics cut maternal deaths",
        "Des sages-femmes réduisent la mortalité maternelle dans les zones rurales",
        "Las parteras reducen la mortalidad materna en las zonas rurales",
        "القابلات يخفضن وفيات الأمهات في المناطق الريفية",
        "Акушерки снижают материнскую смертность в сельских районах",
        "农村助产士降低孕产妇死亡率",
        "Maternal health clinics",
        "",
    ]
    assert language.is_english(texts).tolist() == [True, False, False, False, False, False, True, True]
    assert language.detect(texts).tolist() == ["en", "fr", "es", "ar", "ru", "zh", "en", ""]


def test_languages_not_read_are_named():
    texts = {
        "de": "Hebammen in ländlichen Kliniken senken die Müttersterblichkeit",
        "sw": "Wakunga katika kliniki za vijijini wanapunguza vifo vya akina mama na watoto wachanga",
        "pt": "As parteiras nas clínicas rurais reduzem a mortalidade materna e a mortalidade dos recém-nascidos",
        "it": "Le ostetriche nelle cliniche rurali riducono la mortalità materna e la mortalità dei neonati",
        "ja": "農村の助産師が妊産婦死亡を減らす",
        "ko": "농촌 조산사가 산모 사망을 줄인다",
        "uk": "Акушерки в сільських клініках знижують материнську смертність",
        "fa": "ماماها در کلینیک های روستایی مرگ و میر مادران را کاهش می دهند",
    }
    assert language.detect(list(texts.values())).tolist() == list(texts)


def test_english_and_translated_titles_go_to_a_reader():
    """Short texts tell little: no official indicator title in a UN language may be taken for a
    language that is not read (English ones for Italian because of 'per capita', say)."""
    import yaml

    root = shared_path("framework", "translations")
    for lang in LANGS:
        titles = list(yaml.safe_load((root / lang / "global_indicators.yml").read_text(encoding="utf-8")).values())
        found = language.detect(titles)
        assert set(found) <= set(language.READ), (lang, set(found) - set(language.READ))
        if lang in ("en", "fr"):
            assert (found == lang).all(), lang
        else:
            assert (found == lang[:2]).mean() >= 0.97, lang


@needs_model
def test_every_language_within_005_of_english():
    """The issue's test: translated target texts, top goal = the target's goal."""
    table = evaluate.language_accuracy().set_index("lang")
    english = table.loc["en", "accuracy"]
    assert english >= 0.99
    for lang in LANGS:
        assert table.loc[lang, "accuracy"] >= english - 0.05, lang
    assert table.loc[["ar", "ru", "zh-Hans", "es"], "english_reader"].eq(0).all()
    assert table.loc["fr", "english_reader"] == 0
    # the figures of docs/methods/tagging.md
    assert table["accuracy"].round(3).tolist() == pytest.approx([1.0, 0.994, 1.0, 0.976, 1.0, 0.994], abs=0.004)


@needs_model
def test_languages_with_the_own_target_left_out():
    """Stricter: without the target's own English wording (or its query lines) among the references,
    the goal must be recognised from the goal's other texts. English keeps the other targets' query
    lines and its word overlap; every language is within 0.11 of English."""
    table = evaluate.language_accuracy(own_target_excluded=True).set_index("lang")["accuracy"]
    assert table.round(3).tolist() == pytest.approx([0.598, 0.592, 0.533, 0.550, 0.556, 0.586], abs=0.004)
    assert table.min() > 0.45  # far above chance (1 in 17)
    assert (table.loc["en"] - table).max() < 0.11


@needs_model
def test_a_french_and_a_chinese_text_are_tagged_like_the_english_one():
    texts = [
        "Midwives in rural clinics cut maternal and newborn deaths",
        "Des sages-femmes dans les cliniques rurales réduisent la mortalité maternelle et néonatale",
        "农村诊所的助产士减少了孕产妇和新生儿死亡",
    ]
    tags = tag_texts(texts)
    assert tags.attrs["readers"] == {"english": 1, "multilingual": 2}
    top = tags.groupby("text_id").first()
    assert top["goal"].tolist() == [3, 3, 3]
    assert top["target"].isin(["3.1", "3.2"]).all()
    assert np.all(top["probability"] > 0.7)


def test_parallel_texts_are_test_texts_only():
    """No non-English text of the parallel benchmark is a reference text of either model."""
    table = evaluate.parallel_texts(shared_path("opensdg", "canada"))
    sizes = table.groupby(["set", "lang"]).size()
    assert sizes["targets"].tolist() == [169] * 6 and sizes["indicator titles"].tolist() == [252] * 6
    assert sizes["Canada metadata"].to_dict() == {
        "en": sizes["Canada metadata", "en"],
        "fr": sizes["Canada metadata", "en"],
    }
    assert sizes["Canada metadata", "en"] >= 200
    references = set(embedded_texts()["text"]) | set(reference_texts()["text"])
    assert not set(table.loc[table["lang"] != "en", "text"]) & references


@needs_model
def test_parallel_texts_sample():
    """Every 12th item of each set of the parallel benchmark in six languages (the whole table:
    bench/tagging_benchmark.py --only parallel): the top goal of a translation agrees with the English
    version's; English agrees with itself by construction."""
    table = evaluate.parallel_texts(shared_path("opensdg", "canada"))
    items = table.drop_duplicates(["set", "item"]).groupby("set").nth(slice(None, None, 12))[["set", "item"]]
    sample = table.merge(items, on=["set", "item"])
    result = evaluate.parallel_accuracy(sample).set_index(["set", "lang"])
    assert (result.xs("en", level="lang")[["agreement", "agreement_own_out"]] == 1).all().all()
    others = result.drop(index="en", level="lang")
    assert len(others) == 11  # targets and titles in five languages, Canada's definitions in French
    assert others.loc["targets", "accuracy"].min() >= 0.85
    pooled = (others["agreement"] * others["texts"]).sum() / others["texts"].sum()
    assert pooled >= AGREEMENT_SAMPLE
    # with its own target's wording left out a text is harder to place, in every language
    assert (result["accuracy_own_out"] <= result["accuracy"]).mean() >= 0.9


def test_parallel_halves_split_by_target():
    """Choices look at the *choose* half, figures are reported on the *report* half: every text of a
    target, in every set and language, is in one half, and both halves hold about half the targets."""
    table = evaluate.parallel_texts(shared_path("opensdg", "canada"))
    assert set(table["half"]) == {"choose", "report"}
    assert table.groupby("target")["half"].nunique().eq(1).all()
    per_half = table.groupby("half")["target"].nunique()
    assert per_half.min() >= 0.4 * table["target"].nunique()
    by_set = table.groupby(["set", "half"]).size()
    assert (by_set > 0).all() and len(by_set) == 6
    # the same code is in the same half whichever table it comes from
    assert evaluate.parallel_half(pd.Series(["3.1", "3.1"])).nunique() == 1


def test_indicator_titles_are_english_references_of_the_multilingual_reader_only():
    """The 2025 indicator titles (English) are indicator references; the English reader's word
    overlap does not read them, so the English rule is as it was fitted."""
    from sdgtrack.tagging import lexical

    ref = reference_texts()
    titles = ref[ref["kind"] == "indicator_title"]
    assert len(titles) == 251 and titles["target"].str.fullmatch(r"\d+\.[0-9a-z]+").all()
    rows = embedded_texts()
    described = ref[ref["kind"] == "indicator_description"]
    assert (rows["kind"] == "indicator").sum() == 251 + len(described) + (ref["kind"] == "indicator").sum()
    assert set(titles["text"]) <= set(rows.loc[rows["kind"] == "indicator", "text"])
    assert language.detect(titles["text"].tolist()).tolist().count("en") >= 245
    docs = lexical.documents()
    assert (
        len(docs)
        == ref.loc[~ref["kind"].isin(["indicator_title", "indicator_description"])]
        .assign(doc=lambda d: d["target"].where(d["target"] != "", "goal " + d["goal"].astype(str)))["doc"]
        .nunique()
    )


def test_national_indicator_descriptions_are_english_and_not_canadas():
    """The national indicator descriptions (Rwanda, UK) are English indicator references, each under
    the target of its indicator; none is a Canadian definition (those are parallel test texts)."""
    ref = reference_texts()
    described = ref[ref["kind"] == "indicator_description"]
    assert len(described) >= 300 and described["target"].str.fullmatch(r"\d+\.[0-9a-z]+").all()
    assert (described["goal"].astype(str) == described["target"].str.split(".").str[0]).all()
    assert not described["text"].str.contains(r"</?[a-z][^>]*>").any()  # HTML tags dropped
    assert np.mean(np.array(language.detect(described["text"].tolist())) == "en") >= 0.97
    canada = evaluate.canada_metadata(shared_path("opensdg", "canada"))
    assert not set(canada["text"]) & set(described["text"])
