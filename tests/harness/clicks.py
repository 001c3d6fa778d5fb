"""Real mouse clicks on the map: where to click, clicking, and what the click showed."""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import shapely
from playwright.sync_api import Frame, Page
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from shapely.geometry.base import BaseGeometry

from tests.harness.browser import BrowserCheckError
from tests.harness.mapcheck import MAP_IFRAME
from tests.harness.pages import wait_until_idle

# A zoom of the tests' own stands for a user's: a key press on the map first tells the map
# script the user has moved it, so it does not frame its own view again over the test's
# (it refits when a control changes size, e.g. the legend, unless the user moved the map).
_AS_A_USER_JS = """window.map_div.getContainer().dispatchEvent(
        new KeyboardEvent('keydown', {key: 'Shift'}));"""

_FOCUS_COUNTY_JS = (
    """(name) => new Promise((resolve) => {
    const map = window.map_div;
    """
    + _AS_A_USER_JS
    + """
    const layer = Object.values(map._layers).find((l) => l.feature
        && l.feature.properties && l.feature.properties.name === name
        && /Polygon/.test(l.feature.geometry.type));
    if (!layer) { resolve(false); return; }
    map.once('moveend', () => setTimeout(() => resolve(true), 300));
    setTimeout(() => resolve(true), 3000);  // the view may already fit: no moveend
    map.fitBounds(layer.getBounds(), {animate: false, padding: [40, 40]});
})"""
)

# A point is clickable when the topmost element there is the map itself (the canvas
# the polygons are drawn on, or the empty container) and no product marker or control
# covers it, so a real click there can only reach what lies under it.
_FREE_POINT_JS = """(latlngs) => {
    const map = window.map_div;
    const rect = document.getElementById('map_div').getBoundingClientRect();
    const markers = Object.values(map._layers).filter((l) => l instanceof L.CircleMarker);
    for (const [lat, lng] of latlngs) {
        const p = map.latLngToContainerPoint([lat, lng]);
        if (p.x < 20 || p.y < 20 || p.x > rect.width - 20 || p.y > rect.height - 20) continue;
        const top = document.elementFromPoint(rect.left + p.x, rect.top + p.y);
        if (!top || !(top.tagName === 'CANVAS' || top.tagName === 'path'
                || top.classList.contains('leaflet-container'))) continue;
        const covered = markers.some((m) => {
            const q = map.latLngToContainerPoint(m.getLatLng());
            return Math.hypot(q.x - p.x, q.y - p.y) < (m.getRadius() + 6);
        });
        if (!covered) return {x: rect.left + p.x, y: rect.top + p.y};
    }
    return null;
}"""

_SHOW_PRODUCT_JS = (
    """(name) => new Promise((resolve) => {
    const map = window.map_div;
    """
    + _AS_A_USER_JS
    + """
    const parse = (html) => {
        const div = document.createElement('div');
        div.innerHTML = String(html);
        return div;
    };
    // The names a marker carries: its tooltip's first field and its popup's heading.
    const labels = (m) => {
        const out = [];
        const tooltip = m.getTooltip && m.getTooltip();
        const popup = m.getPopup && m.getPopup();
        if (tooltip) out.push(parse(tooltip.getContent()).textContent.split('｜')[0].trim());
        if (popup) {
            const heading = parse(popup.getContent()).querySelector('b, strong, h1, h2, h3, h4');
            if (heading) out.push(heading.textContent.trim());
        }
        return out;
    };
    const candidates = [];
    Object.values(map._layers).forEach((l) => {
        if (L.MarkerClusterGroup && l instanceof L.MarkerClusterGroup) {
            l.getLayers().forEach((m) => candidates.push([l, m]));
        } else if (l instanceof L.CircleMarker) { candidates.push([null, l]); }
    });
    const found = candidates.find(([, m]) => labels(m).includes(name));
    if (!found) { resolve(null); return; }
    const [group, marker] = found;
    const place = () => {
        const rect = document.getElementById('map_div').getBoundingClientRect();
        const p = map.latLngToContainerPoint(marker.getLatLng());
        resolve({x: rect.left + p.x, y: rect.top + p.y});
    };
    // As a user would: zoom in on the product, then open the cluster still holding it.
    // (markercluster's zoomToShowLayer never calls back with this map's fractional zoom.)
    map.setView(marker.getLatLng(), map.getMaxZoom(), {animate: false});
    setTimeout(() => {
        const parent = group ? group.getVisibleParent(marker) : marker;
        if (parent && parent !== marker && parent.spiderfy) {
            parent.spiderfy();
            setTimeout(place, 800);
        } else { place(); }
    }, 600);
})"""
)

# Information a click shows inside the map: a tooltip (county hover/click) or a popup.
_MAP_INFO_JS = """(selector) => [...document.querySelectorAll(selector)]
    .filter((el) => el.getBoundingClientRect().height > 0 && getComputedStyle(el).opacity > 0)
    .map((el) => el.innerText.trim()).filter(Boolean)"""
INFO_SELECTORS = {"tooltip": ".leaflet-tooltip", "popup": ".leaflet-popup-content"}


@dataclass(frozen=True)
class ScreenPoint:
    x: float
    y: float


