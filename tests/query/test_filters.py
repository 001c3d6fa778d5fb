"""The filter table: applying filters, their URL form, widget state and offered options."""

from __future__ import annotations

from dataclasses import fields

import pandas as pd
import pytest

from landmarks.data.model import GI_TYPE_UNKNOWN
from landmarks.data.regions import Regions
from landmarks.query import filters
from landmarks.query.filter_fields import YearRange
from landmarks.query.filters import (
    FILTER_FIELDS,
    ProductFilter,
    apply_filter,
    filter_from_query,
    filter_to_query,
)
from landmarks.query.search import NameIndex
from tests.synthetic import (
    FORMULA,
    HOSTILE,
    PREFECTURE_ONLY,
    SHIYAN,
    WUHAN,
    XILING,
    YICHANG,
    ZIGUI,
)

Tables = dict[str, pd.DataFrame]


def names(tables: Tables, **criteria: object) -> set[str]:
    return set(apply_filter(tables["products"], tables["zones"], ProductFilter(**criteria))["name"])


# --- the table ----------------------------------------------------------------------


def test_the_table_declares_every_filter_once() -> None:
    assert [f.attr for f in FILTER_FIELDS] == [f.name for f in fields(ProductFilter)]
    url_keys = [key for f in FILTER_FIELDS for key in f.url_keys]
    assert len(url_keys) == len(set(url_keys))
    state_keys = [f.state_key for f in FILTER_FIELDS]
    assert len(state_keys) == len(set(state_keys))
    # Keys of links already shared keep working.
    assert {"q", "chain", "category", "gi_type", "prefecture", "counties", "year"} <= set(url_keys)
    assert {"confidence", "zone"} <= set(url_keys)


# --- applying -----------------------------------------------------------------------


def test_no_filter_keeps_everything(tables: Tables) -> None:
    assert names(tables) == set(tables["products"]["name"])


def test_chain_and_category(tables: Tables) -> None:
    assert names(tables, chains=("柑橘",)) == {"秭归脐橙", "秭归夏橙", "宜昌蜜橘"}
    assert names(tables, chains=("柑橘", "茶叶")) == {
        "秭归脐橙",
        "秭归夏橙",
        "宜昌蜜橘",
        "恩施玉露",
        "恩施玉露茶",
        "武当道茶",
    }
    assert names(tables, chains=("非十大链",)) == {HOSTILE, FORMULA}
    assert names(tables, categories=("蔬菜",)) == {"房县香菇", "洪山菜薹"}


def test_gi_type_matches_any_status_a_product_holds(tables: Tables) -> None:
    # 恩施玉露's main source names 农产品地理标志; its note names a certification mark too.
    assert names(tables, gi_types=("地理标志证明商标",)) == {"恩施玉露", "洪山菜薹", "潜江龙虾"}
    assert names(tables, gi_types=(GI_TYPE_UNKNOWN,)) == {"房县香菇", "宜昌天麻", HOSTILE}


def test_prefecture_and_county(tables: Tables) -> None:
    assert names(tables, prefectures=(SHIYAN,)) == {"武当道茶", "房县香菇"}
    # A county shows the products whose area covers it: its own, a scope naming it
    # (武当道茶 covers 房县), and those known only for the whole prefecture.
    assert names(tables, prefectures=(SHIYAN,), counties=("420325",)) == {"房县香菇", "武当道茶"}
    assert names(tables, counties=("420304",)) == {"武当道茶"}  # 郧阳区, named 郧县
    assert names(tables, counties=("420302",)) == set()  # 茅箭区: outside the scope
    assert names(tables, prefectures=(YICHANG,), counties=(ZIGUI,)) == {
        "秭归脐橙",
        "秭归夏橙",
        *PREFECTURE_ONLY,
    }
    assert names(tables, counties=(XILING,)) == set(PREFECTURE_ONLY)


def test_year_range_keeps_undated_products_only_when_asked(tables: Tables) -> None:
    assert names(tables, years=YearRange(2006, 2012)) == {
        "秭归脐橙",
        "蕲艾",
        "洪山菜薹",
        "潜江龙虾",
    }
    with_undated = names(tables, years=YearRange(2006, 2012, undated=True))
    undated = {"秭归夏橙", "房县香菇", *PREFECTURE_ONLY}
    assert with_undated == {"秭归脐橙", "蕲艾", "洪山菜薹", "潜江龙虾", *undated}


def test_confidence_zone_and_search(tables: Tables) -> None:
    assert names(tables, confidences=("low",)) == {"洪山菜薹", "宜昌天麻", HOSTILE}
    assert names(tables, zone_only=True) == {"秭归脐橙"}
    assert names(tables, query="zgqc") == {"秭归脐橙"}
    assert names(tables, query=" Zi Gui ") == {"秭归脐橙", "秭归夏橙"}


