"""The map core in Chromium at three screen sizes: framing, labels, clicks that hit.

Sizes: a 1920×1080 big screen, a 1280×720 projector and a 390×844 phone; clicks and
layout break at the small sizes first.  Screenshots land in ``test-output/e2e/``.
"""

from __future__ import annotations

import contextlib
import time

import pytest
from playwright.sync_api import BrowserContext, Frame, Page
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from landmarks.data.regions import Regions
from tests.harness import (
    MAP_IFRAME,
    SCREEN_SIZES,
    StreamlitServer,
    assert_no_streamlit_errors,
    click,
    expect_info,
    focus_county,
    free_point,
    interior_points,
    map_frame,
    open_page,
    recorded_page,
    save_screenshot,
    view_bounds,
    wait_for_view,
    wait_until_idle,
)
from tests.harness.clicks import ScreenPoint
from tests.harness.views import View, ViewSpec

pytestmark = pytest.mark.browser

SIZES = SCREEN_SIZES
COUNTY_CARD = "县域名片："
# Taps that used to open a neighbour (宣恩县, 樊城区, 长阳) at small sizes.
TAPPED_COUNTIES = ("恩施市", "襄州区", "秭归县")

_CLUSTERS_JS = """() => [...document.querySelectorAll('.gi-cluster')].map((el) => {
    const r = el.getBoundingClientRect();
    return {x: r.left + r.width / 2, y: r.top + r.height / 2, w: r.width};
}).filter((c) => c.x > 30 && c.y > 30 && c.x < innerWidth - 30 && c.y < innerHeight - 30)"""
# Zoomed in or spread out (a cluster at full zoom), and every animation over, so that the
# clusters are where the next click aims.
_ZOOMED_OR_SPIDERED_JS = """(zoom) => (window.map_div.getZoom() > zoom
        || !!document.querySelector('.leaflet-cluster-spider-leg'))
    && !window.map_div._animatingZoom && !document.querySelector('.leaflet-cluster-anim')"""
_LABELS_JS = """(kind) => [...document.querySelectorAll('.gi-label-' + kind)].map((el) => {
    const r = el.getBoundingClientRect();
    return {text: el.innerText.trim(), box: [r.left, r.top, r.right, r.bottom]};
})"""


def viewport(size: str) -> dict[str, int]:
    width, height = SIZES[size]
    return {"width": width, "height": height}


def box_of(regions: Regions, adcode: str) -> tuple[float, float, float, float]:
    west, south, east, north = regions.geometry(adcode).bounds
    return south, west, north, east


def area(box: tuple[float, float, float, float]) -> float:
    return (box[2] - box[0]) * (box[3] - box[1])


def open_map(page: Page, server: StreamlitServer, path: str) -> Frame:
    open_page(page, server, path)
    frame = map_frame(page)
    page.wait_for_timeout(500)  # the first fit and label placement
    return frame


def settled_clusters(page: Page, frame: Frame) -> list[dict[str, float]]:
    """The clusters in view once they stay put: after a zoom, the rerun that follows may
    rebuild them a moment later, and a click aimed at the old places misses."""
    previous = None
    deadline = time.monotonic() + 10
    while True:
        current: list[dict[str, float]] = frame.evaluate(_CLUSTERS_JS)
        if current == previous or time.monotonic() > deadline:
            return current
        previous = current
        page.wait_for_timeout(300)


def county_cards(page: Page) -> list[str]:
    return [t for t in page.locator("h2, h3").all_inner_texts() if t.startswith(COUNTY_CARD)]


@pytest.mark.parametrize(
    ("size", "path", "view"),
    [(size, path, ViewSpec(path, *SIZES[size])) for size in SIZES for path in ("", "explorer")],
    ids=[f"{path or 'overview'}-{size}" for size in SIZES for path in ("", "explorer")],
    indirect=["view"],
)
def test_the_province_fits_and_the_map_is_above_the_fold(
    size: str, path: str, view: View, regions: Regions
) -> None:
    south, west, north, east = 90.0, 180.0, -90.0, -180.0
    for county in regions.county_list:
        s, w, n, e = box_of(regions, county.adcode)
        south, west, north, east = min(south, s), min(west, w), max(north, n), max(east, e)
    page = view.page
    frame = map_frame(page)
    wait_for_view(page, frame, (south, west, north, east))
    view_box = view_bounds(frame)
    # Fitted, not lost in a corner: Hubei fills much of the frame.
    assert area((south, west, north, east)) > 0.2 * area(view_box), view_box
    save_screenshot(page, f"{path or 'overview'}-{size}", full_page=False)
    if size != "390x844":  # on a phone the map is the first thing, scrolled to
        box = page.locator(MAP_IFRAME).first.bounding_box()
        assert box is not None and box["y"] + box["height"] <= SIZES[size][1], box
    assert_no_streamlit_errors(page)
    view.recorder.assert_offline()


