"""The base map's geometry as the browser fetches it: counties and prefectures with labels.

Built once per boundary set and published as static files (see ``assets.publish``), so
that no Streamlit rerun carries geometry.  Each feature carries a label point inside its
polygon (the pole of inaccessibility of its largest part) and a rank, larger areas first,
which the browser uses to drop labels that would overlap.  In English each feature also
carries its names as shown (``label``, ``prefecture_label``: with their pinyin), so the
files differ per language; in Chinese the map shows ``name`` itself.

A national map (counties of more than one province) adds a third layer, the provinces,
dissolved from the counties and simplified for country zoom: the browser draws it, with
one aggregate per province, when zoomed out (level of detail, web/gi_map.js).

Deriving the layers takes a while at national scale (label points of ~3,300 polygons,
the provinces' dissolve: seconds), so the result is kept on disk (``cached_base_geometry``)
under a key of the input's content, the language and ``GEOMETRY_VERSION``: a restart
reads it back instead of deriving it again.
"""

from __future__ import annotations

import contextlib
import hashlib
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely
import shapely.ops
from shapely.geometry.base import BaseGeometry

from landmarks import i18n
from landmarks.data.files import write_atomic
from landmarks.data.region import PROJECT_DIR, PROVINCES_BY_CODE
from landmarks.data.regions import Regions

COUNTIES_NAME = "counties.geojson"
PREFECTURES_NAME = "prefectures.geojson"
PROVINCES_NAME = "provinces.geojson"
COORDINATE_DECIMALS = 5
# Province outlines are drawn at country zoom only, where a tolerance of ~2 km is below
# a pixel; coverage simplification keeps neighbours' shared borders shared.
PROVINCE_TOLERANCE = 0.02
# Bump whenever what base_geometry writes changes: every cached derivation is then stale.
GEOMETRY_VERSION = 1
CACHE_DIR = PROJECT_DIR / "var" / "geometry"


@dataclass(frozen=True)
class BaseLayers:
    """Serialised GeoJSON of the base layers (``provinces``: national maps only)."""

    counties: bytes
    prefectures: bytes
    provinces: bytes | None = None


def label_point(geometry: BaseGeometry) -> tuple[float, float]:
    """(lon, lat) of a point well inside the largest part, where a label reads best."""
    parts = getattr(geometry, "geoms", [geometry])
    largest = max(parts, key=lambda part: part.area)
    tolerance = max(largest.length / 400, 1e-4)
    point = shapely.ops.polylabel(largest, tolerance=tolerance)
    return round(point.x, COORDINATE_DECIMALS), round(point.y, COORDINATE_DECIMALS)


def _features(frame: gpd.GeoDataFrame, properties: dict[str, str]) -> bytes:
    """GeoJSON of the given columns (renamed), plus label point and rank, compact UTF-8."""
    shown = frame[[*properties, "geometry"]].rename(columns=properties).copy()
    labels = [label_point(geometry) for geometry in shown.geometry]
    shown["label_lon"] = [lon for lon, _ in labels]
    shown["label_lat"] = [lat for _, lat in labels]
    # Planar degrees are fine here: only the order of the areas matters.
    areas = pd.Series(shapely.area(shown.geometry.to_numpy()), index=shown.index)
    shown["rank"] = areas.rank(ascending=False, method="first").astype(int)
    text = shown.to_json(drop_id=True, to_wgs84=False, ensure_ascii=False, separators=(",", ":"))
    return text.encode("utf-8")


def province_code(county_adcode: str) -> str:
    """The province-level adcode of a county's (its first two digits, then zeros)."""
    return str(county_adcode)[:2] + "0000"


def is_national(regions: Regions) -> bool:
    """True when the counties span more than one province (the whole country)."""
    return regions.counties["adcode"].astype(str).str[:2].nunique() > 1


def provinces_frame(regions: Regions) -> gpd.GeoDataFrame:
    """The provinces (adcode, name, geometry), simplified for country zoom: the region's
    own layer when it has one, else dissolved from the counties."""
    own = getattr(regions, "provinces", None)
    if own is not None and not own.empty:
        frame = own[["adcode", "name", "geometry"]].copy()
    else:
        counties = regions.counties
        codes = counties["adcode"].map(province_code)
        parts = []
        for code, group in counties.groupby(codes, sort=True):
            geometries = group.geometry.to_numpy()
            merged = shapely.coverage_union_all(geometries)
            if not shapely.is_valid(merged):  # not a clean coverage: the general union
                merged = shapely.union_all(geometries)
            name = PROVINCES_BY_CODE.get(str(code), (str(code), ""))[0]
            parts.append({"adcode": str(code), "name": name, "geometry": merged})
        frame = gpd.GeoDataFrame(parts, geometry="geometry", crs=counties.crs)
    simplified = shapely.coverage_simplify(frame.geometry.to_numpy(), PROVINCE_TOLERANCE)
    shaped: gpd.GeoDataFrame = frame.set_geometry(
        gpd.GeoSeries(simplified, index=frame.index, crs=frame.crs)
    )
    return shaped


