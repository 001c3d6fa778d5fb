"""示范区与文旅: a route's stop numbers and leg distances keep clear of the zone badges.
A route through 潜江 (two zones, two badges stacked over its label point, a site and two
products close by) drew stop 1 over a badge and a leg's distance under them.  The boxes
of the drawn elements are compared, at the page's first view and one zoom step closer.
Screenshots land in ``test-output/e2e/``."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import pytest
from playwright.sync_api import BrowserContext, Frame, Page

from landmarks.data.routes import Route, Stop
from landmarks.query import routes
from tests.harness import (
    StreamlitServer,
    map_frame,
    open_page,
    recorded_page,
    save_screenshot,
    screen_sizes,
)

pytestmark = pytest.mark.browser

SIZES = screen_sizes("1280x720", "1920x1080")
QIANJIANG = Route(
    name="潜江龙虾线路",
    stops=(
        Stop("site", "潜江生态龙虾城(龙虾美食街区)"),
        Stop("product", "潜江龙虾"),
        Stop("product", "潜江虾稻"),
    ),
)
# Stop numbers and leg labels that meet a zone badge or each other, with their boxes.
_OVERLAPS_JS = """() => {
    const box = (el) => { const r = el.getBoundingClientRect();
        return {text: el.innerText.trim(), box: [r.left, r.top, r.right, r.bottom]}; };
    const meet = (a, b) => a.box[0] < b.box[2] && b.box[0] < a.box[2]
        && a.box[1] < b.box[3] && b.box[1] < a.box[3];
    const badges = [...document.querySelectorAll('.gi-badge')].map(box);
    const labels = [...document.querySelectorAll('.gi-stop, .gi-leg')].map(box);
    const found = [];
    labels.forEach((label, i) => {
        badges.filter((b) => meet(label, b)).forEach((b) => found.push([label, b]));
        labels.slice(i + 1).filter((o) => meet(label, o)).forEach((o) => found.push([label, o]));
    });
    return {badges: badges.length, labels: labels.length, overlaps: found};
}"""


# Zoom in one step; resolves once the zoom has ended (its handlers have run).
_ZOOM_IN_JS = """() => new Promise((resolve) => {
    const map = window.map_div;
    map.once('zoomend', () => setTimeout(resolve, 0));
    map.setZoom(map.getZoom() + 1);
})"""


def drawn(page: Page, frame: Frame) -> dict[str, Any]:
    """What the route drew, once every stop and leg label is on the map and still."""
    frame.wait_for_function(
        """() => { const c = document.querySelector('.leaflet-container');
            return c.getAttribute('data-gi-route') === '3' && !window.map_div._animatingZoom
                && document.querySelectorAll('.gi-leg').length === 2; }""",
        timeout=20_000,
    )
    state: dict[str, Any] = frame.evaluate(_OVERLAPS_JS)
    return state


@pytest.mark.parametrize("size", SIZES)
def test_route_labels_keep_clear_of_the_zone_badges(
    size: str, shared_context: BrowserContext, app_server: StreamlitServer
) -> None:
    width, height = SIZES[size]
    with recorded_page(shared_context, {"width": width, "height": height}) as (page, recorder):
        open_page(page, app_server, "zones_sites?" + urlencode(routes.route_to_query(QIANJIANG)))
        frame = map_frame(page)
        state = drawn(page, frame)
        assert state["badges"] >= 2 and state["labels"] == 5, state
        page.locator(
            "iframe[title='streamlit_folium.st_folium']"
        ).first.scroll_into_view_if_needed()
        save_screenshot(page, f"route-badges-qianjiang-{size}", full_page=False)
        assert state["overlaps"] == [], state["overlaps"]
        # One zoom step closer the badges and labels stand apart differently.
        frame.evaluate(_ZOOM_IN_JS)
        state = drawn(page, frame)
        assert state["overlaps"] == [], state["overlaps"]
        recorder.assert_offline()
        recorder.assert_no_page_errors()
