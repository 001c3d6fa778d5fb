"""An editor imports a county's survey file in Chromium: log in, upload, read the report,
import only the valid rows, see the new version.

The server runs in a folder of its own whose ``.streamlit/`` holds the project's config
and a secrets file with one editor account (an Argon2 hash, as the README says).
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from playwright.sync_api import BrowserContext

from landmarks.data import history, store
from tests.harness import (
    StreamlitServer,
    open_page,
    recorded_page,
    save_screenshot,
    wait_until_idle,
)
from tests.harness.editors import log_in, start_editor_server

pytestmark = pytest.mark.browser

GOOD = "测试贡茶,茶叶,地理标志保护产品,宜昌市,秭归县,中,媒体报道"
BAD = "测试香菇,蔬菜,,宜昌市,秭龟县,中,媒体报道"
SURVEY = "产品名称,品类,地理标志类型,所属市州,所属县市区,可信度,来源类型\n" + f"{GOOD}\n{BAD}\n"


@pytest.fixture(scope="module")
def editor_server(
    chromium: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[StreamlitServer]:
    folder = tmp_path_factory.mktemp("editor_server")
    server = start_editor_server(folder)
    yield server
    server.stop()


def test_an_editor_imports_the_valid_rows_of_a_survey_file(
    shared_context: BrowserContext, editor_server: StreamlitServer, tmp_path: Path
) -> None:
    survey = tmp_path / "秭归县普查.csv"
    survey.write_bytes(SURVEY.encode("gbk"))
    db = Path(editor_server.log_path.parent / "db.sqlite")
    with recorded_page(shared_context, {"width": 1280, "height": 720}) as (page, recorder):
        open_page(page, editor_server, "data")
        log_in(page)
        page.locator("input[type=file]").set_input_files(str(survey))
        page.get_by_text("其中 1 行无误，1 行有问题").wait_for()
        wait_until_idle(page)
        assert page.get_by_text("GB18030").count() or page.get_by_text("GBK").count()
        save_screenshot(page, "data-import-report-1280x720", full_page=True)
        with store.opened(db) as stored:
            before = stored.content_digest()
        page.get_by_text("我已了解：只导入无误的 1 行").click()
        page.get_by_role("button", name="只导入无误的 1 行").click()
        page.get_by_text("已导入“秭归县普查.csv”中无误的 1 行：地理标志产品表新增 1 行").wait_for()
        wait_until_idle(page)
        # The page shows what was imported, not a check of the same file against the data
        # that now hold its rows (it said every row was a duplicate, nothing imported).
        assert page.get_by_text("每一行都有问题").count() == 0
        assert page.get_by_text("其中 1 行无误").count() == 0
        assert page.get_by_role("button", name="只导入无误的 1 行").count() == 0
        save_screenshot(page, "data-import-done-1280x720", full_page=True)
        with store.opened(db) as stored:
            names = set(stored.read_table("products")["name"])
            newest = history.versions(stored)[0]
            assert stored.content_digest() != before
        assert "测试贡茶" in names and "测试香菇" not in names
        assert (newest.action, newest.author, newest.file_name) == ("导入", "王编辑", survey.name)
        assert newest.file_sha256 == history.file_sha256(survey.read_bytes())
        recorder.assert_offline()
        recorder.assert_no_page_errors()


def test_a_file_of_many_problems_lists_the_first_and_counts_the_rest(
    shared_context: BrowserContext, editor_server: StreamlitServer, tmp_path: Path
) -> None:
    """The page draws the first 50 problems and a count by field, never the whole list;
    the problems workbook holds every one."""
    header = SURVEY.splitlines()[0]
    bad = [f"测试{i},蔬菜,,宜昌市,秭龟县,中,媒体报道" for i in range(120)]
    survey = tmp_path / "多问题.csv"
    survey.write_bytes(
        "\n".join([header, *bad, "长" * 60 + ",茶叶,,宜昌市,秭归县,中,媒体报道"]).encode()
    )
    with recorded_page(shared_context, {"width": 1280, "height": 720}) as (page, recorder):
        open_page(page, editor_server, "data")
        log_in(page)
        page.locator("input[type=file]").set_input_files(str(survey))
        page.get_by_text("以上是前 50 处问题；其余 71 处按字段统计如下").wait_for()
        wait_until_idle(page)
        save_screenshot(page, "data-import-many-problems-1280x720", full_page=True)
        with page.expect_download() as download:
            page.get_by_role("button", name="下载问题清单（Excel）").click()
        data = Path(download.value.path()).read_bytes()
        sheet = openpyxl.load_workbook(io.BytesIO(data))["问题清单"]
        assert sheet.max_row == 122  # the header and all 121 problems
        recorder.assert_offline()
        recorder.assert_no_page_errors()


def test_a_file_over_the_row_bound_is_refused_on_the_page_naming_the_bound(
    shared_context: BrowserContext, editor_server: StreamlitServer, tmp_path: Path
) -> None:
    header = SURVEY.splitlines()[0]
    rows = [f"测试{i},茶叶,,宜昌市,秭归县,中,媒体报道" for i in range(10_100)]
    survey = tmp_path / "太多行.csv"
    survey.write_bytes("\n".join([header, *rows]).encode())
    with recorded_page(shared_context, {"width": 1280, "height": 720}) as (page, recorder):
        open_page(page, editor_server, "data")
        log_in(page)
        page.locator("input[type=file]").set_input_files(str(survey))
        page.get_by_text("“太多行.csv”行数超过了 10,000 行数据的上限，未读取").wait_for()
        assert page.get_by_role("button", name="导入").count() == 0
        recorder.assert_offline()
        recorder.assert_no_page_errors()


def test_the_uploader_speaks_chinese_and_names_the_import_limit(
    shared_context: BrowserContext, editor_server: StreamlitServer
) -> None:
    """Streamlit writes the uploader's button and size limit in English (issue 20)."""
    with recorded_page(shared_context, {"width": 1280, "height": 720}) as (page, recorder):
        open_page(page, editor_server, "data")
        log_in(page)
        uploader = page.locator("[data-testid='stFileUploader']")
        uploader.get_by_text("上传", exact=True).wait_for()
        text = uploader.inner_text()
        assert "单个文件不超过 20MB" in text, text
        assert not re.search(r"Upload|per file|Drag and drop|200MB", text), text
        recorder.assert_offline()
        recorder.assert_no_page_errors()
