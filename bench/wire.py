"""What a rerun costs the browser: bytes over Streamlit's websocket, and time.

The page is opened in Chromium and left until its map is drawn and nothing has arrived
for a while.  Then a user's action reruns the page (a filter changed in the sidebar, a
county clicked on the map): it is prepared uncounted (the filter typed, the map zoomed
to the county), and from its last step (picking the option, the click) every frame the
browser receives on the websocket is counted, its payload in bytes (uncompressed:
Streamlit's websocket compression is off by default), until the app is idle and quiet
again.  Responses to HTTP requests in that window are counted apart, leaving out
Streamlit's own frontend code (``/static/``), which the browser loads once and caches.
Frames are not decoded except to notice the end of each script run.

Three times, all on the browser's clock from the last step:

* page idle: until the page's script state turned idle for the last time;
* filter change → map updated: until the map last drew (its drawn layer changed: the
  DOM inside Leaflet's map pane, or paint calls on a canvas there, see
  ``_MAP_DRAWS_JS``), so it holds for SVG shapes, DOM markers and canvas markers alike;
* county click → card shown: until the county's card is on screen, Streamlit's (headed
  县域名片：<name>) or one the map draws itself (``.gi-card[data-county=<adcode>]``).

Filters are found by their labels; the county clicks zoom with Leaflet's own
``fitBounds`` and use the harness's free-point helpers (``tests/harness/clicks.py``),
so if those no longer fit the map, the clicks are reported as not measured while the
filter changes still are.
"""

from __future__ import annotations

import contextlib
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol
from urllib.parse import urlsplit

import numpy as np
import numpy.typing as npt
import shapely
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
# A region without Hubei's chains (china, since issue 23) groups products by category: the
# filter changed there is 品类, each chain standing for the category it mostly holds.
CATEGORY_LABEL = "品类"
CATEGORY_OF_CHAIN = {"柑橘": "水果", "优质稻米": "粮油"}
CLICK_COUNTIES = ("恩施市", "秭归县", "宣恩县")  # clicked inside; names unique nationally
# An action after which no script run has finished within this failed (the national
# explorer's rerun alone took over two minutes on 2 cores at a load average of 30).
START_TIMEOUT_MS = 300_000
QUIET_MS = 1500  # nothing received for this long: the rerun (and any it set off) is over
POLL_MS = 50
FRONTEND_CODE = "/static/"  # Streamlit's own bundle; the app's static files are /app/static/
_SMALL_FRAME = 4096  # script_finished messages are tiny; larger frames are not decoded

# The page's clock when its script state last turned idle (Streamlit marks its root).
# Times are read as the browser's wall clock (``performance.timeOrigin + now()``), the
# same in the page and in the map's iframe.
_IDLE_CLOCK_JS = """() => {
    window.__benchIdleAt = 0;
    new MutationObserver((records) => {
        for (const record of records) {
            if (record.target.getAttribute('data-test-script-state') === 'notRunning') {
                window.__benchIdleAt = performance.timeOrigin + performance.now();
            }
        }
    }).observe(document, {subtree: true, attributes: true,
                          attributeFilter: ['data-test-script-state']});
}"""

# In the map's iframe (every frame but the page itself): when the map last drew, knowing
# nothing of how it draws.  A draw is a change of the DOM inside Leaflet's map pane (SVG
# paths, marker and cluster icons, panes a script creates) or a paint call on a canvas
# placed there (2D or WebGL), so the same clock serves SVG shapes, DOM markers and canvas
# markers.  Left out: the map pane's own moves (a pan), base map tiles, tooltips and
# popups (a hover is not the map updated).
_MAP_DRAWS_JS = """() => {
    if (window.top === window) return;
    const now = () => performance.timeOrigin + performance.now();
    window.__benchDraws = 0;
    window.__benchDrawnAt = 0;
    const drew = () => { window.__benchDraws += 1; window.__benchDrawnAt = now(); };
    const ignored = '.leaflet-tile-pane, .leaflet-tooltip-pane, .leaflet-popup-pane';
    const onMap = (node) => {
        const el = node && (node.nodeType === 1 ? node : node.parentElement);
        if (!el || !el.closest) return false;
        const pane = el.closest('.leaflet-map-pane');
        return Boolean(pane) && el !== pane && !el.closest(ignored);
    };
    new MutationObserver((records) => {
        if (records.some((record) => onMap(record.target))) drew();
    }).observe(document, {subtree: true, childList: true, attributes: true});
    const canvases = new WeakMap();
    const mapCanvas = (canvas) => {
        let known = canvases.get(canvas);
        if (known === undefined) {
            if (!canvas || !canvas.isConnected) return false;  // not placed yet: ask again
            known = onMap(canvas);
            canvases.set(canvas, known);
        }
        return known;
    };
    const watch = (proto, names) => {
        if (!proto) return;
        for (const name of names) {
            const original = proto[name];
            if (typeof original !== 'function') continue;
            proto[name] = function (...args) {
                if (mapCanvas(this.canvas)) drew();
                return original.apply(this, args);
            };
        }
    };
    watch(window.CanvasRenderingContext2D && CanvasRenderingContext2D.prototype,
          ['fill', 'stroke', 'fillRect', 'strokeRect', 'clearRect', 'drawImage', 'fillText',
           'strokeText', 'putImageData']);
    for (const gl of [window.WebGLRenderingContext, window.WebGL2RenderingContext]) {
        watch(gl && gl.prototype, ['drawArrays', 'drawElements', 'clear']);
    }
}"""

