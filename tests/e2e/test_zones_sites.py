"""示范区与文旅 in Chromium: site layers, the list by type, a site card, a route.

The app runs on the shipped seed (eleven researched sites, seven zones, three example
routes).  As a user would: switch off the 主题景区 layer in the sidebar, read the list on
the 站点列表 tab, click a site's icon on the map for its card, load an example route and
see it drawn in order with its legs, then open the route's shared link afresh.  Every
interaction's web-socket traffic is measured (the map's geometry is never sent again).
Screenshots of the page and of a route at 1920×1080 and 1280×720 land in
``var/screenshots/``.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pandas as pd
import pytest
from playwright.sync_api import BrowserContext, Frame, Page

from landmarks.data import store
from landmarks.maps.site_kinds import SITE_KINDS
from landmarks.query import routes
from landmarks.ui import zones_sites as view
from tests.harness import (
    NO_TOASTS,
    ROOT,
    BrowserCheckError,
    ScreenPoint,
    StreamlitServer,
    assert_no_external_references,
    assert_no_streamlit_errors,
    click,
    expect_info,
    expect_no_info,
    map_frame,
    open_page,
    recorded_page,
    save_screenshot,
    screen_sizes,
    wait_until_idle,
)

pytestmark = pytest.mark.browser

SCREENSHOTS = ROOT / "var" / "screenshots"
SIZES = screen_sizes("1920x1080", "1280x720")
HIDDEN_KIND = "主题景区"
CARD_SITE = "潜江生态龙虾城(龙虾美食街区)"  # a 文创美食品鉴馆, still shown
# What one interaction may bring over the web socket (the page's elements and the map's
# small data layer; the geometry and the rows come once, as cached static files).
INTERACTION_BYTES = 60_000

_STATE_JS = """(name) => document.querySelector('.leaflet-container').getAttribute(name)"""
# The page position of a site's icon, by the name its marker carries.
_SITE_ICON_JS = """(name) => {
    let found = null;
    Object.values(window.map_div._layers).forEach((l) => {
        if (l.options && l.options.giName === name && l._icon) found = l._icon;
    });
    if (!found) return null;
    const r = found.getBoundingClientRect();
    return {x: r.left + r.width / 2, y: r.top + r.height / 2};
}"""
_KIND_COUNTS_JS = """(kinds) => kinds.map((k) =>
    document.querySelectorAll('.gi-site-kind-' + k).length)"""
_LIST_TYPES_JS = """() => [...document.querySelectorAll(
    '[data-testid="stDataFrame"] table[role="grid"] tbody tr')].map((row) => {
        const cells = [...row.querySelectorAll('td')].map((td) => td.innerText.trim());
        return [cells[0], cells[1]];
    })"""


def viewport(size: str) -> dict[str, int]:
    width, height = SIZES[size]
    return {"width": width, "height": height}


def _table(db_path: Path, table: str) -> pd.DataFrame:
    with store.opened(db_path) as db:
        return db.read_table(table)


class SocketMeter:
    """Bytes the page receives over Streamlit's web socket, counted per interaction."""

    def __init__(self, page: Page) -> None:
        self.received = 0
        page.on("websocket", lambda socket: socket.on("framereceived", self._frame))

    def _frame(self, payload: str | bytes) -> None:
        self.received += len(payload.encode() if isinstance(payload, str) else payload)

    @contextmanager
    def interaction(self, sizes: list[int]) -> Iterator[None]:
        start = self.received
        yield
        sizes.append(self.received - start)


def map_state(frame: Frame, name: str) -> str:
    return str(frame.evaluate(_STATE_JS, f"data-gi-{name}") or "")


def wait_for_state(page: Page, name: str, expected: str, timeout: float = 20.0) -> Frame:
    """Wait until the map (looked up afresh) reports ``expected`` for ``data-gi-<name>``."""
    deadline = time.monotonic() + timeout
    seen = ""
    while time.monotonic() < deadline:
        frame = map_frame(page)
        seen = map_state(frame, name)
        if seen == expected:
            return frame
        page.wait_for_timeout(250)
    raise BrowserCheckError(f"the map reports data-gi-{name}={seen!r}, expected {expected!r}")


def open_tab(page: Page, label: str) -> None:
    page.get_by_role("tab", name=label).click()
    wait_until_idle(page)


def choose(page: Page, label: str, option: str) -> None:
    """Pick ``option`` in the select box labelled ``label``, as a user would."""
    box = page.get_by_role("combobox", name=label)
    box.scroll_into_view_if_needed()
    box.click()
    choice = page.get_by_role("option", name=option)
    if not choice.is_visible():
        box.press("ArrowDown")  # the list did not open on the click: open it by key
    choice.click()
    wait_until_idle(page)


def listed_rows(page: Page, expected: int, timeout: float = 15.0) -> list[list[str]]:
    """(name, type) of each row of the site list once it shows ``expected`` rows (the
    grid's accessible table is filled a moment after the tab opens)."""
    deadline = time.monotonic() + timeout
    rows: list[list[str]] = []
    while time.monotonic() < deadline:
        rows = page.evaluate(_LIST_TYPES_JS)
        if len(rows) == expected:
            return rows
        page.wait_for_timeout(250)
    raise BrowserCheckError(f"the list shows {len(rows)} rows, expected {expected}: {rows}")