def interior_points(geometry: BaseGeometry, count: int = 60, seed: int = 7) -> list[list[float]]:
    """[lat, lng] points inside ``geometry``, innermost first (deterministic)."""
    rng = np.random.default_rng(seed)
    min_x, min_y, max_x, max_y = geometry.bounds
    xs = rng.uniform(min_x, max_x, count * 20)
    ys = rng.uniform(min_y, max_y, count * 20)
    inside = shapely.contains_xy(geometry, xs, ys)
    points = shapely.points(xs[inside], ys[inside])
    # Far from the boundary first: a click there cannot land on the neighbour.
    depth = shapely.distance(points, geometry.boundary)
    order = np.argsort(-depth)[:count]
    return [[float(ys[inside][i]), float(xs[inside][i])] for i in order]


def outside_points(
    geometry: BaseGeometry, bounds: Sequence[float], count: int = 60, seed: int = 11
) -> list[list[float]]:
    """[lat, lng] points within ``bounds`` but outside ``geometry`` (open water on the map)."""
    rng = np.random.default_rng(seed)
    min_x, min_y, max_x, max_y = bounds
    xs = rng.uniform(min_x, max_x, count * 20)
    ys = rng.uniform(min_y, max_y, count * 20)
    outside = ~shapely.intersects_xy(geometry.buffer(0.05), xs, ys)
    return [[float(y), float(x)] for x, y in zip(xs[outside], ys[outside], strict=True)][:count]


def _iframe_offset(page: Page) -> tuple[float, float]:
    iframe = page.locator(MAP_IFRAME).first
    iframe.scroll_into_view_if_needed()
    box = iframe.bounding_box()
    if not box or box["height"] <= 0:
        raise BrowserCheckError("the map iframe is not visible, so nothing can be clicked")
    return box["x"], box["y"]


def focus_county(frame: Frame, name: str) -> None:
    """Zoom the map to one county (as a user would before clicking it)."""
    if not frame.evaluate(_FOCUS_COUNTY_JS, name):
        raise BrowserCheckError(f"the map has no polygon for {name}")


def free_point(page: Page, frame: Frame, latlngs: Sequence[Sequence[float]]) -> ScreenPoint:
    """Page coordinates of the first candidate with nothing but the map on top."""
    offset_x, offset_y = _iframe_offset(page)
    point = frame.evaluate(_FREE_POINT_JS, [list(p) for p in latlngs])
    if point is None:
        raise BrowserCheckError("no candidate point is free of markers and controls")
    return ScreenPoint(offset_x + point["x"], offset_y + point["y"])


def product_point(page: Page, frame: Frame, name: str) -> ScreenPoint:
    """Zoom or spiderfy until the product's own marker is on screen; return its position."""
    offset_x, offset_y = _iframe_offset(page)
    point = frame.evaluate(_SHOW_PRODUCT_JS, name)
    if point is None:
        raise BrowserCheckError(f"the map has no marker for {name}")
    return ScreenPoint(offset_x + point["x"], offset_y + point["y"])


def click(page: Page, point: ScreenPoint) -> None:
    """A real mouse click: the pointer moves there (hover) first, then presses."""
    page.mouse.move(point.x, point.y, steps=4)
    page.mouse.click(point.x, point.y)


def shown_info(page: Page, frame: Frame, where: str, card_prefix: str = "") -> list[str]:
    """Information currently shown in one place.

    ``where`` is ``"tooltip"`` or ``"popup"`` (inside the map) or ``"card"`` (headings of
    the page starting with ``card_prefix``, e.g. 县域名片：).
    """
    if where == "card":
        headings = page.locator("h1, h2, h3, h4, h5, h6")
        return [t.strip() for t in headings.all_inner_texts() if t.strip().startswith(card_prefix)]
    return list(frame.evaluate(_MAP_INFO_JS, INFO_SELECTORS[where]))


def expect_info(
    page: Page,
    frame: Frame,
    expected: str | None,
    *,
    where: str,
    card_prefix: str = "",
    timeout: float = 15.0,
) -> str:
    """Wait until a click's information is shown in ``where`` and return it.

    ``expected`` must appear in the shown text; ``None`` accepts any information at all.
    Raises ``BrowserCheckError`` listing what was shown if nothing matching appears.
    """
    deadline = time.monotonic() + timeout
    seen: list[str] = []
    while True:
        if where == "card":  # the card comes with the rerun the click triggers
            with contextlib.suppress(PlaywrightTimeoutError):
                wait_until_idle(page, timeout_ms=int(timeout * 1000))
        seen = shown_info(page, frame, where, card_prefix)
        wanted = [text for text in seen if expected is None or expected in text]
        if wanted:
            return wanted[0]
        if time.monotonic() > deadline:
            break
        time.sleep(0.2)
    target = "any information" if expected is None else f"“{expected}”"
    raise BrowserCheckError(
        f"the click showed no {where} with {target}; {where}s shown: "
        + json.dumps(seen, ensure_ascii=False)
    )


def expect_no_info(
    page: Page, frame: Frame, *, where: str, card_prefix: str = "", timeout: float = 15.0
) -> None:
    """Wait until nothing is shown in ``where`` (a closed card leaves with the rerun the
    close button starts, which may begin a moment after the click)."""
    deadline = time.monotonic() + timeout
    while seen := shown_info(page, frame, where, card_prefix):
        if time.monotonic() > deadline:
            raise BrowserCheckError(
                f"the {where} stayed open: " + json.dumps(seen, ensure_ascii=False)
            )
        time.sleep(0.2)


def close_info(page: Page, frame: Frame) -> None:
    """Close popups and move the pointer away so the next check starts clean."""
    frame.evaluate("() => window.map_div && window.map_div.closePopup()")
    page.mouse.move(1, 1)
