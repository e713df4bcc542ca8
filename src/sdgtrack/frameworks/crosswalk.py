"""Crosswalks: links between nodes of two frameworks (U4SSC KPI -> SDG, WSIS action line -> SDG ...).

The U4SSC -> SDG links ship with the package (ITU's own references and the KS mapping). Other
matrices, such as the WSIS-SDG matrix ITU publishes only as a PDF, are loaded from a CSV with
``from_framework, from_code, to_framework, to_code, relation, source`` (docs/methods/cities.md).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..errors import InvalidInputError, Problem, UserInputError

COLUMNS = ("from_framework", "from_code", "to_framework", "to_code", "relation", "source")
DEFAULT_RELATION = "related"


def frameworks(con) -> list[str]:
    return [r[0] for r in con.execute("SELECT DISTINCT framework FROM framework_node ORDER BY 1").fetchall()]


def links(con, from_framework: str | None = None, to_framework: str | None = None) -> pd.DataFrame:
    where, params = [], []
    if from_framework:
        where.append("from_framework = ?")
        params.append(from_framework)
    if to_framework:
        where.append("to_framework = ?")
        params.append(to_framework)
    return con.execute(
        f"SELECT * FROM crosswalk {'WHERE ' + ' AND '.join(where) if where else ''} "
        "ORDER BY from_framework, from_code, to_framework, to_code",
        params,
    ).df()


def find_node(con, code: str) -> tuple[str, dict]:
    """(framework, node) for a code of any framework: SDG first, then the others in name order.

    U4SSC codes may be written as ITU does ('EC: ICT: ICT: 1C') or compact ('EC.ICT.ICT.1C').
    """
    text = code.strip()
    candidates = [text]
    if ":" in text or text.upper() != text:
        from .u4ssc import compact

        candidates.append(compact(text))
    rows = con.execute(
        """SELECT framework, code, level, parent, title FROM framework_node
                          WHERE code IN (SELECT unnest(?::VARCHAR[]))
                          ORDER BY framework <> 'sdg', framework""",
        [candidates],
    ).fetchall()
    if not rows:
        raise UserInputError(
            f"unknown code {code!r}: expected an SDG goal, target or indicator (3, 3.2, 3.2.1), "
            "a U4SSC KPI (EC.ICT.ICT.1C) or a WSIS action line (C4, C7.e-health)"
        )
    fw, c, level, parent, title = rows[0]
    return fw, dict(code=c, level=level, parent=parent, title=title)


def node_links(con, framework: str, code: str) -> pd.DataFrame:
    """Every link of a node, both ways: columns direction (to|from), framework, code, title, relation, source."""
    return con.execute(
        """
        SELECT 'to' AS direction, c.to_framework AS framework, c.to_code AS code, n.title, c.relation, c.source
        FROM crosswalk c LEFT JOIN framework_node n ON n.framework = c.to_framework AND n.code = c.to_code
        WHERE c.from_framework = ? AND c.from_code = ?
        UNION ALL
        SELECT 'from', c.from_framework, c.from_code, n.title, c.relation, c.source
        FROM crosswalk c LEFT JOIN framework_node n ON n.framework = c.from_framework AND n.code = c.from_code
        WHERE c.to_framework = ? AND c.to_code = ?
        ORDER BY 1 DESC, 2, 3""",
        [framework, code, framework, code],
    ).df()


def import_crosswalk(con, path: str | Path) -> dict:
    """Check and load a crosswalk CSV in one transaction; a re-load of the same rows adds nothing.

    Returns counts: rows, new, unchanged. Every bad cell is reported; nothing is loaded then.
    """
    path = Path(path)
    fname = str(path)
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except FileNotFoundError:
        raise InvalidInputError([Problem(fname, None, None, None, "an existing crosswalk CSV file")]) from None
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise InvalidInputError(
            [
                Problem(
                    fname, None, None, None, f"a UTF-8 CSV with columns {', '.join(COLUMNS)} ({exc.__class__.__name__})"
                )
            ]
        ) from None
    raw.columns = [c.strip().lower() for c in raw.columns]
    missing = [c for c in COLUMNS[:4] if c not in raw.columns]
    if missing:
        raise InvalidInputError(
            [Problem(fname, None, None, None, f"columns {', '.join(COLUMNS)}; missing {', '.join(missing)}")]
        )
    for c in COLUMNS:
        raw[c] = raw[c].str.strip() if c in raw.columns else ""
    raw["relation"] = raw["relation"].replace("", DEFAULT_RELATION)
    raw["line"] = range(2, len(raw) + 2)
    raw = _normalise_u4ssc(raw)
    problems = _problems(con, raw, fname)
    if problems:
        raise InvalidInputError(problems)
    key = ["from_framework", "from_code", "to_framework", "to_code", "relation"]
    have = con.execute(f"SELECT {', '.join(key)} FROM crosswalk").df()
    incoming = raw.drop_duplicates(key)
    marked = incoming.merge(have.assign(_have=True), on=key, how="left")
    xwalk_new = marked.loc[marked["_have"].isna(), list(COLUMNS)].replace({"source": {"": None}})
    con.execute("BEGIN")
    con.execute("INSERT INTO crosswalk SELECT * FROM xwalk_new")  # the DataFrame above, by name
    con.execute("COMMIT")
    return {"rows": len(raw), "new": len(xwalk_new), "unchanged": len(raw) - len(xwalk_new)}


def _normalise_u4ssc(raw: pd.DataFrame) -> pd.DataFrame:
    """U4SSC codes as written by ITU ('EC: ICT: ICT: 1C') become the stored compact codes."""
    from . import u4ssc

    for side in ("from", "to"):
        is_u = raw[f"{side}_framework"] == u4ssc.FRAMEWORK
        raw.loc[is_u, f"{side}_code"] = raw.loc[is_u, f"{side}_code"].map(lambda c: u4ssc.resolve(c) or c)
    return raw


def _problems(con, raw: pd.DataFrame, fname: str) -> list[Problem]:
    """Unknown frameworks and codes, for the whole file at once (two joins per side)."""
    nodes = con.execute("SELECT framework, code, true AS known FROM framework_node").df()
    fws = set(nodes["framework"])
    known = ", ".join(sorted(fws))
    problems: list[Problem] = []
    for side in ("from", "to"):
        fw, code = f"{side}_framework", f"{side}_code"
        hit = raw.merge(nodes.rename(columns={"framework": fw, "code": code}), on=[fw, code], how="left")
        for r in hit[hit["known"].isna()].itertuples():
            if getattr(r, fw) not in fws:
                problems.append(Problem(fname, r.line, fw, getattr(r, fw), f"a framework in the store ({known})"))
            else:
                problems.append(Problem(fname, r.line, code, getattr(r, code), f"a code of framework {getattr(r, fw)}"))
    return sorted(problems, key=lambda p: (p.line or 0, p.column or ""))


def count_by_goal(con, framework: str, items: pd.DataFrame) -> pd.DataFrame:
    """How many items (contributions, city KPIs ...) each node of ``framework`` reaches through its SDG links.

    ``items`` has columns item, goal (SDG goal number). Matching is at goal level: an item counts
    for a node when one of the node's SDG links (to a goal, target or indicator) is in a goal of
    the item, since records and KPIs carry goals more often than targets. Nodes without links count 0.
    """
    nodes = con.execute(
        "SELECT code, title FROM framework_node WHERE framework = ? ORDER BY sort_key", [framework]
    ).df()
    links_ = links(con, framework, "sdg")
    goal_links = links_.assign(goal=links_["to_code"].str.split(".").str[0])[["from_code", "goal"]].drop_duplicates()
    it = items.assign(goal=items["goal"].astype(str))[["item", "goal"]].drop_duplicates()
    hits = goal_links.merge(it, on="goal")
    per_node = hits.groupby("from_code").agg(
        items=("item", "nunique"), goals=("goal", lambda g: ", ".join(sorted(set(g), key=int)))
    )
    out = nodes.merge(per_node, left_on="code", right_index=True, how="left")
    out["linked_goals"] = out["code"].map(goal_links.groupby("from_code")["goal"].nunique()).fillna(0).astype(int)
    out["items"] = out["items"].fillna(0).astype(int)
    out["goals"] = out["goals"].fillna("")
    return out[["code", "title", "linked_goals", "items", "goals"]]
