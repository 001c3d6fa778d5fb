"""Real-browser harness and checks, shared by the browser tests and the benchmark.

One package holds every check so that the tests proving the checks can fail (a broken
app, an injected external request, a click on empty water) exercise exactly the code
that guards the real pages.  Checks raise ``BrowserCheckError`` (an ``AssertionError``)
with a message that says what was seen.

The app runs as a real ``streamlit run`` server on 127.0.0.1 (``server``); the browser
is Debian's Chromium driven by Playwright, never a downloaded browser (``browser``).
``pages`` lists and opens the app's pages, ``mapcheck`` reads the map in its iframe and
``clicks`` clicks on it as a user would.  Import from the package:
``from tests.harness import start_server``.
"""

from tests.harness.browser import (
    CHROMIUM_ARGS,
    CHROMIUM_PATH,
    LOCAL_HOSTS,
    NON_NETWORK_SCHEMES,
    PAGE_TIMEOUT_MS,
    VIEWPORT,
    BrowserCheckError,
    RequestRecorder,
    assert_no_external_references,
    chromium_available,
    external_references,
    is_local_url,
    launch_chromium,
    new_context,
    recorded_context,
    recorded_page,
)
from tests.harness.clicks import (
    INFO_SELECTORS,
    ScreenPoint,
    click,
    close_info,
    expect_info,
    expect_no_info,
    focus_county,
    free_point,
    interior_points,
    outside_points,
    product_point,
    shown_info,
)
from tests.harness.mapcheck import (
    MAP_IFRAME,
    Box,
    MapState,
    assert_map_renders,
    drawn_area,
    has_map,
    map_frame,
    read_map_state,
    view_bounds,
    wait_for_area,
    wait_for_view,
)
from tests.harness.pages import (
    KNOWN_PAGES,
    NO_TOASTS,
    OUTPUT_DIR,
    PageSpec,
    assert_no_streamlit_errors,
    discover_pages,
    open_page,
    save_screenshot,
    streamlit_errors,
    wait_until_idle,
)
from tests.harness.server import (
    APP_FILE,
    ROOT,
    SERVER_START_TIMEOUT,
    StreamlitServer,
    free_port,
    start_server,
    wait_for_health,
)

__all__ = [
    "APP_FILE",
    "CHROMIUM_ARGS",
    "CHROMIUM_PATH",
    "INFO_SELECTORS",
    "KNOWN_PAGES",
    "LOCAL_HOSTS",
    "MAP_IFRAME",
    "NON_NETWORK_SCHEMES",
    "NO_TOASTS",
    "OUTPUT_DIR",
    "PAGE_TIMEOUT_MS",
    "ROOT",
    "SERVER_START_TIMEOUT",
    "VIEWPORT",
    "Box",
    "BrowserCheckError",
    "MapState",
    "PageSpec",
    "RequestRecorder",
    "ScreenPoint",
    "StreamlitServer",
    "assert_map_renders",
    "assert_no_external_references",
    "assert_no_streamlit_errors",
    "chromium_available",
    "click",
    "close_info",
    "discover_pages",
    "drawn_area",
    "expect_info",
    "expect_no_info",
    "external_references",
    "focus_county",
    "free_point",
    "free_port",
    "has_map",
    "interior_points",
    "is_local_url",
    "launch_chromium",
    "map_frame",
    "new_context",
    "open_page",
    "outside_points",
    "product_point",
    "read_map_state",
    "recorded_context",
    "recorded_page",
    "save_screenshot",
    "shown_info",
    "start_server",
    "streamlit_errors",
    "view_bounds",
    "wait_for_area",
    "wait_for_health",
    "wait_for_view",
    "wait_until_idle",
]
