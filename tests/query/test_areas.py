"""Protection areas: labels, membership and the 本县 / 跨县 / 全市范围 groups of a county."""

from __future__ import annotations

import pandas as pd
import pytest

from landmarks.data.regions import Regions
from landmarks.query import areas
from tests.synthetic import PREFECTURE_ONLY, SHIYAN, WUDANG_SCOPE, XILING, YICHANG, ZIGUI

Tables = dict[str, pd.DataFrame]
FANGXIAN = "420325"  # 房县: its own 房县香菇, and inside 武当道茶's scope


@pytest.mark.parametrize(
    ("level", "n", "label"),
    [("county", 1, "本县"), ("counties", 5, "跨 5 个县"), ("prefecture", 13, "全市范围")],
)
def test_area_label(level: str, n: int, label: str) -> None:
    assert areas.area_label(level, n) == label


def test_area_labels_and_texts_of_the_products(tables: Tables, regions: Regions) -> None:
    products = tables["products"].set_index("name", drop=False)
    labels = areas.area_labels(products)
    texts = areas.area_texts(products, areas.county_names(regions))
    assert labels["秭归脐橙"] == "本县" and texts["秭归脐橙"] == "秭归县"
    assert labels["武当道茶"] == f"跨 {len(WUDANG_SCOPE)} 个县"
    wudang = texts["武当道茶"]
    assert wudang.startswith(f"跨 {len(WUDANG_SCOPE)} 个县：")
    assert set(wudang.split("：", 1)[1].split("、")) == set(WUDANG_SCOPE.values())
    for name in PREFECTURE_ONLY:
        assert labels[name] == "全市范围" and texts[name] == "全市范围（宜昌市）"


def test_a_long_scope_is_shortened(regions: Regions) -> None:
    yichang = [c.adcode for c in regions.county_list if c.prefecture_adcode == YICHANG]
    text = areas.area_text("counties", " ".join(yichang), "", "宜昌市", areas.county_names(regions))
    assert text.startswith(f"跨 {len(yichang)} 个县：") and text.endswith("等")
    assert text.count("、") == areas.MAX_LISTED_COUNTIES - 1


def test_covers_tests_whole_adcodes(tables: Tables) -> None:
    products = tables["products"].set_index("name", drop=False)
    covered = areas.covers(products, ["420304"])  # 郧阳区, written 郧县 in the scope
    assert set(products.index[covered]) == {"武当道茶"}
    assert not areas.covers(products, ["4203"]).any()  # a prefix is not a county
    assert not areas.covers(products, []).any()


def test_products_covering_a_county_are_grouped(tables: Tables) -> None:
    covering = areas.products_covering(tables["products"], FANGXIAN)
    assert list(zip(covering["name"], covering["area_group"], strict=True)) == [
        ("房县香菇", "本县"),
        ("武当道茶", "跨县"),
    ]
    counts = areas.group_counts(covering)
    assert counts == {"本县": 1, "跨县": 1, "全市范围": 0}
    assert areas.group_counts_text(counts) == (
        "本县 1 项 · 跨县 1 项 · 全市范围 0 项（全市范围指来源只注明到市州的产品，不计为本县产品）"
    )


def test_prefecture_only_products_are_never_the_seat_districts_own(tables: Tables) -> None:
    products = tables["products"]
    # 宜昌天麻's research row guessed 西陵区 (the seat) as its county; its area is 宜昌市.
    seat = areas.products_covering(products, XILING)
    assert set(seat["name"]) == set(PREFECTURE_ONLY)
    assert set(seat["area_group"]) == {"全市范围"}
    assert areas.group_counts(seat) == {"本县": 0, "跨县": 0, "全市范围": 2}
    # …nor any other county's: in every county of the prefecture they are 全市范围.
    for adcode in (
        products.loc[products["name"] == PREFECTURE_ONLY[0], "area_adcodes"].iloc[0].split()
    ):
        covering = areas.products_covering(products, adcode)
        own = set(covering.loc[covering["area_group"] == "本县", "name"])
        assert not own & set(PREFECTURE_ONLY), adcode
    zigui = areas.products_covering(products, ZIGUI)
    assert areas.group_counts(zigui) == {"本县": 2, "跨县": 0, "全市范围": 2}


def test_group_counts_count_each_unit_once_in_its_most_precise_group() -> None:
    covering = pd.DataFrame(
        {
            "family": ["甲", "甲", "乙"],
            "area_group": ["全市范围", "本县", "全市范围"],
        }
    )
    assert areas.group_counts(covering, unit="family") == {"本县": 1, "跨县": 0, "全市范围": 1}


def test_a_county_outside_every_area_has_nothing(tables: Tables) -> None:
    covering = areas.products_covering(tables["products"], "420302")  # 茅箭区, 十堰's seat
    assert covering.empty and list(covering.columns)[-1] == "area_group"
    # 十堰's only wide product names its scope: no 十堰 product is 全市范围.
    shiyan = tables["products"][tables["products"]["prefecture_adcode"] == SHIYAN]
    assert "prefecture" not in set(shiyan["area_level"])
