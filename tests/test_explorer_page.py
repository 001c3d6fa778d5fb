"""The brand-map explorer (品牌地图) run headless with AppTest on a fresh database."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from html import escape
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from jinja2.utils import htmlsafe_json_dumps
from streamlit.testing.v1 import AppTest

from landmarks.data import storage
from landmarks.data.regions import Regions
from landmarks.query.filters import ProductFilter, apply_filter
from landmarks.query.selection import CLICK_FIELDS
from landmarks.ui import explorer_state as view
from landmarks.ui.explorer_widgets import md
from tests.helpers import APP_FILE, components, map_args

PAGE = "pages/explorer.py"
ZIGUI = "420527"
EVIL = "<img src=x onerror=alert(1)>"


def open_explorer(params: dict[str, Any] | None = None) -> AppTest:
    """Start the app, then open the explorer as a shared link would (with ``params``)."""
    at = AppTest.from_file(APP_FILE, default_timeout=90).run()
    at.switch_page(PAGE)
    at.query_params = dict(params or {})
    at.run()
    assert not at.exception, at.exception
    return at


@pytest.fixture
def seeded(db_path: Path, regions: Regions) -> pd.DataFrame:
    with storage.opened(db_path) as connection:
        storage.ensure_seeded(connection, regions)
        return storage.read_table(connection, "products")


@pytest.fixture
def explorer(seeded: pd.DataFrame) -> AppTest:
    return open_explorer()


def table(at: AppTest) -> pd.DataFrame:
    found = [df.value for df in at.dataframe if "产品名称" in df.value.columns]
    assert len(found) == 1
    return found[0]


def shown_names(at: AppTest) -> set[str]:
    return set(table(at)["产品名称"])


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def headings(at: AppTest) -> list[str]:
    return [h.value for h in at.subheader]


def in_map(at: AppTest, name: str) -> bool:
    """The product's (HTML-escaped) name is among the map's product rows."""
    return map_form(name) in map_args(at)["feature_group"]


def map_form(name: str) -> str:
    # Rows hold the HTML-escaped name, serialised by Jinja's tojson (\u0026lt; for &lt;).
    return str(htmlsafe_json_dumps(escape(name)))[1:-1]


def map_hash(at: AppTest) -> str:
    # st_folium keys its component on a hash of the base map's script: the widget id ends
    # with it.  Same hash → the browser keeps the map (and the user's pan and zoom).
    return components(at)[0].proto.id.rsplit("-", 1)[-1]


def highlighted(at: AppTest) -> str | None:
    """The adcode of the county drawn in the selection layer, if any."""
    found = re.findall(r'"adcode": "(\d{6})"', map_args(at)["feature_group"])
    assert len(found) <= 1
    return found[0] if found else None


def click_map(at: AppTest, lat: float, lng: float, tooltip: str, count: int) -> AppTest:
    """What streamlit-folium sends after a click on a layer."""
    at.session_state[map_hash(at)] = {
        "last_object_clicked": {"lat": lat, "lng": lng},
        "last_object_clicked_tooltip": tooltip,
        "last_object_clicked_count": count,
    }
    return at.run()


def expected(products: pd.DataFrame, zones: pd.DataFrame, **kwargs: Any) -> set[str]:
    return set(apply_filter(products, zones, ProductFilter(**kwargs))["name"])


@pytest.fixture
def zones(db_path: Path, seeded: pd.DataFrame) -> pd.DataFrame:
    with storage.opened(db_path) as connection:
        return storage.read_table(connection, "zones")


# --- page and map --------------------------------------------------------------------


def test_page_shows_everything_by_default(explorer: AppTest, seeded: pd.DataFrame) -> None:
    assert not explorer.error
    assert explorer.title[0].value.endswith("品牌地图")
    assert metric(explorer, "筛选结果（产品）") == "145 / 145"
    assert shown_names(explorer) == set(seeded["name"])
    assert in_map(explorer, "秭归脐橙")
    assert explorer.query_params == {}
    assert any("点击地图" in info.value for info in explorer.info)
    assert highlighted(explorer) is None


def test_map_reruns_only_on_clicks_and_loads_nothing_remote(explorer: AppTest) -> None:
    args = map_args(explorer)
    assert args["returned_objects"] == list(CLICK_FIELDS)
    assert set(args["default"]) == set(CLICK_FIELDS)  # no bounds/zoom/center: pan is silent
    assert all(link.startswith("/app/static/vendor/") for link in args["js_links"])
    assert "gi-legend" in args["script"] and "conic-gradient" in args["feature_group"]


def test_base_map_is_stable_across_filters_and_selection(explorer: AppTest) -> None:
    before = map_hash(explorer)
    explorer.multiselect(key=view.CHAINS).set_value(["柑橘"]).run()
    click_map(explorer, 30.9, 110.8, "秭归脐橙｜柑橘｜秭归县", 1)
    assert "县域名片：秭归县" in headings(explorer)
    assert map_hash(explorer) == before
    assert highlighted(explorer) == ZIGUI


# --- filters -------------------------------------------------------------------------


def test_chain_filter_updates_map_table_counts_and_url(
    explorer: AppTest, seeded: pd.DataFrame, zones: pd.DataFrame
) -> None:
    explorer.multiselect(key=view.CHAINS).set_value(["柑橘"]).run()
    wanted = expected(seeded, zones, chains=("柑橘",))
    assert shown_names(explorer) == wanted and "秭归脐橙" in wanted
    assert metric(explorer, "筛选结果（产品）") == f"{len(wanted)} / 145"
    assert in_map(explorer, "秭归脐橙") and not in_map(explorer, "恩施玉露")
    assert explorer.query_params == {"chain": "柑橘"}


@pytest.mark.parametrize(
    ("key", "value", "criteria", "param"),
    [
        (view.CATEGORIES_KEY, ["中药材"], {"categories": ("中药材",)}, {"category": "中药材"}),
        (
            view.GI_TYPES_KEY,
            ["地理标志证明商标"],
            {"gi_types": ("地理标志证明商标",)},
            {"gi_type": "地理标志证明商标"},
        ),
        (view.PREFECTURES, ["420500"], {"prefectures": ("420500",)}, {"prefecture": "420500"}),
        (view.CONFIDENCES, ["low"], {"confidences": ("low",)}, {"confidence": "low"}),
    ],
)
def test_each_multiselect_filter(
    explorer: AppTest,
    seeded: pd.DataFrame,
    zones: pd.DataFrame,
    key: str,
    value: list[str],
    criteria: dict[str, Any],
    param: dict[str, str],
) -> None:
    explorer.multiselect(key=key).set_value(value).run()
    wanted = expected(seeded, zones, **criteria)
    assert 0 < len(wanted) < len(seeded)
    assert shown_names(explorer) == wanted
    assert explorer.query_params == param


def test_prefecture_then_county_cascade(
    explorer: AppTest, seeded: pd.DataFrame, zones: pd.DataFrame
) -> None:
    explorer.multiselect(key=view.PREFECTURES).set_value(["420500"]).run()
    counties = explorer.multiselect(key=view.COUNTIES)
    assert ZIGUI in counties.options or "秭归县" in counties.options
    assert "洪山区" not in counties.options and "420111" not in counties.options
    counties.set_value([ZIGUI]).run()
    assert shown_names(explorer) == {"秭归脐橙", "秭归夏橙"}
    assert explorer.query_params == {"prefecture": "420500", "counties": ZIGUI}
    # Choosing another prefecture drops the county that no longer belongs.
    explorer.multiselect(key=view.PREFECTURES).set_value(["420100"]).run()
    assert explorer.multiselect(key=view.COUNTIES).value == []
    assert shown_names(explorer) == expected(seeded, zones, prefectures=("420100",))


def test_year_range_filter(explorer: AppTest, seeded: pd.DataFrame, zones: pd.DataFrame) -> None:
    slider = explorer.slider(key=view.YEARS)
    assert slider.value == (2004, 2025)
    slider.set_value((2006, 2010)).run()
    assert shown_names(explorer) == expected(seeded, zones, years=(2006, 2010))
    assert "秭归夏橙" not in shown_names(explorer)  # no approval year known
    assert explorer.query_params == {"year": "2006-2010"}


def test_zone_only_filter(explorer: AppTest, seeded: pd.DataFrame, zones: pd.DataFrame) -> None:
    explorer.checkbox(key=view.ZONE_ONLY).check().run()
    assert shown_names(explorer) == expected(seeded, zones, zone_only=True)
    assert {"秭归脐橙", "潜江龙虾", "蕲艾"} <= shown_names(explorer)
    assert explorer.query_params == {"zone": "1"}


@pytest.mark.parametrize("query", ["zgqc", "ZiGui", "zi gui", "ｚｇｑｃ", "秭归脐"])
def test_pinyin_search(explorer: AppTest, query: str) -> None:
    explorer.text_input(key=view.QUERY).input(query).run()
    assert "秭归脐橙" in shown_names(explorer)
    assert shown_names(explorer) <= {"秭归脐橙", "秭归夏橙"}
    assert in_map(explorer, "秭归脐橙") and not in_map(explorer, "恩施玉露")


def test_reset_clears_filters_and_selection(explorer: AppTest) -> None:
    explorer.multiselect(key=view.CHAINS).set_value(["柑橘"])
    explorer.text_input(key=view.QUERY).input("zigui").run()
    click_map(explorer, 30.9, 110.8, "秭归脐橙｜柑橘｜秭归县", 1)
    assert len(shown_names(explorer)) < 145 and "产品名片：秭归脐橙" in headings(explorer)
    next(b for b in explorer.button if b.label == "重置筛选").click().run()
    assert len(shown_names(explorer)) == 145
    assert explorer.query_params == {}
    assert not any(h.startswith(("产品名片", "县域名片")) for h in headings(explorer))


# --- shareable views -----------------------------------------------------------------

SHARED = {
    "q": "zigui",
    "chain": "柑橘,茶叶",
    "prefecture": "420500",
    "counties": ZIGUI,
    "year": "2005-2020",
    "confidence": "high,medium",
    "product": "秭归脐橙",
    "county": ZIGUI,
}


def test_url_round_trip(seeded: pd.DataFrame, zones: pd.DataFrame) -> None:
    at = open_explorer(SHARED)
    assert not at.warning
    criteria = dict(
        query="zigui",
        chains=("柑橘", "茶叶"),
        prefectures=("420500",),
        counties=(ZIGUI,),
        years=(2005, 2020),
        confidences=("high", "medium"),
    )
    assert shown_names(at) == expected(seeded, zones, **criteria) == {"秭归脐橙"}
    assert at.query_params == SHARED
    assert "产品名片：秭归脐橙" in headings(at) and "县域名片：秭归县" in headings(at)
    # The widgets show the shared state, so the next change starts from it.
    assert at.multiselect(key=view.CHAINS).value == ["柑橘", "茶叶"]
    assert at.slider(key=view.YEARS).value == (2005, 2020)
    # Opening the URL the page wrote reproduces the same view.
    again = open_explorer(at.query_params)
    assert shown_names(again) == shown_names(at) and headings(again) == headings(at)


def test_junk_parameters_show_a_notice_and_are_ignored(seeded: pd.DataFrame) -> None:
    at = open_explorer(
        {
            "chain": "火箭,柑橘",
            "year": "abc",
            "prefecture": "火星市",
            "product": "不存在的产品",
            "county": "<b>x</b>",
            "foo": "bar",
            "zone": "maybe",
            "q": "长" * 300,
        }
    )
    assert not at.exception and not at.error
    text = at.warning[0].value
    for part in (
        "chain=火箭",
        "year=abc",
        "prefecture=火星市",
        "product=不存在的产品",
        "foo",
        "zone=maybe",
        "搜索词超过",
    ):
        assert md(part) in text or part in text, part
    assert "<b>" not in text
    assert at.multiselect(key=view.CHAINS).value == ["柑橘"]
    assert at.query_params == {"chain": "柑橘"}  # the cleaned URL
    assert len(shown_names(at)) == int((seeded["chain"] == "柑橘").sum())
    at.button(key="dismiss_notices").click().run()
    assert not at.warning


def test_year_outside_the_data_is_ignored_with_a_notice(seeded: pd.DataFrame) -> None:
    at = open_explorer({"year": "1950-1960"})
    assert "超出数据的年份范围" in at.warning[0].value
    assert len(shown_names(at)) == 145


def test_product_and_county_from_url(seeded: pd.DataFrame) -> None:
    product = open_explorer({"product": "秭归脐橙"})
    assert headings(product)[:2] == ["产品名片：秭归脐橙", "县域名片：秭归县"]
    assert product.query_params == {"product": "秭归脐橙", "county": ZIGUI}
    county = open_explorer({"county": ZIGUI})
    assert "县域名片：秭归县" in headings(county)
    assert not any(h.startswith("产品名片") for h in headings(county))
    assert highlighted(county) == ZIGUI


# --- map clicks and cards ------------------------------------------------------------


def test_clicking_a_product_opens_its_card(explorer: AppTest, regions: Regions) -> None:
    click_map(explorer, 30.9, 110.8, "秭归脐橙｜柑橘｜秭归县", 1)
    assert headings(explorer)[:2] == ["产品名片：秭归脐橙", "县域名片：秭归县"]
    assert explorer.query_params == {"product": "秭归脐橙", "county": ZIGUI}
    text = " ".join(m.value for m in explorer.markdown)
    assert "柑橘" in text and "秭归" in text and "2006年" in text
    assert "可信度：高" in text
    assert "示范区" in text  # 秭归脐橙 has a national demonstration zone
    assert "http" in text  # linkable sources are links
    # The same click delivered again on a rerun does not reopen a closed card.
    next(b for b in explorer.button if b.key == "close_product").click().run()
    explorer.run()
    assert "产品名片：秭归脐橙" not in headings(explorer)


def test_clicking_a_county_opens_its_card(explorer: AppTest, regions: Regions) -> None:
    point = regions.geometry(ZIGUI).representative_point()
    click_map(explorer, point.y, point.x, "县市区 秭归县 所属市州 宜昌市", 1)
    assert headings(explorer)[0] == "县域名片：秭归县"
    assert explorer.query_params == {"county": ZIGUI}
    text = " ".join(m.value for m in explorer.markdown)
    assert "柑橘" in text and "秭归脐橙" in text and "秭归夏橙" in text
    assert highlighted(explorer) == ZIGUI
    # "只看本县产品" narrows the filters to the county.
    next(b for b in explorer.button if b.key == "only_county").click().run()
    assert shown_names(explorer) == {"秭归脐橙", "秭归夏橙"}


def test_county_card_opens_a_product_card(seeded: pd.DataFrame) -> None:
    at = open_explorer({"county": ZIGUI})
    at.selectbox(key="county_card_product").select("秭归夏橙").run()
    assert headings(at)[:2] == ["产品名片：秭归夏橙", "县域名片：秭归县"]
    assert at.query_params == {"product": "秭归夏橙", "county": ZIGUI}


def test_repeated_click_on_the_same_product_reopens_it(explorer: AppTest) -> None:
    click_map(explorer, 30.9, 110.8, "秭归脐橙｜柑橘｜秭归县", 1)
    next(b for b in explorer.button if b.key == "close_product").click().run()
    click_map(explorer, 30.9, 110.8, "秭归脐橙｜柑橘｜秭归县", 2)
    assert "产品名片：秭归脐橙" in headings(explorer)


def test_repost_sources_are_not_links(seeded: pd.DataFrame) -> None:
    repost = seeded[seeded["source_quality"] == "repost"].iloc[0]
    at = open_explorer({"product": repost["name"]})
    card = " ".join(m.value for m in at.markdown)
    assert "http" not in card.split("**来源**")[-1].split("**")[0]
    assert any("无可展示的链接" in c.value for c in at.caption)


def test_output_figures_label_brand_values(seeded: pd.DataFrame) -> None:
    at = open_explorer({"product": "潜江龙虾"})
    outputs = next(df.value for df in at.dataframe if "value_text" in df.value.columns)
    kinds = set(outputs["kind"])
    assert {"产值/销售额", "品牌价值（非产值）"} <= kinds
    brand = outputs[outputs["metric"].str.contains("品牌价值")]
    assert (brand["kind"] == "品牌价值（非产值）").all()


def test_demonstration_figures_are_flagged(db_path: Path, seeded: pd.DataFrame) -> None:
    with storage.opened(db_path) as connection:
        outputs = storage.read_table(connection, "outputs")
        demo = (
            outputs[outputs["product"] == "秭归脐橙"]
            .head(1)
            .assign(
                year=2030, value=99.0, value_text="99", is_demo=True, subject="秭归脐橙（示例）"
            )
        )
        storage.replace_tables(connection, {"outputs": pd.concat([outputs, demo])})
    at = open_explorer({"product": "秭归脐橙"})
    assert any("示例数据" in w.value for w in at.warning)
    table = next(df.value for df in at.dataframe if "value_text" in df.value.columns)
    assert table.loc[table["value_text"] == "99", "demo"].tolist() == ["示例数据"]
    assert (table.loc[table["value_text"] != "99", "demo"] == "").all()


# --- export --------------------------------------------------------------------------


def test_export_buttons_offer_the_filtered_list(explorer: AppTest) -> None:
    explorer.multiselect(key=view.CHAINS).set_value(["柑橘"]).run()
    buttons = {b.label: b for b in explorer.get("download_button")}
    assert set(buttons) == {"导出 CSV", "导出 Excel"}
    for button in buttons.values():
        # Generated on click only, so filter reruns do not pay for the files.
        assert button.proto.HasField("deferred_file_id")


# --- escaping ------------------------------------------------------------------------


@pytest.fixture
def hostile(db_path: Path, regions: Regions, seeded: pd.DataFrame) -> Iterator[None]:
    row = seeded[seeded["name"] == "秭归脐橙"].copy()
    row["name"] = EVIL
    row["note"] = "<script>alert('note')</script> [点我](javascript:alert(1)) $x$"
    with storage.opened(db_path) as connection:
        storage.replace_tables(connection, {"products": pd.concat([seeded, row])})
    yield


def every_string(at: AppTest) -> str:
    parts: list[str] = []

    def walk(node: Any) -> None:
        proto = getattr(node, "proto", None)
        if proto is not None:
            parts.append(str(proto))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return "\n".join(parts)


def test_hostile_names_are_shown_as_text(hostile: None) -> None:
    at = open_explorer({"product": EVIL})
    assert not at.warning
    assert f"产品名片：{md(EVIL)}" in headings(at)
    args = map_args(at)
    for part in ("script", "feature_group", "html", "header"):
        assert EVIL not in args[part]
        assert "<script>alert" not in args[part]
    assert map_form(EVIL) in args["feature_group"]
    assert "&lt;img src=x onerror=alert(1)&gt;" in map_form(EVIL).replace("\\u0026", "&")
    markdown = " ".join(m.value for m in (*at.markdown, *at.subheader, *at.caption))
    assert EVIL not in markdown and "<script>" not in markdown
    assert "\\<img src\\=x onerror\\=alert\\(1\\)\\>" in markdown
    assert "](javascript" not in markdown
    # Table cells are plain values (rendered as text by the data grid).
    assert EVIL in shown_names(at)
    assert "onerror=alert(1)>" not in every_string(at).replace(json.dumps(EVIL)[1:-1], "")
