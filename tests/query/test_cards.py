"""What the product and county cards hold: Chinese labels, showable links, remarks apart."""

from __future__ import annotations

import pandas as pd
import pytest

from landmarks.data.regions import Regions
from landmarks.query.areas import county_names
from landmarks.query.cards import (
    BRAND_VALUE_KIND,
    DEMO_LABEL,
    OUTPUT_KIND,
    CountyCard,
    ProductCard,
    county_card,
    product_card,
    source_links,
)
from tests.synthetic import (
    FAMILY,
    PREFECTURE_ONLY,
    REPOST_NOTE,
    SHIYAN,
    WUDANG_SCOPE,
    XILING,
    YICHANG,
    ZIGUI,
    ZIGUI_NEWS,
    ZIGUI_RADIO,
)

Tables = dict[str, pd.DataFrame]


def card_of(tables: Tables, name: str, regions: Regions | None = None) -> ProductCard:
    return product_card(
        name,
        products=tables["products"],
        zones=tables["zones"],
        sites=tables["sites"],
        outputs=tables["outputs"],
        sources=tables["sources"],
        registrations=tables["registrations"],
        county_names=county_names(regions) if regions else None,
    )


def county_of(tables: Tables, adcode: str, name: str, prefecture: str, pref: str) -> CountyCard:
    return county_card(
        adcode,
        name,
        prefecture,
        pref,
        products=tables["products"],
        zones=tables["zones"],
        sites=tables["sites"],
        outputs=tables["outputs"],
    )


def test_product_card_in_chinese(tables: Tables) -> None:
    card = card_of(tables, "秭归脐橙")
    assert (card.chain, card.chain_basis, card.county_adcode) == ("柑橘", "按品类", ZIGUI)
    assert card.year == 2006
    assert (card.confidence_label, card.precision_label) == ("高", "县级示意位置")
    assert card.source_type_label == "媒体报道"
    assert card.gi_types == ("地理标志保护产品",)
    assert list(card.zones["name"]) == ["秭归脐橙国家地理标志产品保护示范区"]
    assert list(card.sites["name"]) == ["秭归脐橙文化园"]


def test_source_links_are_numbered_and_named_by_site_never_by_id(tables: Tables) -> None:
    card = card_of(tables, "秭归脐橙")
    # Main source, the valid other URL (the note's S2 is the same page: listed once).
    assert [(s.label, s.url) for s in card.sources] == [
        ("来源1 · 荆楚网（媒体报道）", ZIGUI_NEWS),
        ("来源2 · 央广网（媒体报道）", ZIGUI_RADIO),
    ]
    for link in card.sources:
        assert "S2" not in link.label and "http" not in link.label


def test_sources_cited_in_a_note_are_linked_when_showable(tables: Tables) -> None:
    # A repost product: its own link is never shown; the aggregator its note cites is.
    links = source_links("", "", "repost", REPOST_NOTE, tables["sources"])
    assert [(s.label, s.url) for s in links] == [
        ("来源1 · example.org（汇编网站）", "http://example.org/aggregator")
    ]
    assert source_links("http://x.org/a", "", "repost") == ()
    assert source_links("ftp://x.org/a", "", "media") == ()


def test_research_remarks_stay_in_the_maintainer_note(tables: Tables) -> None:
    card = card_of(tables, "秭归脐橙")
    assert card.maintainer_note == "2006-06-20 质检总局GI保护 (S2); county from source"
    scopes = set(card.outputs["scope"])
    assert "30万亩" in scopes and not any("reported" in scope for scope in scopes)


def test_outputs_are_labelled_by_kind(tables: Tables) -> None:
    outputs = card_of(tables, "秭归脐橙").outputs
    kinds = dict(zip(outputs["metric"], outputs["kind"], strict=True))
    assert kinds == {"年产值": OUTPUT_KIND, "品牌价值(非产值)": BRAND_VALUE_KIND}
    assert set(outputs["demo"]) == {""}
    assert set(outputs["source"]) == {ZIGUI_NEWS}


def test_demo_figures_are_flagged(tables: Tables) -> None:
    outputs = tables["outputs"].copy()
    outputs.loc[0, "is_demo"] = True
    card = card_of(tables | {"outputs": outputs}, "秭归脐橙")
    assert sorted(card.outputs["demo"]) == ["", "", DEMO_LABEL]


def test_unknown_product_raises(tables: Tables) -> None:
    with pytest.raises(KeyError):
        card_of(tables, "不存在的产品")


