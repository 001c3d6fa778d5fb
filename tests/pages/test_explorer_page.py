"""The brand-map explorer (品牌地图) run headless with AppTest on the synthetic data set:
filters, shared links, cards, list, exports and what users read.  (The map itself is
tested in tests/pages/test_map_component.py.)"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from streamlit.proto.SelectWidgetFilterMode_pb2 import FILTER_MODE_CONTAINS
from streamlit.testing.v1 import AppTest

from landmarks.data.regions import Regions
from landmarks.query import filters
from landmarks.query.filter_fields import YearRange
from landmarks.query.filters import ProductFilter, apply_filter
from landmarks.ui import basemap as ui_basemap
from landmarks.ui import browser_values
from landmarks.ui.markdown import md
from tests import synthetic
from tests.helpers import headings, provenance_panel, run_app
from tests.synthetic import FAMILY, HOSTILE, PREFECTURE_ONLY, SHIYAN, XILING, YICHANG, ZIGUI

PAGE = "pages/explorer.py"
Tables = dict[str, pd.DataFrame]


def open_explorer(params: dict[str, Any] | None = None) -> AppTest:
    return run_app(PAGE, params)


@pytest.fixture
def data(db_path: Path, regions: Regions) -> Tables:
    return synthetic.install(db_path, regions)


@pytest.fixture
def explorer(data: Tables) -> AppTest:
    return open_explorer()


def table(at: AppTest) -> pd.DataFrame:
    found = [df.value for df in at.dataframe if "产品名称" in df.value.columns]
    assert len(found) == 1
    return found[0]


def shown_names(at: AppTest) -> set[str]:
    if not any("产品名称" in df.value.columns for df in at.dataframe):
        return set()
    return set(table(at)["产品名称"])


def registrations(at: AppTest) -> pd.DataFrame:
    """The product card's table of registrations, with the headers users read."""
    found = [df for df in at.dataframe if "gi_type" in df.value.columns]
    assert len(found) == 1
    labels = {"name": "登记名称", "gi_type": "类型", "number": "编号", "year": "年份"}
    config = json.loads(found[0].proto.columns)
    for column, header in labels.items():
        assert config[column]["label"] == header, config
    return found[0].value.rename(columns=labels)


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def markdown_text(at: AppTest) -> str:
    return " ".join(m.value for m in (*at.markdown, *at.caption, *at.header, *at.subheader))


def sidebar_captions(at: AppTest) -> str:
    return " ".join(c.value for c in at.sidebar.caption)


def expected(data: Tables, **criteria: Any) -> set[str]:
    """The products (families) the list shows: each with a row matching the criteria."""
    return set(apply_filter(data["products"], data["zones"], ProductFilter(**criteria))["family"])


def all_families(data: Tables) -> set[str]:
    return set(data["products"]["family"])


def choose(at: AppTest, field: filters.ChoiceField, values: list[str]) -> AppTest:
    return at.multiselect(key=field.state_key).set_value(values).run()


def copy_link(at: AppTest) -> str:
    body = next(h.proto.body for h in at.get("html") if "gi-copy-link" in h.proto.body)
    return body.split('data-url="', 1)[1].split('"', 1)[0]


# --- page and filters ---------------------------------------------------------------


def test_page_shows_everything_by_default(explorer: AppTest, data: Tables) -> None:
    assert not explorer.error
    assert explorer.title[0].value.endswith("品牌地图")
    total = len(all_families(data))
    assert total == len(data["products"]) - 1  # 恩施玉露 and 恩施玉露茶 are one product
    assert metric(explorer, "筛选结果（产品）") == f"{total} / {total}"
    assert shown_names(explorer) == all_families(data)
    assert explorer.query_params == {}
    assert any("点击地图" in info.value for info in explorer.info)
    assert "含 4 个年份不详的产品" in sidebar_captions(explorer)
    # Every count says what it counts.
    assert "选项后括号内为符合其他筛选条件的产品数（一品多标合并计）" in sidebar_captions(explorer)
    helps = {m.label: m.help for m in explorer.metric}
    assert helps["筛选结果（产品）"].startswith(
        "按产品计：同一产品的多个登记（一品多标）合并为一项"
    )
    assert f"含 {len(data['products'])} 个登记名称" in helps["筛选结果（产品）"]
    assert helps["涉及县市区"].startswith("按本县产品计")
    captions = " ".join(c.value for c in explorer.caption)
    assert "按产业链（按产品计，一品多标合并）：" in captions
    assert "柑橘 3 · " in captions and "茶叶 2 · " in captions


