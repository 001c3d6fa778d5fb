"""Chinese labels for coded values, and data text cleared of maintainers' remarks."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from landmarks.data.model import SOURCE_QUALITY_LABELS
from landmarks.query import labels


def test_source_types_read_in_chinese() -> None:
    assert SOURCE_QUALITY_LABELS == {
        "official": "官方发布",
        "media": "媒体报道",
        "aggregator": "汇编网站",
        "repost": "转载（链接不予展示）",
    }
    assert labels.source_type_label("aggregator") == "汇编网站"
    assert labels.confidence_label("low") == "低"
    assert labels.precision_label("prefecture") == "市州级示意位置"


@pytest.mark.parametrize(
    ("year", "text"),
    [(2006, "2006"), (np.int64(2006), "2006"), (2006.0, "2006"), (None, "年份不详")],
)
def test_year_text(year: object, text: str) -> None:
    assert labels.year_text(year) == text


def test_year_texts_of_a_nullable_column() -> None:
    years = pd.Series([2006, None], dtype="Int64")
    assert labels.year_texts(years).tolist() == ["2006", "年份不详"]
    assert labels.year_text(float("nan")) == labels.year_text(pd.NA) == "年份不详"


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        (
            "以京山桥米为核心的优质大米年销量85万吨 (reported 2024-02)",
            "以京山桥米为核心的优质大米年销量85万吨",
        ),
        ("40万亩 年产量55万吨 (中新网湖北, date not shown)", "40万亩 年产量55万吨"),
        (
            "质检总局2017年公告(湖北6个之一); county inferred from product name",
            "质检总局2017年公告(湖北6个之一)",
        ),
        (
            "2010国家GI保护产品(S41); 国家GI产品保护示范区筹建(S40)",
            "2010国家GI保护产品；国家GI产品保护示范区筹建",
        ),
        ("1781家使用GI专用标志; 同比+30%", "1781家使用GI专用标志；同比+30%"),
        ("forecast for 2020", ""),
        (
            "'全省地理标志产品年产值超千亿元, 带动就业超300万人'",
            "全省地理标志产品年产值超千亿元, 带动就业超300万人",
        ),
        ("", ""),
    ],
)
def test_remarks_are_removed(text: str, shown: str) -> None:
    assert labels.without_remarks(text) == shown
