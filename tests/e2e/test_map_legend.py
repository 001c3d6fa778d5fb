"""Map legends in Chromium: a 收起/展开 button folds each legend (mouse, touch or
keyboard), the user's choice outlives a reload of the page (the map is drawn afresh), and
on a phone the legend starts folded.  Screenshots of the legend open and folded land in
``test-output/e2e/``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Frame, Page

from landmarks.data import store
from tests.harness import (
    StreamlitServer,
    map_frame,
    new_context,
    open_page,
    recorded_page,
    save_screenshot,
    wait_until_idle,
)

pytestmark = pytest.mark.browser

# The legend's box, whether it is open, and the fold button's visible text.
_LEGEND_JS = """() => {
    const legend = document.querySelector('.gi-legend');
    if (!legend || !legend.querySelector('details')) return null;
    const box = legend.getBoundingClientRect();
    const map = document.querySelector('.leaflet-container').getBoundingClientRect();
    const button = legend.querySelector('summary .gi-fold');
    return {open: legend.querySelector('details').open,
            button: button ? button.innerText.trim() : '',
            width: box.width, height: box.height, area: box.width * box.height,
            map: map.width * map.height};
}"""
PHONE = {"width": 390, "height": 844}
# A folded legend is one line: the title and its button.
FOLDED_HEIGHT = 40


@pytest.fixture(scope="module")
def phone_context(browser: Browser) -> Iterator[BrowserContext]:
    """A phone's browser: taps on a touch screen."""
    context = new_context(browser, PHONE, reduced_motion="reduce", has_touch=True)
    yield context
    context.close()


def legend(page: Page, frame: Frame, *, open_: bool | None = None) -> dict[str, Any]:
    """The legend's state, once it is drawn (and open or folded as ``open_`` says)."""
    frame.wait_for_function(
        """(open) => { const d = document.querySelector('.gi-legend details');
            return !!d && (open === null || d.open === open); }""",
        arg=open_,
        timeout=15_000,
    )
    state: dict[str, Any] = frame.evaluate(_LEGEND_JS)
    return state


def reloaded(page: Page) -> Frame:
    page.reload()
    wait_until_idle(page)
    return map_frame(page)


@pytest.mark.parametrize("path", ["explorer", "output_map", "zones_sites"])
def test_a_legend_folds_with_its_button_and_stays_folded_at_1920(
    path: str, shared_context: BrowserContext, app_server: StreamlitServer
) -> None:
    with recorded_page(shared_context, {"width": 1920, "height": 1080}) as (page, recorder):
        open_page(page, app_server, path)
        frame = map_frame(page)
        shown = legend(page, frame, open_=True)  # a big screen: open, with its button
        assert shown["button"] == "收起", shown
        save_screenshot(page, f"legend-open-{path}-1920x1080", full_page=False)
        # By keyboard, as on a booth PC without a mouse to hand.
        frame.locator(".gi-legend summary").focus()
        page.keyboard.press("Enter")
        folded = legend(page, frame, open_=False)
        assert folded["button"] == "展开", folded
        assert folded["height"] < FOLDED_HEIGHT and folded["area"] < shown["area"] / 3, folded
        save_screenshot(page, f"legend-folded-{path}-1920x1080", full_page=False)
        # The page drawn afresh keeps the choice; opened again, it stays open.
        frame = reloaded(page)
        assert legend(page, frame)["open"] is False, "the folded legend opened again"
        frame.locator(".gi-legend summary").click()
        legend(page, frame, open_=True)
        frame = reloaded(page)
        assert legend(page, frame)["open"] is True, "the opened legend folded again"
        recorder.assert_offline()
        recorder.assert_no_page_errors()


def test_on_a_phone_the_legend_starts_folded_and_opens_with_a_tap(
    phone_context: BrowserContext, app_server: StreamlitServer
) -> None:
    with recorded_page(phone_context, PHONE) as (page, recorder):
        open_page(page, app_server, "explorer")
        frame = map_frame(page)
        folded = legend(page, frame, open_=False)  # open, it would hide much of the map
        assert folded["button"] == "展开" and folded["height"] < FOLDED_HEIGHT, folded
        save_screenshot(page, "legend-folded-explorer-390x844", full_page=False)
        summary = frame.locator(".gi-legend summary")
        summary.tap()
        shown = legend(page, frame, open_=True)
        assert shown["button"] == "收起", shown
        save_screenshot(page, "legend-open-explorer-390x844", full_page=False)
        frame = reloaded(page)
        assert legend(page, frame)["open"] is True, "the opened legend folded again"
        frame.locator(".gi-legend summary").tap()
        legend(page, frame, open_=False)
        recorder.assert_offline()
        recorder.assert_no_page_errors()


def test_the_legend_says_what_the_dots_are_and_how_many_products_they_belong_to(
    shared_context: BrowserContext, app_server: StreamlitServer, app_db: Path
) -> None:
    """茶叶: some products hold registrations in several places, so the map shows more
    dots than the count of products beside it; the legend says both and what a dot is."""
    with recorded_page(shared_context, {"width": 1920, "height": 1080}) as (page, recorder):
        open_page(page, app_server, "explorer?chain=茶叶")  # the database is seeded by now
        with store.opened(app_db) as db:
            table = db.read_table("products")
        tea = table[table["chain"] == "茶叶"]
        dots, products = len(tea), tea["family"].nunique()
        assert dots > products  # the case the legend explains
        frame = map_frame(page)
        frame.wait_for_function(
            "(n) => document.querySelector('.leaflet-container')"
            ".getAttribute('data-gi-products') === String(n)",
            arg=dots,
        )
        legend(page, frame, open_=True)
        count = frame.locator(".gi-legend .gi-legend-count").inner_text()
        assert count == f"图上 {dots} 个圆点：{products} 个产品的 {dots} 个登记名称", count
        note = frame.locator(".gi-legend .gi-legend-note").inner_text()
        assert note.startswith("每个圆点是一个登记名称"), note
        # The page's own figure counts the same products.
        figure = page.locator("[data-testid='stMetric']", has_text="筛选结果（产品）")
        assert (
            figure.locator("[data-testid='stMetricValue']")
            .inner_text()
            .startswith(f"{products} / ")
        )
        save_screenshot(page, "legend-dots-explorer-tea-1920x1080", full_page=False)
        recorder.assert_offline()
