"""An app folder with one editor account, for the browser tests that log in.

The server runs in a folder of its own whose ``.streamlit/`` holds the project's config
and a secrets file with the account, and whose ``db.sqlite`` is the app's database.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from landmarks.data import store
from landmarks.data.accounts import hash_password
from tests.harness.server import APP_FILE, StreamlitServer, start_server

EDITOR = "wang"
EDITOR_PASSWORD = "县局普查-2026"


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
