"""Product and site rows for the browser: one field order, display values in Chinese."""

from __future__ import annotations

import json

import pandas as pd

from landmarks.data.chains import CHAINS
from landmarks.data.regions import Regions
from landmarks.maps.rows import PRODUCT_FIELDS, PRODUCT_POPUP, SITE_FIELDS, is_wide, map_rows
from tests.synthetic import PREFECTURE_ONLY, WUDANG_SCOPE, YICHANG


def products() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "name": ["秭归脐橙", "<b>x</b>", "无年份"],
            "chain": ["柑橘", "不在链上", "茶叶"],
            "prefecture": ["宜昌市", "宜昌市", "恩施土家族苗族自治州"],
            "county": ["秭归县", "", "利川市"],
            "category": ["水果", "其他", "茶叶"],
            "gi_types": ["地理标志保护产品", "类型待核实", "农产品地理标志"],
            "year": pd.array([2006, 2010, None], dtype="Int64"),
            "confidence": ["high", "medium", "low"],
            "precision": ["county", "prefecture", "county"],
            "area_level": ["county", "prefecture", "county"],
            "area_adcodes": ["420527", "420502 420503", "422802"],
            "scope_note": ["", "", ""],
            "lat": [30.8312345678, 30.7, 30.3],
            "lon": [110.9812345678, 111.3, 108.9],
        }
    )


def sites() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "name": ["屈原故里"],
            "site_type": ["主题景区"],
            "products": [""],
            "prefecture": ["宜昌市"],
            "county": ["秭归县"],
            "place": ["茅坪镇"],
            "status": ["已建成"],
            "precision": ["point"],
            "lat": [30.82],
            "lon": [111.0],
        }
    )


def decoded() -> dict:
    return json.loads(map_rows(products(), sites()))


def test_rows_follow_the_declared_field_order() -> None:
    document = decoded()["products"]
    assert document["fields"] == list(PRODUCT_FIELDS)
    first = dict(zip(document["fields"], document["rows"][0], strict=True))
    assert first["name"] == "秭归脐橙"
    assert first["lat"] == 30.83123 and first["lon"] == 110.98123
    assert first["place"] == "宜昌市 秭归县"
    assert document["chains"][first["chain"]][0] == "柑橘"
    assert first["confidence"] == "高" and first["precision"] == "县级示意位置"


def test_unknown_chain_undated_and_prefecture_only_rows() -> None:
    rows = decoded()["products"]["rows"]
    fields = list(PRODUCT_FIELDS)
    second = dict(zip(fields, rows[1], strict=True))
    assert second["chain"] == len(CHAINS) - 1  # the 非十大链 group
    assert second["place"] == "宜昌市"
    assert dict(zip(fields, rows[2], strict=True))["year"] == "未注明"


def test_names_stay_raw_text_for_the_browser_to_escape() -> None:
    # The script escapes every value it puts in HTML; the file must not double-escape.
    assert decoded()["products"]["rows"][1][PRODUCT_FIELDS.index("name")] == "<b>x</b>"


def test_popups_are_labelled_in_chinese_and_sites_are_included() -> None:
    document = decoded()
    assert document["products"]["popup_labels"] == list(PRODUCT_POPUP.values())
    site = dict(zip(SITE_FIELDS, document["sites"]["rows"][0], strict=True))
    assert site["products"] == "未注明" and site["place"] == "宜昌市 秭归县 茅坪镇"
    assert site["precision"] == "精确位置"


def rows_by_name(tables: dict[str, pd.DataFrame]) -> dict[str, dict]:
    document = json.loads(map_rows(tables["products"], tables["sites"]))["products"]
    return {
        row[PRODUCT_FIELDS.index("name")]: dict(zip(document["fields"], row, strict=True))
        for row in document["rows"]
    }


def test_a_multi_county_product_carries_its_counties_and_reach(
    tables: dict[str, pd.DataFrame],
) -> None:
    wudang = rows_by_name(tables)["武当道茶"]
    assert set(wudang["area_adcodes"].split()) == set(WUDANG_SCOPE)  # 郧县 as 郧阳区
    assert wudang["area"] == f"跨 {len(WUDANG_SCOPE)} 个县"
    assert wudang["scope"] == f"跨 {len(WUDANG_SCOPE)} 个县（十堰市五个县区）"
    assert wudang["place"] == "十堰市"  # no county of its own
    assert wudang["precision"] == "跨县区域示意位置"


def test_prefecture_products_cover_the_whole_prefecture(
    tables: dict[str, pd.DataFrame], regions: Regions
) -> None:
    rows = rows_by_name(tables)
    yichang = {county.adcode for county in regions.counties_of(YICHANG)}
    for name in PREFECTURE_ONLY:
        assert rows[name]["area"] == "全市范围", name
        assert set(rows[name]["area_adcodes"].split()) == yichang, name
        assert rows[name]["place"] == "宜昌市", name  # not the seat district (西陵区)


def test_county_products_name_no_area_beyond_their_county(
    tables: dict[str, pd.DataFrame],
) -> None:
    products = tables["products"]
    rows = rows_by_name(tables)
    wide = set(products.loc[is_wide(products), "name"])
    assert wide == {"武当道茶", *PREFECTURE_ONLY}
    for name in set(products["name"]) - wide:
        assert rows[name]["area"] == "" and rows[name]["area_adcodes"] == "", name
        assert rows[name]["scope"] == "本县", name


def test_popups_show_the_scope() -> None:
    document = decoded()["products"]
    assert PRODUCT_POPUP["scope"] == "保护范围" and "scope" in document["popup_fields"]
    second = dict(zip(PRODUCT_FIELDS, document["rows"][1], strict=True))
    assert second["area"] == "全市范围" and second["area_adcodes"] == "420502 420503"
