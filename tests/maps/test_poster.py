"""Posters: valid PNG and PDF files of the stated page size, with every required part.

Parts are checked twice: as the figure's own text objects before saving (legend, scale
bar, north arrow, source line, dates), and in the saved PDF by text extraction (pypdf).
"""

from __future__ import annotations

import io
from datetime import UTC, datetime

import numpy as np
import pandas as pd
import pypdf
import pyproj
import pytest
import zxingcpp
from matplotlib.legend import Legend
from PIL import Image

from landmarks.data.chains import CHAIN_COLORS
from landmarks.data.regions import Regions
from landmarks.maps import fonts, poster
from landmarks.maps.paper import A3, A4, LANDSCAPE, PDF, PNG, PORTRAIT, MapView, Paper, PosterText
from landmarks.query import stats
from landmarks.query.frame import region_bounds
from tests.synthetic import WUDANG_SCOPE, YICHANG, ZIGUI

Tables = dict[str, pd.DataFrame]
PAPERS = [Paper(size, orientation) for size in (A4, A3) for orientation in (LANDSCAPE, PORTRAIT)]
LINK = "http://192.168.1.20:8501/explorer?chain=%E8%8C%B6%E5%8F%B6"
GENERATED = datetime(2026, 11, 25, 14, 41, tzinfo=UTC)  # 22:41 in Beijing
SOURCE = "数据来源：湖北日报、荆楚网等公开报道"


def text(**changes: object) -> PosterText:
    values: dict[str, object] = {
        "title": "湖北地标品牌地图",
        "subtitle": "产业链：茶叶",
        "source_line": SOURCE,
        "data_date": "资料截至 2026年3月1日",
        "generated_at": GENERATED,
        "link": LINK,
        "figures": ("产品 12 个",),
    } | changes
    return PosterText(**values)  # type: ignore[arg-type]


def view(tables: Tables, **changes: object) -> MapView:
    values: dict[str, object] = {
        "products": tables["products"],
        "zone_counties": stats.national_zones_by_county(tables["zones"]),
    } | changes
    return MapView(**values)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def figures(regions: Regions) -> dict[Paper, object]:
    from tests import synthetic

    tables = synthetic.frames(regions)
    return {paper: poster.poster_figure(regions, view(tables), text(), paper) for paper in PAPERS}


def test_paper_sizes() -> None:
    assert Paper(A4, PORTRAIT).mm == (210, 297)
    assert Paper(A4, LANDSCAPE).mm == (297, 210)
    assert Paper(A3, LANDSCAPE).pixels() == (4961, 3508)
    assert Paper(A4, PORTRAIT).pixels() == (2480, 3508)
    with pytest.raises(ValueError):
        Paper("A5", PORTRAIT)


@pytest.mark.parametrize("paper", PAPERS, ids=lambda p: p.label)
def test_the_poster_has_every_part(paper: Paper, figures: dict[Paper, object]) -> None:
    fig = figures[paper]
    texts = poster.figure_texts(fig)  # type: ignore[arg-type]
    assert "湖北地标品牌地图" in texts and "产业链：茶叶" in texts
    legends = [a for a in fig.findobj(Legend)]  # type: ignore[attr-defined]
    assert len(legends) == 1
    labels = [t.get_text() for t in legends[0].get_texts()]
    assert legends[0].get_title().get_text() == poster.LEGEND_TITLE
    assert any(label.startswith("茶叶：") for label in labels)
    assert poster.WIDE_LEGEND in labels and poster.ZONE_LEGEND in labels
    assert poster.SCALE_UNIT in texts and "0" in texts
    assert any(t.startswith("比例尺 1:") for t in texts)
    assert poster.NORTH in texts
    assert SOURCE in texts
    dates = [t for t in texts if "生成时间" in t]
    assert dates == ["资料截至 2026年3月1日　生成时间：2026年11月25日 22:41（北京时间）"]
    assert "扫码打开当前视图" in texts and "产品 12 个" in texts


@pytest.mark.parametrize("paper", PAPERS, ids=lambda p: p.label)
def test_png_is_the_paper_at_300_dpi(paper: Paper, figures: dict[Paper, object]) -> None:
    data = poster.render(figures[paper], paper, PNG)  # type: ignore[arg-type]
    image = Image.open(io.BytesIO(data))
    assert image.format == "PNG"
    width_mm, height_mm = paper.mm
    assert image.size == (round(width_mm / 25.4 * 300), round(height_mm / 25.4 * 300))
    assert tuple(round(v) for v in image.info["dpi"]) == (300, 300)
    if paper.size == A4:  # the poster's own QR code decodes from the print file
        assert LINK in [r.text for r in zxingcpp.read_barcodes(image)]


