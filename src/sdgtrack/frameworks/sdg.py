"""Queries over the SDG framework: nodes, their titles in six languages, their series."""

from __future__ import annotations

import pandas as pd

from ..errors import UserInputError

LEVELS = ("goal", "target", "indicator")


def node_filters(
    framework: str, level: str | None, parent: str | None, include_retired: bool, alias: str = ""
) -> tuple[list[str], list]:
    """WHERE conditions and parameters choosing a framework's nodes: one level, the nodes under
    ``parent`` (children and every descendant), current ones only unless ``include_retired``."""
    where, params = [f"{alias}framework = ?"], [framework]
    if level:
        where.append(f"{alias}level = ?")
        params.append(level)
    if parent:
        where.append(f"({alias}parent = ? OR starts_with({alias}code, ? || '.'))")
        params += [parent, parent]
    if not include_retired:
        where.append(f"{alias}status = 'current'")
    return where, params


def node(con, code: str, framework: str = "sdg") -> dict:
    """A node with its ancestors, children, series and translations; raises on unknown codes."""
    row = con.execute(
        "SELECT code, level, parent, title, unsd_code, status FROM framework_node WHERE framework = ? AND code = ?",
        [framework, code.strip()],
    ).fetchone()
    if row is None:
        raise UserInputError(
            f"unknown {framework} code {code!r}: expected a goal (3), target (3.2) or "
            "indicator (3.2.1) of the 2025 framework"
        )
    out = dict(zip(["code", "level", "parent", "title", "unsd_code", "status"], row))
    out["ancestors"] = []
    parent = out["parent"]
    while parent:
        p = con.execute(
            "SELECT code, level, parent, title FROM framework_node WHERE framework = ? AND code = ?",
            [framework, parent],
        ).fetchone()
        if p is None:
            break
        out["ancestors"].append(dict(code=p[0], level=p[1], title=p[3]))
        parent = p[2]
    out["children"] = (
        con.execute(
            "SELECT code, level, title, status FROM framework_node WHERE framework = ? AND parent = ? ORDER BY sort_key",
            [framework, out["code"]],
        )
        .df()
        .to_dict("records")
    )
    out["series"] = (
        con.execute(
            """SELECT s.code, s.description, s.unit,
                  (SELECT count(*) FROM observation o WHERE o.series = s.code) AS observations
           FROM series_indicator si JOIN series s ON s.code = si.series
           WHERE si.indicator = ? ORDER BY s.code""",
            [out["code"]],
        )
        .df()
        .to_dict("records")
    )
    titles = con.execute(
        "SELECT lang, kind, title, edition FROM framework_title WHERE framework = ? AND code = ? ORDER BY lang, kind",
        [framework, out["code"]],
    ).df()
    out["translations"] = titles.to_dict("records")
    # The translations are the 2020-era official texts: say which languages lack a title and
    # whether the English 2020 text differs from the current one.
    have = set(titles.loc[titles["kind"] == "title", "lang"])
    from .reference import LANGUAGES

    out["missing_languages"] = [lang for lang in LANGUAGES if lang not in have]
    en = titles[(titles["lang"] == "en") & (titles["kind"] == "title")]
    out["translation_is_older_text"] = bool(len(en)) and _plain(en["title"].iloc[0]) != _plain(out["title"])
    return out


def list_nodes(
    con, level: str | None = None, parent: str | None = None, framework: str = "sdg", include_retired: bool = False
) -> pd.DataFrame:
    if framework == "sdg" and level and level not in LEVELS:
        raise UserInputError(f"level {level!r}: expected one of {', '.join(LEVELS)}")
    if framework != "sdg":
        levels = [
            r[0]
            for r in con.execute(
                "SELECT DISTINCT level FROM framework_node WHERE framework = ?", [framework]
            ).fetchall()
        ]
        if not levels:
            raise UserInputError(f"unknown framework {framework!r}: expected sdg, u4ssc or wsis")
        if level and level not in levels:
            raise UserInputError(f"level {level!r} of {framework}: expected one of {', '.join(sorted(levels))}")
    where, params = node_filters(framework, level, parent, include_retired)
    return con.execute(
        f"SELECT code, level, parent, title, unsd_code, status FROM framework_node "
        f"WHERE {' AND '.join(where)} ORDER BY sort_key",
        params,
    ).df()


def series_for_code(con, code: str) -> list[str]:
    """Series code -> [itself]; indicator/target/goal code -> the series linked under it."""
    code = code.strip()
    if con.execute("SELECT 1 FROM series WHERE code = ?", [code]).fetchone():
        return [code]
    node_row = con.execute("SELECT level FROM framework_node WHERE code = ?", [code]).fetchone()
    if node_row is None:
        raise UserInputError(
            f"unknown code {code!r}: expected a series code (e.g. SH_DYN_MORT) or an SDG "
            "goal, target or indicator code (e.g. 3, 3.2, 3.2.1)"
        )
    rows = con.execute(
        """SELECT DISTINCT series FROM series_indicator
                          WHERE indicator = ? OR starts_with(indicator, ? || '.') ORDER BY 1""",
        [code, code],
    ).fetchall()
    return [r[0] for r in rows]


def _plain(text: str) -> str:
    """Text for comparing editions: hyphen variants and spacing differ between the lists."""
    for dash in ("\u2010", "\u2011", "\u2012", "\u2013"):
        text = text.replace(dash, "-")
    return " ".join(text.split()).casefold()
