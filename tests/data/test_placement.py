"""Stand-in positions of records known only to county or prefecture level."""

from __future__ import annotations

import shapely

from landmarks.data.placement import stand_in_point
from landmarks.data.regions import Regions


def test_stand_in_point_is_stable_and_inside(regions: Regions) -> None:
    region = regions.geometry("420527")
    first = stand_in_point(region, "秭归脐橙")
    assert first == stand_in_point(region, "秭归脐橙")
    assert first != stand_in_point(region, "秭归夏橙")
    assert region.contains(shapely.Point(first))
