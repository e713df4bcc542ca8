"""Which language is a text in? It decides which model reads it, or that none does
(``docs/methods/tagging.md``, "Languages").

English texts go to the English model and the Aurora queries (both English); texts in the five
other UN languages go to the multilingual model; a text in any other language is not read, and
says so, rather than being tagged by a rule that was never checked on that language. The test is
cheap and needs no model: the script of most letters (Arabic, Cyrillic, Han ...), and for Latin
script the language whose function words (``data/function_words.csv``) occur most often, English
first on a tie. A Latin-script text with no function word at all (a title such as "Maternal health
clinics") counts as English, the language of most records.
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections import Counter
from functools import lru_cache

import numpy as np
import pandas as pd

from .reference import DATA

# The six UN languages: the ones the tagger reads (and the benchmark measures).
READ = {"ar": "Arabic", "en": "English", "es": "Spanish", "fr": "French", "ru": "Russian", "zh": "Chinese"}
# Languages told apart only to be named in the message "not read".
NOT_READ = {
    "de": "German",
    "fa": "Persian",
    "id": "Indonesian or Malay",
    "it": "Italian",
    "ja": "Japanese",
    "ko": "Korean",
    "nl": "Dutch",
    "pl": "Polish",
    "pt": "Portuguese",
    "sw": "Swahili",
    "tr": "Turkish",
    "uk": "Ukrainian",
    "ur": "Urdu",
    "el": "Greek",
    "he": "Hebrew",
    "hi": "a language in Devanagari script",
    "th": "Thai",
    "und": "a script the tagger does not know",
}
NAMES = {**READ, **NOT_READ}

_LETTER = re.compile(r"[^\W\d_]")
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
# Letters per script; the text's script is the one of most of its letters.
_SCRIPTS = {
    "latin": re.compile(r"[A-Za-z\u00c0-\u024f]"),
    "arabic": re.compile(r"[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]"),
    "cyrillic": re.compile(r"[\u0400-\u04ff]"),
    "han": re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]"),
    "kana": re.compile(r"[\u3040-\u30ff]"),
    "hangul": re.compile(r"[\uac00-\ud7af\u1100-\u11ff\u3130-\u318f]"),
    "greek": re.compile(r"[\u0370-\u03ff]"),
    "hebrew": re.compile(r"[\u0590-\u05ff]"),
    "devanagari": re.compile(r"[\u0900-\u097f]"),
    "thai": re.compile(r"[\u0e00-\u0e7f]"),
}
_SCRIPT_LANGUAGE = {"hangul": "ko", "greek": "el", "hebrew": "he", "devanagari": "hi", "thai": "th"}
# Letters Arabic does not use but Persian (and Urdu) do; Urdu's own retroflex letters; Ukrainian's.
_PERSIAN = re.compile(r"[\u067e\u0686\u0698\u06af\u06a9\u06cc]")
_URDU = re.compile(r"[\u0679\u0688\u0691\u06ba\u06be\u06c1\u06d2]")
_UKRAINIAN = re.compile(r"[\u0456\u0457\u0454\u0491\u0406\u0407\u0404\u0490]")
# Ties go to the first: English, then the read languages, then the others.
_ORDER = ("en", "fr", "es")
SAMPLE = 5_000  # characters looked at: enough words to tell, cheap on a 50-page text


@lru_cache(maxsize=1)
def function_words() -> dict[str, frozenset[str]]:
    table = pd.read_csv(
        io.StringIO(DATA.joinpath("function_words.csv").read_text(encoding="utf-8")), dtype=str, keep_default_na=False
    )
    return {lang: frozenset(group["word"]) for lang, group in table.groupby("language")}


# Letters of each language that English does not use: each occurrence counts half a function
# word, shared among the languages that use it ('ó' is Spanish and Portuguese, 'ñ' Spanish only).
_ACCENTS = {
    "es": "ñ¿¡áéíóú",
    "fr": "àâçéèêëîïôûùœ",
    "pt": "ãõáâéêíóôúçà",
    "it": "àèéìòù",
    "de": "äöüß",
    "pl": "ąęłńśźżó",
    "tr": "ğışçöü",
}
_ACCENT_WEIGHTS = {
    c: {lang: 0.5 / sum(c in letters for letters in _ACCENTS.values()) for lang, ls in _ACCENTS.items() if c in ls}
    for c in set("".join(_ACCENTS.values()))
}
# French elisions: l'eau, d'ici, qu'il; each counts as a French function word.
_ELISION = re.compile(r"\b(?:[ldjnmtsc]|qu)['’](?=[^\W\d_])", re.IGNORECASE)


@lru_cache(maxsize=1)
def _weights() -> dict[str, dict[str, float]]:
    """Per language, each function word weighted 1 / (languages whose list has it): 'de' is
    French, Spanish, Portuguese, Dutch and Turkish and tells little; 'the' tells English."""
    words = function_words()
    share: dict[str, int] = {}
    for ws in words.values():
        for w in ws:
            share[w] = share.get(w, 0) + 1
    return {lang: {w: 1.0 / share[w] for w in ws} for lang, ws in words.items()}


def _latin_language(sample: str) -> str:
    weights = _weights()
    tokens = Counter(w.lower() for w in _WORD.findall(sample))
    score = {lang: sum(ws.get(t, 0.0) * k for t, k in tokens.items()) for lang, ws in weights.items()}
    low = sample.lower()
    for c, share in _ACCENT_WEIGHTS.items():
        k = low.count(c)
        if k:
            for lang, w in share.items():
                score[lang] = score.get(lang, 0.0) + w * k
    score["fr"] = score.get("fr", 0.0) + len(_ELISION.findall(sample))
    read = max(_ORDER, key=lambda lang: score.get(lang, 0.0))  # max keeps the first of equals
    other = max(sorted(set(score) - set(_ORDER)), key=score.__getitem__)
    # An English title with "per capita" must not be called Italian: another language needs clear
    # evidence (one and a half words' worth, twice as much as the best language read).
    if score[other] >= 1.5 and score[other] > 2 * score.get(read, 0.0):
        return other
    return read if score.get(read, 0.0) > 0 else "en"


def detect(texts: list[str]) -> np.ndarray:
    """One language code per text: a key of ``READ`` or of ``NOT_READ`` ('' for a text with no
    letters, which is not scored anyway)."""
    out = np.full(len(texts), "", dtype=object)
    for n, text in enumerate(texts):
        # Composed accents: 'ó' may arrive as 'o' + U+0301, which no word list or accent test matches.
        sample = unicodedata.normalize("NFC", text[:SAMPLE])
        letters = len(_LETTER.findall(sample))
        if not letters:
            continue
        counts = {script: len(rx.findall(sample)) for script, rx in _SCRIPTS.items()}
        script = max(counts, key=counts.__getitem__)
        if counts[script] < 0.5 * letters:
            # Chinese and Japanese mix Han with Latin words and, for Japanese, kana.
            script = "han" if counts["han"] + counts["kana"] >= 0.5 * letters else "other"
        if script == "latin":
            out[n] = _latin_language(sample)
        elif script == "arabic":
            out[n] = (
                "ur"
                if len(_URDU.findall(sample)) > 0.01 * letters
                else "fa"
                if len(_PERSIAN.findall(sample)) > 0.01 * letters
                else "ar"
            )
        elif script == "cyrillic":
            out[n] = "uk" if len(_UKRAINIAN.findall(sample)) > 0.01 * letters else "ru"
        elif script in ("han", "kana"):
            out[n] = "ja" if counts["kana"] > 0.05 * letters else "zh"
        else:
            out[n] = _SCRIPT_LANGUAGE.get(script, "und")
    return out


def is_english(texts: list[str]) -> np.ndarray:
    """One bool per text ('' counts as English: it is not scored anyway)."""
    lang = detect(texts)
    return (lang == "en") | (lang == "")


def read_list() -> str:
    """'Arabic, Chinese, English, French, Russian and Spanish'."""
    names = sorted(READ.values())
    return ", ".join(names[:-1]) + " and " + names[-1]
