"""The 分享与打印 panel on 品牌地图 in Chromium: drawn only once opened (a filter click does
not resend its QR code, poster and brief controls), then all there, QR code included."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from tests.harness import StreamlitServer, map_frame, open_page, recorded_context

pytestmark = pytest.mark.browser

PANEL = "分享与打印：二维码、海报、简报、离线地图"


def test_the_share_panel_is_drawn_when_opened(
    browser: Browser, app_server: StreamlitServer
) -> None:
    with recorded_context(browser, {"width": 1280, "height": 720}) as (context, recorder):
        page = context.new_page()
        open_page(page, app_server, "explorer")
        map_frame(page)
        tabs = page.get_by_role("tab", name="打印海报", include_hidden=True)
        expect(tabs).to_have_count(0)  # closed: not even hidden in the page
        page.get_by_text(PANEL).click()
        expect(tabs).to_have_count(1, timeout=20_000)
        expect(page.get_by_role("button", name="下载 PNG")).to_be_visible()  # the QR tab
        recorder.assert_no_page_errors()
