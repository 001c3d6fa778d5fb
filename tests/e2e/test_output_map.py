"""产值地图 in Chromium: changing the year and the classification restyles the counties in
place, the legend follows with its bounds and the 无数据 class, and each change costs the
browser little over the websocket (the geometry is never sent again).

The app serves the shipped data, which has no county totals: the map shows the
demonstration table (示例数据), whose figures the test recomputes from the app's own
database.  Screenshots of the map with its legend land in ``var/screenshots/`` and
``test-output/e2e/``.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from playwright.sync_api import BrowserContext, Frame, Page, WebSocket

from landmarks.data import store
from landmarks.data.demo_outputs import DEMO_METRIC, demo_county_outputs
from landmarks.data.regions import Regions
from landmarks.maps.choropleth import NO_DATA_STYLE, palette
from landmarks.query import output_values as ov
from landmarks.query.classify import FISHER_JENKS, QUANTILES, classify
from tests.harness import (
    ROOT,
    BrowserCheckError,
    StreamlitServer,
    assert_no_streamlit_errors,
    map_frame,
    open_page,
    recorded_page,
    save_screenshot,
    wait_until_idle,
)
from tests.harness.views import View, ViewSpec

pytestmark = pytest.mark.browser

SCREENSHOTS = ROOT / "var" / "screenshots"
BUDGET_BYTES = 60_000
ZIGUI = "420527"  # 秭归县: GI products of its own, so a demonstration figure
QUIET_MS = 1500
FIRST_YEAR_KEY = f"output|{DEMO_METRIC}|county|2024|{QUANTILES}|5"

_STATE_JS = """(codes) => {
    const container = document.querySelector('.leaflet-container');
    const fills = {};
    Object.values(window.map_div._layers).forEach((l) => {
        if (l.feature && l.feature.properties && codes.includes(l.feature.properties.adcode)
            && l.options.interactive !== false) {
            fills[l.feature.properties.adcode] = {
                fill: l.options.fillColor, dash: l.options.dashArray || ''};
        }
    });
    const legend = document.querySelector('.gi-legend');
    return {
        key: container.getAttribute('data-gi-choropleth'),
        nodata: container.getAttribute('data-gi-nodata'),
        fills: fills,
        legend: legend ? legend.innerText : '',
        legendOpen: !!(legend && legend.querySelector('details[open]')),
        rows: legend ? [...legend.querySelectorAll('.gi-swatch')].map((r) => r.innerText) : [],
    };
}"""


class Received:
    """Websocket payload bytes the page receives while counting."""

    def __init__(self, page: Page) -> None:
        self.counting = False
        self.bytes = 0
        self.last = time.perf_counter()
        page.on("websocket", self._attach)

    def _attach(self, websocket: WebSocket) -> None:
        websocket.on("framereceived", self._frame)

    def _frame(self, payload: str | bytes) -> None:
        self.last = time.perf_counter()
        if self.counting:
            self.bytes += len(payload if isinstance(payload, bytes) else payload.encode())

    def quiet(self, page: Page) -> None:
        """Idle, and nothing received for ``QUIET_MS``."""
        for _ in range(40):
            wait_until_idle(page)
            waited = (time.perf_counter() - self.last) * 1000
            if waited >= QUIET_MS:
                return
            page.wait_for_timeout(QUIET_MS - waited + 50)
        raise BrowserCheckError("the page never went quiet")

    def measure(self, page: Page, step: Callable[[], None], frame: Frame, key: str) -> int:
        """Bytes received from ``step`` until the map shows ``key`` and all is quiet."""
        self.quiet(page)
        self.bytes, self.counting = 0, True
        step()
        wait_for_key(page, frame, key)
        self.quiet(page)
        self.counting = False
        return self.bytes


def wait_for_key(page: Page, frame: Frame, key: str, timeout_s: float = 60) -> dict[str, Any]:
    deadline = time.monotonic() + timeout_s
    while True:
        state: dict[str, Any] = frame.evaluate(_STATE_JS, [])
        if state["key"] == key:
            return state
        if time.monotonic() > deadline:
            raise BrowserCheckError(f"the map shows {state['key']!r}, not {key!r}")
        page.wait_for_timeout(200)


def expected_view(
    app_db: Path, regions: Regions, year: int, scheme: str, k: int
) -> tuple[ov.MapValues, Any]:
    """The figures and classes the page should draw, from the app's own database."""
    with store.opened(app_db) as db:
        products = db.read_table("products")
        outputs = db.read_table("outputs")
    joined = ov.join_figures(outputs, regions, set(products["name"]))
    figures = ov.county_figures(joined, demo_county_outputs(products, regions), regions)
    values = ov.output_values(figures, DEMO_METRIC, year, ov.LEVEL_COUNTY, regions)
    classes = classify(values.table["value"], scheme, k)
    assert classes is not None
    return values, classes


