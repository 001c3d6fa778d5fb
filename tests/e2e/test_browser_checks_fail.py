"""The browser checks fail when the condition they guard is broken on purpose.

Each test breaks exactly one thing, either in ``broken_app.py`` (served like the real
app) or by changing the real page in the browser, and asserts that the same check
function used by ``test_browser_pages.py`` raises ``BrowserCheckError``.  The parts of the
broken page that are not under test still pass their checks, so each failure is caused
by the fault under test and nothing else.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import BrowserContext

from landmarks.data.regions import Regions
from tests.harness import (
    BrowserCheckError,
    StreamlitServer,
    assert_map_renders,
    assert_no_external_references,
    assert_no_streamlit_errors,
    click,
    expect_info,
    focus_county,
    free_point,
    interior_points,
    map_frame,
    open_page,
    outside_points,
    product_point,
    read_map_state,
    recorded_page,
)

pytestmark = pytest.mark.browser

QUICK = 3.0  # seconds to wait for information that must not appear


def test_external_tile_layer_is_flagged(
    shared_context: BrowserContext, broken_server: StreamlitServer, regions: Regions
) -> None:
    """An OpenStreetMap tile layer on the otherwise offline map: the offline proof fails."""
    with recorded_page(shared_context) as (page, recorder):
        open_page(page, broken_server, "external")
        frame = map_frame(page)
        assert_map_renders(read_map_state(page, frame, [c.name for c in regions.county_list]))
        assert_no_streamlit_errors(page)
        frame.wait_for_selector("img.leaflet-tile", state="attached")
        with pytest.raises(BrowserCheckError, match=r"tile\.openstreetmap\.org"):
            recorder.assert_offline()
        with pytest.raises(BrowserCheckError, match=r"tile\.openstreetmap\.org"):
            assert_no_external_references(page)


def test_request_from_inside_the_map_iframe_is_flagged(
    shared_context: BrowserContext, app_server: StreamlitServer
) -> None:
    """The real overview passes, until the map's iframe loads one image from a CDN."""
    with recorded_page(shared_context) as (page, recorder):
        open_page(page, app_server, "")
        frame = map_frame(page)
        recorder.assert_offline()
        assert_no_external_references(page)
        frame.evaluate(
            """() => { const img = document.createElement('img');
                       img.src = 'https://cdn.example.com/marker-icon.png';
                       document.body.appendChild(img); }"""
        )
        page.wait_for_timeout(500)  # let the request be issued (it fails: no internet)
        with pytest.raises(BrowserCheckError, match=r"cdn\.example\.com"):
            recorder.assert_offline()
        with pytest.raises(BrowserCheckError, match=r"cdn\.example\.com"):
            assert_no_external_references(page)


def test_zero_height_map_is_flagged(
    shared_context: BrowserContext, broken_server: StreamlitServer, regions: Regions
) -> None:
    """The real map and layers, rendered with height=0: loaded, yet invisible."""
    with recorded_page(shared_context) as (page, recorder):
        open_page(page, broken_server, "flat")
        assert_no_streamlit_errors(page)
        recorder.assert_offline()
        with pytest.raises(BrowserCheckError, match="iframe is 0 px high"):
            frame = map_frame(page, timeout_ms=15_000)
            names = [c.name for c in regions.county_list]
            assert_map_renders(read_map_state(page, frame, names))


def test_map_squashed_in_the_browser_is_flagged(
    shared_context: BrowserContext, app_server: StreamlitServer, regions: Regions
) -> None:
    """The real overview passes the map check, then fails it once the iframe is 0 px."""
    names = [c.name for c in regions.county_list]
    with recorded_page(shared_context) as (page, _recorder):
        open_page(page, app_server, "")
        frame = map_frame(page)
        assert_map_renders(read_map_state(page, frame, names))
        page.evaluate(
            """() => document.querySelectorAll('iframe').forEach((f) => {
                   f.style.setProperty('height', '0px', 'important');  // beats the page CSS
                   f.setAttribute('height', '0'); })"""
        )
        with pytest.raises(BrowserCheckError, match="iframe is 0 px high"):
            assert_map_renders(read_map_state(page, frame, names))


def test_click_on_open_water_is_flagged(
    shared_context: BrowserContext, app_server: StreamlitServer, regions: Regions
) -> None:
    """A real click outside every county (open water) shows nothing, and that is flagged."""
    province = regions.counties.union_all()
    with recorded_page(shared_context) as (page, _recorder):
        open_page(page, app_server, "")
        frame = map_frame(page)
        water = outside_points(province, regions.counties.total_bounds)
        click(page, free_point(page, frame, water))
        for where in ("tooltip", "popup"):
            with pytest.raises(BrowserCheckError, match="showed no"):
                expect_info(page, frame, None, where=where, timeout=QUICK)


def test_map_without_click_information_is_flagged(
    shared_context: BrowserContext, broken_server: StreamlitServer, regions: Regions
) -> None:
    """Counties without tooltips and products without popups: both clicks are flagged."""
    adcode, name = "420527", "秭归县"
    with recorded_page(shared_context) as (page, _recorder):
        open_page(page, broken_server, "mute")
        frame = map_frame(page)
        focus_county(frame, name)
        click(page, free_point(page, frame, interior_points(regions.geometry(adcode))))
        with pytest.raises(BrowserCheckError, match="showed no tooltip"):
            expect_info(page, frame, name, where="tooltip", timeout=QUICK)

        click(page, product_point(page, frame, "秭归脐橙"))
        with pytest.raises(BrowserCheckError, match="showed no popup"):
            expect_info(page, frame, "秭归脐橙", where="popup", timeout=QUICK)
        # A card page that never shows its card is flagged the same way.
        with pytest.raises(BrowserCheckError, match="showed no card"):
            expect_info(page, frame, "产品名片：秭归脐橙", where="card",
                        card_prefix="产品名片：", timeout=QUICK)  # fmt: skip


@pytest.mark.parametrize("path", ["crash", "error"])
def test_error_boxes_are_flagged(
    shared_context: BrowserContext, broken_server: StreamlitServer, path: str
) -> None:
    """An uncaught exception and an st.error box each fail the no-error check."""
    with recorded_page(shared_context) as (page, _recorder):
        open_page(page, broken_server, path)
        with pytest.raises(BrowserCheckError, match="error box"):
            assert_no_streamlit_errors(page)
        # A page that should hold a map but has none is flagged too.
        with pytest.raises(BrowserCheckError, match="no map iframe"):
            map_frame(page, timeout_ms=2_000)
