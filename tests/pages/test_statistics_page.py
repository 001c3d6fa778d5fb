"""统计与资源图谱 run headless with AppTest on the synthetic data set."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from landmarks.data.model import GI_TYPE_UNKNOWN
from landmarks.data.regions import Regions
from tests import synthetic
from tests.helpers import headings, run_app

PAGE = "pages/statistics.py"


@pytest.fixture
def data(db_path: Path, regions: Regions) -> dict[str, pd.DataFrame]:
    return synthetic.install(db_path, regions)


@pytest.fixture
def page(data: dict[str, pd.DataFrame]) -> AppTest:
    return run_app(PAGE)


def table_with(at: AppTest, column: str) -> pd.DataFrame:
    return next(df.value for df in at.dataframe if column in df.value.columns)


def test_every_section_is_shown_with_its_exports(page: AppTest) -> None:
    assert page.title[0].value.endswith("统计与资源图谱")
    expected = {"按产业链", "按品类", "按地理标志类型", "按市州", "按获批年份"}
    assert expected | {"十大产业链覆盖情况", "资源图谱：产业链 → 产品 → 县市区"} <= set(
        headings(page)
    )
    # Every table has its CSV and Excel export.
    labels = [button.label for button in page.get("download_button")]
    assert labels.count("导出 CSV") == labels.count("导出 Excel") == 7


def test_counts_follow_their_rules(page: AppTest, data: dict[str, pd.DataFrame]) -> None:
    chains = table_with(page, "产业链")
    assert chains["产品数"].sum() == data["products"]["family"].nunique()
    types = table_with(page, "地理标志类型").set_index("地理标志类型")["登记名称数"]
    assert types[GI_TYPE_UNKNOWN] == 3 and types.sum() == len(data["products"])
    captions = " ".join(caption.value for caption in page.caption)
    assert "按产品计：同一产品的多个登记（一品多标）合并为一项" in captions
    assert "类型待核实单列" in captions


def test_the_flow_of_a_chain_links_into_the_explorer(page: AppTest) -> None:
    page.selectbox(key="stats_flow_chain").set_value("茶叶").run()
    assert not page.exception
    nodes = table_with(page, "层级")
    assert set(nodes["层级"]) == {"产业链", "产品", "县市区/市州"}
    assert nodes["打开品牌地图"].str.startswith("explorer?").all()
    assert "武当道茶" in set(nodes["名称"])
