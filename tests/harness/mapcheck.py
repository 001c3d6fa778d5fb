"""The map inside its iframe: waiting for Leaflet, reading its state, the render check."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Frame, Page

from tests.harness.browser import PAGE_TIMEOUT_MS, BrowserCheckError

MAP_IFRAME = "iframe[title='streamlit_folium.st_folium']"


@dataclass(frozen=True)
class MapState:
    """What the map iframe holds, read through its Leaflet object and its DOM."""

    iframe_height: float
    map_height: float
    county_layers: int  # county polygons loaded into the map
    counties_drawn: int  # of those, polygons with a part inside the current view
    product_markers: int  # product markers, clustered or not
    visible_clusters: int  # cluster icons currently on screen
    visible_markers: int  # unclustered product markers currently drawn
    sites: int  # site icons currently on screen


# streamlit-folium publishes the Leaflet map of its iframe as ``window.map_div``.
_MAP_STATE_JS = """(countyNames) => {
    const map = window.map_div;
    const names = new Set(countyNames);
    const layers = Object.values(map._layers);
    const polygons = layers.filter((l) => l.feature && l.feature.properties
        && names.has(l.feature.properties.name)
        && /Polygon/.test(l.feature.geometry.type));
    const drawn = new Set(polygons.filter((l) => l._parts && l._parts.length > 0)
        .map((l) => l.feature.properties.name));
    const products = new Set();
    const isProduct = (l) => l instanceof L.CircleMarker;
    layers.forEach((l) => {
        if (L.MarkerClusterGroup && l instanceof L.MarkerClusterGroup) {
            l.getLayers().filter(isProduct).forEach((m) => products.add(L.stamp(m)));
        } else if (isProduct(l)) { products.add(L.stamp(l)); }
    });
    const rect = document.getElementById('map_div').getBoundingClientRect();
    return {
        map_height: rect.height,
        county_layers: new Set(polygons.map((l) => l.feature.properties.name)).size,
        counties_drawn: drawn.size,
        product_markers: products.size,
        visible_clusters: document.querySelectorAll('.gi-cluster, .marker-cluster').length,
        visible_markers: layers.filter((l) => isProduct(l) && l._map).length,
        sites: document.querySelectorAll('.gi-site').length,
    };
}"""

# Until Leaflet takes over, ``window.map_div`` is the bare <div id="map_div"> element.
# The app's map loads its geometry and product rows asynchronously (gi_map.js marks the
# container while product rows are pending): wait for polygons and for the rows.
_MAP_READY_JS = """() => {
    const map = window.map_div;
    if (!(window.L && map && map._layers)) return false;
    const container = document.querySelector('.leaflet-container');
    const failed = container && container.hasAttribute('data-gi-problem');
    const pending = !failed && container && container.getAttribute('data-gi-products') === '';
    return !pending && Object.values(map._layers).some((l) => l.feature)
        && document.getElementById('map_div').getBoundingClientRect().width > 0;
}"""


def map_frame(page: Page, timeout_ms: int = PAGE_TIMEOUT_MS) -> Frame:
    """The map's iframe once Leaflet has layers in it; fails if it never renders.

    The iframe is looked up afresh on every poll: Streamlit may replace it while the
    first script run finishes, and a handle to the old one would wait forever.
    """
    deadline = time.monotonic() + timeout_ms / 1000
    seen_iframe = False
    while True:
        for element in page.query_selector_all(MAP_IFRAME):
            seen_iframe = True
            frame = element.content_frame()
            with contextlib.suppress(PlaywrightError):  # navigating or detached: look again
                if frame is not None and frame.evaluate(_MAP_READY_JS):
                    return frame
        if time.monotonic() > deadline:
            if not seen_iframe:
                raise BrowserCheckError("the page has no map iframe")
            raise BrowserCheckError("Leaflet never drew the map inside the iframe")
        page.wait_for_timeout(250)


_VIEW_JS = """() => { const b = window.map_div.getBounds();
    return [b.getSouth(), b.getWest(), b.getNorth(), b.getEast()]; }"""

Box = tuple[float, float, float, float]  # (south, west, north, east)


def view_bounds(frame: Frame) -> Box:
    """What the map shows now, as (south, west, north, east)."""
    south, west, north, east = frame.evaluate(_VIEW_JS)
    return south, west, north, east


def wait_for_view(page: Page, frame: Frame, contains: Box, timeout_ms: int = 10_000) -> Box:
    """Wait (a fit may animate) until the map's view contains the (s, w, n, e) box."""
    deadline = time.monotonic() + timeout_ms / 1000
    while True:
        view = view_bounds(frame)
        south, west, north, east = view
        if (
            south <= contains[0]
            and west <= contains[1]
            and north >= contains[2]
            and (east >= contains[3])
        ):
            return view
        if time.monotonic() > deadline:
            raise BrowserCheckError(f"map view {view} does not contain {contains}")
        page.wait_for_timeout(250)


