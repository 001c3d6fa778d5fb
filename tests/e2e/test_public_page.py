"""The public page in Chromium: published into a tmp folder, served over loopback by a
small HTTP server, every request beyond loopback blocked.

It must draw the map (county polygons, product markers) with no Streamlit script and no
CDN, list the filtered products and open a product's card at a phone's 390x844 and at
1280x720, and list for each explorer link exactly the products the explorer's filters
give in Python (``filters.apply_filter``), describing the view as ``share.view_subtitle``
does.  Screenshots: test-output/e2e/public_page_<size>.png.
"""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from typing import Any

import pandas as pd
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Route

from landmarks.data.regions import Regions
from landmarks.maps import public_publish
from landmarks.query import filters, share
from landmarks.query.filter_fields import YearRange
from landmarks.query.filters import ProductFilter, apply_filter
from landmarks.query.selection import Selection
from landmarks.query.urlparams import share_url
from tests import synthetic
from tests.harness import (
    assert_map_renders,
    is_local_url,
    read_page_map_state,
    recorded_context,
    save_screenshot,
    screen_sizes,
)
from tests.synthetic import HOSTILE, SHIYAN, YICHANG, ZIGUI

pytestmark = pytest.mark.browser

Tables = dict[str, pd.DataFrame]
PAGE_PATH = "/app/static/p/index.html"  # as Streamlit serves it
SIZES = screen_sizes("390x844", "1280x720")
READY_JS = """() => document.body.getAttribute('data-gi-public') === 'problem'
    || (document.body.getAttribute('data-gi-public') === 'ready'
        && (document.querySelector('.leaflet-container').getAttribute('data-gi-products')
            || '') !== '')"""


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        return


@pytest.fixture(scope="module")
def page_tables(regions: Regions) -> Tables:
    return synthetic.frames(regions)


@pytest.fixture(scope="module")
def site(
    tmp_path_factory: pytest.TempPathFactory, page_tables: Tables, regions: Regions
) -> Iterator[str]:
    """The page published from the synthetic data, served on 127.0.0.1 (its root URL)."""
    root = tmp_path_factory.mktemp("public_site")
    public_publish.publish_tables(
        page_tables, regions, 5, "2026-11-30T00:00:00+00:00", folder=root / "app/static/p"
    )
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def _loopback_only(blocked: list[str]) -> Any:
    def route(route: Route) -> None:
        if is_local_url(route.request.url):
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    return route


def open_public(page: Page, url: str) -> None:
    page.goto(url)
    page.wait_for_function(READY_JS)
    assert page.get_attribute("body", "data-gi-public") == "ready"


def listed(page: Page) -> list[str]:
    return [
        str(item.get_attribute("data-product"))
        for item in page.locator("#gi-public-list [data-product]").all()
    ]


@pytest.mark.parametrize("size", list(SIZES))
def test_the_public_page_draws_lists_and_opens_a_card_with_the_network_blocked(
    browser: Browser, site: str, page_tables: Tables, regions: Regions, size: str
) -> None:
    width, height = SIZES[size]
    blocked: list[str] = []
    with recorded_context(browser, {"width": width, "height": height}) as (context, recorder):
        context.route("**/*", _loopback_only(blocked))
        page = context.new_page()
        open_public(page, site + PAGE_PATH)
        state = read_page_map_state(page, list(regions.counties["name"]))
        products = page_tables["products"]
        assert_map_renders(state, counties=len(regions.counties), products=len(products))
        # The list: every product, data text shown as text (a name made of markup).
        assert listed(page) == list(products["name"])
        hostile = page.locator("#gi-public-list [data-product]").filter(has_text=HOSTILE)
        assert hostile.count() == 1 and page.locator("#gi-public-list img").count() == 0
        assert page.locator("#gi-public-card").is_hidden()
        # Phone: the map on top and the list's first items below it, on the first screen;
        # wide: the list beside the map.
        map_box = page.locator("#map_div").bounding_box()
        first = page.locator("#gi-public-list [data-product]").first.bounding_box()
        assert map_box is not None and first is not None
        if width < 900:
            assert map_box["height"] < height / 2 + 40 and first["y"] >= map_box["y"] + 200
            assert first["y"] + first["height"] <= height, (map_box, first)
        else:
            assert first["x"] >= map_box["x"] + map_box["width"] - 1 and first["y"] < height
        save_screenshot(page, f"public_page_{size}_start", full_page=False)
        # A product chosen from the list: its card, and its marker's popup on the map.
        page.locator('#gi-public-list [data-product="秭归脐橙"] button').click()
        card = page.locator("#gi-public-card")
        card.wait_for(state="visible")
        assert card.get_attribute("data-product") == "秭归脐橙"
        text = card.inner_text()
        assert "产品名片：秭归脐橙" in text and "宜昌市" in text and "来源1 · " in text
        assert "(S2)" not in text  # the maintainers' note stays out
        assert card.bounding_box() is not None
        assert "product=%E7%A7%AD" in page.url  # the link now opens this card
        page.wait_for_function(
            "() => document.querySelector('.leaflet-container').getAttribute('data-gi-open')"
            " === '秭归脐橙'"
        )
        page.wait_for_function(  # the popup has faded in (for the screenshot)
            "() => { const p = document.querySelector('.leaflet-popup');"
            " return p && getComputedStyle(p).opacity === '1'; }"
        )
        app = page.get_attribute("#gi-public-app", "href")
        assert app is not None and app.startswith("/explorer?") and "product=" in app
        assert page.locator("#gi-public-app").inner_text() == "打开完整应用（工作人员）"
        assert page.inner_text("#gi-public-date").startswith("数据更新时间：")
        save_screenshot(page, f"public_page_{size}", full_page=False)
        recorder.assert_no_page_errors()
        requested = list(recorder.urls)
    assert blocked == [], f"the public page reached beyond loopback: {blocked}"
    assert all(is_local_url(url) for url in requested), requested
    streamlit = [url for url in requested if "/static/js/" in url or "_stcore" in url]
    assert streamlit == [], f"the public page loaded Streamlit: {streamlit}"
    assert any(url.endswith(".js") for url in requested)  # its own bundle, from the folder


