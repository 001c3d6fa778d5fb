"""The maps in English: legends, tooltips' texts, rows, geometry, posters, briefs and the
offline file follow the language; names keep their Chinese with pinyin beside them."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime

import pandas as pd

from landmarks import i18n
from landmarks.data.regions import Regions
from landmarks.maps import basemaps, builders, geometry, offline, poster, rows, site_kinds
from landmarks.maps import brief as brief_map
from landmarks.maps.paper import A4, LANDSCAPE, MapView, Paper, PosterText
from landmarks.query import briefs, stats
from tests.maps.test_rows import products, sites
from tests.synthetic import YICHANG

Tables = dict[str, pd.DataFrame]
CHINESE = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")


def english(text: str) -> str:
    """``text`` without the Chinese names (each followed by its pinyin in brackets)."""
    return re.sub(r"[\u3400-\u9fff]+ \(", "(", text)


def test_map_texts_are_chinese_by_default_and_english_in_english() -> None:
    assert builders.map_texts()["fullscreen"] == "全屏显示"
    assert "pause" not in builders.map_texts()
    with i18n.language(i18n.ENGLISH):
        texts = builders.map_texts(present=True)
    assert texts["fullscreen"] == "Full screen" and texts["pause"] == "Pause"
    assert not [text for text in texts.values() if CHINESE.search(text)]
    assert "{seconds}" in texts["playing"] and "{names}" in texts["zone"]


def test_legends_in_english() -> None:
    with i18n.language(i18n.ENGLISH):
        legend = builders.legend_html(["茶叶"], True, True, with_wide=True)
        kinds = site_kinds.legend_rows()
    assert "Legend" in legend and "图例" not in legend
    assert "Theme scenic spot" in kinds and ">A</text>" in kinds  # the letter on the icon
    assert ">景</text>" in site_kinds.legend_rows()


def test_rows_in_english_keep_the_stored_names_and_add_titles() -> None:
    chinese = json.loads(rows.map_rows(products(), sites()))
    with i18n.language(i18n.ENGLISH):
        document = json.loads(rows.map_rows(products(), sites()))
    assert chinese["products"]["fields"] == list(rows.PRODUCT_FIELDS)  # unchanged
    fields = document["products"]["fields"]
    first = dict(zip(fields, document["products"]["rows"][0], strict=True))
    assert first["name"] == "秭归脐橙"  # clicks report the stored name
    assert first["title"] == "秭归脐橙 (Zigui Qicheng)"
    assert document["products"]["popup_labels"][0] == "Industry chain"
    assert "Zigui" in first["place"]
    site = dict(zip(document["sites"]["fields"], document["sites"]["rows"][0], strict=True))
    assert site["name"] == "屈原故里" and site["title"].startswith("屈原故里 (")
    assert site["site_type"] == "Theme scenic spot" and site["products"] == "Not stated"
    assert document["sites"]["kinds"][1][0] == "Theme scenic spot"


def test_geometry_in_english_carries_labels_and_its_own_file_names(regions: Regions) -> None:
    chinese = geometry.base_geometry(regions)
    with i18n.language(i18n.ENGLISH):
        layers = geometry.base_geometry(regions)
        names = geometry.file_names()
    assert names != (geometry.COUNTIES_NAME, geometry.PREFECTURES_NAME)
    assert b'"label"' not in chinese.counties
    feature = json.loads(layers.counties)["features"][0]["properties"]
    assert feature["label"] == f"{feature['name']} ({i18n.romanize(feature['name'])})"
    assert feature["prefecture_label"].startswith(feature["prefecture"] + " (")


def test_basemap_labels_and_notices_in_english() -> None:
    with i18n.language(i18n.ENGLISH):
        assert basemaps.label(basemaps.NONE) == "No basemap (works offline)"
        options = basemaps.basemap_options(basemaps.AMAP)
    assert options is not None and not CHINESE.search(json.dumps(options, ensure_ascii=False))


def test_poster_in_english(tables: Tables, regions: Regions) -> None:
    text = PosterText(
        title="Hubei GI Brand Map",
        source_line="Source: public reports",
        generated_at=datetime(2026, 11, 25, 14, 41, tzinfo=UTC),
        link="http://192.168.1.20:8501/explorer",
    )
    view = MapView(
        tables["products"],
        zone_counties=stats.national_zones_by_county(tables["zones"]),
    )
    with i18n.language(i18n.ENGLISH):
        fig = poster.poster_figure(regions, view, text, Paper(A4, LANDSCAPE))
        texts = poster.figure_texts(fig)
    assert "Legend" in texts and "N" in texts
    assert any(line.startswith("Scale 1:") for line in texts)
    assert any(line.startswith("Generated: ") for line in texts)
    assert not [line for line in texts if CHINESE.search(english(line))]


def test_brief_in_english(tables: Tables, regions: Regions) -> None:
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
        parts = brief_map.sections(brief)
        fig = brief_map.brief_figure(
            brief, regions, text=PosterText(title=brief.title, source_line="Source: x")
        )
        texts = poster.figure_texts(fig)
    assert parts[0].title.startswith("GI products (")
    assert any(line.startswith("Type abbreviations:") for line in texts)


def test_offline_file_follows_the_language(tables: Tables, regions: Regions) -> None:
    text = offline.OfflineText("Hubei GI Brand Map", "All GI products")
    with i18n.language(i18n.ENGLISH):
        html = offline.offline_html(regions, tables["products"], tables["sites"], text).decode()
        name = offline.file_name("Hubei GI Brand Map")
    assert '<html lang="en">' in html and '"fullscreen":"Full screen"' in html
    assert name == "Hubei GI Brand Map_offline_map.html"
    assert (
        '<html lang="zh-CN">'
        in offline.offline_html(regions, tables["products"], tables["sites"], text).decode()
    )
