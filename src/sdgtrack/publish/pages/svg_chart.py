"""The no-script chart of an indicator page: one series as a line with points, drawn as SVG text.

What a reader without script (or a crawler, or a printout) sees in the chart tab. It used to be a
Vega-Lite spec rendered by vl-convert, which starts a JavaScript engine per chart: about 45 ms
each, 40% of a UK build. The picture is simple enough to write directly: scales and ticks are
NumPy over the whole series, and the marks are strings made by NumPy's string operations and
joined once, so a chart of any length costs well under a millisecond.

A file per language (``assets/charts/`` for the site's first, ``LANG/charts/`` for the others): the description of what it shows, the unit's name and the yes/no of a binary chart are in
the page's language (``words``: the site's strings, ``common.Strings``); the numbers and the
series' own description are the data's.
"""

from __future__ import annotations

import math
from functools import partial
from typing import Any, Callable, Sequence
from xml.sax.saxutils import escape

import numpy as np

WIDTH, HEIGHT = 640, 300
# plot area inside the picture: room for the title above, tick labels and the unit on the left
LEFT, RIGHT, TOP, BOTTOM = 72, 24, 40, 32
LINE = "#19486a"
TARGET = "#b3261e"
ANNOTATION = "#505a5f"  # the repository's own lines: grey, as Open SDG draws them
GRID = "#dddddd"
TEXT = "#333333"
FONT = "font-family=\"system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif\""


def nice_ticks(low: float, high: float, count: int = 5) -> np.ndarray:
    """Round tick values covering [low, high]: steps of 1, 2 or 5 times a power of ten, about
    ``count`` of them, the first at or below ``low`` and the last at or above ``high``."""
    if not (math.isfinite(low) and math.isfinite(high)):
        raise ValueError(f"tick range must be finite, got {low}..{high}")
    if high < low:
        low, high = high, low
    if high == low:  # one value: a unit range around it (zero-width scales divide by zero)
        half = abs(low) / 2 or 0.5
        low, high = low - half, high + half
    raw = (high - low) / max(count, 1)
    power = 10.0 ** math.floor(math.log10(raw))
    step = power * next(m for m in (1, 2, 5, 10) if m * power >= raw * (1 - 1e-9))
    first = math.floor(low / step + 1e-9) * step
    last = math.ceil(high / step - 1e-9) * step
    ticks = first + step * np.arange(round((last - first) / step) + 1)
    # float steps leave noise (0.30000000000000004): round to the step's decimals
    return np.round(ticks, max(0, -math.floor(math.log10(step))) + 1)


def year_ticks(first: int, last: int, most: int = 10) -> np.ndarray:
    """Whole years from ``first`` to ``last``, every 1, 2, 5, 10 ... years, at most ``most`` ticks."""
    span = max(last - first, 0)
    step = 1
    while span // step + 1 > most:
        step = next(s for s in (2, 5, 10, 20, 50, 100, 1000) if s > step)
    start = math.ceil(first / step) * step
    return np.arange(start, last + 1, step, dtype=int)


def _labels(values: np.ndarray) -> list[str]:
    """Tick labels with as many decimals as the step needs, thousands grouped (``1,500``, ``0.25``)."""
    if len(values) < 2:
        decimals = 0 if len(values) == 0 or float(values[0]).is_integer() else 2
    else:
        step = float(np.min(np.diff(values)))
        decimals = max(0, -math.floor(math.log10(step) + 1e-9)) if step > 0 else 0
    return [f"{v:,.{decimals}f}".replace("-", "\u2212") for v in values.tolist()]


def _number(value: float, decimals: int | None = None) -> str:
    """A value for the target label and the description: at most 6 significant digits, or the
    repository's number of decimals."""
    text = f"{value:,.6g}" if decimals is None else f"{value:,.{decimals}f}"
    return text.replace("-", "\u2212")


