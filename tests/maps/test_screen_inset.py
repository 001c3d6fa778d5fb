"""The app's map and the public page of the whole country call GiMap.inset (the 南海诸岛
inset, web/gi_inset.js) with the 海域 lines and the land inside the inset's frame; a
province's do not."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from landmarks.data.region import (
    APPROVAL_ENV,
    BOUNDARIES_ENV,
    NATIONAL_CODE,
    REGION_ENV,
    SOUTH_CHINA_SEA,
    region_for,
)
from landmarks.data.regions import Regions
from landmarks.maps import public_page, screen_inset
from landmarks.maps.builders import BaseFiles, base_map

BOUNDS = ((3.8, 73.5), (53.6, 135.1))
FILES = BaseFiles(counties="/app/static/gi/c.1.geojson", prefectures="/app/static/gi/p.2.geojson")


@pytest.fixture(scope="module")
def country_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    build = pytest.importorskip("geodata.build_boundaries")
    folder = tmp_path_factory.mktemp("china")
    build.write_geojson(build.south_china_sea(), folder / f"{SOUTH_CHINA_SEA}.geojson")
    land = gpd.GeoDataFrame(  # a stand-in outline reaching into the inset's frame
        {"adcode": ["100000"], "name": ["中华人民共和国"]},
        geometry=[shapely.box(100.0, 18.0, 123.0, 40.0)],
        crs="EPSG:4326",
    )
    build.write_geojson(land, folder / "province.geojson")
    return folder


def inset_call(html: str) -> dict | None:
    match = re.search(r"GiMap\.inset\([^,]+, (\{.*?\})\);\n", html, re.S)
    return json.loads(match.group(1).replace("<\\/", "</")) if match else None


def html_of_map() -> str:
    fmap = base_map(FILES, BOUNDS, zones={}, legend="", report_clicks=False)
    return fmap.get_root().render()


def test_the_map_of_the_country_calls_the_inset(
    country_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(REGION_ENV, "china")
    monkeypatch.setenv(BOUNDARIES_ENV, str(country_dir))
    monkeypatch.delenv(APPROVAL_ENV, raising=False)
    html = html_of_map()
    options = inset_call(html)
    assert options is not None
    assert options["title"] == "南海诸岛"
    assert options["bounds"] == [list(corner) for corner in screen_inset.INSET_BOUNDS]
    sea = shapely.from_geojson(json.dumps(options["sea"]))
    assert sea.geom_type == "MultiLineString" and len(sea.geoms) == 10
    (south, west), (north, east) = screen_inset.INSET_BOUNDS
    assert shapely.box(west, south, east, north).contains(sea)
    land = shapely.from_geojson(json.dumps(options["land"]))
    assert land.area > 0 and land.bounds[1] >= south - 1 and land.bounds[3] <= north + 1
    assert options["approval"] == screen_inset.SCREEN_APPROVAL_MISSING
    assert len(json.dumps(options, ensure_ascii=False)) < 20_000  # inline, small


def test_a_configured_approval_number_goes_to_the_attribution(
    country_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(REGION_ENV, "china")
    monkeypatch.setenv(BOUNDARIES_ENV, str(country_dir))
    monkeypatch.setenv(APPROVAL_ENV, "审图号：GS(2024)0650号")
    options = inset_call(html_of_map())
    assert options is not None and options["approval"] == "审图号：GS(2024)0650号"


def test_a_province_map_has_no_inset(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(REGION_ENV, raising=False)
    monkeypatch.delenv(BOUNDARIES_ENV, raising=False)
    assert screen_inset.inset_options() is None
    assert "GiMap.inset" not in html_of_map()


def _public_config(page: public_page.PublicPage) -> dict[str, Any]:
    html = page.index.decode("utf-8")
    match = re.search(r'<script type="application/json" id="gi-public-config">(.*?)</script>', html)
    assert match, html
    config: dict[str, Any] = json.loads(match.group(1))
    return config


def test_the_public_page_of_the_country_draws_the_inset(
    tables: dict[str, pd.DataFrame],
    regions: Regions,
    country_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(REGION_ENV, "china")
    monkeypatch.setenv(BOUNDARIES_ENV, str(country_dir))
    country = Regions(regions.counties, regions.prefectures, region_for(NATIONAL_CODE, country_dir))
    page = public_page.build(tables, country, 7, "2026-01-01T00:00:00+00:00")
    inset = _public_config(page)["inset"]
    assert inset["title"] == "南海诸岛" and inset["sea"]["type"] == "MultiLineString"
    script = next(content for name, content in page.files.items() if name.endswith(".js"))
    assert b"GiMap.inset = function" in script and b"GiMap.inset(map, config.inset)" in script


def test_the_public_page_of_a_province_has_no_inset(
    tables: dict[str, pd.DataFrame], regions: Regions, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(REGION_ENV, raising=False)
    monkeypatch.delenv(BOUNDARIES_ENV, raising=False)
    page = public_page.build(tables, regions, 7, "2026-01-01T00:00:00+00:00")
    assert _public_config(page)["inset"] is None
