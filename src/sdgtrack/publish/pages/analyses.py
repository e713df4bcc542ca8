"""Pages of the kept analyses, each only when the store keeps the result: the SDG Index dashboard (the
last ``sdgtrack index``) and the interlinkages (the last ``sdgtrack links``: goal heatmap, strongest
pairs); and, for the indicator pages, each indicator's strongest interlinked indicators.

Their keys hold when the kept run was saved (``store_state``: ``kept_index``, ``kept_links``), so a
new run rewrites these pages (and the indicator pages for links) and no other; the interlinkage
keys also hold the series' descriptions and indicators, which name the kept pairs; whether each exists
is in ``extras.extras``, which every page's key holds, because the navigation links to them.
"""

from __future__ import annotations

from functools import partial
from pathlib import PurePath

import pandas as pd

from ...vocabulary import TREND_ARROWS
from ..site import Site, SiteFile, producer
from .common import page_key, render, short_titles, site_facts, slug, titles

GOALS = [str(g) for g in range(1, 18)]
STRONGEST = 15  # series pairs of each class on the interlinkages page
PER_INDICATOR = 5  # linked indicators of each class on an indicator page


def _state(site: Site) -> dict:
    # the same memo as Site._state: the store's fingerprints, read once per build or request
    return site.memo("_state", site.workspace.store_state)  # type: ignore[return-value]


def kept_index_run(site: Site) -> str | None:
    """When the kept SDG Index was saved, or None when the store keeps none."""
    return _state(site).get("kept_index") or None


def kept_links_run(site: Site) -> str | None:
    """When the kept interlinkages were saved, or None when the store keeps none, or keeps a run that
    tested no pair (e.g. no series had a known direction): no page, no link, nothing to show."""
    run = _state(site).get("kept_links") or None
    if run is not None and not site.memo("pages.links_tested", site.workspace.kept_links_tested):
        return None
    return run


def links_key(site: Site) -> str:
    """The part of an indicator page's key its interlinked indicators depend on: the kept run, the
    site's area, and the series' descriptions and indicators the pages name them by."""
    run = kept_links_run(site)
    return f"links:{run}:{site_facts(site)['area']}:{_series_words_key(site) if run else ''}"


def _series_words_key(site: Site) -> str:
    """Fingerprint of every series' description and indicators (a load adding or relinking series
    changes how the kept pairs are named and which indicator pages list them)."""

    def make() -> str:
        import hashlib

        info = site.workspace.series_info()[["code", "description"]].sort_values("code")
        links = site.workspace.series_indicator_links().sort_values(["series", "indicator"])
        text = info.to_csv(index=False) + links.to_csv(index=False)
        return hashlib.blake2b(text.encode("utf-8"), digest_size=12).hexdigest()

    return site.memo("pages.series_words_key", make)  # type: ignore[return-value]


def _kept_index(site: Site):
    return site.memo("pages.kept_index", site.workspace.kept_index)


def _kept_links(site: Site):
    return site.memo("pages.kept_links", site.workspace.kept_links)


@producer
def analysis_pages(site: Site):
    area = site_facts(site)["area"]
    index_run, links_run = kept_index_run(site), kept_links_run(site)
    for lang in site.options.langs:
        if index_run is not None:
            path = f"{lang}/sdg-index/index.html"
            yield SiteFile(path, partial(_index_page, site, lang, path), page_key(site, path, index_run, area))
        if links_run is not None:
            path = f"{lang}/interlinkages/index.html"
            yield SiteFile(path, partial(_links_page, site, lang, path), page_key(site, path, links_key(site)))


