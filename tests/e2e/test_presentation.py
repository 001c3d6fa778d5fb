"""展示模式, the booth tour and the phone layout in Chromium.

Presentation mode is checked at the three screens it was designed for (1920×1080,
1280×720, 3840×2160): no sidebar or Streamlit chrome, type readable from a few metres,
the map filling the screen, the filter kept.  The full-screen button must work inside
the component's iframe; the tour must advance, pause on input and start again after
the idle time; on a 390×844 phone the map is the first thing and nothing blank follows.
Screenshots for the closing note land in ``var/screenshots/``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Frame, Page

from tests.harness import (
    MAP_IFRAME,
    ROOT,
    StreamlitServer,
    assert_no_streamlit_errors,
    map_frame,
    open_page,
    recorded_page,
    save_screenshot,
)
from tests.harness.views import View, ViewSpec

pytestmark = pytest.mark.browser

SCREENSHOTS = ROOT / "var" / "screenshots"
PRESENT_SIZES = {"1920x1080": (1920, 1080), "1280x720": (1280, 720), "3840x2160": (3840, 2160)}
PHONE = (390, 844)
TEA = "茶叶"

_CHROME_JS = """() => [
    '[data-testid="stSidebar"]', '[data-testid="stSidebarCollapsedControl"]',
    '[data-testid="stHeader"]', '[data-testid="stToolbar"]', 'footer',
].filter((selector) => [...document.querySelectorAll(selector)].some((el) => {
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== 'hidden';
}))"""
# Font sizes (px) of the map labels drawn now, by kind.
_LABEL_SIZES_JS = """() => [...document.querySelectorAll('.gi-label span')].map((el) =>
    parseFloat(getComputedStyle(el).fontSize))"""
_TOUR_JS = """() => {
    const c = document.querySelector('.leaflet-container');
    const title = document.querySelector('.gi-tour-title');
    return {step: c.getAttribute('data-gi-tour-step'), state: c.getAttribute('data-gi-tour-state'),
            title: title ? title.innerText : null,
            products: c.getAttribute('data-gi-products')};
}"""
# What follows the map on the page: the nearest box below it (the map's own boxes aside).
_BELOW_MAP_JS = """(selector) => {
    const iframe = document.querySelector(selector);
    const map = iframe.getBoundingClientRect();
    const tops = [...document.querySelectorAll(
            '[data-testid="stElementContainer"], [data-testid="stLayoutWrapper"]')]
        .filter((el) => !el.contains(iframe))
        .map((el) => el.getBoundingClientRect())
        .filter((r) => r.height > 0 && r.top >= map.bottom - 1)
        .map((r) => r.top);
    const main = document.querySelector('[data-testid="stMain"]');
    return {top: map.top, bottom: map.bottom, next: tops.length ? Math.min(...tops) : null,
            end: main.scrollHeight - main.scrollTop};
}"""


def open_present(page: Page, server: StreamlitServer, query: str) -> Frame:
    open_page(page, server, f"explorer?{query}")
    frame = map_frame(page)
    page.wait_for_timeout(700)  # the first fit and label placement
    return frame


def wait_until(page: Page, check: Callable[[], Any], timeout_s: float, what: str) -> Any:
    deadline = time.monotonic() + timeout_s
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} within {timeout_s:g} s")
        page.wait_for_timeout(100)


def screenshot(page: Page, name: str) -> None:
    save_screenshot(page, name, SCREENSHOTS, full_page=False)


@pytest.mark.parametrize("size", PRESENT_SIZES)
def test_presentation_mode_fills_the_screen_with_big_type(
    size: str, shared_context: BrowserContext, app_server: StreamlitServer
) -> None:
    width, height = PRESENT_SIZES[size]
    with recorded_page(shared_context, {"width": width, "height": height}) as (page, recorder):
        frame = open_present(page, app_server, f"chain={TEA}&present=1")
        assert page.evaluate(_CHROME_JS) == [], "Streamlit's chrome or the sidebar shows"
        title = page.locator("h1").first
        assert title.inner_text().startswith("湖北地标品牌地图 · 全省 · 茶叶")
        title_px = float(title.evaluate("(el) => parseFloat(getComputedStyle(el).fontSize)"))
        if height >= 1080:
            assert title_px >= 40 * height / 1080 - 0.5, title_px
        caption = page.locator(".st-key-present_caption").inner_text()
        assert "地理标志产品" in caption and "口径" in caption, caption
        # The filter is kept: only tea products are on the map, and in the link.
        assert "chain=" in page.url and "present=1" in page.url
        container = frame.locator(".leaflet-container")
        shown = int(container.get_attribute("data-gi-products") or 0)
        assert 0 < shown < 100, shown
        box = page.locator(MAP_IFRAME).first.bounding_box()
        assert box is not None
        # At least 18 px, growing with the map beyond 1920 px (a 4K screen at 100 %).
        labels = frame.evaluate(_LABEL_SIZES_JS)
        assert labels and min(labels) >= 18 * max(1, box["width"] / 1920) - 1, labels
        assert box["y"] + box["height"] <= height + 1, box  # no scrolling
        assert box["height"] >= 0.75 * height and box["width"] >= 0.95 * width, box
        assert_no_streamlit_errors(page)
        recorder.assert_offline()
        recorder.assert_no_page_errors()
        if size != "3840x2160":
            screenshot(page, f"present-{size}")


@pytest.mark.parametrize(("query", "whole_page"), [("present=1", True), ("", False)])
def test_the_full_screen_button_works_inside_the_iframe(
    query: str, whole_page: bool, shared_context: BrowserContext, app_server: StreamlitServer
) -> None:
    """In 展示模式 the whole page (the presentation) goes full screen, elsewhere the map's
    own container inside the component iframe."""
    with recorded_page(shared_context, {"width": 1280, "height": 720}) as (page, recorder):
        frame = open_present(page, app_server, query)
        allow = page.locator(MAP_IFRAME).first.get_attribute("allow") or ""
        assert "fullscreen" in allow, allow  # Streamlit lets component iframes go full screen
        button = frame.locator(".gi-fullscreen a")
        assert button.get_attribute("aria-label") == "全屏显示"
        button.click()
        page_js = "() => document.fullscreenElement && document.fullscreenElement.tagName"
        frame_js = "() => document.fullscreenElement && document.fullscreenElement.id"
        if whole_page:
            wait_until(page, lambda: page.evaluate(page_js) == "HTML", 5, "the page is full screen")
        else:
            wait_until(page, lambda: frame.evaluate(frame_js) == "map_div", 5, "the map is full")
        wait_until(
            page, lambda: button.get_attribute("aria-label") == "退出全屏", 5, "labelled 退出全屏"
        )
        button.click()
        wait_until(
            page,
            lambda: not page.evaluate(page_js) and not frame.evaluate(frame_js),
            5,
            "full screen ends",
        )
        recorder.assert_no_page_errors()


def test_the_tour_advances_pauses_on_input_and_starts_again_when_idle(
    shared_context: BrowserContext, app_server: StreamlitServer
) -> None:
    with recorded_page(shared_context, {"width": 1920, "height": 1080}) as (page, recorder):
        frame = open_present(page, app_server, "tour=chains&every=2&idle=8")
        assert "present=1" in page.url and "tour=chains" in page.url, page.url

        def tour() -> dict[str, Any]:
            return dict(frame.evaluate(_TOUR_JS))

        first = wait_until(page, lambda: tour()["step"] is not None and tour(), 10, "a tour")
        # Two seconds a step: on a loaded machine the first step seen may be the second.
        assert first["state"] == "playing" and first["step"] in ("0", "1"), first
        moved = wait_until(page, lambda: tour()["step"] != first["step"] and tour(), 3.5, "steps")
        assert moved["title"] != first["title"] and moved["state"] == "playing"
        page.wait_for_timeout(600)  # the fit's animation
        screenshot(page, "tour-step")
        # A touch on the map pauses it where it is.
        box = page.locator(MAP_IFRAME).first.bounding_box()
        assert box is not None
        page.mouse.click(box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.15)
        paused = wait_until(page, lambda: tour()["state"] == "paused" and tour(), 2, "pauses")
        page.wait_for_timeout(2_500)  # longer than a step, well short of the idle time
        assert tour()["step"] == paused["step"] and tour()["state"] == "paused"
        # Next and previous drive it by hand (still paused).
        frame.locator(".gi-tour-buttons [data-act='next']").click()
        stepped = tour()
        assert stepped["step"] != paused["step"] and stepped["state"] == "paused"
        # Left alone for the idle time, it starts again from the first step.
        restarted = wait_until(
            page, lambda: tour()["state"] == "playing" and tour(), 12, "restarts when idle"
        )
        assert restarted["step"] == "0" and restarted["title"] == "优质稻米", restarted
        wait_until(page, lambda: tour()["step"] == "1", 3.5, "advances again")
        # The 暂停 button pauses too.
        frame.locator(".gi-tour-buttons [data-act='toggle']").click()
        assert tour()["state"] == "paused"
        assert_no_streamlit_errors(page)
        recorder.assert_offline()
        recorder.assert_no_page_errors()


@pytest.mark.parametrize(
    ("path", "view"),
    [(path, ViewSpec(path, *PHONE)) for path in ("", "explorer")],
    ids=["", "explorer"],
    indirect=["view"],
)
def test_on_a_phone_the_map_comes_first_and_nothing_blank_follows(path: str, view: View) -> None:
    height = PHONE[1]
    page, recorder = view.page, view.recorder
    frame = map_frame(page)
    page.wait_for_timeout(500)
    layout = page.evaluate(_BELOW_MAP_JS, MAP_IFRAME)
    assert layout["top"] < height / 4, layout  # right under the title
    assert layout["bottom"] <= height, layout  # the whole map on the first screen
    assert layout["next"] is not None and layout["next"] - layout["bottom"] < 48, layout
    # The legend is folded to its title, a button that opens it.
    legend = frame.locator(".gi-legend details")
    assert legend.get_attribute("open") is None
    frame.locator(".gi-legend summary").click()
    assert legend.get_attribute("open") is not None
    frame.locator(".gi-legend summary").click()
    screenshot(page, f"phone-{path or 'overview'}")
    assert_no_streamlit_errors(page)
    recorder.assert_offline()