def site_icon(page: Page, frame: Frame, name: str) -> ScreenPoint:
    iframe = page.locator("iframe[title='streamlit_folium.st_folium']").first
    iframe.scroll_into_view_if_needed()
    box = iframe.bounding_box()
    point = frame.evaluate(_SITE_ICON_JS, name)
    if box is None or point is None:
        raise BrowserCheckError(f"no icon on the map for the site {name}")
    return ScreenPoint(box["x"] + point["x"], box["y"] + point["y"])


def shot(page: Page, name: str, *, top: bool = False) -> None:
    """A screenshot of what the viewport shows (``top``: scrolled up to the title and
    map first), once the map's fit has settled, without the first-run toast."""
    if top:
        page.locator("h1").first.scroll_into_view_if_needed()
    page.wait_for_timeout(700)  # a fit's animation
    save_screenshot(page, name, SCREENSHOTS, full_page=False, style=NO_TOASTS)


@pytest.mark.parametrize("size", SIZES)
def test_layers_list_card_and_route(
    size: str, shared_context: BrowserContext, app_server: StreamlitServer, app_db: Path
) -> None:
    with recorded_page(shared_context, viewport(size)) as (page, recorder):
        meter = SocketMeter(page)
        open_page(page, app_server, "zones_sites")
        sites = _table(app_db, "sites")
        zones = _table(app_db, "zones")
        frame = wait_for_state(page, "sites", str(len(sites)))
        assert map_state(frame, "zones") == str(len(zones))
        kinds = list(range(len(SITE_KINDS)))
        counts = sites["site_type"].value_counts()
        assert frame.evaluate(_KIND_COUNTS_JS, kinds) == [
            int(counts.get(kind.name, 0)) for kind in SITE_KINDS
        ]  # each kind its own icon
        shot(page, f"zones_sites-page-{size}")
        sizes: list[int] = []

        # Site layers: switch 主题景区 off in the sidebar; its icons leave the map.
        hidden = int(counts[HIDDEN_KIND])
        with meter.interaction(sizes):
            page.get_by_role("button", name=f"{HIDDEN_KIND}（{hidden}）").click()
            wait_until_idle(page)
            frame = wait_for_state(page, "sites", str(len(sites) - hidden))
        hidden_index = [kind.name for kind in SITE_KINDS].index(HIDDEN_KIND)
        assert frame.evaluate(_KIND_COUNTS_JS, [hidden_index]) == [0]

        # The list follows the map: no 主题景区 left, every other kind still there.
        with meter.interaction(sizes):
            open_tab(page, view.TABS[view.TAB_SITES])
            # The tab's own rerun draws the list (idle may be read before it starts): its
            # bytes are this interaction's, not the next one's.
            listed = listed_rows(page, len(sites) - hidden)
            wait_until_idle(page)
        assert {kind for _, kind in listed} == set(sites["site_type"]) - {HIDDEN_KIND}
        assert parse_qs(urlsplit(page.url).query)["site_type"]  # the view is in the link

        # A site's icon opens its card beside the map.
        with meter.interaction(sizes):
            click(page, site_icon(page, frame, CARD_SITE))
            expect_info(page, frame, f"站点名片：{CARD_SITE}", where="card", card_prefix="站点名片")
        assert "site=" in page.url
        page.locator(".st-key-zs_close_site button").first.click()  # the card's close button
        expect_no_info(page, frame, where="card", card_prefix="站点名片")
        with meter.interaction(sizes):  # and every layer back on
            page.get_by_role("button", name=f"{HIDDEN_KIND}（{hidden}）").click()
            wait_until_idle(page)
            frame = wait_for_state(page, "sites", str(len(sites)))

        # A route: load an example; the map draws its numbered stops and legs.
        example = routes.example_routes()[0]
        open_tab(page, view.TABS[view.TAB_ROUTE])
        # Only the open tab runs: its picker arriving shows the tab's own rerun has begun
        # (idle may be read before it starts), so its bytes stay out of the next count.
        page.get_by_role("combobox", name="从已有线路开始").wait_for()
        wait_until_idle(page)
        with meter.interaction(sizes):
            choose(page, "从已有线路开始", f"{routes.EXAMPLE_LABEL}：{example.name}")
            frame = wait_for_state(page, "route", str(len(example.stops)))
        legs = map_state(frame, "legs").split("|")
        assert len(legs) == len(example.stops) - 1 and all(t.endswith("公里") for t in legs)
        assert frame.locator(".gi-stop").count() == len(example.stops)
        assert frame.locator(".gi-leg").count() == len(legs)
        assert page.get_by_text(routes.EXAMPLE_LABEL, exact=True).count() >= 1
        shot(page, f"zones_sites-route-{size}", top=True)
        page.get_by_text("分享与导出").scroll_into_view_if_needed()
        shot(page, f"zones_sites-route-panel-{size}")
        query = parse_qs(urlsplit(page.url).query)
        assert query["route"] == [example.name]

        assert all(size < INTERACTION_BYTES for size in sizes), sizes
        assert_no_streamlit_errors(page)
        assert_no_external_references(page)
        recorder.assert_offline()
        recorder.assert_no_page_errors()

        # The shared link opens the same route in a fresh page.
        with recorded_page(page.context, page.viewport_size) as (again, _again_recorder):
            again.goto(page.url)
            wait_until_idle(again)
            frame = wait_for_state(again, "route", str(len(example.stops)))
            assert map_state(frame, "legs").split("|") == legs
            assert_no_streamlit_errors(again)
