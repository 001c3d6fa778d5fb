"""A database on read-only media in Chromium: the pages browse it normally under a banner
naming why editing is off, and the data page says how to get write access.

The server runs in a private mount namespace in which the database's folder is a
read-only bind mount (``tests/mounts.py``): what a write-protected USB stick gives.
Saves ``test-output/e2e/read-only-banner.png`` and ``read-only-data-page.png``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext

from landmarks.data import seed, store
from landmarks.data.regions import Regions
from tests import mounts
from tests.harness import (
    APP_FILE,
    StreamlitServer,
    open_page,
    recorded_page,
    save_screenshot,
    start_server,
)

pytestmark = pytest.mark.browser

_TOPS_JS = """() => [document.querySelector('.st-key-read_only_banner'),
    document.querySelector('h1')].map((element) => element.getBoundingClientRect().top)"""


@pytest.fixture(scope="module")
def stick(tmp_path_factory: pytest.TempPathFactory, regions: Regions) -> Path:
    folder = tmp_path_factory.mktemp("read_only") / "usb-stick"
    folder.mkdir()
    with store.opened(folder / "landmarks.sqlite") as db:
        seed.ensure_seeded(db, regions)
    return folder


@pytest.fixture(scope="module")
def read_only_server(chromium: Path, stick: Path) -> Iterator[StreamlitServer]:
    mounts.require_mounts()
    env = {store.DB_ENV_VARIABLE: str(stick / "landmarks.sqlite"), "LANDMARKS_BOUNDARIES_DIR": ""}
    wrapper = mounts.wrapped([mounts.read_only_bind(stick)], [])
    server = start_server(APP_FILE, stick.parent / "server.log", env, wrapper=wrapper)
    yield server
    server.stop()


def test_pages_browse_a_read_only_database_under_the_banner(
    shared_context: BrowserContext, read_only_server: StreamlitServer, stick: Path
) -> None:
    before = {path.name: path.read_bytes() for path in stick.iterdir()}
    banner = f"数据库位于只读位置（{stick}），当前为只读模式：可以浏览和下载，不能导入或编辑。"
    with recorded_page(shared_context, {"width": 1280, "height": 800}) as (page, recorder):
        open_page(page, read_only_server, "")
        page.get_by_text(banner).wait_for()
        page.get_by_role("alert").first.wait_for()
        assert page.get_by_text("无法打开或写入数据库文件").count() == 0
        assert page.get_by_text("页面出现意外错误").count() == 0
        save_screenshot(page, "read-only-banner", full_page=False)
        open_page(page, read_only_server, "data")
        page.get_by_text(banner).wait_for()
        page.get_by_text("只读模式下不能登录编辑").wait_for()
        assert page.get_by_text("LANDMARKS_DB").count() >= 1
        assert page.get_by_role("tab", name="导入数据").count() == 0
        assert page.get_by_label("密码").count() == 0
        save_screenshot(page, "read-only-data-page", full_page=False)
        recorder.assert_offline()
        recorder.assert_no_page_errors()
    # On a phone the overview moves its map and figures up: the banner stays above them.
    with recorded_page(shared_context, {"width": 390, "height": 844}) as (page, recorder):
        open_page(page, read_only_server, "")
        page.get_by_text(banner).wait_for()
        banner_top, title_top = page.evaluate(_TOPS_JS)
        assert banner_top < title_top
        recorder.assert_no_page_errors()
    assert {path.name: path.read_bytes() for path in stick.iterdir()} == before
