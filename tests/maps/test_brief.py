"""The one-page PDF brief: one A4 page with map, lists, figures, source and dates."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pandas as pd
import pypdf
import pytest
from PIL import Image

from landmarks.data.regions import Regions
from landmarks.maps import brief as brief_map
from landmarks.maps import poster
from landmarks.maps.paper import PosterText
from landmarks.query import briefs, stats
from tests.synthetic import YICHANG

Tables = dict[str, pd.DataFrame]
LINK = "http://192.168.1.20:8501/explorer?prefecture=420500"
SOURCE = "数据来源：荆楚网等公开报道"


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


def text(title: str) -> PosterText:
    return PosterText(
        title=title,
        subtitle="湖北地标品牌地图 · 简报",
        source_line=SOURCE,
        data_date="资料截至 2026年3月1日",
        generated_at=datetime(2026, 11, 25, 2, 5, tzinfo=UTC),
        link=LINK,
    )


@pytest.mark.parametrize(("kind", "key"), [(briefs.PREFECTURE, YICHANG), (briefs.CHAIN, "茶叶")])
def test_the_brief_is_one_a4_page_with_its_parts(
    kind: str, key: str, tables: Tables, regions: Regions
) -> None:
    brief = make(tables, regions, kind, key)
    zones = stats.national_zones_by_county(tables["zones"])
    data = brief_map.brief_pdf(brief, regions, zone_counties=zones, text=text(brief.title))
    reader = pypdf.PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (float(box.width), float(box.height)) == pytest.approx((595.276, 841.89), abs=0.01)
    content = reader.pages[0].extract_text()
    for part in (brief.title, SOURCE, "生成时间：2026年11月25日 10:05（北京时间）", "图例"):
        assert part in content
    for label, value in brief.headline:
        assert label in content and value in content
    for name in brief.products["family"].unique():
        assert name in content
    assert "km" in content and poster.NORTH in content
    if kind == briefs.PREFECTURE:
        assert "秭归脐橙国家地理标志产品保护示范区" in content  # its zone
        assert "秭归脐橙文化园" in content  # its site
        assert "40万亩" in content  # a figure's scope


def test_the_preview_png_is_a4(tables: Tables, regions: Regions) -> None:
    brief = make(tables, regions, briefs.PREFECTURE, YICHANG)
    image = Image.open(io.BytesIO(brief_map.brief_png(brief, regions, text=text(brief.title))))
    assert image.size == (1240, 1754)  # A4 at 150 dpi


def test_long_lists_are_cut_and_say_how_many_more() -> None:
    parts = [
        brief_map.Section("产品", [f"产品{i}" for i in range(80)], columns=2),
        brief_map.Section("示范区", ["甲", "乙"]),
        brief_map.Section("站点", []),
        brief_map.Section("产值", [f"数字{i}" for i in range(30)]),
    ]
    fitted = brief_map.fit(parts, capacity=30)
    used = sum(1 + -(-len(p.lines) // p.columns) for p in fitted)
    assert used <= 30
    products, zones, sites, figures = fitted
    assert zones.lines == ["甲", "乙"] and sites.lines == [brief_map.EMPTY]
    assert products.lines[-1] == brief_map.MORE.format(n=80 - (len(products.lines) - 1))
    assert figures.lines[-1].startswith("……另有") and len(figures.lines) >= 3
    # Everything that fits is kept whole.
    assert brief_map.fit(parts[1:3], capacity=30) == [
        parts[1],
        brief_map.Section("站点", ["（暂无记录）"]),
    ]


def test_long_lines_are_shortened_to_their_column(tables: Tables, regions: Regions) -> None:
    brief = make(tables, regions, briefs.PREFECTURE, YICHANG)
    listed = brief.product_list.copy()
    listed.loc[0, "产品"] = "很长的名字" * 12
    listed.loc[0, "类型"] = "地理标志保护产品、地理标志证明商标、农产品地理标志"
    listed.loc[0, "所在地"] = "跨 5 个县：郧阳区、郧西县、竹山县、竹溪县、房县"
    shortened = briefs.Brief(**{**brief.__dict__, "product_list": listed})
    fig = brief_map.brief_figure(shortened, regions, text=text(brief.title))
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    lines = [item for item in fig.texts if item.get_text().startswith("很长的名字")]
    assert len(lines) == 1
    assert lines[0].get_text().endswith("…")
    # The first of two columns: it ends before the middle of the page.
    assert lines[0].get_window_extent(renderer).x1 <= fig.bbox.width / 2
