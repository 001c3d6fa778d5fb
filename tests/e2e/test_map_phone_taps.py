"""Taps on a phone (390×844, a touch screen) at province zoom: the clusters cover most of
the small map's counties, and a tap on one used to zoom instead of reaching the county
under the finger, so only the few counties left free could be picked.  Now a tap on a
county's visible area at province zoom selects that county (its card opens) and shows it
closer; closer in, a tap on a cluster zooms as before.  Screenshots land in
``test-output/e2e/``."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import shapely
from playwright.sync_api import Browser, BrowserContext

from landmarks.data.regions import Regions
from tests.harness import (
    MAP_IFRAME,
    StreamlitServer,
    expect_info,
    map_frame,
    new_context,
    open_page,
    recorded_page,
    save_screenshot,
    wait_until_idle,
)

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
COUNTY_CARD = "县域名片："
COUNTY_LABEL_ZOOM = 7.75  # gi_map.js: below it the map shows the whole province
# Cluster icons on screen: their centres in the iframe and as map coordinates, and
# whether a tap there reaches a county's shape (``county``; a 文旅 site's icon can lie
# over a cluster's centre, and a tap there opens the site).
_CLUSTERS_JS = """() => [...document.querySelectorAll('.gi-cluster')].map((el) => {
    const r = el.getBoundingClientRect();
    const x = r.left + r.width / 2, y = r.top + r.height / 2;
    const at = window.map_div.containerPointToLatLng([x, y]);
    const hit = document.elementFromPoint(x, y);
    const county = !!(hit && hit.closest('.leaflet-overlay-pane'));
    return {x: x, y: y, lat: at.lat, lng: at.lng, size: r.width, county: county};
}).filter((c) => c.x > 20 && c.y > 20 && c.x < innerWidth - 20 && c.y < innerHeight - 20)"""


@pytest.fixture(scope="module")
def phone_context(browser: Browser) -> Iterator[BrowserContext]:
    """A phone's browser: taps on a touch screen."""
    context = new_context(browser, PHONE, reduced_motion="reduce", has_touch=True)
    yield context
    context.close()


def test_a_tap_at_province_zoom_selects_the_county_under_a_cluster(
    phone_context: BrowserContext, app_server: StreamlitServer, regions: Regions
) -> None:
    counties = [(c.name, regions.geometry(c.adcode)) for c in regions.county_list]
    with recorded_page(phone_context, PHONE) as (page, recorder):
        open_page(page, app_server, "explorer")
        frame = map_frame(page)
        frame.wait_for_function("() => document.querySelectorAll('.gi-cluster').length > 3")
        assert frame.evaluate("() => window.map_div.getZoom()") < COUNTY_LABEL_ZOOM
        # The cluster standing deepest inside one county: under it, only that county.
        best: tuple[float, str, dict[str, float]] | None = None
        for cluster in frame.evaluate(_CLUSTERS_JS):
            if not cluster["county"]:
                continue
            point = shapely.Point(cluster["lng"], cluster["lat"])
            for name, geometry in counties:
                if geometry.contains(point):
                    depth = float(geometry.boundary.distance(point))
                    if best is None or depth > best[0]:
                        best = (depth, name, cluster)
        assert best is not None, "no cluster over a county"
        _depth, name, cluster = best
        iframe = page.locator(MAP_IFRAME).first.bounding_box()
        assert iframe is not None
        page.touchscreen.tap(iframe["x"] + cluster["x"], iframe["y"] + cluster["y"])
        card = expect_info(
            page, frame, f"{COUNTY_CARD}{name}", where="card", card_prefix=COUNTY_CARD
        )
        assert card == f"{COUNTY_CARD}{name}"
        # The county is shown closer; there a cluster tap zooms, as on a big screen.
        frame.wait_for_function(f"() => window.map_div.getZoom() >= {COUNTY_LABEL_ZOOM}")
        wait_until_idle(page)
        page.locator(MAP_IFRAME).first.scroll_into_view_if_needed()
        save_screenshot(page, "phone-county-tap-390x844", full_page=False)
        closer = frame.evaluate(_CLUSTERS_JS)
        if closer:
            zoom = frame.evaluate("() => window.map_div.getZoom()")
            iframe = page.locator(MAP_IFRAME).first.bounding_box()
            assert iframe is not None
            page.touchscreen.tap(iframe["x"] + closer[0]["x"], iframe["y"] + closer[0]["y"])
            frame.wait_for_function(
                """(zoom) => window.map_div.getZoom() > zoom
                    || !!document.querySelector('.leaflet-cluster-spider-leg')""",
                arg=zoom,
            )
            wait_until_idle(page)
            cards = [t for t in page.locator("h2, h3").all_inner_texts() if COUNTY_CARD in t]
            assert cards == [card], cards
        recorder.assert_offline()
        recorder.assert_no_page_errors()