def test_chain_filter_updates_table_counts_and_url(explorer: AppTest, data: Tables) -> None:
    choose(explorer, filters.CHAINS, ["柑橘"])
    citrus = {"秭归脐橙", "秭归夏橙", "宜昌蜜橘"}
    assert shown_names(explorer) == expected(data, chains=("柑橘",)) == citrus
    assert metric(explorer, "筛选结果（产品）") == f"3 / {len(all_families(data))}"
    assert explorer.query_params == {"chain": "柑橘"}
    assert "已启用 1 项筛选" in sidebar_captions(explorer)


@pytest.mark.parametrize(
    ("field", "value", "criteria", "param"),
    [
        (filters.CATEGORY, ["蔬菜"], {"categories": ("蔬菜",)}, {"category": "蔬菜"}),
        (
            filters.GI_TYPE,
            ["地理标志证明商标"],
            {"gi_types": ("地理标志证明商标",)},
            {"gi_type": "地理标志证明商标"},
        ),
        (filters.PREFECTURE, [SHIYAN], {"prefectures": (SHIYAN,)}, {"prefecture": SHIYAN}),
        (filters.CONFIDENCE, ["low"], {"confidences": ("low",)}, {"confidence": "low"}),
    ],
)
def test_each_multiselect_filter(
    explorer: AppTest,
    data: Tables,
    field: filters.ChoiceField,
    value: list[str],
    criteria: dict[str, Any],
    param: dict[str, str],
) -> None:
    choose(explorer, field, value)
    wanted = expected(data, **criteria)
    assert 0 < len(wanted) < len(data["products"])
    assert shown_names(explorer) == wanted
    assert explorer.query_params == param


def test_options_without_products_are_not_offered(explorer: AppTest) -> None:
    chains = explorer.multiselect(key=filters.CHAINS.state_key)
    assert "柑橘（3）" in chains.options and "茶叶（2）" in chains.options  # families
    assert not any(option.startswith("现代种业") for option in chains.options)
    types = explorer.multiselect(key=filters.GI_TYPE.state_key).options
    assert "类型待核实（3）" in types and not any("unknown" in t or "未注明" in t for t in types)
    prefectures = explorer.multiselect(key=filters.PREFECTURE.state_key).options
    assert "十堰市（2）" in prefectures and not any(p.startswith("荆州市") for p in prefectures)


def test_a_chosen_option_without_products_stays_offered(data: Tables) -> None:
    at = open_explorer({"chain": "现代种业"})
    assert at.multiselect(key=filters.CHAINS.state_key).value == ["现代种业"]
    assert "现代种业（0）" in at.multiselect(key=filters.CHAINS.state_key).options


def test_option_counts_follow_the_other_filters(explorer: AppTest) -> None:
    prefectures = explorer.multiselect(key=filters.PREFECTURE.state_key)
    assert "武汉市（2）" in prefectures.options and "宜昌市（4）" in prefectures.options
    choose(explorer, filters.CHAINS, ["茶叶"])
    # After 茶叶, 市州 counts tea products: no tea in 武汉 or 宜昌.
    assert explorer.multiselect(key=filters.PREFECTURE.state_key).options == [
        "十堰市（1）",
        "恩施土家族苗族自治州（1）",
    ]
    # 产业链's own counts stay, so a second chain can be added.
    assert "柑橘（3）" in explorer.multiselect(key=filters.CHAINS.state_key).options
    # A chosen prefecture without tea stays chosen and says （0）.
    choose(explorer, filters.PREFECTURE, [YICHANG])
    chains = explorer.multiselect(key=filters.CHAINS.state_key)
    assert "茶叶（0）" in chains.options and "柑橘（3）" in chains.options
    assert "宜昌市（0）" in explorer.multiselect(key=filters.PREFECTURE.state_key).options
    assert explorer.multiselect(key=filters.PREFECTURE.state_key).value == [YICHANG]


