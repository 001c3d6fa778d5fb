"""What a rerun costs the browser: bytes over Streamlit's websocket, and time.

The page is opened in Chromium and left until its map is drawn and nothing has arrived
for a while.  Then a user's action reruns the page (a filter changed in the sidebar, a
county clicked on the map): it is prepared uncounted (the filter typed, the map zoomed
to the county), and from its last step (picking the option, the click) every frame the
browser receives on the websocket is counted, its payload in bytes (uncompressed:
Streamlit's websocket compression is off by default), until the app is idle and quiet
again.  Responses to HTTP requests in that window are counted apart, leaving out
Streamlit's own frontend code (``/static/``), which the browser loads once and caches.
Frames are not decoded except to notice the end of each script run.  The time is the
browser's own: from the last step to the page's script state turning idle for the last
time, read from the page's clock.

Filters are found by their labels; only the county clicks use the harness's map click
helpers (``tests/harness/clicks.py``), so if those no longer fit the map, the clicks
are reported as not measured while the filter changes still are.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from google.protobuf.message import DecodeError
from playwright.sync_api import BrowserContext, Frame, Locator, Page, Request, WebSocket
from playwright.sync_api import Error as PlaywrightError
from shapely.geometry.base import BaseGeometry
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from bench.drawn import wait_for_map_drawn
from tests.harness import (
    MAP_IFRAME,
    BrowserCheckError,
    click,
    focus_county,
    free_point,
    interior_points,
    wait_until_idle,
)

# The filter changed: the sidebar multiselect labelled 产业链, found by its accessible
# name; each change types one more chain and picks its option.  Every change reaches a
# selection the session has not seen: Streamlit re-sends a message it sent before as a
# reference to its hash, so going back to an earlier selection would cost next to nothing.
FILTER_LABEL = "产业链"
FILTER_CHAINS = ("茶叶", "柑橘", "中药材", "优质稻米")  # at both scales (national copies Hubei)
CLICK_COUNTIES = ("恩施市", "秭归县", "宣恩县")  # clicked inside; names unique nationally
# An action after which no script run has finished within this failed (the national
# explorer's rerun alone takes up to half a minute on 2 busy cores).
START_TIMEOUT_MS = 120_000
QUIET_MS = 1500  # nothing received for this long: the rerun (and any it set off) is over
POLL_MS = 50
FRONTEND_CODE = "/static/"  # Streamlit's own bundle; the app's static files are /app/static/
_SMALL_FRAME = 4096  # script_finished messages are tiny; larger frames are not decoded

# The page's clock when its script state last turned idle (Streamlit marks its root).
_IDLE_CLOCK_JS = """() => {
    window.__benchIdleAt = 0;
    new MutationObserver((records) => {
        for (const record of records) {
            if (record.target.getAttribute('data-test-script-state') === 'notRunning') {
                window.__benchIdleAt = performance.now();
            }
        }
    }).observe(document, {subtree: true, attributes: true,
                          attributeFilter: ['data-test-script-state']});
}"""

# An action prepares itself on the page (uncounted) and returns its last step.
Action = Callable[[Page], Callable[[], None]]


@dataclass(frozen=True)
class Rerun:
    """One user action as the browser saw it."""

    ws_bytes: int  # websocket payload bytes received
    frames: int
    http_bytes: int  # HTTP response bytes (headers and body) received meanwhile
    script_runs: int  # script runs that finished
    idle_ms: float  # from the last step until the page was idle again


@dataclass(frozen=True)
class Reruns:
    """Several actions of one kind; the properties are medians (script runs: the most)."""

    actions: list[Rerun]

    @property
    def ws_bytes(self) -> float:
        return statistics.median(a.ws_bytes for a in self.actions)

    @property
    def http_bytes(self) -> float:
        return statistics.median(a.http_bytes for a in self.actions)

    @property
    def idle_ms(self) -> float:
        return statistics.median(a.idle_ms for a in self.actions)

    @property
    def script_runs(self) -> int:
        return max(a.script_runs for a in self.actions)


@dataclass(frozen=True)
class PageReruns:
    filter_changes: Reruns
    county_clicks: Reruns | None
    clicks_failed: str  # why the clicks were not measured ("" when they were)


def _finishes_run(payload: bytes) -> bool:
    if len(payload) > _SMALL_FRAME:
        return False
    try:
        return ForwardMsg.FromString(payload).WhichOneof("type") == "script_finished"
    except DecodeError:
        return False


@dataclass
class FrameCounter:
    """Counts what a page receives while ``counting``; attach before the page is opened."""

    counting: bool = False
    ws_bytes: int = 0
    frames: int = 0
    script_runs: int = 0
    last_frame_at: float = 0.0
    requests: list[Request] = field(default_factory=list)

    def attach(self, context: BrowserContext, page: Page) -> FrameCounter:
        page.on("websocket", self._on_websocket)
        context.on("requestfinished", self._on_request)
        return self

    def _on_websocket(self, websocket: WebSocket) -> None:
        websocket.on("framereceived", self._on_frame)

    def _on_frame(self, payload: str | bytes) -> None:
        self.last_frame_at = time.perf_counter()
        if not self.counting:
            return
        data = payload if isinstance(payload, bytes) else payload.encode("utf-8")
        self.ws_bytes += len(data)
        self.frames += 1
        self.script_runs += _finishes_run(data)

    def _on_request(self, request: Request) -> None:
        if self.counting and not urlsplit(request.url).path.startswith(FRONTEND_CODE):
            self.requests.append(request)

    def start(self) -> None:
        self.ws_bytes = self.frames = self.script_runs = 0
        self.requests = []
        self.counting = True

    def stop(self, idle_ms: float) -> Rerun:
        self.counting = False
        http = 0
        for request in self.requests:
            sizes = request.sizes()
            http += sizes["responseHeadersSize"] + sizes["responseBodySize"]
        return Rerun(self.ws_bytes, self.frames, http, self.script_runs, idle_ms)


def settle(page: Page, counter: FrameCounter, timeout_ms: float) -> None:
    """Wait until the app is idle and no frame has arrived for ``QUIET_MS``."""
    deadline = time.monotonic() + timeout_ms / 1000
    while True:
        wait_until_idle(page, timeout_ms=int(timeout_ms))
        quiet_for = (time.perf_counter() - counter.last_frame_at) * 1000
        if quiet_for >= QUIET_MS:
            return
        if time.monotonic() > deadline:
            raise BrowserCheckError(f"the app never went quiet within {timeout_ms / 1000:.0f} s")
        page.wait_for_timeout(QUIET_MS - quiet_for + POLL_MS)


def measure_action(page: Page, counter: FrameCounter, action: Action, timeout_ms: float) -> Rerun:
    """Prepare the action, then count what its last step brings in until all is quiet."""
    settle(page, counter, timeout_ms)
    last_step = action(page)
    settle(page, counter, timeout_ms)
    counter.start()
    started = page.evaluate("performance.now()")
    last_step()
    deadline = time.monotonic() + START_TIMEOUT_MS / 1000
    while counter.script_runs == 0:
        if time.monotonic() > deadline:
            counter.counting = False
            waited = START_TIMEOUT_MS / 1000
            raise BrowserCheckError(f"no script run finished within {waited:.0f} s of the action")
        page.wait_for_timeout(POLL_MS)
    settle(page, counter, timeout_ms)
    return counter.stop(page.evaluate("window.__benchIdleAt") - started)


# ------------------------------------------------------------------------- actions


def _filter_box(page: Page) -> Locator:
    box = page.get_by_role("combobox", name=FILTER_LABEL, exact=True)
    if box.count() == 0:
        raise BrowserCheckError(f"the page has no multiselect labelled {FILTER_LABEL}")
    return box.first


def choose_chain(chain: str) -> Action:
    """Type the chain into the filter; the last step picks its option."""

    def prepare(page: Page) -> Callable[[], None]:
        box = _filter_box(page)
        box.click()
        box.fill(chain)
        option = page.get_by_role("option").filter(has_text=chain).first
        option.wait_for(state="visible")

        def pick() -> None:
            option.click()
            page.keyboard.press("Escape")

        return pick

    return prepare


def _map_frame(page: Page) -> Frame:
    handle = page.locator(MAP_IFRAME).first.element_handle()
    frame = handle.content_frame() if handle else None
    if frame is None:
        raise BrowserCheckError("the page has no map iframe with a document")
    return frame


def click_county(name: str, geometry: BaseGeometry) -> Action:
    """Zoom the map to the county and find a point inside it off any marker; then click."""

    def prepare(page: Page) -> Callable[[], None]:
        frame = _map_frame(page)
        focus_county(frame, name)
        page.wait_for_timeout(QUIET_MS)  # let the map settle after the zoom
        point = free_point(page, frame, interior_points(geometry))
        return lambda: click(page, point)

    return prepare


# ---------------------------------------------------------------------------- page


def measure_reruns(
    context: BrowserContext,
    url: str,
    chains: Sequence[str],
    counties: Mapping[str, BaseGeometry],
    timeout_ms: float,
) -> PageReruns:
    """Open ``url`` in ``context``, wait for its map, then count filter changes (one more
    of ``chains`` each) and clicks (one in each of ``counties``)."""
    page = context.new_page()
    page.add_init_script(script=f"({_IDLE_CLOCK_JS})()")
    counter = FrameCounter().attach(context, page)
    page.goto(url, wait_until="commit")
    wait_for_map_drawn(page, timeout_ms)
    changes = [measure_action(page, counter, choose_chain(chain), timeout_ms) for chain in chains]
    clicks, failed = None, ""
    try:
        if not counties:
            raise BrowserCheckError(f"the scale has none of the counties {CLICK_COUNTIES}")
        clicks = Reruns(
            [
                measure_action(page, counter, click_county(name, geometry), timeout_ms)
                for name, geometry in counties.items()
            ]
        )
    except (BrowserCheckError, PlaywrightError) as error:
        counter.counting = False
        failed = str(error).splitlines()[0]
    page.close()
    return PageReruns(Reruns(changes), clicks, failed)
