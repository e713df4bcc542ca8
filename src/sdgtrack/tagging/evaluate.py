"""Quality of a tagging against expert judgements (SDG Classification Benchmark format)."""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd


def split_part(texts: pd.Series) -> pd.Series:
    """'tune' or 'holdout' per text, by the MD5 of the text: fixed, and one text is never in both parts."""
    return texts.map(
        lambda t: "tune" if int(hashlib.md5(t.encode("utf-8")).hexdigest()[:8], 16) % 2 == 0 else "holdout"
    )


def accuracy(judgements: pd.DataFrame, predicted: pd.DataFrame) -> pd.DataFrame:
    """Per SDG, the accuracy of "sdg in the predicted set" against the expert label.

    ``judgements``: columns text_id, sdg, label (bool); ``predicted``: columns text_id, goal (the
    selected goals). Returns sdg, rows, accuracy; the benchmark's score is the mean of ``accuracy``.
    """
    chosen = set(zip(predicted["text_id"].tolist(), predicted["goal"].astype(int).tolist()))
    hit = np.array([(t, int(g)) in chosen for t, g in zip(judgements["text_id"], judgements["sdg"])])
    correct = hit == judgements["label"].astype(bool).to_numpy()
    out = (
        pd.DataFrame({"sdg": judgements["sdg"].astype(int).to_numpy(), "correct": correct})
        .groupby("sdg")["correct"]
        .agg(rows="size", accuracy="mean")
        .reset_index()
    )
    return out


def macro_accuracy(judgements: pd.DataFrame, predicted: pd.DataFrame) -> float:
    return float(accuracy(judgements, predicted)["accuracy"].mean())


def translated_targets() -> pd.DataFrame:
    """The 169 target texts in each of the six UN languages shipped with the package
    (``frameworks/data/translations``): lang, goal, target, text. They are test texts only: never
    reference or training texts of the tagger."""
    from ..frameworks.reference import LANGUAGES, framework_titles

    titles = framework_titles()
    out = titles[(titles["kind"] == "title") & titles["code"].str.count(r"\.").eq(1)].copy()
    out["goal"] = out["code"].str.split(".").str[0].astype(int)
    out["text"] = out["title"].str.split().str.join(" ")
    out["lang"] = pd.Categorical(out["lang"], categories=list(LANGUAGES), ordered=True)
    out = out.sort_values(["lang", "goal"], kind="stable")
    return out.rename(columns={"code": "target"})[["lang", "goal", "target", "text"]].reset_index(drop=True)


def language_accuracy(method: str = "embedding", own_target_excluded: bool = False) -> pd.DataFrame:
    """Per language, the share of translated target texts whose most probable goal is the target's goal.

    With ``own_target_excluded`` each text is scored without its own target's English wording among
    the references (and without that target's query lines): how well the goal is recognised from
    the other texts of the goal, not from a near-copy. Returns lang, texts, accuracy, and the
    number of texts each reader took (english, multilingual).
    """
    from .tagger import _score

    table = translated_targets()
    texts = table["text"].tolist()
    exclude = table["target"].tolist() if own_target_excluded else None
    scores, _, _, _, readers = _score(texts, method, exclude=exclude)
    prob = scores["probability"].to_numpy().reshape(len(texts), 17)
    table["correct"] = prob.argmax(axis=1) + 1 == table["goal"].to_numpy()
    table["reader"] = readers
    out = table.groupby("lang", observed=True).agg(
        texts=("correct", "size"),
        accuracy=("correct", "mean"),
        english_reader=("reader", lambda r: int((r == "english").sum())),
    )
    return out.reset_index()


# -- parallel texts: the same meaning in several languages ----------------------------------------
PARALLEL_LANGS = ("en", "fr", "es", "ar", "ru", "zh")


def _official_texts(level: str) -> pd.DataFrame:
    """Target texts (``level='target'``) or indicator titles of the framework translations shipped
    in ``frameworks/data/translations``: set, item, lang, goal, target, text."""
    from ..frameworks.reference import framework_titles

    titles = framework_titles()
    dots = 1 if level == "target" else 2
    out = titles[(titles["kind"] == "title") & titles["code"].str.count(r"\.").eq(dots)].copy()
    out["goal"] = out["code"].str.split(".").str[0].astype(int)
    out["target"] = out["code"].str.split(".").str[:2].str.join(".")
    out["text"] = out["title"].str.split().str.join(" ")
    out["lang"] = out["lang"].str.slice(0, 2)
    out["set"] = "targets" if level == "target" else "indicator titles"
    return out.rename(columns={"code": "item"})[["set", "item", "lang", "goal", "target", "text"]]


