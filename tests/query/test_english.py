"""The query layer in English: headers, labels, notices and cards read in English, with
product and place names in Chinese and their pinyin beside them; Chinese stays as it was."""

from __future__ import annotations

import re

import pandas as pd

from landmarks import i18n
from landmarks.data.regions import Regions
from landmarks.query import briefs, filters, output_values, presentation, routes, share, urlparams
from landmarks.query.areas import county_names, group_counts_text
from landmarks.query.cards import county_card, product_card
from landmarks.query.export import (
    EXPORT_HEADERS,
    LIST_BY_FAMILY,
    export_frame,
    list_rows,
    to_xlsx_bytes,
)
from landmarks.query.filters import ProductFilter, filter_from_query
from landmarks.query.geo import km_text
from landmarks.query.labels import year_text
from landmarks.query.sites import site_export
from landmarks.query.zones import zone_export, zone_rows
from tests.synthetic import FAMILY, YICHANG, ZIGUI

Tables = dict[str, pd.DataFrame]
CHINESE = re.compile(r"[\u3400-\u9fff]")
PINYIN = re.compile(r"[\u3400-\u9fff]+ \([A-Z][a-z]+(?: [A-Z][a-z']+)*\)")


def _card(tables: Tables, regions: Regions):  # type: ignore[no-untyped-def]
    return product_card(
        FAMILY,
        products=tables["products"],
        zones=tables["zones"],
        sites=tables["sites"],
        outputs=tables["outputs"],
        sources=tables["sources"],
        registrations=tables["registrations"],
        county_names=county_names(regions),
    )


def test_export_headers_are_english_in_english(tables: Tables, regions: Regions) -> None:
    products, registrations = tables["products"], tables["registrations"]
    rows = list_rows(LIST_BY_FAMILY, products, products, registrations)
    chinese = export_frame(rows, LIST_BY_FAMILY, county_names(regions))
    assert list(chinese.columns) == list(EXPORT_HEADERS[LIST_BY_FAMILY].values())
    with i18n.language(i18n.ENGLISH):
        english = export_frame(rows, LIST_BY_FAMILY, county_names(regions))
        book = to_xlsx_bytes(english)
    assert list(english.columns)[:3] == ["Product name", "Registered names", "Registrations"]
    assert not any(CHINESE.search(str(column)) for column in english.columns)
    names = english["Product name"].tolist()
    assert f"{FAMILY} (Enshi Yulu)" in names
    assert all(name.endswith(")") for name in names if CHINESE.search(name))
    assert book.startswith(b"PK")


def test_site_and_zone_exports_are_english(tables: Tables) -> None:
    with i18n.language(i18n.ENGLISH):
        sites = site_export(tables["sites"], tables["sources"])
        zones = zone_export(zone_rows(tables["zones"], tables["products"], tables["sources"]))
    for frame in (sites, zones):
        assert not any(CHINESE.search(str(column)) for column in frame.columns)
    assert "Site name" in sites.columns and "Demonstration zone name" in zones.columns


def test_a_product_card_reads_in_english_with_pinyin_names(
    tables: Tables, regions: Regions
) -> None:
    chinese = _card(tables, regions)
    with i18n.language(i18n.ENGLISH):
        card = _card(tables, regions)
    assert card.family == chinese.family == FAMILY  # names stay the data's (for links)
    assert card.sources and all(link.label.startswith("Source ") for link in card.sources)
    assert card.area_text != chinese.area_text and PINYIN.search(card.area_text)


def test_a_county_card_counts_in_english(tables: Tables) -> None:
    with i18n.language(i18n.ENGLISH):
        card = county_card(
            ZIGUI,
            "秭归县",
            "宜昌市",
            YICHANG,
            products=tables["products"],
            zones=tables["zones"],
            sites=tables["sites"],
            outputs=tables["outputs"],
        )
        text = group_counts_text({"本县": 3, "跨县": 1, "全市范围": 5})
    assert card.counts_text.startswith("Own county: ")
    assert text.startswith("Own county: 3 · Multi-county: 1 · Prefecture-wide: 5 (")
    assert not CHINESE.search(text)


def test_filter_labels_translate(regions: Regions) -> None:
    for field in filters.FILTER_FIELDS:
        assert CHINESE.search(field.label)  # the constant stays Chinese
        with i18n.language(i18n.ENGLISH):
            assert not CHINESE.search(i18n.t(field.label))
            assert not CHINESE.search(i18n.t(field.help))
    assert i18n.t(filters.CHAINS.label) == "产业链"
    with i18n.language(i18n.ENGLISH):
        assert i18n.t(filters.CHAINS.label) == "Industry chain"
        assert i18n.t(filters.YEARS.undated_label) == "Include products of unknown year"


def test_link_notices_are_built_in_the_language(regions: Regions) -> None:
    params = {"year": "1800", "nonsense": "1", "zone": "maybe"}
    _, chinese = filter_from_query(params, regions)
    assert any("未识别的链接参数" in notice for notice in chinese)
    with i18n.language(i18n.ENGLISH):
        _, english = filter_from_query(params, regions)
        unknown = urlparams.unknown_key_notices({"x": "1"}, frozenset())
    assert len(english) == len(chinese)
    assert unknown == ['Unrecognised link parameter "x" was ignored']
    assert any("is invalid and was ignored" in notice for notice in english)


def test_small_texts_follow_the_language() -> None:
    assert km_text(12.34) == "12.3 公里" and year_text(None) == "年份不详"
    with i18n.language(i18n.ENGLISH):
        assert km_text(12.34) == "12.3 km"
        assert year_text(None) == "Year unknown"
        assert output_values.value_label(float("nan")) == "No data"
        assert routes.route_name_problem("") == "Please enter a route name"


def test_brief_and_poster_texts_in_english(tables: Tables, regions: Regions) -> None:
    with i18n.language(i18n.ENGLISH):
        brief = briefs.make_brief(
            briefs.PREFECTURE,
            YICHANG,
            products=tables["products"],
            zones=tables["zones"],
            sites=tables["sites"],
            outputs=tables["outputs"],
            registrations=tables["registrations"],
            regions=regions,
        )
        subtitle = share.view_subtitle(ProductFilter(prefectures=(YICHANG,)), regions)
        title = presentation.view_title(ProductFilter(), regions)
    assert brief.title == "GI brand brief: 宜昌市 (Yichang City)"
    assert brief.headline[0][0] == "GI products"
    assert list(brief.product_list.columns) == ["Product", "Type", "Location", "First approved"]
    assert subtitle == "Prefecture: 宜昌市 (Yichang City)"
    assert title == "Whole province"
