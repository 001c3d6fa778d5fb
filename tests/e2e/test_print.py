"""The browser's own print (issue 12): one clean landscape A4 per view.

Under print media the sidebar and Streamlit's chrome are gone, the map sits inside the
page box with its legend clear of every other overlay, and the PDF Chromium prints
starts with the title and the map on its first page.  The first page of each PDF is
rendered to ``var/screenshots/print-<page>.png`` for the closing note.
"""

from __future__ import annotations

import io
import shutil
import subprocess

import pandas as pd
import pytest
from playwright.sync_api import BrowserContext, Page
from pypdf import PdfReader

from landmarks.query import export
from tests.harness import (
    KNOWN_PAGES,
    MAP_IFRAME,
    ROOT,
    StreamlitServer,
    assert_no_streamlit_errors,
    map_frame,
    open_page,
    recorded_page,
)
from tests.harness.views import View, ViewSpec

pytestmark = pytest.mark.browser

SCREENSHOTS = ROOT / "var" / "screenshots"
# Landscape A4 less the 10 mm margins of the print stylesheet, in CSS px (96 per inch).
PAGE_BOX = (round(277 / 25.4 * 96), round(190 / 25.4 * 96))
PAGES = {spec.name: spec for spec in KNOWN_PAGES if spec.name in ("explorer", "overview")}
TITLE = "湖北地标品牌地图"

_CHROME_JS = """() => [
    '[data-testid="stSidebar"]', '[data-testid="stSidebarCollapsedControl"]',
    '[data-testid="stHeader"]', '[data-testid="stToolbar"]', '[data-testid="stDecoration"]',
    '[data-testid="stToast"]', 'footer', '[data-testid="stMain"] button',
].flatMap((selector) => [...document.querySelectorAll(selector)].filter((el) => {
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== 'hidden';
}).map((el) => selector + ' ' + (el.getAttribute('data-testid') || '') + ' '
    + el.innerText.slice(0, 20)))"""
# The legend's box and every other overlay on the map that is drawn and intersects it.
_LEGEND_JS = """() => {
    const legend = document.querySelector('.gi-legend');
    if (!legend) return null;
    const box = legend.getBoundingClientRect();
    const shown = (el) => {
        const r = el.getBoundingClientRect();
        return r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== 'hidden';
    };
    const overlaps = [...document.querySelectorAll(
            '.leaflet-control, .leaflet-popup, .leaflet-tooltip, .gi-tour')]
        .filter((el) => !legend.contains(el) && !el.contains(legend) && shown(el))
        .filter((el) => {
            const r = el.getBoundingClientRect();
            return r.left < box.right && box.left < r.right
                && r.top < box.bottom && box.top < r.bottom;
        })
        .map((el) => el.className);
    const map = document.querySelector('.leaflet-container').getBoundingClientRect();
    return {legend: [box.left, box.top, box.right, box.bottom],
            map: [map.left, map.top, map.right, map.bottom], overlaps};
}"""


def open_for_print(page: Page, server: StreamlitServer, url_path: str) -> None:
    open_page(page, server, url_path)
    map_frame(page)
    page.emulate_media(media="print")
    page.wait_for_timeout(800)  # the map follows its new size


@pytest.mark.parametrize("name", PAGES)
def test_print_media_shows_the_title_and_the_map_on_one_page_box(
    name: str, shared_context: BrowserContext, app_server: StreamlitServer
) -> None:
    width, height = PAGE_BOX
    with recorded_page(shared_context, {"width": width, "height": height}) as (page, recorder):
        open_for_print(page, app_server, PAGES[name].url_path)
        assert page.evaluate(_CHROME_JS) == [], "the sidebar, chrome or buttons print"
        title = page.locator("h1").first
        assert title.is_visible() and title.inner_text().startswith(TITLE)
        box = page.locator(MAP_IFRAME).first.bounding_box()
        assert box is not None
        assert box["x"] >= 0 and box["x"] + box["width"] <= width + 1, box
        assert box["y"] >= 0 and box["y"] + box["height"] <= height + 1, box
        assert box["height"] >= 0.55 * height and box["width"] >= 0.55 * width, box
        legend = map_frame(page).evaluate(_LEGEND_JS)
        assert legend is not None, "no legend on the printed map"
        assert legend["overlaps"] == [], legend
        left, top, right, bottom = legend["legend"]
        m_left, m_top, m_right, m_bottom = legend["map"]
        assert m_left <= left and right <= m_right and m_top <= top and bottom <= m_bottom
        assert_no_streamlit_errors(page)
        recorder.assert_no_page_errors()


@pytest.mark.parametrize(
    ("name", "view"),
    [(name, ViewSpec(spec.url_path, 1280, 720)) for name, spec in PAGES.items()],
    ids=list(PAGES),
    indirect=["view"],
)
def test_the_printed_pdf_starts_with_the_map_view(name: str, view: View) -> None:
    page = view.page
    map_frame(page)
    page.emulate_media(media="print")
    try:
        page.wait_for_timeout(800)  # the map follows its new size
        frame = map_frame(page)
        legend_text = frame.locator(".gi-legend").first.inner_text().split()
        pdf = page.pdf(format="A4", landscape=True, print_background=True)
    finally:
        page.emulate_media(media="null")  # the shared view is seen on screen again
    view.recorder.assert_no_page_errors()
    reader = PdfReader(io.BytesIO(pdf))
    first = reader.pages[0]
    assert float(first.mediabox.width) > float(first.mediabox.height), "not landscape"
    text = first.extract_text()
    assert TITLE in text.replace(" ", ""), text[:300]
    # The map (its legend) is on the first page, not pushed onto the second.
    words = [word for word in legend_text if len(word) >= 2][:3]
    assert words and all(word in text.replace(" ", "") for word in words), (words, text[:400])
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    pdf_path = SCREENSHOTS / f"print-{name}.pdf"
    pdf_path.write_bytes(pdf)
    if shutil.which("pdftoppm"):
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                "60",
                "-f",
                "1",
                "-l",
                "1",
                "-singlefile",
                str(pdf_path),
                str(SCREENSHOTS / f"print-{name}"),
            ],
            check=True,
        )


def test_the_printable_list_prints_every_row_under_a_header_on_every_page(
    shared_context: BrowserContext,
) -> None:
    # The data grid prints only its visible rows; the printable list is a page of its own.
    names = [f"测试产品{number:03d}" for number in range(150)]
    frame = pd.DataFrame({"产品名称": names, "市州": "宜昌市", "保护范围": "秭归县"})
    html = export.to_print_html(frame, "湖北地理标志产品清单", ["筛选条件：无（全部产品）"])
    with recorded_page(shared_context, {"width": 1280, "height": 720}) as (page, recorder):
        page.set_content(html.decode("utf-8"))
        pdf = page.pdf(prefer_css_page_size=True, print_background=True)
        recorder.assert_no_page_errors()
    pages = PdfReader(io.BytesIO(pdf)).pages
    assert len(pages) >= 3
    assert all(float(p.mediabox.width) > float(p.mediabox.height) for p in pages), "A4 landscape"
    texts = [p.extract_text().replace(" ", "") for p in pages]
    assert all("产品名称" in text and "保护范围" in text for text in texts), "header not repeated"
    printed = [name for text in texts for name in names if name in text]
    assert sorted(printed) == names  # every row once, none lost between pages
