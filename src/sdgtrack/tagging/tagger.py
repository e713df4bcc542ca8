"""Tag texts with the SDGs they address: scores per goal, a fitted selection rule, evidence.

Two methods, one shape of output:

- ``embedding`` (the default through ``auto``): English texts are read by all-MiniLM-L6-v2 and the
  Aurora SDG queries and by the multilingual Universal Sentence Encoder (the two rules' log-odds
  combined, ``ensemble_weight``), texts in other languages by the multilingual model alone
  (``language.is_english`` decides). Features per goal: the best cosine similarity with the goal
  title, the goal narrative, the goal's target texts and its Aurora query lines (as phrase lists),
  the gap to the text's best goal; for English texts also the number of matched Aurora query lines
  and the word overlap with the goal's wording;
- ``keywords``: no model: the Aurora query lines and the TF-IDF word overlap with the goal and target
  wording (``lexical.py``); English only, less accurate.

A logistic rule per reader (``data/calibration.json``, fitted by ``tools/calibrate_tagging.py`` on
one half of the SDG Classification Benchmark dev split) turns the features into a probability; a
goal is selected when its probability reaches the rule's threshold, at most ``max_goals`` per text.
"""

from __future__ import annotations

import re
import warnings as _warnings

import numpy as np
import pandas as pd

from ..registries import TAGGING_METHODS, Choice
from . import embedding, keywords, language, lexical, multilingual
from .inputs import MAX_CHARS, TaggingWarning, as_list, prepare, problem
from .reference import calibration, embedded_texts, hubness, reference_texts, reference_vectors

# The methods, for `tag --method`, `contributions infer --method` and tests/test_docs.py; ``auto``
# is not one of them but a choice between them (see ``_check_method``).
TAGGING_METHODS.register(Choice("embedding", "models + Aurora queries; any of the six UN languages"))
TAGGING_METHODS.register(Choice("keywords", "no model; English; less accurate"))
METHODS = TAGGING_METHODS.names()
AUTO_HELP = {"auto": "embedding when the models are installed, as they are by default, else keywords"}
DEFAULT_MAX_GOALS = 3
# When two targets of a goal are about as similar to the text, prefer one whose query matched.
TARGET_KEYWORD_BOOST = 0.05
KINDS = ("goal_title", "goal_text", "target")  # the similarity features; "query" rows are a feature of their own
ALL_KINDS = (*KINDS, "query", "indicator")  # so are the 2020 indicator texts
# Reference texts shown as evidence per selected goal: the closest few, cut to a readable length.
CLOSEST = 2
CLOSEST_CHARS = 90
READERS = {"english": embedding, "multilingual": multilingual}
TAG_COLUMNS = ["text_id", "goal", "target", "probability", "similarity", "keyword_lines", "evidence"]
SCORE_COLUMNS = ["text_id", "goal", "probability", "similarity", "keyword_lines", "target"]


def _check_method(method: str) -> str:
    """The method to run; ``auto`` is ``embedding`` when the models are installed, else ``keywords``."""
    from ..errors import UserInputError

    if method == "auto":
        return "embedding" if embedding.available() and multilingual.available() else "keywords"
    if method not in TAGGING_METHODS:
        raise UserInputError(
            f"unknown tagging method {method!r}: expected one of {', '.join(TAGGING_METHODS.names())} or auto"
        )
    return method


def rules(method: str) -> dict[str, dict]:
    """The fitted rule of each reader of ``method``: {'english': ..., 'multilingual': ...} or {'keywords': ...}."""
    table = calibration()
    return dict(table["embedding"]) if method == "embedding" else {"keywords": table["keywords"]}


