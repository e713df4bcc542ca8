"""Inferred SDGs: tag each record's text with :mod:`sdgtrack.tagging` and compare with what it declares.

The seam is a *tagger*: any callable ``texts -> DataFrame`` with one row per (text, goal) and columns
``text_id`` (position in ``texts``), ``goal`` (1-17), optionally ``target``, ``probability`` and
``evidence`` -- the shape of :func:`sdgtrack.tagging.tag_texts`. Inferred goals are stored beside the
declared ones (source 'inferred'); a record that declares none counts with its inferred goals.
"""

from __future__ import annotations

import functools

import pandas as pd

from ..errors import UserInputError
from ..store.transactions import rollback


def default_tagger(method: str = "auto", max_goals: int = 3):
    from ..tagging import tag_texts

    return functools.partial(tag_texts, method=method, max_goals=max_goals)


def record_text(record) -> str:
    """The text tagged for one record (a ``models.RecordBase``): its name and description, then a
    decision's topics and resolution titles, joined by '. ' -- what ``record_texts`` builds in SQL
    for the stored records, so the form's suggestions for a record being entered and
    ``contributions infer`` on it once stored read the same text."""
    topics = ". ".join(getattr(record, "topics", None) or [])
    titles = ". ".join(r.title for r in getattr(record, "resolutions", None) or [])
    return ". ".join([record.name, record.description] + [part for part in (topics, titles) if part])


def record_texts(reg, only_undeclared: bool = False) -> pd.DataFrame:
    """The text tagged for each record: its name and description (a decision adds its topics and
    resolution titles); ``record_text`` of each stored record."""
    where = (
        "WHERE r.id NOT IN (SELECT record FROM contribution_sdg WHERE source = 'declared')" if only_undeclared else ""
    )
    return reg.con.execute(f"""
        SELECT r.id AS record, r.name,
               concat_ws('. ', r.name, r.description,
                         nullif(array_to_string(json_extract_string(r.data, '$.topics[*]'), '. '), ''),
                         nullif(array_to_string(json_extract_string(r.data, '$.resolutions[*].title'), '. '), ''))
                   AS text
        FROM contribution_record r {where} ORDER BY r.submission, r.seq""").df()


def infer_sdgs(
    reg, tagger=None, *, method: str = "auto", max_goals: int = 3, only_undeclared: bool = False
) -> pd.DataFrame:
    """Tag records and store their inferred goals (replacing earlier inferred ones of those records).
    Returns the stored rows: record, goal, target, score, method, evidence."""
    texts = record_texts(reg, only_undeclared)
    if texts.empty:
        raise UserInputError("no contribution records to tag: import an answer first")
    label = method
    if tagger is None:
        # warnings name the record ('record eve-117b950510 looks German ...'), not its position
        tags = default_tagger(method, max_goals)(
            texts["text"].tolist(), labels=[f"record {r}" for r in texts["record"]]
        )
    else:
        label = getattr(tagger, "__name__", None) or type(tagger).__name__
        tags = tagger(texts["text"].tolist())
    missing = {"text_id", "goal"} - set(tags.columns)
    if missing:
        raise UserInputError(f"the tagger returned no {', '.join(sorted(missing))} column")
    tags = tags.copy()
    for col in ("target", "probability", "evidence"):
        if col not in tags.columns:
            tags[col] = None
    tags["record"] = texts["record"].to_numpy()[tags["text_id"].to_numpy(dtype=int)]
    tags["method"] = tags.attrs.get("method", label) if hasattr(tags, "attrs") else label
    rows = tags.rename(columns={"probability": "score"})[["record", "goal", "target", "score", "method", "evidence"]]
    rows["goal"] = rows["goal"].astype(int)
    reg.con.execute("BEGIN")
    try:
        reg.con.execute(
            "DELETE FROM contribution_sdg WHERE source = 'inferred' AND record IN (SELECT unnest(?::VARCHAR[]))",
            [texts["record"].tolist()],
        )
        reg.con.register("_inferred", rows)
        reg.con.execute("""INSERT INTO contribution_sdg (record, goal, target, source, is_primary, score, method, evidence)
                           SELECT record, goal, NULL, 'inferred', FALSE, score, method, evidence FROM _inferred""")
        reg.con.execute("""INSERT INTO contribution_sdg (record, goal, target, source, is_primary, score, method, evidence)
                           SELECT record, goal, target, 'inferred', FALSE, score, method, NULL FROM _inferred
                           WHERE target IS NOT NULL""")
        reg.con.unregister("_inferred")
        reg.con.execute("COMMIT")
    except BaseException:
        rollback(reg.con)
        raise
    rows.attrs.update(tags.attrs)
    rows.attrs["n_records"] = len(texts)
    # Records with no inferred goal, and why (the tagger's reason: too short, language not read,
    # closest goal below the threshold); a custom tagger may give none.
    record_of, name_of = texts["record"].to_numpy(), texts["name"].to_numpy()
    rows.attrs["untagged"] = [
        {**u, "record": str(record_of[int(u["text_id"])]), "name": str(name_of[int(u["text_id"])])}
        for u in (tags.attrs.get("untagged") or [])
    ]
    return rows.reset_index(drop=True)


