"""Fixtures for the real-browser tests: Debian Chromium, and the app served on 127.0.0.1."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Playwright, sync_playwright

from landmarks.data import store
from landmarks.ui.data import BOUNDARIES_ENV_VARIABLE
from tests.harness import (
    APP_FILE,
    CHROMIUM_PATH,
    StreamlitServer,
    chromium_available,
    launch_chromium,
    new_context,
    start_server,
)
from tests.harness.views import SharedViews, View, ViewSpec

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


@pytest.fixture(scope="session")
def shared_context(browser: Browser) -> Iterator[BrowserContext]:
    """The worker's one browser context: each test opens its own page in it
    (``recorded_page``).  The tests run on a CPU-bound machine, so this browser asks for
    reduced motion (see ``new_context``)."""
    context = new_context(browser, reduced_motion="reduce")
    yield context
    context.close()


@pytest.fixture(scope="session")
def shared_views(shared_context: BrowserContext) -> Iterator[SharedViews]:
    views = SharedViews(shared_context)
    yield views
    views.close()


_FAILED = pytest.StashKey[bool]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    report = yield
    if report.failed:  # type: ignore[attr-defined]
        item.stash[_FAILED] = True
    return report


@pytest.fixture
def view(
    request: pytest.FixtureRequest, shared_views: SharedViews, app_server: StreamlitServer
) -> Iterator[View]:
    """The app's page at ``request.param`` (a ``ViewSpec``), opened once for every test
    that asks for it; tests that use it only look (see ``tests/harness/views.py``)."""
    spec: ViewSpec = request.param
    yield shared_views.open(app_server, spec)
    if request.node.stash.get(_FAILED, False):
        shared_views.discard(app_server, spec)


def _view_of(item: pytest.Item) -> ViewSpec | None:
    callspec = getattr(item, "callspec", None)
    spec = callspec.params.get("view") if callspec is not None else None
    return spec if isinstance(spec, ViewSpec) else None


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The tests of one shared view run one after the other (in the order of their files)
    in one xdist worker (``--dist loadgroup``)."""
    viewing = [(index, spec) for index, item in enumerate(items) if (spec := _view_of(item))]
    for index, spec in viewing:
        items[index].add_marker(pytest.mark.xdist_group(f"view {spec}"))
    ordered = sorted((spec, index) for index, spec in viewing)
    moved = [items[index] for _spec, index in ordered]
    for (index, _spec), item in zip(viewing, moved, strict=True):
        items[index] = item


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> None:
    """A view closes after the last test that needs it: an open page is not free (a
    tour keeps moving), and the tests in between have the CPU."""
    spec = _view_of(item)
    if spec is not None and (nextitem is None or _view_of(nextitem) != spec):
        view = item.funcargs.get("view")  # type: ignore[attr-defined]
        if isinstance(view, View):
            view.page.close()


def _server_env(db_path: Path) -> dict[str, str]:
    # The shipped Hubei coverage, whatever the shell that launched pytest has set.
    env = {store.DB_ENV_VARIABLE: str(db_path), BOUNDARIES_ENV_VARIABLE: ""}
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
