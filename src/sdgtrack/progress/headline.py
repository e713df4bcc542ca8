"""The headline series of an indicator: the one series its headline figure, its status and the
API speak for, chosen by one rule (docs/site.md, "The headline series").

Candidates are the indicator's series with headline values (in the areas asked for) in the most
preferred dataset that has any: a national site speaks with its own figures first. Among them, in
order, each step keeping only the candidates it prefers:

1. **target**: a series with a numeric 2030 target in the progress target table (the default table,
   or the user's): the quantity the SDG target is stated in (3.2.1: under-5 mortality, 25 per 1,000,
   not infant mortality, which has none). A national series counts when a series crosswalk maps it
   to a UN series with one.
2. **source default**: the series the source opens its chart on (Open SDG ``data_start_values``,
   field ``series``, matched to the series' description).
3. **title**: the series whose description holds most of the indicator title's words, then the
   one with fewest other words (the plain series before its breakdowns).
4. **tie-break**: the series with most headline observations, then the first code.

Each choice comes with the step that decided it (``reason``), so a reader can check it.
"""

from __future__ import annotations

import re
from typing import Sequence

import numpy as np
import pandas as pd

from .targets import default_targets

REASONS = {
    "only": "the indicator's only series",
    "target": "the series with the indicator's 2030 target",
    "start": "the source's own default selection",
    "title": "the series whose description matches the indicator's title",
    "observations": "the series with most headline observations",
    "code": "the first series code (equal on every other step)",
}
COLUMNS = ["indicator", "dataset", "series", "description", "reason", "candidates"]
NUMBER_WORDS = {
    w: str(i)
    for i, w in enumerate(["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"])
}
STOP_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "for",
        "from",
        "in",
        "into",
        "is",
        "its",
        "of",
        "on",
        "or",
        "per",
        "the",
        "to",
        "with",
        "which",
        "who",
        "whose",
        "all",
    ]
)