# -- the SDG Index ---------------------------------------------------------------------------------
def index_view(site: Site) -> dict:
    """The kept index as the page shows it: every area (ranked first) with its goal cells, the site's
    area, the method's words."""
    result = _kept_index(site)
    areas = result.tables["areas"]
    here = site_facts(site)["area"]
    rows = []
    for r in areas.to_dict("records"):
        goals = []
        for g in GOALS:
            score = r.get(f"goal_{g}")
            trend = r.get(f"goal_{g}_trend")
            goals.append(
                {
                    "goal": g,
                    "score": None if pd.isna(score) else float(score),
                    "colour": r.get(f"goal_{g}_colour") or "grey",
                    "trend": trend if isinstance(trend, str) else None,
                    "arrow": TREND_ARROWS.get(trend) if isinstance(trend, str) else None,
                }
            )
        rows.append(
            {
                "area": r["area"],
                "name": r["area_name"] if isinstance(r["area_name"], str) and r["area_name"] else r["area"],
                "rank": None if pd.isna(r["rank"]) else int(r["rank"]),
                "index": None if pd.isna(r["index"]) else float(r["index"]),
                "current": r["area"] == here,
                "goals": goals,
                "reason": r.get("no_index_reason") if isinstance(r.get("no_index_reason"), str) else None,
            }
        )
    p = result.parameters
    return {
        "rows": rows,
        "current": next((r for r in rows if r["current"]), None),
        "ranked": sum(1 for r in rows if r["rank"] is not None),
        "areas": len(rows),
        "has_trends": any(g["trend"] for r in rows for g in r["goals"]),
        "method": result.method,
        "codebook": PurePath(str(p.get("codebook"))).name if p.get("codebook") else None,
        "regions": p.get("regions"),
        "max_missing": round(100 * float(p.get("max_missing") or 0)),
        "window": result.data_window.get("values"),
        "trend_start": p.get("trend_start"),
        "target_year": p.get("target_year"),
        "run_at": str(result.summary.get("run at", ""))[:10],
        "datasets": result.datasets,
    }


def _index_page(site: Site, lang: str, path: str) -> bytes:
    return render(site, "sdg_index.html", lang, path, view=index_view(site), short=short_titles(site, lang))


# -- interlinkages ---------------------------------------------------------------------------------
def heat_class(pairs: int, share_synergy: float, share_tradeoff: float) -> str:
    """The cell's colour class from the balance of synergies and trade-offs among its tested pairs:
    syn3..syn1 mostly synergies, tr1..tr3 mostly trade-offs, mixed, or none (no pair tested)."""
    if not pairs:
        return "heat-none"
    net = share_synergy - share_tradeoff
    for cut, name in ((0.5, "syn3"), (0.25, "syn2"), (0.05, "syn1")):
        if net >= cut:
            return f"heat-{name}"
    for cut, name in ((-0.5, "tr3"), (-0.25, "tr2"), (-0.05, "tr1")):
        if net <= cut:
            return f"heat-{name}"
    return "heat-mixed"


def links_view(site: Site) -> dict:
    """The kept interlinkages as the page shows them: the pooled goal x goal matrix, the most
    synergistic and conflicting goal pairs and (a series-level run) the strongest series pairs."""
    result = _kept_links(site)
    level = result.parameters["level"]
    goals = result.tables["goal_pairs"]
    pooled = goals[goals["area"] == "all"]
    cells = {(int(r.goal_a), int(r.goal_b)): r for r in pooled.itertuples()}
    matrix = []
    for a in range(1, 18):
        row = []
        for b in range(1, 18):
            r = cells.get((min(a, b), max(a, b)))
            if r is None:
                row.append({"goal": str(b), "pairs": 0, "cls": "heat-none"})
            else:
                row.append(
                    {
                        "goal": str(b),
                        "pairs": int(r.pairs),
                        "synergy": float(r.share_synergy),
                        "tradeoff": float(r.share_tradeoff),
                        "cls": heat_class(int(r.pairs), float(r.share_synergy), float(r.share_tradeoff)),
                    }
                )
        matrix.append({"goal": str(a), "cells": row})
    top = result.tables["top_goal_pairs"].to_dict("records")
    here = site_facts(site)["area"]
    pairs: list[dict] = []
    pair_area = None
    if level == "series":
        pairs, pair_area = _strongest_pairs(site, result.table, here)
    window = result.data_window.get("years")
    return {
        "level": level,
        "matrix": matrix,
        "top": top,
        "pairs": pairs,
        "pair_area": pair_area,
        "summary": result.summary,
        "parameters": result.parameters,
        "method": result.method,
        "window": f"{window[0]}–{window[1]}" if window else None,
        "notes": result.notes,
        "run_at": str(result.summary.get("run at", ""))[:10],
        "areas_pooled": int(goals.loc[goals["area"] != "all", "area"].nunique()),
    }


