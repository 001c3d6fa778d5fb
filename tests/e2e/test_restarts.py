"""Server restarts in Chromium: the page reconnects by itself to a fresh session, and the
user's next action must take effect (a filter change) or say why it cannot (a write whose
editor login was lost with the old session).  A write button's id, learned from an editor
session and sent from an anonymous one (a forged rerun), must write nothing.

Each test runs its own server in its own folder (one editor account in its secrets) and
restarts it on the same port, as an operator's restart would.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlparse

import pytest
from playwright.sync_api import BrowserContext, Locator, Page, Request, WebSocket
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.sync.client import connect
from websockets.typing import Origin, Subprotocol

from landmarks.data import store
from tests.harness import (
    APP_FILE,
    PAGE_TIMEOUT_MS,
    StreamlitServer,
    open_page,
    recorded_page,
    save_screenshot,
    start_server,
    streamlit_errors,
    wait_until_idle,
)
from tests.harness.editors import EDITOR_PASSWORD, editor_app_env

pytestmark = pytest.mark.browser

SURVEY = (
    "产品名称,品类,地理标志类型,所属市州,所属县市区,可信度,来源类型\n"
    "测试贡茶,茶叶,地理标志保护产品,宜昌市,秭归县,中,媒体报道\n"
)
CONNECTED = "[data-testid='stApp'][data-test-connection-state='CONNECTED']"
IMPORT_BUTTON = "导入 1 行"
LOST_IMPORT = "服务已重启，请重新登录后再导入"
LOST_CLICK = "服务刚刚重启，刚才的点击没有生效，请再点一次。"


@dataclass
class RestartableServer:
    """A server in its own folder that a test can restart on the same port."""

    folder: Path
    env: dict[str, str]
    server: StreamlitServer
    restarts: int = 0
    loading: set[Request] = field(default_factory=set)  # the open page's, unanswered

    def open(self, page: Page, url_path: str) -> None:
        """Open ``url_path``, noting the page's requests until each is answered."""
        page.on("request", lambda request: self.loading.add(request))
        page.on("requestfinished", lambda request: self.loading.discard(request))
        page.on("requestfailed", lambda request: self.loading.discard(request))
        open_page(page, self.server, url_path)

    def _wait_until_loaded(self, page: Page) -> None:
        """Until the page has received every file it asked for.  Streamlit's frontend
        loads each kind of element's code when it first draws one, after the run; a
        chunk asked for while the server is down fails, and the browser keeps that
        failure for the page's life (a reload mends it), which is not what is tested."""
        deadline = time.monotonic() + PAGE_TIMEOUT_MS / 1000
        while self.loading:
            if time.monotonic() > deadline:
                waiting = sorted(request.url for request in self.loading)[:5]
                raise AssertionError(f"the page never received {waiting}")
            page.wait_for_timeout(50)

    @property
    def db(self) -> Path:
        return self.folder / "db.sqlite"

    def restart(self, page: Page, ready: Locator) -> None:
        """Stop the server, wait until the page has noticed, start it again on the same
        port and wait until the page has reconnected (to a fresh session) and shows
        ``ready`` (what the test uses next); if it does not, say what the server logged."""
        self._wait_until_loaded(page)
        port = self.server.port
        self.server.stop()
        page.wait_for_selector(
            "[data-testid='stApp']:not([data-test-connection-state='CONNECTED'])",
            state="attached",
            timeout=PAGE_TIMEOUT_MS,
        )
        self.restarts += 1
        log = self.folder / f"server-restart-{self.restarts}.log"  # the first log stays
        self.server = start_server(APP_FILE, log, self.env, port=port, cwd=self.folder)
        page.wait_for_selector(CONNECTED, state="attached", timeout=PAGE_TIMEOUT_MS)
        wait_until_idle(page)
        try:
            ready.wait_for(timeout=PAGE_TIMEOUT_MS)
        except PlaywrightTimeoutError as error:
            shot = save_screenshot(page, "restart-failure", full_page=False)
            log = self.server.log_text()[-3000:]
            lacking = f"after the restart the page lacks {ready} ({shot})"
            errors = " | ".join(streamlit_errors(page)) or "none"
            raise AssertionError(f"{lacking}; its error boxes: {errors}; log:\n{log}") from error

    def digest(self) -> str:
        with store.opened(self.db) as db:
            return db.content_digest()