def test_filters_combine_with_and(tables: Tables) -> None:
    criteria = {"chains": ("柑橘",), "query": "zigui", "years": YearRange(2000, 2025)}
    assert names(tables, **criteria) == {"秭归脐橙"}


def test_a_prebuilt_index_gives_the_same_result(tables: Tables) -> None:
    products = tables["products"]
    index = NameIndex(products["name"])
    product_filter = ProductFilter(query="xg", prefectures=(SHIYAN, WUHAN))
    assert set(apply_filter(products, tables["zones"], product_filter, index)["name"]) == {
        "房县香菇"
    }


def test_active_count() -> None:
    assert ProductFilter().active_count == 0
    assert ProductFilter(query="  ").active_count == 0
    assert ProductFilter(chains=("柑橘",), zone_only=True).active_count == 2
    assert ProductFilter(years=YearRange(2000, 2001)).active_count == 1


# --- URL ----------------------------------------------------------------------------

FULL = ProductFilter(
    query="zigui",
    chains=("柑橘", "茶叶"),
    categories=("水果",),
    gi_types=("地理标志保护产品", GI_TYPE_UNKNOWN),
    prefectures=(YICHANG,),
    counties=(ZIGUI,),
    years=YearRange(2005, 2020, undated=True),
    confidences=("high", "medium"),
    zone_only=True,
)


def test_query_round_trip(regions: Regions) -> None:
    params = filter_to_query(FULL)
    assert params["chain"] == "柑橘,茶叶" and params["year"] == "2005-2020"
    assert params["undated"] == "1"
    assert filter_from_query(params, regions) == (FULL, [])
    assert filter_to_query(ProductFilter()) == {}
    assert "undated" not in filter_to_query(ProductFilter(years=YearRange(2005, 2020)))


def test_query_accepts_names_labels_aliases_and_repeated_keys(regions: Regions) -> None:
    parsed, notices = filter_from_query(
        {
            "chain": ["柑橘", "茶叶"],
            "prefecture": "宜昌",
            "counties": "秭归县",
            "confidence": "高,Medium",
            "gi_type": "unknown,未注明",
            "year": "2010",
            "zone": "true",
        },
        regions,
    )
    assert notices == []
    assert parsed == ProductFilter(
        chains=("柑橘", "茶叶"),
        prefectures=(YICHANG,),
        counties=(ZIGUI,),
        confidences=("high", "medium"),
        gi_types=(GI_TYPE_UNKNOWN,),
        years=YearRange(2010, 2010),
        zone_only=True,
    )


def test_full_width_input_is_normalised(regions: Regions) -> None:
    parsed, notices = filter_from_query({"q": "ｚｉｇｕｉ", "year": "２０１０－２０１２"}, regions)
    assert notices == [] and parsed.query == "zigui" and parsed.years == YearRange(2010, 2012)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"chain": "火箭"}, "链接参数 chain=火箭 无效，已忽略"),
        ({"category": "<script>"}, "category=<script>"),
        ({"gi_type": "假商标"}, "gi_type=假商标"),
        ({"prefecture": "火星市"}, "prefecture=火星市"),
        ({"counties": "不存在县"}, "counties=不存在县"),
        ({"year": "abc"}, "year=abc"),
        ({"year": "2020-2010"}, "起始年份晚于结束年份"),
        ({"year": "1000-3000"}, "year=1000-3000"),
        ({"confidence": "very"}, "confidence=very"),
        ({"zone": "maybe"}, "zone=maybe"),
        ({"q": "长" * 200}, "搜索词超过"),
        ({"utm_source": "x"}, "未识别的链接参数“utm_source”"),
    ],
)
def test_junk_parameters_are_dropped_with_a_notice(
    regions: Regions, params: dict[str, str], message: str
) -> None:
    parsed, notices = filter_from_query(params, regions)
    assert parsed == ProductFilter()
    assert len(notices) == 1 and message in notices[0], notices


def test_long_bad_values_are_shortened_in_the_notice(regions: Regions) -> None:
    _, notices = filter_from_query({"chain": "火" * 100}, regions)
    assert "火" * 40 + "…" in notices[0] and "火" * 41 not in notices[0]


def test_good_values_survive_next_to_bad_ones(regions: Regions) -> None:
    parsed, notices = filter_from_query({"chain": "柑橘,火箭", "embed": "true"}, regions)
    assert parsed.chains == ("柑橘",)
    assert len(notices) == 1 and "火箭" in notices[0]