# Watch for a county's card, in the page (Streamlit's card, headed 县域名片：<name>) or in
# the map's iframe (a card the map draws: class gi-card, data-county=<adcode>), every
# frame from now until it is shown; its time goes to window.__benchCard.at.
CARD_HEADING = "县域名片"
_WATCH_CARD_JS = """([name, adcode, heading]) => {
    const now = () => performance.timeOrigin + performance.now();
    const visible = (el) => el.getClientRects().length > 0;
    const shown = () => [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')].some(
            (h) => h.textContent.includes(heading) && h.textContent.includes(name) && visible(h))
        || [...document.querySelectorAll('.gi-card[data-county]')].some(
            (card) => (card.dataset.county === adcode || card.textContent.includes(name))
                && visible(card));
    const want = {at: 0};
    window.__benchCard = want;
    const look = () => {
        if (window.__benchCard !== want) return;  // a later watch replaced this one
        if (shown()) { want.at = now(); return; }
        requestAnimationFrame(look);
    };
    look();
}"""
_CARD_AT_JS = "() => (window.__benchCard && window.__benchCard.at) || 0"
_DRAWS_JS = "() => [window.__benchDraws || 0, window.__benchDrawnAt || 0]"
_NOW_JS = "() => performance.timeOrigin + performance.now()"
DRAWS_QUIET_CAP_MS = 20_000  # a map that never stops drawing settles after this anyway


class Action(Protocol):
    """A user's action: prepared on the page uncounted; ``prepare`` returns its last
    step, which is counted.  ``shown`` is what the user waits for: "map" (the map's drawn
    layer changed) or "card" (the county's card is shown)."""

    @property
    def shown(self) -> str: ...

    @property
    def county(self) -> tuple[str, str] | None:
        """(name, adcode) of the county whose card the action opens, if any."""

    def prepare(self, page: Page) -> Callable[[], None]: ...


@dataclass(frozen=True)
class Rerun:
    """One user action as the browser saw it."""

    ws_bytes: int  # websocket payload bytes received
    frames: int
    http_bytes: int  # HTTP response bytes (headers and body) received meanwhile
    script_runs: int  # script runs that finished
    idle_ms: float  # from the last step until the page was idle again
    # From the last step until what the user waits for: the map's drawn layer last
    # changed (a filter change) or the county's card shown (a click); None: never.
    shown_ms: float | None = None


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

    @property
    def shown_ms(self) -> float | None:
        """Median over the actions that showed what was waited for; None if none did."""
        shown = [a.shown_ms for a in self.actions if a.shown_ms is not None]
        return statistics.median(shown) if shown else None

    @property
    def not_shown(self) -> int:
        return sum(a.shown_ms is None for a in self.actions)


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

    def stop(self, idle_ms: float, shown_ms: float | None) -> Rerun:
        self.counting = False
        http = 0
        for request in self.requests:
            sizes = request.sizes()
            http += sizes["responseHeadersSize"] + sizes["responseBodySize"]
        return Rerun(self.ws_bytes, self.frames, http, self.script_runs, idle_ms, shown_ms)


def _map_frame_or_none(page: Page) -> Frame | None:
    with contextlib.suppress(PlaywrightError):
        handle = page.locator(MAP_IFRAME).first.element_handle(timeout=1000)
        return handle.content_frame() if handle else None
    return None


