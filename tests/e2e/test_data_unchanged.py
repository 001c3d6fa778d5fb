"""An editor imports a file that changes nothing, in Chromium: the page says 没有变化,
and the database gains no version and no backup (ten such imports used to rotate every
real backup out).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext

from landmarks.data import history, store
from tests.harness import (
    StreamlitServer,
    open_page,
    recorded_page,
    wait_until_idle,
)
from tests.harness.editors import EDITOR_PASSWORD, start_editor_server

pytestmark = pytest.mark.browser

SURVEY = (
    "产品名称,品类,地理标志类型,所属市州,所属县市区,可信度,来源类型\n"
    "测试贡茶,茶叶,地理标志保护产品,宜昌市,秭归县,中,媒体报道\n"
)


@pytest.fixture(scope="module")
def editor_server(
    chromium: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[StreamlitServer]:
    folder = tmp_path_factory.mktemp("unchanged_server")
    server = start_editor_server(folder)
    yield server
    server.stop()


def test_importing_a_file_that_changes_nothing_says_so_and_writes_nothing(
    shared_context: BrowserContext, editor_server: StreamlitServer, tmp_path: Path
) -> None:
    survey = tmp_path / "秭归县普查.csv"
    survey.write_text(SURVEY, encoding="utf-8")
    db = Path(editor_server.log_path.parent / "db.sqlite")
    with recorded_page(shared_context, {"width": 1280, "height": 720}) as (page, recorder):
        open_page(page, editor_server, "data")
        page.get_by_label("用户名").fill("wang")
        page.get_by_label("密码").fill(EDITOR_PASSWORD)
        page.get_by_role("button", name="登录").click()
        page.get_by_role("tab", name="导入数据").wait_for()
        page.get_by_text("更新：数据库中已有的记录按文件修改").click()
        wait_until_idle(page)
        page.locator("input[type=file]").set_input_files(str(survey))
        page.get_by_role("button", name="导入 1 行").click()
        page.get_by_text("已导入“秭归县普查.csv”").wait_for()
        wait_until_idle(page)
        with store.opened(db) as stored:
            versions = history.versions(stored)
        kept = store.backups(db)
        # The same file again (an import empties the uploader): checked against the new data.
        page.locator("input[type=file]").set_input_files(str(survey))
        page.get_by_role("button", name="导入 1 行").click()
        page.get_by_text("没有变化：数据与数据库中的完全相同").wait_for()
        with store.opened(db) as stored:
            assert history.versions(stored) == versions
        assert store.backups(db) == kept
        recorder.assert_offline()
        recorder.assert_no_page_errors()
