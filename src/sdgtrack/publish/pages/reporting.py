"""The reporting status page (indicators with data per goal, disaggregation coverage), the search
page (a client-side index in the page) and, when the store keeps an assessment, the progress chart."""

from __future__ import annotations

from collections import Counter
from functools import partial

from ..outputs.stats import reporting, status_key
from ..site import Site, SiteFile, producer
from .common import Strings, json_block, page_key, render, short_titles, site_facts, slug, store_key, titles
from .framework import goal_summaries


@producer
def reporting_pages(site: Site):
    for lang in site.options.langs:
        path = f"{lang}/reporting/index.html"
        yield SiteFile(
            path, partial(_reporting, site, lang, path), page_key(site, path, store_key(site), status_key(site, lang))
        )
        path = f"{lang}/search/index.html"
        yield SiteFile(path, partial(_search, site, lang, path), page_key(site, path, store_key(site)))
        if site_facts(site)["kept_run"] is not None:
            path = f"{lang}/progress/index.html"
            yield SiteFile(path, partial(_progress, site, lang, path), page_key(site, path, store_key(site)))
            # the picture has words, so one per language, beside its page
            path = f"{lang}/progress/chart.svg"
            yield SiteFile(path, partial(_progress_svg, site, lang), page_key(site, path, store_key(site)))


def reporting_table(site: Site, lang: str) -> dict:
    """Per goal: indicators, with data, with disaggregated data, and how many indicators have each
    reporting status (each indicator's own ``reporting_status``, counted as ``stats/reporting.json``
    counts them: one function, ``outputs.stats.reporting``); per disaggregation name, the number of
    indicators whose data use it."""
    facts = site_facts(site)
    status = reporting(site, lang)
    order = [s["value"] for s in status["statuses"]]

    def counts(part: dict) -> list[int]:
        found = {s["status"]: s["count"] for s in part["statuses"]}
        return [found.get(s, 0) for s in order]

    by_goal = {str(g["goal"]): counts(g) for g in status["goals"]}
    series = facts["series"]
    disaggregated = set(series.loc[series["dimensions"].map(len) > 0, "indicator"])
    dims_per_indicator: dict[str, set] = {}
    for row in series[["indicator", "dimensions"]].itertuples():
        dims_per_indicator.setdefault(row.indicator, set()).update(row.dimensions)
    goals = []
    for g in goal_summaries(site, lang):
        indicators = [i for t in facts["children"].get(g["code"], []) for i in facts["children"].get(t, [])]
        n_dis = sum(1 for i in indicators if i in disaggregated)
        goals.append(
            {
                **g,
                "disaggregated": n_dis,
                "share": g["with_data"] / g["total"] if g["total"] else 0.0,
                "statuses": by_goal.get(g["code"], [0] * len(order)),
            }
        )
    dimensions = Counter(d for dims in dims_per_indicator.values() for d in dims)
    total = sum(g["total"] for g in goals)
    with_data = sum(g["with_data"] for g in goals)
    return {
        "goals": goals,
        "total": total,
        "with_data": with_data,
        "disaggregated": sum(g["disaggregated"] for g in goals),
        "dimensions": dimensions.most_common(25),
        "statuses": order,
        "status_totals": counts(status["overall"]),
    }


def _reporting(site: Site, lang: str, path: str) -> bytes:
    return render(site, "reporting.html", lang, path, report=reporting_table(site, lang))


def search_index(site: Site, lang: str) -> dict:
    """Goals, targets and indicators with their titles in ``lang`` (and English, so English words find
    pages in every language), each with the link from the search page."""
    t = Strings(lang)
    names, english = titles(site, lang), titles(site, "en")
    facts = site_facts(site)
    # an indicator is found by the words of its series too ("under-five", "stunting")
    described = facts["series"].groupby("indicator")["description"].agg(lambda d: " ".join(sorted(set(d.dropna()))))
    entries = []
    for code, level, _parent, _title in facts["nodes"]:
        if level == "goal":
            href, label = f"../goals/{code}/index.html", t("goal_n", n="").strip()
            extra = short_titles(site, lang).get(code, "")
        elif level == "indicator":
            href, label = f"../indicators/{slug(code)}/index.html", t("indicator_n", n="").strip()
            extra = described.get(code, "")
        else:
            goal = code.split(".")[0]
            href, label, extra = f"../goals/{goal}/index.html#target-{slug(code)}", t("target_n", n="").strip(), ""
        if lang != "en":
            extra = f"{extra} {english[code]}"
        entries.append({"code": code, "title": names[code], "href": href, "label": label, "extra": extra.strip()})
    return {"entries": entries, "strings": {"results": t.forms("search_results", n="{n}"), "none": t("search_none")}}


def _search(site: Site, lang: str, path: str) -> bytes:
    return render(site, "search.html", lang, path, index=json_block(search_index(site, lang)))


def _progress(site: Site, lang: str, path: str) -> bytes:
    """The SDG Report's progress chart (a picture) and its table: per goal the status of the goal and
    how many of its targets have each status; each goal's targets with their status below."""
    from ...registries import PROGRESS_METHODS

    facts = site_facts(site)
    kept = facts["assessment"] or {"target": {}, "attrs": {}}  # none for the site's area: "not assessed"
    method = PROGRESS_METHODS.get(kept["attrs"].get("method") or "unsd")
    statuses = list(reversed(method.STATUSES)) + [method.INSUFFICIENT]
    names = titles(site, lang)
    goals = []
    for g in goal_summaries(site, lang):
        targets = []
        for target in facts["children"].get(g["code"], []):
            row = kept["target"].get(target)
            targets.append({"code": target, "title": names[target], "status": row.get("status") if row else None})
        counts = Counter(t["status"] or "none" for t in targets)
        goals.append(
            {
                **g,
                "targets": targets,
                "counts": [counts.get(s, 0) for s in statuses],
                "not_assessed": counts.get("none", 0),
            }
        )
    return render(
        site,
        "progress.html",
        lang,
        path,
        goals=goals,
        attrs={"title": None, "method": None, "run_at": None, **kept["attrs"]},  # none: nothing for the area
        statuses=statuses,
        has_chart=facts["assessment"] is not None,
    )


def _progress_svg(site: Site, lang: str) -> bytes:
    facts = site_facts(site)
    kept = facts["assessment"]
    if kept is None:
        return b'<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>'
    import pandas as pd

    from ...vocabulary import ChartWords
    from ..pages.indicator_data import vl_svg

    t = Strings(lang)
    words = ChartWords(
        status=t.status,
        title=t("progress_chart_title"),
        summary=t("progress_chart_summary"),
        window=t("progress_chart_window"),
        legend=t("progress_status"),
        goal_axis=t("progress_chart_goal_axis"),
        goal_cell=t("progress_chart_goal_axis") + "{n}",  # "Objectif 10" overflows its cell
    )
    series = pd.DataFrame(list(kept["series"].values()))
    series.attrs.update(kept["attrs"])
    return vl_svg(site.workspace.kept_progress_chart(series, facts["area_name"], words).to_dict())
