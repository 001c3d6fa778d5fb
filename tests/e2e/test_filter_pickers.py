"""The explorer's filter pickers in Chromium: typing into a short list, the counts under
the other filters, and the browser's Back and Forward buttons over filter changes.

Streamlit makes each change of the query string a history entry; Back and Forward rerun
the page with the entry's URL, and the explorer must then show that URL's view (widgets
and map), not keep the one that was left.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import BrowserContext, Page
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from tests.harness import (
    PAGE_TIMEOUT_MS,
    StreamlitServer,
    assert_no_streamlit_errors,
    map_frame,
    open_page,
    recorded_page,
    save_screenshot,
    screen_sizes,
    wait_until_idle,
)

pytestmark = pytest.mark.browser

SIZES = screen_sizes("1280x720", "390x844")
CHAINS = "explorer_chains"
PREFECTURES = "explorer_prefectures"
ENSHI = "422800"
ENSHI_NAME = "恩施土家族苗族自治州"
TEA = "茶叶"


def _params(page: Page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def chosen(page: Page, key: str) -> list[str]:
    """The options a sidebar multiselect shows as chosen (their labels)."""
    selector = f".st-key-{key} .react-aria-ComboBox [data-tag] [title]"
    titles: list[str] = page.evaluate(
        "(selector) => [...document.querySelectorAll(selector)].map((el) => el.title)", selector
    )
    return titles


def open_sidebar(page: Page) -> None:
    """On a phone the sidebar starts folded away."""
    box = page.locator("[data-testid='stSidebar']").bounding_box()
    if box is None or box["x"] < 0 or box["width"] == 0:
        page.locator("[data-testid='stExpandSidebarButton']").click()
        page.wait_for_function(
            """() => document.querySelector("[data-testid='stSidebar']")
                .getBoundingClientRect().left >= 0"""
        )


def type_and_pick(page: Page, key: str, text: str) -> list[str]:
    """Type into a multiselect, take the first match with Enter; the options the typing
    left, as the list showed them."""
    box = page.locator(f".st-key-{key} input")
    box.click()
    page.keyboard.type(text)
    options = page.locator("[role='listbox'] [role='option']")
    options.first.wait_for(state="visible")
    page.wait_for_function(
        """(text) => [...document.querySelectorAll("[role='listbox'] [role='option']")]
            .every((el) => el.innerText.includes(text))""",
        arg=text,
    )
    shown = options.all_inner_texts()
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    wait_until_idle(page)
    return shown


def wait_for(page: Page, check: Callable[[], Any], what: str) -> None:
    """Poll ``check`` (a rerun redraws the widgets a moment after the URL changes)."""
    for _ in range(300):
        if check():
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"{what}; url {page.url}")


_OPTION_TEXTS_JS = """() => {
    const texts = [...document.querySelectorAll("[role='listbox'] [role='option']")]
        .map((option) => option.innerText);
    return texts.length ? texts : null;
}"""


def prefecture_counts(page: Page, screenshot: str = "") -> dict[str, int]:
    """The 市州 options the open list shows (those above its fold): name → count."""
    wait_until_idle(page)  # a rerun's redraw closes the list
    page.locator(f".st-key-{PREFECTURES} input").click()
    options = page.locator("[role='listbox'] [role='option']")
    try:
        options.first.wait_for(state="visible", timeout=3_000)
    except PlaywrightTimeoutError:  # a click during a redraw focuses without opening
        page.keyboard.press("ArrowDown")
        options.first.wait_for(state="visible")
    # Read in one go once the list holds options: a list closed between a wait and a
    # read (a late rerun) read as no options at all.
    labels = page.wait_for_function(_OPTION_TEXTS_JS, timeout=PAGE_TIMEOUT_MS).json_value()
    if screenshot:
        save_screenshot(page, screenshot, full_page=False)
    page.keyboard.press("Escape")
    names = [label.rstrip("）").split("（") for label in labels]
    return {name: int(count) for name, count in names}


def products_on_map(page: Page) -> str:
    frame = map_frame(page)
    return str(frame.locator(".leaflet-container").get_attribute("data-gi-products"))


def map_count_after(page: Page, earlier: str) -> str:
    """The map's product count once it has drawn a filter's new data (the link changes
    first; the map's iframe draws the rerun's data a moment later)."""
    wait_for(page, lambda: products_on_map(page) not in ("", earlier), "the map kept its data")
    return products_on_map(page)


@pytest.mark.parametrize("size", SIZES)
def test_typing_enshi_into_the_prefectures_picks_it(
    size: str, shared_context: BrowserContext, app_server: StreamlitServer
) -> None:
    width, height = SIZES[size]
    with recorded_page(shared_context, {"width": width, "height": height}) as (page, recorder):
        open_page(page, app_server, "explorer")
        open_sidebar(page)
        shown = type_and_pick(page, PREFECTURES, "恩施")
        assert len(shown) == 1 and shown[0].startswith(f"{ENSHI_NAME}（"), shown
        wait_for(page, lambda: _params(page).get("prefecture") == [ENSHI], "恩施 not chosen")
        assert [label.split("（")[0] for label in chosen(page, PREFECTURES)] == [ENSHI_NAME]
        assert_no_streamlit_errors(page)
        recorder.assert_no_page_errors()


def _state(page: Page) -> tuple[list[str], list[str]]:
    return (
        [label.split("（")[0] for label in chosen(page, CHAINS)],
        [label.split("（")[0] for label in chosen(page, PREFECTURES)],
    )


def test_back_and_forward_undo_and_redo_filter_changes(
    shared_context: BrowserContext, app_server: StreamlitServer
) -> None:
    with recorded_page(shared_context, {"width": 1280, "height": 720}) as (page, recorder):
        open_page(page, app_server, "explorer")
        everything = products_on_map(page)
        before = prefecture_counts(page)
        type_and_pick(page, CHAINS, TEA)
        wait_for(page, lambda: _params(page) == {"chain": [TEA]}, "茶叶 not in the link")
        tea = map_count_after(page, everything)
        # Counts under the other filters: after 茶叶, 市州 counts tea products only.
        after = prefecture_counts(page, screenshot="sidebar_counts_after_tea_1280x720")
        # (The list shows only its first options; 武汉市 leads it, with or without tea.)
        both = set(before) & set(after)
        assert both and all(0 < after[name] <= before[name] for name in both), (before, after)
        assert any(after[name] < before[name] for name in both), (before, after)

        type_and_pick(page, PREFECTURES, "恩施")
        wait_for(page, lambda: _params(page).get("prefecture") == [ENSHI], "恩施 not chosen")
        tea_in_enshi = map_count_after(page, tea)
        assert int(tea_in_enshi) < int(tea) < int(everything)
        assert _state(page) == ([TEA], [ENSHI_NAME])

        page.go_back()  # undoes 市州
        wait_for(page, lambda: _state(page) == ([TEA], []), "Back did not undo 市州")
        assert _params(page) == {"chain": [TEA]}
        wait_for(page, lambda: products_on_map(page) == tea, "the map kept 恩施")

        page.go_forward()  # redoes it
        wait_for(page, lambda: _state(page) == ([TEA], [ENSHI_NAME]), "Forward did not redo")
        assert _params(page) == {"chain": [TEA], "prefecture": [ENSHI]}
        wait_for(page, lambda: products_on_map(page) == tea_in_enshi, "the map missed 恩施")

        page.go_back()
        wait_for(page, lambda: _state(page) == ([TEA], []), "Back did not undo 市州")
        page.go_back()  # undoes 产业链
        wait_for(page, lambda: _state(page) == ([], []), "Back did not undo 产业链")
        assert _params(page) == {}
        wait_for(page, lambda: products_on_map(page) == everything, "the map kept 茶叶")
        assert_no_streamlit_errors(page)
        recorder.assert_no_page_errors()

        # One entry per change: the next Back leaves the app for the page before it.
        page.go_back()
        page.wait_for_url("about:blank")


def test_back_undoes_a_language_switch(
    shared_context: BrowserContext, app_server: StreamlitServer
) -> None:
    with recorded_page(shared_context, {"width": 1280, "height": 720}) as (page, recorder):
        open_page(page, app_server, "explorer")
        title = page.locator("h1").first
        assert title.inner_text().startswith("湖北地标品牌地图")
        page.locator(".st-key-ui_language button").filter(has_text="English").click()
        wait_for(page, lambda: _params(page) == {"lang": ["en"]}, "English not in the link")
        wait_for(page, lambda: not title.inner_text().startswith("湖北"), "not in English")
        page.go_back()
        wait_for(page, lambda: title.inner_text().startswith("湖北"), "Back kept English")
        assert _params(page) == {}
        page.go_forward()
        wait_for(page, lambda: not title.inner_text().startswith("湖北"), "Forward kept 中文")
        assert _params(page) == {"lang": ["en"]}
        assert_no_streamlit_errors(page)
        recorder.assert_no_page_errors()
