"""The 分享与打印 panel on 品牌地图 in Chromium: drawn only once opened (a filter click does
not resend its QR code, poster and brief controls), then all there, QR code included."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.harness import map_frame
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