def rule_threshold(rule: dict) -> float:
    """The probability a goal needs to be selected by ``rule``. The multilingual reader reads only
    texts not in English, and its rule is fitted on English texts (the benchmark's): the threshold
    for the texts it reads, ``threshold_other_languages``, was chosen on the *choose* half of the
    parallel texts so that their goals agree best with their English versions' (Jaccard of the
    selected sets; tools/choose_tagging_form.py), the fitted ``threshold`` kept for the record."""
    if "threshold_other_languages" in rule:
        return float(rule["threshold_other_languages"])
    # English read by both readers: the threshold of the combined probability (fitted with it)
    return float(rule["ensemble"]["threshold"]) if ensemble_weight(rule) else float(rule["threshold"])


def model_name(method: str) -> str | None:
    if method != "embedding":
        return None
    return f"{embedding.MODEL_NAME} (English); {multilingual.MODEL_NAME} (all six languages, English with the other)"


def adjusted(rule: dict, sims: np.ndarray) -> np.ndarray:
    """The similarities a rule's features are made of: the cosines, less ``rule['hubness']`` times
    each reference's hubness (``reference.hubness``) when the rule has one (the multilingual rule).
    Evidence shows the cosines themselves."""
    alpha = float(rule.get("hubness", 0.0))
    return sims - np.float32(alpha) * hubness()[None, :].astype(np.float32) if alpha else sims


def _gap(x: np.ndarray) -> np.ndarray:
    return x - x.max(axis=1, keepdims=True) if len(x) else x


def features(
    lines: np.ndarray, similarity: dict[str, np.ndarray] | None = None, lexical_sim: np.ndarray | None = None
) -> dict[str, np.ndarray]:
    """The named features of every (text, goal), each of shape (n_texts, 17).

    ``similarity``: per kind of reference text (goal_title, goal_text, target, query) the best cosine
    per goal; ``similarity`` is the best of the first three.
    """
    kw = np.log1p(lines.astype(float))
    out = {"log_keyword_lines": kw, "keyword_gap": _gap(kw)}
    if similarity is not None:
        out.update(similarity)
        best = np.maximum.reduce([similarity[k] for k in KINDS])
        out["similarity"] = best
        out["similarity_gap"] = _gap(best)
        if "indicator" in similarity:  # the gap to the text's best goal, indicator texts counted
            out["similarity_gap_indicator"] = _gap(np.maximum(best, similarity["indicator"]))
    if lexical_sim is not None:
        out["lexical"] = lexical_sim
        out["lexical_gap"] = _gap(lexical_sim)
    return out


def logit(rule: dict, feats: dict[str, np.ndarray]) -> np.ndarray:
    """The rule's log-odds per (text, goal)."""
    z = np.full_like(feats["log_keyword_lines"], rule["intercept"], dtype=float)
    for name, coef in zip(rule["features"], rule["coef"]):
        z = z + coef * feats[name]
    if rule.get("goal_offset"):
        z = z + np.asarray(rule["goal_offset"], dtype=float)[None, :]
    return z


def probability(rule: dict, feats: dict[str, np.ndarray]) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-logit(rule, feats)))


def ensemble_weight(rule: dict) -> float:
    """The weight of the multilingual rule's log-odds in an English text's (0: English reader alone).

    English texts are read by both readers: log-odds (1 - w) z_english + w z_multilingual, ``w``
    fitted by stacking on the tune half (tools/calibrate_tagging.py). Two models err less together
    than apart, and a translation, read by the multilingual reader alone, then agrees more often
    with its English version (docs/methods/tagging.md, "English read by both readers")."""
    return float(rule.get("ensemble", {}).get("weight", 0.0))


def _per_goal(sims: np.ndarray, goal_of: np.ndarray, columns: np.ndarray) -> np.ndarray:
    out = np.full((len(sims), 17), -1.0)
    for g in range(1, 18):
        cols = columns & (goal_of == g)
        if cols.any():
            out[:, g - 1] = sims[:, cols].max(axis=1)
    return out