# On a phone at province zoom a tap on a cluster selects the county under it
# (tests/e2e/test_map_phone_taps.py); closer in, clusters only zoom there too.
@pytest.mark.parametrize("size", [size for size in SIZES if size != "390x844"])
def test_cluster_clicks_only_zoom(
    size: str, shared_context: BrowserContext, app_server: StreamlitServer
) -> None:
    with recorded_page(shared_context, viewport(size)) as (page, recorder):
        frame = open_map(page, app_server, "explorer")
        offset = page.locator(MAP_IFRAME).first.bounding_box()
        assert offset is not None
        clicked = 0
        for _ in range(3):
            clusters = settled_clusters(page, frame)
            if not clusters:
                break
            target = max(clusters, key=lambda c: c["w"])  # the biggest: over most counties
            zoom = frame.evaluate("() => window.map_div.getZoom()")
            click(page, ScreenPoint(offset["x"] + target["x"], offset["y"] + target["y"]))
            with contextlib.suppress(PlaywrightTimeoutError):  # asserted just below
                frame.wait_for_function(_ZOOMED_OR_SPIDERED_JS, arg=zoom, timeout=10_000)
            wait_until_idle(page)
            assert frame.evaluate(_ZOOMED_OR_SPIDERED_JS, zoom), "a cluster click did not zoom"
            assert county_cards(page) == [], "a cluster click opened a county card"
            clicked += 1
        assert clicked > 0, "no cluster on the map to click"
        save_screenshot(page, f"explorer-cluster-clicks-{size}", full_page=False)
        assert_no_streamlit_errors(page)
        recorder.assert_offline()


@pytest.mark.parametrize("size", SIZES)
def test_a_tap_on_a_county_opens_that_county(
    size: str, shared_context: BrowserContext, app_server: StreamlitServer, regions: Regions
) -> None:
    by_name = {c.name: c for c in regions.county_list}
    with recorded_page(shared_context, viewport(size)) as (page, recorder):
        frame = open_map(page, app_server, "explorer")
        for name in TAPPED_COUNTIES:
            focus_county(frame, name)  # as a user zooms in before tapping a small county
            county = by_name[name]
            click(page, free_point(page, frame, interior_points(regions.geometry(county.adcode))))
            card = expect_info(page, frame, f"{COUNTY_CARD}{name}", where="card",
                               card_prefix=COUNTY_CARD)  # fmt: skip
            assert card == f"{COUNTY_CARD}{name}"
        save_screenshot(page, f"explorer-county-tap-{size}", full_page=False)
        recorder.assert_offline()


def test_a_prefecture_filter_and_a_county_link_frame_their_area(
    shared_context: BrowserContext, app_server: StreamlitServer, regions: Regions
) -> None:
    enshi = regions.prefecture("恩施州").adcode
    zigui = regions.county("秭归县").adcode
    for path, adcode, name in (
        ("explorer?prefecture=恩施州", enshi, "prefecture"),
        ("explorer?county=秭归县", zigui, "county"),
    ):
        with recorded_page(shared_context, viewport("1280x720")) as (page, recorder):
            frame = open_map(page, app_server, path)
            target = box_of(regions, adcode)
            wait_for_view(page, frame, target)
            assert area(view_bounds(frame)) < 6 * area(target), "framed, not the province"
            save_screenshot(page, f"explorer-framed-{name}", full_page=False)
            recorder.assert_offline()


def test_labels_are_drawn_without_overlap(
    shared_context: BrowserContext, app_server: StreamlitServer, regions: Regions
) -> None:
    prefectures = {p.name for p in regions.prefecture_list}
    with recorded_page(shared_context, viewport("1920x1080")) as (page, _recorder):
        frame = open_map(page, app_server, "explorer")
        shown = frame.evaluate(_LABELS_JS, "prefecture")
        assert len(shown) >= len(prefectures) // 2
        assert {label["text"] for label in shown} <= prefectures
        assert frame.evaluate(_LABELS_JS, "county") == []  # not at province zoom
        focus_county(frame, "秭归县")
        page.wait_for_timeout(500)
        counties = frame.evaluate(_LABELS_JS, "county")
        assert "秭归县" in {label["text"] for label in counties}
        boxes = [label["box"] for label in counties]
        for i, a in enumerate(boxes):
            for b in boxes[i + 1 :]:
                assert not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3])
        save_screenshot(page, "explorer-county-labels", full_page=False)


def test_a_map_whose_data_cannot_load_says_so(
    shared_context: BrowserContext, app_server: StreamlitServer
) -> None:
    with recorded_page(shared_context, viewport("1280x720")) as (page, _recorder):
        page.route("**/app/static/gi/rows.*", lambda route: route.abort())
        open_page(page, app_server, "explorer")
        frame = map_frame(page)
        problem = frame.locator(".gi-problem")
        problem.wait_for(timeout=15_000)
        assert "地图数据加载失败" in problem.inner_text()
        save_screenshot(page, "explorer-data-failed", full_page=False)
