"""Coverage of the Goals by the registry: records per SDG (by entity, kind or year), which goals are
named together (co-occurrence), and a heatmap of both."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..errors import UserInputError
from ..plurals import count
from .filters import record_filters

BY = {"entity": "coalesce(nullif(s.entity_code, ''), s.entity)", "kind": "r.kind", "year": "s.year::VARCHAR"}
SOURCES = ("effective", "declared", "inferred")


@dataclass
class Coverage:
    by: str
    per_sdg: pd.DataFrame  # group, goal, records, share (of the group's records)
    totals: pd.DataFrame  # goal, records, primary, declared, inferred
    cooccurrence: pd.DataFrame  # goal_a, goal_b, records (symmetric; diagonal = records naming the goal)
    method: dict = field(default_factory=dict)

    def statement(self) -> str:
        m = self.method
        parameters = ", ".join(f"{k}={v}" for k, v in m["parameters"].items())
        return f"{m['method']} Parameters: {parameters}. Data: {m['data_window']}."

    def to_result(self):
        """As the project's :class:`~sdgtrack.results.Result` (tables per_sdg, totals, cooccurrence)."""
        from ..results import Result

        m = self.method
        return Result(
            analysis="coverage",
            method=str(m.get("method", "")).rstrip("."),
            parameters=dict(m.get("parameters", {})),
            tables={"per_sdg": self.per_sdg, "totals": self.totals, "cooccurrence": self.cooccurrence},
            data_window={"records": m.get("data_window")},
            datasets={"contributions registry": int(m.get("records", 0))},
            summary={
                "groups": int(self.per_sdg["group"].nunique()) if len(self.per_sdg) else 0,
                "goals named": int((self.totals["records"] > 0).sum()) if len(self.totals) else 0,
            },
            description=f"Contributions per SDG by {self.by}",
            charts={"heatmap": self.save_chart},
        )

    def chart(self):
        from .chart import coverage_chart

        return coverage_chart(self)

    def save_chart(self, path: str | Path) -> Path:
        from .chart import save_chart

        return save_chart(self.chart(), path)


