"""Pages of the app opened once and shared by the browser tests that only look at them.

A page load costs Chromium some 4-5 s of CPU (Streamlit's frontend starting), and on a
2-core machine the browser tests are bound by CPU.  Tests that read a view without
changing it (the offline proof, the accessibility audit, the framing of the first view)
ask ``SharedViews`` for it instead of opening their own page: the first asks open it,
the others find it as it was left.  A test that fails discards the views it used, so a
broken page never reaches the next test.

A test asks for its view by indirect parametrization of the ``view`` fixture with a
``ViewSpec``, so the tests of one view are known at collection: they run one after the
other in one worker (``tests/e2e/conftest.py``), and only a few views stay open.

Rules for a test that uses a shared view: no clicks, zooms, pans, typing or navigation;
what it changes for a moment (an open legend, the print media) it changes back.  Only
the last test of a view (the tests of a view run in the order of their files) may leave
it changed, and says so.  Scroll is reset on every hand-out, since screenshots and fold
checks depend on it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from playwright.sync_api import BrowserContext, Page

from tests.harness.browser import RequestRecorder, new_recorded_page
from tests.harness.pages import open_page
from tests.harness.server import StreamlitServer

# Streamlit scrolls its main area, not the window; both go back to the top.
_SCROLL_TO_TOP_JS = """() => {
    window.scrollTo(0, 0);
    document.querySelectorAll('[data-testid="stMain"], [data-testid="stAppViewContainer"]')
        .forEach((el) => { el.scrollTop = 0; el.scrollLeft = 0; });
}"""


@dataclass(frozen=True, order=True)
class ViewSpec:
    """An address of the app seen at a viewport size."""

    url_path: str
    width: int
    height: int

    @property
    def viewport(self) -> dict[str, int]:
        return {"width": self.width, "height": self.height}

    def __str__(self) -> str:
        return f"{self.url_path or '/'}@{self.width}x{self.height}"


@dataclass
class View:
    """An opened page and everything its context recorded since it was opened."""

    page: Page
    recorder: RequestRecorder


ViewKey = tuple[int, ViewSpec]


@dataclass
class SharedViews:
    """Opened views of one worker, by server and ``ViewSpec``; the least recently used
    beyond ``keep`` are closed (an idle page still costs a little CPU)."""

    context: BrowserContext
    keep: int = 1
    views: dict[ViewKey, View] = field(default_factory=dict)

    def open(self, server: StreamlitServer, spec: ViewSpec) -> View:
        key = (server.port, spec)
        view = self.views.pop(key, None)
        if view is None or view.page.is_closed():
            page, recorder = new_recorded_page(self.context, spec.viewport)
            open_page(page, server, spec.url_path)
            view = View(page, recorder)
        else:
            view.page.evaluate(_SCROLL_TO_TOP_JS)
        self.views[key] = view  # the most recently used last
        while len(self.views) > self.keep:
            _close(self.views.pop(next(iter(self.views))))
        return view

    def discard(self, server: StreamlitServer, spec: ViewSpec) -> None:
        """After a failed test: its view may be in any state, so the next test opens it anew."""
        view = self.views.pop((server.port, spec), None)
        if view is not None:
            _close(view)

    def close(self) -> None:
        for view in self.views.values():
            _close(view)
        self.views.clear()


def _close(view: View) -> None:
    if not view.page.is_closed():  # the last test of a view closes it (conftest)
        view.page.close()