@pytest.mark.parametrize("paper", PAPERS, ids=lambda p: p.label)
def test_pdf_is_one_vector_page_of_the_paper(paper: Paper, figures: dict[Paper, object]) -> None:
    data = poster.render(figures[paper], paper, PDF)  # type: ignore[arg-type]
    assert data.startswith(b"%PDF-")
    reader = pypdf.PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    width_mm, height_mm = paper.mm
    assert float(box.width) == pytest.approx(width_mm / 25.4 * 72, abs=0.01)
    assert float(box.height) == pytest.approx(height_mm / 25.4 * 72, abs=0.01)
    content = reader.pages[0].extract_text()
    for part in (
        SOURCE,
        poster.LEGEND_TITLE,
        "茶叶：",
        poster.SCALE_UNIT,
        poster.NORTH,
        "生成时间",
    ):
        assert part in content
    page_fonts = reader.pages[0]["/Resources"]["/Font"].values()
    assert any("NotoSansSC" in str(f.get_object()["/BaseFont"]) for f in page_fonts)


def test_the_scale_bar_is_exact_on_the_ground(regions: Regions, tables: Tables) -> None:
    for frame in (None, region_bounds(regions, [YICHANG]), region_bounds(regions, [ZIGUI])):
        fig = poster.new_figure(Paper(A4, LANDSCAPE))
        ax = fig.add_axes((0.05, 0.05, 0.7, 0.8))
        drawn = poster.draw_map(ax, regions, view(tables, frame=frame))
        bar = poster.add_scale_bar(ax, drawn.crs, 297, land=drawn.land)
        to_lonlat = pyproj.Transformer.from_crs(drawn.crs, "EPSG:4326", always_xy=True)
        (lon0, lat0), (lon1, lat1) = (
            to_lonlat.transform(*bar.start),
            to_lonlat.transform(*bar.end),
        )
        _, _, metres = pyproj.Geod(ellps="GRS80").inv(lon0, lat0, lon1, lat1)
        assert metres / 1000 == pytest.approx(bar.km, rel=1e-3)
        assert bar.km in {1, 2, 2.5, 5, 10, 20, 25, 50, 100, 200, 250}
        # the bar is a fifth of the map or so: readable, not the whole map
        width = ax.get_xlim()[1] - ax.get_xlim()[0]
        assert 0.1 < (bar.end[0] - bar.start[0]) / width < 0.25


def test_nice_lengths() -> None:
    assert poster.nice_length(73) == 50
    assert poster.nice_length(2.6) == 2.5
    assert poster.nice_length(100) == 100
    assert poster.nice_length(0.7) == 0.5
    with pytest.raises(ValueError):
        poster.nice_length(0)


def test_the_north_arrow_points_to_true_north(regions: Regions, tables: Tables) -> None:
    fig = poster.new_figure(Paper(A4, LANDSCAPE))
    ax = fig.add_axes((0.05, 0.05, 0.7, 0.8))
    drawn = poster.draw_map(ax, regions, view(tables))
    angle = poster.add_north_arrow(ax, drawn.crs, land=drawn.land)
    # At the map's eastern or western edge, 3-4 degrees of longitude off the central
    # meridian at 31°N, grid north and true north differ by about 2 degrees.
    assert 0.5 < abs(angle) < 3.5


def test_products_are_drawn_in_their_chain_colours(regions: Regions, tables: Tables) -> None:
    fig = poster.new_figure(Paper(A4, LANDSCAPE))
    ax = fig.add_axes((0.05, 0.05, 0.9, 0.9))
    products = tables["products"]
    poster.draw_map(ax, regions, view(tables))
    drawn = [
        c for c in ax.collections if c.get_offsets().shape[0] and np.isfinite(c.get_offsets()).all()
    ]
    points = sum(c.get_offsets().shape[0] for c in drawn if c.get_zorder() in (8, 9))
    assert points == len(products)
    filled = next(c for c in drawn if c.get_zorder() == 9)
    colours = {tuple(np.round(c, 3)) for c in filled.get_facecolors()}
    from matplotlib.colors import to_rgba

    expected = {
        tuple(np.round(to_rgba(CHAIN_COLORS[chain]), 3))
        for chain in products.loc[products["area_level"] == "county", "chain"]
    }
    assert colours == expected


def test_a_selected_area_and_county_are_in_the_legend(regions: Regions, tables: Tables) -> None:
    fig = poster.poster_figure(
        regions,
        view(tables, area=tuple(WUDANG_SCOPE), selected_county=ZIGUI),
        text(link="", figures=()),
        Paper(A4, PORTRAIT),
    )
    labels = [t.get_text() for t in fig.legends[0].get_texts()]
    assert poster.AREA_LEGEND in labels and poster.SELECTED_LEGEND in labels
    assert "扫码打开当前视图" not in poster.figure_texts(fig)


def test_the_cjk_font_comes_from_the_python_package() -> None:
    assert fonts.font_path().is_file() and "site-packages" in str(fonts.font_path())
    assert fonts.use_cjk() == fonts.FONT_FAMILY