def test_county_outside_the_chosen_prefecture_is_dropped(regions: Regions) -> None:
    parsed, notices = filter_from_query({"prefecture": "武汉市", "counties": "秭归县"}, regions)
    assert parsed.counties == () and parsed.prefectures == (WUHAN,)
    assert len(notices) == 1 and "不属于所选市州（属于宜昌市）" in notices[0]


def test_other_keys_are_not_reported_as_unknown(regions: Regions) -> None:
    _, notices = filter_from_query({"product": "秭归脐橙"}, regions, other_keys=("product",))
    assert notices == []


def test_undated_without_a_year_range_is_ignored(regions: Regions) -> None:
    assert filter_from_query({"undated": "1"}, regions) == (ProductFilter(), [])


def test_years_are_fitted_to_the_data() -> None:
    bounds = (2004, 2025)
    inside = ProductFilter(years=YearRange(2000, 2010, undated=True))
    assert filters.fit_years(inside, bounds) == (
        ProductFilter(years=YearRange(2004, 2010, undated=True)),
        [],
    )
    assert filters.fit_years(ProductFilter(years=YearRange(2004, 2025)), bounds) == (
        ProductFilter(),
        [],
    )
    outside, notices = filters.fit_years(ProductFilter(years=YearRange(1950, 1960)), bounds)
    assert outside == ProductFilter()
    assert notices == ["链接参数 year=1950-1960 无效，已忽略：超出数据的年份范围（2004–2025）"]


# --- years in the data --------------------------------------------------------------


def test_year_bounds_and_undated(tables: Tables) -> None:
    products = tables["products"]
    assert filters.year_bounds(products) == (2006, 2020)
    assert filters.year_bounds(products.head(1)) is None
    assert filters.undated_count(products) == 4


def test_undated_note(tables: Tables) -> None:
    products, zones = tables["products"], tables["zones"]

    def note(**criteria: object) -> str:
        product_filter = ProductFilter(**criteria)
        filtered = apply_filter(products, zones, product_filter)
        return filters.undated_note(products, zones, product_filter, filtered)

    assert note() == "含 4 个年份不详的产品"
    assert note(chains=("柑橘",)) == "含 2 个年份不详的产品"
    assert note(chains=("茶叶",)) == ""
    assert note(years=YearRange(2006, 2010)).startswith("另有 4 个年份不详的产品未显示")
    assert note(years=YearRange(2006, 2010, undated=True)) == "含 4 个年份不详的产品"


# --- widget state -------------------------------------------------------------------


def test_widget_state_round_trip() -> None:
    bounds = (2004, 2025)
    state: dict[str, object] = {}
    for field in FILTER_FIELDS:
        state |= field.widget_values(field.value_in(FULL), bounds)
    assert state[filters.CHAINS.state_key] == ["柑橘", "茶叶"]
    assert state[filters.YEARS.state_key] == (2005, 2020)
    read = {field.attr: field.from_widgets(state, bounds) for field in FILTER_FIELDS}
    assert ProductFilter(**read) == FULL


def test_a_full_year_range_in_the_widgets_is_no_filter() -> None:
    bounds = (2004, 2025)
    state = filters.YEARS.widget_values(None, bounds)
    assert state[filters.YEARS.state_key] == bounds
    assert (
        filters.YEARS.from_widgets(state | {filters.YEARS.undated_state_key: True}, bounds) is None
    )
    assert filters.YEARS.from_widgets(state, None) is None


# --- options ------------------------------------------------------------------------


def test_options_without_products_are_not_offered(tables: Tables, regions: Regions) -> None:
    products = tables["products"]
    chains = {o.value: o.count for o in filters.CHAINS.options(products, regions)}
    # Products as users count them: 恩施玉露 and 恩施玉露茶 (one family) are one tea.
    assert chains == {
        "柑橘": 3,
        "茶叶": 2,
        "特色淡水产品": 1,
        "蔬菜": 2,
        "中药材": 2,
        "非十大链": 2,
    }
    assert "现代种业" not in chains
    types = {o.value: o.count for o in filters.GI_TYPE.options(products, regions)}
    assert types["地理标志证明商标"] == 3  # counted for each status a product holds
    assert types["地理标志保护产品"] == 3  # 恩施玉露 through its row 恩施玉露茶
    confidences = [(o.value, o.label) for o in filters.CONFIDENCE.options(products, regions)]
    assert confidences == [("high", "高"), ("medium", "中"), ("low", "低")]


