"""The offline map file in Chromium, opened from disk with every network request blocked.

Every request of the browser context goes through a route that lets only file:// URLs
through and aborts (and records) the rest: the page must draw every county and every
product from what the file holds.  Screenshot: test-output/e2e/offline_map.png.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from playwright.sync_api import Browser, Page, Route

from landmarks.data.regions import Regions
from landmarks.maps import offline
from landmarks.query import stats
from tests.harness import recorded_context, save_screenshot
from tests.synthetic import WUDANG_SCOPE

pytestmark = pytest.mark.browser

Tables = dict[str, pd.DataFrame]
READY_TIMEOUT_MS = 30_000
# A host that never resolves; the route aborts the request before it could leave anyway.
ELSEWHERE = "http://offline.invalid/rows.json"

# What the Leaflet map (window.map_div, as in the app's iframe) holds once drawn.
_STATE_JS = """() => {
    const map = window.map_div;
    const layers = Object.values(map._layers);
    const counties = layers.filter((l) => l.feature && l.feature.properties
        && l.feature.properties.prefecture !== undefined
        && /Polygon/.test(l.feature.geometry.type));
    const drawn = counties.filter((l) => l._parts && l._parts.length > 0);
    const names = new Set();
    layers.forEach((l) => {
        if (l instanceof L.MarkerClusterGroup) {
            l.getLayers().filter((m) => m instanceof L.CircleMarker)
                .forEach((m) => names.add(m.options.giName));
        }
    });
    const container = document.querySelector('.leaflet-container');
    return {
        counties: [...new Set(counties.map((l) => l.feature.properties.adcode))],
        counties_drawn: new Set(drawn.map((l) => l.feature.properties.adcode)).size,
        products: [...names],
        shown: container.getAttribute('data-gi-products'),
        area: container.getAttribute('data-gi-area'),
        problem: container.getAttribute('data-gi-problem'),
        clusters: document.querySelectorAll('.gi-cluster').length,
        markers: layers.filter((l) => l instanceof L.CircleMarker && l._map).length,
        sites: document.querySelectorAll('.gi-site').length,
        legend: (document.querySelector('.gi-legend') || {}).innerText || '',
        info: (document.querySelector('.gi-offline-info') || {}).innerText || '',
    };
}"""


def write_file(tmp_path: Path, tables: Tables, regions: Regions) -> Path:
    text = offline.OfflineText("湖北地标品牌地图", "全部地理标志产品", ("数据来源：荆楚网等",))
    html = offline.offline_html(
        regions,
        tables["products"],
        tables["sites"],
        text,
        zones=stats.national_zones_by_county(tables["zones"]),
        selected_area=tuple(WUDANG_SCOPE),
    )
    path = tmp_path / "湖北地标品牌地图_离线地图.html"
    path.write_bytes(html)
    return path


def open_offline(page: Page, path: Path) -> dict[str, object]:
    page.goto(path.as_uri())
    page.wait_for_function(
        """() => { const c = document.querySelector('.leaflet-container');
            return c && (c.hasAttribute('data-gi-problem')
                || (c.getAttribute('data-gi-products') || '') !== ''); }""",
        timeout=READY_TIMEOUT_MS,
    )
    page.wait_for_timeout(500)  # the first fit and the label placement
    state: dict[str, object] = page.evaluate(_STATE_JS)
    return state


def test_the_offline_file_draws_everything_with_the_network_blocked(
    browser: Browser, tmp_path: Path, tables: Tables, regions: Regions
) -> None:
    path = write_file(tmp_path, tables, regions)
    blocked: list[str] = []

    def only_files(route: Route) -> None:
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    with recorded_context(browser) as (context, recorder):
        context.route("**/*", only_files)
        page = context.new_page()
        state = open_offline(page, path)
        save_screenshot(page, "offline_map", full_page=False)
        recorder.assert_no_page_errors()
        requested = list(recorder.urls)

    assert blocked == [], f"the offline file asked the network for {blocked}"
    assert requested == [path.as_uri()], requested  # the file itself, nothing else
    assert state["problem"] is None
    assert sorted(state["counties"]) == sorted(regions.counties["adcode"])  # type: ignore[arg-type]
    assert state["counties_drawn"] == len(regions.counties)  # the province is in view
    products = tables["products"]
    assert state["shown"] == str(len(products))
    assert sorted(state["products"]) == sorted(products["name"])  # type: ignore[arg-type]
    assert int(state["clusters"]) + int(state["markers"]) > 0  # type: ignore[call-overload]
    assert state["sites"] == len(tables["sites"])
    assert state["area"] == " ".join(WUDANG_SCOPE)
    assert "图例 · 产业链" in str(state["legend"]) and "茶叶" in str(state["legend"])
    assert "湖北地标品牌地图" in str(state["info"])


def test_the_check_fails_on_a_file_that_needs_the_network(
    browser: Browser, tmp_path: Path, tables: Tables, regions: Regions
) -> None:
    """The same check on a file whose rows must be fetched from a host: it sees the
    blocked request and the map's own problem notice, so the test above can fail."""
    path = write_file(tmp_path, tables, regions)
    html = path.read_text(encoding="utf-8")
    broken = html.replace(f'"rows":"{offline.ROWS_FILE}"', f'"rows":"{ELSEWHERE}"')
    assert broken != html
    # The shim passes unknown URLs on to the browser's own fetch instead of refusing them.
    broken = broken.replace("return Promise.reject(", "return window.__fetch(url); (")
    path.write_text(broken, encoding="utf-8")
    blocked: list[str] = []

    def only_files(route: Route) -> None:
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    with recorded_context(browser) as (context, _recorder):
        context.route("**/*", only_files)
        page = context.new_page()
        page.add_init_script("window.__fetch = window.fetch.bind(window);")
        state = open_offline(page, path)
    assert blocked == [ELSEWHERE]
    assert state["problem"]  # the map says it could not load its data
