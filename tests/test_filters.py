"""Explorer filters, their URL form, and map-click / URL selection of cards."""

from __future__ import annotations

import time

import pandas as pd
import pytest

from landmarks.data import storage
from landmarks.data.regions import Regions
from landmarks.query.filters import (
    ProductFilter,
    apply_filter,
    filter_from_query,
    filter_to_query,
    zone_products,
)
from landmarks.query.search import NameIndex
from landmarks.query.selection import (
    MapClick,
    Selection,
    click_from_map,
    product_in_tooltip,
    resolve_click,
    selection_from_query,
    selection_to_query,
)

ZIGUI = "420527"
YICHANG = "420500"


@pytest.fixture(scope="module")
def seed(regions: Regions) -> dict[str, pd.DataFrame]:
    frames = storage.seed_frames(regions)
    frames["products"]["year"] = frames["products"]["year"].astype("Int64")
    return frames


@pytest.fixture(scope="module")
def products(seed: dict[str, pd.DataFrame]) -> pd.DataFrame:
    return seed["products"]


@pytest.fixture(scope="module")
def zones(seed: dict[str, pd.DataFrame]) -> pd.DataFrame:
    return seed["zones"]


def run(products: pd.DataFrame, zones: pd.DataFrame, **kwargs: object) -> pd.DataFrame:
    return apply_filter(products, zones, ProductFilter(**kwargs))


def test_no_filter_keeps_everything(products: pd.DataFrame, zones: pd.DataFrame) -> None:
    assert len(run(products, zones)) == len(products) == 145


def test_chain_filter(products: pd.DataFrame, zones: pd.DataFrame) -> None:
    result = run(products, zones, chains=("柑橘", "茶叶"))
    assert set(result["chain"]) == {"柑橘", "茶叶"}
    assert len(result) == int(products["chain"].isin(["柑橘", "茶叶"]).sum())
    assert "秭归脐橙" in set(result["name"]) and "恩施玉露" in set(result["name"])


def test_non_chain_filter(products: pd.DataFrame, zones: pd.DataFrame) -> None:
    result = run(products, zones, chains=("非十大链",))
    assert len(result) == 38 and set(result["chain"]) == {"非十大链"}


def test_category_filter(products: pd.DataFrame, zones: pd.DataFrame) -> None:
    result = run(products, zones, categories=("中药材",))
    assert len(result) > 0 and set(result["category"]) == {"中药材"}


def test_gi_type_filter_matches_any_status_a_product_holds(
    products: pd.DataFrame, zones: pd.DataFrame
) -> None:
    result = run(products, zones, gi_types=("地理标志证明商标",))
    # 蕲艾's main source calls it a protected product; its note names a trademark too.
    assert "蕲艾" in set(result["name"])
    assert result["gi_types"].str.split("；").map(lambda t: "地理标志证明商标" in t).all()
    protected = run(products, zones, gi_types=("地理标志保护产品",))
    assert "英山云雾茶" in set(protected["name"])


def test_prefecture_and_county_filters(products: pd.DataFrame, zones: pd.DataFrame) -> None:
    yichang = run(products, zones, prefectures=(YICHANG,))
    assert set(yichang["prefecture"]) == {"宜昌市"}
    zigui = run(products, zones, prefectures=(YICHANG,), counties=(ZIGUI,))
    assert set(zigui["name"]) == {"秭归脐橙", "秭归夏橙"}
    assert len(zigui) < len(yichang)


def test_year_range_excludes_unknown_years(products: pd.DataFrame, zones: pd.DataFrame) -> None:
    result = run(products, zones, years=(2006, 2010))
    assert result["year"].between(2006, 2010).all()
    assert "秭归脐橙" in set(result["name"])  # 2006
    assert "秭归夏橙" not in set(result["name"])  # year unknown
    expected = products["year"].between(2006, 2010).fillna(False).sum()
    assert len(result) == expected


def test_confidence_filter(products: pd.DataFrame, zones: pd.DataFrame) -> None:
    result = run(products, zones, confidences=("low",))
    assert len(result) == 17 and set(result["confidence"]) == {"low"}


