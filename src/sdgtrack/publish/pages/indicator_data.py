"""One indicator's observations as the page script reads them (``assets/indicators/3-2-1.json``),
and its no-script fallback chart (``assets/charts/3-2-1.svg``), both language-neutral.

The JSON is columnar with dictionary-coded columns (series, area, disaggregation, unit, status,
source, footnote are indices into small lists), so a page of 50,000 observations stays about 1 MB.
"""

from __future__ import annotations

import json
import re

import numpy as np
import pandas as pd

from ..site import Site
from . import svg_chart

_ESCAPES = {"\\5C": "\\", "\\7C": "|", "\\3D": "="}


def parse_dims(dims: str | None) -> dict[str, str]:
    """``Sex=Female|Age=<5Y`` -> {"Sex": "Female", "Age": "<5Y"} (the store's escapes undone)."""
    out = {}
    for pair in (dims or "").split("|"):
        if not pair:
            continue
        name, _, value = pair.partition("=")
        out[_unescape(name)] = _unescape(value)
    return out


def _unescape(text: str) -> str:
    return re.sub(r"\\(5C|7C|3D)", lambda m: _ESCAPES[m.group(0)], text)


def observations(site: Site, code: str) -> pd.DataFrame:
    """Every observation of the indicator (each disaggregation), one dataset per series and area."""
    return site.rows(code)


def _nullable(column: pd.Series) -> list:
    """A column as a list with None for missing (JSON null), in one pass."""
    return column.astype(object).where(column.notna(), None).tolist()


def _codes(column: pd.Series) -> tuple[list[int], list]:
    codes, uniques = pd.factorize(column.astype(object).where(column.notna(), None), use_na_sentinel=True)
    return codes.tolist(), [None if u is None else str(u) for u in uniques]


def indicator_json(site: Site, code: str, series_info: dict[str, dict], targets: dict[str, dict]) -> bytes:
    """The page data: rows of every series (codes into lists), series descriptions, areas, targets."""
    frame = observations(site, code).sort_values(["series", "area", "dims", "unit", "year", "period"], kind="stable")
    s_idx, series = _codes(frame["series"])
    a_idx, areas = _codes(frame["area"])
    d_idx, dims = _codes(frame["dims"].fillna(""))
    u_idx, units = _codes(frame["unit"])
    o_idx, statuses = _codes(frame["obs_status"])
    src_idx, sources = _codes(frame["source"])
    f_idx, notes = _codes(frame["footnote"])
    names = frame.drop_duplicates("area").set_index("area")["area_name"].to_dict()
    values = frame["value"].to_numpy(dtype=float)
    data = {
        "indicator": code,
        "series": [{"code": s, **series_info.get(s, {}), "target": targets.get(s)} for s in series],
        "areas": [[a, names.get(a) or a] for a in areas],
        "dims": [parse_dims(d) for d in dims],
        "units": units,
        "statuses": statuses,
        "sources": sources,
        "footnotes": notes,
        "rows": {
            "s": s_idx,
            "a": a_idx,
            "d": d_idx,
            "u": u_idx,
            "o": o_idx,
            "src": src_idx,
            "fn": f_idx,
            "y": frame["year"].astype(int).tolist(),
            "p": frame["period"].astype(str).tolist(),
            "v": _nullable(pd.Series(np.round(values, 6))),
            "t": _nullable(frame["value_text"]),
            "h": frame["is_headline"].astype(bool).astype(int).tolist(),
        },
    }
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def fallback_svg(rows: pd.DataFrame, title: str, unit: str | None, target: dict | None) -> bytes:
    """The headline series as an SVG line chart (points, the target as a dashed rule): ``svg_chart``."""
    return svg_chart.line_chart(
        rows["year"].to_numpy(dtype=float),
        rows["value"].to_numpy(dtype=float, na_value=np.nan),
        title=title,
        unit=unit or None,
        target=None if not target or target.get("value") is None else float(target["value"]),
        target_year=None if not target else target.get("year"),
    )


def vl_svg(spec: dict) -> bytes:
    """A Vega-Lite spec drawn as SVG by vl-convert (offline): the progress chart, drawn once per site."""
    import vl_convert as vlc

    return vlc.vegalite_to_svg(spec).encode("utf-8")
