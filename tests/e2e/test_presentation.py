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
from urllib.parse import unquote

import pytest
from playwright.sync_api import BrowserContext, Frame, Page

from tests.harness import (
    MAP_IFRAME,
    NO_TOASTS,
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
    save_screenshot(page, name, SCREENSHOTS, full_page=False, style=NO_TOASTS)


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


# --- framing clear of what stands over the map (issue 20) ----------------------------

ENSHI = "恩施州"

# In the map's iframe: every county polygon's box (container pixels), the boxes of the
# tour card and the legend, the map's own box, and whether the map is still moving.
_COUNTY_BOXES_JS = """() => {
    const map = window.map_div;
    const container = map.getContainer();
    const box = container.getBoundingClientRect();
    const seen = new Set();
    const counties = [];
    Object.values(map._layers).forEach((layer) => {
        const p = layer.feature && layer.feature.properties;
        if (!p || !('prefecture' in p) || seen.has(p.adcode) || !layer.getBounds) return;
        seen.add(p.adcode);
        const b = layer.getBounds();
        const a = map.latLngToContainerPoint(b.getNorthWest());
        const c = map.latLngToContainerPoint(b.getSouthEast());
        counties.push({name: p.name, left: box.left + a.x, top: box.top + a.y,
                       right: box.left + c.x, bottom: box.top + c.y});
    });
    const rect = (selector) => {
        const el = container.querySelector(selector);
        if (!el) return null;
        const r = el.getBoundingClientRect();
        return {left: r.left, top: r.top, right: r.right, bottom: r.bottom};
    };
    return {counties, map: {left: box.left, top: box.top, right: box.right, bottom: box.bottom},
            card: rect('.gi-tour'), legend: rect('.gi-legend'),
            moving: !!map._animatingZoom || !!(map._panAnim && map._panAnim._inProgress),
            zoom: map.getZoom(), center: map.getCenter()};
}"""
# The product markers as drawn (a cluster's icon or the marker itself), in container
# pixels, with the element a click there would reach.
_MARKER_HITS_JS = """() => {
    const map = window.map_div;
    const container = map.getContainer();
    const box = container.getBoundingClientRect();
    const shown = new Map();
    Object.values(map._layers).forEach((layer) => {
        if (!(L.MarkerClusterGroup && layer instanceof L.MarkerClusterGroup)) return;
        layer.getLayers().forEach((marker) => {
            // A marker on its own is drawn on the canvas (no icon): it is its own parent.
            const parent = marker._map ? marker : layer.getVisibleParent(marker);
            if (!parent) return;
            const names = shown.get(parent) || [];
            names.push(marker.options.giName);
            shown.set(parent, names);
        });
    });
    return [...shown].map(([parent, names]) => {
        const p = map.latLngToContainerPoint(parent.getLatLng());
        const hit = document.elementFromPoint(p.x, p.y);
        return {names, x: box.left + p.x, y: box.top + p.y,
                legend: !!(hit && hit.closest('.gi-legend')),
                control: !!(hit && hit.closest('.leaflet-control')),
                map: !!(hit && hit.closest('.leaflet-container'))};
    });
}"""


def overlap(a: dict[str, float], b: dict[str, float] | None) -> bool:
    if b is None:
        return False
    return (
        a["left"] < b["right"]
        and b["left"] < a["right"]
        and a["top"] < b["bottom"]
        and b["top"] < a["bottom"]
    )


def settled_boxes(page: Page, frame: Frame) -> dict[str, Any]:
    """The county boxes once the map has stopped moving (a step's fit animates)."""
    last: dict[str, Any] = {}

    def still() -> dict[str, Any] | None:
        nonlocal last
        now = dict(frame.evaluate(_COUNTY_BOXES_JS))
        same = not now["moving"] and now["zoom"] == last.get("zoom")
        same = same and now["center"] == last.get("center")
        last = now
        return now if same else None

    return dict(wait_until(page, still, 10, "the map settles"))


def assert_whole_view_clear(page: Page, frame: Frame) -> None:
    """Every county inside the map's box and none under the card, legend or caption bar."""
    boxes = settled_boxes(page, frame)
    offset = page.locator(MAP_IFRAME).first.bounding_box()
    assert offset is not None
    caption_box = page.locator(".st-key-present_caption").bounding_box()
    assert caption_box is not None
    caption = {
        "left": caption_box["x"] - offset["x"],
        "top": caption_box["y"] - offset["y"],
        "right": caption_box["x"] + caption_box["width"] - offset["x"],
        "bottom": caption_box["y"] + caption_box["height"] - offset["y"],
    }
    inside, counties = boxes["map"], boxes["counties"]
    assert len(counties) > 100, len(counties)  # the whole province
    cut = [
        c["name"]
        for c in counties
        if c["left"] < inside["left"] - 1
        or c["top"] < inside["top"] - 1
        or c["right"] > inside["right"] + 1
        or c["bottom"] > inside["bottom"] + 1
    ]
    assert cut == [], f"counties cut off by the map's edge: {cut}"
    for name in ("card", "legend"):
        under = [c["name"] for c in counties if overlap(c, boxes[name])]
        assert under == [], f"counties under the {name}: {under}"
    under_caption = [c["name"] for c in counties if overlap(c, caption)]
    assert under_caption == [], f"counties under the caption bar: {under_caption}"


def tour_card(frame: Frame) -> dict[str, Any]:
    return dict(
        frame.evaluate(
            """() => {
        const text = (s) => {
            const el = document.querySelector(s);
            return el ? el.innerText : null;
        };
        const c = document.querySelector('.leaflet-container');
        return {count: text('.gi-tour-count'), title: text('.gi-tour-title'),
                figures: text('.gi-tour-figures'), note: text('.gi-tour-note'),
                status: text('.gi-tour-status'), step: c.getAttribute('data-gi-tour-step'),
                state: c.getAttribute('data-gi-tour-state'),
                buttons: document.querySelectorAll('.gi-tour-buttons button').length};
    }"""
        )
    )


def caption_line(page: Page) -> str:
    return page.locator(".st-key-present_caption .gi-tour-caption").inner_text()


@pytest.mark.parametrize("size", ["1280x720", "1920x1080"])
def test_a_chain_tour_step_shows_the_whole_province_clear_of_card_legend_and_caption(
    size: str, shared_context: BrowserContext, app_server: StreamlitServer
) -> None:
    """At both projector sizes every county of the province lies inside the map and none
    under the tour card, the legend or the caption bar, at two steps (their cards differ);
    the caption bar says what the step shows; the chain with no products is named."""
    width, height = PRESENT_SIZES[size]
    with recorded_page(shared_context, {"width": width, "height": height}) as (page, recorder):
        frame = open_present(page, app_server, "tour=chains")
        first = wait_until(page, lambda: tour_card(frame)["title"] and tour_card(frame), 10, "card")
        assert first["count"].endswith("/ 9"), first
        assert "现代种业" in (first["note"] or "") and "暂无地理标志产品" in first["note"], first
        assert_whole_view_clear(page, frame)
        # The caption bar follows the step: its title and figures, not the whole filter's.
        first = tour_card(frame)
        assert caption_line(page) == f"{first['title']}：{first['figures']}"
        save_screenshot(page, f"tour-{size}", SCREENSHOTS, full_page=False, style=NO_TOASTS)
        frame.locator(".gi-tour-buttons [data-act='next']").click()
        second = wait_until(
            page, lambda: tour_card(frame)["step"] != first["step"] and tour_card(frame), 5, "next"
        )
        wait_until(
            page,
            lambda: caption_line(page) == f"{second['title']}：{second['figures']}",
            5,
            "the caption bar follows the step",
        )
        assert_whole_view_clear(page, frame)
        assert_no_streamlit_errors(page)
        recorder.assert_offline()
        recorder.assert_no_page_errors()


def test_a_tour_of_one_step_says_so_and_does_not_loop(
    shared_context: BrowserContext, app_server: StreamlitServer
) -> None:
    with recorded_page(shared_context, {"width": 1920, "height": 1080}) as (page, recorder):
        frame = open_present(page, app_server, f"chain={TEA}&tour=chains&every=2")
        card = wait_until(page, lambda: tour_card(frame)["title"] and tour_card(frame), 10, "card")
        assert card["title"] == TEA and card["count"].endswith("1 / 1"), card
        assert card["state"] == "single" and card["buttons"] == 0, card
        assert "只有这一步" in card["status"], card
        assert caption_line(page).startswith(f"{TEA}：")
        # A step re-renders the card: a mark on it survives longer than a step would last.
        frame.evaluate("() => { document.querySelector('.gi-tour-title').dataset.seen = '1'; }")
        page.wait_for_timeout(3_000)  # longer than a step (every=2)
        assert frame.evaluate("() => document.querySelector('.gi-tour-title').dataset.seen") == "1"
        assert tour_card(frame)["state"] == "single"
        recorder.assert_no_page_errors()


def test_the_selected_product_stays_open_in_presentation_mode(
    shared_context: BrowserContext, app_server: StreamlitServer
) -> None:
    """A link's product= shows that product in 展示模式: its popup opens on the map."""
    product = "秭归脐橙"
    with recorded_page(shared_context, {"width": 1920, "height": 1080}) as (page, recorder):
        frame = open_present(page, app_server, f"product={product}&present=1")
        assert f"product={product}" in unquote(page.url)
        title = frame.locator(".leaflet-popup .gi-popup-title")
        wait_until(page, lambda: title.count() == 1, 10, "the product's popup opens")
        assert title.inner_text() == product
        recorder.assert_no_page_errors()


def test_tea_in_enshi_keeps_its_products_clear_of_the_open_legend(
    shared_context: BrowserContext, app_server: StreamlitServer
) -> None:
    """At 1920×1080 with 茶叶 + 恩施州 and the legend open, every product marker (or the
    cluster holding it) is framed clear of the legend, so a click there reaches it."""
    with recorded_page(shared_context, {"width": 1920, "height": 1080}) as (page, recorder):
        open_page(page, app_server, f"explorer?chain={TEA}&prefecture={ENSHI}")
        frame = map_frame(page)
        assert frame.locator(".gi-legend details").get_attribute("open") is not None
        settled_boxes(page, frame)
        hits = frame.evaluate(_MARKER_HITS_JS)
        names = [name for hit in hits for name in hit["names"]]
        assert len(names) == int(
            frame.locator(".leaflet-container").get_attribute("data-gi-products") or 0
        )
        assert "恩施富硒茶" in names and "巴东郡贡茶" in names, names
        blocked = [
            hit["names"] for hit in hits if hit["legend"] or hit["control"] or not hit["map"]
        ]
        assert blocked == [], f"markers under the legend or off the map: {blocked}"
        save_screenshot(page, "tea-enshi-1920x1080", SCREENSHOTS, full_page=False, style=NO_TOASTS)
        recorder.assert_no_page_errors()