def test_zone_only(products: pd.DataFrame, zones: pd.DataFrame) -> None:
    result = run(products, zones, zone_only=True)
    assert set(result["name"]) == zone_products(zones)
    assert {"秭归脐橙", "潜江龙虾", "蕲艾"} <= set(result["name"])


def test_search_filter_uses_pinyin(products: pd.DataFrame, zones: pd.DataFrame) -> None:
    assert set(run(products, zones, query="zgqc")["name"]) == {"秭归脐橙"}
    assert set(run(products, zones, query=" Zi Gui ")["name"]) == {"秭归脐橙", "秭归夏橙"}


def test_filters_combine_with_and(products: pd.DataFrame, zones: pd.DataFrame) -> None:
    result = run(products, zones, chains=("柑橘",), query="zigui", years=(2000, 2025))
    assert set(result["name"]) == {"秭归脐橙"}


def test_active_count() -> None:
    assert ProductFilter().active_count == 0
    assert ProductFilter(chains=("柑橘",), zone_only=True).active_count == 2


# --- URL -----------------------------------------------------------------------------

FULL = ProductFilter(
    query="zigui",
    chains=("柑橘", "茶叶"),
    categories=("水果",),
    gi_types=("地理标志保护产品",),
    prefectures=(YICHANG,),
    counties=(ZIGUI,),
    years=(2005, 2020),
    confidences=("high", "medium"),
    zone_only=True,
)


def test_query_round_trip(regions: Regions) -> None:
    params = filter_to_query(FULL)
    assert params["chain"] == "柑橘,茶叶" and params["year"] == "2005-2020"
    parsed, notices = filter_from_query(params, regions)
    assert parsed == FULL and notices == []
    assert filter_to_query(ProductFilter()) == {}


def test_query_accepts_names_labels_and_repeated_keys(regions: Regions) -> None:
    parsed, notices = filter_from_query(
        {
            "chain": ["柑橘", "茶叶"],
            "prefecture": "宜昌",
            "counties": "秭归县",
            "confidence": "高,中",
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
        years=(2010, 2010),
        zone_only=True,
    )


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"chain": "火箭"}, "chain=火箭"),
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
        ({"utm_source": "x"}, "utm_source"),
    ],
)
def test_junk_parameters_are_dropped_with_a_notice(
    regions: Regions, params: dict[str, str], message: str
) -> None:
    parsed, notices = filter_from_query(params, regions)
    assert parsed == ProductFilter()
    assert len(notices) == 1 and message in notices[0], notices


def test_good_values_survive_next_to_bad_ones(regions: Regions) -> None:
    parsed, notices = filter_from_query({"chain": "柑橘,火箭", "embed": "true"}, regions)
    assert parsed.chains == ("柑橘",)
    assert len(notices) == 1 and "火箭" in notices[0]


def test_county_outside_the_chosen_prefecture_is_dropped(regions: Regions) -> None:
    parsed, notices = filter_from_query({"prefecture": "武汉市", "counties": "秭归县"}, regions)
    assert parsed.counties == () and parsed.prefectures == ("420100",)
    assert "不属于所选市州" in notices[0]


def test_selection_keys_are_not_reported_as_unknown(regions: Regions) -> None:
    _, notices = filter_from_query({"product": "秭归脐橙"}, regions, other_keys=("product",))
    assert notices == []


def test_filtering_ten_thousand_products_is_fast(
    products: pd.DataFrame, zones: pd.DataFrame
) -> None:
    big = pd.concat([products] * 70, ignore_index=True)
    big["name"] = big["name"] + pd.Series(range(len(big))).astype(str)
    assert len(big) >= 10_000
    index = NameIndex(big["name"])
    product_filter = ProductFilter(
        query="zg",
        chains=("柑橘", "茶叶", "蔬菜"),
        gi_types=("地理标志保护产品",),
        years=(2005, 2020),
        confidences=("high", "medium"),
        zone_only=False,
        prefectures=(YICHANG, "420100", "422800"),
    )
    apply_filter(big, zones, product_filter, index)  # warm up
    start = time.perf_counter()
    result = apply_filter(big, zones, product_filter, index)
    elapsed = time.perf_counter() - start
    assert 0 < len(result) < len(big)
    assert elapsed < 0.1, f"{elapsed * 1000:.0f} ms"


