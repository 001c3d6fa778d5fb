"""Industry-chain rules (十大农业产业链) applied to products."""

from __future__ import annotations

import pytest

from landmarks import i18n
from landmarks.data.chains import CHAIN_NAMES, NON_CHAIN, assign_chain


@pytest.mark.parametrize(
    ("category", "name", "chain"),
    [
        ("茶叶", "赤壁米砖茶", "茶叶"),
        ("水果", "秭归脐橙", "柑橘"),
        ("水果", "罗田甜柿", NON_CHAIN),
        ("粮油", "京山桥米", "优质稻米"),
        ("粮油", "襄阳油菜籽", "菜籽油"),
        ("粮油", "沼山茶油", NON_CHAIN),
        ("酒", "孝感米酒", "优质稻米"),
        ("加工食品", "荆州鱼糕", "特色淡水产品"),
        ("加工食品", "宜城松花皮蛋", "家禽及蛋制品"),
        ("畜禽", "郧西马头山羊", NON_CHAIN),
        ("工艺品", "武汉汉绣", NON_CHAIN),
    ],
)
def test_chain_rules(category: str, name: str, chain: str) -> None:
    assert assign_chain(category, name)[0] == chain
    assert chain in CHAIN_NAMES


def test_chain_names_and_bases_are_stored_in_chinese_and_shown_in_english() -> None:
    english = i18n.catalog(i18n.ENGLISH)
    assert all(english.get(name) for name in CHAIN_NAMES)
    assert assign_chain("茶叶", "恩施玉露") == ("茶叶", "按品类")
    with i18n.language(i18n.ENGLISH):
        chain, basis = assign_chain("酒", "孝感米酒")
        assert (chain, basis) == ("优质稻米", "按主要原料")  # stored values stay Chinese
        assert (i18n.t(chain), i18n.t(basis)) == ("Quality rice", "By main raw material")
        assert i18n.t(NON_CHAIN) == "Outside the ten chains"
