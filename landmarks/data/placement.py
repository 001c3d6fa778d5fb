"""Stand-in positions for records known only to county (or prefecture) level.

Each record gets a point drawn from a generator seeded by its name, inside the inner
part of its region: stable across runs and independent of other records, so adding
one product never moves another, and markers of one county do not stack.
"""

from __future__ import annotations

import functools
import zlib

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

_INSET_DEGREES = 0.02
_MAX_DRAWS = 2000


@functools.lru_cache(maxsize=512)
def _inner_part(region: BaseGeometry) -> BaseGeometry:
    """The region without a margin along its border (the region itself if too thin);
    shared by every record of the region, so computed once."""
    inner = region.buffer(-_INSET_DEGREES)
    target = inner if not inner.is_empty and inner.area > region.area * 0.1 else region
    shapely.prepare(target)
    return target


def stand_in_point(region: BaseGeometry, key: str) -> tuple[float, float]:
    """A deterministic (lon, lat) strictly inside ``region`` for the record named ``key``."""
    target = _inner_part(region)
    rng = np.random.default_rng(zlib.crc32(key.encode("utf-8")))
    min_x, min_y, max_x, max_y = target.bounds
    for _ in range(_MAX_DRAWS // 50):
        xs = rng.uniform(min_x, max_x, 50)
        ys = rng.uniform(min_y, max_y, 50)
        inside = shapely.contains_xy(target, xs, ys)
        if inside.any():
            index = int(np.argmax(inside))
            return round(float(xs[index]), 6), round(float(ys[index]), 6)
    point = target.representative_point()
    return round(point.x, 6), round(point.y, 6)