def headline_series(
    db,
    *,
    areas: Sequence[str] | None = None,
    datasets: Sequence[str] | None = None,
    targets: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Per SDG indicator with headline values (in ``areas``, when given): its headline series, the
    dataset it comes from, why it was chosen (``reason``, a key of :data:`REASONS`) and among how
    many candidates. ``targets``: a target table (``progress.targets``), default the shipped one."""
    candidates = db.headline_candidates(areas=areas, datasets=datasets)
    if candidates.empty:
        return pd.DataFrame(columns=COLUMNS)
    return choose(candidates, *_rule_inputs(db, candidates, areas, targets))


def series_order(db, *, datasets: Sequence[str] | None = None, targets: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every candidate series of every indicator ranked by the same rule (``order`` 0 is the
    headline series over all areas): the progress roll-up lets, in each area, the first series
    assessed there speak for its indicator, so an indicator's status is its headline series'
    wherever that series is assessed. Columns: indicator, series, order."""
    candidates = db.headline_candidates(datasets=datasets)
    if candidates.empty:
        return pd.DataFrame({"indicator": [], "series": [], "order": []})
    ranked = _ranked(candidates, *_rule_inputs(db, candidates, None, targets))
    ranked["order"] = ranked.groupby("indicator").cumcount()
    # a series kept by two datasets (Rwanda's SH_DYN_MORT and the UN's) ranks at its better place
    return ranked.groupby(["indicator", "series"], as_index=False)["order"].min()


def _rule_inputs(db, candidates: pd.DataFrame, areas: Sequence[str] | None, targets: pd.DataFrame | None):
    """What the rule weighs beyond the candidates: the series with a 2030 target (or linked to
    one), the sources' own start selections, and the indicators' titles."""
    from ..store.comparison import series_links

    table = default_targets() if targets is None else targets
    if areas is not None and "area" in table:  # a row for one area counts there only
        table = table[table["area"].fillna("").isin(["", *areas])]
    with_target = set(table.loc[table["target"].notna(), "series"])
    links = series_links(db.con)
    linked = set(links.loc[links["other"].isin(with_target), "series"])
    start = db.start_values(sorted(set(candidates["dataset"])))
    start = start[start["field"].str.strip().str.lower() == "series"]
    return with_target | linked, start, db.node_titles("sdg")


def choose(
    candidates: pd.DataFrame, with_target: set[str], start: pd.DataFrame, titles: dict[str, str]
) -> pd.DataFrame:
    """The rule over a candidates table (indicator, dataset, series, rank, rows, description): one
    row per indicator. Pure: the tests give it tables directly."""
    frame = candidates.copy()
    # the most preferred dataset with headline values for the indicator speaks for it
    frame = frame[frame["rank"] == frame.groupby("indicator")["rank"].transform("min")]
    frame = _ranked(frame, with_target, start, titles)
    n = frame.groupby("indicator")["series"].transform("size").to_numpy()
    position = frame.groupby("indicator").cumcount().to_numpy()
    best, second = frame[position == 0], frame[position == 1].set_index("indicator")
    runner = second.reindex(best["indicator"])
    # the reason is the first step on which the choice beats the next candidate
    reason = np.full(len(best), "code", dtype=object)
    decided = np.zeros(len(best), dtype=bool)
    for key, name in (("target", "target"), ("start", "start"), ("title", "title"), ("extra", "title"),
                      ("observations", "observations")):  # fmt: skip
        differs = best[key].to_numpy() != runner[key].to_numpy()
        reason[~decided & differs] = name
        decided |= differs
    reason[n[position == 0] == 1] = "only"
    return pd.DataFrame(
        {
            "indicator": best["indicator"].to_numpy(),
            "dataset": best["dataset"].to_numpy(),
            "series": best["series"].to_numpy(),
            "description": best["description"].to_numpy(),
            "reason": reason,
            "candidates": n[position == 0],
        }
    ).reset_index(drop=True)


def _ranked(
    candidates: pd.DataFrame, with_target: set[str], start: pd.DataFrame, titles: dict[str, str]
) -> pd.DataFrame:
    """The candidates sorted by indicator, then by the rule's steps (dataset preference first):
    the first row of an indicator is its headline series."""
    frame = candidates.copy()
    description = frame["description"].fillna("").astype(str)
    frame["target"] = frame["series"].isin(with_target)
    wanted = {(d, i, _normal(v)) for d, i, v in zip(start["dataset"], start["indicator"], start["value"])}
    frame["start"] = [
        (d, i, _normal(t)) in wanted for d, i, t in zip(frame["dataset"], frame["indicator"], description)
    ]
    words = {t: _words(t) for t in set(description)}
    title_words = {i: _words(titles.get(i, "")) for i in set(frame["indicator"])}
    frame["title"] = [
        len(words[t] & title_words[i]) / len(title_words[i]) if title_words[i] else 0.0
        for t, i in zip(description, frame["indicator"])
    ]
    frame["extra"] = [len(words[t] - title_words[i]) for t, i in zip(description, frame["indicator"])]
    frame["observations"] = frame["rows"].astype(int)
    keys = ["rank", "target", "start", "title", "extra", "observations", "series"]
    ascending = [True, False, False, False, True, False, True]
    return frame.sort_values(["indicator", *keys], ascending=[True, *ascending], kind="stable")


def _words(text: str) -> frozenset[str]:
    """The content words of a title or description: lower case, numbers as digits ("five" is "5"),
    a plural's final s dropped, short and common words left out."""
    out = set()
    for word in re.findall(r"[a-z0-9]+", text.lower()):
        word = NUMBER_WORDS.get(word, word)
        if word in STOP_WORDS or (len(word) < 3 and not word.isdigit()):
            continue
        out.add(word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word)
    return frozenset(out)


def _normal(text) -> str:
    return re.sub(r"\s+", " ", str(text)).strip().lower()
