"""One indicator's observations as the page script reads them (``assets/indicators/3-2-1.json``),
and its no-script fallback chart (``assets/charts/3-2-1.svg``; in each language: ``svg_chart``).

The JSON is columnar with dictionary-coded columns (series, area, disaggregation, unit, status,
source, footnote are indices into small lists), so a page of 50,000 observations stays about 1 MB.
"""

from __future__ import annotations

import json
import re

import numpy as np
import pandas as pd

from .. import code_labels
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


# rows are ordered by these columns (missing last), as a reader scanning the table expects
ORDER = ("series", "area", "dims", "unit", "year", "period")


def _objects(frame: pd.DataFrame, name: str) -> np.ndarray:
    """A column as a NumPy object array (no copy for the object columns a build prefetches)."""
    return frame[name].to_numpy(dtype=object)


def _rank(values: np.ndarray) -> np.ndarray:
    """Sort ranks of a column's values (equal values, equal ranks; missing after every value)."""
    if values.dtype != object:
        return values
    codes, uniques = pd.factorize(values, sort=True, use_na_sentinel=True)
    codes[codes < 0] = len(uniques)
    return codes


def _codes(values: np.ndarray) -> tuple[list[int], list]:
    """Indices into the distinct values in order of first appearance (-1 for missing), and those values."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    return codes.tolist(), [str(u) for u in uniques.tolist()]


def _nullable(values: np.ndarray) -> list:
    """Values as a list with None for missing (JSON null)."""
    out = np.asarray(values, dtype=object).copy()
    out[pd.isna(out)] = None
    return out.tolist()


def indicator_json(site: Site, code: str, series_info: dict[str, dict], targets: dict[str, dict]) -> bytes:
    """The page data: rows of every series (codes into lists), series descriptions, areas, targets.

    Whole columns only: one stable lexicographic sort over the columns' ranks, then each column
    dictionary-coded by ``pd.factorize`` (a DataFrame sort and per-column pandas conversions cost
    more than the rest of the page)."""
    frame = observations(site, code)
    columns = {c: frame[c].to_numpy() if c == "year" else _objects(frame, c) for c in ORDER}
    order = np.lexsort([_rank(columns[c]) for c in reversed(ORDER)])  # last key sorts first
    pick = {c: v[order] for c, v in columns.items()}
    for c in ("area_name", "obs_status", "source", "footnote", "value_text"):
        pick[c] = _objects(frame, c)[order]
    dims = pick["dims"].copy()
    dims[pd.isna(dims)] = ""
    s_idx, series = _codes(pick["series"])
    a_idx, areas = _codes(pick["area"])
    d_idx, dim_values = _codes(dims)
    u_idx, units = _codes(pick["unit"])
    o_idx, statuses = _codes(pick["obs_status"])
    src_idx, sources = _codes(pick["source"])
    f_idx, notes = _codes(pick["footnote"])
    # each area's name as on its first row
    _, first = np.unique(np.asarray(a_idx), return_index=True)
    names = pick["area_name"][first].tolist() if len(first) else []
    values = np.round(frame["value"].to_numpy(dtype=float)[order], 6)
    data = {
        "indicator": code,
        "series": [{"code": s, **series_info.get(s, {}), "target": targets.get(s)} for s in series],
        "areas": [[a, name or a] for a, name in zip(areas, names)],
        "dims": [parse_dims(d) for d in dim_values],
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
            "y": pick["year"].astype(np.int64).tolist(),
            "p": pick["period"].astype(str).tolist(),
            "v": _nullable(values),
            "t": _nullable(pick["value_text"]),
            "h": frame["is_headline"].to_numpy(dtype=bool)[order].astype(int).tolist(),
        },
    }
    data["labels"] = display_labels(data)
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def display_labels(data: dict) -> dict:
    """Names the page shows for the codes of the page data (units, statuses, disaggregations): the
    rows keep the codes, which the selectors match on; see ``publish/code_labels.py``."""
    return {
        "units": code_labels.label_list(code_labels.UNIT, data["units"]),
        "statuses": code_labels.label_list(code_labels.STATUS, data["statuses"]),
        "dims": code_labels.dims_labels(data["dims"]),
    }


def fallback_svg(rows: pd.DataFrame, title: str, unit: str | None, target: dict | None, **settings) -> bytes:
    """The headline series as an SVG chart (points, the target as a dashed rule; the repository's
    chart type, lines, breaks, limits and decimals as ``settings``): ``svg_chart``."""
    return svg_chart.line_chart(
        _positions(rows),
        rows["value"].to_numpy(dtype=float, na_value=np.nan),
        title=title,
        unit=unit or None,
        target=None if not target or target.get("value") is None else float(target["value"]),
        target_year=None if not target else target.get("year"),
        **settings,
    )


def _positions(rows: pd.DataFrame) -> np.ndarray:
    """Where each row sits on the year axis: its year, plus its share of the year when the year has
    several periods (months, quarters) in order, as the page's chart places them (site.js)."""
    years = rows["year"].to_numpy(dtype=float)
    if not len(rows):
        return years
    periods = rows["period"].astype(str)
    # each (year, period) once, numbered in order within its year, then every row's number looked up
    distinct = (
        pd.DataFrame({"year": years, "period": periods.to_numpy()}).drop_duplicates().sort_values(["year", "period"])
    )
    distinct["k"] = distinct.groupby("year").cumcount()
    distinct["m"] = distinct.groupby("year")["period"].transform("size")
    placed = pd.DataFrame({"year": years, "period": periods.to_numpy()}).merge(
        distinct, on=["year", "period"], how="left"
    )
    return years + (placed["k"].to_numpy(dtype=float) / placed["m"].to_numpy(dtype=float))


def vl_svg(spec: dict) -> bytes:
    """A Vega-Lite spec drawn as SVG by vl-convert (offline): the progress chart, drawn once per site."""
    import vl_convert as vlc

    return vlc.vegalite_to_svg(spec).encode("utf-8")