def test_back_and_forward_show_the_view_of_the_link(
    explorer: AppTest, data: Tables, monkeypatch: pytest.MonkeyPatch
) -> None:
    choose(explorer, filters.CHAINS, ["茶叶"])
    choose(explorer, filters.PREFECTURE, [SHIYAN])
    explorer.selectbox(key=ui_basemap.BASEMAP).set_value("osm").run()
    assert explorer.query_params == {"chain": "茶叶", "prefecture": SHIYAN, "basemap": "osm"}
    # Back: Streamlit reruns the page with the previous entry's link, flagged as such;
    # the widgets still show the view being left.
    monkeypatch.setattr(browser_values, "history_navigation", lambda: True)
    explorer.query_params = {"chain": "茶叶", "prefecture": SHIYAN}
    explorer.run()
    assert explorer.selectbox(key=ui_basemap.BASEMAP).value == "none"
    explorer.query_params = {"chain": "茶叶"}
    explorer.run()
    assert explorer.multiselect(key=filters.PREFECTURE.state_key).value == []
    assert explorer.multiselect(key=filters.CHAINS.state_key).value == ["茶叶"]
    assert shown_names(explorer) == expected(data, chains=("茶叶",))
    assert explorer.query_params == {"chain": "茶叶"}  # written back unchanged
    # Forward, then an ordinary run: the view stays.
    explorer.query_params = {"chain": "茶叶", "prefecture": SHIYAN}
    explorer.run()
    monkeypatch.setattr(browser_values, "history_navigation", lambda: False)
    explorer.run()
    assert explorer.multiselect(key=filters.PREFECTURE.state_key).value == [SHIYAN]
    assert shown_names(explorer) == expected(data, chains=("茶叶",), prefectures=(SHIYAN,))
    assert explorer.query_params == {"chain": "茶叶", "prefecture": SHIYAN}


def test_every_list_answers_typing(explorer: AppTest) -> None:
    # Short lists too (市州 has 17 options): typing 恩施 finds 恩施土家族苗族自治州.
    for multiselect in explorer.sidebar.multiselect:
        assert multiselect.proto.filter_mode == FILTER_MODE_CONTAINS, multiselect.label


def test_prefecture_then_county_cascade(explorer: AppTest, data: Tables) -> None:
    choose(explorer, filters.PREFECTURE, [YICHANG])
    counties = explorer.multiselect(key=filters.COUNTY.state_key)
    # Every county of 宜昌 is covered by its prefecture-wide products.
    assert "秭归县（4）" in counties.options and "西陵区（2）" in counties.options
    assert "保护范围覆盖所选县" in counties.help
    counties.set_value([ZIGUI]).run()
    assert shown_names(explorer) == {"秭归脐橙", "秭归夏橙", *PREFECTURE_ONLY}
    assert explorer.query_params == {"prefecture": YICHANG, "counties": ZIGUI}
    # Choosing another prefecture drops the county that no longer belongs.
    choose(explorer, filters.PREFECTURE, [SHIYAN])
    assert explorer.multiselect(key=filters.COUNTY.state_key).value == []
    assert shown_names(explorer) == {"武当道茶", "房县香菇"}


