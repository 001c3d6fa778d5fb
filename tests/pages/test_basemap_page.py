"""The basemap select on the explorer: seeded from the link, written back, sent to the map."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from landmarks.data.regions import Regions
from landmarks.ui import basemap as ui_basemap
from tests import synthetic
from tests.helpers import APP_FILE, map_args, run_app
from tests.hostile import MARKDOWN_IMAGE, shown_text, unsafe_on_page


@pytest.fixture
def synthetic_data(db_path: Path, regions: Regions) -> dict[str, pd.DataFrame]:
    return synthetic.install(db_path, regions)


def basemap_call(at: AppTest) -> dict[str, Any] | None:
    """The options of ``GiMap.basemap`` in the base map's script (None: no tiles)."""
    match = re.search(r"GiMap\.basemap\([^,]+, (\{.*?\})\);", map_args(at)["script"], re.S)
    return json.loads(match.group(1).replace("<\\/", "</")) if match else None


def test_by_default_the_map_has_no_basemap_and_the_link_none(
    synthetic_data: dict[str, pd.DataFrame],
) -> None:
    at = run_app("pages/explorer.py")
    assert basemap_call(at) is None
    assert at.selectbox(key=ui_basemap.BASEMAP).value == "none"
    assert "basemap" not in at.query_params
    assert "天地图" not in at.selectbox(key=ui_basemap.BASEMAP).options  # no key configured


def test_a_link_with_amap_draws_amap_tiles_with_the_gcj02_shift_and_keeps_the_parameter(
    synthetic_data: dict[str, pd.DataFrame],
) -> None:
    at = run_app("pages/explorer.py", {"basemap": "amap", "chain": "茶叶"})
    call = basemap_call(at)
    assert call is not None and call["name"] == "amap" and call["gcj02"] is True
    assert at.selectbox(key=ui_basemap.BASEMAP).value == "amap"
    assert at.query_params["basemap"] == "amap"
    assert not any("basemap" in text.value for text in at.caption)  # no notice


def test_choosing_a_basemap_rewrites_the_link_and_the_base_map(
    synthetic_data: dict[str, pd.DataFrame],
) -> None:
    at = run_app("pages/explorer.py")
    at.selectbox(key=ui_basemap.BASEMAP).set_value("osm").run()
    call = basemap_call(at)
    assert call is not None and call["gcj02"] is False
    assert "openstreetmap.org" in call["layers"][0]["url"]
    assert at.query_params["basemap"] == "osm"
    at.selectbox(key=ui_basemap.BASEMAP).set_value("none").run()
    assert basemap_call(at) is None and "basemap" not in at.query_params


def test_tianditu_without_a_key_falls_back_to_none_with_a_notice(
    synthetic_data: dict[str, pd.DataFrame],
) -> None:
    at = run_app("pages/explorer.py", {"basemap": "tianditu"})
    assert basemap_call(at) is None
    assert any("basemap=tianditu" in shown_text(text.value) for text in at.caption)
    assert "basemap" not in at.query_params


def test_an_unknown_basemap_in_a_link_is_named_as_text(
    synthetic_data: dict[str, pd.DataFrame],
) -> None:
    """The notice repeats the link's value: a Markdown image there stays text."""
    at = run_app("pages/explorer.py", {"basemap": MARKDOWN_IMAGE})
    assert any(MARKDOWN_IMAGE in shown_text(text.value) for text in at.caption)
    assert unsafe_on_page(at) == {}


def test_tianditu_with_a_key_in_the_secrets(synthetic_data: dict[str, pd.DataFrame]) -> None:
    at = AppTest.from_file(APP_FILE, default_timeout=90)
    at.secrets["tianditu_key"] = "k123"
    at.run()
    at.switch_page("pages/explorer.py")
    at.query_params = {"basemap": "tianditu"}
    at.run()
    assert not at.exception
    call = basemap_call(at)
    assert call is not None and call["name"] == "tianditu" and call["gcj02"] is False
    assert all(layer["url"].endswith("tk=k123") for layer in call["layers"])
    assert at.query_params["basemap"] == "tianditu"