def _best_targets(
    sims: np.ndarray,
    target_of: np.ndarray,
    goal_of: np.ndarray,
    found: pd.DataFrame,
    boost: float,
    is_target: np.ndarray,
) -> np.ndarray:
    """Per text and goal: the target (of the rows ``is_target``) with the highest similarity,
    ``boost`` added where a query line of that target matched."""
    target_sims = sims[:, is_target].copy()
    codes, goals = target_of[is_target], goal_of[is_target]
    if len(found) and boost:
        matched = found[found["target"] != ""].drop_duplicates(["text_id", "target"])
        col = pd.Index(codes).get_indexer(matched["target"])
        keep = col >= 0
        target_sims[matched["text_id"].to_numpy()[keep], col[keep]] += boost
    best = np.empty((len(sims), 17), dtype=object)
    for g in range(1, 18):
        cols = np.flatnonzero(goals == g)
        best[:, g - 1] = codes[cols[target_sims[:, cols].argmax(axis=1)]]
    return best


def _exclusion(exclude: list[str | None] | None, target_of: np.ndarray) -> np.ndarray | None:
    """(texts, references) True where the reference belongs to the target excluded for that text."""
    if exclude is None:
        return None
    return np.array([t or "\0" for t in exclude], dtype=object)[:, None] == target_of[None, :]


def _lexical(texts: list[str], exclude: list[str | None] | None) -> tuple[np.ndarray, np.ndarray]:
    """``lexical.similarity``, with the excluded target's document left out."""
    lex, sims = lexical.similarity(texts)
    docs = lexical.documents()
    mask = _exclusion(exclude, docs["target"].to_numpy())
    if mask is not None:
        sims = np.where(mask, 0.0, sims)
        lex = _per_goal(sims, docs["goal"].to_numpy(), np.ones(sims.shape[1], dtype=bool))
    return lex, sims


