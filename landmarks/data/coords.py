"""Conversions between WGS-84, GCJ-02 and BD-09, the datums of coordinates users bring.

GPS receivers and 天地图 give WGS-84; the Amap (高德) and Tencent coordinate pickers give
GCJ-02, the obfuscated datum of Chinese map providers; Baidu's picker gives BD-09, a further
shift of GCJ-02.  The app stores WGS-84 only, so imported points are converted with
``to_wgs84`` from the datum declared for their file.

All functions are numpy-vectorised: they accept Python scalars or arrays and return
results of the same shape (floats for scalar input).
"""

from __future__ import annotations

from typing import TypeVar, overload

import numpy as np
import numpy.typing as npt
import shapely

from landmarks.data.text import normalize_text
from landmarks.i18n import N_

FloatArray = npt.NDArray[np.float64]
GeomT = TypeVar("GeomT", shapely.Geometry, npt.NDArray[np.object_])

_A = 6378245.0  # Krasovsky 1940 semi-major axis used by GCJ-02
_EE = 0.00669342162296594323  # first eccentricity squared of the same ellipsoid

_INVERSE_TOLERANCE = 1e-9  # degrees (~0.1 mm)
_INVERSE_MAX_ITERATIONS = 30

_BD_X_PI = np.pi * 3000.0 / 180.0
_BD_LON_OFFSET = 0.0065
_BD_LAT_OFFSET = 0.006

DATUM_WGS84 = "WGS-84"
DATUM_GCJ02 = "GCJ-02"
DATUM_BD09 = "BD-09"
# The datums a file can declare, with the label users choose from.
DATUM_LABELS: dict[str, str] = {
    DATUM_WGS84: N_("WGS-84（GPS、天地图、奥维等）"),
    DATUM_GCJ02: N_("GCJ-02（高德、腾讯地图拾取）"),
    DATUM_BD09: N_("BD-09（百度地图拾取）"),
}
# Spellings of each datum accepted in a file's 坐标系 column (matched case-insensitively
# after removing spaces, hyphens and underscores).
DATUM_ALIASES: dict[str, str] = {  # not UI: spellings accepted on import
    "wgs84": DATUM_WGS84,
    "gps": DATUM_WGS84,
    "天地图": DATUM_WGS84,
    "cgcs2000": DATUM_WGS84,  # differs from WGS-84 by centimetres
    "gcj02": DATUM_GCJ02,
    "火星坐标": DATUM_GCJ02,
    "高德": DATUM_GCJ02,
    "高德地图": DATUM_GCJ02,
    "腾讯": DATUM_GCJ02,
    "腾讯地图": DATUM_GCJ02,
    "bd09": DATUM_BD09,
    "百度": DATUM_BD09,
    "百度地图": DATUM_BD09,
}
# Words users add after a datum's name (高德坐标系, 百度坐标), removed in this order.
_DATUM_SUFFIXES = ("坐标系", "坐标")  # not UI: spellings accepted on import


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


def _gcj_to_bd(lon: FloatArray, lat: FloatArray) -> tuple[FloatArray, FloatArray]:
    z = np.sqrt(lon * lon + lat * lat) + 0.00002 * np.sin(lat * _BD_X_PI)
    theta = np.arctan2(lat, lon) + 0.000003 * np.cos(lon * _BD_X_PI)
    return z * np.cos(theta) + _BD_LON_OFFSET, z * np.sin(theta) + _BD_LAT_OFFSET