def test_presentation_mode_keeps_the_basemap_of_the_link(
    synthetic_data: dict[str, pd.DataFrame],
) -> None:
    at = run_app("pages/explorer.py", {"present": "1", "basemap": "amap"})
    call = basemap_call(at)
    assert call is not None and call["name"] == "amap" and call["gcj02"] is True
    assert at.query_params["basemap"] == "amap" and at.query_params["present"] == "1"


# The other map pages: 品牌总览 and 产值地图 read the link's basemap on entry (they write no
# link); 示范区与文旅 also keeps it in the link it writes.
OTHER_MAP_PAGES = ["pages/overview.py", "pages/output_map.py", "pages/zones_sites.py"]


def open_link(page: str, params: dict[str, str]) -> AppTest:
    """Open ``page`` from a shared link: the default page (品牌总览) as the app's first run."""
    if page != "pages/overview.py":
        return run_app(page, params)
    at = AppTest.from_file(APP_FILE, default_timeout=90)
    at.query_params = dict(params)
    at.run()
    assert not at.exception, at.exception
    return at


@pytest.mark.parametrize("page", OTHER_MAP_PAGES)
def test_other_map_pages_draw_no_basemap_by_default(
    synthetic_data: dict[str, pd.DataFrame], page: str
) -> None:
    at = run_app(page)
    assert basemap_call(at) is None
    assert at.selectbox(key=ui_basemap.BASEMAP).value == "none"
    assert "basemap" not in at.query_params


@pytest.mark.parametrize("page", OTHER_MAP_PAGES)
def test_other_map_pages_draw_the_basemap_of_the_link(
    synthetic_data: dict[str, pd.DataFrame], page: str
) -> None:
    at = open_link(page, {"basemap": "osm"})
    call = basemap_call(at)
    assert call is not None and call["name"] == "osm" and call["gcj02"] is False
    assert "openstreetmap.org" in call["layers"][0]["url"]
    assert at.selectbox(key=ui_basemap.BASEMAP).value == "osm"
    assert not any("basemap" in text.value for text in at.warning)  # not an unknown parameter


@pytest.mark.parametrize("page", ["pages/overview.py", "pages/output_map.py"])
def test_choosing_a_basemap_on_a_page_without_link_sync_redraws_the_map(
    synthetic_data: dict[str, pd.DataFrame], page: str
) -> None:
    at = run_app(page)
    at.selectbox(key=ui_basemap.BASEMAP).set_value("amap").run()
    call = basemap_call(at)
    assert call is not None and call["name"] == "amap" and call["gcj02"] is True
    at.selectbox(key=ui_basemap.BASEMAP).set_value("none").run()
    assert basemap_call(at) is None


def test_zones_and_sites_keep_the_basemap_in_the_link(
    synthetic_data: dict[str, pd.DataFrame],
) -> None:
    at = run_app("pages/zones_sites.py", {"basemap": "osm"})
    assert at.query_params["basemap"] == "osm"
    at.selectbox(key=ui_basemap.BASEMAP).set_value("amap").run()
    call = basemap_call(at)
    assert call is not None and call["name"] == "amap"
    assert at.query_params["basemap"] == "amap"
    at.selectbox(key=ui_basemap.BASEMAP).set_value("none").run()
    assert basemap_call(at) is None and "basemap" not in at.query_params


def test_the_choice_carries_to_the_next_map_page_unless_its_link_names_one(
    synthetic_data: dict[str, pd.DataFrame],
) -> None:
    at = run_app("pages/explorer.py", {"basemap": "amap"})
    at.switch_page("pages/zones_sites.py")
    at.query_params = {}
    at.run()
    assert at.selectbox(key=ui_basemap.BASEMAP).value == "amap"
    assert at.query_params["basemap"] == "amap"
    at.switch_page("pages/output_map.py")
    at.query_params = {"basemap": "osm"}
    at.run()
    call = basemap_call(at)
    assert call is not None and call["name"] == "osm"
