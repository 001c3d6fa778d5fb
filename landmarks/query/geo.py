"""Distances on the ground: geodesics on the WGS-84 ellipsoid (pyproj), never degrees.

A degree of longitude in Hubei is about 95 km, a degree of latitude about 111 km, so any
distance taken from coordinate differences would be wrong by up to a sixth; every
distance the app shows comes from ``geodesic_km``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from pyproj import Geod

from landmarks.i18n import t

WGS84 = Geod(ellps="WGS84")


def geodesic_km(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """The geodesic distance between two WGS-84 points, in km."""
    _, _, metres = WGS84.inv(lon1, lat1, lon2, lat2)
    return float(metres) / 1000.0


def geodesic_km_many(
    lon: float, lat: float, lons: Sequence[float], lats: Sequence[float]
) -> np.ndarray:
    """Distances in km from one point to each of several points (one vectorised call)."""
    count = len(lons)
    if count == 0:
        return np.zeros(0)
    _, _, metres = WGS84.inv(
        np.full(count, float(lon)),
        np.full(count, float(lat)),
        np.asarray(lons, dtype=float),
        np.asarray(lats, dtype=float),
    )
    return np.asarray(metres, dtype=float) / 1000.0


def km_text(km: float) -> str:
    """A distance as users read it: '12.3 公里' (one decimal)."""
    return t("{km} 公里", km=f"{km:.1f}")
