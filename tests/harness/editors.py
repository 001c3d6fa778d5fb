"""An app folder with one editor account, for the browser tests that log in.

The server runs in a folder of its own whose ``.streamlit/`` holds the project's config
and a secrets file with the account, and whose ``db.sqlite`` is the app's database.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from playwright.sync_api import Page

from landmarks.data import store
from landmarks.data.accounts import hash_password
from tests.harness.pages import wait_until_idle
from tests.harness.server import APP_FILE, StreamlitServer, start_server

EDITOR = "wang"
EDITOR_PASSWORD = "县局普查-2026"
# What the login form answers.
THROTTLED = "登录失败次数过多"
WRONG = "用户名或密码不正确"


def editor_app_env(folder: Path) -> dict[str, str]:
    """Make ``folder`` an app folder with the editor account; the server's environment
    (its database: ``folder / "db.sqlite"``, which the caller may fill first)."""
    settings = folder / ".streamlit"
    settings.mkdir()
    shutil.copyfile(APP_FILE.parent / ".streamlit" / "config.toml", settings / "config.toml")
    (settings / "secrets.toml").write_text(
        f'[editors.{EDITOR}]\nname = "王编辑"\n'
        f'password_hash = "{hash_password(EDITOR_PASSWORD)}"\n',
        encoding="utf-8",
    )
    return {store.DB_ENV_VARIABLE: str(folder / "db.sqlite"), "LANDMARKS_BOUNDARIES_DIR": ""}


def start_editor_server(folder: Path) -> StreamlitServer:
    """The app served from ``folder`` (see ``editor_app_env``), its log in server.log."""
    env = editor_app_env(folder)
    return start_server(APP_FILE, folder / "server.log", env, cwd=folder)


def log_in(page: Page) -> None:
    """Log in as the editor on the open data page; returns once the import tab shows."""
    page.get_by_label("用户名").fill(EDITOR)
    page.get_by_label("密码").fill(EDITOR_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.get_by_role("tab", name="导入数据").wait_for()


def submit_login(page: Page, username: str, password: str) -> str:
    """Submit the login form of the open data page; returns the message it answers with."""
    wait_until_idle(page)  # a run still drawing the form could redraw it over the input
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    wait_until_idle(page)
    message = page.get_by_text(re.compile(f"{WRONG}|{THROTTLED}|无法登录")).first
    message.wait_for()
    return message.inner_text()