def _bd_to_gcj(lon: FloatArray, lat: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Baidu's published closed-form inverse, refined by fixed-point iteration on the
    forward shift so a round trip is exact to < 1e-9 degrees (the closed form alone is
    off by up to a few metres)."""
    x = lon - _BD_LON_OFFSET
    y = lat - _BD_LAT_OFFSET
    z = np.sqrt(x * x + y * y) - 0.00002 * np.sin(y * _BD_X_PI)
    theta = np.arctan2(y, x) - 0.000003 * np.cos(x * _BD_X_PI)
    gcj_lon, gcj_lat = z * np.cos(theta), z * np.sin(theta)
    for _ in range(_INVERSE_MAX_ITERATIONS):
        bd_lon, bd_lat = _gcj_to_bd(gcj_lon, gcj_lat)
        err_lon, err_lat = bd_lon - lon, bd_lat - lat
        gcj_lon, gcj_lat = gcj_lon - err_lon, gcj_lat - err_lat
        if not np.size(err_lon) or np.nanmax(np.maximum(np.abs(err_lon), np.abs(err_lat))) < (
            _INVERSE_TOLERANCE
        ):
            break
    return gcj_lon, gcj_lat


@overload
def gcj02_to_bd09(lon: float, lat: float) -> tuple[float, float]: ...
@overload
def gcj02_to_bd09(lon: npt.ArrayLike, lat: npt.ArrayLike) -> tuple[FloatArray, FloatArray]: ...
def gcj02_to_bd09(
    lon: npt.ArrayLike, lat: npt.ArrayLike
) -> tuple[FloatArray | float, FloatArray | float]:
    """Baidu's shift of GCJ-02 coordinates (what Baidu's picker shows for a place)."""
    lon_arr, lat_arr = _as_arrays(lon, lat)
    out_lon, out_lat = _gcj_to_bd(lon_arr, lat_arr)
    return _restore(out_lon, lon, lat), _restore(out_lat, lon, lat)


@overload
def bd09_to_gcj02(lon: float, lat: float) -> tuple[float, float]: ...
@overload
def bd09_to_gcj02(lon: npt.ArrayLike, lat: npt.ArrayLike) -> tuple[FloatArray, FloatArray]: ...
def bd09_to_gcj02(
    lon: npt.ArrayLike, lat: npt.ArrayLike
) -> tuple[FloatArray | float, FloatArray | float]:
    """Invert gcj02_to_bd09 to < 1e-9 degrees."""
    lon_arr, lat_arr = _as_arrays(lon, lat)
    out_lon, out_lat = _bd_to_gcj(lon_arr, lat_arr)
    return _restore(out_lon, lon, lat), _restore(out_lat, lon, lat)


@overload
def to_wgs84(lon: float, lat: float, datum: str) -> tuple[float, float]: ...
@overload
def to_wgs84(
    lon: npt.ArrayLike, lat: npt.ArrayLike, datum: str
) -> tuple[FloatArray, FloatArray]: ...
def to_wgs84(
    lon: npt.ArrayLike, lat: npt.ArrayLike, datum: str
) -> tuple[FloatArray | float, FloatArray | float]:
    """Coordinates in ``datum`` (one of ``DATUM_LABELS``) converted to WGS-84.

    BD-09 goes through GCJ-02 (BD-09 → GCJ-02 → WGS-84); WGS-84 input is returned as is.
    """
    lon_arr, lat_arr = _as_arrays(lon, lat)
    if datum == DATUM_BD09:
        lon_arr, lat_arr = _bd_to_gcj(lon_arr, lat_arr)
    if datum in (DATUM_BD09, DATUM_GCJ02):
        lon_arr, lat_arr = _inverse(lon_arr, lat_arr)
    elif datum != DATUM_WGS84:
        raise ValueError(f"unknown datum {datum!r}; expected one of {list(DATUM_LABELS)}")
    return _restore(lon_arr, lon, lat), _restore(lat_arr, lon, lat)


def datum_code(value: str) -> str | None:
    """The datum a user's spelling names (WGS84, gcj-02, 高德, 百度坐标 …), or None."""
    key = normalize_text(value, keep_spaces=False).casefold()
    key = key.replace("-", "").replace("_", "")
    for suffix in _DATUM_SUFFIXES:
        key = key.removesuffix(suffix)
    for code in DATUM_LABELS:
        if key == code.replace("-", "").casefold():
            return code
    return DATUM_ALIASES.get(key)


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
