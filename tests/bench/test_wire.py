"""Where the benchmark clicks a county: inside it, away from its markers."""

from __future__ import annotations

import numpy as np
import shapely
from shapely.geometry import Point, box

from bench import data, run
from bench.wire import clear_points


def test_the_click_keeps_away_from_markers_a_canvas_map_draws() -> None:
    county = box(0, 0, 10, 10)
    alone = clear_points(county, np.empty((0, 2)))
    lat, lng = alone[0]
    assert Point(lng, lat).distance(Point(5, 5)) < 1.5  # the innermost point
    marker = np.array([[lng, lat]])
    lat, lng = clear_points(county, marker)[0]
    assert shapely.contains_xy(county, lng, lat)
    assert Point(lng, lat).distance(Point(marker[0])) > 1  # a tenth of the county: far off


def test_each_clicked_county_knows_its_adcode_and_the_markers_near_it() -> None:
    hubei = data.Scale("hubei", "湖北", data.CACHE_DIR / "x", None, data.CACHE_DIR / "y")
    regions = hubei.regions()
    enshi = regions.counties[regions.counties["name"] == "恩施市"].geometry.iloc[0]
    inside = enshi.representative_point()
    products = {"products": run.pd.DataFrame({"lon": [inside.x, 100.0], "lat": [inside.y, 20.0]})}
    (county,) = run.click_counties(regions, 1, products)
    assert (county.name, county.adcode) == ("恩施市", "422801")
    assert county.markers.tolist() == [[inside.x, inside.y]]  # the far one is left out
