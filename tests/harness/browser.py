"""Debian's Chromium under Playwright, every request recorded, and the offline checks.

Checks here and in the sibling modules raise ``BrowserCheckError`` (an ``AssertionError``)
with a message that says what was seen.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from playwright.sync_api import Browser, BrowserContext, Page, Playwright, Request, WebSocket
from playwright.sync_api import Error as PlaywrightError

CHROMIUM_PATH = Path("/usr/bin/chromium")
# Without the background-networking flags Chromium phones Google at start-up; those
# requests are not the page's, and on this closed network they only produce noise.
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
)
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1", "[::1]"})
# Schemes that never touch the network (inline images, blobs, the empty frame).
NON_NETWORK_SCHEMES = frozenset({"data", "blob", "about", "javascript"})
VIEWPORT = {"width": 1400, "height": 1000}
PAGE_TIMEOUT_MS = 90_000
# The screens the app is used on: event screens, projectors and phones, by name.
SCREEN_SIZES = {"1920x1080": (1920, 1080), "1280x720": (1280, 720), "390x844": (390, 844)}


def screen_sizes(*names: str) -> dict[str, tuple[int, int]]:
    """Some of ``SCREEN_SIZES``, in the order named (the order of the tests' ids)."""
    return {name: SCREEN_SIZES[name] for name in names}


class BrowserCheckError(AssertionError):
    """A browser check found the app in a state users must never see."""


def chromium_available() -> bool:
    return CHROMIUM_PATH.is_file() and os.access(CHROMIUM_PATH, os.X_OK)


def launch_chromium(playwright: Playwright) -> Browser:
    """Debian's Chromium, headless; Playwright gives it a fresh temporary profile."""
    return playwright.chromium.launch(
        executable_path=str(CHROMIUM_PATH), args=list(CHROMIUM_ARGS), headless=True
    )


def is_local_url(url: str) -> bool:
    """True when loading ``url`` cannot leave this machine's loopback interface."""
    parts = urlsplit(url)
    if parts.scheme in NON_NETWORK_SCHEMES:
        return True
    return (parts.hostname or "") in LOCAL_HOSTS


@dataclass
class RequestRecorder:
    """Every request of a browser context: pages, iframes, workers and web sockets.

    Recording happens at the context, so requests made inside the map's iframe are seen
    too (the tests assert that the iframe's own Leaflet request was recorded).
    """

    urls: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)

    def attach(self, context: BrowserContext) -> RequestRecorder:
        context.on("request", self._on_request)
        context.on("page", self._on_page)
        for page in context.pages:
            self._on_page(page)
        return self

    def attach_page(self, page: Page) -> RequestRecorder:
        """Record one page of a shared context (its frames and the popups it opens)."""
        page.on("request", self._on_request)
        page.on("popup", self.attach_page)
        self._on_page(page)
        return self

    def _on_request(self, request: Request) -> None:
        self.urls.append(request.url)

    def _on_websocket(self, websocket: WebSocket) -> None:
        self.urls.append(websocket.url)

    def _on_page(self, page: Page) -> None:
        page.on("websocket", self._on_websocket)
        page.on("pageerror", lambda error: self.page_errors.append(str(error)))

    def external(self) -> list[str]:
        return [url for url in self.urls if not is_local_url(url)]

    def assert_offline(self) -> None:
        """Fail if anything was requested from a host other than 127.0.0.1/localhost."""
        outside = sorted(set(self.external()))
        if outside:
            hosts = sorted({urlsplit(url).hostname or url for url in outside})
            raise BrowserCheckError(
                f"{len(outside)} request(s) left 127.0.0.1 (hosts: {', '.join(hosts)}): "
                + "; ".join(outside[:10])
            )

    def assert_no_page_errors(self) -> None:
        if self.page_errors:
            raise BrowserCheckError("uncaught JavaScript errors: " + "; ".join(self.page_errors))


