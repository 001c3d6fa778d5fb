"""A selected product's area: which counties the map draws, and the frame around them."""

from __future__ import annotations

import pandas as pd
import shapely

from landmarks.data.regions import Regions
from landmarks.query.frame import map_frame, province_bounds
from landmarks.query.selection import Selection, selected_area
from tests.synthetic import PREFECTURE_ONLY, SHIYAN, WUDANG_SCOPE, YICHANG

Tables = dict[str, pd.DataFrame]


def test_a_multi_county_product_selects_its_counties(tables: Tables) -> None:
    area = selected_area(tables["products"], Selection(product="武当道茶"))
    assert sorted(area) == sorted(WUDANG_SCOPE)


def test_a_prefecture_product_selects_every_county_of_its_prefecture(
    tables: Tables, regions: Regions
) -> None:
    area = selected_area(tables["products"], Selection(product=PREFECTURE_ONLY[0]))
    assert sorted(area) == sorted(county.adcode for county in regions.counties_of(YICHANG))


def test_no_area_for_a_county_product_an_unknown_one_or_none(tables: Tables) -> None:
    products = tables["products"]
    assert selected_area(products, Selection(product="秭归脐橙", county="420527")) == ()
    assert selected_area(products, Selection(product="不存在的产品")) == ()
    assert selected_area(products, Selection(county="420527")) == ()
    assert selected_area(products, Selection()) == ()


def test_the_frame_of_a_multi_county_product_is_the_union_of_its_counties(
    tables: Tables, regions: Regions
) -> None:
    area = selected_area(tables["products"], Selection(product="武当道茶"))
    frame = map_frame(regions, tables["products"], places=area, filtered=True)
    union = shapely.union_all([regions.geometry(code) for code in WUDANG_SCOPE])
    west, south, east, north = union.bounds
    (f_south, f_west), (f_north, f_east) = frame
    for got, wanted in ((f_south, south), (f_west, west), (f_north, north), (f_east, east)):
        assert abs(got - wanted) < 1e-3, (frame, union.bounds)
    # Five of 十堰市's eight counties: neither the prefecture nor the province.
    prefecture = map_frame(regions, tables["products"], places=[SHIYAN])
    assert frame != prefecture and frame != province_bounds(regions)
    wudang = tables["products"].set_index("name").loc["武当道茶"]
    assert f_west <= wudang["lon"] <= f_east and f_south <= wudang["lat"] <= f_north