# Explorer links (filter and selection), as share.explorer_params writes them.
LINKS: list[tuple[dict[str, Any], Selection]] = [
    ({}, Selection()),
    ({"chains": ("柑橘",)}, Selection()),
    ({"chains": ("茶叶", "柑橘"), "prefectures": (YICHANG,)}, Selection()),
    ({"query": "zigui"}, Selection()),
    ({"query": "ZGQC"}, Selection()),
    ({"gi_types": ("农产品地理标志",), "categories": ("水果",)}, Selection()),
    ({"prefectures": (YICHANG, SHIYAN), "counties": (ZIGUI,)}, Selection()),
    ({"years": YearRange(2005, 2015)}, Selection()),
    ({"years": YearRange(2005, 2015, undated=True), "confidences": ("high",)}, Selection()),
    ({"zone_only": True}, Selection()),
    ({"years": YearRange(1990, 2030)}, Selection()),  # all the data's years: no filter
    ({"years": YearRange(1950, 1960)}, Selection()),  # none of them: dropped
    ({"years": YearRange(1990, 2012, undated=True)}, Selection()),  # clipped
    ({"chains": ("柑橘",)}, Selection(product="秭归脐橙", county=ZIGUI)),
    ({}, Selection(county=ZIGUI)),
]


@pytest.fixture(scope="module")
def wide_context(browser: Browser) -> Iterator[tuple[BrowserContext, list[str]]]:
    blocked: list[str] = []
    with recorded_context(browser, {"width": 1280, "height": 720}) as (context, _):
        context.route("**/*", _loopback_only(blocked))
        yield context, blocked


@pytest.mark.parametrize("criteria,chosen", LINKS, ids=lambda v: str(v))
def test_an_explorer_link_lists_what_the_explorer_shows(
    wide_context: tuple[BrowserContext, list[str]],
    site: str,
    page_tables: Tables,
    regions: Regions,
    criteria: dict[str, Any],
    chosen: Selection,
) -> None:
    context, blocked = wide_context
    linked = ProductFilter(**criteria)
    url = share_url(site + PAGE_PATH, share.explorer_params(linked, chosen))
    # What the explorer makes of the link: the years fitted to the data's.
    product_filter, _ = filters.fit_years(linked, filters.year_bounds(page_tables["products"]))
    expected = apply_filter(page_tables["products"], page_tables["zones"], product_filter)
    page = context.new_page()
    try:
        open_public(page, url)
        assert listed(page) == list(expected["name"])
        county = (
            ""
            if chosen.product or not chosen.county
            else regions.county_by_adcode(chosen.county).name
        )
        subtitle = share.view_subtitle(product_filter, regions, chosen.product, county)
        assert page.inner_text("#gi-public-view") == subtitle
        if chosen.product:
            assert page.get_attribute("#gi-public-card", "data-product") == chosen.product
    finally:
        page.close()
    assert blocked == []
