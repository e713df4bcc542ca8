"""The home page (the 17 goals as tiles) and one page per goal (its targets and indicators), per language."""

from __future__ import annotations

from functools import partial

from ..site import Site, SiteFile, producer
from .common import indicator_key, page_key, render, short_titles, site_facts, store_key, titles


def goal_summaries(site: Site, lang: str) -> list[dict]:
    """Per goal: code, title, short title, status for the site's area, indicators with data / all."""
    facts = site_facts(site)
    names, shorts = titles(site, lang), short_titles(site, lang)
    with_data = facts["indicators_with_data"]
    out = []
    for code, _level, _parent, _title in facts["goals"]:
        indicators = [i for t in facts["children"].get(code, []) for i in facts["children"].get(t, [])]
        n = sum(1 for i in indicators if i in with_data)
        out.append(
            {
                "code": code,
                "title": names[code],
                "short": shorts.get(code, names[code]),
                "status": _status(facts, "goal", code),
                "with_data": n,
                "total": len(indicators),
                "percent_step": round(10 * n / len(indicators)) * 10 if indicators else 0,
            }
        )
    return out


def _status(facts: dict, level: str, code: str) -> str | None:
    kept = facts["assessment"]
    row = (kept or {}).get(level, {}).get(code)
    if row is None:
        return None
    return "target_met" if row.get("target_met") and row.get("status") in ("on_track",) else row.get("status")


def headline_figures(site: Site) -> dict[str, dict]:
    """Indicator -> its headline figure for the site's area: the latest headline value of its
    headline series (``Workspace.headline_series``: the series with the 2030 target, the source's
    default selection, the title, then most observations), with unit, period, series and why."""
    if "pages.headlines" in site.cache:
        return site.cache["pages.headlines"]  # type: ignore[return-value]
    facts = site_facts(site)
    out: dict[str, dict] = {}
    if facts["area"]:
        datasets = list(site.options.datasets) if site.options.datasets else None
        frame = site.workspace.headline_values(None, areas=[facts["area"]], datasets=datasets)
        chosen = headline_choice(site)
        if len(frame) and len(chosen):
            frame = frame.merge(chosen[["indicator", "series", "dataset", "reason"]], on=["series", "dataset"])
            # unit last: a series with two units in a year (GBP and %) must give the same figure each build
            frame = frame.sort_values(["indicator", "year", "unit"], ascending=[True, False, True], kind="stable")
            latest = frame.drop_duplicates("indicator")
            out = {
                r["indicator"]: {
                    "value": r["value"],
                    "unit": r["unit"],
                    "period": int(r["year"]),
                    "series": r["series"],
                    "dataset": r["dataset"],
                    "reason": r["reason"],
                    # beside the figure, the status of the series it shows (the indicator's roll-up
                    # averages every series: 3.2.1's would pair under-5 mortality with infant mortality's)
                    "status": _status(facts, "series", r["series"]),
                }
                for r in latest.to_dict("records")
            }
    site.cache["pages.headlines"] = out
    return out


def headline_choice(site: Site):
    """The headline series of every indicator with headline values in the site's area (one read)."""
    area = site_facts(site)["area"]
    datasets = list(site.options.datasets) if site.options.datasets else None
    return site.memo(
        "pages.headline_choice",
        lambda: site.workspace.headline_series(areas=[area] if area else None, datasets=datasets),
    )


@producer
def home_pages(site: Site):
    for lang in site.options.langs:
        path = f"{lang}/index.html"
        yield SiteFile(path, partial(_home, site, lang, path), page_key(site, path, store_key(site)))
    # the site root sends readers to the first language (a meta refresh: no script needed)
    first = site.options.langs[0]
    yield SiteFile("index.html", partial(_root_page, site, first), page_key(site, "index.html"))  # options only


def _home(site: Site, lang: str, path: str) -> bytes:
    return render(site, "home.html", lang, path, goals=goal_summaries(site, lang))


def _root_page(site: Site, lang: str) -> bytes:
    from html import escape

    links = "".join(
        f'<li><a href="{code}/index.html" hreflang="{code}" lang="{code}">{code}</a></li>'
        for code in site.options.langs
    )
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
        f'<meta http-equiv="refresh" content="0; url={lang}/index.html">'
        f"<title>{escape(site.title())}</title></head>"
        f"<body><main><h1>{escape(site.title())}</h1><ul>{links}</ul></main></body></html>"
    ).encode()


@producer
def goal_pages(site: Site):
    facts = site_facts(site)
    for code, _level, _parent, _title in facts["goals"]:
        # a goal page shows its own indicators' figures and statuses only
        # (and their sources' default selections: a step of the headline-series rule)
        indicators = [i for t in facts["children"].get(code, []) for i in facts["children"].get(t, [])]
        keys = [indicator_key(site, i) for i in indicators] + [site.start_values_key(i) for i in indicators]
        for lang in site.options.langs:
            path = f"{lang}/goals/{code}/index.html"
            yield SiteFile(path, partial(_goal_page, site, lang, path, code), page_key(site, path, *keys))


def _goal_page(site: Site, lang: str, path: str, code: str) -> bytes:
    facts = site_facts(site)
    names = titles(site, lang)
    goal = next(g for g in goal_summaries(site, lang) if g["code"] == code)
    figures = headline_figures(site)
    targets = []
    for target in facts["children"].get(code, []):
        inds = [
            {
                "code": i,
                "title": names[i],
                "headline": figures.get(i),
                "status": (figures.get(i) or {}).get("status"),
                "has_data": i in facts["indicators_with_data"],
            }
            for i in facts["children"].get(target, [])
        ]
        targets.append({"code": target, "title": names[target], "indicators": inds})
    return render(site, "goal.html", lang, path, goal=goal, targets=targets)
