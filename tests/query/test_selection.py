"""The selection (product and county cards) in a shared link."""

from __future__ import annotations

import pandas as pd

from landmarks.data.regions import Regions
from landmarks.query.selection import Selection, selection_from_query, selection_to_query
from tests.synthetic import HOSTILE, ZIGUI


def test_a_product_link_selects_the_product_and_its_county(
    tables: dict[str, pd.DataFrame], regions: Regions
) -> None:
    products = tables["products"]
    assert selection_from_query({"product": "秭归脐橙"}, products, regions) == (
        Selection("秭归脐橙", ZIGUI),
        [],
    )
    # Known only for its prefecture: no county card.
    assert selection_from_query({"product": "武当道茶"}, products, regions) == (
        Selection("武当道茶", None),
        [],
    )
    assert selection_from_query({"product": HOSTILE}, products, regions)[0].product == HOSTILE


def test_a_county_link_accepts_names_as_users_write_them(
    tables: dict[str, pd.DataFrame], regions: Regions
) -> None:
    for written in ("秭归", "宜昌市秭归县", ZIGUI, " 秭归县 "):
        assert selection_from_query({"county": written}, tables["products"], regions) == (
            Selection(None, ZIGUI),
            [],
        )


def test_unknown_names_are_dropped_with_notices(
    tables: dict[str, pd.DataFrame], regions: Regions
) -> None:
    chosen, notices = selection_from_query(
        {"product": "不存在的产品", "county": "火星县"}, tables["products"], regions
    )
    assert chosen == Selection()
    assert notices[0] == "链接参数 product=不存在的产品 无效，已忽略：未找到该地理标志产品"
    assert notices[1].startswith("链接参数 county=火星县 无效，已忽略：未找到县级行政区")


def test_the_last_of_repeated_values_counts(
    tables: dict[str, pd.DataFrame], regions: Regions
) -> None:
    chosen, _ = selection_from_query({"product": ["蕲艾", "秭归脐橙"]}, tables["products"], regions)
    assert chosen == Selection("秭归脐橙", ZIGUI)


def test_counties_unknown_to_the_boundaries_are_not_selected(
    tables: dict[str, pd.DataFrame], regions: Regions
) -> None:
    products = tables["products"]
    foreign = products.head(1).assign(name="外省产品", county_adcode="110101")
    frame = pd.concat([products, foreign], ignore_index=True)
    assert selection_from_query({"product": "外省产品"}, frame, regions)[0] == Selection(
        "外省产品", None
    )


def test_selection_to_query() -> None:
    assert selection_to_query(Selection("秭归脐橙", ZIGUI)) == {
        "product": "秭归脐橙",
        "county": ZIGUI,
    }
    assert selection_to_query(Selection()) == {}
