"""The annex's small pictures: a trend line per indicator, written as SVG directly (one per indicator:
an annex has up to 250, a Vega render each would take most of the annex's time), and PNG copies of
the SVGs for Word and the PDF (vl-convert's resvg, offline)."""

from __future__ import annotations

from html import escape

import numpy as np

WIDTH, HEIGHT, PAD = 140, 36, 4
LINE = "#1f4e79"


def trend_svg(years: np.ndarray, values: np.ndarray, label: str = "") -> str:
    """A line through the points in year order, the first and last marked; blank for no points.
    The y range is the series' own (a trend, not a comparison)."""
    years = np.asarray(years, dtype=float)
    values = np.asarray(values, dtype=float)
    keep = np.isfinite(years) & np.isfinite(values)
    years, values = years[keep], values[keep]
    order = np.argsort(years, kind="stable")
    years, values = years[order], values[order]
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{escape(label)}">'
    )
    if len(values) == 0:
        return head + "</svg>"
    x = _scale(years, PAD, WIDTH - PAD)
    y = _scale(values, HEIGHT - PAD, PAD)
    points = " ".join(f"{a:.1f},{b:.1f}" for a, b in zip(x, y))
    parts = [head]
    if len(values) > 1:
        parts.append(f'<polyline fill="none" stroke="{LINE}" stroke-width="1.5" points="{points}"/>')
    for i in sorted({0, len(values) - 1}):
        parts.append(f'<circle cx="{x[i]:.1f}" cy="{y[i]:.1f}" r="2.5" fill="{LINE}"/>')
    parts.append("</svg>")
    return "".join(parts)


def _scale(v: np.ndarray, lo: float, hi: float) -> np.ndarray:
    span = v.max() - v.min()
    if span == 0:
        return np.full(len(v), (lo + hi) / 2)
    return lo + (v - v.min()) / span * (hi - lo)


def svg_to_png(svg: str, scale: float = 2.0) -> bytes:
    import vl_convert as vlc

    return vlc.svg_to_png(svg, scale=scale)


def chart_svg(spec: dict) -> str:
    import vl_convert as vlc

    return vlc.vegalite_to_svg(spec)


def chart_png(spec: dict, scale: float = 2.0) -> bytes:
    import vl_convert as vlc

    return vlc.vegalite_to_png(spec, scale=scale)