def coverage(
    reg,
    by: str = "entity",
    sdgs: str = "effective",
    include_all_goals: bool = False,
    entity: str | None = None,
    year: int | None = None,
    kind: str | None = None,
) -> Coverage:
    """Records per SDG per ``by`` group. ``sdgs``: 'effective' (declared, else inferred), 'declared'
    or 'inferred'. Co-occurrence leaves out records naming all 17 goals unless ``include_all_goals``:
    each such record adds one to every pair and hides which goals are really named together."""
    if by not in BY:
        raise UserInputError(f"--by {by!r}: expected one of {', '.join(BY)}")
    if sdgs not in SOURCES:
        raise UserInputError(f"--sdgs {sdgs!r}: expected one of {', '.join(SOURCES)}")
    where, params = record_filters(entity, year, kind)
    rec_where = " AND ".join(where) or "TRUE"
    if sdgs == "effective":
        goal_source = "SELECT record, goal, is_primary, source FROM contribution_goal"
    else:
        goal_source = (
            f"SELECT record, goal, bool_or(is_primary) AS is_primary, source FROM contribution_sdg "
            f"WHERE target IS NULL AND source = '{sdgs}' GROUP BY ALL"
        )
    con = reg.con
    con.execute(
        f"""CREATE OR REPLACE TEMP VIEW _cov_goal AS
        SELECT g.record, g.goal, g.is_primary, g.source, {BY[by]} AS grp
        FROM ({goal_source}) g JOIN contribution_record r ON r.id = g.record
        JOIN contribution_submission s ON s.id = r.submission WHERE {rec_where}""",
        params,
    )
    records = con.execute(
        f"""SELECT {BY[by]} AS grp, count(*) AS n FROM contribution_record r
        JOIN contribution_submission s ON s.id = r.submission WHERE {rec_where} GROUP BY ALL""",
        params,
    ).df()
    if records.empty:
        raise UserInputError(
            "no contribution records"
            + (" match the filters" if where else ": import an answer first (`sdgtrack contributions import FILE`)")
        )
    con.register("_cov_records", records)
    per_sdg = con.execute("""
        WITH groups AS (SELECT grp, n FROM _cov_records), goals AS (SELECT range AS goal FROM range(1, 18)),
        counts AS (SELECT grp, goal, count(DISTINCT record) AS records FROM _cov_goal GROUP BY ALL)
        SELECT g.grp AS "group", o.goal::INTEGER AS goal, coalesce(c.records, 0)::INTEGER AS records,
               round(coalesce(c.records, 0) / g.n, 4) AS share
        FROM groups g CROSS JOIN goals o LEFT JOIN counts c ON c.grp = g.grp AND c.goal = o.goal
        ORDER BY g.grp, o.goal""").df()
    totals = con.execute("""
        SELECT o.range::INTEGER AS goal, count(DISTINCT c.record)::INTEGER AS records,
               count(DISTINCT c.record) FILTER (WHERE c.is_primary)::INTEGER AS "primary",
               count(DISTINCT c.record) FILTER (WHERE c.source = 'declared')::INTEGER AS declared,
               count(DISTINCT c.record) FILTER (WHERE c.source = 'inferred')::INTEGER AS inferred
        FROM range(1, 18) o LEFT JOIN _cov_goal c ON c.goal = o.range GROUP BY ALL ORDER BY goal""").df()
    all_filter = (
        ""
        if include_all_goals
        else "WHERE record NOT IN (SELECT record FROM _cov_goal GROUP BY record HAVING count(DISTINCT goal) = 17)"
    )
    cooc = con.execute(f"""
        WITH g AS (SELECT DISTINCT record, goal FROM _cov_goal {all_filter}),
        pairs AS (SELECT a.goal AS goal_a, b.goal AS goal_b, count(*) AS records
                  FROM g a JOIN g b ON a.record = b.record GROUP BY ALL),
        grid AS (SELECT a.range AS goal_a, b.range AS goal_b FROM range(1, 18) a CROSS JOIN range(1, 18) b)
        SELECT grid.goal_a::INTEGER AS goal_a, grid.goal_b::INTEGER AS goal_b,
               coalesce(p.records, 0)::INTEGER AS records
        FROM grid LEFT JOIN pairs p USING (goal_a, goal_b) ORDER BY goal_a, goal_b""").df()
    n_all = con.execute(
        "SELECT count(*) FROM (SELECT record FROM _cov_goal GROUP BY record HAVING count(DISTINCT goal) = 17)"
    ).fetchone()[0]
    n_no_goal = con.execute(
        f"""SELECT count(*) FROM contribution_record r JOIN contribution_submission s
        ON s.id = r.submission WHERE {rec_where} AND r.id NOT IN (SELECT record FROM _cov_goal)""",
        params,
    ).fetchone()[0]
    window = con.execute(
        f"""SELECT count(*) AS n, count(DISTINCT s.id) AS subs, min(s.year), max(s.year),
        string_agg(DISTINCT coalesce(nullif(s.entity_code, ''), s.entity), ', ')
        FROM contribution_record r JOIN contribution_submission s ON s.id = r.submission WHERE {rec_where}""",
        params,
    ).fetchone()
    con.execute("DROP VIEW IF EXISTS _cov_goal")
    con.unregister("_cov_records")
    source_words = {
        "effective": "declared SDGs, or inferred ones where a record declares none",
        "declared": "declared SDGs only",
        "inferred": "inferred SDGs only",
    }[sdgs]
    method = {
        "method": (
            f"Records per SDG: distinct records whose SDGs ({source_words}) include the goal, per {by}; "
            "share = records / all records of the group; a record declaring all 17 goals counts for each. "
            "Co-occurrence: records naming both goals"
            + (
                "."
                if include_all_goals
                else f", leaving out the {count(n_all, 'record')} that name{'s' if n_all == 1 else ''} all 17 goals "
                "(they would add 1 to every pair)."
            )
        ),
        "parameters": {
            "by": by,
            "sdgs": sdgs,
            "include_all_goals": include_all_goals,
            **{k: v for k, v in (("entity", entity), ("year", year), ("kind", kind)) if v},
        },
        "data_window": (
            f"{count(window[0], 'record')} ({n_no_goal} without SDGs) in {count(window[1], 'submission')}, "
            f"years {window[2]}-{window[3]}, entities {window[4]}"
        ),
        "records": int(window[0]),
        "records_without_sdgs": int(n_no_goal),
        "records_all_goals": int(n_all),
    }
    return Coverage(by=by, per_sdg=per_sdg, totals=totals, cooccurrence=cooc, method=method)