def test_year_range_and_undated_products(explorer: AppTest, data: Tables) -> None:
    slider = explorer.slider(key=filters.YEARS.state_key)
    assert slider.value == (2006, 2020)
    slider.set_value((2006, 2012)).run()
    assert shown_names(explorer) == expected(data, years=YearRange(2006, 2012))
    assert "秭归夏橙" not in shown_names(explorer)  # no approval year known
    assert explorer.query_params == {"year": "2006-2012"}
    assert "另有 4 个年份不详的产品未显示" in sidebar_captions(explorer)
    explorer.checkbox(key=filters.YEARS.undated_state_key).check().run()
    assert {"秭归夏橙", "房县香菇"} <= shown_names(explorer)
    assert explorer.query_params == {"year": "2006-2012", "undated": "1"}
    assert "含 4 个年份不详的产品" in sidebar_captions(explorer)
    # Back to the full range: every product, the option hidden but remembered.
    explorer.slider(key=filters.YEARS.state_key).set_value((2006, 2020)).run()
    assert shown_names(explorer) == all_families(data)
    assert not any(c.key == filters.YEARS.undated_state_key for c in explorer.checkbox)
    explorer.slider(key=filters.YEARS.state_key).set_value((2010, 2020)).run()
    assert explorer.checkbox(key=filters.YEARS.undated_state_key).value is True


def test_zone_only_filter(explorer: AppTest, data: Tables) -> None:
    explorer.checkbox(key=filters.ZONE.state_key).check().run()
    assert shown_names(explorer) == expected(data, zone_only=True) == {"秭归脐橙"}
    assert explorer.query_params == {"zone": "1"}


@pytest.mark.parametrize("query", ["zgqc", "ZiGui", "zi gui", "ｚｇｑｃ", "秭归脐"])
def test_pinyin_search(explorer: AppTest, query: str) -> None:
    explorer.text_input(key=filters.SEARCH.state_key).input(query).run()
    assert "秭归脐橙" in shown_names(explorer)
    assert shown_names(explorer) <= {"秭归脐橙", "秭归夏橙"}


def test_an_empty_result_says_so_and_clears_the_filters(explorer: AppTest, data: Tables) -> None:
    explorer.text_input(key=filters.SEARCH.state_key).input("不存在的名字").run()
    assert shown_names(explorer) == set()
    assert any("没有符合当前筛选条件的产品" in info.value for info in explorer.info)
    exports = list_exports(explorer)
    assert set(exports) == set(LIST_EXPORTS)
    assert all(b.proto.disabled for b in exports.values())
    next(b for b in explorer.button if b.key == "clear_filters").click().run()
    assert shown_names(explorer) == all_families(data)
    assert explorer.query_params == {}
    assert explorer.text_input(key=filters.SEARCH.state_key).value == ""


def test_reset_clears_filters_and_selection(data: Tables) -> None:
    at = open_explorer({"product": "秭归脐橙", "chain": "柑橘", "year": "2006-2010"})
    assert "产品名片：秭归脐橙" in headings(at)
    next(b for b in at.sidebar.button if b.label == "重置筛选").click().run()
    assert shown_names(at) == all_families(data)
    assert at.query_params == {}
    assert at.slider(key=filters.YEARS.state_key).value == (2006, 2020)
    assert not any(h.startswith(("产品名片", "县域名片")) for h in headings(at))


def test_widgets_use_no_english_streamlit_texts(explorer: AppTest) -> None:
    for multiselect in explorer.multiselect:
        assert multiselect.proto.select_all == 0  # no "Select all"
        assert multiselect.placeholder
    search = explorer.text_input(key=filters.SEARCH.state_key)
    assert search.proto.live_debounce_ms > 0  # applies while typing: no "Press Enter to apply"


# --- shareable views ----------------------------------------------------------------

SHARED = {
    "q": "zigui",
    "chain": "柑橘,茶叶",
    "prefecture": YICHANG,
    "counties": ZIGUI,
    "year": "2006-2018",
    "undated": "1",
    "confidence": "high,medium",
    "product": "秭归脐橙",
    "county": ZIGUI,
}


