"""``LANG/stats/reporting.json``: indicators with data per goal, and disaggregation coverage.

The shape follows sdg-build's reporting statistics (``goals`` then ``overall``, each with
``totals`` and ``statuses``): an indicator of the current framework is ``complete`` when the site
has data for it, else ``notstarted``. sdgtrack adds, per goal and overall, how many indicators are
disaggregated and by which names (Sex, Age, ...), from the store's rows.
"""

from __future__ import annotations

from collections import Counter
from functools import partial
from typing import Iterator

from ..site import Site, SiteFile, producer
from .tables import dump

STATUSES = ("complete", "notstarted")


def _summary(indicators: list[str], with_data: set[str], dims: dict[str, list[str]]) -> dict:
    total = len(indicators)
    counts = {"complete": sum(c in with_data for c in indicators)}
    counts["notstarted"] = total - counts["complete"]
    names = Counter(name for c in indicators for name in dims.get(c, []))
    return {
        "totals": {"total": total},
        "statuses": [
            {"status": s, "count": counts[s], "percentage": round(100 * counts[s] / total) if total else 0}
            for s in STATUSES
        ],
        "disaggregation": {
            "indicators_disaggregated": sum(bool(dims.get(c)) for c in indicators),
            "by_name": dict(sorted(names.items(), key=lambda item: (-item[1], item[0]))),
        },
    }


def reporting(site: Site, lang: str) -> dict:
    nodes = site.nodes()
    titles = site.titles(lang)
    coverage = site.coverage()
    with_data = set(site.indicators())
    dims = {str(c): [str(n) for n in names] for c, names in coverage["dims"].items() if c in with_data}
    indicators = [code for code, level, _, _ in nodes if level == "indicator"]
    goals = []
    for goal in [code for code, level, _, _ in nodes if level == "goal"]:
        mine = [c for c in indicators if c.split(".")[0] == goal]
        goals.append({"goal": int(goal), "title": titles.get(goal, ("", None))[0], **_summary(mine, with_data, dims)})
    return {"goals": goals, "overall": _summary(indicators, with_data, dims)}


def _render(site: Site, lang: str) -> bytes:
    return dump(reporting(site, lang))


@producer
def reporting_status(site: Site) -> Iterator[SiteFile]:
    for lang in site.options.langs:
        yield SiteFile(
            f"{lang}/stats/reporting.json",
            partial(_render, site, lang),
            site.key("stats/reporting", lang, site.indicators_key()),
        )
