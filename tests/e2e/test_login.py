"""Logins in Chromium: repeated failures make the next attempt wait (never a lock), the
form says how long, the server log and ``python -m landmarks sign-ins`` (another process)
show the attempts, and ``python -m landmarks unlock`` lifts the wait at once.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page

from landmarks.data import storage
from tests.harness import (
    APP_FILE,
    StreamlitServer,
    open_page,
    recorded_page,
    save_screenshot,
    wait_until_idle,
)
from tests.harness.editors import EDITOR_PASSWORD, start_editor_server

pytestmark = pytest.mark.browser

THROTTLED = "登录失败次数过多"
WRONG = "用户名或密码不正确"


@pytest.fixture(scope="module")
def login_server(
    chromium: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[StreamlitServer]:
    folder = tmp_path_factory.mktemp("login_server")
    server = start_editor_server(folder)
    yield server
    server.stop()


def submit(page: Page, username: str, password: str) -> str:
    """Submit the login form; returns the message it answers with."""
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    wait_until_idle(page)
    message = page.get_by_text(re.compile(f"{WRONG}|{THROTTLED}|无法登录")).first
    message.wait_for()
    return message.inner_text()


def cli(server: StreamlitServer, *arguments: str) -> str:
    """``python -m landmarks`` as the operator runs it: another process, same database."""
    env = {
        **os.environ,
        storage.DB_ENV_VARIABLE: str(server.log_path.parent / "db.sqlite"),
    }
    done = subprocess.run(
        [sys.executable, "-m", "landmarks", *arguments],
        capture_output=True,
        text=True,
        env=env,
        cwd=APP_FILE.parent,
        check=True,
        timeout=60,
    )
    return done.stdout


def test_failed_logins_throttle_the_next_one_and_unlock_lifts_it(
    shared_context: BrowserContext, login_server: StreamlitServer
) -> None:
    with recorded_page(shared_context, {"width": 1280, "height": 720}) as (page, recorder):
        open_page(page, login_server, "data")
        messages = [submit(page, "wang", "guess-guess") for _ in range(3)]
        assert all(WRONG in message for message in messages)
        # After 3 failures the next attempt waits 2 s, and each failure after a wait
        # doubles it (a slow browser may miss the short ones): wait out the short ones
        # until the wait outlasts anything the browser does next.
        wait = 0
        while wait < 12:
            if wait:
                page.wait_for_timeout(wait * 1000 + 500)
            messages.append(submit(page, "wang", "guess-guess"))
            seconds = re.findall(r"(\d+) 秒后再试", messages[-1])
            wait = int(seconds[0]) if seconds else 0
        assert all(THROTTLED in m or WRONG in m for m in messages)
        assert len(messages) <= 3 + 2 * 5  # the wait doubled with each failure
        # the right password while throttled is refused without being checked
        refused = submit(page, "wang", EDITOR_PASSWORD)
        assert THROTTLED in refused
        assert page.get_by_role("tab", name="导入数据").count() == 0
        page.get_by_text(THROTTLED).scroll_into_view_if_needed()
        save_screenshot(page, "throttled-login", full_page=False)

        listed = cli(login_server, "sign-ins", "--limit", "2")
        assert listed.count("过于频繁，被拒绝") >= 1 and "'wang'" in listed
        assert EDITOR_PASSWORD not in listed and "guess-guess" not in listed
        log = login_server.log_text()
        assert "sign-in failure: user 'wang' from client '127.0.0.1'" in log
        assert "sign-in throttled" in log and EDITOR_PASSWORD not in log

        assert "已解除登录限制" in cli(login_server, "unlock", "wang", "--client", "127.0.0.1")
        page.get_by_label("用户名").fill("wang")
        page.get_by_label("密码").fill(EDITOR_PASSWORD)
        page.get_by_role("button", name="登录").click()
        page.get_by_role("tab", name="导入数据").wait_for()
        recorder.assert_offline()
        recorder.assert_no_page_errors()