def test_url_round_trip(data: Tables) -> None:
    at = open_explorer(SHARED)
    assert not at.warning
    assert shown_names(at) == {"秭归脐橙", "秭归夏橙"}
    assert at.query_params == SHARED
    assert "产品名片：秭归脐橙" in headings(at) and "县域名片：秭归县" in headings(at)
    # The widgets show the shared state, so the next change starts from it.
    assert at.multiselect(key=filters.CHAINS.state_key).value == ["柑橘", "茶叶"]
    assert at.slider(key=filters.YEARS.state_key).value == (2006, 2018)
    assert at.checkbox(key=filters.YEARS.undated_state_key).value is True
    # Opening the URL the page wrote reproduces the same view.
    again = open_explorer(at.query_params)
    assert shown_names(again) == shown_names(at) and headings(again) == headings(at)


def test_the_copy_link_button_carries_the_current_view(explorer: AppTest) -> None:
    assert copy_link(explorer) == "?"  # no filters yet; the browser adds its address
    choose(explorer, filters.CHAINS, ["柑橘", "茶叶"])
    link = copy_link(explorer)
    assert link == "?chain=%E6%9F%91%E6%A9%98,%E8%8C%B6%E5%8F%B6"
    assert any(
        h.proto.unsafe_allow_javascript
        for h in explorer.get("html")
        if "gi-copy-link" in h.proto.body
    )


def test_junk_parameters_show_a_notice_and_are_ignored(data: Tables) -> None:
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
    for part in ("chain=火箭", "year=abc", "prefecture=火星市", "product=不存在的产品"):
        assert md(part) in text, part
    for part in ("foo", "zone=maybe", "搜索词超过"):
        assert md(part) in text or part in text, part
    assert "<b>" not in text
    assert at.multiselect(key=filters.CHAINS.state_key).value == ["柑橘"]
    assert at.query_params == {"chain": "柑橘"}  # the cleaned URL
    assert shown_names(at) == {"秭归脐橙", "秭归夏橙", "宜昌蜜橘"}
    at.button(key="dismiss_notices").click().run()
    assert not at.warning


def test_year_outside_the_data_is_ignored_with_a_notice(data: Tables) -> None:
    at = open_explorer({"year": "1950-1960"})
    assert "超出数据的年份范围" in at.warning[0].value
    assert shown_names(at) == all_families(data)


def test_product_and_county_from_url(data: Tables) -> None:
    product = open_explorer({"product": "秭归脐橙"})
    assert headings(product)[:2] == ["产品名片：秭归脐橙", "县域名片：秭归县"]
    assert product.query_params == {"product": "秭归脐橙", "county": ZIGUI}
    county = open_explorer({"county": "秭归"})
    assert "县域名片：秭归县" in headings(county)
    assert not any(h.startswith("产品名片") for h in headings(county))


# --- cards --------------------------------------------------------------------------


def test_product_card_reads_in_chinese_with_remarks_apart(data: Tables) -> None:
    at = open_explorer({"product": "秭归脐橙"})
    card = " ".join(m.value for m in at.markdown)
    for part in ("柑橘", "可信度：高", "示范区", "媒体报道", "**保护范围**：宜昌市 · 秭归县"):
        assert part in card, part
    assert registrations(at).values.tolist() == [["秭归脐橙", "地理标志保护产品", "未注明", "2006"]]
    assert "badge[本县]" not in card  # a county-level place needs no badge
    assert "来源1 · 荆楚网（媒体报道）" in card and "来源2 · 央广网（媒体报道）" in card
    maintenance = next(e for e in at.expander if e.label == "维护说明")
    note = " ".join(m.value for m in maintenance.markdown)
    assert md("county from source") in note and md("(S2)") in note
    outside = card.replace(note, "")
    assert "S2" not in outside and "county from source" not in outside


def test_an_undated_product_card(data: Tables) -> None:
    at = open_explorer({"product": "秭归夏橙"})
    assert registrations(at)["年份"].tolist() == ["年份不详"]


