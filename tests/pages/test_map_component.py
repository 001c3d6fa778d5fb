"""The map component on the pages in AppTest: what st_folium sends, clicks, framing."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from streamlit.proto.WidgetStates_pb2 import WidgetStates
from streamlit.testing.v1 import AppTest

from landmarks.data import seed, store
from landmarks.data.regions import Regions
from landmarks.query import filters
from landmarks.query.frame import province_bounds, region_bounds
from tests import synthetic
from tests.helpers import components, headings, map_args, run_app
from tests.synthetic import WUDANG_SCOPE

ZIGUI, YICHANG = "420527", "420500"
FANGXIAN = "420325"  # 房县, inside 武当道茶's area


@pytest.fixture
def seeded(db_path: Path, regions: Regions) -> pd.DataFrame:
    with store.opened(db_path) as db:
        seed.ensure_seeded(db, regions)
        return db.read_table("products")


@pytest.fixture
def synthetic_data(db_path: Path, regions: Regions) -> dict[str, pd.DataFrame]:
    return synthetic.install(db_path, regions)


def open_explorer(params: dict[str, str] | None = None) -> AppTest:
    return run_app("pages/explorer.py", params)


def layer_options(at: AppTest) -> dict[str, Any]:
    """The options of the data layer (``GiMap.data``) the browser receives on this run."""
    match = re.search(r"GiMap\.data\([^,]+, (\{.*?\})\);", map_args(at)["feature_group"], re.S)
    assert match
    return json.loads(match.group(1).replace("<\\/", "</"))


def map_id(at: AppTest) -> str:
    return str(components(at)[0].proto.id)


def click_map(at: AppTest, kind: str, identifier: str, n: int) -> AppTest:
    """What the map script sends for a click: a new component value, as from the browser."""
    states: WidgetStates = at._tree.get_widget_states()
    state = states.widgets.add()
    state.id = map_id(at)
    state.json_value = json.dumps({"gi_click": {"kind": kind, "id": identifier, "n": n}})
    at._run(states)
    return at


def test_reruns_carry_no_geometry_and_no_remote_links(seeded: pd.DataFrame) -> None:
    at = open_explorer()
    args = map_args(at)
    raw = components(at)[0].proto.json_args
    assert "coordinates" not in raw and "FeatureCollection" not in raw
    assert len(raw.encode()) < 20_000  # geometry and rows travel as cached static files
    assert args["returned_objects"] == []  # pans and zooms never rerun the page
    assert all(link.startswith("/app/static/") for link in args["js_links"] + args["css_links"])
    assert "http" not in args["script"] + args["feature_group"]


def test_data_layer_names_the_filtered_rows_and_the_base_map_stays(
    seeded: pd.DataFrame,
) -> None:
    at = open_explorer()
    assert sorted(layer_options(at)["products"]) == list(range(len(seeded)))
    before = map_id(at)
    at.multiselect(key=filters.CHAINS.state_key).set_value(["柑橘"]).run()
    shown = layer_options(at)["products"]
    assert sorted(seeded.loc[shown, "name"]) == sorted(
        seeded.loc[seeded["chain"] == "柑橘", "name"]
    )
    assert map_id(at) == before  # same base script: the browser keeps its map


def test_county_click_opens_the_county_card(seeded: pd.DataFrame) -> None:
    at = click_map(open_explorer(), "county", ZIGUI, 1)
    assert "县域名片：秭归县" in headings(at)
    assert layer_options(at)["selected"] == {"county": ZIGUI, "area": []}
    assert at.query_params["county"] == ZIGUI


def test_product_click_opens_its_card_and_a_repeat_reopens_it(seeded: pd.DataFrame) -> None:
    at = click_map(open_explorer(), "product", "秭归脐橙", 1)
    assert "产品名片：秭归脐橙" in headings(at)
    next(b for b in at.button if b.key == "close_product").click().run()
    assert "产品名片：秭归脐橙" not in headings(at)
    at.run()  # a plain rerun delivers the old click again: nothing reopens
    assert "产品名片：秭归脐橙" not in headings(at)
    click_map(at, "product", "秭归脐橙", 2)
    assert "产品名片：秭归脐橙" in headings(at)


def test_unknown_clicks_change_nothing(seeded: pd.DataFrame) -> None:
    at = click_map(open_explorer(), "county", "999999", 1)
    assert not at.exception
    assert not any(h.startswith(("县域名片", "产品名片")) for h in headings(at))


def test_the_map_frames_the_chosen_prefecture(seeded: pd.DataFrame, regions: Regions) -> None:
    at = open_explorer()
    assert layer_options(at)["frame"] == [list(p) for p in province_bounds(regions)]
    at.multiselect(key=filters.PREFECTURE.state_key).set_value([YICHANG]).run()
    assert layer_options(at)["frame"] == [list(p) for p in region_bounds(regions, [YICHANG])]


def test_a_county_link_is_framed_until_the_filters_change(
    seeded: pd.DataFrame, regions: Regions
) -> None:
    at = open_explorer({"county": "秭归县"})
    assert layer_options(at)["frame"] == [list(p) for p in region_bounds(regions, [ZIGUI])]
    click_map(at, "county", YICHANG[:4] + "02", 1)  # another county: the view stays
    assert layer_options(at)["frame"] == [list(p) for p in region_bounds(regions, [ZIGUI])]
    at.multiselect(key=filters.CHAINS.state_key).set_value(["柑橘"]).run()
    assert layer_options(at)["frame"] != [list(p) for p in region_bounds(regions, [ZIGUI])]


def test_overview_map_shows_every_product_with_popups(seeded: pd.DataFrame) -> None:
    at = run_app()
    options = layer_options(at)
    assert sorted(options["products"]) == list(range(len(seeded)))
    assert options["popups"] is True
    args = map_args(at)
    assert '"reportClicks":false' in args["script"]
    for part in ("script", "header", "html", "feature_group"):
        assert "http://" not in args[part] and "https://" not in args[part], part


def framed(regions: Regions, adcodes: Any) -> list[list[float]]:
    bounds = region_bounds(regions, adcodes)
    assert bounds is not None
    return [list(p) for p in bounds]


def test_a_link_to_a_multi_county_product_draws_and_frames_its_area(
    synthetic_data: dict[str, pd.DataFrame], regions: Regions
) -> None:
    at = open_explorer({"product": "武当道茶"})
    assert "产品名片：武当道茶" in headings(at)
    options = layer_options(at)
    assert sorted(options["selected"]["area"]) == sorted(WUDANG_SCOPE)
    assert options["selected"]["county"] is None  # no county of its own
    assert options["frame"] == framed(regions, WUDANG_SCOPE)
    assert len(components(at)[0].proto.json_args.encode()) < 20_000  # adcodes, no geometry
    next(b for b in at.button if b.key == "close_product").click().run()
    options = layer_options(at)
    assert options["selected"]["area"] == []  # deselected: the area is no longer drawn
    assert options["frame"] == framed(regions, WUDANG_SCOPE)  # and the view stays
    assert not at.exception


def test_clicking_a_wide_product_frames_its_area_until_the_filters_change(
    synthetic_data: dict[str, pd.DataFrame], regions: Regions
) -> None:
    at = open_explorer()
    province = [list(p) for p in province_bounds(regions)]
    assert layer_options(at)["frame"] == province
    click_map(at, "product", "武当道茶", 1)
    options = layer_options(at)
    assert sorted(options["selected"]["area"]) == sorted(WUDANG_SCOPE)
    assert options["frame"] == framed(regions, WUDANG_SCOPE)
    click_map(at, "county", FANGXIAN, 2)  # a county inside the area: its card, same view
    options = layer_options(at)
    assert "县域名片：房县" in headings(at)
    assert options["selected"] == {"county": FANGXIAN, "area": []}
    assert options["frame"] == framed(regions, WUDANG_SCOPE)
    click_map(at, "product", "武当道茶", 3)
    at.multiselect(key=filters.CHAINS.state_key).set_value(["柑橘"]).run()
    options = layer_options(at)
    assert sorted(options["selected"]["area"]) == sorted(WUDANG_SCOPE)  # still selected
    assert options["frame"] != framed(regions, WUDANG_SCOPE)  # the filtered products now
    assert not at.exception


def test_a_county_product_draws_no_area_and_keeps_the_view(
    synthetic_data: dict[str, pd.DataFrame], regions: Regions
) -> None:
    at = click_map(open_explorer(), "product", "秭归脐橙", 1)
    options = layer_options(at)
    assert options["selected"] == {"county": ZIGUI, "area": []}  # its county is its place
    assert options["frame"] == [list(p) for p in province_bounds(regions)]


def test_the_legend_explains_wide_products(synthetic_data: dict[str, pd.DataFrame]) -> None:
    assert "全市范围或跨县产品（示意位置）" in map_args(open_explorer())["script"]