@pytest.fixture
def restartable(chromium: Path, tmp_path: Path) -> Iterator[RestartableServer]:
    env = editor_app_env(tmp_path)
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
        restartable.open(page, "explorer?chain=蔬菜")
        search = page.get_by_role("textbox", name="搜索产品名称")
        restartable.restart(page, search)
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
        reset = page.get_by_role("button", name="重置筛选")
        restartable.restart(page, reset)
        reset.click()  # its callback is gone: say so
        page.get_by_text(LOST_CLICK).wait_for(timeout=PAGE_TIMEOUT_MS)


def wait_for_query(page: Page, key: str, value: str) -> None:
    page.wait_for_function(
        "([key, value]) => new URLSearchParams(location.search).get(key) === value",
        arg=[key, value],
        timeout=PAGE_TIMEOUT_MS,
    )
    wait_until_idle(page)


def test_the_first_change_after_each_restart_is_kept_on_the_sites_page(
    shared_context: BrowserContext, restartable: RestartableServer
) -> None:
    """A widget seeded from the link (the zones layer) and one whose callback copies its
    value into the view (the route's name): each the first action after a restart."""
    stops = "s:伍家台贡茶文化旅游区|s:潜江生态龙虾城(龙虾美食街区)"
    link = "zones_sites?" + urlencode({"tab": "route", "route": "旧线路", "stops": stops})
    with recorded_page(shared_context, {"width": 1280, "height": 800}) as (page, _recorder):
        restartable.open(page, link)
        zones_layer = page.get_by_text("示范区图层")
        restartable.restart(page, zones_layer)
        zones_layer.click()
        wait_for_query(page, "zones", "0")
        name = page.get_by_role("textbox", name="线路名称")
        restartable.restart(page, name)
        name.fill("新线路")
        name.press("Enter")
        wait_for_query(page, "route", "新线路")
        assert name.input_value() == "新线路"
        assert query_of(page)["stops"] == [stops]
        assert query_of(page)["zones"] == ["0"]


