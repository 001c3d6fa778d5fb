"""Projection and framing of a printed map (posters, briefs).

The map is drawn in a Lambert conformal conic projection centred on the view, its two
standard parallels at a sixth of the view's height from its edges: over Hubei the scale
varies by less than 0.1 %.  The axes are fitted to the framed area in true shape (a map
metre is as long across as up), growing one side so that the box is filled.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
from matplotlib.axes import Axes

from landmarks.maps.ink import root
from landmarks.query.frame import Bounds


def view_crs(bounds: Bounds) -> pyproj.CRS:
    """Lambert conformal conic centred on ``bounds`` ((south, west), (north, east))."""
    (south, west), (north, east) = bounds
    height = max(north - south, 0.2)
    middle = (south + north) / 2
    return pyproj.CRS.from_dict(
        {
            "proj": "lcc",
            "lat_1": round(middle - height / 3, 4),
            "lat_2": round(middle + height / 3, 4),
            "lat_0": round(middle, 4),
            "lon_0": round((west + east) / 2, 4),
            "ellps": "GRS80",  # CGCS2000's ellipsoid
            "units": "m",
            "no_defs": True,
        }
    )


def projected(frame: gpd.GeoDataFrame, crs: pyproj.CRS) -> gpd.GeoDataFrame:
    """``frame``'s geometry in ``crs``."""
    return frame.to_crs(crs)


def points(frame: pd.DataFrame, crs: pyproj.CRS) -> tuple[np.ndarray, np.ndarray]:
    """The rows' ``lon``/``lat`` (WGS-84) in ``crs``: x and y arrays."""
    transformer = pyproj.Transformer.from_crs("EPSG:4326", crs, always_xy=True)
    x, y = transformer.transform(
        frame["lon"].astype(float).to_numpy(), frame["lat"].astype(float).to_numpy()
    )
    return np.asarray(x), np.asarray(y)


def projected_extent(
    bounds: Bounds, crs: pyproj.CRS, margin: float = 0.03
) -> tuple[float, float, float, float]:
    """(min_x, max_x, min_y, max_y) of ``bounds`` in ``crs``, with a margin around."""
    (south, west), (north, east) = bounds
    transformer = pyproj.Transformer.from_crs("EPSG:4326", crs, always_xy=True)
    grid_lon, grid_lat = np.meshgrid(np.linspace(west, east, 9), np.linspace(south, north, 9))
    x, y = transformer.transform(grid_lon.ravel(), grid_lat.ravel())
    min_x, max_x = float(np.min(x)), float(np.max(x))
    min_y, max_y = float(np.min(y)), float(np.max(y))
    pad_x, pad_y = (max_x - min_x) * margin, (max_y - min_y) * margin
    return min_x - pad_x, max_x + pad_x, min_y - pad_y, max_y + pad_y


def frame_aspect(bounds: Bounds) -> float:
    """Height over width of the framed area as drawn."""
    min_x, max_x, min_y, max_y = projected_extent(bounds, view_crs(bounds))
    return (max_y - min_y) / (max_x - min_x)


def frame_limits(ax: Axes, bounds: Bounds, crs: pyproj.CRS, margin: float = 0.03) -> None:
    """Fit the axes to ``bounds`` (projected), keeping true shape: the box is filled."""
    min_x, max_x, min_y, max_y = projected_extent(bounds, crs, margin)
    # Grow one side so that a map metre is as long across as up: the box is filled.
    box = ax.get_position()
    fig_width, fig_height = root(ax).get_size_inches()
    box_ratio = (box.height * fig_height) / (box.width * fig_width)
    width, height = max_x - min_x, max_y - min_y
    if height / width < box_ratio:
        grow = (width * box_ratio - height) / 2
        min_y, max_y = min_y - grow, max_y + grow
    else:
        grow = (height / box_ratio - width) / 2
        min_x, max_x = min_x - grow, max_x + grow
    ax.set_xlim(min_x, max_x)
    ax.set_ylim(min_y, max_y)
    ax.set_aspect("equal", adjustable="box")