def test_a_chosen_option_is_kept_even_without_products(tables: Tables, regions: Regions) -> None:
    offered = filters.CHAINS.options(tables["products"], regions, chosen=["现代种业"])
    assert next(o for o in offered if o.value == "现代种业").count == 0


def test_counties_are_narrowed_to_the_chosen_prefectures(tables: Tables, regions: Regions) -> None:
    products = tables["products"]
    everywhere = filters.COUNTY.options(products, regions)
    covered = {code for codes in products["area_adcodes"] for code in codes.split()}
    assert {o.value for o in everywhere} == covered
    assert "宜昌市 · 秭归县" in {o.label for o in everywhere}
    in_yichang = {
        o.value: o.count for o in filters.COUNTY.options(products, regions, (), (YICHANG,))
    }
    # Every county of 宜昌 has its two prefecture-wide products; 秭归 has its own two too.
    assert in_yichang[ZIGUI] == 4 and in_yichang[XILING] == 2
    assert set(in_yichang) == {
        c.adcode for c in regions.county_list if c.prefecture_adcode == YICHANG
    }


# --- counts following the other filters (faceting) ------------------------------------

ENSHI = "422800"  # 恩施土家族苗族自治州


@pytest.mark.parametrize(
    ("criteria", "field", "counts"),
    [
        # No filter: every product counts.
        ({}, filters.PREFECTURE, {WUHAN: 2, SHIYAN: 2, YICHANG: 4, ENSHI: 1}),
        # After 茶叶, 市州 counts tea products only; prefectures without tea go.
        ({"chains": ("茶叶",)}, filters.PREFECTURE, {SHIYAN: 1, ENSHI: 1}),
        # A filter's own choice does not narrow its counts: another chain can be added.
        ({"chains": ("茶叶",)}, filters.CHAINS, {"柑橘": 3, "茶叶": 2, "蔬菜": 2}),
        ({"chains": ("茶叶",)}, filters.CATEGORY, {"茶叶": 2}),
        ({"query": "zigui"}, filters.CATEGORY, {"水果": 2}),
        ({"zone_only": True}, filters.CHAINS, {"柑橘": 1}),
        ({"confidences": ("low",)}, filters.CHAINS, {"蔬菜": 1, "中药材": 1, "非十大链": 1}),
        # The counties narrow the prefectures: choosing one keeps the other prefectures.
        (
            {"prefectures": (YICHANG,), "counties": (ZIGUI,)},
            filters.PREFECTURE,
            {WUHAN: 2, SHIYAN: 2, YICHANG: 4},
        ),
        # ... while the prefecture's choice counts for the counties' other filters.
        ({"prefectures": (YICHANG,), "counties": (ZIGUI,)}, filters.CHAINS, {"柑橘": 3}),
        ({"chains": ("柑橘",)}, filters.COUNTY, {ZIGUI: 3, XILING: 1}),
        # A chosen value that no product passing the other filters has: kept, at 0.
        ({"chains": ("茶叶",), "prefectures": (YICHANG,)}, filters.PREFECTURE, {YICHANG: 0}),
        ({"chains": ("茶叶",), "prefectures": (YICHANG,)}, filters.CHAINS, {"茶叶": 0, "柑橘": 3}),
    ],
)
def test_option_counts_follow_the_other_filters(
    tables: Tables,
    regions: Regions,
    criteria: dict[str, object],
    field: filters.ChoiceField,
    counts: dict[str, int],
) -> None:
    product_filter = ProductFilter(**criteria)  # type: ignore[arg-type]
    offered = filters.option_counts(tables["products"], tables["zones"], regions, product_filter)
    got = {option.value: option.count for option in offered[field.attr]}
    assert {value: got.get(value) for value in counts} == counts
    assert all(count > 0 or value in field.value_in(product_filter) for value, count in got.items())
    # The counts are those of the products the other filters let through.
    others: dict[str, object] = {f.attr: f.value_in(product_filter) for f in FILTER_FIELDS}
    others[field.attr] = field.value_in(ProductFilter())
    if field is filters.PREFECTURE:
        others["counties"] = ()
    rest = apply_filter(tables["products"], tables["zones"], ProductFilter(**others))  # type: ignore[arg-type]
    expected = field.counts(rest)
    assert got == {value: int(expected.get(value, 0)) for value in got}


def test_every_choice_filter_has_counted_options(tables: Tables, regions: Regions) -> None:
    offered = filters.option_counts(tables["products"], tables["zones"], regions, ProductFilter())
    choices = [f.attr for f in FILTER_FIELDS if isinstance(f, filters.ChoiceField)]
    assert list(offered) == choices
    plain = filters.CHAINS.options(tables["products"], regions)
    assert offered["chains"] == plain