def map_draws(page: Page) -> tuple[int, float]:
    """(draws so far, browser time of the last) in the map's iframe; (0, 0) without one."""
    frame = _map_frame_or_none(page)
    if frame is None:
        return 0, 0.0
    with contextlib.suppress(PlaywrightError):  # navigating: as if nothing was drawn
        draws, at = frame.evaluate(_DRAWS_JS)
        return int(draws), float(at)
    return 0, 0.0


def settle(page: Page, counter: FrameCounter, timeout_ms: float, since: float = 0.0) -> None:
    """Wait until the app is idle, no frame has arrived for ``QUIET_MS`` (nor since the
    ``time.perf_counter()`` moment ``since``), and the map has not drawn for as long (for
    at most ``DRAWS_QUIET_CAP_MS`` more)."""
    deadline = time.monotonic() + timeout_ms / 1000
    draws_deadline = 0.0
    while True:
        wait_until_idle(page, timeout_ms=int(timeout_ms))
        quiet_for = (time.perf_counter() - max(counter.last_frame_at, since)) * 1000
        if quiet_for >= QUIET_MS:
            _, drawn_at = map_draws(page)
            drawn_quiet = page.evaluate(_NOW_JS) - drawn_at
            draws_deadline = draws_deadline or time.monotonic() + DRAWS_QUIET_CAP_MS / 1000
            if drawn_quiet >= QUIET_MS or time.monotonic() > draws_deadline:
                return
            quiet_for = min(quiet_for, drawn_quiet)
        if time.monotonic() > deadline:
            raise BrowserCheckError(f"the app never went quiet within {timeout_ms / 1000:.0f} s")
        page.wait_for_timeout(QUIET_MS - quiet_for + POLL_MS)


def _card_at(page: Page) -> float:
    """Browser time the watched card was shown, in the page or the map's iframe (0: not)."""
    at = float(page.evaluate(_CARD_AT_JS))
    frame = _map_frame_or_none(page)
    if not at and frame is not None:
        with contextlib.suppress(PlaywrightError):
            at = float(frame.evaluate(_CARD_AT_JS))
    return at


def _watch_card(page: Page, name: str, adcode: str) -> None:
    page.evaluate(_WATCH_CARD_JS, [name, adcode, CARD_HEADING])
    frame = _map_frame_or_none(page)
    if frame is not None:
        with contextlib.suppress(PlaywrightError):
            frame.evaluate(_WATCH_CARD_JS, [name, adcode, CARD_HEADING])


def measure_action(page: Page, counter: FrameCounter, action: Action, timeout_ms: float) -> Rerun:
    """Prepare the action, then count what its last step brings in until all is quiet.

    Waits for a script run to finish or, for a click, its card to be shown (a map may
    show the card itself, without a rerun), then for all to be quiet.
    """
    settle(page, counter, timeout_ms)
    last_step = action.prepare(page)
    settle(page, counter, timeout_ms)
    draws_before, _ = map_draws(page)
    if action.county is not None:
        _watch_card(page, *action.county)
    counter.start()
    started = page.evaluate(_NOW_JS)
    step_at = time.perf_counter()
    last_step()
    deadline = time.monotonic() + START_TIMEOUT_MS / 1000
    while counter.script_runs == 0 and not (action.county and _card_at(page)):
        if time.monotonic() > deadline:
            counter.counting = False
            waited = START_TIMEOUT_MS / 1000
            raise BrowserCheckError(f"no script run finished within {waited:.0f} s of the action")
        page.wait_for_timeout(POLL_MS)
    settle(page, counter, timeout_ms, since=step_at)
    idle_ms = max(page.evaluate("window.__benchIdleAt") - started, 0.0)
    shown_ms = None
    if action.shown == "card":
        at = _card_at(page)
        shown_ms = at - started if at else None
    else:
        draws, drawn_at = map_draws(page)
        shown_ms = drawn_at - started if draws > draws_before and drawn_at > started else None
    return counter.stop(idle_ms, shown_ms)


# ------------------------------------------------------------------------- actions


def _filter_box(page: Page, chain: str) -> tuple[Locator, str]:
    """The 产业链 multiselect and ``chain``, or where the page has none (a region grouping
    by category) the 品类 one and the category standing for ``chain``."""
    box = page.get_by_role("combobox", name=FILTER_LABEL, exact=True)
    if box.count():
        return box.first, chain
    box = page.get_by_role("combobox", name=CATEGORY_LABEL, exact=True)
    if box.count() == 0:
        raise BrowserCheckError(f"the page has no multiselect labelled {FILTER_LABEL}")
    return box.first, CATEGORY_OF_CHAIN.get(chain, chain)


