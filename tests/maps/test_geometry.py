"""Base geometry published for the browser: labels inside their areas, nothing else."""

from __future__ import annotations

import json

import shapely
from shapely.geometry import shape

from landmarks.data.regions import Regions
from landmarks.maps.geometry import base_geometry, label_point


def test_label_point_lies_inside_a_concave_polygon() -> None:
    # A U shape: its centroid falls in the notch, outside the polygon.
    u_shape = shapely.Polygon([(0, 0), (3, 0), (3, 3), (2, 3), (2, 1), (1, 1), (1, 3), (0, 3)])
    assert not u_shape.contains(u_shape.centroid)
    lon, lat = label_point(u_shape)
    assert u_shape.contains(shapely.Point(lon, lat))


def test_label_point_uses_the_largest_part() -> None:
    parts = shapely.MultiPolygon([shapely.box(0, 0, 0.1, 0.1), shapely.box(5, 5, 7, 7)])
    lon, lat = label_point(parts)
    assert shapely.box(5, 5, 7, 7).contains(shapely.Point(lon, lat))


def test_every_county_and_prefecture_has_a_label_inside_and_a_unique_rank(
    regions: Regions,
) -> None:
    layers = base_geometry(regions)
    for payload, count in (
        (layers.counties, len(regions.counties)),
        (layers.prefectures, len(regions.prefectures)),
    ):
        features = json.loads(payload)["features"]
        assert len(features) == count
        ranks = sorted(f["properties"]["rank"] for f in features)
        assert ranks == list(range(1, count + 1))
        for feature in features:
            p = feature["properties"]
            assert shape(feature["geometry"]).contains(
                shapely.Point(p["label_lon"], p["label_lat"])
            )
    counties = json.loads(layers.counties)["features"]
    assert set(counties[0]["properties"]) == {
        "adcode",
        "name",
        "prefecture",
        "label_lon",
        "label_lat",
        "rank",
    }


def test_largest_area_ranks_first(regions: Regions) -> None:
    features = json.loads(base_geometry(regions).prefectures)["features"]
    first = next(f for f in features if f["properties"]["rank"] == 1)
    largest = max(features, key=lambda f: shape(f["geometry"]).area)
    assert first["properties"]["adcode"] == largest["properties"]["adcode"]
