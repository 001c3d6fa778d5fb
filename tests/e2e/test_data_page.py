"""数据管理 in Chromium, as a viewer: downloads only, whatever the URL asks for.

The server runs with no editor account configured.  A viewer opening the page, or a URL
that names the write tabs, sees no upload, no editable grid and no write button; the
templates still download as real workbooks.
"""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest
from playwright.sync_api import BrowserContext, Page

from tests.harness import (
    StreamlitServer,
    assert_no_streamlit_errors,
    open_page,
    recorded_page,
    screen_sizes,
)
from tests.harness.views import View, ViewSpec

pytestmark = pytest.mark.browser

SIZES = screen_sizes("1280x720", "390x844")
URLS = ("data", "data?tab=导入数据&edit=1&editor=wang", "data?mode=update#导入数据")
WRITE_WORDS = ("导入数据", "在线编辑", "保存修改", "回滚到版本", "只导入无误")

_WRITE_CONTROLS_JS = """(words) => ({
    uploads: document.querySelectorAll('input[type=file], [data-testid=stFileUploader]').length,
    editors: document.querySelectorAll('[data-testid=stDataFrameGlideDataEditor]').length,
    buttons: [...document.querySelectorAll('button, [role=tab]')]
        .map((el) => el.innerText.trim())
        .filter((text) => words.some((word) => text.includes(word))),
    tabs: [...document.querySelectorAll('[role=tab]')].map((el) => el.innerText.trim()),
})"""


def write_controls(page: Page) -> dict[str, object]:
    result: dict[str, object] = page.evaluate(_WRITE_CONTROLS_JS, list(WRITE_WORDS))
    return result


# Tabs are clicked: the last test of each of its shared views (tests run by view, then file).
@pytest.mark.parametrize(
    "view",
    [ViewSpec(url, *SIZES[size]) for url in URLS for size in SIZES],
    ids=[f"{url}-{size}" for url in URLS for size in SIZES],
    indirect=True,
)
def test_a_viewer_reaches_no_write_control(view: View) -> None:
    page, recorder = view.page, view.recorder
    page.get_by_text("数据管理", exact=False).first.wait_for()
    found = write_controls(page)
    assert found["tabs"] == ["模板下载", "版本记录", "完整导出"], found
    assert (found["uploads"], found["editors"], found["buttons"]) == (0, 0, []), found
    # Every tab a viewer has, opened: still nothing that writes.
    for tab in ("版本记录", "完整导出"):
        page.get_by_role("tab", name=tab).click()
        page.wait_for_timeout(300)
        assert write_controls(page)["buttons"] == []
    assert_no_streamlit_errors(page)
    recorder.assert_offline()
    recorder.assert_no_page_errors()


def test_a_viewer_downloads_a_template_workbook(
    shared_context: BrowserContext, app_server: StreamlitServer
) -> None:
    with recorded_page(shared_context, {"width": 1280, "height": 720}) as (page, _):
        open_page(page, app_server, "data")
        with page.expect_download() as caught:
            page.get_by_role("button", name="地理标志产品模板").click()
        download = caught.value
        assert download.suggested_filename == "地理标志产品导入模板.xlsx"
        book = openpyxl.load_workbook(io.BytesIO(Path(download.path()).read_bytes()))
        headers = [cell.value for cell in book.worksheets[0][1]]
        assert {"产品名称", "保护范围", "登记编号"} <= set(headers)
        assert "填写说明" in book.sheetnames
