"""What the product and county cards hold: Chinese labels, showable links, remarks apart."""

from __future__ import annotations

import pandas as pd
import pytest

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
from tests.synthetic import REPOST_NOTE, SHIYAN, ZIGUI, ZIGUI_NEWS, ZIGUI_RADIO

Tables = dict[str, pd.DataFrame]


def card_of(tables: Tables, name: str) -> ProductCard:
    return product_card(
        name,
        products=tables["products"],
        zones=tables["zones"],
        sites=tables["sites"],
        outputs=tables["outputs"],
        sources=tables["sources"],
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


def test_county_card_groups_by_chain(tables: Tables) -> None:
    card = county_of(tables, ZIGUI, "秭归县", "宜昌市", "420500")
    assert card.product_count == 2
    assert card.products_by_chain == (("柑橘", ("秭归脐橙", "秭归夏橙")),)
    assert len(card.zones) == 1 and len(card.sites) == 1
    assert set(card.outputs["metric"]) == {"年产值", "品牌价值(非产值)"}


def test_county_card_names_products_known_only_for_the_prefecture(tables: Tables) -> None:
    card = county_of(tables, "420325", "房县", "十堰市", SHIYAN)
    assert card.products_by_chain == (("蔬菜", ("房县香菇",)),)
    assert card.prefecture_wide == ("武当道茶",)
    empty = county_of(tables, "420303", "张湾区", "十堰市", SHIYAN)
    assert empty.product_count == 0 and empty.products_by_chain == ()