def open_map(page: Page, server: StreamlitServer) -> Frame:
    open_page(page, server, "output_map")
    frame = map_frame(page)
    wait_for_key(page, frame, FIRST_YEAR_KEY)
    return frame


def screenshot(page: Page, name: str) -> None:
    """The map (with its legend) in view, saved where the team looks for screenshots."""
    page.locator("iframe[title='streamlit_folium.st_folium']").first.scroll_into_view_if_needed()
    page.evaluate("window.scrollBy(0, -140)")  # the year slider and demo notice above it
    page.wait_for_timeout(400)
    save_screenshot(page, name, SCREENSHOTS, full_page=False)
    save_screenshot(page, name, full_page=False)


def test_year_and_classes_change_the_fills_and_legend_within_budget(
    shared_context: BrowserContext, app_server: StreamlitServer, app_db: Path, regions: Regions
) -> None:
    with recorded_page(shared_context, {"width": 1920, "height": 1080}) as (page, recorder):
        received = Received(page)
        frame = open_map(page, app_server)

        # The year one step back, by keyboard on the slider's thumb.
        thumb = page.get_by_role("slider", name="年份")
        year_key = f"output|{DEMO_METRIC}|county|2023|{QUANTILES}|5"
        year_bytes = received.measure(
            page, lambda: (thumb.focus(), thumb.press("ArrowLeft")), frame, year_key
        )
        # Natural breaks instead of quantiles.
        page.get_by_role("combobox", name="分级方法").click()
        option = page.get_by_role("option", name=re.compile("自然断点"))
        option.wait_for()
        jenks_key = f"output|{DEMO_METRIC}|county|2023|{FISHER_JENKS}|5"
        jenks_bytes = received.measure(page, option.click, frame, jenks_key)

        values, classes = expected_view(app_db, regions, 2023, FISHER_JENKS, 5)
        empty = next(
            code for code in values.table.index if pd.isna(values.table.loc[code, "value"])
        )
        state = frame.evaluate(_STATE_JS, [ZIGUI, empty])

        # The legend: one row per class with its bounds and count, then 无数据 with its count.
        assert len(state["rows"]) == classes.k + 1, state["rows"]
        bounds = zip(state["rows"], classes.bounds(), classes.counts, strict=False)
        for index, (row, (low, high), count) in enumerate(bounds):
            opening = "" if index == 0 else "＞"  # the first class includes its minimum
            assert f"{opening}{ov.value_label(low)} – {ov.value_label(high, '亿元')}" in row, row
            assert f"{count} 个" in row, row
        assert state["rows"][-1] == f"无数据 {values.without_value} 个县"
        assert state["nodata"] == str(values.without_value) and values.without_value > 0
        assert "示例数据" in state["legend"] and "自然断点" in state["legend"]
        assert "2023" in state["legend"] and state["legendOpen"]

        # Two known counties: 秭归县 in its class colour, a county without a figure grey.
        colors = palette(classes.k)
        assert state["fills"][ZIGUI]["fill"] == colors[classes.of_unit[ZIGUI]], state["fills"]
        assert state["fills"][empty] == {
            "fill": NO_DATA_STYLE["fillColor"],
            "dash": NO_DATA_STYLE["dashArray"],
        }

        # Each change sent values only: the budget is the explorer's, per change.
        assert 0 < year_bytes <= BUDGET_BYTES, year_bytes
        assert 0 < jenks_bytes <= BUDGET_BYTES, jenks_bytes
        print(f"bytes received: year change {year_bytes:,}, classification change {jenks_bytes:,}")

        screenshot(page, "output-map-1920x1080")
        assert_no_streamlit_errors(page)
        recorder.assert_offline()
        recorder.assert_no_page_errors()


@pytest.mark.parametrize("view", [ViewSpec("output_map", 1280, 720)], indirect=True)
def test_the_legend_stays_open_on_a_small_screen(view: View, regions: Regions) -> None:
    page = view.page
    frame = map_frame(page)
    wait_for_key(page, frame, FIRST_YEAR_KEY)
    state = frame.evaluate(_STATE_JS, [ZIGUI])
    assert state["legendOpen"] and state["rows"][-1].startswith("无数据")
    screenshot(page, "output-map-1280x720")
    assert_no_streamlit_errors(page)
    view.recorder.assert_offline()
    view.recorder.assert_no_page_errors()
