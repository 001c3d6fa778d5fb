"""展示模式 on the explorer, run headless with AppTest on the synthetic data: the sidebar
switch and the link parameter set the same state, the filter is kept, and a tour link
sends its steps with the map's data layer.  (Sizes and the tour's timing are checked in
Chromium: tests/e2e/test_presentation.py.)"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from landmarks.data.regions import Regions
from landmarks.query import filters
from landmarks.ui import explorer_state as view
from tests import synthetic
from tests.helpers import map_args, run_app

PAGE = "pages/explorer.py"
TEA = "茶叶"


@pytest.fixture
def data(db_path: Path, regions: Regions) -> dict[str, pd.DataFrame]:
    return synthetic.install(db_path, regions)


def layer_options(at: AppTest) -> dict[str, Any]:
    match = re.search(r"GiMap\.data\([^,]+, (\{.*?\})\);", map_args(at)["feature_group"], re.S)
    assert match
    return dict(json.loads(match.group(1).replace("<\\/", "</")))


def params(at: AppTest) -> dict[str, str]:
    values = {key: at.query_params[key] for key in at.query_params}
    return {key: v if isinstance(v, str) else v[0] for key, v in values.items()}


def product_list_shown(at: AppTest) -> bool:
    return any("产品名称" in df.value.columns for df in at.dataframe)


def caption_bar(at: AppTest) -> str:
    return " ".join(m.value for m in (*at.markdown, *at.caption))


def test_the_link_parameter_opens_presentation_mode_with_the_filter(
    data: dict[str, pd.DataFrame],
) -> None:
    at = run_app(PAGE, {"present": "1", "chain": TEA})
    assert at.toggle(key=view.PRESENT).value is True
    assert params(at) == {"chain": TEA, "present": "1"}
    assert [t.value for t in at.title] == [f"湖北地标品牌地图 · 全省 · {TEA}"]
    # Two tea products (the 恩施玉露 family counted once) of twelve.
    assert "地理标志产品 2 个（共 12 个；含 3 个登记名称）" in caption_bar(at)
    assert "一品多标" in caption_bar(at)
    assert not product_list_shown(at)  # the map alone
    assert '"present":true' in map_args(at)["script"]
    assert '"reportClicks":false' in map_args(at)["script"]
    assert len(layer_options(at)["products"]) == 3 and layer_options(at)["tour"] is None


def test_the_switch_and_the_exit_button_keep_the_filter(data: dict[str, pd.DataFrame]) -> None:
    at = run_app(PAGE, {"chain": TEA})
    assert at.toggle(key=view.PRESENT).value is False and product_list_shown(at)
    assert '"present":false' in map_args(at)["script"]
    at.toggle(key=view.PRESENT).set_value(True).run()
    assert params(at) == {"chain": TEA, "present": "1"}
    assert not product_list_shown(at) and not at.exception
    at.button(key="present_exit").click().run()
    assert at.toggle(key=view.PRESENT).value is False
    assert params(at) == {"chain": TEA}
    assert product_list_shown(at)


def test_a_tour_link_sends_its_steps_with_the_data_layer(data: dict[str, pd.DataFrame]) -> None:
    at = run_app(PAGE, {"tour": "prefectures", "every": "2", "idle": "4"})
    assert at.toggle(key=view.PRESENT).value is True
    assert (at.selectbox(key=view.TOUR).value, at.number_input(key=view.EVERY).value) == (
        "prefectures",
        2,
    )
    assert params(at) == {"present": "1", "tour": "prefectures", "every": "2", "idle": "4"}
    tour = layer_options(at)["tour"]
    assert (tour["kind"], tour["every"], tour["idle"]) == ("各市州", 2, 4)
    titles = [step["title"] for step in tour["steps"]]
    assert "宜昌市" in titles and "十堰市" in titles
    yichang = tour["steps"][titles.index("宜昌市")]
    assert len(yichang["products"]) == 4 and yichang["area"]


def test_choosing_a_tour_in_the_sidebar_puts_it_in_the_link(
    data: dict[str, pd.DataFrame],
) -> None:
    at = run_app(PAGE, {"present": "1"})
    at.selectbox(key=view.TOUR).set_value("chains").run()
    at.number_input(key=view.EVERY).set_value(5).run()
    assert params(at) == {"present": "1", "tour": "chains", "every": "5"}
    assert [s["title"] for s in layer_options(at)["tour"]["steps"]][:2] == ["特色淡水产品", "蔬菜"]


def test_bad_presentation_values_are_reported_and_ignored(
    data: dict[str, pd.DataFrame],
) -> None:
    at = run_app(PAGE, {"present": "1", "tour": "chains", "every": "0"})
    warning = " ".join(w.value for w in at.warning)
    assert "every\\=0" in warning and "2–600" in warning, warning
    assert at.number_input(key=view.EVERY).value == 20
    assert params(at) == {"present": "1", "tour": "chains"}


def test_a_tour_chosen_outside_presentation_mode_offers_its_booth_link(
    data: dict[str, pd.DataFrame],
) -> None:
    at = run_app(PAGE, {"chain": TEA})
    at.selectbox(key=view.TOUR).set_value("chains").run()
    assert params(at) == {"chain": TEA}  # not presenting yet: the link is the page's
    booth = " ".join(c.value for c in at.sidebar.caption).replace("\\", "")
    assert f"?chain={TEA}&present=1&tour=chains" in booth, booth


def test_saved_views_are_added_from_the_sidebar_and_toured(
    data: dict[str, pd.DataFrame],
) -> None:
    at = run_app(PAGE, {"chain": TEA})
    at.selectbox(key=view.TOUR).set_value("views").run()
    at.button(key="tour_save_view").click().run()
    at = at.multiselect(key=filters.CHAINS.state_key).set_value(["柑橘"]).run()
    at.button(key="tour_save_view").click().run()
    assert "已保存 2 个视图：1. 全省 · 茶叶；2. 全省 · 柑橘" in " ".join(
        c.value for c in at.sidebar.caption
    ).replace("\\", "")
    at.toggle(key=view.PRESENT).set_value(True).run()
    shared = params(at)
    assert shared["tour"] == "views" and shared["views"].count(";") == 1, shared
    tour = layer_options(at)["tour"]
    assert [step["title"] for step in tour["steps"]] == ["全省 · 茶叶", "全省 · 柑橘"]
    # The link opens the same tour in a new visit.
    again = run_app(PAGE, shared)
    assert [s["title"] for s in layer_options(again)["tour"]["steps"]] == [
        "全省 · 茶叶",
        "全省 · 柑橘",
    ]
    at.toggle(key=view.PRESENT).set_value(False).run()
    at.button(key="tour_clear_views").click().run()
    assert "尚未保存视图" in " ".join(c.value for c in at.sidebar.caption)