def _strongest_pairs(site: Site, table: pd.DataFrame, here: str | None) -> tuple[list[dict], str | None]:
    """The strongest synergies and trade-offs among the series pairs (the site's area's when the run
    has it), with the series' descriptions and indicators."""
    classed = table[table["class"].isin(["synergy", "tradeoff"])]
    area = here if here is not None and (classed["area"] == here).any() else None
    if area is not None:
        classed = classed[classed["area"] == area]
    ws = site.workspace
    links = ws.series_indicator_links()
    current = {code for code, level, _, _ in site_facts(site)["nodes"] if level == "indicator"}
    links = links[links["indicator"].isin(current)]  # indicators with a page on the site
    indicators = links.groupby("series")["indicator"].agg(lambda s: sorted(set(s))).to_dict()
    info = site.memo("pages.series_info", ws.series_info).set_index("code")["description"]  # type: ignore[union-attr]
    names = ws.area_names(sorted(set(classed["area"].astype(str))))
    out = []
    for cls in ("synergy", "tradeoff"):
        rows = classed[classed["class"] == cls]
        rows = rows.reindex(rows["rho"].abs().sort_values(ascending=False).index).head(STRONGEST)
        for r in rows.to_dict("records"):
            out.append(
                {
                    "class": cls,
                    "area": names.get(str(r["area"]), str(r["area"])),
                    "rho": float(r["rho"]),
                    "n": int(r["n"]),
                    "a": {
                        "series": r["series_a"],
                        "description": info.get(r["series_a"]),
                        "indicators": indicators.get(r["series_a"], []),
                    },
                    "b": {
                        "series": r["series_b"],
                        "description": info.get(r["series_b"]),
                        "indicators": indicators.get(r["series_b"], []),
                    },
                }
            )
    return out, (names.get(area, area) if area else None)


def _links_page(site: Site, lang: str, path: str) -> bytes:
    return render(site, "interlinkages.html", lang, path, view=links_view(site), short=short_titles(site, lang))


# -- an indicator page's interlinked indicators ------------------------------------------------------
def linked_indicators(site: Site, code: str, lang: str) -> list[dict]:
    """Indicator ``code``'s strongest synergies and trade-offs with other indicators in the kept
    series-level interlinkages (the site's area's pairs when the run has it): other indicator, its
    title, the series pair, rho and the area. Empty when the store keeps no such run."""
    if kept_links_run(site) is None:
        return []
    area = site_facts(site)["area"]
    frame = site.memo(
        "pages.indicator_links",
        lambda: site.workspace.kept_indicator_links(area, PER_INDICATOR),
    )
    rows = frame[frame["indicator"] == code]  # type: ignore[index]
    if rows.empty:
        return []
    names = titles(site, lang)
    areas = site.memo(
        "pages.indicator_links_areas",
        lambda: site.workspace.area_names(sorted(set(frame["area"].astype(str)))),  # type: ignore[index]
    )
    return [
        {
            "code": r["other"],
            "slug": slug(r["other"]),
            "title": names.get(r["other"], r["other"]),
            "class": r["class"],
            "rho": float(r["rho"]),
            "series": r["series"],
            "other_series": r["other_series"],
            "area": areas.get(str(r["area"]), str(r["area"])),  # type: ignore[union-attr]
        }
        for r in rows.to_dict("records")
    ]
