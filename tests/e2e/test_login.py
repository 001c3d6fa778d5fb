"""Logins in Chromium: a client throttled by failures recorded in the shared database
(here by the test, as another process) is refused, the form says how long, the server
log and ``python -m landmarks sign-ins`` (another process) show the attempts, and
``python -m landmarks unlock`` lifts the wait at once.  How the waits grow is tested
with a clock in ``tests/data/test_accounts.py``.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext

from landmarks.data import store
from landmarks.data.store import sign_ins
from landmarks.data.throttle import LONGEST_WINDOW_SECONDS
from tests.harness import (
    APP_FILE,
    StreamlitServer,
    open_page,
    recorded_page,
    save_screenshot,
)
from tests.harness.editors import (
    EDITOR_PASSWORD,
    THROTTLED,
    WRONG,
    start_editor_server,
    submit_login,
)

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def login_server(
    chromium: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[StreamlitServer]:
    folder = tmp_path_factory.mktemp("login_server")
    server = start_editor_server(folder)
    yield server
    server.stop()


def cli(server: StreamlitServer, *arguments: str) -> str:
    """``python -m landmarks`` as the operator runs it: another process, same database."""
    env = {
        **os.environ,
        store.DB_ENV_VARIABLE: str(server.log_path.parent / "db.sqlite"),
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


WINDOW_SLACK_SECONDS = 600


def throttle_client(db: Path, client: str, beyond_seconds: float) -> None:
    """Record, as another process would, failed sign-ins from ``client`` over the past
    hour, each as soon as the throttle allowed it, until the client must wait more than
    ``beyond_seconds`` from now: a guesser's hour, without the test waiting it out."""
    now = datetime.now(UTC)
    attempt = sign_ins.Attempt("guesser", client)
    # Begun well inside the window: the first failures must not leave it (and the wait
    # shrink) in the seconds a loaded machine takes before the app checks the sign-in.
    moment = now - timedelta(seconds=LONGEST_WINDOW_SECONDS - WINDOW_SLACK_SECONDS)
    with sign_ins.opened_store(db) as sign_in_store:
        while sign_in_store.wait_seconds(sign_ins.KIND_CLIENT, client, now) <= beyond_seconds:
            wait = max(sign_in_store.wait_seconds(kind, key, moment) for kind, key in attempt.keys)
            moment += timedelta(seconds=wait)
            assert moment < now, "the throttle never grew beyond the wanted wait"
            assert sign_in_store.begin(attempt, moment) == 0
            sign_in_store.failed(attempt, moment)


def test_a_throttled_client_is_refused_until_unlocked(
    shared_context: BrowserContext, login_server: StreamlitServer
) -> None:
    db = login_server.log_path.parent / "db.sqlite"
    with recorded_page(shared_context, {"width": 1280, "height": 720}) as (page, recorder):
        open_page(page, login_server, "data")
        throttle_client(db, "127.0.0.1", beyond_seconds=120)
        # the right password from a throttled client is refused without being checked
        refused = submit_login(page, "wang", EDITOR_PASSWORD)
        assert THROTTLED in refused
        assert int(re.findall(r"(\d+) 秒后再试", refused)[0]) > 60
        assert page.get_by_role("tab", name="导入数据").count() == 0
        page.get_by_text(THROTTLED).scroll_into_view_if_needed()
        save_screenshot(page, "throttled-login", full_page=False)

        listed = cli(login_server, "sign-ins", "--limit", "2")
        assert "过于频繁，被拒绝" in listed and "'wang'" in listed
        assert EDITOR_PASSWORD not in listed
        log = login_server.log_text()
        assert "sign-in throttled: user 'wang' from client '127.0.0.1'" in log
        assert EDITOR_PASSWORD not in log

        assert "已解除登录限制" in cli(login_server, "unlock", "--client", "127.0.0.1")
        # Checked again, and wrong: waited for by its text, since the throttled message
        # stays on the page until the rerun replaces it.
        page.get_by_label("用户名").fill("wang")
        page.get_by_label("密码").fill("guess-guess")
        page.get_by_role("button", name="登录").click()
        page.get_by_text(WRONG).wait_for()
        assert "sign-in failure: user 'wang' from client '127.0.0.1'" in login_server.log_text()
        page.get_by_label("用户名").fill("wang")
        page.get_by_label("密码").fill(EDITOR_PASSWORD)
        page.get_by_role("button", name="登录").click()
        page.get_by_role("tab", name="导入数据").wait_for()
        recorder.assert_offline()
        recorder.assert_no_page_errors()
