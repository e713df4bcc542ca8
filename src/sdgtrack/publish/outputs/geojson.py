"""``LANG/geojson/countries/indicator_3-2-1.geojson`` (countries, from the shipped outlines) and
``LANG/geojson/regions/indicator_3-2-1.geojson`` (sub-national areas, when a boundary file is given):
one feature per area of the indicator that has an outline, in sdg-build's shape.

Each feature's properties: ``name``, ``geocode`` (the store's area code: a sub-national area's is
the source's GeoCode as written, ``E12000001``), ``disaggregations`` (one object per series of
values: Units, Series, each disaggregation and the source's other columns, ``Observation status``,
``Unit multiplier``, ``Unit measure`` ..., the headline first) and ``values`` (one
``{period: value}`` object per entry of ``disaggregations``).
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
        got = (
            f"a JSON {type(document).__name__}"
            if not isinstance(document, dict)
            else f"type {document.get('type')!r} with {'no' if features == [] else 'no list of'} features"
        )
        raise UserInputError(f"--boundaries {path}: expected a GeoJSON FeatureCollection with features, got {got}")
    best, codes = _best_match(site, features)
    if best is None:
        tried = ", ".join(["the feature id", *sorted(_properties(features))][:8])
        raise UserInputError(
            f"--boundaries {path}: no feature names an area of the store (tried {tried}); expected a "
            "property (or the feature id) holding area codes as `sdgtrack areas list` shows them (RW-1), "
            "their part after the country prefix (1), or area names"
        )
    out = {}
    for feature, code in zip(features, codes):
        if code is not None and isinstance(feature.get("geometry"), dict):
            name = (feature.get("properties") or {}).get("name")
            out[code] = {"type": "Feature", "properties": {"name": name}, "geometry": feature["geometry"]}
    if not out:
        raise UserInputError(
            f"--boundaries {path}: the features naming areas ({best}) have no geometry; expected a Polygon "
            "or MultiPolygon in each feature's `geometry`"
        )
    return out


def _properties(features: list) -> dict[str, list]:
    """Property name -> its value in each feature (None where absent), for text and number values."""
    names: dict[str, None] = {}
    for feature in features:
        for name, value in ((feature.get("properties") or {}) if isinstance(feature, dict) else {}).items():
            if isinstance(value, (str, int)):
                names.setdefault(name, None)
    return {
        name: [(f.get("properties") or {}).get(name) if isinstance(f, dict) else None for f in features]
        for name in names
    }


def _best_match(site: Site, features: list) -> tuple[str | None, list[str | None]]:
    """The property naming most areas, and the area code of each feature by it.

    Each property (and the feature ``id``) is read two ways: as codes or names the store resolves
    (``RW-1``, ``Kigali``), and as the local part of sub-national codes the site shows (``1`` for
    ``RW-1``, as Open SDG data repositories and their boundary files write them). Matches of
    sub-national areas count first: a local ``1`` is also M49's World, which a map of provinces
    does not mean."""
    candidates = {"id": [f.get("id") if isinstance(f, dict) else None for f in features], **_properties(features)}
    local = _local_codes(site)
    best: str | None = None
    codes: list[str | None] = []
    score = (0, 0)
    for name, values in candidates.items():
        texts = ["" if v is None else str(v) for v in values]
        for how, resolved in (
            (name, site.workspace.resolve_area_codes(texts)),
            (f"{name} (local codes)", [local.get(t) for t in texts]),
        ):
            found = [r for r in resolved if r is not None]
            mine = (sum(not r.isdigit() for r in found), len(found))
            if mine > score:
                best, codes, score = how, resolved, mine
    return best, codes


def _local_codes(site: Site) -> dict[str, str]:
    """Local part -> code of the sub-national areas the site has data for (``1`` -> ``RW-1``); a local
    part two countries share is left out (it names neither for sure)."""
    shown = {str(a) for codes in site.coverage()["area_codes"] for a in codes}
    out: dict[str, str | None] = {}
    for code in shown:
        prefix, dash, rest = code.partition("-")
        if dash and rest and prefix.isalpha():
            out[rest] = None if rest in out else code
    return {k: v for k, v in out.items() if v is not None}


def feature_collection(site: Site, code: str, outlines: dict[str, dict]) -> dict:
    table = open_sdg_table(site, code)
    rows = site.rows(code)
    areas = _objects(rows["area"])
    keep = np.flatnonzero(pd.Index(list(outlines)).get_indexer(pd.Index(areas)) >= 0)
    selector = [c for c in table.columns if c not in LEADING + ("Area", "GeoCode", "Value")]
    # one entry per area and combination of selectors (series, unit, disaggregations) and of what the
    # source wrote beside the value (observation status, unit measure and multiplier ...), as sdg-build
    # splits them: the store's key without the period, so each entry's attributes are those of every
    # value in it (3.1.1's "Definition differs" years apart from its "Normal value" ones); in each
    # area the least disaggregated entry first, then as the rows come
    attributes = rows["attributes"].fillna("").astype(str) if "attributes" in rows else ""
    combination = (
        rows["series"].astype(str)
        + "\x1f"
        + rows["unit"].astype(str)
        + "\x1f"
        + rows["dims"].astype(str)
        + "\x1f"
        + attributes
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
