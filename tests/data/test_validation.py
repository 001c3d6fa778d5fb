"""Validation: every problem of an imported table is reported in Chinese, row by row."""

from __future__ import annotations

import pandas as pd
import pytest

from landmarks import i18n
from landmarks.data.records import prepare_products
from landmarks.data.regions import Regions
from landmarks.data.validation import RowChecker, RowProblem, ValidationError, duplicated_names
from tests.data.test_records import product_row


def test_bad_rows_are_reported_with_row_field_and_expectation(regions: Regions) -> None:
    raw = pd.DataFrame(
        [
            product_row(),
            product_row(name="坏县名", county="秭龟县"),
            product_row(name="坏年份", year="二〇二〇"),
            product_row(name="坏品类", category="矿产"),
            product_row(name="测试产品"),
            product_row(name="坏坐标", lon="114.3", lat="30.6"),
        ]
    )
    with pytest.raises(ValidationError) as caught:
        prepare_products(raw, regions)
    messages = [str(problem) for problem in caught.value.problems]
    assert any(m.startswith("第3行 字段 county") and "秭归县" in m for m in messages)
    assert any(m.startswith("第4行 字段 year") and "四位年份" in m for m in messages)
    assert any(m.startswith("第5行 字段 category") and "茶叶/" in m for m in messages)
    assert any(m.startswith("第6行 字段 name") and "与第2行重复" in m for m in messages)
    assert any(m.startswith("第7行 字段 lon/lat") and "不在秭归县境内" in m for m in messages)
    assert len(messages) == 5


def test_a_problem_reads_as_one_chinese_sentence() -> None:
    problem = RowProblem(3, "year", "", "必填项为空", "四位年份")
    assert str(problem) == "第3行 字段 year = （空）：必填项为空；应为四位年份"


def test_the_error_counts_all_problems_and_lists_the_first_twenty() -> None:
    problems = [RowProblem(row, "name", "x", "不对", "别的") for row in range(2, 27)]
    message = str(ValidationError("产品表", problems))
    assert message.startswith("产品表有 25 处问题，未做任何修改")
    assert "第21行" in message and "第22行" not in message
    assert message.endswith("另有 5 处问题")


@pytest.mark.parametrize(
    ("raw", "year", "failed"),
    [
        ("2020", 2020, False),
        ("2020.0", 2020, False),
        ("2020年", 2020, False),
        ("2020-06-20", 2020, False),
        ("", None, False),
        ("1900", None, True),
        ("2027", None, True),
        ("20201", None, True),
    ],
)
def test_years(raw: str, year: int | None, failed: bool) -> None:
    problems: list[RowProblem] = []
    assert RowChecker(2, problems).year("year", raw) == year
    assert bool(problems) is failed


@pytest.mark.parametrize("raw", ["abc", "inf", "nan"])
def test_numbers_must_be_finite(raw: str) -> None:
    problems: list[RowProblem] = []
    assert RowChecker(2, problems).number("lon", raw, "经度") is None
    assert [problem.problem for problem in problems] == ["不是数字"]


def test_a_choice_falls_back_to_its_default_only_when_empty() -> None:
    problems: list[RowProblem] = []
    check = RowChecker(2, problems)
    allowed = {"高": "high", "high": "high"}
    assert check.choice("confidence", "高", allowed, "high/高") == "high"
    assert check.choice("confidence", "", allowed, "high/高", "medium") == "medium"
    assert check.choice("confidence", "很高", allowed, "high/高", "medium") == "medium"
    assert [(p.value, p.problem) for p in problems] == [("很高", "不是允许的取值")]


def test_duplicated_names_point_at_the_first_row() -> None:
    problems: list[RowProblem] = []
    duplicated_names(pd.DataFrame({"name": ["甲", "乙", "甲", "", ""]}), "name", problems)
    assert [(p.row, p.problem) for p in problems] == [(4, "与第2行重复")]


def test_in_english_a_problem_reads_as_one_english_sentence() -> None:
    problems: list[RowProblem] = []
    with i18n.language(i18n.ENGLISH):
        RowChecker(5, problems).year("year", "1900")
        RowChecker(6, problems).required("name", "", "a product name")
        shown = [str(problem) for problem in problems]
        error = ValidationError("示范区表", problems)
    assert shown == [
        "Row 5, field year = “1900”: The year is earlier than 1950; "
        "expected: A four-digit year from 1950 to 2026, or empty",
        "Row 6, field name = (empty): Required field is empty; expected: a product name",
    ]
    assert str(error).startswith(
        "Demonstration zone table has problems (2); nothing was changed:\n"
    )


def test_names_differing_only_by_invisible_marks_are_duplicates() -> None:
    problems: list[RowProblem] = []
    frame = pd.DataFrame({"name": ["ABC茶", "ABC茶\u200e", "ABC\u202e茶"]})
    duplicated_names(frame, "name", problems)
    assert [p.row for p in problems] == [3, 4]
    assert all(p.problem.startswith("与第2行的“ABC茶”重复") for p in problems)