def test_a_family_with_three_registrations_shows_one_card_with_three_rows(
    tables: Tables,
) -> None:
    cards = [card_of(tables, name) for name in (FAMILY, "恩施玉露茶")]
    for card in cards:
        assert card.family == FAMILY
        assert card.registrations.to_dict("list") == {
            "name": [FAMILY, FAMILY, "恩施玉露茶"],
            "gi_type": ["农产品地理标志", "地理标志证明商标", "地理标志保护产品"],
            "number": ["AGI00001", "10000001", "质检总局公告2014年第1号"],
            "year": [2018, 2019, 2014],
        }
        assert card.gi_types == ("地理标志保护产品", "地理标志证明商标", "农产品地理标志")
        assert card.year == 2014
    assert [card.name for card in cards] == [FAMILY, "恩施玉露茶"]
    assert cards[1].gi_type == "地理标志保护产品"  # the chosen row's own primary type
    # One card: its place, sources and figures are the family's.
    assert cards[0].area_text == cards[1].area_text == "恩施市"
    assert cards[0].sources == cards[1].sources


def test_a_single_registration_card_has_one_row(tables: Tables) -> None:
    card = card_of(tables, "秭归夏橙")
    assert card.family == "秭归夏橙" and len(card.registrations) == 1
    assert card.year is None and pd.isna(card.registrations["year"].iloc[0])
    unknown = card_of(tables, "房县香菇")
    assert list(unknown.registrations["gi_type"]) == ["类型待核实"]
    assert unknown.gi_types == ("类型待核实",) and unknown.gi_type == "类型待核实"


def test_the_card_places_a_product_by_its_area(tables: Tables, regions: Regions) -> None:
    wudang = card_of(tables, "武当道茶", regions)
    assert wudang.area_label == f"跨 {len(WUDANG_SCOPE)} 个县"
    assert wudang.area_text.startswith(f"跨 {len(WUDANG_SCOPE)} 个县：")
    assert "郧阳区" in wudang.area_text and "郧县" not in wudang.area_text
    assert wudang.scope_note == "十堰市五个县区"
    for name in PREFECTURE_ONLY:
        card = card_of(tables, name, regions)
        assert (card.area_label, card.area_text) == ("全市范围", "全市范围（宜昌市）")
        assert card.county == "" and card.county_adcode == ""  # never the guessed 西陵区
    zigui = card_of(tables, "秭归脐橙", regions)
    assert (zigui.area_label, zigui.area_text, zigui.scope_note) == ("本县", "秭归县", "")


def groups_of(card: CountyCard) -> dict[str, tuple[str, ...]]:
    return {group.label: group.names for group in card.groups}


def test_county_card_groups_products_covering_the_county(tables: Tables) -> None:
    card = county_of(tables, ZIGUI, "秭归县", "宜昌市", YICHANG)
    assert groups_of(card) == {
        "本县": ("秭归脐橙", "秭归夏橙"),
        "跨县": (),
        "全市范围": PREFECTURE_ONLY,
    }
    assert card.product_count == 2  # 本县 only
    assert card.counts_text == (
        "本县 2 项 · 跨县 0 项 · 全市范围 2 项（全市范围指来源只注明到市州的产品，不计为本县产品）"
    )
    assert len(card.zones) == 1 and len(card.sites) == 1
    assert set(card.outputs["metric"]) == {"年产值", "品牌价值(非产值)"}


def test_a_scope_covering_the_county_is_listed_as_shared(tables: Tables) -> None:
    card = county_of(tables, "420325", "房县", "十堰市", SHIYAN)
    assert groups_of(card) == {"本县": ("房县香菇",), "跨县": ("武当道茶",), "全市范围": ()}
    assert card.product_count == 1
    assert "本县 1 项 · 跨县 1 项 · 全市范围 0 项" in card.counts_text
    yunyang = county_of(tables, "420304", "郧阳区", "十堰市", SHIYAN)  # 郧县 in the scope
    assert groups_of(yunyang)["跨县"] == ("武当道茶",) and yunyang.product_count == 0
    empty = county_of(tables, "420303", "张湾区", "十堰市", SHIYAN)
    assert empty.product_count == 0 and all(not group.names for group in empty.groups)


def test_the_seat_district_does_not_own_prefecture_wide_products(tables: Tables) -> None:
    card = county_of(tables, XILING, "西陵区", "宜昌市", YICHANG)
    assert groups_of(card) == {"本县": (), "跨县": (), "全市范围": PREFECTURE_ONLY}
    assert card.product_count == 0
    assert card.outputs.empty  # no product's figures credited to the seat


def test_a_family_is_listed_once_in_a_county_card(tables: Tables) -> None:
    card = county_of(tables, "422801", "恩施市", "恩施土家族苗族自治州", "422800")
    own = next(group for group in card.groups if group.label == "本县")
    assert own.names == (FAMILY,) and own.products == (FAMILY,)
    assert card.product_count == 1