def _coords(values: np.ndarray) -> np.ndarray:
    """Pixel positions as short text (one decimal, no trailing ``.0``), for the whole array at once."""
    text = np.round(values, 1).astype(str)
    return np.strings.replace(text, ".0", "") if text.size else text  # type: ignore[attr-defined]


def line_chart(
    years,
    values,
    *,
    title: str,
    unit: str | None = None,
    target: float | None = None,
    target_year: int | None = None,
    kind: str = "line",
    lines: Sequence[tuple[float, str | None]] = (),
    breaks: Sequence[tuple[float, str | None]] = (),
    limits: tuple[float | None, float | None] = (None, None),
    decimals: int | None = None,
    binary_labels: tuple[str, str] = ("Yes", "No"),
    words: Callable[..., str] | None = None,
) -> bytes:
    """The SVG of one series: ``years`` and ``values`` in drawing order (missing values are left
    out), the y axis titled with ``unit``, ``target`` drawn as a dashed horizontal rule.

    The repository's display settings (``store/display.py``): ``kind`` line, bar or binary (bars
    of 1 and -1 on an axis of ``binary_labels``, yes and no); ``lines`` more horizontal rules (value,
    label: target lines, annotations); ``breaks`` vertical rules at a year (series breaks);
    ``limits`` the y axis's minimum and maximum (marks beyond them are cut); ``decimals`` of the
    values written out (the description, the rules' labels). ``words(key, **values)``: the
    description's sentences (keys ``svg_desc``, ``svg_desc_none``, ``svg_desc_target``,
    ``svg_desc_target_by`` of the site's strings), English when not given."""
    x = np.asarray(years, dtype=float)
    y = np.asarray(values, dtype=float)
    keep = np.isfinite(x) & np.isfinite(y)
    x, y = x[keep], y[keep]
    if target is not None and not math.isfinite(target):
        target = None
    lines = [(float(v), text) for v, text in lines if v is not None and math.isfinite(v)]
    breaks = [(float(v), text) for v, text in breaks if v is not None and math.isfinite(v)]
    low_limit, high_limit = limits
    number = partial(_number, decimals=decimals)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    # y: the data, the target, the lines and zero (as the interactive chart: bars read from zero),
    # within the repository's limits when it set them
    span = np.concatenate([y, [0.0], [target] if target is not None else [], [v for v, _ in lines]])
    if kind == "binary":
        span = np.array([-1.0, 1.0])
    low = low_limit if low_limit is not None else float(span.min())
    high = high_limit if high_limit is not None else float(span.max())
    if high <= low:  # a limit beyond every value: the other end from the data's side of it
        low, high = (low, low + abs(low) + 1) if low_limit is not None else (high - abs(high) - 1, high)
    y_ticks = nice_ticks(low, high) if kind != "binary" else np.array([-1.0, 0.0, 1.0])
    y_low = low_limit if low_limit is not None else float(y_ticks[0])
    y_high = high_limit if high_limit is not None else float(y_ticks[-1])
    y_ticks = y_ticks[(y_ticks >= y_low - 1e-9) & (y_ticks <= y_high + 1e-9)]

    def to_y(v: np.ndarray) -> np.ndarray:
        return TOP + plot_h * (1 - (v - y_low) / (y_high - y_low))

    # x: whole years; a single year gets a year of room either side, bars half a step
    bars = kind in ("bar", "binary")
    if len(x):
        x_low, x_high = float(x.min()), float(x.max())
        step = float(np.min(np.diff(np.unique(x)))) if len(np.unique(x)) > 1 else 1.0
        if bars:  # ticks at the bars' years only
            x_ticks = year_ticks(int(math.ceil(x_low)), int(math.floor(x_high)))
            x_low, x_high = x_low - step / 2, x_high + step / 2
        else:
            if x_low == x_high:
                x_low, x_high = x_low - 1, x_high + 1
            x_ticks = year_ticks(int(math.ceil(x_low)), int(math.floor(x_high)))
    else:
        x_low, x_high, step = 0.0, 1.0, 1.0
        x_ticks = np.array([], dtype=int)

    def to_x(v: np.ndarray) -> np.ndarray:
        return LEFT + plot_w * (v - x_low) / (x_high - x_low)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-labelledby="chart-title chart-desc" {FONT} font-size="11">',
        f'<title id="chart-title">{escape(title)}</title>',
        f'<desc id="chart-desc">{escape(_description(x, y, unit, target, target_year, number, words or _english))}</desc>',
        f'<defs><clipPath id="plot"><rect x="{LEFT}" y="{TOP}" width="{plot_w}" height="{plot_h}"/></clipPath></defs>',
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/>',
        f'<text x="8" y="{TOP - 18}" font-size="13" font-weight="bold" fill="{TEXT}">{escape(_short(title))}</text>',
    ]
    # y axis: grid lines and labels at the ticks, the unit as the axis title
    ty = _coords(to_y(y_ticks))
    parts.append(f'<g stroke="{GRID}" stroke-width="1">')
    parts.append("".join((f'<line x1="{LEFT}" x2="{LEFT + plot_w}" y1="' + ty + '" y2="' + ty + '"/>').tolist()))
    parts.append(f'</g><g fill="{TEXT}" text-anchor="end">')
    labels = np.array(_labels(y_ticks), dtype=str)
    if kind == "binary":  # 1 is yes, -1 no (Open SDG's binary chart)
        labels = np.array([escape(binary_labels[1]), "", escape(binary_labels[0])], dtype=str)
    parts.append("".join((f'<text x="{LEFT - 6}" y="' + ty + '" dy="0.32em">' + labels + "</text>").tolist()))
    parts.append("</g>")
    if unit:
        middle = TOP + plot_h / 2
        parts.append(
            f'<text transform="translate(14 {middle:g}) rotate(-90)" text-anchor="middle" fill="{TEXT}">'
            f"{escape(_short(unit, 48))}</text>"
        )
    # x axis: the baseline, a tick and a label at each tick year
    base = TOP + plot_h
    parts.append(f'<line x1="{LEFT}" x2="{LEFT + plot_w}" y1="{base}" y2="{base}" stroke="{TEXT}"/>')
    if len(x_ticks):
        tx = _coords(to_x(x_ticks.astype(float)))
        years_text = x_ticks.astype(str)
        parts.append(f'<g stroke="{TEXT}">')
        parts.append("".join(('<line x1="' + tx + '" x2="' + tx + f'" y1="{base}" y2="{base + 5}"/>').tolist()))
        parts.append(f'</g><g fill="{TEXT}" text-anchor="middle">')
        parts.append("".join(('<text x="' + tx + f'" y="{base + 18}">' + years_text + "</text>").tolist()))
        parts.append("</g>")
    # the target: a dashed rule across the plot, labelled with its year and value
    if target is not None:
        y_target = float(to_y(np.array([target]))[0])
        parts.append(
            f'<line class="target" x1="{LEFT}" x2="{LEFT + plot_w}" y1="{y_target:.1f}" y2="{y_target:.1f}" '
            f'stroke="{TARGET}" stroke-width="2" stroke-dasharray="6 4"/>'
        )
        label = f"{target_year}: {number(target)}" if target_year else number(target)
        parts.append(
            f'<text x="{LEFT + plot_w}" y="{y_target - 5:.1f}" text-anchor="end" fill="{TARGET}">{escape(label)}</text>'
        )
    # the repository's rules: horizontal at a value (target lines, annotations), vertical at a year
    for value, text in lines:
        if not y_low <= value <= y_high:
            continue
        at = float(to_y(np.array([value]))[0])
        label = f"{text}: {number(value)}" if text else number(value)
        parts.append(
            f'<line class="annotation" x1="{LEFT}" x2="{LEFT + plot_w}" y1="{at:.1f}" y2="{at:.1f}" '
            f'stroke="{ANNOTATION}" stroke-width="1.5" stroke-dasharray="6 4"/>'
            f'<text x="{LEFT + 4}" y="{at - 5:.1f}" fill="{ANNOTATION}">{escape(_short(label, 60))}</text>'
        )
    for year, text in breaks:
        if not x_low <= year <= x_high:
            continue
        at = float(to_x(np.array([year]))[0])
        parts.append(
            f'<line class="series-break" x1="{at:.1f}" x2="{at:.1f}" y1="{TOP}" y2="{TOP + plot_h}" '
            f'stroke="{ANNOTATION}" stroke-width="1.5" stroke-dasharray="4 4"/>'
        )
        if text:
            parts.append(f'<text x="{at + 3:.1f}" y="{TOP + 10}" fill="{ANNOTATION}">{escape(_short(text, 30))}</text>')
    # the series as bars from zero (or the lower limit), or one path through the points
    if len(x) and bars:
        width = max(1.0, plot_w * step / (x_high - x_low) * 0.7)
        base_value = min(max(0.0, y_low), y_high)
        lefts = to_x(x) - width / 2
        top, bottom = to_y(np.maximum(y, base_value)), to_y(np.minimum(y, base_value))
        heights = np.maximum(bottom - top, 0.5)
        parts.append(f'<g class="bars" fill="{LINE}" clip-path="url(#plot)">')
        heads = '<rect x="' + _coords(lefts) + '" y="' + _coords(top)
        parts.append("".join((heads + f'" width="{width:.1f}" height="' + _coords(heights) + '"/>').tolist()))
        parts.append("</g>")
    elif len(x):
        px, py = _coords(to_x(x)), _coords(to_y(y))
        steps = np.char.add(np.char.add(px, ","), py)
        parts.append(
            f'<path class="series" d="M{" L".join(steps.tolist())}" fill="none" stroke="{LINE}" stroke-width="2" '
            'clip-path="url(#plot)"/>'
        )
        parts.append(f'<g class="points" fill="{LINE}" clip-path="url(#plot)">')
        parts.append("".join(('<circle cx="' + px + '" cy="' + py + '" r="3"/>').tolist()))
        parts.append("</g>")
    parts.append("</svg>")
    return "".join(parts).encode("utf-8")


