"""The offline map file: everything inlined, nothing to fetch from anywhere.

The browser test (tests/e2e/test_offline_html.py) opens it with the network blocked;
these checks read the file itself.
"""

from __future__ import annotations

import json
import re

import pandas as pd

from landmarks.data.regions import Regions
from landmarks.maps import offline
from landmarks.query import stats
from tests.synthetic import HOSTILE, WUDANG_SCOPE, ZIGUI

Tables = dict[str, pd.DataFrame]
TEXT = offline.OfflineText("湖北地标品牌地图", "产业链：<b>茶叶</b>", ("数据来源：荆楚网", ""))


def page(tables: Tables, regions: Regions, shown: pd.DataFrame | None = None) -> str:
    html = offline.offline_html(
        regions,
        tables["products"] if shown is None else shown,
        tables["sites"],
        TEXT,
        zones=stats.national_zones_by_county(tables["zones"]),
        selected_county=ZIGUI,
        selected_area=tuple(WUDANG_SCOPE),
    )
    return html.decode("utf-8")


def blocks(html: str) -> dict[str, object]:
    found = re.findall(
        r'<script type="application/json" data-gi-file="([^"]+)">(.*?)</script>', html, re.S
    )
    return {name: json.loads(text) for name, text in found}


def test_nothing_is_loaded_from_elsewhere(tables: Tables, regions: Regions) -> None:
    html = page(tables, regions)
    assert not re.search(r"<script[^>]*\bsrc=", html)
    assert not re.search(r"<link\b", html)
    assert "@import" not in html and "sourceMappingURL" not in html
    urls = re.findall(r"url\(([^)]*)\)", html)
    assert urls and all(u.startswith(('"data:', "data:", "#default")) for u in urls), urls
    assert 'url("data:image/png;base64,' in html  # Leaflet's images, inlined


def test_the_geometry_rows_and_legend_are_inlined(tables: Tables, regions: Regions) -> None:
    html = page(tables, regions)
    files = blocks(html)
    assert set(files) == {offline.COUNTIES_FILE, offline.PREFECTURES_FILE, offline.ROWS_FILE}
    counties = files[offline.COUNTIES_FILE]["features"]  # type: ignore[index]
    assert len(counties) == len(regions.counties)
    prefectures = files[offline.PREFECTURES_FILE]["features"]  # type: ignore[index]
    assert len(prefectures) == len(regions.prefectures)
    products = files[offline.ROWS_FILE]["products"]["rows"]  # type: ignore[index]
    assert len(products) == len(tables["products"])
    assert HOSTILE in json.dumps(products, ensure_ascii=False)
    assert "图例 · 产业链" in html
    data_call = re.search(r"GiMap\.data\(layer, (\{.*?\})\);", html, re.S)
    assert data_call
    options = json.loads(data_call.group(1))
    assert options["products"] == list(range(len(tables["products"])))
    assert options["selected"] == {"county": ZIGUI, "area": list(WUDANG_SCOPE)}
    assert options["popups"] is True


def test_only_the_shown_products_are_in_the_file(tables: Tables, regions: Regions) -> None:
    tea = tables["products"][tables["products"]["chain"] == "茶叶"]
    files = blocks(page(tables, regions, tea))
    rows = files[offline.ROWS_FILE]["products"]["rows"]  # type: ignore[index]
    assert len(rows) == len(tea)
    assert "秭归脐橙" not in json.dumps(rows, ensure_ascii=False)


def test_text_is_escaped_and_no_data_can_end_a_script(tables: Tables, regions: Regions) -> None:
    products = tables["products"].copy()
    products.loc[0, "name"] = "</script><script>alert(1)</script>"
    html = page({**tables, "products": products}, regions)
    assert "<script>alert(1)" not in html
    assert "产业链：&lt;b&gt;茶叶&lt;/b&gt;" in html  # the caption is text, never markup
    assert blocks(html)  # the JSON still parses