def test_county_card_and_only_this_county(data: Tables) -> None:
    at = open_explorer({"county": ZIGUI})
    text = " ".join(m.value for m in at.markdown)
    assert "- **本县**（2）：秭归脐橙、秭归夏橙" in text
    assert "- **全市范围**（2）：宜昌蜜橘、宜昌天麻" in text and "跨县**" not in text
    assert metric(at, "本县产品") == "2"
    captions = " ".join(c.value for c in at.caption)
    assert (
        "本县 2 项 · 跨县 0 项 · 全市范围 2 项（全市范围指来源只注明到市州的产品，不计为本县产品）"
        in captions
    )
    next(b for b in at.button if b.key == "only_county").click().run()
    assert shown_names(at) == {"秭归脐橙", "秭归夏橙", *PREFECTURE_ONLY}
    assert at.query_params["counties"] == ZIGUI


def test_county_card_opens_a_product_card(data: Tables) -> None:
    at = open_explorer({"county": ZIGUI})
    picker = at.selectbox(key="county_card_product")
    # A short list answers typing too (it had filter_mode=None up to 12 products).
    assert picker.proto.filter_mode == FILTER_MODE_CONTAINS
    picker.select("秭归夏橙").run()
    assert headings(at)[:2] == ["产品名片：秭归夏橙", "县域名片：秭归县"]
    assert at.query_params == {"product": "秭归夏橙", "county": ZIGUI}


def test_a_prefecture_level_product_names_its_prefecture(data: Tables) -> None:
    at = open_explorer({"product": "武当道茶"})
    assert headings(at)[0] == "产品名片：武当道茶"
    assert not any(h.startswith("县域名片") for h in headings(at))
    assert "十堰市" in " ".join(m.value for m in at.markdown)


def product_cards(at: AppTest) -> list[str]:
    return [h for h in headings(at) if h.startswith("产品名片")]


@pytest.mark.parametrize("name", [FAMILY, "恩施玉露茶"])
def test_a_family_with_three_registrations_shows_one_card_with_three_rows(
    data: Tables, name: str
) -> None:
    at = open_explorer({"product": name})
    assert product_cards(at) == [f"产品名片：{FAMILY}"]
    assert registrations(at).values.tolist() == [
        [FAMILY, "农产品地理标志", "AGI00001", "2018"],
        [FAMILY, "地理标志证明商标", "10000001", "2019"],
        ["恩施玉露茶", "地理标志保护产品", "质检总局公告2014年第1号", "2014"],
    ]
    text = markdown_text(at)
    assert "**地理标志登记**（3 项）" in text
    assert "同属一个产品（一品多标）" in text
    chosen = "所选登记名称“恩施玉露茶”属于产品“恩施玉露”"
    assert (chosen in text) == (name != FAMILY)


def test_a_multi_county_product_card_shows_its_scope(data: Tables) -> None:
    at = open_explorer({"product": "武当道茶"})
    text = markdown_text(at)
    assert "**保护范围**：十堰市 · 跨 5 个县：" in text
    assert "郧阳区" in text and "（十堰市五个县区）" in text
    assert ":gray-badge[跨 5 个县]" in text


def test_a_prefecture_wide_product_card_says_so(data: Tables) -> None:
    at = open_explorer({"product": PREFECTURE_ONLY[1]})  # its research row guessed 西陵区
    assert not any(h.startswith("县域名片") for h in headings(at))
    text = markdown_text(at)
    assert "**保护范围**：宜昌市 · 全市范围（宜昌市）" in text and "西陵区" not in text
    assert ":gray-badge[全市范围]" in text


def test_the_seat_districts_card_counts_no_prefecture_wide_product_as_its_own(
    data: Tables,
) -> None:
    at = open_explorer({"county": XILING})
    assert "县域名片：西陵区" in headings(at)
    assert metric(at, "本县产品") == "0"
    text = markdown_text(at)
    assert "- **全市范围**（2）：宜昌蜜橘、宜昌天麻" in text and "**本县**" not in text
    assert "本县 0 项 · 跨县 0 项 · 全市范围 2 项" in text
    picker = at.selectbox(key="county_card_product")
    assert picker.options == ["宜昌蜜橘（全市范围）", "宜昌天麻（全市范围）"]