def log_in(page: Page) -> None:
    page.get_by_role("textbox", name="用户名").fill("wang")
    page.get_by_role("textbox", name="密码").fill(EDITOR_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.get_by_role("tab", name="导入数据").wait_for(timeout=PAGE_TIMEOUT_MS)
    wait_until_idle(page)


def upload_survey(page: Page, folder: Path) -> None:
    """Upload a one-row file in update mode, up to its import button."""
    survey = folder / "秭归县普查.csv"
    survey.write_bytes(SURVEY.encode("utf-8"))
    page.get_by_text("更新：数据库中已有的记录按文件修改").click()
    wait_until_idle(page)
    page.locator("input[type=file]").set_input_files(str(survey))
    page.get_by_role("button", name=IMPORT_BUTTON).wait_for(timeout=PAGE_TIMEOUT_MS)
    wait_until_idle(page)


def test_a_write_clicked_after_a_restart_says_so_and_writes_nothing(
    shared_context: BrowserContext, restartable: RestartableServer
) -> None:
    with recorded_page(shared_context, {"width": 1280, "height": 800}) as (page, _recorder):
        restartable.open(page, "data")
        log_in(page)
        upload_survey(page, restartable.folder)
        before = restartable.digest()
        import_button = page.get_by_role("button", name=IMPORT_BUTTON)
        restartable.restart(page, import_button)
        import_button.click()
        page.get_by_text(LOST_IMPORT).wait_for(timeout=PAGE_TIMEOUT_MS)
        wait_until_idle(page)
        save_screenshot(page, "restart-lost-import-1280x800", full_page=False)
        assert restartable.digest() == before
        log_in(page)  # the import's choices are drawn again, the file is to be chosen anew
        assert page.get_by_role("radio", name="更新：数据库中已有的记录按文件修改").is_checked()
        assert page.get_by_role("button", name=IMPORT_BUTTON).count() == 0
        assert restartable.digest() == before


@dataclass
class EditorFrames:
    """What an editor's page exchanged with the server: the ids of the buttons it drew
    (by their key) and the page's script hash its reruns name."""

    button_ids: dict[str, str]
    page_script_hash: str = ""

    def received(self, payload: bytes | str) -> None:
        if isinstance(payload, str):
            return
        message = ForwardMsg()
        message.ParseFromString(payload)
        if message.WhichOneof("type") == "delta":
            element = message.delta.new_element
            if element.WhichOneof("type") == "button":
                key = element.button.id.rsplit("-", 1)[-1]
                self.button_ids[key] = element.button.id

    def sent(self, payload: bytes | str) -> None:
        if isinstance(payload, str):
            return
        message = BackMsg()
        message.ParseFromString(payload)
        if message.WhichOneof("type") == "rerun_script":
            self.page_script_hash = message.rerun_script.page_script_hash or self.page_script_hash

    def watch(self, socket: WebSocket) -> None:
        socket.on("framereceived", self.received)
        socket.on("framesent", self.sent)


def forged_rerun(
    server: StreamlitServer, page_script_hash: str, button_id: str
) -> list[ForwardMsg]:
    """Open a session of our own (no browser, no login) and send one rerun that clicks
    ``button_id``; the server's messages until the run ends."""
    rerun = BackMsg()
    rerun.rerun_script.page_script_hash = page_script_hash
    rerun.rerun_script.page_name = "data"
    clicked = rerun.rerun_script.widget_states.widgets.add()
    clicked.id = button_id
    clicked.trigger_value = True
    answers: list[ForwardMsg] = []
    with connect(
        server.url("_stcore/stream").replace("http://", "ws://"),
        origin=Origin(server.base_url),
        subprotocols=[Subprotocol("streamlit")],
        open_timeout=30,
    ) as socket:
        socket.send(rerun.SerializeToString())
        while True:
            answer = ForwardMsg()
            answer.ParseFromString(socket.recv(timeout=PAGE_TIMEOUT_MS / 1000))
            answers.append(answer)
            if answer.WhichOneof("type") == "script_finished":
                return answers


def shown_texts(answers: list[ForwardMsg]) -> list[str]:
    """The texts of the alerts and of the exceptions the server drew."""
    texts = []
    for answer in answers:
        element = answer.delta.new_element
        kind = element.WhichOneof("type")
        if kind == "alert":
            texts.append(element.alert.body)
        elif kind == "exception":
            texts.append(f"exception: {element.exception.message}")
    return texts


def test_a_forged_click_from_an_anonymous_session_writes_nothing(
    shared_context: BrowserContext, restartable: RestartableServer
) -> None:
    frames = EditorFrames({})
    with recorded_page(shared_context, {"width": 1280, "height": 800}) as (page, _recorder):
        page.on("websocket", frames.watch)
        restartable.open(page, "data")
        log_in(page)
        upload_survey(page, restartable.folder)
        before = restartable.digest()
        button_id = frames.button_ids["import_all"]
        answers = forged_rerun(restartable.server, frames.page_script_hash, button_id)
        finished = answers[-1].script_finished
        assert finished == ForwardMsg.FINISHED_SUCCESSFULLY
        texts = shown_texts(answers)
        assert not [text for text in texts if text.startswith("exception")]
        assert any(LOST_IMPORT in text for text in texts), texts
        assert restartable.digest() == before
