"""Real-browser harness and checks, shared by the browser tests and the benchmark.

One module holds every check so that the tests proving the checks can fail (a broken app,
an injected external request, a click on empty water) exercise exactly the code that
guards the real pages.  Checks raise ``BrowserCheckError`` (an ``AssertionError``) with
a message that says what was seen.

The app runs as a real ``streamlit run`` server on 127.0.0.1; the browser is Debian's
Chromium driven by Playwright (never a downloaded browser).
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import numpy as np
import shapely
from playwright.sync_api import Browser, BrowserContext, Frame, Page, Playwright, Request, WebSocket
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from shapely.geometry.base import BaseGeometry

ROOT = Path(__file__).resolve().parents[2]
APP_FILE = ROOT / "app.py"
OUTPUT_DIR = ROOT / "test-output" / "e2e"
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
MAP_IFRAME = "iframe[title='streamlit_folium.st_folium']"
SERVER_START_TIMEOUT = 90.0
PAGE_TIMEOUT_MS = 90_000


class BrowserCheckError(AssertionError):
    """A browser check found the app in a state users must never see."""


# --------------------------------------------------------------------------- pages


@dataclass(frozen=True)
class PageSpec:
    """A page of the app as the browser tests and the benchmark address it."""

    name: str
    script: str  # path relative to the project, as given to st.Page / AppTest.switch_page
    url_path: str  # "" for the default page
    title: str
    has_map: bool | None = True  # None: check the map only if the page shows one
    county_card: str = ""  # heading prefix of the page's county card ("" = map tooltip)
    product_card: str = ""  # heading prefix of the page's product card ("" = map popup)

    @property
    def exists(self) -> bool:
        return (ROOT / self.script).is_file()


KNOWN_PAGES: tuple[PageSpec, ...] = (
    PageSpec("overview", "pages/overview.py", "", "品牌总览"),
    PageSpec(
        "explorer",
        "pages/explorer.py",
        "explorer",
        "品牌地图",
        county_card="县域名片：",
        product_card="产品名片：",
    ),
)


def discover_pages(root: Path = ROOT) -> list[PageSpec]:
    """The known pages that exist, then any other ``pages/*.py`` with generic checks.

    New pages are picked up without editing this list; Streamlit's default url path of
    a page file is its stem.
    """
    known = [page for page in KNOWN_PAGES if (root / page.script).is_file()]
    scripts = {page.script for page in KNOWN_PAGES}
    extra = [
        PageSpec(path.stem, f"pages/{path.name}", path.stem, path.stem, has_map=None)
        for path in sorted((root / "pages").glob("*.py"))
        if f"pages/{path.name}" not in scripts and not path.name.startswith("_")
    ]
    return known + extra


# -------------------------------------------------------------------------- server


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class StreamlitServer:
    """A ``streamlit run`` process on 127.0.0.1 that this harness started and owns."""

    process: subprocess.Popen[bytes]
    port: int
    log_path: Path
    started_at: float

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str = "") -> str:
        return f"{self.base_url}/{path.lstrip('/')}"

    def log_text(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def stop(self) -> None:
        """End the server's own process group (it was started in a new session)."""
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=15)


def start_server(
    app: Path,
    log_path: Path,
    env: Mapping[str, str],
    *,
    port: int | None = None,
    timeout: float = SERVER_START_TIMEOUT,
) -> StreamlitServer:
    """Launch ``streamlit run`` and return once ``/_stcore/health`` answers."""
    port = port or free_port()
    full_env = {**os.environ, **env}
    command = [
        sys.executable, "-m", "streamlit", "run", str(app),
        "--server.port", str(port),
        "--server.address", "127.0.0.1",
        "--server.headless", "true",
        "--browser.gatherUsageStats", "false",
        # No file watcher: tests and benchmarks never edit the app while it runs.
        "--server.fileWatcherType", "none",
        "--server.runOnSave", "false",
    ]  # fmt: skip
    log_path.parent.mkdir(parents=True, exist_ok=True)
    log = log_path.open("wb")
    started_at = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=ROOT, env=full_env, stdout=log, stderr=subprocess.STDOUT,
        start_new_session=True,
    )  # fmt: skip
    log.close()
    server = StreamlitServer(process, port, log_path, started_at)
    try:
        wait_for_health(server, timeout)
    except BaseException:
        server.stop()
        raise
    return server


def wait_for_health(server: StreamlitServer, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"streamlit exited early:\n{server.log_text()[-4000:]}")
        try:
            with urllib.request.urlopen(server.url("_stcore/health"), timeout=2) as answer:
                if answer.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.1)
    raise RuntimeError(f"streamlit did not answer within {timeout:.0f} s:\n{server.log_text()}")


# ------------------------------------------------------------------------- browser


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


@contextlib.contextmanager
def recorded_context(browser: Browser) -> Iterator[tuple[BrowserContext, RequestRecorder]]:
    context = browser.new_context(viewport=VIEWPORT, locale="zh-CN")
    context.set_default_timeout(PAGE_TIMEOUT_MS)
    recorder = RequestRecorder().attach(context)
    try:
        yield context, recorder
    finally:
        context.close()


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


# ------------------------------------------------------------------ page checks


def open_page(page: Page, server: StreamlitServer, url_path: str) -> None:
    """Navigate and wait until Streamlit is connected and has finished the script run."""
    page.goto(server.url(url_path))
    wait_until_idle(page)


def wait_until_idle(page: Page, timeout_ms: int = PAGE_TIMEOUT_MS) -> None:
    page.wait_for_selector(
        "[data-testid='stApp'][data-test-connection-state='CONNECTED']"
        "[data-test-script-state='notRunning']",
        timeout=timeout_ms,
    )
    # A rerun triggered by a component (map click) starts a moment after the event;
    # waiting for the network to settle then the idle state again catches that run.
    with contextlib.suppress(PlaywrightTimeoutError):
        page.wait_for_load_state("networkidle", timeout=5_000)
    page.wait_for_selector(
        "[data-testid='stApp'][data-test-script-state='notRunning']", timeout=timeout_ms
    )


def streamlit_errors(page: Page) -> list[str]:
    """Texts of Streamlit exception boxes and st.error alerts on the page."""
    return page.evaluate(
        """() => [...document.querySelectorAll(
                '[data-testid="stException"], [data-testid="stAlertContentError"]')]
            .map((el) => el.innerText.trim() || el.outerHTML.slice(0, 200))"""
    )


def assert_no_streamlit_errors(page: Page) -> None:
    errors = streamlit_errors(page)
    if errors:
        raise BrowserCheckError("the page shows an error box: " + " | ".join(errors))


def save_screenshot(page: Page, name: str, output_dir: Path = OUTPUT_DIR) -> Path:
    output_dir.mkdir(parents=True, exist_ok=True)
    path = output_dir / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


# ----------------------------------------------------------------------------- map


@dataclass(frozen=True)
class MapState:
    """What the map iframe holds, read through its Leaflet object and its DOM."""

    iframe_height: float
    map_height: float
    county_layers: int  # county polygons loaded into the map
    counties_drawn: int  # of those, polygons with a part inside the current view
    product_markers: int  # product markers, clustered or not
    visible_clusters: int  # cluster icons currently on screen
    visible_markers: int  # unclustered product markers currently drawn
    sites: int  # site icons currently on screen


# streamlit-folium publishes the Leaflet map of its iframe as ``window.map_div``.
_MAP_STATE_JS = """(countyNames) => {
    const map = window.map_div;
    const names = new Set(countyNames);
    const layers = Object.values(map._layers);
    const polygons = layers.filter((l) => l.feature && l.feature.properties
        && names.has(l.feature.properties.name)
        && /Polygon/.test(l.feature.geometry.type));
    const drawn = new Set(polygons.filter((l) => l._parts && l._parts.length > 0)
        .map((l) => l.feature.properties.name));
    const products = new Set();
    const isProduct = (l) => l instanceof L.CircleMarker;
    layers.forEach((l) => {
        if (L.MarkerClusterGroup && l instanceof L.MarkerClusterGroup) {
            l.getLayers().filter(isProduct).forEach((m) => products.add(L.stamp(m)));
        } else if (isProduct(l)) { products.add(L.stamp(l)); }
    });
    const rect = document.getElementById('map_div').getBoundingClientRect();
    return {
        map_height: rect.height,
        county_layers: new Set(polygons.map((l) => l.feature.properties.name)).size,
        counties_drawn: drawn.size,
        product_markers: products.size,
        visible_clusters: document.querySelectorAll('.gi-cluster, .marker-cluster').length,
        visible_markers: layers.filter((l) => isProduct(l) && l._map).length,
        sites: document.querySelectorAll('.gi-site').length,
    };
}"""

# Until Leaflet takes over, ``window.map_div`` is the bare <div id="map_div"> element.
_MAP_READY_JS = """() => !!(window.L && window.map_div && window.map_div._layers
    && Object.keys(window.map_div._layers).length > 0
    && document.getElementById('map_div').getBoundingClientRect().width > 0)"""


def map_frame(page: Page, timeout_ms: int = PAGE_TIMEOUT_MS) -> Frame:
    """The map's iframe once Leaflet has layers in it; fails if it never renders.

    The iframe is looked up afresh on every poll: Streamlit may replace it while the
    first script run finishes, and a handle to the old one would wait forever.
    """
    deadline = time.monotonic() + timeout_ms / 1000
    seen_iframe = False
    while True:
        for element in page.query_selector_all(MAP_IFRAME):
            seen_iframe = True
            frame = element.content_frame()
            with contextlib.suppress(PlaywrightError):  # navigating or detached: look again
                if frame is not None and frame.evaluate(_MAP_READY_JS):
                    return frame
        if time.monotonic() > deadline:
            if not seen_iframe:
                raise BrowserCheckError("the page has no map iframe")
            raise BrowserCheckError("Leaflet never drew the map inside the iframe")
        page.wait_for_timeout(250)


def has_map(page: Page) -> bool:
    return page.locator(MAP_IFRAME).count() > 0


def read_map_state(page: Page, frame: Frame, county_names: Sequence[str]) -> MapState:
    box = page.locator(MAP_IFRAME).first.bounding_box()
    values = frame.evaluate(_MAP_STATE_JS, list(county_names))
    return MapState(iframe_height=box["height"] if box else 0.0, **values)


def assert_map_renders(
    state: MapState,
    *,
    counties: int | None = None,
    products: int | None = None,
    sites: int | None = None,
) -> None:
    """The map is visible and holds county polygons and product markers/clusters.

    With ``counties``/``products``/``sites`` given, the totals must match exactly.
    """
    problems = []
    if state.iframe_height <= 0:
        problems.append(f"the map iframe is {state.iframe_height:g} px high")
    if state.map_height <= 0:
        problems.append(f"the Leaflet map is {state.map_height:g} px high")
    if state.counties_drawn == 0:
        problems.append("no county polygon is drawn")
    if counties is not None and state.county_layers != counties:
        problems.append(f"{state.county_layers} county polygons, expected {counties}")
    if state.product_markers == 0 or state.visible_clusters + state.visible_markers == 0:
        problems.append("no product cluster or marker is shown")
    if products is not None and state.product_markers != products:
        problems.append(f"{state.product_markers} product markers, expected {products}")
    if sites is not None and state.sites != sites:
        problems.append(f"{state.sites} site icons shown, expected {sites}")
    if problems:
        raise BrowserCheckError("map check failed: " + "; ".join(problems) + f" ({state})")


# ---------------------------------------------------------------------- map clicks

_FOCUS_COUNTY_JS = """(name) => new Promise((resolve) => {
    const map = window.map_div;
    const layer = Object.values(map._layers).find((l) => l.feature
        && l.feature.properties && l.feature.properties.name === name
        && /Polygon/.test(l.feature.geometry.type));
    if (!layer) { resolve(false); return; }
    map.once('moveend', () => setTimeout(() => resolve(true), 300));
    setTimeout(() => resolve(true), 3000);  // the view may already fit: no moveend
    map.fitBounds(layer.getBounds(), {animate: false, padding: [40, 40]});
})"""

# A point is clickable when the topmost element there is the map itself (the canvas
# the polygons are drawn on, or the empty container) and no product marker or control
# covers it, so a real click there can only reach what lies under it.
_FREE_POINT_JS = """(latlngs) => {
    const map = window.map_div;
    const rect = document.getElementById('map_div').getBoundingClientRect();
    const markers = Object.values(map._layers).filter((l) => l instanceof L.CircleMarker);
    for (const [lat, lng] of latlngs) {
        const p = map.latLngToContainerPoint([lat, lng]);
        if (p.x < 20 || p.y < 20 || p.x > rect.width - 20 || p.y > rect.height - 20) continue;
        const top = document.elementFromPoint(rect.left + p.x, rect.top + p.y);
        if (!top || !(top.tagName === 'CANVAS' || top.tagName === 'path'
                || top.classList.contains('leaflet-container'))) continue;
        const covered = markers.some((m) => {
            const q = map.latLngToContainerPoint(m.getLatLng());
            return Math.hypot(q.x - p.x, q.y - p.y) < (m.getRadius() + 6);
        });
        if (!covered) return {x: rect.left + p.x, y: rect.top + p.y};
    }
    return null;
}"""

_SHOW_PRODUCT_JS = """(name) => new Promise((resolve) => {
    const map = window.map_div;
    const parse = (html) => {
        const div = document.createElement('div');
        div.innerHTML = String(html);
        return div;
    };
    // The names a marker carries: its tooltip's first field and its popup's heading.
    const labels = (m) => {
        const out = [];
        const tooltip = m.getTooltip && m.getTooltip();
        const popup = m.getPopup && m.getPopup();
        if (tooltip) out.push(parse(tooltip.getContent()).textContent.split('｜')[0].trim());
        if (popup) {
            const heading = parse(popup.getContent()).querySelector('b, strong, h1, h2, h3, h4');
            if (heading) out.push(heading.textContent.trim());
        }
        return out;
    };
    const candidates = [];
    Object.values(map._layers).forEach((l) => {
        if (L.MarkerClusterGroup && l instanceof L.MarkerClusterGroup) {
            l.getLayers().forEach((m) => candidates.push([l, m]));
        } else if (l instanceof L.CircleMarker) { candidates.push([null, l]); }
    });
    const found = candidates.find(([, m]) => labels(m).includes(name));
    if (!found) { resolve(null); return; }
    const [group, marker] = found;
    const place = () => {
        const rect = document.getElementById('map_div').getBoundingClientRect();
        const p = map.latLngToContainerPoint(marker.getLatLng());
        resolve({x: rect.left + p.x, y: rect.top + p.y});
    };
    // As a user would: zoom in on the product, then open the cluster still holding it.
    // (markercluster's zoomToShowLayer never calls back with this map's fractional zoom.)
    map.setView(marker.getLatLng(), map.getMaxZoom(), {animate: false});
    setTimeout(() => {
        const parent = group ? group.getVisibleParent(marker) : marker;
        if (parent && parent !== marker && parent.spiderfy) {
            parent.spiderfy();
            setTimeout(place, 800);
        } else { place(); }
    }, 600);
})"""

# Information a click shows inside the map: a tooltip (county hover/click) or a popup.
_MAP_INFO_JS = """(selector) => [...document.querySelectorAll(selector)]
    .filter((el) => el.getBoundingClientRect().height > 0 && getComputedStyle(el).opacity > 0)
    .map((el) => el.innerText.trim()).filter(Boolean)"""
INFO_SELECTORS = {"tooltip": ".leaflet-tooltip", "popup": ".leaflet-popup-content"}


@dataclass(frozen=True)
class ScreenPoint:
    x: float
    y: float


def interior_points(geometry: BaseGeometry, count: int = 60, seed: int = 7) -> list[list[float]]:
    """[lat, lng] points inside ``geometry``, innermost first (deterministic)."""
    rng = np.random.default_rng(seed)
    min_x, min_y, max_x, max_y = geometry.bounds
    xs = rng.uniform(min_x, max_x, count * 20)
    ys = rng.uniform(min_y, max_y, count * 20)
    inside = shapely.contains_xy(geometry, xs, ys)
    points = shapely.points(xs[inside], ys[inside])
    # Far from the boundary first: a click there cannot land on the neighbour.
    depth = shapely.distance(points, geometry.boundary)
    order = np.argsort(-depth)[:count]
    return [[float(ys[inside][i]), float(xs[inside][i])] for i in order]


def outside_points(
    geometry: BaseGeometry, bounds: Sequence[float], count: int = 60, seed: int = 11
) -> list[list[float]]:
    """[lat, lng] points within ``bounds`` but outside ``geometry`` (open water on the map)."""
    rng = np.random.default_rng(seed)
    min_x, min_y, max_x, max_y = bounds
    xs = rng.uniform(min_x, max_x, count * 20)
    ys = rng.uniform(min_y, max_y, count * 20)
    outside = ~shapely.intersects_xy(geometry.buffer(0.05), xs, ys)
    return [[float(y), float(x)] for x, y in zip(xs[outside], ys[outside], strict=True)][:count]


def _iframe_offset(page: Page) -> tuple[float, float]:
    iframe = page.locator(MAP_IFRAME).first
    iframe.scroll_into_view_if_needed()
    box = iframe.bounding_box()
    if not box or box["height"] <= 0:
        raise BrowserCheckError("the map iframe is not visible, so nothing can be clicked")
    return box["x"], box["y"]


def focus_county(frame: Frame, name: str) -> None:
    """Zoom the map to one county (as a user would before clicking it)."""
    if not frame.evaluate(_FOCUS_COUNTY_JS, name):
        raise BrowserCheckError(f"the map has no polygon for {name}")


def free_point(page: Page, frame: Frame, latlngs: Sequence[Sequence[float]]) -> ScreenPoint:
    """Page coordinates of the first candidate with nothing but the map on top."""
    offset_x, offset_y = _iframe_offset(page)
    point = frame.evaluate(_FREE_POINT_JS, [list(p) for p in latlngs])
    if point is None:
        raise BrowserCheckError("no candidate point is free of markers and controls")
    return ScreenPoint(offset_x + point["x"], offset_y + point["y"])


def product_point(page: Page, frame: Frame, name: str) -> ScreenPoint:
    """Zoom or spiderfy until the product's own marker is on screen; return its position."""
    offset_x, offset_y = _iframe_offset(page)
    point = frame.evaluate(_SHOW_PRODUCT_JS, name)
    if point is None:
        raise BrowserCheckError(f"the map has no marker for {name}")
    return ScreenPoint(offset_x + point["x"], offset_y + point["y"])


def click(page: Page, point: ScreenPoint) -> None:
    """A real mouse click: the pointer moves there (hover) first, then presses."""
    page.mouse.move(point.x, point.y, steps=4)
    page.mouse.click(point.x, point.y)


def shown_info(page: Page, frame: Frame, where: str, card_prefix: str = "") -> list[str]:
    """Information currently shown in one place.

    ``where`` is ``"tooltip"`` or ``"popup"`` (inside the map) or ``"card"`` (headings of
    the page starting with ``card_prefix``, e.g. 县域名片：).
    """
    if where == "card":
        headings = page.locator("h1, h2, h3, h4, h5, h6")
        return [t.strip() for t in headings.all_inner_texts() if t.strip().startswith(card_prefix)]
    return list(frame.evaluate(_MAP_INFO_JS, INFO_SELECTORS[where]))


def expect_info(
    page: Page,
    frame: Frame,
    expected: str | None,
    *,
    where: str,
    card_prefix: str = "",
    timeout: float = 15.0,
) -> str:
    """Wait until a click's information is shown in ``where`` and return it.

    ``expected`` must appear in the shown text; ``None`` accepts any information at all.
    Raises ``BrowserCheckError`` listing what was shown if nothing matching appears.
    """
    deadline = time.monotonic() + timeout
    seen: list[str] = []
    while True:
        if where == "card":  # the card comes with the rerun the click triggers
            with contextlib.suppress(PlaywrightTimeoutError):
                wait_until_idle(page, timeout_ms=int(timeout * 1000))
        seen = shown_info(page, frame, where, card_prefix)
        wanted = [text for text in seen if expected is None or expected in text]
        if wanted:
            return wanted[0]
        if time.monotonic() > deadline:
            break
        time.sleep(0.2)
    target = "any information" if expected is None else f"“{expected}”"
    raise BrowserCheckError(
        f"the click showed no {where} with {target}; {where}s shown: "
        + json.dumps(seen, ensure_ascii=False)
    )


def close_info(page: Page, frame: Frame) -> None:
    """Close popups and move the pointer away so the next check starts clean."""
    frame.evaluate("() => window.map_div && window.map_div.closePopup()")
    page.mouse.move(1, 1)
