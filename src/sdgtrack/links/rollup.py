"""Roll series pairs up to goal pairs: counts and shares of synergies and trade-offs.

A series belongs to every goal of the indicators it serves (a few disaster series serve goals 1,
11 and 13). A tested series pair counts once for each distinct unordered goal pair
{goal of a, goal of b}, including a goal with itself (pairs inside one goal).
"""

from __future__ import annotations

import duckdb
import pandas as pd

GOAL_COLUMNS = ["area", "goal_a", "goal_b", "pairs", "synergies", "tradeoffs", "share_synergy", "share_tradeoff"]
POOLED = "all"


def series_goals(db) -> pd.DataFrame:
    """``DataFrame(series, goal)`` with goal as int 1..17, from the framework's series links."""
    links = db.series_indicator_links()
    goal = links["indicator"].str.split(".").str[0]
    numbered = goal.str.fullmatch("[0-9]+").fillna(False).astype(bool)
    out = pd.DataFrame({"series": links.loc[numbered, "series"], "goal": goal[numbered].astype("int32")})
    return out.drop_duplicates().sort_values(["series", "goal"]).reset_index(drop=True)


def goal_pairs(pairs: pd.DataFrame, goals: pd.DataFrame, *, per_area: bool = True, pooled: bool = True) -> pd.DataFrame:
    """Goal x goal table (goal_a <= goal_b) per area and pooled over areas (area = 'all').

    ``pairs`` is the series-level table (area, series_a, series_b, rho, class); only tests
    (rho defined) count. Shares are of the tested pairs of that goal pair.
    """
    con = duckdb.connect()
    try:
        con.register(
            "pairs_in",
            pairs[["area", "series_a", "series_b", "rho", "class"]].astype(
                {"area": str, "series_a": str, "series_b": str, "class": str}
            ),
        )
        con.register("goals_in", goals[["series", "goal"]])
        con.execute("""
            CREATE TEMP TABLE pair_goal AS
            WITH tested AS (SELECT * FROM pairs_in WHERE rho IS NOT NULL AND NOT isnan(rho)),
            combos AS (SELECT DISTINCT series_a, series_b FROM tested),
            expanded AS (
                SELECT DISTINCT c.series_a, c.series_b,
                       least(ga.goal, gb.goal) AS goal_a, greatest(ga.goal, gb.goal) AS goal_b
                FROM combos c JOIN goals_in ga ON ga.series = c.series_a
                              JOIN goals_in gb ON gb.series = c.series_b)
            SELECT t.area, e.goal_a, e.goal_b, t."class"
            FROM tested t JOIN expanded e USING (series_a, series_b)""")
        parts = []
        if per_area:
            parts.append(
                "SELECT area, goal_a, goal_b, count(*) AS pairs, count(*) FILTER (\"class\" = 'synergy') AS synergies, "
                "count(*) FILTER (\"class\" = 'tradeoff') AS tradeoffs FROM pair_goal GROUP BY ALL"
            )
        if pooled:
            parts.append(
                f"SELECT '{POOLED}' AS area, goal_a, goal_b, count(*), count(*) FILTER (\"class\" = 'synergy'), "
                "count(*) FILTER (\"class\" = 'tradeoff') FROM pair_goal GROUP BY ALL"
            )
        if not parts:
            return pd.DataFrame(columns=GOAL_COLUMNS)
        out = con.execute(" UNION ALL ".join(parts)).df()
    finally:
        con.close()
    out["share_synergy"] = out["synergies"] / out["pairs"]
    out["share_tradeoff"] = out["tradeoffs"] / out["pairs"]
    for c in ("goal_a", "goal_b", "pairs", "synergies", "tradeoffs"):
        out[c] = out[c].astype("int64")
    area_order = {a: i for i, a in enumerate(pairs["area"].astype(str).unique())}
    out["_order"] = out["area"].map(lambda a: area_order.get(a, len(area_order)))
    out = out.sort_values(["_order", "goal_a", "goal_b"]).drop(columns="_order").reset_index(drop=True)
    return out[GOAL_COLUMNS]


def top_goal_pairs(goal_table: pd.DataFrame, k: int = 5, min_pairs: int = 10, area: str = POOLED) -> pd.DataFrame:
    """The k most synergistic and k most conflicting goal pairs of one area (default: pooled),
    among goal pairs with at least ``min_pairs`` tested series pairs.

    A pair is conflicting only where its trade-offs outnumber its synergies, ranked by the margin
    (share of trade-offs minus share of synergies), and synergistic the other way round: ranked by
    the trade-off share alone, 12 x 12 (37% synergies, 13% trade-offs) was listed as a conflict."""
    rows = goal_table[(goal_table["area"] == area) & (goal_table["pairs"] >= min_pairs)]
    margin = rows["share_synergy"] - rows["share_tradeoff"]
    rows = rows.assign(_margin=margin)
    syn = rows[margin > 0].sort_values(["_margin", "share_synergy", "pairs"], ascending=False).head(k)
    con = rows[margin < 0].sort_values(["_margin", "share_tradeoff"], ascending=[True, False]).head(k)
    syn = syn.drop(columns="_margin").assign(kind="most synergistic")
    con = con.drop(columns="_margin").assign(kind="most conflicting")
    return pd.concat([syn, con], ignore_index=True)[["kind"] + GOAL_COLUMNS]


def series_pair_summary(pairs: pd.DataFrame) -> pd.DataFrame:
    """Per series pair over areas: areas tested, synergies, trade-offs and their shares."""
    tested = pairs[pairs["rho"].notna()]
    g = tested.assign(syn=tested["class"] == "synergy", tr=tested["class"] == "tradeoff").groupby(
        ["series_a", "series_b"], observed=True
    )
    out = g.agg(
        areas=("rho", "size"), synergies=("syn", "sum"), tradeoffs=("tr", "sum"), median_rho=("rho", "median")
    ).reset_index()
    out["share_synergy"] = out["synergies"] / out["areas"]
    out["share_tradeoff"] = out["tradeoffs"] / out["areas"]
    for c in ("series_a", "series_b"):
        out[c] = out[c].astype(str)
    return out
