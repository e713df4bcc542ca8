"""``assets/boundaries.geojson``: the sub-national areas of the boundary file (``--boundaries``) that
name areas of the store, for the indicator pages' map tab (drawn by Vega from this file: no CDN).

Each feature keeps its outline and gets the store's area code as its ``id`` (what the page script
joins the page data on) and the store's area name."""

from __future__ import annotations

import json

import numpy as np

from ..outputs.geojson import boundary_features
from ..site import Site, SiteFile, producer
from .common import page_key

PATH = "assets/boundaries.geojson"


def region_codes(site: Site, code: str) -> list[str]:
    """Area codes of indicator ``code`` that the boundary file draws (empty without one)."""
    outlines = boundary_features(site)
    if not outlines:
        return []
    areas = site.coverage()["area_codes"].get(code)
    return sorted({str(a) for a in areas} & set(outlines)) if areas is not None else []


def _render(site: Site) -> bytes:
    outlines = boundary_features(site)
    names = site.workspace.area_names(list(outlines))
    features = [
        {
            "type": "Feature",
            "id": code,
            "properties": {"code": code, "name": names.get(code) or feature["properties"].get("name") or code},
            "geometry": d3_winding(feature["geometry"]),
        }
        for code, feature in sorted(outlines.items())
    ]
    document = {"type": "FeatureCollection", "features": features}
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def d3_winding(geometry: dict) -> dict:
    """The geometry with its rings wound as d3-geo (Vega's map projection) reads them: outer rings
    clockwise, holes counter-clockwise. GeoJSON (RFC 7946) asks the opposite, and d3 reads an outer
    ring the other way round as the whole globe except the area: the map turns into one filled
    rectangle. The planar signed area tells the direction (sub-national areas are small)."""
    kind = geometry.get("type")
    if kind == "Polygon":
        return {**geometry, "coordinates": _polygon(geometry["coordinates"])}
    if kind == "MultiPolygon":
        return {**geometry, "coordinates": [_polygon(p) for p in geometry["coordinates"]]}
    return geometry


def _polygon(rings: list) -> list:
    out = []
    for position, ring in enumerate(rings):
        xy = np.asarray(ring, dtype=float)[:, :2]
        area = float(np.dot(xy[:-1, 0], xy[1:, 1]) - np.dot(xy[1:, 0], xy[:-1, 1])) if len(xy) > 2 else 0.0
        clockwise = area < 0
        # the outer ring (first) clockwise, holes the other way
        out.append(ring if clockwise == (position == 0) else ring[::-1])
    return out


@producer
def boundaries(site: Site):
    if site.options.boundaries and boundary_features(site):
        # the site's key holds the boundary file's digest and the store's areas (their names)
        yield SiteFile(PATH, lambda: _render(site), page_key(site, PATH))