def base_geometry(regions: Regions) -> BaseLayers:
    """The layers in the current language (English adds the shown names); the provinces
    for a national map only."""
    county_columns = {"adcode": "adcode", "name": "name", "prefecture_name": "prefecture"}
    prefecture_columns = {"adcode": "adcode", "name": "name"}
    counties, prefectures = regions.counties, regions.prefectures
    if i18n.english():
        counties = counties.assign(
            label=counties["name"].map(i18n.name),
            prefecture_label=counties["prefecture_name"].map(i18n.name),
        )
        prefectures = prefectures.assign(label=prefectures["name"].map(i18n.name))
        county_columns |= {"label": "label", "prefecture_label": "prefecture_label"}
        prefecture_columns |= {"label": "label"}
    provinces: bytes | None = None
    if is_national(regions):
        frame = provinces_frame(regions)
        province_columns = {"adcode": "adcode", "name": "name"}
        if i18n.english():
            frame = frame.assign(label=frame["name"].map(i18n.name))
            province_columns |= {"label": "label"}
        provinces = _features(frame, province_columns)
    return BaseLayers(
        counties=_features(counties, county_columns),
        prefectures=_features(prefectures, prefecture_columns),
        provinces=provinces,
    )


def content_key(regions: Regions, language: str) -> str:
    """A digest of what the base layers derive from: the counties' and prefectures'
    attributes and geometry (and the provinces' when the region has its own), the
    language and ``GEOMETRY_VERSION``."""
    digest = hashlib.sha256(f"geometry-v{GEOMETRY_VERSION}|{language}".encode())
    frames = [regions.counties, regions.prefectures]
    own = getattr(regions, "provinces", None)
    if own is not None:
        frames.append(own)
    for frame in frames:
        attributes = frame.drop(columns=frame.geometry.name)
        digest.update(",".join(map(str, attributes.columns)).encode())
        hashed = pd.util.hash_pandas_object(attributes.astype(str), index=False)
        digest.update(hashed.to_numpy().tobytes())
        for wkb in shapely.to_wkb(frame.geometry.to_numpy()):
            digest.update(wkb)
    return digest.hexdigest()[:32]


def _read_cached(folder: Path) -> BaseLayers | None:
    try:
        counties = (folder / COUNTIES_NAME).read_bytes()
        prefectures = (folder / PREFECTURES_NAME).read_bytes()
        marker = (folder / "complete").read_text(encoding="utf-8").strip()
    except OSError:
        return None
    provinces = None
    if marker == "national":
        try:
            provinces = (folder / PROVINCES_NAME).read_bytes()
        except OSError:
            return None
    return BaseLayers(counties=counties, prefectures=prefectures, provinces=provinces)


def cached_base_geometry(regions: Regions, cache_dir: Path = CACHE_DIR) -> BaseLayers:
    """``base_geometry`` in the current language, read from ``cache_dir`` when derived
    before from the same content (``content_key``), else derived and kept there.  A cache
    that cannot be written (a read-only disk) only costs the derivation."""
    folder = cache_dir / content_key(regions, i18n.current_language())
    cached = _read_cached(folder)
    if cached is not None:
        return cached
    layers = base_geometry(regions)
    with contextlib.suppress(OSError):
        folder.mkdir(parents=True, exist_ok=True)
        write_atomic(folder / COUNTIES_NAME, layers.counties)
        write_atomic(folder / PREFECTURES_NAME, layers.prefectures)
        if layers.provinces is not None:
            write_atomic(folder / PROVINCES_NAME, layers.provinces)
        # Written last: a folder without it is an interrupted write, derived again.
        write_atomic(folder / "complete", b"national" if layers.provinces else b"region")
    return layers


def file_names() -> tuple[str, str]:
    """The published names of the two layers: the language's own in English, so that
    each language keeps its files (and its cached URLs)."""
    if i18n.english():
        return "counties-en.geojson", "prefectures-en.geojson"
    return COUNTIES_NAME, PREFECTURES_NAME


def provinces_file_name() -> str:
    """The published name of the provinces' layer in the current language."""
    return "provinces-en.geojson" if i18n.english() else PROVINCES_NAME