def _score(
    texts: list[str],
    method: str,
    exclude: list[str | None] | None = None,
    cache: dict | None = None,
    langs: np.ndarray | None = None,
):
    """Scores of all 17 goals per checked text ('' scores nothing) and what the evidence needs.

    ``exclude`` (evaluation only): per text a target code whose reference text and query lines are
    left out, to measure how a text is tagged when its own wording is not among the references.
    ``cache`` (evaluation only): a dict kept between calls, so scoring the same texts again (with
    another ``exclude``) does not embed them again.
    Returns (scores, found query passages, similarity to each evidence row, evidence rows, readers).
    """
    n = len(texts)
    langs = language.detect(texts) if langs is None else langs
    readable = np.isin(langs, ["en", ""]) if method == "keywords" else np.isin(langs, [*language.READ, ""])
    # A text in a language not read is not scored at all: a rule never checked on that language
    # would give it confident-looking probabilities (or none) for no reason the user could see.
    texts = [t if ok else "" for t, ok in zip(texts, readable)]
    # The Aurora queries and the word overlap are English: run on other languages they cost a
    # tenth of the time of a Chinese text and can only match stray English words.
    english_texts = [t if lang in ("en", "") else "" for t, lang in zip(texts, langs)]
    found = keywords.evidence(english_texts)
    if exclude is not None and len(found):
        own = np.array([exclude[i] or "" for i in found["text_id"]], dtype=object)
        found = found[found["target"].to_numpy() != own].reset_index(drop=True)
    lines = keywords.line_counts(found, n)
    prob = np.zeros((n, 17))
    present = np.array([bool(t) for t in texts], dtype=bool)
    readers = np.full(n, "", dtype=object)
    if method == "keywords":
        rows = lexical.documents()
        lex, sims = _lexical(texts, exclude)
        prob = probability(rules(method)["keywords"], features(lines, lexical_sim=lex))
        best_target = _keyword_targets(found, n)
        fallback = _best_targets(
            sims, rows["target"].to_numpy(), rows["goal"].to_numpy(), found, 0.0, rows["target"].to_numpy() != ""
        )
        best_target = np.where(pd.isna(best_target), fallback, best_target)
        similarity = lex
        readers[present] = "keywords"
    else:
        rows = embedded_texts()
        goal_of, target_of, kind_of = rows["goal"].to_numpy(), rows["target"].to_numpy(), rows["kind"].to_numpy()
        sims = np.full((n, len(rows)), -1.0, dtype=np.float32)
        english = np.isin(langs, ["en", ""])
        fitted = rules(method)
        uses_lexical = any(f.startswith("lexical") for rule in fitted.values() for f in rule["features"])
        lex = _lexical(english_texts, exclude)[0] if uses_lexical else None
        similarity = np.full((n, 17), -1.0)
        weight = ensemble_weight(fitted["english"])

        def reader_logit(reader: str, idx: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
            """The reader's log-odds for the texts ``idx`` and their plain cosines with the references."""
            part = _embed(READERS[reader], reader, [texts[i] for i in idx], cache) @ reference_vectors(reader).T
            mask = _exclusion(None if exclude is None else [exclude[i] for i in idx], target_of)
            if mask is not None:
                part = np.where(mask, -1.0, part)
            scored = adjusted(fitted[reader], part)
            by_kind = {k: _per_goal(scored, goal_of, kind_of == k) for k in ALL_KINDS}
            feats = features(lines[idx], by_kind, None if lex is None else lex[idx])
            return logit(fitted[reader], feats), part

        for reader in READERS:
            idx = np.flatnonzero(present & (english if reader == "english" else ~english))
            if not len(idx):
                continue
            readers[idx] = reader
            z, part = reader_logit(reader, idx)
            if reader == "english" and weight:
                z = (1.0 - weight) * z + weight * reader_logit("multilingual", idx)[0]
            prob[idx] = 1.0 / (1.0 + np.exp(-z))
            # evidence: the text's own reader's plain cosines, not the hubness-corrected ones
            sims[idx] = part
            similarity[idx] = _per_goal(part, goal_of, np.isin(kind_of, KINDS))
        best_target = _best_targets(sims, target_of, goal_of, found, TARGET_KEYWORD_BOOST, kind_of == "target")
    prob[~present] = 0.0
    scores = pd.DataFrame(
        {
            "text_id": np.repeat(np.arange(n), 17),
            "goal": np.tile(np.arange(1, 18), n),
            "probability": prob.ravel(),
            "similarity": similarity.ravel(),
            "keyword_lines": lines.ravel(),
            "target": best_target.ravel(),
            "reader": np.repeat(readers, 17),
        }
    )
    scores.attrs["languages"] = langs
    return scores, found, sims, rows, readers


def _embed(module, reader: str, texts: list[str], cache: dict | None) -> np.ndarray:
    if cache is None:
        return module.embed(texts)
    todo = [t for t in dict.fromkeys(texts) if (reader, t) not in cache]
    for text, vector in zip(todo, module.embed(todo)):
        cache[(reader, text)] = vector
    return np.stack([cache[(reader, t)] for t in texts])


def _keyword_targets(found: pd.DataFrame, n_texts: int) -> np.ndarray:
    """Per text and goal: the target with the most matched query lines (None when none)."""
    best = np.full((n_texts, 17), None, dtype=object)
    if len(found):
        per_target = (
            found[found["target"] != ""]
            .drop_duplicates(["text_id", "target", "line"])
            .groupby(["text_id", "goal", "target"], sort=False)
            .size()
            .reset_index(name="n")
            .sort_values(["text_id", "goal", "n"], ascending=[True, True, False], kind="stable")
            .drop_duplicates(["text_id", "goal"])
        )
        best[per_target["text_id"].to_numpy(), per_target["goal"].to_numpy() - 1] = per_target["target"].to_numpy()
    return best


def _checked(
    texts: list, method: str, labels: list[str] | None, max_chars: int = MAX_CHARS
) -> tuple[list[str], list[str], np.ndarray]:
    """``inputs.prepare``, plus a warning for each text in a language the method does not read;
    also the language of each text (``language.detect``), so it is detected once."""
    if labels is not None and len(labels) != len(texts):
        from ..errors import UserInputError

        raise UserInputError(f"{len(labels)} labels for {len(texts)} texts: expected one label per text")
    ready, problems = prepare(texts, labels, max_chars)
    langs = language.detect(ready)
    for n, lang in enumerate(langs):
        why = _not_read(lang, method)
        if why:
            label = labels[n] if labels else f"text {n}"
            problems.append(f"{label} {why}: no SDGs")
    for message in problems:
        _warnings.warn(message, TaggingWarning, stacklevel=3)
    return ready, problems, langs


def _not_read(lang: str, method: str) -> str | None:
    """Why a text in ``lang`` is not read by ``method``, or None when it is."""
    if not lang or lang == "en" or (lang in language.READ and method != "keywords"):
        return None
    name = language.NAMES[lang]
    looks = f"looks {name}" if lang != "und" else "is in a script the tagger does not know"
    if method == "keywords" and lang in language.READ:
        return f"{looks}: the keywords method reads English only (the embedding method reads {language.read_list()})"
    return f"{looks}, a language not read: the tagger reads {language.read_list()}"


# Fewer words than this (a Chinese or Japanese character counting as half a word) is "too short"
# when no SDG is selected: one or two words rarely say which goal a record serves.
MIN_WORDS = 3
_WORDS = re.compile(r"[^\W\d_]+")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")


def _word_count(text: str) -> float:
    cjk = len(_CJK.findall(text))
    return len(_WORDS.findall(_CJK.sub(" ", text))) + cjk / 2


UNTAGGED_COLUMNS = ["text_id", "reason", "language", "closest_goal", "probability", "message"]


def untagged(
    texts: list, ready: list[str], scores: pd.DataFrame, tags: pd.DataFrame, thresholds: dict, method: str
) -> pd.DataFrame:
    """Why each text with no SDG selected has none: one row per such text.

    ``reason`` is ``not_text`` (empty, bytes, binary), ``language`` (a language the method does not
    read), ``too_short`` or ``below_threshold``; the last two name the closest goal and its
    probability, so an empty answer is never silent."""
    n = len(texts)
    missing = np.setdiff1d(np.arange(n), tags["text_id"].to_numpy(dtype=int))
    langs = scores.attrs["languages"] if "languages" in scores.attrs else language.detect(ready)
    prob = scores["probability"].to_numpy().reshape(n, 17) if n else np.zeros((0, 17))
    reader = scores["reader"].to_numpy().reshape(n, 17)[:, 0] if n else np.array([], dtype=object)
    rows = []
    for i in missing.tolist():
        lang = str(langs[i])
        why = None if ready[i] else problem(texts[i])  # a text with plain text had none
        if why:
            rows.append((i, "not_text", lang, None, None, f"the text {why}"))
            continue
        not_read = _not_read(lang, method)
        if not_read:
            rows.append((i, "language", lang, None, None, f"the text {not_read}"))
            continue
        goal = int(prob[i].argmax()) + 1
        p = float(prob[i].max())
        tau = thresholds.get(reader[i], next(iter(thresholds.values())))
        # Texts in another language have their own threshold; a text mixing languages learns which was read.
        read_as = f" (the text was read as {language.NAMES[lang]})" if lang not in ("en", "") else ""
        if np.ptp(prob[i]) < 1e-9:  # nothing in the text for any goal: no goal is the closest
            goal, closest = None, f"no SDG reached the threshold {tau:g}{read_as}; no goal scores above another"
        else:
            closest = f"no SDG reached the threshold {tau:g}{read_as}; closest: SDG {goal} (probability {p:.2f})"
        words = _word_count(ready[i])
        if not words:  # digits, symbols, emoji: nothing a reader could place
            rows.append((i, "too_short", lang, None, None, "the text has no words (only digits or symbols)"))
        elif words < MIN_WORDS:
            counted = f"{words:g} word" + ("" if words == 1 else "s")
            rows.append((i, "too_short", lang, goal, p, f"the text is too short ({counted}): {closest}"))
        else:
            rows.append((i, "below_threshold", lang, goal, p, closest))
    out = pd.DataFrame(rows, columns=UNTAGGED_COLUMNS)
    out["closest_goal"] = out["closest_goal"].astype("Int64")
    out["probability"] = out["probability"].astype(float)
    return out


def score_goals(texts, method: str = "auto", labels: list[str] | None = None) -> pd.DataFrame:
    """All 17 goals of every text: text_id, goal, probability, similarity, keyword_lines, target.

    For review (a declared SDG with a low probability, a likely one not declared); ``tag_texts``
    applies the selection rule to the same scores. Bad texts warn and score 0 (see ``tag_texts``).
    """
    method = _check_method(method)
    texts = as_list(texts)
    ready, problems, langs = _checked(texts, method, labels)
    scores = _score(ready, method, langs=langs)[0]
    scores = scores[SCORE_COLUMNS]
    scores.attrs.update(method=method, model=model_name(method), n_texts=len(texts), warnings=problems)
    return scores


def select(scores: pd.DataFrame, threshold, max_goals: int) -> pd.DataFrame:
    """The goals of each text whose probability reaches ``threshold`` (one value, or one per row of
    ``scores``), at most ``max_goals``, best first."""
    chosen = scores[scores["probability"].to_numpy() >= np.asarray(threshold, dtype=float)]
    chosen = chosen.sort_values(["text_id", "probability"], ascending=[True, False], kind="stable")
    return chosen.groupby("text_id", sort=False).head(max_goals).reset_index(drop=True)


def tag_texts(
    texts,
    method: str = "auto",
    max_goals: int = DEFAULT_MAX_GOALS,
    threshold: float | None = None,
    labels: list[str] | None = None,
    max_chars: int = MAX_CHARS,
) -> pd.DataFrame:
    """Tag each text with the SDGs it addresses (``method``: auto, embedding or keywords).

    Returns one row per (text, selected goal), most probable goal first: ``text_id`` (position in
    ``texts``), ``goal`` (1-17), ``target`` (the most likely target of that goal, e.g. '3.2'),
    ``probability`` (calibrated), ``similarity`` (best cosine similarity with the goal's reference
    texts; for ``keywords`` the TF-IDF cosine), ``keyword_lines`` (Aurora query lines of the goal
    that matched) and ``evidence``: the matched query lines with the passages that satisfied them
    ('query 3.1#1: reduce maternal and newborn deaths'), then the closest reference texts with their
    similarity ('3.1 (0.72) By 2030, reduce the global maternal mortality ratio…'). A text with no goal
    selected has no row, and a row in ``df.attrs['untagged']`` saying why (see ``untagged``).

    ``df.attrs`` holds ``method``, ``model``, ``threshold`` (the one given, else the English rule's),
    ``thresholds`` (per reader), ``max_goals``, ``n_texts``, ``readers`` (texts per reader: english,
    multilingual or keywords), ``warnings`` (texts that were empty, not text, cut at
    ``max_chars`` of plain text (``inputs.MAX_CHARS``, about 50 pages), or in a language the method
    does not read), each also issued as a
    ``TaggingWarning``, and ``untagged``: one dict per text with no SDG (text_id, reason, language,
    closest_goal, probability, message).
    """
    from ..errors import UserInputError

    method = _check_method(method)
    texts = as_list(texts)
    if max_goals < 1:
        raise UserInputError(f"max_goals {max_goals}: expected at least 1")
    fitted = rules(method)
    if threshold is not None and not 0 <= float(threshold) <= 1:
        raise UserInputError(f"threshold {threshold}: expected a probability between 0 and 1")
    thresholds = (
        {reader: rule_threshold(rule) for reader, rule in fitted.items()}
        if threshold is None
        else {reader: float(threshold) for reader in fitted}
    )
    if max_chars < 1:
        raise UserInputError(f"max_chars {max_chars}: expected at least 1")
    ready, problems, langs = _checked(texts, method, labels, max_chars)
    scores, found, sims, rows, readers = _score(ready, method, langs=langs)
    per_row = scores["reader"].map(thresholds).fillna(1.0).to_numpy()
    tags = select(scores, per_row, max_goals)
    tags["evidence"] = evidence_strings(found, tags, sims, rows)
    tags = tags[TAG_COLUMNS]
    counts = pd.Series(readers[readers != ""]).value_counts()
    empty = untagged(texts, ready, scores, tags, thresholds, method)
    tags.attrs.update(
        method=method,
        model=model_name(method),
        threshold=float(threshold) if threshold is not None else next(iter(thresholds.values())),
        thresholds=thresholds,
        max_goals=max_goals,
        n_texts=len(texts),
        readers={str(k): int(v) for k, v in counts.items()},
        calibration=next(iter(fitted.values())).get("fitted_on", ""),
        warnings=problems,
        untagged=empty.astype(object).where(empty.notna(), None).to_dict("records"),
    )
    return tags


def _display_texts(rows: pd.DataFrame) -> np.ndarray:
    """The wording shown for each evidence row: the target text, or the goal title for a goal row
    (goal narratives are paragraphs, too long to show, query rows are phrase lists already shown
    as query evidence when they match, and indicator rows repeat their target: none is offered as a
    closest text).
    """
    ref = reference_texts()
    titles = ref[ref["kind"] == "goal_title"].set_index("goal")["text"]
    targets = ref[ref["kind"] == "target"].set_index("target")["text"]
    out = []
    for goal, target, kind in zip(rows["goal"], rows["target"], rows.get("kind", pd.Series([""] * len(rows)))):
        if kind in ("goal_text", "query", "indicator"):
            out.append(None)
        elif target:
            out.append(targets[target])
        else:
            out.append(titles[goal])
    return np.array(out, dtype=object)


def evidence_strings(found: pd.DataFrame, tags: pd.DataFrame, sims: np.ndarray, rows: pd.DataFrame) -> list[str]:
    """Per selected (text, goal): the matched query lines and passages, then the closest reference texts."""
    if not len(tags):
        return []
    queries = {}
    if len(found):
        parts = found.assign(key=found["excerpt"].str.lower()).drop_duplicates(
            ["text_id", "goal", "target", "line", "key"]
        )
        parts = parts.merge(
            tags[["text_id", "goal", "target"]].rename(columns={"target": "chosen"}), on=["text_id", "goal"]
        )
        # The chosen target's lines first, then the rest of the goal's.
        parts = parts.assign(rank=(parts["target"] != parts["chosen"]).astype(int)).sort_values(
            ["text_id", "goal", "rank", "target", "line"], kind="stable"
        )
        label = np.where(parts["target"] == "", parts["goal"].astype(str), parts["target"])
        parts = parts.assign(label="query " + pd.Series(label, index=parts.index) + "#" + parts["line"].astype(str))
        # One item per query line, its passages joined: 'query 13#1: Global warming / greenhouse effect'.
        lines = parts.groupby(["text_id", "goal", "label"], sort=False)["excerpt"].agg(" / ".join).reset_index()
        lines["item"] = lines["label"] + ": " + lines["excerpt"]
        queries = lines.groupby(["text_id", "goal"], sort=False)["item"].agg("; ".join).to_dict()
    shown = _display_texts(rows)
    offered = np.array([s is not None for s in shown])
    goal_of, target_of = rows["goal"].to_numpy(), rows["target"].to_numpy()
    out = []
    for text_id, goal in zip(tags["text_id"].to_numpy(), tags["goal"].to_numpy()):
        cols = np.flatnonzero(offered & (goal_of == goal))
        order = cols[np.argsort(-sims[text_id, cols], kind="stable")[:CLOSEST]]
        closest = []
        for c in order:
            wording = shown[c] if len(shown[c]) <= CLOSEST_CHARS else shown[c][: CLOSEST_CHARS - 1].rstrip() + "…"
            closest.append(f"{target_of[c] or 'goal ' + str(goal)} ({sims[text_id, c]:.2f}) {wording}")
        items = [queries[(text_id, goal)]] if (text_id, goal) in queries else []
        out.append("; ".join(items + closest))
    return out
