"""Which area the map should frame: the filtered products, chosen places, or a selection."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd
import shapely

from landmarks.data.regions import Regions

Bounds = tuple[tuple[float, float], tuple[float, float]]  # ((south, west), (north, east))
# Less than this (degrees) would zoom a single product in to street level.
MIN_SPAN = 0.3
DECIMALS = 4


def _bounds(min_x: float, min_y: float, max_x: float, max_y: float) -> Bounds:
    min_x, min_y, max_x, max_y = (float(v) for v in (min_x, min_y, max_x, max_y))
    grow_x = max(0.0, MIN_SPAN - (max_x - min_x)) / 2
    grow_y = max(0.0, MIN_SPAN - (max_y - min_y)) / 2
    return (
        (round(min_y - grow_y, DECIMALS), round(min_x - grow_x, DECIMALS)),
        (round(max_y + grow_y, DECIMALS), round(max_x + grow_x, DECIMALS)),
    )


def province_bounds(regions: Regions) -> Bounds:
    return _bounds(*regions.counties.total_bounds)


def region_bounds(regions: Regions, adcodes: Iterable[str]) -> Bounds | None:
    """The bounds of counties or prefectures by adcode (unknown codes are skipped)."""
    known = [regions.geometry(code) for code in adcodes if regions.has_geometry(code)]
    if not known:
        return None
    return _bounds(*shapely.total_bounds(known))


def _county_with_neighbours(regions: Regions, products: pd.DataFrame) -> Bounds | None:
    """When every product stands in one county: that county and the counties around it,
    so a single result is seen in its place rather than at street level."""
    points = [
        shapely.Point(lon, lat) for lon, lat in zip(products["lon"], products["lat"], strict=True)
    ]
    counties = regions.counties
    holding = [
        shape for shape in counties.geometry if all(shape.intersects(point) for point in points)
    ]
    if len(holding) != 1:
        return None
    around = counties.geometry[counties.geometry.intersects(holding[0])]
    shapes: list[shapely.Geometry] = [*around.tolist(), *points]
    return _bounds(*shapely.total_bounds(shapes))


def map_frame(
    regions: Regions,
    products: pd.DataFrame,
    *,
    places: Iterable[str] = (),
    filtered: bool = False,
    neighbours: bool = True,
) -> Bounds:
    """The chosen places (county or prefecture adcodes) if any, else the products when the
    list is filtered (those of one county with the counties around it, unless
    ``neighbours`` is false: a route's stops are framed close), else the whole province."""
    chosen = region_bounds(regions, places)
    if chosen is not None:
        return chosen
    if filtered and not products.empty:
        around = _county_with_neighbours(regions, products) if neighbours else None
        if around is not None:
            return around
        return _bounds(
            float(products["lon"].min()),
            float(products["lat"].min()),
            float(products["lon"].max()),
            float(products["lat"].max()),
        )
    return province_bounds(regions)
