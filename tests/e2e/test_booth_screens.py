"""What a booth screen and a phone show, measured in Chromium (issue 20): the 2026 target
chart of 产值地图 readable at 1920, 1280 and 390 wide, the overview's figures with
their captions whole.

Screenshots land in ``var/screenshots/``.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.harness import ROOT, assert_no_streamlit_errors
from tests.harness.views import View, ViewSpec

pytestmark = pytest.mark.browser

SCREENSHOTS = ROOT / "var" / "screenshots"
SIZES = {"1920x1080": (1920, 1080), "1280x720": (1280, 720), "390x844": (390, 844)}

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
