"""Basemaps in Chromium: the GCJ-02 shift under Amap tiles, none elsewhere, and offline.

Tile requests never leave the machine: tests that need tiles to load answer them with a
local PNG (``route``), and the offline test aborts every non-local request, as a booth
laptop without internet would see it.
"""

from __future__ import annotations

import math
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Frame, Page, Route

from landmarks.data.coords import wgs84_to_gcj02
from landmarks.maps import assets
from landmarks.maps.rows import COORDINATE_DECIMALS
from tests.harness import (
    StreamlitServer,
    assert_no_streamlit_errors,
    is_local_url,
    map_frame,
    open_page,
    recorded_page,
    save_screenshot,
)

pytestmark = pytest.mark.browser

NOTICE = "在线底图无法加载，已改为无底图"
# A 1×1 PNG, the answer to every tile request when tiles are meant to load.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c63f8ffff3f0005fe02fea7d6a4820000000049454e44ae426082"
)
TILE_HOSTS = ("autonavi.com", "openstreetmap.org", "tianditu.gov.cn")

# A product marker (not a cluster) and a county's first vertex: drawn vs stored.
_DRAWN_JS = """() => {
    const core = GiMap.core;
    const map = core.map();
    let marker = null;
    map.eachLayer((layer) => {
        if (!marker && layer instanceof L.MarkerClusterGroup) {
            marker = layer.getLayers().find((m) => m.options.giName);
        }
    });
    const code = core.countyCodes().sort()[0];
    const county = core.county(code);
    let drawn = county.getLatLngs();
    while (Array.isArray(drawn[0])) drawn = drawn[0];
    let stored = county.feature.geometry.coordinates;
    while (Array.isArray(stored[0])) stored = stored[0];
    const tiles = [];
    map.eachLayer((layer) => { if (layer instanceof L.TileLayer) tiles.push(layer._url); });
    const container = map.getContainer();
    return {
        name: marker.options.giName,
        marker: [marker.getLatLng().lng, marker.getLatLng().lat],
        county: code,
        vertex: [drawn[0].lng, drawn[0].lat],
        stored: [stored[0], stored[1]],
        tiles: tiles,
        basemap: container.getAttribute('data-gi-basemap'),
        failed: container.getAttribute('data-gi-basemap-failed'),
        products: container.getAttribute('data-gi-products'),
        counties: core.countyCodes().length,
        countyFill: core.styles().county.fillOpacity,
        notice: (container.querySelector('.gi-basemap-notice') || {}).textContent || '',
        credits: (container.querySelector('.leaflet-control-attribution') || {}).textContent || '',
    };
}"""


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Distance between two (lon, lat) points in km (equirectangular; fine at 600 m)."""
    mean_lat = math.radians((a[1] + b[1]) / 2)
    dx = math.radians(b[0] - a[0]) * math.cos(mean_lat)
    dy = math.radians(b[1] - a[1])
    return 6371.0 * math.hypot(dx, dy)


def _stored_position(db_path: Path, name: str) -> tuple[float, float]:
    with sqlite3.connect(db_path) as connection:
        lon, lat = connection.execute(
            "SELECT lon, lat FROM products WHERE name = ?", (name,)
        ).fetchone()
    return round(float(lon), COORDINATE_DECIMALS), round(float(lat), COORDINATE_DECIMALS)


def _serve_tiles(route: Route) -> None:
    url = route.request.url
    if any(host in url for host in TILE_HOSTS):
        route.fulfill(status=200, content_type="image/png", body=PNG)
    elif is_local_url(url):
        route.continue_()
    else:
        route.abort()


def _block_outside(route: Route) -> None:
    if is_local_url(route.request.url):
        route.continue_()
    else:
        route.abort("internetdisconnected")


@pytest.fixture
def page(shared_context: BrowserContext) -> Iterator[Page]:
    with recorded_page(shared_context) as (page, _recorder):
        yield page


def _drawn(page: Page, server: StreamlitServer, basemap: str) -> tuple[Frame, dict[str, Any]]:
    open_page(page, server, f"explorer?basemap={basemap}")
    assert_no_streamlit_errors(page)
    frame = map_frame(page)
    frame.wait_for_function(
        "() => { const c = document.querySelector('.leaflet-container');"
        " return c && c.getAttribute('data-gi-ready') === '1'"
        " && c.getAttribute('data-gi-products'); }"
    )
    page.wait_for_timeout(500)  # tile events settle
    return frame, frame.evaluate(_DRAWN_JS)


def test_the_browser_formula_matches_python(page: Page) -> None:
    page.set_content("<html><body></body></html>")
    page.add_script_tag(content=assets.web_file("gi_basemap.js").decode())
    points = [(108.4 + 0.37 * i, 29.1 + 0.21 * j) for i in range(21) for j in range(20)]
    got = page.evaluate(
        "(points) => points.map((p) => GiMap.gcj02.wgs84ToGcj02(p[0], p[1]))", points
    )
    for (lon, lat), (js_lon, js_lat) in zip(points, got, strict=True):
        py_lon, py_lat = wgs84_to_gcj02(lon, lat)
        assert abs(js_lon - py_lon) < 1e-9 and abs(js_lat - py_lat) < 1e-9, (lon, lat)
        assert 0.4 < _km((lon, lat), (py_lon, py_lat)) < 0.75  # Hubei's offset


def test_amap_shifts_counties_and_markers_to_gcj02(
    page: Page, app_server: StreamlitServer, app_db: Path
) -> None:
    page.route("**/*", _serve_tiles)
    _frame, drawn = _drawn(page, app_server, "amap")
    save_screenshot(page, "basemap_amap", full_page=False)
    assert drawn["basemap"] == "amap" and not drawn["failed"] and not drawn["notice"]
    assert drawn["tiles"] and all("autonavi.com" in url for url in drawn["tiles"])
    assert "高德地图" in drawn["credits"]
    assert drawn["countyFill"] < 1  # translucent over the tiles

    stored = _stored_position(app_db, drawn["name"])
    expected = wgs84_to_gcj02(*stored)
    assert _km(tuple(drawn["marker"]), expected) < 0.001, (drawn["name"], drawn["marker"])
    assert 0.5 <= _km(stored, tuple(drawn["marker"])) <= 0.65

    vertex_expected = wgs84_to_gcj02(*drawn["stored"])
    assert _km(tuple(drawn["vertex"]), vertex_expected) < 0.001, drawn["county"]
    assert 0.5 <= _km(tuple(drawn["stored"]), tuple(drawn["vertex"])) <= 0.65


@pytest.mark.parametrize("basemap", ["none", "osm"])
def test_other_basemaps_draw_the_stored_coordinates(
    basemap: str, page: Page, app_server: StreamlitServer, app_db: Path
) -> None:
    page.route("**/*", _serve_tiles)
    _frame, drawn = _drawn(page, app_server, basemap)
    assert drawn["basemap"] == (None if basemap == "none" else basemap)
    assert bool(drawn["tiles"]) == (basemap == "osm")
    stored = _stored_position(app_db, drawn["name"])
    assert _km(stored, tuple(drawn["marker"])) < 0.001
    assert _km(tuple(drawn["stored"]), tuple(drawn["vertex"])) < 0.001


def test_offline_an_online_basemap_falls_back_to_none_with_a_notice(
    page: Page, app_server: StreamlitServer
) -> None:
    page.route("**/*", _block_outside)
    frame, drawn = _drawn(page, app_server, "amap")
    frame.wait_for_selector(".gi-basemap-notice")
    drawn = frame.evaluate(_DRAWN_JS)
    save_screenshot(page, "basemap_offline", full_page=False)
    assert drawn["notice"] == NOTICE
    assert drawn["basemap"] == "none" and drawn["failed"] == "amap"
    assert drawn["tiles"] == []  # the tile layer is gone, and its credit
    assert "高德" not in drawn["credits"]
    assert drawn["countyFill"] == 1  # counties opaque again: no blank map
    assert drawn["counties"] > 100 and int(drawn["products"]) > 0
    assert frame.locator(".gi-notice, .gi-problem").count() == 0
