"""A multi-county product's area in Chromium: drawn over its counties, framed, clicked through.

武当道茶's seed note names its protection scope, nine places that are eight county units
of 十堰市 (武当山特区 lies in 丹江口市, 郧县 is now 郧阳区).  Opened by a shared link that
selects it, the map draws those counties (outline and light fill) and frames them; a tap
on a county inside the area still opens that county.  Screenshots land in
``test-output/e2e/``.
"""

from __future__ import annotations

import pytest
import shapely
from playwright.sync_api import BrowserContext, Frame, Page

from landmarks.data.regions import Regions
from landmarks.maps.builders import STYLES
from tests.harness import (
    SCREEN_SIZES,
    Box,
    StreamlitServer,
    assert_no_streamlit_errors,
    click,
    expect_info,
    free_point,
    interior_points,
    map_frame,
    open_page,
    recorded_page,
    save_screenshot,
    view_bounds,
    wait_for_area,
    wait_for_view,
)

pytestmark = pytest.mark.browser

SIZES = SCREEN_SIZES
PRODUCT = "武当道茶"
SCOPE = "竹溪、竹山、武当山特区、房县、郧县、郧西、丹江口、张湾、茅箭"  # as the seed note says
PREFECTURE = "十堰市"
TAPPED = "房县"

# The area's polygons as drawn: county features in the area style, not interactive, in
# the same canvas renderer as the counties (a canvas of their own would swallow clicks).
_AREA_LAYERS_JS = """(color) => {
    const layers = Object.values(window.map_div._layers);
    const county = layers.find((l) => l.feature && l.options.interactive !== false
        && l.feature.properties.prefecture);
    const area = layers.filter((l) => l.feature && l.options.color === color
        && l.options.interactive === false && l._parts && l._parts.length > 0);
    return {adcodes: [...new Set(area.map((l) => l.feature.properties.adcode))],
            sameRenderer: area.every((l) => l._renderer === county._renderer)};
}"""
# The product's own marker, wherever the cluster group holds it.
_MARKER_JS = """(name) => {
    let found = null;
    Object.values(window.map_div._layers).forEach((l) => {
        if (L.MarkerClusterGroup && l instanceof L.MarkerClusterGroup) {
            l.getLayers().forEach((m) => { if (m.options.giName === name) found = m; });
        }
    });
    if (!found) return null;
    const tip = document.createElement('div');
    tip.innerHTML = found.getTooltip().getContent();
    return {dash: found.options.dashArray || '', fill: found.options.fillColor,
            area: found.options.giArea.split(' '), tooltip: tip.textContent};
}"""


def viewport(size: str) -> dict[str, int]:
    width, height = SIZES[size]
    return {"width": width, "height": height}


def scope_adcodes(regions: Regions) -> set[str]:
    return {regions.county(name, prefecture=PREFECTURE).adcode for name in SCOPE.split("、")}


def union_box(regions: Regions, adcodes: set[str]) -> Box:
    west, south, east, north = shapely.union_all([regions.geometry(c) for c in adcodes]).bounds
    return south, west, north, east


def province_width(regions: Regions) -> float:
    west, _, east, _ = regions.counties.total_bounds
    return float(east - west)


def open_product(page: Page, server: StreamlitServer) -> Frame:
    open_page(page, server, f"explorer?product={PRODUCT}")
    return map_frame(page)


@pytest.mark.parametrize("size", SIZES)
def test_a_selected_multi_county_product_draws_and_frames_its_area(
    size: str, shared_context: BrowserContext, app_server: StreamlitServer, regions: Regions
) -> None:
    expected = scope_adcodes(regions)
    target = union_box(regions, expected)
    with recorded_page(shared_context, viewport(size)) as (page, recorder):
        frame = open_product(page, app_server)
        assert set(wait_for_area(page, frame, drawn=True)) == expected
        drawn = frame.evaluate(_AREA_LAYERS_JS, STYLES["area"]["color"])
        assert set(drawn["adcodes"]) == expected and drawn["sameRenderer"], drawn
        view = wait_for_view(page, frame, target)
        # Framed on the area, not left at the whole province.
        assert view[3] - view[1] < 0.75 * province_width(regions), view
        marker = frame.evaluate(_MARKER_JS, PRODUCT)
        assert marker is not None, "no marker for the product"
        assert marker["dash"] and marker["fill"] == STYLES["wide_marker"]["fillColor"], marker
        assert f"跨 {len(expected)} 个县" in marker["tooltip"], marker
        assert set(marker["area"]) == expected, marker  # the rows carry the area too
        expect_info(page, frame, PRODUCT, where="card", card_prefix="产品名片")
        page.wait_for_timeout(600)  # the fit's animation
        save_screenshot(page, f"explorer-area-{size}", full_page=False)
        assert_no_streamlit_errors(page)
        recorder.assert_offline()
        recorder.assert_no_page_errors()


@pytest.mark.parametrize("size", ["1280x720", "390x844"])
def test_a_tap_inside_the_area_opens_that_county_and_keeps_the_view(
    size: str, shared_context: BrowserContext, app_server: StreamlitServer, regions: Regions
) -> None:
    expected = scope_adcodes(regions)
    county = regions.county(TAPPED, prefecture=PREFECTURE)
    assert county.adcode in expected
    with recorded_page(shared_context, viewport(size)) as (page, recorder):
        frame = open_product(page, app_server)
        wait_for_area(page, frame, drawn=True)
        wait_for_view(page, frame, union_box(regions, expected))
        page.wait_for_timeout(600)
        before = view_bounds(frame)
        click(page, free_point(page, frame, interior_points(regions.geometry(county.adcode))))
        card = expect_info(page, frame, f"县域名片：{TAPPED}", where="card", card_prefix="县域名片")
        assert card == f"县域名片：{TAPPED}"
        assert wait_for_area(page, frame, drawn=False) == []  # the product is deselected
        page.wait_for_timeout(600)
        assert view_bounds(frame) == pytest.approx(before, abs=1e-6)  # no jump
        assert_no_streamlit_errors(page)
        recorder.assert_offline()
