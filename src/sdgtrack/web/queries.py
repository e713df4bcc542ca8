"""What the home page shows, from the store's reads (no SQL of its own)."""
from __future__ import annotations


def framework_with_data(db) -> list[dict]:
    """Goals -> targets -> indicators, each indicator with its series and what data they have."""
    nodes = db.current_nodes("sdg")
    by_indicator: dict[str, list[dict]] = {}
    for row in db.headline_series_stats():
        by_indicator.setdefault(row["indicator"], []).append(
            dict(code=row["series"], description=row["description"], n=row["n"], areas=row["areas"],
                 first=row["first"], last=row["last"]))
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
