"""Place labels stay inside the map: in English a name carries its English name
(恩施土家族苗族自治州 (Enshi Tujia and Miao Autonomous Prefecture)), and a label centred on
its area's label point near the map's edge was cut off there.  Screenshots land in
``test-output/e2e/``."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import BrowserContext

from tests.harness import (
    StreamlitServer,
    focus_county,
    map_frame,
    open_page,
    recorded_page,
    save_screenshot,
    settled_labels,
)

pytestmark = pytest.mark.browser

# Every label shown: its text's box, in the map container's coordinates.
_LABELS_JS = """() => {
    const map = document.querySelector('.leaflet-container').getBoundingClientRect();
    return [...document.querySelectorAll('.gi-label span')].map((el) => {
        const r = el.getBoundingClientRect();
        return {text: el.innerText.trim(), left: r.left - map.left, right: r.right - map.left,
                top: r.top - map.top, bottom: r.bottom - map.top,
                width: map.width, height: map.height};
    });
}"""


def outside(labels: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        label
        for label in labels
        if label["left"] < 0
        or label["top"] < 0
        or label["right"] > label["width"]
        or label["bottom"] > label["height"]
    ]


@pytest.mark.parametrize("county", [None, "利川市"])
def test_english_labels_stay_inside_the_map_at_1280(
    county: str | None, shared_context: BrowserContext, app_server: StreamlitServer
) -> None:
    with recorded_page(shared_context, {"width": 1280, "height": 720}) as (page, recorder):
        open_page(page, app_server, "explorer?lang=en")
        frame = map_frame(page)
        if county:  # county labels, the map's west edge beside it
            focus_county(frame, county)
        labels = settled_labels(page, frame, _LABELS_JS)
        save_screenshot(page, f"labels-en-1280x720-{county or 'province'}", full_page=False)
        assert outside(labels) == [], outside(labels)
        if not county:  # the long name is shown, moved in from the edge, not dropped
            assert any("Enshi Tujia and Miao" in label["text"] for label in labels), labels
        recorder.assert_no_page_errors()
