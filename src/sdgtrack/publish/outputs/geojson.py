"""``LANG/geojson/countries/indicator_3-2-1.geojson`` (countries, from the shipped outlines) and
``LANG/geojson/regions/indicator_3-2-1.geojson`` (sub-national areas, when a boundary file is given):
one feature per area of the indicator that has an outline, in sdg-build's shape.

Each feature's properties: ``name``, ``geocode`` (the store's area code), ``disaggregations`` (one
object per series of values: Units, Series and each disaggregation, the headline first) and
``values`` (one ``{period: value}`` object per entry of ``disaggregations``).
A boundary file is a GeoJSON FeatureCollection; the property that names the store's areas (by code,
ISO code or name) is found by trying each one, and the file is refused when none does.
"""

from __future__ import annotations

import json
from functools import partial
from pathlib import Path
from typing import Iterator

import numpy as np
import pandas as pd

from ...errors import UserInputError
from ..site import Site, SiteFile, producer, slug
from ..topojson import country_features
from .tables import LEADING, _objects, dump, open_sdg_table


def boundary_features(site: Site) -> dict[str, dict]:
    """Area code -> feature of the boundary file given (``SiteOptions.boundaries``), {} when none."""
    path = site.options.boundaries
    if not path:
        return {}
    return site.memo("_boundaries", lambda: read_boundaries(site, Path(path)))  # type: ignore[return-value]


def read_boundaries(site: Site, path: Path) -> dict[str, dict]:
    try:
        document = json.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        raise UserInputError(f"--boundaries {path}: no such file") from None
    except IsADirectoryError:
        raise UserInputError(f"--boundaries {path}: is a folder; expected a GeoJSON file") from None
    except UnicodeDecodeError:
        raise UserInputError(f"--boundaries {path}: not UTF-8 text; expected a GeoJSON file") from None
    except json.JSONDecodeError as exc:
        raise UserInputError(
            f"--boundaries {path}, line {exc.lineno}, column {exc.colno}: {exc.msg}; expected a GeoJSON file"
        ) from None
    except OSError as exc:
        raise UserInputError(
            f"--boundaries {path}: cannot read it ({exc.strerror or exc}); expected a GeoJSON file"
        ) from None
    features = document.get("features") if isinstance(document, dict) else None
    if not isinstance(features, list) or not features:
        raise UserInputError(
            f"--boundaries {path}: expected a GeoJSON FeatureCollection with features, got "
            f"{type(document).__name__ if not isinstance(document, dict) else document.get('type')!r}"
        )
    candidates: dict[str, list] = {"id": [f.get("id") if isinstance(f, dict) else None for f in features]}
    for feature in features:
        for name, value in ((feature.get("properties") or {}) if isinstance(feature, dict) else {}).items():
            if isinstance(value, (str, int)):
                candidates.setdefault(name, [])
    for name in list(candidates)[1:]:
        candidates[name] = [(f.get("properties") or {}).get(name) if isinstance(f, dict) else None for f in features]
    best: str | None = None
    codes: list[str | None] = []
    for name, values in candidates.items():
        texts = ["" if v is None else str(v) for v in values]
        resolved = site.workspace.resolve_area_codes(texts)
        if sum(r is not None for r in resolved) > sum(c is not None for c in codes):
            best, codes = name, resolved
    if best is None:
        raise UserInputError(
            f"--boundaries {path}: no feature names an area of the store; expected a property "
            "holding area codes (as `sdgtrack areas list` shows them, e.g. RW-1) or names"
        )
    out = {}
    for feature, code in zip(features, codes):
        if code is not None and isinstance(feature.get("geometry"), dict):
            name = (feature.get("properties") or {}).get("name")
            out[code] = {"type": "Feature", "properties": {"name": name}, "geometry": feature["geometry"]}
    return out


def feature_collection(site: Site, code: str, outlines: dict[str, dict]) -> dict:
    table = open_sdg_table(site, code)
    rows = site.rows(code)
    areas = _objects(rows["area"])
    keep = np.flatnonzero(pd.Index(list(outlines)).get_indexer(pd.Index(areas)) >= 0)
    selector = [c for c in table.columns if c not in LEADING + ("Area", "GeoCode", "Value")]
    # one entry per area and combination of selectors (series, unit, disaggregations): the store's
    # key without the period; in each area the least disaggregated entry first, then as the rows come
    combination = (
        rows["series"].astype(str) + "\x1f" + rows["unit"].astype(str) + "\x1f" + rows["dims"].astype(str)
    ).to_numpy(dtype=object)[keep]
    group, _ = pd.factorize(combination)
    depth = rows["dims"].astype(str).str.count("=").to_numpy()[keep]
    area_code, area_list = pd.factorize(areas[keep], sort=True)
    order = np.lexsort((np.arange(len(keep)), group, depth, area_code))
    group, area_code, rows_at = group[order], area_code[order], keep[order]
    cut = (
        np.r_[True, (group[1:] != group[:-1]) | (area_code[1:] != area_code[:-1])]
        if len(order)
        else np.array([], dtype=bool)
    )
    starts = np.flatnonzero(cut)
    ends = np.r_[starts[1:], len(order)].astype(int)
    first = rows_at[starts]
    chosen = list(zip(*[table.columns[c][first].tolist() for c in selector])) if len(first) else []
    years = [str(y) for y in table.columns["Year"][rows_at].tolist()]
    numbers = [None if v != v else v for v in table.columns["Value"][rows_at].tolist()]
    names = dict(zip(areas.tolist(), _objects(rows["area_name"]).tolist()))
    by_area: dict[int, tuple[list, list]] = {}
    for start, end, selection in zip(starts.tolist(), ends.tolist(), chosen):
        entry = by_area.setdefault(int(area_code[start]), ([], []))
        entry[0].append(dict(zip(selector, selection)))
        entry[1].append(dict(zip(years[start:end], numbers[start:end])))
    features = []
    for position, (disaggregations, values) in sorted(by_area.items()):
        area = area_list[position]
        outline = outlines[area]
        features.append(
            {
                "type": "Feature",
                "geometry": outline["geometry"],
                "properties": {
                    "name": names.get(area) or outline["properties"].get("name"),
                    "geocode": area,
                    "disaggregations": disaggregations,
                    "values": values,
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


def _render(site: Site, code: str, outlines: dict[str, dict]) -> bytes:
    return dump(feature_collection(site, code, outlines))


def _layers(site: Site) -> list[tuple[str, dict[str, dict]]]:
    layers = [("countries", country_features())]
    regions = boundary_features(site)
    if regions:
        layers.append(("regions", regions))
    return layers


@producer
def maps(site: Site) -> Iterator[SiteFile]:
    layers = _layers(site)
    area_codes = {str(c): {str(a) for a in codes} for c, codes in site.coverage()["area_codes"].items()}
    for code in site.indicators():
        areas = area_codes.get(code, set())
        for layer, outlines in layers:
            if not areas & set(outlines):
                continue
            key = site.key("geojson", layer, site.indicator_key(code))
            for lang in site.options.langs:
                yield SiteFile(
                    f"{lang}/geojson/{layer}/indicator_{slug(code)}.geojson",
                    partial(_render, site, code, outlines),
                    key,
                    about=code,
                )
