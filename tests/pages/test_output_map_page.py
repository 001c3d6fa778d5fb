"""产值地图 run headless with AppTest on the synthetic data set (plus county totals)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from landmarks.data import store
from landmarks.data.demo_outputs import DEMO_METRIC, DEMO_YEARS
from landmarks.data.records import prepare_outputs
from landmarks.data.regions import Regions
from landmarks.query import output_values as ov
from landmarks.query.classify import FISHER_JENKS, HEAD_TAIL, LOG_SCALE
from landmarks.ui import output_map as view
from tests import synthetic
from tests.helpers import headings, map_args, run_app

PAGE = "pages/output_map.py"
REAL_YEAR = 2023


def county_totals(regions: Regions, products: pd.DataFrame) -> pd.DataFrame:
    raw = pd.DataFrame(
        [
            {"product": "", "prefecture": "宜昌市", "county": county, "year": str(REAL_YEAR),
             "metric": DEMO_METRIC, "value_yi_yuan": value, "scope": "全县地理标志产品",
             "confidence": "high", "source_url": "https://www.cnr.cn/hubei/a.html",
             "source_quality": "media"}
            for county, value in (("秭归县", "15"), ("宜都市", "超9"), ("长阳", "4"))
        ]
    )  # fmt: skip
    prepared = prepare_outputs(raw, regions, set(products["name"]))
    prepared["year"] = prepared["year"].astype("Int64")
    return prepared


@pytest.fixture
def demo_only(db_path: Path, regions: Regions) -> dict[str, pd.DataFrame]:
    return synthetic.install(db_path, regions)


@pytest.fixture
def with_real(db_path: Path, regions: Regions) -> dict[str, pd.DataFrame]:
    tables = synthetic.frames(regions)
    extra = county_totals(regions, tables["products"])
    tables["outputs"] = pd.concat([tables["outputs"], extra], ignore_index=True)
    with store.opened(db_path) as db:
        db.write_tables(tables)
    return tables


def choropleth(at: AppTest) -> dict[str, Any]:
    """The options of the choropleth layer the browser receives on this run."""
    layer = map_args(at)["feature_group"]
    match = re.search(r"GiMap\.choropleth\([^,]+, (\{.*?\})\);", layer, re.S)
    assert match, layer[:300]
    return json.loads(match.group(1).replace("<\\/", "</"))


def legend_text(at: AppTest) -> str:
    return re.sub(r"<[^>]+>", "|", choropleth(at)["legend"])


def warnings(at: AppTest) -> str:
    return " ".join(w.value for w in at.warning)


def test_demo_figures_are_flagged_on_the_page_and_the_map(demo_only: object) -> None:
    at = run_app(PAGE)
    assert at.title[0].value.endswith("产值地图")
    assert at.select_slider(key=view.YEAR).value == str(max(DEMO_YEARS))
    assert "示例数据" in warnings(at)
    legend = legend_text(at)
    assert "示例数据" in legend and "无数据" in legend and "亿元" in legend
    captions = " ".join(c.value for c in at.caption)
    assert "（示例数据）" in captions and "无数据" in captions
    last = max(DEMO_YEARS)
    expected = {
        f"同比变化 · {last - 1}→{last}",
        "各产品公开数字",
        "2026 年产值目标进度",
        "数据核对",
    }
    assert expected <= set(headings(at))
    # The base map has no zones and no legend: only the layer changes between views.
    assert '"zones":{}' in map_args(at)["script"]


def test_changing_year_and_classification_changes_only_the_layer(demo_only: object) -> None:
    at = run_app(PAGE)
    first = map_args(at)
    before = choropleth(at)
    at.select_slider(key=view.YEAR).set_value(str(min(DEMO_YEARS))).run()
    at.selectbox(key=view.SCHEME).set_value(FISHER_JENKS).run()
    at.slider(key=view.CLASSES).set_value(4).run()
    assert not at.exception
    after = choropleth(at)
    assert after["key"] == f"output|{DEMO_METRIC}|county|{min(DEMO_YEARS)}|{FISHER_JENKS}|4"
    assert after["key"] != before["key"] and after["legend"] != before["legend"]
    assert "自然断点" in after["legend"] and len(after["colors"]) == 4
    assert map_args(at)["script"] == first["script"]  # the base map is not sent anew
    assert len(map_args(at)["feature_group"].encode()) < 60_000


def test_real_county_figures_replace_the_demo_for_their_year(
    with_real: object, regions: Regions
) -> None:
    at = run_app(PAGE)
    assert at.select_slider(key=view.YEAR).value == str(REAL_YEAR)  # the latest real year
    assert "示例数据" not in warnings(at)
    legend = legend_text(at)
    assert "示例数据" not in legend
    options = choropleth(at)
    assert sorted(options["units"]) == ["420527", "420528", "420581"]
    assert options["units"]["420527"][1:4] == ["15", 1, 0]
    assert options["units"]["420581"][1:4] == ["超9", 2, 1]  # approximate: marked
    assert f"无数据 {len(regions.county_list) - 3} 个县" in legend
    captions = " ".join(c.value for c in at.caption)
    assert "本图显示 3 个县的数字；" in captions
    # Another year has no real figures: the demonstration is back, flagged.
    at.select_slider(key=view.YEAR).set_value(str(REAL_YEAR - 1)).run()
    assert "示例数据" in warnings(at) and "示例数据" in legend_text(at)


@pytest.mark.parametrize("scheme", [HEAD_TAIL, LOG_SCALE])
@pytest.mark.parametrize("measure", list(ov.MEASURES))
@pytest.mark.parametrize("level", list(ov.LEVELS))
def test_every_measure_level_and_scheme_draws(
    demo_only: object, scheme: str, measure: str, level: str
) -> None:
    at = run_app(PAGE)
    at.selectbox(key=view.MEASURE).set_value(measure)
    at.radio(key=view.LEVEL).set_value(level)
    at.selectbox(key=view.SCHEME).set_value(scheme).run()
    assert not at.exception and not at.error
    legend = legend_text(at)
    assert ov.MEASURE_UNITS[measure] in legend
    assert ("个市州" if level == ov.LEVEL_PREFECTURE else "个县") in legend
    if measure != ov.MEASURE_OUTPUT:
        assert at.select_slider(key=view.YEAR).value == ov.ALL_YEARS
        assert "示例数据" not in warnings(at)


def test_diagnostics_list_every_figure_not_mapped(
    with_real: dict[str, pd.DataFrame],
) -> None:
    at = run_app(PAGE)
    table = next(df.value for df in at.dataframe if "用途或未用原因" in df.value.columns)
    assert len(table) == len(with_real["outputs"]) - 3  # all but the three county totals
    reasons = " ".join(table["用途或未用原因"])
    assert "品牌价值，不是产值" in reasons and "全省数字" in reasons
    markdown = " ".join(m.value for m in at.markdown)
    assert f"共持有 {len(with_real['outputs'])} 条产值记录，其中可上图的县级产值 3 条" in markdown


def test_the_play_button_starts_and_stops(demo_only: object) -> None:
    at = run_app(PAGE)
    at.select_slider(key=view.YEAR).set_value(str(max(DEMO_YEARS))).run()
    at.button(key="output_map_play").click().run()
    assert at.session_state[view.PLAYING] is True
    # Played to the end before: it starts again from the first year.
    assert at.select_slider(key=view.YEAR).value == str(min(DEMO_YEARS))
    assert at.button(key="output_map_play").label == "暂停"
    at.button(key="output_map_play").click().run()
    assert at.session_state[view.PLAYING] is False


@pytest.mark.usefixtures("demo_only")
def test_link_parameters_the_page_does_not_use_are_named_and_dropped() -> None:
    """Every other page names what a link asked for that it ignored; 产值地图 reads
    only the basemap (and the language) from a link."""
    at = run_app(PAGE, {"year": "1800", "k": "999", "scheme": "zzz", "basemap": "none"})
    warned = "\n".join(w.value for w in at.warning)
    for key in ("year", "k", "scheme"):
        assert f"未识别的链接参数“{key}”，已忽略" in warned
        assert key not in at.query_params
    assert at.query_params["basemap"] == "none"  # what the page does read stays
    at.button(key="output_map_dismiss_notices").click().run()
    assert not any("未识别的链接参数" in w.value for w in at.warning)