def drawn_area(frame: Frame) -> list[str]:
    """Adcodes of the counties drawn as the selected product's area (gi_map.js marks them)."""
    value = frame.evaluate(
        "() => document.querySelector('.leaflet-container').getAttribute('data-gi-area')"
    )
    return str(value or "").split()


def wait_for_area(page: Page, frame: Frame, drawn: bool, timeout_ms: int = 15_000) -> list[str]:
    """Wait until an area is drawn (``drawn``) or none is; returns its adcodes."""
    deadline = time.monotonic() + timeout_ms / 1000
    while True:
        area = drawn_area(frame)
        if bool(area) == drawn:
            return area
        if time.monotonic() > deadline:
            state = f"the area {area}" if area else "no area"
            raise BrowserCheckError(f"the map still shows {state}")
        page.wait_for_timeout(250)


def settled_labels(
    page: Page, frame: Frame, script: str, timeout_ms: int = 15_000
) -> list[dict[str, Any]]:
    """The labels ``script`` reads (a list of boxes) once placed and still: labels are
    placed when a fit's move ends, so two equal readings in a row mean it has ended."""
    deadline = time.monotonic() + timeout_ms / 1000
    previous: list[dict[str, Any]] = []
    while True:
        labels: list[dict[str, Any]] = frame.evaluate(script)
        if labels and labels == previous:
            return labels
        if time.monotonic() > deadline:
            raise BrowserCheckError(f"the labels never settled: {labels}")
        previous = labels
        page.wait_for_timeout(250)


def has_map(page: Page) -> bool:
    return page.locator(MAP_IFRAME).count() > 0


def read_map_state(page: Page, frame: Frame, county_names: Sequence[str]) -> MapState:
    box = page.locator(MAP_IFRAME).first.bounding_box()
    values = frame.evaluate(_MAP_STATE_JS, list(county_names))
    return MapState(iframe_height=box["height"] if box else 0.0, **values)


def read_page_map_state(page: Page | Frame, county_names: Sequence[str]) -> MapState:
    """The state of a map that is the page itself (no iframe: the offline file, the
    public page); its container's height stands for the iframe's."""
    values = page.evaluate(_MAP_STATE_JS, list(county_names))
    return MapState(iframe_height=float(values["map_height"]), **values)


def assert_map_renders(
    state: MapState,
    *,
    counties: int | None = None,
    products: int | None = None,
    sites: int | None = None,
    markers: bool = True,
) -> None:
    """The map is visible and holds county polygons and (with ``markers``) product
    markers/clusters.

    With ``counties``/``products``/``sites`` given, the totals must match exactly.
    """
    problems = []
    if state.iframe_height <= 0:
        problems.append(f"the map iframe is {state.iframe_height:g} px high")
    if state.map_height <= 0:
        problems.append(f"the Leaflet map is {state.map_height:g} px high")
    if state.counties_drawn == 0:
        problems.append("no county polygon is drawn")
    if counties is not None and state.county_layers != counties:
        problems.append(f"{state.county_layers} county polygons, expected {counties}")
    shown = state.visible_clusters + state.visible_markers
    if markers and (state.product_markers == 0 or shown == 0):
        problems.append("no product cluster or marker is shown")
    if products is not None and state.product_markers != products:
        problems.append(f"{state.product_markers} product markers, expected {products}")
    if sites is not None and state.sites != sites:
        problems.append(f"{state.sites} site icons shown, expected {sites}")
    if problems:
        raise BrowserCheckError("map check failed: " + "; ".join(problems) + f" ({state})")
