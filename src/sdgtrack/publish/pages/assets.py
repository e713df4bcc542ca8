"""Shared static assets as site files: styles (with the goal colours from data/goals.csv), the page
script, the Vega runtime (vl-convert's bundle: no CDN, no network) and the world map."""

from __future__ import annotations

import os
from functools import lru_cache
from importlib import resources
from pathlib import Path

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


# the snippet puts the three libraries on window, where assets/site.js finds them
VEGA_SNIPPET = "window.vegaEmbed = vegaEmbed; window.vega = vega; window.vegaLite = vegaLite;"


@lru_cache(maxsize=1)
def vega_bundle() -> bytes:
    """Vega, Vega-Lite and vega-embed in one classic script (globals vegaEmbed, vega, vegaLite).

    vl-convert bundles the libraries on each call (about 3 s of CPU, a third of a full UK build), and
    the result depends only on its version and the snippet: the bytes are kept in the user's cache
    folder (``$XDG_CACHE_HOME/sdgtrack``, else ``~/.cache/sdgtrack``) and reused by later builds and
    servers. A cache that cannot be read or written is skipped: the bundle is made again."""
    import vl_convert as vlc

    cached = _bundle_cache_path()
    try:
        data = cached.read_bytes()
        if b"window.vegaLite=" in data[-1000:]:  # the snippet, minified, ends a whole bundle
            return data
    except OSError:
        pass
    data = vlc.javascript_bundle(VEGA_SNIPPET).encode("utf-8")
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        temporary = cached.with_name(f"{cached.name}.{os.getpid()}.tmp")
        temporary.write_bytes(data)
        os.replace(temporary, cached)  # a reader sees the old file or the whole new one
    except OSError:
        pass
    return data


def _bundle_cache_path() -> Path:
    import hashlib

    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    snippet = hashlib.blake2b(VEGA_SNIPPET.encode("utf-8"), digest_size=6).hexdigest()
    return Path(base) / "sdgtrack" / f"vega-bundle-{vega_version()}-{snippet}.js"


def vega_version() -> str:
    import vl_convert as vlc

    return getattr(vlc, "__version__", "unknown")


@producer
def assets(site: Site):
    yield SiteFile("assets/site.css", site_css, page_key(site, "assets/site.css"))
    yield SiteFile("assets/site.js", lambda: _static("site.js"), page_key(site, "assets/site.js"))
    # at the root, where browsers ask for it whatever the page says (tools/build_favicon.py)
    yield SiteFile("favicon.ico", lambda: _static("favicon.ico"), page_key(site, "favicon.ico"))
    yield SiteFile("assets/vega.js", vega_bundle, page_key(site, "assets/vega.js", vega_version()))
    # the world map the data side ships (publish/data/countries-110m.json), for the maps drawn by Vega
    yield SiteFile(
        "assets/countries-110m.json",
        COUNTRIES.read_bytes,
        page_key(site, "assets/countries-110m.json", _digest(COUNTRIES)),
    )
