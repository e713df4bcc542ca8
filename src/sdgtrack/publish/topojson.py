"""Country outlines for the site's maps: the shipped TopoJSON decoded to GeoJSON features.

TopoJSON stores shared borders once as quantized, delta-encoded arcs; a polygon ring lists arc
indexes (``~i`` = arc ``i`` reversed). Decoding is a cumulative sum per arc (NumPy), a scale and a
shift, then rings joined from their arcs (the first point of each next arc repeats the last one).
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import numpy as np

COUNTRIES = Path(__file__).parent / "data" / "countries-110m.json"
DECIMALS = 3  # about 100 m: finer than the 1:110m outlines themselves


def _arcs(topology: dict) -> list[np.ndarray]:
    transform = topology.get("transform")
    arcs = []
    for arc in topology["arcs"]:
        points = np.asarray(arc, dtype=float)[:, :2]
        if transform:
            points = np.cumsum(points, axis=0) * transform["scale"] + transform["translate"]
        arcs.append(np.round(points, DECIMALS))
    return arcs


def _ring(indexes: list[int], arcs: list[np.ndarray]) -> list[list[float]]:
    parts = [arcs[i] if i >= 0 else arcs[~i][::-1] for i in indexes]
    joined = np.concatenate([parts[0]] + [p[1:] for p in parts[1:]]) if parts else np.empty((0, 2))
    return joined.tolist()


def _geometry(geometry: dict, arcs: list[np.ndarray]) -> dict | None:
    kind = geometry.get("type")
    if kind == "Polygon":
        return {"type": "Polygon", "coordinates": [_ring(r, arcs) for r in geometry["arcs"]]}
    if kind == "MultiPolygon":
        return {"type": "MultiPolygon", "coordinates": [[_ring(r, arcs) for r in p] for p in geometry["arcs"]]}
    return None


@lru_cache(maxsize=1)
def country_features() -> dict[str, dict]:
    """Area code (M49 without leading zeros, as the store writes it) -> GeoJSON feature with
    ``properties.name`` (the outline's English name). Outlines without a code are left out."""
    topology = json.loads(COUNTRIES.read_text("utf-8"))
    arcs = _arcs(topology)
    features = {}
    for item in topology["objects"]["countries"]["geometries"]:
        code = str(item.get("id") or "").lstrip("0")
        geometry = _geometry(item, arcs)
        if code and geometry:
            features[code] = {
                "type": "Feature",
                "properties": {"name": item.get("properties", {}).get("name")},
                "geometry": geometry,
            }
    return features
