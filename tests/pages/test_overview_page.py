"""The overview page (品牌总览) run headless with AppTest on the synthetic data set.
(Its map is tested in tests/test_overview_page.py and tests/test_explorer_map.py.)"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from landmarks.data.regions import Regions
from tests import synthetic
from tests.helpers import run_app


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
    assert metrics["地理标志产品（已收录）"] == f"{len(data['products'])} 个"
    assert metrics["国家地理标志保护示范区"] == "1 个"
    assert metrics["地标+文旅站点（已收录 / 2026目标）"] == f"{len(data['sites'])} / 510"
    assert metrics["2026 产值目标"] == "1100 亿元"
    captions = " ".join(caption.value for caption in overview.caption)
    assert "2024年 超1000 亿元" in captions and "可信度低" in captions
    # The scope is shown without the maintainers' remark ("from an aggregator summary").
    assert "口径：全省地理标志产品年产值；" in captions and "aggregator" not in captions


def test_gi_types_read_in_chinese(overview: AppTest) -> None:
    types = next(df.value for df in overview.dataframe if "类型" in df.value.columns)
    counts = dict(zip(types["类型"], types["产品数"], strict=True))
    assert counts["类型待核实"] == 2 and "unknown" not in counts and "未注明" not in counts


def test_provenance_shows_the_data_date_in_beijing_time(overview: AppTest) -> None:
    panel = next(e for e in overview.expander if e.label == "数据来源与说明")
    captions = " ".join(c.value for c in panel.caption)
    assert "资料截至 2026年11月25日" in captions and "（北京时间）" in captions
