"""The 分享与打印 panel on 品牌地图 in Chromium: drawn only once opened (a filter click does
not resend its QR code, poster and brief controls), then all there, QR code included."""

from __future__ import annotations

import io
import re
from pathlib import Path
from urllib.parse import urlencode

import pytest
import zxingcpp
from PIL import Image
from playwright.sync_api import BrowserContext, Locator, Page, expect

from tests.harness import (
    StreamlitServer,
    map_frame,
    open_page,
    recorded_page,
    save_screenshot,
    wait_until_idle,
)
from tests.harness.views import View, ViewSpec

pytestmark = pytest.mark.browser

PANEL = "分享与打印：二维码、海报、简报、离线地图"


# The last test of its shared view (tests run by view, then file), so it may open the panel.
@pytest.mark.parametrize("view", [ViewSpec("explorer", 1280, 720)], indirect=True)
def test_the_share_panel_is_drawn_when_opened(view: View) -> None:
    page = view.page
    map_frame(page)
    tabs = page.get_by_role("tab", name="打印海报", include_hidden=True)
    expect(tabs).to_have_count(0)  # closed: not even hidden in the page
    page.get_by_text(PANEL).click()
    expect(tabs).to_have_count(1, timeout=20_000)
    expect(page.get_by_role("button", name="下载 PNG")).to_be_visible()  # the QR tab
    view.recorder.assert_no_page_errors()


LAN = "http://192.168.1.20:8601"
PICKER = "分享地址（手机扫码打开的地址）"
LOCAL_ONLY = "只能在本机打开"
TEA_IN_ENSHI = urlencode({"chain": "茶叶", "prefecture": "422800"})  # 恩施土家族苗族自治州


def _poster_tab(page: Page) -> Locator:
    return page.get_by_role("tabpanel").filter(has_text="生成并下载海报")


def _type_address(page: Page, address: str) -> None:
    box = page.get_by_role("combobox", name=PICKER)
    box.click()
    box.fill(address)
    # Streamlit's own "Add: …", in Chinese (landmarks/ui/language.py).
    page.get_by_role("option", name=f"使用：{address}").wait_for()
    box.press("Enter")


def test_the_presenter_sets_the_public_address_and_the_poster_carries_it(
    shared_context: BrowserContext, app_server: StreamlitServer
) -> None:
    """The app is served on 127.0.0.1: the poster tab warns; the presenter types the
    LAN address (a malformed one is refused in Chinese), the warning goes, the page's
    link keeps the address, and the downloaded poster is named after the filter and its
    QR code decodes to the view on the LAN address."""
    with recorded_page(shared_context, {"width": 1280, "height": 720}) as (page, recorder):
        open_page(page, app_server, f"explorer?{TEA_IN_ENSHI}")
        page.get_by_text(PANEL).click()
        page.get_by_role("tab", name="打印海报").click()
        expect(_poster_tab(page).get_by_text(LOCAL_ONLY)).to_be_visible(timeout=20_000)
        copied_local = page.get_by_text("复制的链接只能在本机打开")
        expect(copied_local).to_have_count(1)  # the sidebar's copy-link button says so too

        _type_address(page, "http://exa mple:80")
        expect(page.get_by_text("分享地址无效，未采用")).to_be_visible(timeout=20_000)
        expect(_poster_tab(page).get_by_text(LOCAL_ONLY)).to_be_visible()

        _type_address(page, "192.168.1.20:8601")
        expect(_poster_tab(page).get_by_text(LOCAL_ONLY)).to_have_count(0, timeout=20_000)
        expect(page.get_by_text("分享地址无效，未采用")).to_have_count(0)
        expect(page).to_have_url(re.compile(r"public_url=http%3A%2F%2F192\.168\.1\.20%3A8601"))
        expect(copied_local).to_have_count(0)
        expect(page.locator(".gi-copy-link")).to_have_attribute(
            "data-url", re.compile(r"^http://192\.168\.1\.20:8601/explorer\?chain=")
        )

        page.get_by_text("A4", exact=True).click()
        wait_until_idle(page)
        with page.expect_download(timeout=120_000) as caught:
            page.get_by_role("button", name="生成并下载海报（A4 横向）").click()
        download = caught.value
        assert download.suggested_filename == "湖北地标品牌地图_茶叶_恩施州_A4横向.png"
        image = Image.open(io.BytesIO(Path(download.path()).read_bytes()))
        decoded = [result.text for result in zxingcpp.read_barcodes(image)]
        # The poster's code opens the public page (the default) on the same view.
        public = f"{LAN}/app/static/p/index.html"
        assert decoded == [f"{public}?chain=%E8%8C%B6%E5%8F%B6&prefecture=422800"]
        recorder.assert_no_page_errors()


def test_a_link_with_the_public_address_opens_the_panel_set_on_a_phone(
    shared_context: BrowserContext, app_server: StreamlitServer
) -> None:
    """The address round-trips in the link; at 390x844 the picker fits the screen."""
    query = urlencode({"chain": "茶叶", "public_url": LAN})
    with recorded_page(shared_context, {"width": 390, "height": 844}) as (page, recorder):
        open_page(page, app_server, f"explorer?{query}")
        page.get_by_text(PANEL).click()
        box = page.get_by_role("combobox", name=PICKER)
        box.scroll_into_view_if_needed()
        # The picker shows the address, and the QR tab's link (to the public page) is on it.
        expect(box).to_have_accessible_name(PICKER)
        public = f"{LAN}/app/static/p/index.html"
        expect(page.get_by_role("link", name=f"{public}?chain=%E8%8C%B6%E5%8F%B6")).to_be_attached(
            timeout=20_000
        )
        assert LAN in box.evaluate("(element) => element.value ?? element.textContent")
        bounds = box.bounding_box()
        assert bounds is not None and bounds["x"] >= 0 and bounds["x"] + bounds["width"] <= 390
        page.get_by_role("tab", name="打印海报").click()
        expect(
            _poster_tab(page).get_by_role("button", name=re.compile("生成并下载海报"))
        ).to_be_visible()
        expect(_poster_tab(page).get_by_text(LOCAL_ONLY)).to_have_count(0)
        expect(page).to_have_url(re.compile(r"public_url=http%3A%2F%2F192\.168\.1\.20%3A8601"))
        box.scroll_into_view_if_needed()
        save_screenshot(page, "share-panel-390x844", full_page=False)
        recorder.assert_no_page_errors()