@dataclass(frozen=True)
class ChooseChain:
    """Type the chain into the filter; the last step picks its option."""

    chain: str
    shown: str = "map"
    county: tuple[str, str] | None = None

    def prepare(self, page: Page) -> Callable[[], None]:
        box, text = _filter_box(page, self.chain)
        box.click()
        box.fill(text)
        option = page.get_by_role("option").filter(has_text=text).first
        option.wait_for(state="visible")

        def pick() -> None:
            option.click()
            page.keyboard.press("Escape")

        return pick


def _map_frame(page: Page) -> Frame:
    frame = _map_frame_or_none(page)
    if frame is None:
        raise BrowserCheckError("the page has no map iframe with a document")
    return frame


# Zoom the map to a box as a user would (a key press first tells the map script the user
# moved it, so it does not frame its own view again), without reading the map's layers:
# a map drawing counties only from a closer zoom has no county layer to look up before.
_FIT_BOUNDS_JS = """(bounds) => new Promise((resolve) => {
    const map = window.map_div;
    if (!map) { resolve(false); return; }
    map.getContainer().dispatchEvent(new KeyboardEvent('keydown', {key: 'Shift'}));
    map.once('moveend', () => setTimeout(() => resolve(true), 300));
    setTimeout(() => resolve(true), 3000);  // the view may already fit: no moveend
    map.fitBounds(bounds, {animate: false, padding: [40, 40]});
})"""


def clear_points(
    geometry: BaseGeometry, markers: npt.NDArray[np.float64], count: int = 120
) -> list[list[float]]:
    """[lat, lng] points inside ``geometry``, those farthest from both its boundary and
    the nearest of ``markers`` (lon, lat of products and sites) first: a map that draws
    its markers on a canvas has no marker objects for ``free_point`` to step around."""
    points = interior_points(geometry, count)
    if not points or len(markers) == 0:
        return points
    xy = np.array([[lng, lat] for lat, lng in points])
    depth = shapely.distance(shapely.points(xy), geometry.boundary)
    gaps = np.sqrt(((xy[:, None, :] - markers[None, :, :]) ** 2).sum(axis=2)).min(axis=1)
    order = np.argsort(-np.minimum(depth, gaps), kind="stable")
    return [points[i] for i in order]


@dataclass(frozen=True)
class ClickCounty:
    """Zoom the map to the county and find a point inside it off any marker; the last
    step clicks there."""

    name: str
    adcode: str
    geometry: BaseGeometry
    markers: npt.NDArray[np.float64] = field(default_factory=lambda: np.empty((0, 2)))
    shown: str = "card"

    @property
    def county(self) -> tuple[str, str]:
        return self.name, self.adcode

    def prepare(self, page: Page) -> Callable[[], None]:
        frame = _map_frame(page)
        min_x, min_y, max_x, max_y = self.geometry.bounds
        if not frame.evaluate(_FIT_BOUNDS_JS, [[min_y, min_x], [max_y, max_x]]):
            raise BrowserCheckError("the map iframe has no Leaflet map (window.map_div)")
        page.wait_for_timeout(QUIET_MS)  # let the map settle after the zoom
        point = free_point(page, frame, clear_points(self.geometry, self.markers))
        return lambda: click(page, point)


# ---------------------------------------------------------------------------- page


def measure_reruns(
    context: BrowserContext,
    url: str,
    chains: Sequence[str],
    counties: Sequence[ClickCounty],
    timeout_ms: float,
) -> PageReruns:
    """Open ``url`` in ``context``, wait for its map, then count filter changes (one more
    of ``chains`` each) and clicks (one in each of ``counties``)."""
    page = context.new_page()
    page.add_init_script(script=f"({_IDLE_CLOCK_JS})()")
    page.add_init_script(script=f"({_MAP_DRAWS_JS})()")
    counter = FrameCounter().attach(context, page)
    page.goto(url, wait_until="commit")
    wait_for_map_drawn(page, timeout_ms)
    changes = [measure_action(page, counter, ChooseChain(chain), timeout_ms) for chain in chains]
    clicks, failed = None, ""
    try:
        if not counties:
            raise BrowserCheckError(f"the scale has none of the counties {CLICK_COUNTIES}")
        clicks = Reruns([measure_action(page, counter, county, timeout_ms) for county in counties])
    except (BrowserCheckError, PlaywrightError) as error:
        counter.counting = False
        failed = str(error).splitlines()[0]
    page.close()
    return PageReruns(Reruns(changes), clicks, failed)