def new_context(
    browser: Browser,
    viewport: Mapping[str, int] | None = None,
    *,
    reduced_motion: Literal["reduce", "no-preference"] = "no-preference",
    has_touch: bool = False,
) -> BrowserContext:
    """``reduced_motion="reduce"``: a visitor who asks for less motion.  Streamlit then
    leaves out its decorative transitions, which measured here cuts Chromium's CPU for a
    page by about a sixth; the map's own animations are the same either way.
    ``has_touch``: a phone's touch screen (``page.touchscreen.tap``)."""
    context = browser.new_context(
        viewport=dict(viewport or VIEWPORT),
        locale="zh-CN",
        reduced_motion=reduced_motion,
        has_touch=has_touch,
    )
    context.set_default_timeout(PAGE_TIMEOUT_MS)
    return context


@contextlib.contextmanager
def recorded_context(
    browser: Browser, viewport: Mapping[str, int] | None = None
) -> Iterator[tuple[BrowserContext, RequestRecorder]]:
    """A fresh context, as a first-time visitor's browser: nothing cached (the benchmark's
    first loads, and tests that route requests for the whole context)."""
    context = new_context(browser, viewport)
    recorder = RequestRecorder().attach(context)
    try:
        yield context, recorder
    finally:
        context.close()


@contextlib.contextmanager
def recorded_page(
    context: BrowserContext, viewport: Mapping[str, int] | None = None
) -> Iterator[tuple[Page, RequestRecorder]]:
    """A new page of a shared context, with its own size and its own request recorder.

    Pages of one context share its HTTP cache; with no context to create and close per
    test, the browser tests took about 4 % less CPU here.  A page that routes requests
    (``page.route``) bypasses the cache, as Playwright documents.
    """
    page, recorder = new_recorded_page(context, viewport)
    try:
        yield page, recorder
    finally:
        page.close()


_FORGET_SIDEBAR_JS = """try {
    Object.keys(window.localStorage).filter((key) => key.startsWith('stSidebarCollapsed-'))
        .forEach((key) => window.localStorage.removeItem(key));
} catch (error) {}  // a sandboxed frame has no localStorage"""


def new_recorded_page(
    context: BrowserContext, viewport: Mapping[str, int] | None = None
) -> tuple[Page, RequestRecorder]:
    """A new page of ``context`` at ``viewport``, its requests recorded from the start."""
    page = context.new_page()
    # Streamlit keeps the sidebar's folded state in localStorage, which the pages of a
    # context share: a test that opened the sidebar on a phone left it open over the next
    # test's page.  Each page starts as a first visit does.
    page.add_init_script(_FORGET_SIDEBAR_JS)
    recorder = RequestRecorder().attach_page(page)
    page.set_viewport_size(dict(viewport or VIEWPORT))  # type: ignore[arg-type]
    return page, recorder


_RESOURCE_URLS_JS = """() => {
    // Elements whose attribute makes the browser fetch something.  Plain links (<a>)
    // are left out: the provenance table links to its sources for users to follow.
    const selector = 'script[src], link[href], img[src], iframe[src], source[src], '
        + 'video[src], audio[src], embed[src], object[data], image, use';
    const urls = [];
    document.querySelectorAll(selector).forEach((el) => {
        for (const name of ['src', 'href', 'data', 'xlink:href', 'srcset']) {
            const value = el.getAttribute(name);
            if (value) { urls.push(new URL(value.split(' ')[0], document.baseURI).href); }
        }
    });
    return urls;
}"""


def external_references(page: Page) -> list[str]:
    """Resource URLs in the DOM of the page and all its frames that point off-machine.

    This catches references the browser has not fetched yet (lazy images, a script not
    yet inserted by a frame that failed earlier), beside what the recorder saw.
    """
    found: list[str] = []
    for frame in page.frames:
        with contextlib.suppress(PlaywrightError):  # a frame may navigate away mid-scan
            found += [url for url in frame.evaluate(_RESOURCE_URLS_JS) if not is_local_url(url)]
    return sorted(set(found))


def assert_no_external_references(page: Page) -> None:
    outside = external_references(page)
    if outside:
        raise BrowserCheckError("the page references external hosts: " + "; ".join(outside))
