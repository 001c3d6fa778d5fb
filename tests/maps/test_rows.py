"""Product and site rows for the browser: one field order, display values in Chinese."""

from __future__ import annotations

import json

import pandas as pd

from landmarks.data.chains import CHAINS
from landmarks.maps.rows import PRODUCT_FIELDS, PRODUCT_POPUP, SITE_FIELDS, map_rows


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
