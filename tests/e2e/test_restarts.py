"""Server restarts in Chromium: the page reconnects by itself to a fresh session, and the
user's next action must take effect (a filter change) or say why it cannot (a write whose
editor login was lost with the old session).  A write button's id, learned from an editor
session and sent from an anonymous one (a forged rerun), must write nothing.

Each test runs its own server in its own folder (one editor account in its secrets) and
restarts it on the same port, as an operator's restart would.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import BrowserContext, Page

from landmarks.data import storage
from landmarks.data.accounts import hash_password
from tests.harness import (
    APP_FILE,
    PAGE_TIMEOUT_MS,
    StreamlitServer,
    open_page,
    recorded_page,
    start_server,
    wait_until_idle,
)

pytestmark = pytest.mark.browser

PASSWORD = "县局普查-2026"
SURVEY = (
    "产品名称,品类,地理标志类型,所属市州,所属县市区,可信度,来源类型\n"
    "测试贡茶,茶叶,地理标志保护产品,宜昌市,秭归县,中,媒体报道\n"
)
CONNECTED = "[data-testid='stApp'][data-test-connection-state='CONNECTED']"
IMPORT_BUTTON = "导入 1 行"
LOST_IMPORT = "服务已重启，请重新登录后再导入"


@dataclass
class RestartableServer:
    """A server in its own folder that a test can restart on the same port."""

    folder: Path
    env: dict[str, str]
    server: StreamlitServer

    @property
    def db(self) -> Path:
        return self.folder / "db.sqlite"

    def restart(self, page: Page) -> None:
        """Stop the server, wait until the page has noticed, start it again on the same
        port and wait until the page has reconnected (to a fresh session)."""
        port = self.server.port
        self.server.stop()
        page.wait_for_selector(
            "[data-testid='stApp']:not([data-test-connection-state='CONNECTED'])",
            state="attached",
            timeout=PAGE_TIMEOUT_MS,
        )
        self.server = start_server(
            APP_FILE, self.folder / "server.log", self.env, port=port, cwd=self.folder
        )
        page.wait_for_selector(CONNECTED, state="attached", timeout=PAGE_TIMEOUT_MS)
        wait_until_idle(page)

    def digest(self) -> str:
        with storage.opened(self.db) as connection:
            return storage.content_digest(connection)


@pytest.fixture
def restartable(chromium: Path, tmp_path: Path) -> Iterator[RestartableServer]:
    settings = tmp_path / ".streamlit"
    settings.mkdir()
    shutil.copyfile(APP_FILE.parent / ".streamlit" / "config.toml", settings / "config.toml")
    (settings / "secrets.toml").write_text(
        f'[editors.wang]\nname = "王编辑"\npassword_hash = "{hash_password(PASSWORD)}"\n',
        encoding="utf-8",
    )
    env = {storage.DB_ENV_VARIABLE: str(tmp_path / "db.sqlite"), "LANDMARKS_BOUNDARIES_DIR": ""}
    running = RestartableServer(
        tmp_path, env, start_server(APP_FILE, tmp_path / "server.log", env, cwd=tmp_path)
    )
    yield running
    running.server.stop()


def query_of(page: Page) -> dict[str, list[str]]:
    return parse_qs(urlparse(page.url).query)


def test_a_filter_changed_after_a_restart_is_kept(
    shared_context: BrowserContext, restartable: RestartableServer
) -> None:
    with recorded_page(shared_context, {"width": 1280, "height": 800}) as (page, _recorder):
        open_page(page, restartable.server, "explorer?chain=蔬菜")
        search = page.get_by_role("textbox", name="搜索产品名称")
        restartable.restart(page)
        search.fill("恩施")
        search.press("Enter")
        page.wait_for_function(
            "() => new URLSearchParams(location.search).get('q') === '恩施'",
            timeout=PAGE_TIMEOUT_MS,
        )
        wait_until_idle(page)
        assert search.input_value() == "恩施"
        assert query_of(page)["q"] == ["恩施"]
        assert query_of(page)["chain"] == ["蔬菜"]  # what the link set before stays
