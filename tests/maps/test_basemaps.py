"""Basemap choice: the link parameter, the options offered and what the map script gets."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from landmarks.maps import basemaps, builders
from landmarks.maps.builders import STYLES, BaseFiles

KEY = "abc123"


def test_the_default_is_no_basemap_and_stays_out_of_the_link() -> None:
    assert basemaps.basemap_from_query({}, KEY) == (basemaps.NONE, [])
    assert basemaps.basemap_to_query(basemaps.NONE) == {}
    assert basemaps.basemap_options(basemaps.NONE, KEY) is None
    assert basemaps.tile_layers(basemaps.NONE, KEY) == []


@pytest.mark.parametrize("name", [basemaps.OSM, basemaps.TIANDITU, basemaps.AMAP])
def test_a_chosen_basemap_round_trips_through_the_link(name: str) -> None:
    params = {key: [value] for key, value in basemaps.basemap_to_query(name).items()}
    assert params == {"basemap": [name]}
    assert basemaps.basemap_from_query(params, KEY) == (name, [])


def test_link_values_are_read_case_insensitively_and_the_last_one_wins() -> None:
    assert basemaps.basemap_from_query({"basemap": ["osm", " AMap "]}, "") == (basemaps.AMAP, [])


def test_an_unknown_basemap_falls_back_to_none_with_a_chinese_notice() -> None:
    chosen, notices = basemaps.basemap_from_query({"basemap": ["google"]}, KEY)
    assert chosen == basemaps.NONE
    assert len(notices) == 1 and "basemap=google" in notices[0] and "无效" in notices[0]


def test_tianditu_is_offered_only_with_a_key() -> None:
    assert basemaps.TIANDITU not in basemaps.available("")
    assert basemaps.available(KEY) == [
        basemaps.NONE,
        basemaps.OSM,
        basemaps.TIANDITU,
        basemaps.AMAP,
    ]
    chosen, notices = basemaps.basemap_from_query({"basemap": ["tianditu"]}, "")
    assert chosen == basemaps.NONE and "天地图" in notices[0]
    assert basemaps.basemap_options(basemaps.TIANDITU, "") is None


def test_tianditu_tiles_carry_the_key_and_a_label_layer() -> None:
    layers = basemaps.tile_layers(basemaps.TIANDITU, KEY)
    assert [re.findall(r"LAYER=(\w+)", layer.url) for layer in layers] == [["vec"], ["cva"]]
    assert all(layer.url.startswith("https://t{s}.tianditu.gov.cn/") for layer in layers)
    assert all(layer.url.endswith(f"tk={KEY}") and "{x}" in layer.url for layer in layers)
    assert all("{z}" in layer.url and "{y}" in layer.url for layer in layers)


def test_only_amap_asks_for_the_gcj02_shift() -> None:
    shifts = {
        name: (basemaps.basemap_options(name, KEY) or {})["gcj02"]
        for name in (basemaps.OSM, basemaps.TIANDITU, basemaps.AMAP)
    }
    assert shifts == {basemaps.OSM: False, basemaps.TIANDITU: False, basemaps.AMAP: True}
    amap = basemaps.basemap_options(basemaps.AMAP)
    assert amap is not None and amap["notice"] == "在线底图无法加载，已改为无底图"
    assert "autonavi.com" in amap["layers"][0]["url"]


def test_counties_turn_translucent_over_tiles_without_changing_the_styles() -> None:
    over = basemaps.overlay_styles(STYLES, basemaps.OSM)
    assert over["county"]["fillOpacity"] < 0.5 and over["zone"]["fillOpacity"] < 0.55
    assert STYLES["county"]["fillOpacity"] == 1.0  # the module's styles are untouched
    assert basemaps.overlay_styles(STYLES, basemaps.NONE) == STYLES


def _calls(html: str, function: str) -> list[dict[str, Any]]:
    found = re.findall(rf"GiMap\.{function}\([^,]+, (\{{.*?\}})\);", html)
    return [json.loads(text.replace("<\\/", "</")) for text in found]


def _rendered(basemap: dict[str, Any] | None) -> str:
    bounds = ((29.0, 108.3), (33.3, 116.1))
    fmap = builders.base_map(
        BaseFiles("c.json", "p.json"),
        bounds,
        zones={},
        legend="",
        report_clicks=False,
        basemap=basemap,
    )
    return fmap.get_root().render()


def test_the_base_map_adds_tiles_before_its_layers_and_keeps_zoom_limits() -> None:
    html = _rendered(basemaps.basemap_options(basemaps.AMAP))
    (call,) = _calls(html, "basemap")
    assert call["gcj02"] is True and call["name"] == "amap"
    assert call["offlineStyles"] == {"county": {"fillOpacity": 1.0}, "zone": {"fillOpacity": 0.55}}
    assert html.index("GiMap.basemap(") < html.index("GiMap.base(")
    (base,) = _calls(html, "base")
    assert base["styles"]["county"]["fillOpacity"] == basemaps.COUNTY_FILL_OVER_TILES
    assert '"maxZoom": 13' in html and '"minZoom": 5' in html


def test_without_a_basemap_the_map_has_no_tiles_and_opaque_counties() -> None:
    html = _rendered(None)
    assert "GiMap.basemap(" not in html and "http" not in html.split("<body>")[-1]
    (base,) = _calls(html, "base")
    assert base["styles"]["county"]["fillOpacity"] == 1.0
    assert '"maxZoom": 13' in html
