"""Read-only queries the pages need, one SQL statement each."""
from __future__ import annotations


def framework_with_data(con) -> list[dict]:
    """Goals -> targets -> indicators, each indicator with its series and what data they have."""
    nodes = con.execute("""
        SELECT code, level, parent, title FROM framework_node
        WHERE framework = 'sdg' AND status = 'current' ORDER BY sort_key""").fetchall()
    stats = con.execute("""
        SELECT si.indicator, o.series, any_value(s.description) AS description, count(*) AS n,
               count(DISTINCT o.area) AS areas, min(o.year) AS first, max(o.year) AS last
        FROM observation o JOIN series_indicator si ON si.series = o.series
        JOIN series s ON s.code = o.series
        WHERE o.is_headline GROUP BY si.indicator, o.series ORDER BY o.series""").fetchall()
    by_indicator: dict[str, list[dict]] = {}
    for ind, series, desc, n, areas, first, last in stats:
        by_indicator.setdefault(ind, []).append(
            dict(code=series, description=desc, n=n, areas=areas, first=first, last=last))
    goals: dict[str, dict] = {}
    targets: dict[str, dict] = {}
    for code, level, parent, title in nodes:
        if level == "goal":
            goals[code] = dict(code=code, title=title, targets=[], series=0)
        elif level == "target":
            targets[code] = dict(code=code, title=title, indicators=[])
            goals[parent]["targets"].append(targets[code])
        else:
            series = by_indicator.get(code, [])
            targets[parent]["indicators"].append(dict(code=code, title=title, series=series))
            goals[code.split(".")[0]]["series"] += len(series)
    return list(goals.values())


def totals(con) -> dict:
    n, series, areas, first, last = con.execute(
        "SELECT count(*), count(DISTINCT series), count(DISTINCT area), min(year), max(year) FROM observation").fetchone()
    return dict(observations=n, series=series, areas=areas, first=first, last=last)
