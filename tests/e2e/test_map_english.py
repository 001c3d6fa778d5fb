"""The map script in English (``lang=en``): its own texts come from the page, in English;
labels and names carry their pinyin; the published files are the English ones."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page

from tests.harness import StreamlitServer, map_frame, open_page, recorded_page

pytestmark = pytest.mark.browser

CHINESE = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
_STATE_JS = """() => {
    const c = document.querySelector('.leaflet-container');
    const text = (selector) => [...document.querySelectorAll(selector)].map((e) => e.innerText);
    return {products: c.getAttribute('data-gi-products'),
            fullscreen: document.querySelector('.gi-fullscreen a').getAttribute('aria-label'),
            labels: text('.gi-label span'),
            buttons: text('.gi-tour-buttons button'),
            status: text('.gi-tour-status'),
            legend: text('.gi-legend')};
}"""


def wait_until(page: Page, check: Callable[[], Any], timeout_s: float, what: str) -> Any:
    deadline = time.monotonic() + timeout_s
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} within {timeout_s:g} s")
        page.wait_for_timeout(100)


def test_the_map_and_its_tour_speak_english(
    shared_context: BrowserContext, app_server: StreamlitServer
) -> None:
    with recorded_page(shared_context, {"width": 1920, "height": 1080}) as (page, recorder):
        open_page(page, app_server, "explorer?lang=en&present=1&tour=chains&every=30&idle=60")
        frame = map_frame(page)

        def state() -> dict[str, Any]:
            return dict(frame.evaluate(_STATE_JS))

        shown = wait_until(
            page, lambda: state()["products"] and state()["buttons"] and state(), 15, "a tour"
        )
        assert shown["fullscreen"] == "Full screen"
        assert shown["buttons"] == ["Previous", "Pause", "Next"], shown
        assert shown["status"] == ["Auto-play · every 30 s"], shown
        assert shown["labels"] and all(" (" in label for label in shown["labels"]), shown
        assert "Legend" in shown["legend"][0]
        assert not CHINESE.search(" ".join(shown["buttons"] + shown["status"]))
        recorder.assert_no_page_errors()
