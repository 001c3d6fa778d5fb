"""Framing: chosen places first, then the filtered products, else the province."""

from __future__ import annotations

import pandas as pd

from landmarks.data.regions import Regions
from landmarks.query.frame import MIN_SPAN, map_frame, province_bounds, region_bounds
from landmarks.query.nearby import neighbours

ZIGUI, YICHANG, ENSHI_CITY = "420527", "420500", "422801"


def points(*lon_lat: tuple[float, float]) -> pd.DataFrame:
    return pd.DataFrame({"lon": [p[0] for p in lon_lat], "lat": [p[1] for p in lon_lat]})


def contains(outer: tuple, inner: tuple) -> bool:
    (s1, w1), (n1, e1) = outer
    (s2, w2), (n2, e2) = inner
    return s1 <= s2 and w1 <= w2 and n1 >= n2 and e1 >= e2


def test_unfiltered_map_frames_the_province(regions: Regions) -> None:
    frame = map_frame(regions, points((110.9, 30.8)), filtered=False)
    assert frame == province_bounds(regions)
    (south, west), (north, east) = frame
    assert 28.9 < south < 29.2 and 33.2 < north < 33.4 and 108.2 < west < 108.5 < 116 < east


def test_chosen_places_win_over_products(regions: Regions) -> None:
    frame = map_frame(regions, points((114.3, 30.6)), places=[ZIGUI], filtered=True)
    assert frame == region_bounds(regions, [ZIGUI])
    assert contains(region_bounds(regions, [YICHANG]), frame)


def test_several_places_are_framed_together(regions: Regions) -> None:
    both = region_bounds(regions, [ZIGUI, ENSHI_CITY])
    assert contains(both, region_bounds(regions, [ZIGUI]))
    assert contains(both, region_bounds(regions, [ENSHI_CITY]))


def test_products_of_one_county_are_framed_with_the_counties_around_it(
    regions: Regions,
) -> None:
    """A one-result search shows the product's county and its neighbours, not a 5 km view."""
    frame = map_frame(regions, points((110.9, 30.8)), filtered=True)
    around = [ZIGUI, *(county.adcode for county in neighbours(regions, ZIGUI))]
    assert len(around) > 3 and frame == region_bounds(regions, around)
    assert contains(frame, region_bounds(regions, [ZIGUI]))
    spread = map_frame(regions, points((109.0, 30.0), (112.0, 31.5)), filtered=True)
    assert spread == ((30.0, 109.0), (31.5, 112.0))


def test_a_route_of_one_county_is_framed_on_its_stops(regions: Regions) -> None:
    """A route's stops within one county are framed close, not with the neighbours."""
    frame = map_frame(regions, points((110.9, 30.8)), filtered=True, neighbours=False)
    (south, west), (north, east) = frame
    assert round(north - south, 4) == MIN_SPAN and round(east - west, 4) == MIN_SPAN


def test_a_product_outside_the_counties_is_framed_with_a_minimum_span(regions: Regions) -> None:
    (south, west), (north, east) = map_frame(regions, points((120.0, 40.0)), filtered=True)
    assert round(north - south, 4) == MIN_SPAN and round(east - west, 4) == MIN_SPAN


def test_empty_result_and_unknown_places_fall_back_to_the_province(regions: Regions) -> None:
    empty = points().astype(float)
    assert map_frame(regions, empty, filtered=True) == province_bounds(regions)
    assert map_frame(regions, empty, places=["999999"], filtered=True) == province_bounds(regions)