def test_long_lines_wrap_within_the_page(regions: Regions, tables: Tables) -> None:
    link = LINK + "&q=" + "%E8%8C%B6" * 40
    long_figures = (
        "涉及县市区 71 个（按本县产品计：只计保护范围为单个县的产品，跨县和全市范围的产品不计入）",
    )
    for paper in (Paper(A4, PORTRAIT), Paper(A4, LANDSCAPE)):
        fig = poster.poster_figure(
            regions, view(tables), text(link=link, figures=long_figures), paper
        )
        renderer = fig.canvas.get_renderer()
        for item in fig.texts:
            assert item.get_window_extent(renderer).x1 <= fig.bbox.width, item.get_text()
        shown = "".join(poster.figure_texts(fig))
        assert link in shown.replace("\n", "").replace("链接：", "")
    pieces = poster.wrap_text(fig, "一二三四五六七八九十）。", 0.02, 10)
    assert len(pieces) > 1 and "".join(pieces) == "一二三四五六七八九十）。"
    assert not any(piece[0] in "）。" for piece in pieces)


def test_file_names_carry_the_title_in_safe_characters() -> None:
    from landmarks.maps.paper import file_name

    assert file_name("湖北地标品牌地图 · 茶叶 · 恩施州", Paper(A3, LANDSCAPE), PNG) == (
        "湖北地标品牌地图_茶叶_恩施州_A3横向.png"
    )
    unsafe = file_name('地图 · “a/b\\c:d*e?f"g<h>i|j” · 宜昌市', Paper(A4, PORTRAIT), PDF)
    assert unsafe == "地图_“a_b_c_d_e_f_g_h_i_j”_宜昌市_A4纵向.pdf"
    assert len(file_name("茶" * 300, Paper(A4, PORTRAIT), PDF)) < 120
    # spaces that only set Chinese apart from numbers go; words keep one "_"
    many = file_name("湖北地标品牌地图 · 茶叶、柑橘等 3 条产业链", Paper(A4, PORTRAIT), PNG)
    assert many == "湖北地标品牌地图_茶叶、柑橘等3条产业链_A4纵向.png"
    assert file_name("Hubei GI map · Tea", Paper(A4, PORTRAIT), PNG).startswith("Hubei_GI_map_Tea_")


@pytest.mark.parametrize("paper", PAPERS, ids=lambda p: p.label)
def test_a_tall_frame_fills_the_pages_width(paper: Paper, regions: Regions, tables: Tables) -> None:
    """A prefecture taller than wide (恩施州) still gets the page's width: the map box is
    not narrowed to the frame's shape, the map shows more around it instead."""
    from tests.synthetic import ENSHI_CITY

    enshi = regions.county_by_adcode(ENSHI_CITY).prefecture_adcode
    fig = poster.poster_figure(
        regions, view(tables, frame=region_bounds(regions, [enshi])), text(), paper
    )
    box = next(ax for ax in fig.axes if ax.get_gid() == "poster-map").get_position()
    width_mm, _ = paper.mm
    side = 62 * paper.scale + 6 * paper.scale if paper.orientation == LANDSCAPE else 0
    usable = width_mm - 24 * paper.scale - side
    assert box.width * width_mm == pytest.approx(usable, rel=0.01)


def test_the_legend_says_what_it_counts(regions: Regions, tables: Tables) -> None:
    """A dot is a registered name, the count counts products (families of registrations):
    the label says both; the dashed rings are named as registrations too."""
    products = tables["products"]
    tea = products[products["chain"] == "茶叶"]
    families, dots = tea["family"].nunique(), len(tea)
    assert families < dots  # 一品多标: the synthetic tea has a family of several names
    fig = poster.poster_figure(regions, view(tables), text(), Paper(A4, LANDSCAPE))
    labels = [t.get_text() for t in fig.legends[0].get_texts()]
    assert f"茶叶：{families} 个产品（{dots} 个登记点）" in labels
    assert "全市州范围或跨县登记（虚线圈，示意位置）" in labels


def test_a_long_title_stays_on_the_page(regions: Regions, tables: Tables) -> None:
    """A title naming many filters is set smaller, then broken after a "·", rather than
    run off the page."""
    title = (
        "湖北地标品牌地图 · “恩施玉露” · 茶叶、柑橘等 3 条产业链 · 地理标志保护产品"
        " · 恩施州、宜昌市等 4 地 · 2010–2020"
    )
    paper = Paper(A4, PORTRAIT)
    fig = poster.poster_figure(regions, view(tables), text(title=title), paper)
    shown = fig.texts[0]
    assert shown.get_text().replace("\n", " ") == title  # broken after a "·" only
    renderer = fig.canvas.get_renderer()
    right = (paper.mm[0] - 12 * paper.scale) / paper.mm[0] * fig.bbox.width
    assert shown.get_window_extent(renderer).x1 <= right + 0.5
    assert shown.get_fontsize() >= 16 * paper.scale  # still a title
    # the subtitle and the map move down below it
    title_box = shown.get_window_extent(renderer)
    assert fig.texts[1].get_window_extent(renderer).y1 < title_box.y0
    map_box = next(ax for ax in fig.axes if ax.get_gid() == "poster-map")
    assert map_box.get_window_extent(renderer).y1 < fig.texts[1].get_window_extent(renderer).y0