def review(reg, include_all_goals: bool = False) -> pd.DataFrame:
    """Records whose declared and inferred goals disagree, for a person to check.

    One row per record that declares goals and has been tagged: declared, inferred, only_declared,
    only_inferred, agreement (Jaccard: shared / all goals of both). Records declaring all 17 goals
    are left out unless ``include_all_goals`` (every inferred goal is trivially 'declared')."""
    frame = reg.con.execute("""
        WITH d AS (SELECT record, list(DISTINCT goal ORDER BY goal) AS declared FROM contribution_sdg
                   WHERE source = 'declared' AND target IS NULL GROUP BY record),
             i AS (SELECT record, list(DISTINCT goal ORDER BY goal) AS inferred FROM contribution_sdg
                   WHERE source = 'inferred' AND target IS NULL GROUP BY record),
             t AS (SELECT DISTINCT record FROM contribution_sdg WHERE source = 'inferred')
        SELECT r.id AS record, coalesce(nullif(s.entity_code, ''), s.entity) AS entity, s.year, r.kind, r.name,
               d.declared, coalesce(i.inferred, []) AS inferred
        FROM contribution_record r JOIN contribution_submission s ON s.id = r.submission
        JOIN d ON d.record = r.id LEFT JOIN i ON i.record = r.id
        WHERE r.id IN (SELECT record FROM t) ORDER BY s.entity_code, s.year, r.seq""").df()
    columns = [
        "record",
        "entity",
        "year",
        "kind",
        "name",
        "declared",
        "inferred",
        "only_declared",
        "only_inferred",
        "agreement",
    ]
    if not include_all_goals:
        frame = frame[frame.declared.map(len) < 17]
    if frame.empty:
        return pd.DataFrame(columns=columns)
    # a few hundred records at most: set arithmetic per record is clearer than list SQL here
    declared, inferred = frame.declared.map(set), frame.inferred.map(set)
    frame = frame.assign(
        only_declared=[sorted(d - i) for d, i in zip(declared, inferred)],
        only_inferred=[sorted(i - d) for d, i in zip(declared, inferred)],
        agreement=[round(len(d & i) / len(d | i), 3) for d, i in zip(declared, inferred)],
    )
    disagree = (frame.only_declared.map(len) > 0) | (frame.only_inferred.map(len) > 0)
    for col in ("declared", "inferred", "only_declared", "only_inferred"):
        frame[col] = frame[col].map(lambda goals: ", ".join(str(g) for g in goals))
    return frame[disagree].sort_values("agreement", kind="stable").reset_index(drop=True)[columns]
