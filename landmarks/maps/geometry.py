"""The base map's geometry as the browser fetches it: counties and prefectures with labels.

Built once per boundary set and published as static files (see ``assets.publish``), so
that no Streamlit rerun carries geometry.  Each feature carries a label point inside its
polygon (the pole of inaccessibility of its largest part) and a rank, larger areas first,
which the browser uses to drop labels that would overlap.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import pandas as pd
import shapely
import shapely.ops
from shapely.geometry.base import BaseGeometry

from landmarks.data.regions import Regions

COUNTIES_NAME = "counties.geojson"
PREFECTURES_NAME = "prefectures.geojson"
COORDINATE_DECIMALS = 5


@dataclass(frozen=True)
class BaseLayers:
    """Serialised GeoJSON of the two base layers."""

    counties: bytes
    prefectures: bytes


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


def base_geometry(regions: Regions) -> BaseLayers:
    counties = _features(
        regions.counties, {"adcode": "adcode", "name": "name", "prefecture_name": "prefecture"}
    )
    prefectures = _features(regions.prefectures, {"adcode": "adcode", "name": "name"})
    return BaseLayers(counties=counties, prefectures=prefectures)