def canada_metadata(root) -> pd.DataFrame:
    """Canada's indicator definitions (``STAT_CONC_DEF``) in English and French from its Open SDG
    metadata (``opensdg/canada/meta/*.yml`` and ``meta/fr/*.yml``): set, item, lang, goal, target,
    text; only indicators with both versions, different from each other."""
    from pathlib import Path

    import yaml

    root = Path(root)
    texts: dict[str, dict[str, str]] = {}
    for lang, folder in (("en", root / "meta"), ("fr", root / "meta" / "fr")):
        for path in sorted(folder.glob("*.yml")):
            try:
                meta = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            except yaml.YAMLError:
                continue
            text = meta.get("STAT_CONC_DEF") if isinstance(meta, dict) else None
            if isinstance(text, str) and len(text.split()) >= 3:
                texts.setdefault(path.stem, {})[lang] = " ".join(text.split())
    rows = []
    for stem, versions in texts.items():
        parts = stem.split("-")
        if len(parts) != 3 or set(versions) != {"en", "fr"} or versions["en"] == versions["fr"]:
            continue
        for lang, text in versions.items():
            rows.append(("Canada metadata", ".".join(parts), lang, int(parts[0]), f"{parts[0]}.{parts[1]}", text))
    return pd.DataFrame(rows, columns=["set", "item", "lang", "goal", "target", "text"])


def parallel_half(targets: pd.Series) -> pd.Series:
    """'choose' or 'report' per text, by the MD5 of its target code: every text of a target (in every
    set and language) is in the same half. Choices of the tagger's design that look at parallel
    texts look at the *choose* half only; the figures reported are those of the *report* half."""
    return targets.map(
        lambda t: "choose" if int(hashlib.md5(t.encode("utf-8")).hexdigest()[:8], 16) % 2 == 0 else "report"
    )


def parallel_texts(canada=None) -> pd.DataFrame:
    """The parallel test texts: the 169 target texts and 252 indicator titles in the six UN languages,
    and Canada's indicator definitions in English and French (when ``canada``, the folder
    ``opensdg/canada``, is given). Columns set, item (one per meaning), lang, goal, target, text,
    half (``parallel_half``).

    None of the non-English texts is a reference, query line or training text of the tagger
    (tests/test_tagging_languages.py checks it); English target texts are references, which is why
    ``parallel_accuracy`` also scores every text with its own target left out."""
    parts = [_official_texts("target"), _official_texts("indicator")]
    if canada is not None:
        parts.append(canada_metadata(canada))
    out = pd.concat(parts, ignore_index=True)
    out["half"] = parallel_half(out["target"])
    return out


def _bits(masks: np.ndarray) -> np.ndarray:
    """Goals in each bit mask (17 bits)."""
    return ((masks[:, None] >> np.arange(17)) & 1).sum(axis=1)


def parallel_accuracy(
    table: pd.DataFrame, method: str = "embedding", by: tuple[str, ...] = ("set", "lang")
) -> pd.DataFrame:
    """Per set and language (``by``: columns of ``table``): how often the top goal of a text is that of its English version
    (``agreement``) and the goal of its target (``accuracy``), with all references and with the
    text's own target left out (``agreement_own_out``, ``accuracy_own_out``: its target text, query
    lines and word-overlap document are not references); ``set_agreement`` is the Jaccard index of the
    goals selected (as ``tag_texts`` selects them) and those of the English version. English versions are tagged the same way,
    so English agrees with itself; texts with no English version are dropped."""
    from .inputs import prepare
    from .tagger import DEFAULT_MAX_GOALS, _score, rule_threshold, rules

    table = table.reset_index(drop=True)
    texts = prepare(table["text"].tolist())[0]  # read as tag_texts reads them: Canada's hold HTML
    out = table[list(dict.fromkeys(["set", "item", "lang", "goal", *by]))].copy()
    cache: dict = {}
    thresholds = {reader: rule_threshold(rule) for reader, rule in rules(method).items()}
    for suffix, exclude in (("", None), ("_own_out", table["target"].tolist())):
        scores, _, _, _, readers = _score(texts, method, exclude=exclude, cache=cache)
        prob = scores["probability"].to_numpy().reshape(len(texts), 17)
        out["top" + suffix] = prob.argmax(axis=1) + 1
        # The goals tag_texts would select (at most 3 at the reader's threshold), as a bit mask.
        tau = pd.Series(readers).map(thresholds).fillna(1.0).to_numpy()[:, None]
        rank = (-prob).argsort(axis=1).argsort(axis=1)
        chosen = (prob >= tau) & (rank < DEFAULT_MAX_GOALS)
        out["goals" + suffix] = chosen @ (1 << np.arange(17))
    english = out[out["lang"] == "en"].set_index(["set", "item"])
    keys = pd.MultiIndex.from_frame(out[["set", "item"]])
    has_english = keys.isin(english.index)
    out = out[has_english].copy()
    keys = pd.MultiIndex.from_frame(out[["set", "item"]])
    for suffix in ("", "_own_out"):
        out["agreement" + suffix] = out["top" + suffix].to_numpy() == english["top" + suffix].reindex(keys).to_numpy()
        out["accuracy" + suffix] = out["top" + suffix].to_numpy() == out["goal"].to_numpy()
        mine = out["goals" + suffix].to_numpy().astype(np.int64)
        theirs = english["goals" + suffix].reindex(keys).to_numpy().astype(np.int64)
        both, either = _bits(mine & theirs), _bits(mine | theirs)
        out["set_agreement" + suffix] = np.where(either > 0, both / np.maximum(either, 1), 1.0)
    metrics = [
        "agreement",
        "accuracy",
        "agreement_own_out",
        "accuracy_own_out",
        "set_agreement",
        "set_agreement_own_out",
    ]
    summary = out.groupby(list(by), sort=False)[metrics].mean()
    summary.insert(0, "texts", out.groupby(list(by), sort=False).size())
    return summary.reset_index()
