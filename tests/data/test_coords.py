"""Datums of imported points: GCJ-02 and BD-09 picker values back to WGS-84."""

from __future__ import annotations

import numpy as np
import pyproj
import pytest

from landmarks.data.coords import (
    DATUM_BD09,
    DATUM_GCJ02,
    DATUM_WGS84,
    bd09_to_gcj02,
    datum_code,
    gcj02_to_bd09,
    to_wgs84,
    wgs84_to_gcj02,
)

GEOD = pyproj.Geod(ellps="WGS84")
# WGS-84 points across Hubei: 秭归, 武汉, 恩施, 十堰, 黄冈.
LON = np.array([110.9776, 114.3055, 109.4881, 110.7980, 115.5700])
LAT = np.array([30.8256, 30.5928, 30.2722, 32.6292, 30.4500])


def metres(lon_a: object, lat_a: object, lon_b: object, lat_b: object) -> np.ndarray:
    return np.asarray(GEOD.inv(lon_a, lat_a, lon_b, lat_b)[2])


def test_amap_and_tencent_values_come_back_to_the_gps_point() -> None:
    picked = wgs84_to_gcj02(LON, LAT)
    assert metres(*picked, LON, LAT).min() > 100  # the shift is real: hundreds of metres
    back = to_wgs84(*picked, DATUM_GCJ02)
    assert metres(*back, LON, LAT).max() < 0.01


def test_baidu_values_come_back_to_the_gps_point() -> None:
    picked = gcj02_to_bd09(*wgs84_to_gcj02(LON, LAT))
    assert metres(*picked, *wgs84_to_gcj02(LON, LAT)).min() > 100  # BD-09 shifts again
    back = to_wgs84(*picked, DATUM_BD09)
    assert metres(*back, LON, LAT).max() < 0.01


def test_baidus_shift_is_inverted_beyond_its_closed_form() -> None:
    gcj_lon, gcj_lat = wgs84_to_gcj02(LON, LAT)
    lon, lat = bd09_to_gcj02(*gcj02_to_bd09(gcj_lon, gcj_lat))
    assert np.abs(lon - gcj_lon).max() < 1e-8 and np.abs(lat - gcj_lat).max() < 1e-8


def test_wgs84_is_kept_and_scalars_stay_scalars() -> None:
    assert to_wgs84(110.5, 30.5, DATUM_WGS84) == (110.5, 30.5)
    lon, lat = to_wgs84(110.5, 30.5, DATUM_BD09)
    assert isinstance(lon, float) and isinstance(lat, float)
    with pytest.raises(ValueError, match="unknown datum"):
        to_wgs84(110.5, 30.5, "Beijing-54")


@pytest.mark.parametrize(
    ("written", "datum"),
    [
        ("WGS-84", DATUM_WGS84),
        ("wgs84", DATUM_WGS84),
        ("GPS", DATUM_WGS84),
        ("GCJ-02", DATUM_GCJ02),
        ("gcj02", DATUM_GCJ02),
        ("高德坐标", DATUM_GCJ02),
        ("腾讯地图", DATUM_GCJ02),
        ("ＢＤ－０９", DATUM_BD09),
        ("百度", DATUM_BD09),
        ("北京54", None),
    ],
)
def test_datum_spellings(written: str, datum: str | None) -> None:
    assert datum_code(written) == datum
