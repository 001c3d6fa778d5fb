"""Every page of the running app in Debian Chromium: map, offline proof, clicks, no errors.

The app is served by ``streamlit run`` on 127.0.0.1 with a fresh database.  Each page is
opened in a fresh browser context whose every request (iframes included) is recorded;
a request to any host but 127.0.0.1/localhost fails the test.  Screenshots land in
``test-output/e2e/``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from playwright.sync_api import BrowserContext

from landmarks.data import store
from landmarks.data.regions import Regions
from tests.harness import (
    ROOT,
    PageSpec,
    StreamlitServer,
    assert_map_renders,
    assert_no_external_references,
    assert_no_streamlit_errors,
    click,
    discover_pages,
    expect_info,
    focus_county,
    free_point,
    has_map,
    interior_points,
    map_frame,
    open_page,
    product_point,
    read_map_state,
    recorded_page,
    save_screenshot,
)
from tests.harness.views import View, ViewSpec

pytestmark = pytest.mark.browser

PAGES = discover_pages()
CLICK_COUNTY = ("420527", "秭归县", "宜昌市")
CLICK_PRODUCT = ("秭归脐橙", "柑橘")


def _table(db_path: Path, table: str) -> pd.DataFrame:
    with store.opened(db_path) as db:
        return db.read_table(table)


def _page(name: str) -> PageSpec:
    found = [page for page in PAGES if page.name == name]
    if not found:
        pytest.skip(f"page {name} does not exist yet")
    return found[0]


def test_pages_are_discovered() -> None:
    names = [page.name for page in PAGES]
    assert names[0] == "overview"
    assert ("explorer" in names) == (ROOT / "pages" / "explorer.py").is_file()


@pytest.mark.parametrize(
    ("spec", "view"),
    [(page, ViewSpec(page.url_path, 1280, 720)) for page in PAGES],
    ids=[page.name for page in PAGES],
    indirect=["view"],
)
def test_page_renders_offline(
    spec: PageSpec, view: View, app_server: StreamlitServer, app_db: Path, regions: Regions
) -> None:
    page, recorder = view.page, view.recorder
    assert page.url.rstrip("/") == app_server.url(spec.url_path).rstrip("/")
    assert_no_streamlit_errors(page)

    if spec.has_map or (spec.has_map is None and has_map(page)):
        frame = map_frame(page)
        state = read_map_state(page, frame, [c.name for c in regions.county_list])
        products, sites = _table(app_db, "products"), _table(app_db, "sites")
        if spec.name == "overview":  # the overview shows everything, unfiltered
            assert_map_renders(
                state, counties=len(regions.county_list), products=len(products),
                sites=len(sites),
            )  # fmt: skip
        elif spec.has_map:  # a known map page: every county is on its base map
            assert_map_renders(state, counties=len(regions.county_list), markers=spec.markers)
        else:
            assert_map_renders(state)
        # The recorder sees inside the map's iframe: Leaflet (in the map's script
        # bundle) is requested from there.
        assert any("/app/static/gi/gi_bundle." in url
                   for url in recorder.urls), recorder.urls  # fmt: skip

    save_screenshot(page, spec.name)
    assert_no_streamlit_errors(page)
    assert_no_external_references(page)
    recorder.assert_offline()
    recorder.assert_no_page_errors()
    assert any(url.startswith("ws://127.0.0.1") for url in recorder.urls)


def test_overview_county_click_shows_the_county(
    shared_context: BrowserContext, app_server: StreamlitServer, regions: Regions
) -> None:
    adcode, name, prefecture = CLICK_COUNTY
    with recorded_page(shared_context) as (page, recorder):
        open_page(page, app_server, "")
        frame = map_frame(page)
        focus_county(frame, name)
        point = free_point(page, frame, interior_points(regions.geometry(adcode)))
        click(page, point)
        shown = expect_info(page, frame, name, where="tooltip")
        save_screenshot(page, "overview-county-click")
        assert name in shown
        # 秭归县 is a demonstration-zone county: its tooltip names the zone too.
        assert prefecture in shown or "示范区" in shown
        assert_no_streamlit_errors(page)
        recorder.assert_offline()


def test_overview_product_click_opens_its_popup(
    shared_context: BrowserContext, app_server: StreamlitServer, app_db: Path
) -> None:
    name, chain = CLICK_PRODUCT
    with recorded_page(shared_context) as (page, recorder):
        open_page(page, app_server, "")
        frame = map_frame(page)
        click(page, product_point(page, frame, name))
        shown = expect_info(page, frame, name, where="popup")
        save_screenshot(page, "overview-product-click")
        product = _table(app_db, "products").set_index("name").loc[name]
        assert chain in shown and product["county"] in shown
        assert_no_streamlit_errors(page)
        recorder.assert_offline()


# ----------------------------------------------------------------------------------------
# Pages whose clicks open cards (品牌地图 / explorer): a county click shows 县域名片：<县>,
# a product click shows 产品名片：<产品> on the page.  Parametrised over every page that
# declares card headings in tests/harness/pages.py:KNOWN_PAGES, skipped until it exists.
# ----------------------------------------------------------------------------------------

CARD_PAGES = [page for page in PAGES if page.county_card]


@pytest.mark.parametrize("spec", CARD_PAGES, ids=[page.name for page in CARD_PAGES])
def test_card_page_county_click_shows_county_card(
    spec: PageSpec, shared_context: BrowserContext, app_server: StreamlitServer, regions: Regions
) -> None:
    adcode, name, _ = CLICK_COUNTY
    with recorded_page(shared_context) as (page, recorder):
        open_page(page, app_server, spec.url_path)
        frame = map_frame(page)
        focus_county(frame, name)
        click(page, free_point(page, frame, interior_points(regions.geometry(adcode))))
        card = expect_info(page, frame, f"{spec.county_card}{name}", where="card",
                           card_prefix=spec.county_card)  # fmt: skip
        save_screenshot(page, f"{spec.name}-county-click")
        assert card.startswith(spec.county_card)
        assert_no_streamlit_errors(page)
        recorder.assert_offline()


@pytest.mark.parametrize("spec", CARD_PAGES, ids=[page.name for page in CARD_PAGES])
def test_card_page_product_click_shows_product_card(
    spec: PageSpec, shared_context: BrowserContext, app_server: StreamlitServer
) -> None:
    name, _ = CLICK_PRODUCT
    with recorded_page(shared_context) as (page, recorder):
        open_page(page, app_server, spec.url_path)
        frame = map_frame(page)
        click(page, product_point(page, frame, name))
        card = expect_info(page, frame, f"{spec.product_card}{name}", where="card",
                           card_prefix=spec.product_card)  # fmt: skip
        save_screenshot(page, f"{spec.name}-product-click")
        assert card.startswith(spec.product_card)
        assert_no_streamlit_errors(page)
        recorder.assert_offline()


def test_server_log_has_no_traceback(app_server: StreamlitServer) -> None:
    """Runs after the pages above: nothing they did raised on the server."""
    log = app_server.log_text()
    assert "Traceback" not in log, log[-4000:]
