"""What a booth screen and a phone show, measured in Chromium (issue 20): the 2026 target
chart of 产值地图 readable at 1920, 1280 and 390 wide, the overview's figures with
their captions whole, and on a phone the card a tap opens brought into view, part of
the page rather than a box scrolling inside it (beside the map on a wide screen
nothing moves).

Screenshots land in ``var/screenshots/``.
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page

from landmarks.data.regions import Regions
from tests.e2e.test_zones_sites import CARD_SITE, site_icon
from tests.harness import (
    ROOT,
    SCREEN_SIZES,
    StreamlitServer,
    assert_no_streamlit_errors,
    click,
    expect_info,
    focus_county,
    free_point,
    interior_points,
    map_frame,
    open_page,
    recorded_page,
)
from tests.harness.views import View, ViewSpec

pytestmark = pytest.mark.browser

SCREENSHOTS = ROOT / "var" / "screenshots"
SIZES = SCREEN_SIZES

# The chart's texts (its own and the axis's) and its bars, in page pixels.
_CHART_JS = """(selector) => {
    const svg = document.querySelector(selector + ' svg.marks');
    if (!svg) return null;
    const box = (el) => {
        const r = el.getBoundingClientRect();
        return {left: r.left, right: r.right, top: r.top, bottom: r.bottom,
                width: r.width, height: r.height};
    };
    return {
        svg: box(svg),
        texts: [...svg.querySelectorAll('text')].filter((el) => el.textContent.trim())
            .map((el) => ({text: el.textContent, ...box(el)})),
        bars: [...svg.querySelectorAll('.mark-rect.role-mark path')].map(box),
    };
}"""
# Texts of the element that are cut: wider or taller than their box shows.
_CUT_JS = """(selector) => [...document.querySelectorAll(selector)].flatMap((root) =>
    [root, ...root.querySelectorAll('*')]).filter((el) => {
        const style = getComputedStyle(el);
        return el.textContent.trim() && style.overflow !== 'visible'
            && (el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1);
    }).map((el) => el.textContent.trim().slice(0, 40) + ` (${el.scrollWidth}>${el.clientWidth})`)"""


def _overlap(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return (
        min(a["right"], b["right"]) - max(a["left"], b["left"]) > 1
        and min(a["bottom"], b["bottom"]) - max(a["top"], b["top"]) > 1
    )


@pytest.mark.parametrize(
    ("size", "view"),
    [(size, ViewSpec("output_map", *dims)) for size, dims in SIZES.items()],
    ids=list(SIZES),
    indirect=["view"],
)
def test_the_target_chart_is_readable(size: str, view: View) -> None:
    page = view.page
    chart = page.locator(".st-key-output_target")
    chart.scroll_into_view_if_needed()
    page.wait_for_function(
        "() => document.querySelectorAll("
        "'.st-key-output_target svg.marks .mark-rect.role-mark path').length > 0"
    )
    drawn = page.evaluate(_CHART_JS, ".st-key-output_target")
    texts, bars, svg = drawn["texts"], drawn["bars"], drawn["svg"]
    names = [text["text"] for text in texts]
    assert any("1100" in name and "目标" in name for name in names), names
    assert not [name for name in names if "…" in name], names  # nothing shortened
    assert bars and min(bar["height"] for bar in bars) >= 16, bars  # bars, not hairlines
    clashes = [
        (a["text"], b["text"])
        for number, a in enumerate(texts)
        for b in texts[number + 1 :]
        if _overlap(a, b)
    ]
    assert not clashes, clashes
    covered = [(text["text"], bar) for text in texts for bar in bars if _overlap(text, bar)]
    assert not covered, covered
    outside = [
        text["text"]
        for text in texts
        if text["left"] < svg["left"] - 1
        or text["right"] > svg["right"] + 1
        or text["top"] < svg["top"] - 1
        or text["bottom"] > svg["bottom"] + 1
    ]
    assert not outside, outside  # none cut at the chart's edge
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    chart.screenshot(path=str(SCREENSHOTS / f"target-chart-{size}.png"))
    assert_no_streamlit_errors(page)


@pytest.mark.parametrize(
    ("size", "view"),
    [(size, ViewSpec("", *dims)) for size, dims in SIZES.items()],
    ids=list(SIZES),
    indirect=["view"],
)
def test_the_overview_figures_show_their_captions_whole(size: str, view: View) -> None:
    page = view.page
    page.wait_for_selector("[data-testid='stMetric']")
    metrics = page.locator("[data-testid='stMetric']")
    assert metrics.count() == 4
    cut = page.evaluate(_CUT_JS, "[data-testid='stMetric']")
    assert not cut, cut
    page.screenshot(path=str(SCREENSHOTS / f"overview-figures-{size}.png"))
    assert_no_streamlit_errors(page)


# Where the cards' container is on the screen, and whether it (or the wrapper Streamlit
# gives its height) is a box shorter than its content: one that scrolls inside itself.
_CARDS_JS = """(key) => {
    const box = document.querySelector('.st-key-' + key);
    if (!box) return null;
    const r = box.getBoundingClientRect();
    const main = document.querySelector('[data-testid="stMain"]');
    const header = document.querySelector('[data-testid="stHeader"]');
    return {top: r.top, bottom: r.bottom, height: innerHeight, scrolled: main.scrollTop,
            header: header ? header.getBoundingClientRect().bottom : 0,
            inner: [box, box.parentElement]
                .filter((el) => el.scrollHeight > el.clientHeight + 1).length};
}"""


def _card_in_view(page: Page, key: str) -> dict[str, Any]:
    """Wait until the cards' container has come into view: its top in the upper half of
    the screen, below Streamlit's fixed header (which would hide the card's heading)."""
    page.wait_for_function(
        f"""() => {{ const s = ({_CARDS_JS})({key!r});
            return s && s.top >= s.header - 1 && s.top < s.height / 2; }}"""
    )
    layout: dict[str, Any] = page.evaluate(_CARDS_JS, key)
    return layout


@pytest.mark.parametrize("size", ["390x844", "1280x720"])
def test_a_tap_on_a_county_brings_its_card_into_view(
    size: str, shared_context: BrowserContext, app_server: StreamlitServer, regions: Regions
) -> None:
    width, height = SIZES[size]
    name = "秭归县"
    with recorded_page(shared_context, {"width": width, "height": height}) as (page, recorder):
        open_page(page, app_server, "explorer")
        frame = map_frame(page)
        focus_county(frame, name)
        county = regions.county(name)
        click(page, free_point(page, frame, interior_points(regions.geometry(county.adcode))))
        expect_info(page, frame, f"县域名片：{name}", where="card", card_prefix="县域名片：")
        layout = _card_in_view(page, "explorer_cards")
        if size == "390x844":
            assert layout["scrolled"] > 0, layout  # the page moved to the card
            assert layout["inner"] == 0, layout  # and the card is no scroll box of its own
            page.screenshot(path=str(SCREENSHOTS / "phone-county-card-after-tap-390x844.png"))
        else:
            assert layout["scrolled"] == 0, layout  # beside the map: nothing moved
        assert_no_streamlit_errors(page)
        recorder.assert_offline()


def test_a_tap_on_a_site_brings_its_card_into_view_on_a_phone(
    shared_context: BrowserContext, app_server: StreamlitServer
) -> None:
    with recorded_page(shared_context, {"width": 390, "height": 844}) as (page, recorder):
        open_page(page, app_server, "zones_sites")
        frame = map_frame(page)
        click(page, site_icon(page, frame, CARD_SITE))
        expect_info(page, frame, f"站点名片：{CARD_SITE}", where="card", card_prefix="站点名片")
        layout = _card_in_view(page, "zs_cards")
        assert layout["scrolled"] > 0 and layout["inner"] == 0, layout
        page.screenshot(path=str(SCREENSHOTS / "phone-site-card-after-tap-390x844.png"))
        assert_no_streamlit_errors(page)
        recorder.assert_offline()
