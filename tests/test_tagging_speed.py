"""The faster paths of tagging give what the plain ones give (docs/methods/tagging.md, "Speed")."""

from __future__ import annotations

import numpy as np
import pytest

from sdgtrack.tagging import embedding, evaluate, keywords, model_available, multilingual, onnx_graph, queries
from sdgtrack.tagging.reference import aurora_queries

needs_model = pytest.mark.skipif(not model_available(), reason="tagging models not installed (pip install sdgtrack)")

TEXTS = [
    "Reduce the maternal mortality ratio and end preventable deaths of newborns.",
    "Access to clean water and sanitation for rural households",
    "",  # [CLS] [SEP] only
    "climate",
    # longer than one 256-token window: two windows averaged
    " ".join(["Smallholder farmers need secure access to land, credit, markets and extension services"] * 40),
    # different lengths in one run: padding and the key mask matter
    "Gender equality in parliament and local government, women's representation. " * 6,
]


def _model_bytes() -> bytes:
    with open(embedding._model_file(), "rb") as f:
        return f.read()


@needs_model
def test_lean_graph_gives_the_plain_vectors():
    lean, plain = embedding.embed(TEXTS), embedding.embed(TEXTS, plain=True)
    assert lean.shape == plain.shape == (len(TEXTS), 384)
    assert np.abs(lean - plain).max() < 1e-5
    # and texts are told apart as before (not all mapped to one vector)
    assert np.abs(plain[0] - plain[1]).max() > 0.05


@needs_model
def test_lean_graph_is_what_runs():
    """The rewrite takes effect on the shipped model: no decomposed attention or GELU is left."""
    ops = _ops(onnx_graph.lean_model(_model_bytes()))
    assert ops.count("MultiHeadAttention") == 6 and ops.count("Gelu") == 6
    assert not {"Softmax", "IsNaN", "Erf", "Where", "Transpose"} & set(ops)
    assert {"Softmax", "Erf"} <= set(_ops(_model_bytes()))
    # fewer Adds: the query, key and value biases (18, now added by the attention node), the mask
    # added to the scores (6) and GELU's 1 + erf (6)
    assert _ops(_model_bytes()).count("Add") - ops.count("Add") == 18 + 6 + 6
    assert embedding.graph() == "lean" and embedding.graph(plain=True) == "plain"


def _ops(model: bytes | None) -> list[str]:
    assert model is not None
    messages = onnx_graph._messages()
    parsed = messages["Model"]()
    parsed.ParseFromString(model)
    return [n.op_type for n in parsed.graph.node]


@needs_model
def test_an_unknown_graph_is_left_alone():
    model = _model_bytes()
    assert onnx_graph.lean_model(b"not a model") is None
    # the same model with its GELUs' 0.5 changed: no longer the pattern, so no rewrite at all
    messages = onnx_graph._messages()
    parsed = messages["Model"]()
    parsed.ParseFromString(model)
    for t in parsed.graph.initializer:
        if t.raw_data == np.float32(0.5).tobytes():
            t.raw_data = np.float32(0.25).tobytes()
    assert onnx_graph.lean_model(parsed.SerializeToString()) is None


def test_needed_anchors_follow_the_query_logic():
    tree = queries.parse('("maternal mortality" OR "newborn death*") AND ("health" W/3 "care") AND NOT "veterinary"')
    # of an AND, the shorter list of its two sides: the W/3 needs "health" (or "care": the first of equals)
    assert queries.needed_anchors(tree) == {"health"}
    # an OR needs one of its sides; a phrase its longest literal piece
    assert queries.needed_anchors(
        queries.parse('("maternal mortality" OR "newborn death*") AND ("x" OR "y" OR "z")')
    ) == {
        "mortality",
        "newborn",
    }
    assert queries.needed_anchors(queries.parse('"a b" OR "c"')) == {"a", "c"}
    assert queries.needed_anchors(queries.parse('"water" AND NOT "sanitation"')) == {"water"}


def test_keyword_evidence_skips_only_lines_that_cannot_match():
    texts = [
        "Reduce the maternal mortality ratio and end preventable deaths of newborns and children under 5.",
        "Greenhouse gas emissions and global warming: climate change adaptation in coastal cities.",
        "Women's participation in parliament; gender-based violence against women and girls.",
        "Nothing here at all.",
        "",
    ]
    table = aurora_queries()
    brute = []
    for text_id, text in enumerate(texts):
        if not text:
            continue
        matcher = queries.Matcher(text)
        for q, tree in enumerate(table["tree"]):
            seen = set()
            for span in matcher.run(tree):
                excerpt = matcher.excerpt(text, span)
                if excerpt.lower() not in seen:
                    seen.add(excerpt.lower())
                    brute.append((text_id, table["goal"][q], table["target"][q], table["line"][q], excerpt))
    found = keywords.evidence(texts)
    assert len(brute) > 5  # the texts match several lines, so the comparison says something
    assert list(found.itertuples(index=False, name=None)) == brute


@needs_model
def test_word_by_word_tokenizer_gives_the_same_ids():
    wrapped = multilingual._model()._backend.sp
    assert isinstance(wrapped, multilingual._WordTokenizer)
    official = evaluate.parallel_texts()
    texts = official.groupby("lang").head(15)["text"].tolist()  # six languages, Chinese and Arabic included
    texts += ["", "  spaced   out  ", "<s> </s> <unk>", "Ünïcödé — “quotes” … ½ ﬁ", "\u2581lead mark", "x" * 2000]
    texts += texts[:10]  # again: from the remembered words
    for text in texts:
        assert wrapped.encode(text) == wrapped.tokenizer.encode(text, out_type=int, add_bos=True, add_eos=True), text


@needs_model
def test_one_session_per_graph():
    # load() and embed() call it differently: one session (and one model in memory) all the same
    assert embedding._session() is embedding._session(False) is embedding._session(plain=False)


@needs_model
def test_a_lean_graph_onnxruntime_cannot_run_falls_back_to_the_plain_one(monkeypatch):
    lean = onnx_graph.lean_model(_model_bytes())
    assert lean is not None
    broken = lean.replace(b"MultiHeadAttention", b"NoSuchAttentionOp!")  # same length: a valid model
    monkeypatch.setattr(onnx_graph, "lean_model", lambda model: broken)
    embedding._load_session.cache_clear()
    try:
        assert embedding.graph() == "plain"
        assert np.abs(embedding.embed(TEXTS[:2]) - embedding.embed(TEXTS[:2], plain=True)).max() == 0
    finally:
        embedding._load_session.cache_clear()
