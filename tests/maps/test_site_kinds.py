"""Site kinds on the map: six kinds, each its own shape, colour and glyph, in rows and legend."""

from __future__ import annotations

import json
import re

import pandas as pd

from landmarks.data.model import SITE_TYPES
from landmarks.maps.builders import legend_html
from landmarks.maps.rows import SITE_FIELDS, map_rows
from landmarks.maps.site_kinds import OTHER_KIND, SITE_KINDS, kind_index, legend_rows


def test_every_stored_site_type_has_its_own_shape_colour_and_glyph() -> None:
    assert tuple(kind.name for kind in SITE_KINDS) == SITE_TYPES
    for attribute in ("shape", "color", "glyph"):
        values = [getattr(kind, attribute) for kind in SITE_KINDS]
        assert len(set(values)) == len(SITE_KINDS), attribute
    assert OTHER_KIND.color not in {kind.color for kind in SITE_KINDS}


def test_icons_are_inline_svg_with_the_kinds_colour_and_glyph() -> None:
    for kind in SITE_KINDS:
        svg = kind.svg()
        assert svg.startswith("<svg") and f'fill="{kind.color}"' in svg, kind
        assert f">{kind.glyph}</text>" in svg
        assert "http" not in svg  # inline in HTML: no namespace URL, nothing to fetch


def test_unknown_types_fall_back_to_the_grey_kind() -> None:
    assert kind_index("主题景区") == 1
    assert kind_index("别的类型") == len(SITE_KINDS)


def sites() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "name": ["甲景区", "乙馆", "丙"],
            "site_type": ["主题景区", "文创美食品鉴馆", "未知"],
            "products": ["", "", ""],
            "prefecture": ["宜昌市"] * 3,
            "county": ["秭归县"] * 3,
            "place": ["", "", ""],
            "status": ["", "", ""],
            "precision": ["county"] * 3,
            "lat": [30.8, 30.9, 31.0],
            "lon": [110.9, 111.0, 111.1],
        }
    )


def one_product() -> pd.DataFrame:
    return pd.DataFrame(
        {"name": ["秭归脐橙"], "chain": ["柑橘"], "prefecture": ["宜昌市"], "county": ["秭归县"],
         "category": ["水果"], "gi_types": ["地理标志保护产品"],
         "year": pd.array([2006], dtype="Int64"), "confidence": ["high"], "precision": ["county"],
         "area_level": ["county"], "area_adcodes": ["420527"], "scope_note": [""],
         "lat": [30.8], "lon": [110.9]}
    )  # fmt: skip


def test_published_site_rows_carry_the_kind_and_the_kinds_table() -> None:
    document = json.loads(map_rows(one_product(), sites()))["sites"]
    kinds = [dict(zip(SITE_FIELDS, row, strict=True))["kind"] for row in document["rows"]]
    assert kinds == [1, 3, len(SITE_KINDS)]
    table = document["kinds"]
    assert [row[0] for row in table] == [*SITE_TYPES, OTHER_KIND.name]
    assert table[1][1] == SITE_KINDS[1].color and table[1][2] == SITE_KINDS[1].svg()


def test_legends_list_kinds_with_their_icons_in_the_kinds_order() -> None:
    rows = legend_rows(["研学基地", "主题景区"])
    assert rows.index("主题景区") < rows.index("研学基地")
    assert "休闲驿站" not in rows and rows.count("<svg") == 2
    assert legend_rows().count("<svg") == len(SITE_KINDS)  # none given: all six
    html = legend_html(["茶叶"], with_zones=False, with_sites=True, site_kinds=["休闲驿站"])
    assert "地标+文旅站点" in html and "休闲驿站" in html and "主题景区" not in html
    assert re.search(r"<svg[^>]*>.*驿", html)


def test_no_sites_yet_publishes_an_empty_site_list() -> None:
    document = json.loads(map_rows(one_product(), sites().iloc[0:0]))
    assert document["sites"]["rows"] == [] and len(document["products"]["rows"]) == 1
