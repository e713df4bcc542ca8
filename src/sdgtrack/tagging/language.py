"""Is a text English? It decides which model reads it (``docs/methods/tagging.md``, "Languages").

English texts go to the English model and the Aurora queries (both English); every other text
goes to the multilingual model. The test is cheap and needs no model: a text is English when most
of its letters are Latin and its function words are more English than French or Spanish
(``data/function_words.csv``). A Latin-script text with no function word at all (a title such as
"Maternal health clinics") counts as English, the language of most records.
"""

from __future__ import annotations

import io
import re
from functools import lru_cache

import numpy as np
import pandas as pd

from .reference import DATA

_LETTER = re.compile(r"[^\W\d_]")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
SAMPLE = 5_000  # characters looked at: enough words to tell, cheap on a 50-page text


@lru_cache(maxsize=1)
def function_words() -> dict[str, frozenset[str]]:
    table = pd.read_csv(
        io.StringIO(DATA.joinpath("function_words.csv").read_text(encoding="utf-8")), dtype=str, keep_default_na=False
    )
    return {lang: frozenset(group["word"]) for lang, group in table.groupby("language")}


def is_english(texts: list[str]) -> np.ndarray:
    """One bool per text ('' counts as English: it is not scored anyway)."""
    words = function_words()
    out = np.ones(len(texts), dtype=bool)
    for n, text in enumerate(texts):
        sample = text[:SAMPLE]
        letters = len(_LETTER.findall(sample))
        if not letters:
            continue
        if len(_LATIN.findall(sample)) < 0.5 * letters:
            out[n] = False
            continue
        tokens = [w.lower() for w in _WORD.findall(sample)]
        hits = {lang: sum(t in ws for t in tokens) for lang, ws in words.items()}
        english = hits.pop("en", 0)
        out[n] = english >= max(hits.values(), default=0)
    return out