# --- selection -----------------------------------------------------------------------


def test_click_from_map() -> None:
    value = {
        "last_object_clicked": {"lat": 30.8, "lng": 110.9},
        "last_object_clicked_tooltip": "秭归脐橙｜柑橘｜秭归县",
        "last_object_clicked_count": 3,
    }
    assert click_from_map(value) == MapClick(30.8, 110.9, "秭归脐橙｜柑橘｜秭归县", 3)
    assert click_from_map(None) is None
    assert click_from_map({"last_object_clicked": None}) is None
    assert click_from_map({"last_object_clicked": {"lat": "x", "lng": 1}}) is None
    assert click_from_map({"last_object_clicked": {"lat": float("nan"), "lng": 1}}) is None


def test_product_in_tooltip() -> None:
    names = {"秭归脐橙", "A｜B"}
    assert product_in_tooltip("秭归脐橙｜柑橘｜秭归县", names) == "秭归脐橙"
    assert product_in_tooltip("A｜B｜非十大链｜宜昌市", names) == "A｜B"
    assert product_in_tooltip("县市区\t秭归县\n所属市州\t宜昌市", names) is None
    assert product_in_tooltip("秭归脐橙园｜文创美食品鉴馆", names) is None


def test_clicking_a_product_selects_it_and_its_county(
    products: pd.DataFrame, regions: Regions
) -> None:
    row = products[products["name"] == "秭归脐橙"].iloc[0]
    click = MapClick(row["lat"], row["lon"], "秭归脐橙｜柑橘｜秭归县")
    assert resolve_click(click, products, regions) == Selection("秭归脐橙", ZIGUI)


def test_clicking_a_multi_county_product_selects_no_county(
    products: pd.DataFrame, regions: Regions
) -> None:
    click = MapClick(30.0, 112.2, "荆州鱼糕｜特色淡水产品｜荆州市")
    assert resolve_click(click, products, regions) == Selection("荆州鱼糕", None)


def test_clicking_a_county_selects_the_county_under_the_click(
    products: pd.DataFrame, regions: Regions
) -> None:
    point = regions.geometry(ZIGUI).representative_point()
    click = MapClick(point.y, point.x, "县市区 秭归县 所属市州 宜昌市")
    assert resolve_click(click, products, regions) == Selection(None, ZIGUI)
    site_click = MapClick(point.y, point.x, "某站点｜主题景区")
    assert resolve_click(site_click, products, regions) == Selection(None, ZIGUI)
    outside = MapClick(39.9, 116.4, "北京")
    assert resolve_click(outside, products, regions) is None


def test_selection_from_query(products: pd.DataFrame, regions: Regions) -> None:
    assert selection_from_query({"product": "秭归脐橙"}, products, regions) == (
        Selection("秭归脐橙", ZIGUI),
        [],
    )
    assert selection_from_query({"county": "秭归"}, products, regions) == (
        Selection(None, ZIGUI),
        [],
    )
    chosen, notices = selection_from_query(
        {"product": "<img src=x>", "county": "火星县"}, products, regions
    )
    assert chosen == Selection() and len(notices) == 2
    assert "未找到该地理标志产品" in notices[0] and "county=火星县" in notices[1]
    assert selection_to_query(Selection("秭归脐橙", ZIGUI)) == {
        "product": "秭归脐橙",
        "county": ZIGUI,
    }


def test_counties_unknown_to_the_boundaries_are_not_selected(
    products: pd.DataFrame, regions: Regions
) -> None:
    foreign = products.head(1).assign(name="外省产品", county_adcode="110101")
    frame = pd.concat([products, foreign], ignore_index=True)
    assert resolve_click(MapClick(39.9, 116.4, "外省产品｜柑橘｜东城区"), frame, regions) == (
        Selection("外省产品", None)
    )
    assert selection_from_query({"product": "外省产品"}, frame, regions)[0] == Selection(
        "外省产品", None
    )