def _short(text: str, most: int = 80) -> str:
    return text if len(text) <= most else text[: most - 1].rstrip() + "\u2026"


ENGLISH: dict[str, str | dict[str, str]] = {
    "svg_desc": {"one": "{n} observation, {years}, from {low} to {high}{unit}",
                 "other": "{n} observations, {years}, from {low} to {high}{unit}"},
    "svg_desc_none": "No observations",
    "svg_desc_target": "; target {value}{unit}",
    "svg_desc_target_by": "; target {value}{unit} by {year}",
}  # fmt: skip


def _english(key: str, **values: Any) -> str:
    text = ENGLISH[key]
    form = text["one" if values.get("n") == 1 else "other"] if isinstance(text, dict) else text
    return form.format(**values)


def _description(
    x: np.ndarray,
    y: np.ndarray,
    unit: str | None,
    target: float | None,
    year: int | None,
    number: Callable[[float], str] = _number,
    words: Callable[..., str] = _english,
) -> str:
    """What the chart shows, for a reader of the SVG alone, in the words given."""
    unit_text = f" {unit}" if unit else ""
    if not len(x):
        out = words("svg_desc_none")
    else:
        years = f"{int(x.min())}" if x.min() == x.max() else f"{int(x.min())}\u2013{int(x.max())}"
        low, high = number(float(y.min())), number(float(y.max()))
        out = words("svg_desc", n=len(x), years=years, low=low, high=high, unit=unit_text)
    if target is not None:
        value = number(target)
        out += (
            words("svg_desc_target_by", value=value, unit=unit_text, year=year)
            if year
            else words("svg_desc_target", value=value, unit=unit_text)
        )
    return out
