"""Per-zoom geometry of national maps (the provinces' layer) and the derived layers kept on
disk by content, read back on restart instead of derived again."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from shapely.geometry import shape

from landmarks.data.regions import Regions
from landmarks.maps import geometry, offline, public_page
from landmarks.maps.geometry import (
    base_geometry,
    cached_base_geometry,
    content_key,
    is_national,
    provinces_frame,
)

SHIFT = 6.0  # degrees east: a second "province" beside Hubei


def _with_prefix(frame: gpd.GeoDataFrame, prefix: str) -> gpd.GeoDataFrame:
    moved = frame.copy()
    moved["adcode"] = prefix + moved["adcode"].str[2:]
    if "prefecture_adcode" in moved:
        moved["prefecture_adcode"] = prefix + moved["prefecture_adcode"].str[2:]
    moved["geometry"] = moved.geometry.translate(xoff=SHIFT)
    return moved


@pytest.fixture(scope="module")
def national(regions: Regions) -> Regions:
    """Hubei's counties and a copy of them shifted east under Hunan's code (43…): two
    provinces, as a national map has many."""
    counties = pd.concat([regions.counties, _with_prefix(regions.counties, "43")])
    prefectures = pd.concat([regions.prefectures, _with_prefix(regions.prefectures, "43")])
    return Regions(
        gpd.GeoDataFrame(counties, geometry="geometry", crs=regions.counties.crs),
        gpd.GeoDataFrame(prefectures, geometry="geometry", crs=regions.prefectures.crs),
    )


def test_a_province_map_has_no_provinces_layer(regions: Regions) -> None:
    assert not is_national(regions)
    assert base_geometry(regions).provinces is None


def test_a_national_map_has_one_simplified_outline_per_province(national: Regions) -> None:
    assert is_national(national)
    frame = provinces_frame(national)
    assert sorted(frame["adcode"]) == ["420000", "430000"]
    assert dict(zip(frame["adcode"], frame["name"], strict=True))["420000"] == "湖北省"
    hubei = frame.set_index("adcode").geometry["420000"]
    own = national.counties.geometry.to_numpy()[: len(national.counties) // 2]
    outline = shapely.union_all(own)
    # The outline covers the province (simplified: within a pixel at country zoom) …
    assert hubei.symmetric_difference(outline).area < 0.01 * outline.area
    # … with far fewer points than its counties.
    counties_points = shapely.get_num_coordinates(own).sum()
    assert shapely.get_num_coordinates(hubei) < counties_points / 5

    layers = base_geometry(national)
    assert layers.provinces is not None
    features = json.loads(layers.provinces)["features"]
    assert len(features) == 2
    for feature in features:  # a label point inside, as the other layers have
        point = shapely.Point(
            feature["properties"]["label_lon"], feature["properties"]["label_lat"]
        )
        assert shape(feature["geometry"]).contains(point)


def test_derived_layers_are_read_back_instead_of_derived_again(
    national: Regions, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = cached_base_geometry(national, tmp_path)
    assert first.provinces is not None
    calls = []

    def derive(regions: Regions) -> geometry.BaseLayers:
        calls.append(regions)
        return base_geometry(regions)

    monkeypatch.setattr(geometry, "base_geometry", derive)
    again = cached_base_geometry(national, tmp_path)  # a restart: same content
    assert calls == []
    assert again == first


def test_changed_boundaries_are_derived_again(
    regions: Regions, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cached_base_geometry(regions, tmp_path)
    changed = regions.counties.copy()
    changed.loc[0, "geometry"] = changed.geometry.iloc[0].buffer(0.01)
    other = Regions(changed, regions.prefectures)
    assert content_key(other, "zh") != content_key(regions, "zh")
    assert content_key(regions, "en") != content_key(regions, "zh")
    layers = cached_base_geometry(other, tmp_path)
    first = json.loads(layers.counties)["features"][0]
    assert shape(first["geometry"]).equals_exact(changed.geometry.iloc[0], 1e-4)
    assert len(list(tmp_path.iterdir())) == 2


def test_an_interrupted_write_is_derived_again(regions: Regions, tmp_path: Path) -> None:
    layers = cached_base_geometry(regions, tmp_path)
    folder = tmp_path / content_key(regions, "zh")
    (folder / "complete").unlink()  # the write stopped before its last file
    (folder / geometry.COUNTIES_NAME).write_bytes(b"{half")
    assert cached_base_geometry(regions, tmp_path) == layers


def test_an_unwritable_cache_only_costs_the_derivation(regions: Regions, tmp_path: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    assert cached_base_geometry(regions, blocked) == base_geometry(regions)


def _base_call(html: str) -> dict[str, Any]:
    match = re.search(r"GiMap\.base\(map, (\{.*?\})\);\n", html, re.S)
    assert match, "no GiMap.base call"
    options: dict[str, Any] = json.loads(match.group(1).replace("<\\/", "</"))
    return options


@pytest.mark.parametrize("country", [True, False], ids=["national", "province"])
def test_the_offline_file_draws_a_national_map_by_level_of_detail(
    national: Regions, regions: Regions, tables: dict[str, pd.DataFrame], country: bool
) -> None:
    """The booth's file carries the provinces' layer a national map is drawn from at
    country zoom (no server to fetch it from); a province's file has none."""
    shown = national if country else regions
    text = offline.OfflineText("地标品牌地图", "全部产品")
    html = offline.offline_html(shown, tables["products"], tables["sites"], text).decode()
    base = _base_call(html)
    if not country:
        assert "provinces" not in base and offline.PROVINCES_FILE not in html
        return
    assert base["provinces"] == offline.PROVINCES_FILE
    block = re.search(
        rf'data-gi-file="{re.escape(offline.PROVINCES_FILE)}"[^>]*>(.*?)</script>', html, re.S
    )
    assert block, "the provinces' layer is not in the file"
    names = {f["properties"]["name"] for f in json.loads(block.group(1))["features"]}
    assert names == {"湖北省", "湖南省"}


def test_the_public_page_of_a_national_map_publishes_the_provinces(
    national: Regions, regions: Regions, tables: dict[str, pd.DataFrame]
) -> None:
    page = public_page.build(tables, national, 1)
    config = re.search(r'id="gi-public-config">(.*?)</script>', page.index.decode("utf-8"), re.S)
    assert config
    provinces = json.loads(config.group(1).replace("<\\/", "</"))["base"]["provinces"]
    assert provinces in page.files and provinces.startswith("provinces.")
    assert len(json.loads(page.files[provinces])["features"]) == 2
    province = public_page.build(tables, regions, 1)
    assert not any(name.startswith("provinces.") for name in province.files)
