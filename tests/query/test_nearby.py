"""Nearby: sites around a product and products around a site, checked by brute force
against pyproj's geodesics (never degrees)."""

from __future__ import annotations

import pandas as pd
import pytest
from pyproj import Geod

from landmarks.data.model import AREA_PREFECTURE
from landmarks.data.regions import Regions
from landmarks.query import nearby
from landmarks.query.areas import area_codes
from landmarks.query.geo import geodesic_km, geodesic_km_many, km_text
from tests import synthetic

GEOD = Geod(ellps="WGS84")


def brute_km(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    return float(GEOD.inv(lon1, lat1, lon2, lat2)[2]) / 1000


@pytest.fixture
def data(regions: Regions) -> dict[str, pd.DataFrame]:
    return synthetic.zones_sites_frames(regions)


def test_geodesic_km_is_a_distance_on_the_ground_not_in_degrees() -> None:
    # One degree of longitude at 30°N is about 96.5 km; one of latitude about 110.9 km.
    assert geodesic_km(114.0, 30.0, 115.0, 30.0) == pytest.approx(96.49, abs=0.01)
    assert geodesic_km(114.0, 30.0, 114.0, 31.0) == pytest.approx(110.86, abs=0.01)
    assert geodesic_km(110.5, 31.0, 110.5, 31.0) == 0.0
    many = geodesic_km_many(114.0, 30.0, [115.0, 114.0], [30.0, 31.0])
    assert list(many) == pytest.approx([96.49, 110.86], abs=0.01)
    assert len(geodesic_km_many(114.0, 30.0, [], [])) == 0


def test_km_text_has_one_decimal() -> None:
    assert km_text(12.345) == "12.3 公里"
    assert km_text(0) == "0.0 公里"
    assert km_text(99.96) == "100.0 公里"


@pytest.mark.parametrize("km", [0.5, 20.0, 80.0, 300.0, 2000.0])
def test_sites_near_a_product_equal_a_brute_force_geodesic_check(
    data: dict[str, pd.DataFrame], km: float
) -> None:
    site_table = data["sites"]
    for _, product in data["products"].iterrows():
        found = nearby.sites_near_product(product, site_table, km)
        expected = {
            site.name: brute_km(product["lon"], product["lat"], site.lon, site.lat)
            for site in site_table.itertuples()
            if brute_km(product["lon"], product["lat"], site.lon, site.lat) <= km
        }
        assert set(found["name"]) == set(expected), (product["name"], km)
        for name, distance in zip(found["name"], found["km"], strict=True):
            assert distance == pytest.approx(expected[name], rel=1e-9)
        assert found["km"].is_monotonic_increasing
        assert list(found["km_text"]) == [f"{d:.1f} 公里" for d in found["km"]]


def test_sites_near_a_product_say_when_a_position_is_a_stand_in(
    data: dict[str, pd.DataFrame],
) -> None:
    products = data["products"].set_index("name", drop=False)
    found = nearby.sites_near_product(products.loc["恩施玉露"], data["sites"], 100.0)
    assert "恩施玉露品鉴馆" in set(found["name"])
    # The product itself sits at a stand-in point in its county: every distance approximate.
    assert found["approximate"].all()
    exact = products.loc["恩施玉露"].copy()
    exact["precision"] = "point"
    approximate = nearby.sites_near_product(exact, data["sites"], 100.0).set_index("name")
    assert not approximate.loc["恩施玉露品鉴馆", "approximate"]
    assert approximate.loc["伍家台茶园", "approximate"]


def test_neighbours_share_a_border(regions: Regions) -> None:
    found = {county.name for county in nearby.neighbours(regions, synthetic.XUANEN)}
    assert found == {"恩施市", "咸丰县", "来凤县", "鹤峰县"}
    for county in regions.county_list[:30]:
        for other in nearby.neighbours(regions, county.adcode):
            assert county.adcode in {c.adcode for c in nearby.neighbours(regions, other.adcode)}
            shared = regions.geometry(county.adcode).intersection(regions.geometry(other.adcode))
            assert shared.length > 0


def test_products_near_a_site_are_those_of_its_county_and_its_neighbours(
    data: dict[str, pd.DataFrame], regions: Regions
) -> None:
    products = data["products"]
    site = data["sites"].set_index("name", drop=False).loc["房县香菇小镇"]
    found = nearby.products_near_site(site, products, regions).set_index("name")
    own = {synthetic.FANGXIAN}
    around = {county.adcode for county in nearby.neighbours(regions, synthetic.FANGXIAN)}
    expected = {}
    for product in products.itertuples():
        if product.area_level == AREA_PREFECTURE:
            continue
        codes = set(area_codes(product.area_adcodes))
        if codes & own:
            expected[product.name] = nearby.RELATION_OWN
        elif codes & around:
            expected[product.name] = nearby.RELATION_NEIGHBOUR
    assert found["relation"].to_dict() == expected
    # 房县香菇's area is 房县; 武当道茶's five 十堰 counties include 房县 and its neighbours.
    assert found.loc["房县香菇", "relation"] == nearby.RELATION_OWN
    assert found.loc["武当道茶", "relation"] == nearby.RELATION_OWN
    assert found.loc["武当道茶", "via"] == "房县"
    for name, row in found.iterrows():
        product = products.set_index("name").loc[name]
        assert row["km"] == pytest.approx(
            brute_km(site["lon"], site["lat"], product["lon"], product["lat"]), rel=1e-9
        )
    relations = list(found["relation"])
    assert relations == sorted(relations, key=nearby.RELATIONS.index)


def test_prefecture_wide_products_are_left_out(
    data: dict[str, pd.DataFrame], regions: Regions
) -> None:
    site = data["sites"].set_index("name", drop=False).loc["秭归脐橙文化园"]
    found = nearby.products_near_site(site, data["products"], regions)
    names = set(found["name"])
    assert {"秭归脐橙", "秭归夏橙"} <= names
    assert not names & set(synthetic.PREFECTURE_ONLY)  # 宜昌蜜橘, 宜昌天麻: whole prefecture
    assert set(found.loc[found["name"].isin({"秭归脐橙", "秭归夏橙"}), "relation"]) == {"本县"}


def test_a_site_known_only_by_its_prefecture_gets_the_prefectures_products(
    data: dict[str, pd.DataFrame], regions: Regions
) -> None:
    site = data["sites"].set_index("name", drop=False).loc["武汉地标研学基地"]
    found = nearby.products_near_site(site, data["products"], regions)
    assert set(found["relation"]) == {nearby.RELATION_PREFECTURE}
    assert set(found["name"]) == {"洪山菜薹", synthetic.HOSTILE}
    assert found["approximate"].all()
