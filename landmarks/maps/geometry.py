"""The base map's geometry as the browser fetches it: counties and prefectures with labels.

Built once per boundary set and published as static files (see ``assets.publish``), so
that no Streamlit rerun carries geometry.  Each feature carries a label point inside its
polygon (the pole of inaccessibility of its largest part) and a rank, larger areas first,
which the browser uses to drop labels that would overlap.  In English each feature also
carries its names as shown (``label``, ``prefecture_label``: with their pinyin), so the
files differ per language; in Chinese the map shows ``name`` itself.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import pandas as pd
import shapely
import shapely.ops
from shapely.geometry.base import BaseGeometry

from landmarks import i18n
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
    """The two layers in the current language (English adds the shown names)."""
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
    return BaseLayers(
        counties=_features(counties, county_columns),
        prefectures=_features(prefectures, prefecture_columns),
    )


def file_names() -> tuple[str, str]:
    """The published names of the two layers: the language's own in English, so that
    each language keeps its files (and its cached URLs)."""
    if i18n.english():
        return "counties-en.geojson", "prefectures-en.geojson"
    return COUNTIES_NAME, PREFECTURES_NAME
