"""The content of a prefecture's or a chain's one-page brief."""

from __future__ import annotations

import pandas as pd
import pytest

from landmarks.data.regions import Regions
from landmarks.query import briefs
from landmarks.query.filters import ProductFilter, apply_filter
from tests.synthetic import FAMILY, PREFECTURE_ONLY, SHIYAN, YICHANG

Tables = dict[str, pd.DataFrame]


def make(tables: Tables, regions: Regions, kind: str, key: str) -> briefs.Brief:
    return briefs.make_brief(
        kind,
        key,
        products=tables["products"],
        zones=tables["zones"],
        sites=tables["sites"],
        outputs=tables["outputs"],
        registrations=tables["registrations"],
        regions=regions,
    )


def headline(brief: briefs.Brief) -> dict[str, str]:
    return dict(brief.headline)


def test_a_prefecture_brief_lists_what_the_explorer_shows(tables: Tables, regions: Regions) -> None:
    brief = make(tables, regions, briefs.PREFECTURE, YICHANG)
    assert brief.title == "宜昌市地理标志品牌简报"
    expected = apply_filter(
        tables["products"], tables["zones"], ProductFilter(prefectures=(YICHANG,))
    )
    assert set(brief.products["name"]) == set(expected["name"])
    listed = set(brief.product_list["产品"])
    assert set(PREFECTURE_ONLY) <= listed and "秭归脐橙" in listed
    places = dict(zip(brief.product_list["产品"], brief.product_list["所在地"], strict=True))
    assert places["宜昌蜜橘"] == "全市范围（宜昌市）" and places["秭归脐橙"] == "秭归县"
    assert list(brief.zones["示范区"]) == list(
        tables["zones"].loc[tables["zones"]["prefecture_adcode"] == YICHANG, "name"]
    )
    assert list(brief.site_list["站点"]) == ["秭归脐橙文化园"]
    assert brief.places == (YICHANG,)
    # 涉及县市区 counts counties with a county-level product only (秭归县 here).
    assert headline(brief)["涉及县市区"] == "1 个"
    assert headline(brief)["地理标志产品"] == f"{len(expected)} 个"


def test_figures_carry_their_scope_and_never_demo_data(tables: Tables, regions: Regions) -> None:
    brief = make(tables, regions, briefs.PREFECTURE, YICHANG)
    figures = brief.figures
    assert not figures.empty and set(figures["产品"]) == {"秭归脐橙"}
    assert list(figures["年份"]) == ["2021", "2020", "2016"]  # newest first
    assert all(value.endswith(" 亿元") for value in figures["数值"])
    assert "40万亩；可信度中" in set(figures["口径"])
    assert not any("reported" in scope for scope in figures["口径"])  # remarks removed
    outputs = tables["outputs"].assign(is_demo=True)
    demo_only = briefs.make_brief(
        briefs.PREFECTURE,
        YICHANG,
        products=tables["products"],
        zones=tables["zones"],
        sites=tables["sites"],
        outputs=outputs,
        registrations=tables["registrations"],
        regions=regions,
    )
    assert demo_only.figures.empty


def test_a_chain_brief_counts_a_family_once(tables: Tables, regions: Regions) -> None:
    brief = make(tables, regions, briefs.CHAIN, "茶叶")
    assert brief.title == "茶叶产业链地理标志品牌简报"
    assert headline(brief)["地理标志产品"] == "2 个"  # 恩施玉露 (two names) and 武当道茶
    assert headline(brief)["登记名称"] == "3 个"
    listed = list(brief.product_list["产品"])
    assert f"{FAMILY}（含恩施玉露茶）" in listed
    wudang = brief.product_list.loc[brief.product_list["产品"] == "武当道茶"].iloc[0]
    assert wudang["所在地"].startswith("跨 5 个县")
    assert brief.places == ()
    assert brief.zones.empty and brief.site_list.empty


def test_subjects_offer_only_what_has_products(tables: Tables, regions: Regions) -> None:
    prefectures = briefs.subjects(tables["products"], regions, briefs.PREFECTURE)
    assert prefectures[YICHANG] == "宜昌市" and prefectures[SHIYAN] == "十堰市"
    assert "420600" not in prefectures  # 襄阳市 has no synthetic product
    chains = briefs.subjects(tables["products"], regions, briefs.CHAIN)
    assert list(chains)[:3] == ["特色淡水产品", "蔬菜", "茶叶"]  # the chains' order
    with pytest.raises(ValueError):
        briefs.subjects(tables["products"], regions, "county")


def test_unknown_subjects_are_errors(tables: Tables, regions: Regions) -> None:
    with pytest.raises(KeyError):
        make(tables, regions, briefs.CHAIN, "不是产业链")
    with pytest.raises(ValueError):
        make(tables, regions, "county", YICHANG)
    assert briefs.brief_title(briefs.CHAIN, "非十大链") == "非十大链地理标志品牌简报"
