"""``LANG/stats/reporting.json`` (indicators per reporting status, per goal and overall) and
``LANG/stats/disaggregation.json`` (how far each indicator's data is disaggregated as its metadata
expects), in sdg-build's shapes, so Open SDG's reporting status page reads them.

**Which indicators.** A site showing national metadata (an Open SDG repository) reports on the
indicators it publishes a meta file for (``meta.meta_codes``: the framework's indicators with data
or metadata), as sdg-build reports on the repository's indicators; a site without national metadata
reports on every indicator of the current framework. Indicators whose metadata marks them
``standalone`` or gives a ``placeholder`` are left out, as sdg-build leaves them out.

**Reporting status** is each indicator's own ``reporting_status`` in its national metadata, else
``complete`` when the site has data for it or its metadata says it is not statistical
(``data_non_statistical: true``), and ``notstarted`` otherwise. sdgtrack adds, per goal and
overall, the goal's title and how many indicators are disaggregated and by which names (Sex, Age, ...).

**Disaggregation status** compares the metadata's ``expected_disaggregations`` with the
disaggregations of the indicator's data: ``complete`` when every expected one is there,
``inprogress`` when some are, ``notstarted`` otherwise. Indicators that expect none are out of scope
and left out of the counts, as the UK and Canada configure sdg-build
(``ignore_out_of_scope_disaggregation_stats``): counted as ``notapplicable`` they would outnumber the
rest (200 of 247 UK indicators) and hide the share that matters. docs/site.md lists the difference
with a repository that counts them (Rwanda).
"""

from __future__ import annotations

from collections import Counter
from functools import partial
from typing import Iterator

from ..site import Site, SiteFile, producer
from .meta import default_status, meta_codes, meta_file, national_fields
from .tables import dump, open_sdg_table

DISAGGREGATION_STATUSES = ("complete", "inprogress", "notstarted", "notapplicable")


def reported_indicators(site: Site, lang: str) -> list[tuple[str, dict]]:
    """(code, national metadata) of the indicators the statistics count, in list order."""
    if any(site.has_metadata(code) for code in meta_codes(site)):
        codes = meta_codes(site)
    else:
        codes = [code for code, level, _, _ in site.nodes() if level == "indicator"]
    out = []
    for code in codes:
        fields = national_fields(site, lang, code)
        if fields.get("standalone") is True or (fields.get("placeholder") or "") != "":
            continue
        out.append((code, fields))
    return out


def _status_counts(statuses: list[str], order: list[str], rounded: bool) -> dict:
    counts = Counter(statuses)
    total = len(statuses)

    def share(n: int) -> float:
        if not total:
            return 0
        return round(100 * n / total, 3) if rounded else 100 * n / total

    return {
        "statuses": [{"status": s, "count": counts.get(s, 0), "percentage": share(counts.get(s, 0))} for s in order],
        "totals": {"total": total},
    }


def _disaggregation(codes: list[str], dims: dict[str, list[str]]) -> dict:
    names = Counter(name for c in codes for name in dims.get(c, []))
    return {
        "indicators_disaggregated": sum(bool(dims.get(c)) for c in codes),
        "by_name": dict(sorted(names.items(), key=lambda item: (-item[1], item[0]))),
    }


def _dims(site: Site) -> dict[str, list[str]]:
    """Indicator -> the breakdowns its data file has values for, named as the file names them: an
    Open SDG repository's own columns (Canada's ``Geography``, whose rows the store places in
    provinces, is a breakdown of the file), the store's names for other rows."""

    def make() -> dict[str, list[str]]:
        out = {}
        for code in site.indicators():
            table = open_sdg_table(site, code)
            out[code] = [n for n in table.dimensions if not all(v is None or v == "" for v in set(table.columns[n]))]
        return out

    return site.memo("_stats_dims", make)  # type: ignore[return-value]


def reporting(site: Site, lang: str) -> dict:
    reported = reported_indicators(site, lang)
    status = {
        code: str(fields.get("reporting_status") or default_status(site, lang, code)) for code, fields in reported
    }
    order = list(dict.fromkeys(status.values()))  # in order of first appearance, as sdg-build lists them
    dims = _dims(site)
    titles = site.titles(lang)
    goals = []
    for goal in [code for code, level, _, _ in site.nodes() if level == "goal"]:
        mine = [c for c in status if c.split(".")[0] == goal]
        if not mine:
            continue
        goals.append(
            {
                "goal": int(goal),
                "title": titles.get(goal, ("", None))[0],
                **_status_counts([status[c] for c in mine], order, rounded=True),
                "disaggregation": _disaggregation(mine, dims),
            }
        )
    overall = {
        **_status_counts(list(status.values()), order, rounded=True),
        "disaggregation": _disaggregation(list(status), dims),
    }
    return {"statuses": [{"value": s} for s in order], "overall": overall, "extra_fields": {}, "goals": goals}


def disaggregation_status(site: Site, lang: str) -> dict:
    dims = _dims(site)
    status = {}
    for code, fields in reported_indicators(site, lang):
        expected = fields.get("expected_disaggregations") or []
        expected = [str(e) for e in expected] if isinstance(expected, list) else [str(expected)]
        actual = dims.get(code, [])
        if not expected:
            status[code] = "notapplicable"
        elif all(e in actual for e in expected):
            status[code] = "complete"
        elif any(e in actual for e in expected):
            status[code] = "inprogress"
        else:
            status[code] = "notstarted"
    order = [s for s in DISAGGREGATION_STATUSES if s != "notapplicable"]
    goals = []
    for goal in [code for code, level, _, _ in site.nodes() if level == "goal"]:
        mine = [status[c] for c in status if c.split(".")[0] == goal]
        if mine:  # a goal whose indicators are all out of scope is listed with a total of 0
            counted = [s for s in mine if s != "notapplicable"]
            goals.append({"goal": goal, **_status_counts(counted, order, rounded=False)})
    return {
        "statuses": [{"value": s} for s in DISAGGREGATION_STATUSES],
        "overall": _status_counts([s for s in status.values() if s != "notapplicable"], order, rounded=False),
        "goals": goals,
        "extra_fields": {},
    }


def status_key(site: Site, lang: str) -> str:
    """Fingerprint of what the reporting statuses are counted from (the reporting page's key too)."""
    return _key(site, "stats/reporting", lang)


def _key(site: Site, kind: str, lang: str) -> str:
    # the statuses come from every counted indicator's metadata and data: the keys of their meta files
    return site.key(kind, lang, site.indicators_key(), [meta_file(site, lang, c).key for c in meta_codes(site)])


@producer
def reporting_status(site: Site) -> Iterator[SiteFile]:
    for lang in site.options.langs:
        yield SiteFile(
            f"{lang}/stats/reporting.json",
            partial(lambda lang: dump(reporting(site, lang)), lang),
            _key(site, "stats/reporting", lang),
        )
        yield SiteFile(
            f"{lang}/stats/disaggregation.json",
            partial(lambda lang: dump(disaggregation_status(site, lang)), lang),
            _key(site, "stats/disaggregation", lang),
        )