def test_a_county_in_a_scope_lists_it_as_shared_and_filters_to_it(data: Tables) -> None:
    at = open_explorer({"county": "420325"})  # 房县
    text = markdown_text(at)
    assert "- **本县**（1）：房县香菇" in text and "- **跨县**（1）：武当道茶" in text
    at.selectbox(key="county_card_product").select("武当道茶").run()
    assert product_cards(at) == ["产品名片：武当道茶"]
    # The county filter shows what covers the county: 武当道茶 under 郧阳区 (郧县).
    scoped = open_explorer({"counties": "420304"})
    assert shown_names(scoped) == {"武当道茶"}


# --- list modes ---------------------------------------------------------------------


def test_the_list_shows_products_or_registrations(explorer: AppTest, data: Tables) -> None:
    mode = explorer.radio(key="explorer_list_mode")
    assert mode.options == ["按产品（一品多标合并）", "按登记"]
    assert mode.value == "按产品（一品多标合并）"
    by_family = table(explorer).set_index("产品名称")
    assert by_family.loc[FAMILY, "登记名称"] == f"{FAMILY}、恩施玉露茶"
    assert by_family.loc["武当道茶", "保护范围"] == "跨 5 个县"
    assert by_family.loc["宜昌蜜橘", "县市区"] == "全市范围（宜昌市）"
    assert by_family.loc["秭归脐橙", "保护范围"] == "本县"
    mode.set_value("按登记").run()
    rows = table(explorer)
    assert len(rows) == len(data["products"]) + 1
    tea = rows[rows["产品名称"] == FAMILY]
    assert tea[["登记名称", "地理标志类型", "登记编号", "获批年份"]].values.tolist() == [
        [FAMILY, "农产品地理标志", "AGI00001", "2018"],
        [FAMILY, "地理标志证明商标", "10000001", "2019"],
        ["恩施玉露茶", "地理标志保护产品", "质检总局公告2014年第1号", "2014"],
    ]
    assert any("每行一项登记" in c.value for c in explorer.caption)
    # A type filter keeps the registrations of that type.
    choose(explorer, filters.GI_TYPE, ["地理标志证明商标"])
    assert set(table(explorer)["地理标志类型"]) == {"地理标志证明商标"}


# --- what users read ----------------------------------------------------------------


def user_strings(at: AppTest) -> str:
    """Every string of the rendered page, the 维护说明 expander's content left out."""
    parts: list[str] = []

    def walk(node: Any) -> None:
        if getattr(node, "type", None) == "expandable" and node.label == "维护说明":
            return
        proto = getattr(node, "proto", None)
        if proto is not None:
            parts.append(str(proto))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return "\n".join(parts)


def test_unknown_never_reaches_users(data: Tables) -> None:
    # The research data writes two of these products' types `unknown`.
    assert (synthetic.raw_products()["gi_type"] == "unknown").sum() == 2
    views = [open_explorer({"county": adcode}) for adcode in (XILING, "420325", ZIGUI)]
    views += [open_explorer({"product": name}) for name in data["products"]["name"]]
    registrations_view = open_explorer()
    registrations_view.radio(key="explorer_list_mode").set_value("按登记").run()
    views += [registrations_view, run_app()]
    for at in views:
        text = user_strings(at)
        assert "类型待核实" in text
        assert "unknown" not in text.lower(), headings(at)


def test_repost_sources_are_not_links(data: Tables) -> None:
    at = open_explorer({"product": "房县香菇"})
    assert "http" not in " ".join(m.value for m in at.markdown)
    assert any("无可展示的链接" in c.value for c in at.caption)


def test_output_figures_label_brand_values_and_drop_remarks(data: Tables) -> None:
    at = open_explorer({"product": "秭归脐橙"})
    outputs = next(df.value for df in at.dataframe if "value_text" in df.value.columns)
    assert {"产值/销售额", "品牌价值（非产值）"} <= set(outputs["kind"])
    assert not outputs["scope"].str.contains("reported").any()
    assert (outputs["demo"] == "").all()


