"""The overview page (品牌总览) run headless with AppTest on the synthetic data set.
(Its map is tested in tests/test_overview_page.py and tests/test_explorer_map.py.)"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from landmarks.data.regions import Regions
from tests import synthetic
from tests.helpers import PROVENANCE, provenance_panel, run_app


@pytest.fixture
def data(db_path: Path, regions: Regions) -> dict[str, pd.DataFrame]:
    return synthetic.install(db_path, regions)


@pytest.fixture
def overview(data: dict[str, pd.DataFrame]) -> AppTest:
    at = run_app()
    assert not at.exception, at.exception
    return at


def test_page_runs_without_errors(overview: AppTest) -> None:
    assert not overview.error
    assert overview.title[0].value.endswith("品牌总览")


def test_headline_figures(overview: AppTest, data: dict[str, pd.DataFrame]) -> None:
    metrics = {metric.label: metric.value for metric in overview.metric}
    families = data["products"]["family"].nunique()
    assert families == len(data["products"]) - 1  # 恩施玉露 and 恩施玉露茶: one product
    assert metrics["地理标志产品（已收录）"] == f"{families} 个"
    products = next(m for m in overview.metric if m.label == "地理标志产品（已收录）")
    assert products.help.startswith("按产品计：同一产品的多个登记（一品多标）合并为一项")
    assert products.help.endswith(f"共 {len(data['products'])} 个登记名称。")
    assert metrics["国家地理标志保护示范区"] == "1 个"
    assert metrics["地标+文旅站点（已收录 / 2026目标）"] == f"{len(data['sites'])} / 510"
    assert metrics["2026 产值目标"] == "1100 亿元"
    captions = " ".join(caption.value for caption in overview.caption)
    assert "2024年 超1000 亿元" in captions and "可信度低" in captions
    # The scope is shown without the maintainers' remark ("from an aggregator summary").
    assert "口径：全省地理标志产品年产值；" in captions and "aggregator" not in captions


def test_gi_types_read_in_chinese_with_their_rule(overview: AppTest) -> None:
    types = next(table.value for table in overview.table if "类型" in table.value.columns)
    counts = dict(zip(types["类型"], types["登记名称数"], strict=True))
    # By primary type, one per registered name; 类型待核实 is a row of its own.
    assert counts["类型待核实"] == 3 and "unknown" not in counts and "未注明" not in counts
    assert counts["地理标志证明商标"] == 2  # 恩施玉露's mark named in its note is not counted
    captions = " ".join(caption.value for caption in overview.caption)
    assert "按登记名称计，每个登记名称按其主要地理标志类型计一次" in captions
    assert "类型待核实单列，不计入任何类型" in captions
    assert "按产品计：同一产品的多个登记（一品多标）合并为一项" in captions


def test_the_first_view_has_no_data_grid(overview: AppTest) -> None:
    """Its small tables are static (st.table): a data grid would load Streamlit's grid
    code, about half a megabyte of script, beside the map of the first view."""
    assert not overview.dataframe
    assert len(overview.table) == 2


def test_provenance_is_drawn_only_when_opened(overview: AppTest) -> None:
    """Closed, the panel holds nothing (its sources table would load Streamlit's table
    code on the first view); opened, its note, date and sources."""
    closed = next(e for e in overview.expander if e.label == PROVENANCE)
    assert not closed.children
    opened = provenance_panel(overview)
    assert opened.markdown and opened.caption and len(opened.dataframe) == 1


def test_provenance_shows_the_data_date_in_beijing_time(overview: AppTest) -> None:
    panel = provenance_panel(overview)
    captions = " ".join(c.value for c in panel.caption)
    assert "资料截至 2026年11月25日" in captions and "（北京时间）" in captions
