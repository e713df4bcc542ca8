"""Shared static assets as site files: styles (with the goal colours from data/goals.csv), the page
script, the Vega runtime (vl-convert's bundle: no CDN, no network) and the world map."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

from ..site import Site, SiteFile, producer
from ..topojson import COUNTRIES
from .common import PACKAGE, goal_colours, page_key


def _static(name: str) -> bytes:
    return (resources.files(PACKAGE) / "static" / name).read_bytes()


def _digest(path) -> str:
    import hashlib

    return hashlib.blake2b(path.read_bytes(), digest_size=16).hexdigest()


def site_css() -> bytes:
    rules = [f".goal-{goal} {{ background: {c['colour']}; color: {c['text']}; }}" for goal, c in goal_colours().items()]
    return _static("site.css") + ("\n/* goal colours (data/goals.csv) */\n" + "\n".join(rules) + "\n").encode()


@lru_cache(maxsize=1)
def vega_bundle() -> bytes:
    """Vega, Vega-Lite and vega-embed in one classic script (globals vegaEmbed, vega, vegaLite)."""
    import vl_convert as vlc

    # the snippet puts the three libraries on window, where assets/site.js finds them
    snippet = "window.vegaEmbed = vegaEmbed; window.vega = vega; window.vegaLite = vegaLite;"
    return vlc.javascript_bundle(snippet).encode("utf-8")


def vega_version() -> str:
    import vl_convert as vlc

    return getattr(vlc, "__version__", "unknown")


@producer
def assets(site: Site):
    yield SiteFile("assets/site.css", site_css, page_key(site, "assets/site.css"))
    yield SiteFile("assets/site.js", lambda: _static("site.js"), page_key(site, "assets/site.js"))
    yield SiteFile("assets/vega.js", vega_bundle, page_key(site, "assets/vega.js", vega_version()))
    # the world map the data side ships (publish/data/countries-110m.json), for the maps drawn by Vega
    yield SiteFile(
        "assets/countries-110m.json",
        COUNTRIES.read_bytes,
        page_key(site, "assets/countries-110m.json", _digest(COUNTRIES)),
    )