# --- list and export ----------------------------------------------------------------


def test_table_reads_in_chinese(explorer: AppTest) -> None:
    shown = table(explorer).set_index("产品名称")
    assert shown.loc["秭归夏橙", "最早获批年份"] == "年份不详"
    assert shown.loc["房县香菇", "全部地理标志类型"] == "类型待核实"
    assert set(shown["可信度"]) <= {"高", "中", "低"}
    assert shown.loc["房县香菇", "来源链接"] == ""


LIST_EXPORTS = ("导出 CSV", "导出 Excel", "可打印清单（HTML，全部行）")


def list_exports(at: AppTest) -> dict[str, Any]:
    """The product list's export buttons (the share panel has downloads of its own)."""
    return {b.label: b for b in at.get("download_button") if b.label in LIST_EXPORTS}


def test_export_buttons_offer_the_filtered_list(explorer: AppTest) -> None:
    choose(explorer, filters.CHAINS, ["柑橘"])
    buttons = list_exports(explorer)
    assert set(buttons) == set(LIST_EXPORTS)
    for button in buttons.values():
        # Generated on click only, so filter reruns do not pay for the files.
        assert button.proto.HasField("deferred_file_id")
        assert not button.proto.disabled


def test_provenance_in_chinese_with_the_data_date(explorer: AppTest) -> None:
    panel = provenance_panel(explorer)
    captions = " ".join(c.value for c in panel.caption)
    assert "资料截至 2026年11月25日" in captions and "北京时间" in captions
    assert "UTC" not in captions
    sources = panel.dataframe[0].value
    assert list(sources.columns) == ["网站", "来源类型", "链接"]
    assert set(sources["来源类型"]) <= {"媒体报道", "汇编网站", "官方发布"}
    panel.toggle[0].set_value(True).run()
    panel = next(e for e in explorer.expander if e.label == "数据来源与说明")
    assert "编号" in panel.dataframe[1].value.columns


# --- escaping -----------------------------------------------------------------------


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


def test_hostile_names_are_shown_as_text(data: Tables) -> None:
    at = open_explorer({"product": HOSTILE})
    assert not at.warning
    assert f"产品名片：{md(HOSTILE)}" in headings(at)
    text = markdown_text(at)
    assert HOSTILE not in text and "<script>" not in text
    assert "\\<img src\\=x onerror\\=alert\\(1\\)\\>" in text
    assert "](javascript" not in text
    assert "%28" in text  # brackets of the source URL cannot end the Markdown link early
    # Table cells are plain values (rendered as text by the data grid).
    assert HOSTILE in shown_names(at)
    escaped_json = json.dumps(HOSTILE)[1:-1]
    assert "onerror=alert(1)>" not in every_string(at).replace(escaped_json, "").replace(
        HOSTILE, ""
    )


def test_the_public_address_round_trips_in_the_link(data: Tables) -> None:
    """A booth link carries the presenter's address (?public_url=): the session takes
    it, the page's own link keeps it; a malformed one is reported and dropped."""
    at = open_explorer({"chain": "茶叶", "public_url": "192.168.1.20:8601"})
    assert not at.exception and not at.warning
    assert at.session_state["share_public_url"] == "http://192.168.1.20:8601"
    assert at.query_params["public_url"] == "http://192.168.1.20:8601"
    choose(at, filters.CHAINS, ["柑橘"])
    assert at.query_params["public_url"] == "http://192.168.1.20:8601"  # kept on changes
    assert "public_url=http%3A%2F%2F192.168.1.20%3A8601" in copy_link(at)

    bad = open_explorer({"public_url": "http://exa mple:80"})
    assert not bad.exception
    assert md("public_url") in bad.warning[0].value and "主机名" in bad.warning[0].value
    assert "public_url" not in bad.query_params
