"""The 南海诸岛 inset of the on-screen map of the whole country (the app's maps, the
offline HTML file, the public page): ``GiMap.inset`` (web/gi_inset.js) draws it in a
corner of the map as a second, still Leaflet map, and puts the 审图号 line in the map's
attribution.  Only the national region has one; its geometry is small (the land of the
coverage inside the inset's frame, simplified, and the 海域 lines: a few kB) and goes
inline with the call, so it needs no file of its own, online or offline.

No matplotlib here (posters draw theirs in ``inset``).
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

import shapely

from landmarks.data import regions_cache
from landmarks.data.region import (
    COUNTIES,
    PROVINCE,
    SOUTH_CHINA_SEA,
    Region,
    current_region,
    map_approval,
)
from landmarks.i18n import N_, t
from landmarks.maps import options as gi
from landmarks.maps.paper import approval_line
from landmarks.query.frame import Bounds

INSET_TITLE = N_("南海诸岛")
# What the inset frames: ((south, west), (north, east)) in degrees.
INSET_BOUNDS: Bounds = ((3.0, 105.0), (25.0, 125.0))
# On screen the line is short: the attribution runs along the map's bottom edge.
SCREEN_APPROVAL_MISSING = N_("审图号未配置 · 仅供内部参考")
SIMPLIFY = 0.05  # degrees (~5 km): under a third of a pixel, the inset being ~120 px for 20°
DIGITS = 2  # 0.01° (~1 km): a twentieth of a pixel
ISLANDS_NORTH = 21.0  # degrees N: islands south of it (南海诸岛, Hainan's) always drawn
MIN_COAST_ISLAND = 0.004  # square degrees (~45 km²): smaller islets further north left out


def screen_approval(region: Region | None = None) -> str:
    """The 审图号 line of the on-screen map of the country."""
    if map_approval():
        return approval_line(region)
    return t(SCREEN_APPROVAL_MISSING)


def inset_options(region: Region | None = None) -> gi.InsetOptions | None:
    """``GiMap.inset``'s options for ``region`` (default: the current one): None unless
    it is the country."""
    region = region or current_region()
    if not region.national:
        return None
    land_path = region.layer_path(PROVINCE)
    if not land_path.exists():  # an older build without the outline: its counties
        land_path = region.layer_path(COUNTIES)
    sea_path = region.layer_path(SOUTH_CHINA_SEA)
    return {
        "title": t(INSET_TITLE),
        "bounds": INSET_BOUNDS,
        "land": _layer(land_path, _mtime(land_path), polygons=True),
        "sea": _layer(sea_path, _mtime(sea_path), polygons=False),
        "approval": screen_approval(region),
    }


def _mtime(path: Path) -> int:
    return path.stat().st_mtime_ns if path.exists() else 0


@lru_cache(maxsize=4)
def _layer(path: Path, mtime: int, *, polygons: bool) -> dict[str, Any]:
    """The part of the layer at ``path`` inside the inset's frame, as one GeoJSON
    geometry (an empty collection when there is no such file)."""
    if not mtime:
        return {"type": "GeometryCollection", "geometries": []}
    (south, west), (north, east) = INSET_BOUNDS
    # The layer's derived copy (kept for load_regions): no GeoJSON parse at a restart.
    frame = regions_cache.read_layer(path).cx[west - 1 : east + 1, south - 1 : north + 1]
    if polygons:  # a coverage (counties) or one outline: dissolved without overlaps
        geometry = shapely.coverage_union_all(frame.geometry.to_numpy())
    else:
        geometry = shapely.union_all(frame.geometry.to_numpy())
    geometry = shapely.clip_by_rect(geometry, west - 1, south - 1, east + 1, north + 1)
    if polygons:
        # The islands of the South China Sea are kept however small; along the coast
        # further north, islets too small to see at the inset's scale are left out.
        parts = shapely.get_parts(geometry)
        keep = [
            part
            for part in parts
            if part.bounds[3] <= ISLANDS_NORTH or part.area >= MIN_COAST_ISLAND
        ]
        geometry = shapely.simplify(shapely.multipolygons(keep), SIMPLIFY, preserve_topology=True)
    geometry = shapely.set_precision(geometry, 10.0**-DIGITS)
    result: dict[str, Any] = json.loads(shapely.to_geojson(geometry))
    return result
