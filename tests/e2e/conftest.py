"""Fixtures for the real-browser tests: Debian Chromium, and the app served on 127.0.0.1."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Playwright, sync_playwright

from landmarks.data import storage
from landmarks.ui.data import BOUNDARIES_ENV_VARIABLE
from tests.harness import (
    APP_FILE,
    CHROMIUM_PATH,
    StreamlitServer,
    chromium_available,
    launch_chromium,
    start_server,
)

BROKEN_APP = Path(__file__).resolve().parent / "broken_app.py"


@pytest.fixture(scope="session")
def chromium() -> Path:
    """Debian's Chromium; in CI its absence is a failure, locally a reason to skip."""
    if not chromium_available():
        message = f"{CHROMIUM_PATH} is missing (apt-get install chromium fonts-wqy-microhei)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI=true: {message}", pytrace=False)
        pytest.skip(message)
    return CHROMIUM_PATH


@pytest.fixture(scope="session")
def playwright(chromium: Path) -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    launched = launch_chromium(playwright)
    yield launched
    launched.close()


def _server_env(db_path: Path) -> dict[str, str]:
    # The shipped Hubei coverage, whatever the shell that launched pytest has set.
    env = {storage.DB_ENV_VARIABLE: str(db_path), BOUNDARIES_ENV_VARIABLE: ""}
    return env


@pytest.fixture(scope="session")
def app_server(
    chromium: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[StreamlitServer]:
    """``streamlit run app.py`` on a free port with a fresh database (seeded on first page)."""
    folder = tmp_path_factory.mktemp("app_server")
    server = start_server(APP_FILE, folder / "server.log", _server_env(folder / "db.sqlite"))
    yield server
    server.stop()


@pytest.fixture(scope="session")
def app_db(app_server: StreamlitServer) -> Path:
    return Path(app_server.log_path.parent / "db.sqlite")


@pytest.fixture(scope="session")
def broken_server(
    chromium: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[StreamlitServer]:
    """The deliberately broken app that proves each browser check can fail."""
    folder = tmp_path_factory.mktemp("broken_server")
    app = folder / BROKEN_APP.name  # its own folder, so Streamlit serves its own static/
    shutil.copyfile(BROKEN_APP, app)
    server = start_server(app, folder / "server.log", _server_env(folder / "db.sqlite"))
    yield server
    server.stop()
