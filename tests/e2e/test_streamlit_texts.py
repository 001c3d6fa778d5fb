"""Streamlit's own English in the Chinese interface, in Chromium (issue 20): the route
stop picker offers no English "Select all", a search without matches says so in
Chinese, the dialog for an unknown page is in Chinese; the English interface keeps
Streamlit's words.  (The file uploader: tests/e2e/test_data_import.py.)"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import BrowserContext

from tests.harness import (
    StreamlitServer,
    assert_no_streamlit_errors,
    open_page,
    recorded_page,
    wait_until_idle,
)

pytestmark = pytest.mark.browser

ENGLISH = re.compile(r"Select all|Select \d+ matches|No results|Page not found|Running the app")
_DIALOG_JS = """() => { const d = document.querySelector('[role="dialog"]');
    return d ? d.innerText : null; }"""


@pytest.mark.parametrize("size", [(1280, 720), (390, 844)], ids=["1280x720", "390x844"])
def test_the_route_stop_picker_speaks_chinese(
    size: tuple[int, int], shared_context: BrowserContext, app_server: StreamlitServer
) -> None:
    width, height = size
    with recorded_page(shared_context, {"width": width, "height": height}) as (page, recorder):
        open_page(page, app_server, "zones_sites")
        page.get_by_role("tab", name="主题线路").click()
        picker = page.locator("[data-testid='stMultiSelect']").filter(has_text="途经点")
        picker.wait_for()
        picker.locator("input").click()
        page.keyboard.press("ArrowDown")  # opens the list of every stop
        listbox = page.locator("[role='listbox']")
        listbox.wait_for()
        assert listbox.locator("[role='option']").count() >= 2
        assert not ENGLISH.findall(listbox.inner_text())
        picker.locator("input").fill("茶")  # several matches: "Select N matches" before
        page.wait_for_function(
            '() => document.querySelectorAll(\'[role="listbox"] [role="option"]\').length >= 2'
        )
        assert not ENGLISH.findall(page.locator("[role='listbox']").inner_text())
        picker.locator("input").fill("zzzz")  # nothing matches
        page.get_by_text("无匹配项").wait_for()
        assert not ENGLISH.findall(page.locator("body").inner_text())
        assert_no_streamlit_errors(page)
        recorder.assert_offline()


def test_an_unknown_page_is_named_in_chinese_and_in_english_in_english(
    shared_context: BrowserContext, app_server: StreamlitServer
) -> None:
    with recorded_page(shared_context, {"width": 1280, "height": 720}) as (page, recorder):
        page.goto(app_server.url("no_such_page"))
        page.wait_for_function(f"() => ({_DIALOG_JS})()?.includes('页面不存在')")
        text = page.evaluate(_DIALOG_JS)
        assert "已转到首页" in text and not ENGLISH.search(text), text
        page.goto(app_server.url("no_such_page?lang=en"))
        page.wait_for_function(f"() => ({_DIALOG_JS})()?.includes('Page not found')")
        wait_until_idle(page)
        text = page.evaluate(_DIALOG_JS)
        assert "页面不存在" not in text, text
        recorder.assert_offline()
