"""Conversions between WGS-84 and GCJ-02 (the obfuscated datum used by Chinese map providers).

All functions are numpy-vectorised: they accept Python scalars or arrays and return
results of the same shape (floats for scalar input).
"""

from __future__ import annotations

from typing import TypeVar, overload

import numpy as np
import numpy.typing as npt
import shapely

FloatArray = npt.NDArray[np.float64]
GeomT = TypeVar("GeomT", shapely.Geometry, npt.NDArray[np.object_])

_A = 6378245.0  # Krasovsky 1940 semi-major axis used by GCJ-02
_EE = 0.00669342162296594323  # first eccentricity squared of the same ellipsoid

_INVERSE_TOLERANCE = 1e-9  # degrees (~0.1 mm)
_INVERSE_MAX_ITERATIONS = 30


def _delta_lat(x: FloatArray, y: FloatArray) -> FloatArray:
    ret = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * np.sqrt(np.abs(x))
    ret += (20.0 * np.sin(6.0 * x * np.pi) + 20.0 * np.sin(2.0 * x * np.pi)) * 2.0 / 3.0
    ret += (20.0 * np.sin(y * np.pi) + 40.0 * np.sin(y / 3.0 * np.pi)) * 2.0 / 3.0
    ret += (160.0 * np.sin(y / 12.0 * np.pi) + 320.0 * np.sin(y * np.pi / 30.0)) * 2.0 / 3.0
    return ret


def _delta_lon(x: FloatArray, y: FloatArray) -> FloatArray:
    ret = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * np.sqrt(np.abs(x))
    ret += (20.0 * np.sin(6.0 * x * np.pi) + 20.0 * np.sin(2.0 * x * np.pi)) * 2.0 / 3.0
    ret += (20.0 * np.sin(x * np.pi) + 40.0 * np.sin(x / 3.0 * np.pi)) * 2.0 / 3.0
    ret += (150.0 * np.sin(x / 12.0 * np.pi) + 300.0 * np.sin(x / 30.0 * np.pi)) * 2.0 / 3.0
    return ret


def _forward(lon: FloatArray, lat: FloatArray) -> tuple[FloatArray, FloatArray]:
    dlat = _delta_lat(lon - 105.0, lat - 35.0)
    dlon = _delta_lon(lon - 105.0, lat - 35.0)
    radlat = lat / 180.0 * np.pi
    magic = 1.0 - _EE * np.sin(radlat) ** 2
    sqrtmagic = np.sqrt(magic)
    dlat = (dlat * 180.0) / ((_A * (1.0 - _EE)) / (magic * sqrtmagic) * np.pi)
    dlon = (dlon * 180.0) / (_A / sqrtmagic * np.cos(radlat) * np.pi)
    return lon + dlon, lat + dlat


def _inverse(lon: FloatArray, lat: FloatArray) -> tuple[FloatArray, FloatArray]:
    target_lon = lon.ravel()
    target_lat = lat.ravel()
    wgs_lon = target_lon.copy()
    wgs_lat = target_lat.copy()
    active = np.arange(target_lon.size)
    for _ in range(_INVERSE_MAX_ITERATIONS):
        gcj_lon, gcj_lat = _forward(wgs_lon[active], wgs_lat[active])
        err_lon = gcj_lon - target_lon[active]
        err_lat = gcj_lat - target_lat[active]
        wgs_lon[active] -= err_lon
        wgs_lat[active] -= err_lat
        # Convergence is decided per point, so a vertex shared by two polygons maps to
        # bit-identical output regardless of which array it was converted in.
        active = active[np.maximum(np.abs(err_lon), np.abs(err_lat)) >= _INVERSE_TOLERANCE]
        if active.size == 0:
            break
    return wgs_lon.reshape(lon.shape), wgs_lat.reshape(lat.shape)


def _as_arrays(lon: npt.ArrayLike, lat: npt.ArrayLike) -> tuple[FloatArray, FloatArray]:
    lon_arr, lat_arr = np.broadcast_arrays(
        np.asarray(lon, dtype=np.float64), np.asarray(lat, dtype=np.float64)
    )
    return lon_arr.copy(), lat_arr.copy()


@overload
def wgs84_to_gcj02(lon: float, lat: float) -> tuple[float, float]: ...
@overload
def wgs84_to_gcj02(lon: npt.ArrayLike, lat: npt.ArrayLike) -> tuple[FloatArray, FloatArray]: ...
def wgs84_to_gcj02(
    lon: npt.ArrayLike, lat: npt.ArrayLike
) -> tuple[FloatArray | float, FloatArray | float]:
    """Apply the standard WGS-84 -> GCJ-02 obfuscation (no out-of-China passthrough)."""
    lon_arr, lat_arr = _as_arrays(lon, lat)
    out_lon, out_lat = _forward(lon_arr, lat_arr)
    return _restore(out_lon, lon, lat), _restore(out_lat, lon, lat)


@overload
def gcj02_to_wgs84(lon: float, lat: float) -> tuple[float, float]: ...
@overload
def gcj02_to_wgs84(lon: npt.ArrayLike, lat: npt.ArrayLike) -> tuple[FloatArray, FloatArray]: ...
def gcj02_to_wgs84(
    lon: npt.ArrayLike, lat: npt.ArrayLike
) -> tuple[FloatArray | float, FloatArray | float]:
    """Invert wgs84_to_gcj02 by fixed-point iteration to < 1e-9 degrees."""
    lon_arr, lat_arr = _as_arrays(lon, lat)
    out_lon, out_lat = _inverse(lon_arr, lat_arr)
    return _restore(out_lon, lon, lat), _restore(out_lat, lon, lat)


def _restore(values: FloatArray, lon: npt.ArrayLike, lat: npt.ArrayLike) -> FloatArray | float:
    if np.ndim(lon) == 0 and np.ndim(lat) == 0:
        return float(values)
    return values


def _gcj_to_wgs_coords(coords: FloatArray) -> FloatArray:
    lon, lat = _inverse(coords[:, 0].copy(), coords[:, 1].copy())
    return np.column_stack([lon, lat])


def transform_geometry_gcj_to_wgs(geom: GeomT) -> GeomT:
    """Convert every coordinate of a shapely geometry (or array of geometries) to WGS-84."""
    return shapely.transform(geom, _gcj_to_wgs_coords)
