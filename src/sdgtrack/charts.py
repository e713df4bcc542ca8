"""Rendering Vega-Lite charts to files, offline: the one place every analysis's charts go through.

``.svg`` and ``.png`` come from vl-convert; ``.html`` is a self-contained page (``bundle=True``
inlines the Vega libraries: it works offline, no CDN).
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from .errors import UserInputError

CHART_SUFFIXES = (".svg", ".png", ".html")


def render(chart, path: str | Path, *, page: Callable[[str], str] | None = None) -> Path:
    """Write an Altair chart (or a Vega-Lite spec dict) to ``path``, by its suffix.

    ``page`` may wrap the generated HTML (e.g. to add a table under the chart). A bad suffix is
    refused before anything is rendered or written.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in CHART_SUFFIXES:
        raise UserInputError(f"chart file {path}: expected a name ending in {', '.join(CHART_SUFFIXES)}")
    import vl_convert as vlc

    spec = chart.to_dict() if hasattr(chart, "to_dict") else chart
    try:
        if suffix == ".svg":
            path.write_text(vlc.vegalite_to_svg(spec), encoding="utf-8")
        elif suffix == ".png":
            path.write_bytes(vlc.vegalite_to_png(spec, scale=2))
        else:
            html = vlc.vegalite_to_html(spec, bundle=True)
            path.write_text(page(html) if page else html, encoding="utf-8")
    except OSError as exc:
        raise UserInputError(f"cannot write {path}: {exc}") from None
    return path
