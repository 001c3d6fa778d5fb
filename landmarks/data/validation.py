"""Row-level checks shared by seeding and user imports.

Every problem names the spreadsheet row (header = row 1), the field, the value, what is
wrong and what is expected; a table with any problem is rejected whole.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from landmarks import i18n
from landmarks.data.text import key_text
from landmarks.i18n import t

# Years are checked against the work plan's horizon: nothing is registered, reported or
# targeted after 2026, so a later year is a typing error (2062 for 2026, a date's day …).
PLAN_YEAR = 2026
EARLIEST_YEAR = 1950
_YEAR = re.compile(r"(\d{4})(?:\.0+|年|-\d{1,2}-\d{1,2})?")  # not UI: parses input


@dataclass(frozen=True)
class RowProblem:
    row: int
    field: str
    value: str
    problem: str
    expected: str

    def __str__(self) -> str:
        shown = f"“{self.value}”" if self.value else t("（空）")
        return t(
            "第{row}行 字段 {field} = {value}：{problem}；应为{expected}",
            row=self.row,
            field=self.field,
            value=shown,
            problem=self.problem,
            expected=self.expected,
        )


class ValidationError(ValueError):
    """All problems found in one table; nothing was changed."""

    def __init__(self, table: str, problems: list[RowProblem]) -> None:
        self.table = table
        self.problems = problems
        listed = "\n".join(str(p) for p in problems[:20])
        more = "\n" + t("……另有 {count} 处问题", count=len(problems) - 20)
        super().__init__(
            t(
                "{table}有 {count} 处问题，未做任何修改：\n{listed}{more}",
                table=t(table),
                count=len(problems),
                listed=listed,
                more=more if len(problems) > 20 else "",
            )
        )


def sheet_row(index: int) -> int:
    """Spreadsheet row number of the ``index``-th data row (the header is row 1)."""
    return index + 2


def row_numbers(frame: pd.DataFrame, rows: Sequence[int] | None = None) -> Sequence[int]:
    """The sheet row of each row of ``frame``: ``rows`` as given by the reader of an
    uploaded file (title rows, empty rows), else counted from a header in row 1."""
    if rows is None:
        return range(2, len(frame) + 2)
    if len(rows) != len(frame):
        raise ValueError(f"{len(rows)} row numbers for {len(frame)} rows")
    return rows


def text(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return ""
    return str(value).strip()


def allowed_values(values: Sequence[str], separator: str = "/") -> str:
    """Values users must type as they are (stored in Chinese), each with its English
    meaning beside it in English: 茶叶 (Tea)/水果 (Fruit)."""
    if not i18n.english():
        return separator.join(values)
    return separator.join(
        value if t(value) == value else f"{value} ({t(value)})" for value in values
    )


class RowChecker:
    """Collects problems for one row while converting its fields."""

    def __init__(self, row: int, problems: list[RowProblem]) -> None:
        self.row = row
        self.problems = problems

    def fail(self, field: str, value: Any, problem: str, expected: str) -> None:
        self.problems.append(RowProblem(self.row, field, text(value), problem, expected))

    def required(self, field: str, value: Any, expected: str) -> str:
        result = text(value)
        if not result:
            self.fail(field, value, t("必填项为空"), expected)
        return result

    def choice(
        self, field: str, value: Any, allowed: dict[str, str], expected: str, default: str = ""
    ) -> str:
        """Map a value (or any of its accepted spellings) to its canonical code."""
        raw = text(value)
        if not raw and default:
            return default
        if raw in allowed:
            return allowed[raw]
        self.fail(field, value, t("不是允许的取值"), expected)
        return default

    def year(
        self, field: str, value: Any, lowest: int = EARLIEST_YEAR, highest: int = PLAN_YEAR
    ) -> int | None:
        """A four-digit year (2006, 2006.0 from Excel, 2006年, or a date 2006-06-20)."""
        raw = text(value)
        if not raw:
            return None
        expected = t("{lowest}–{highest} 之间的四位年份，或留空", lowest=lowest, highest=highest)
        match = _YEAR.fullmatch(raw)
        if not match:
            self.fail(field, value, t("年份格式不正确，应为四位数字"), expected)
            return None
        year = int(match.group(1))
        if year > highest:
            problem = t("年份晚于规划年{year}年，不能填写未来的年份", year=highest)
            self.fail(field, value, problem, expected)
            return None
        if year < lowest:
            self.fail(field, value, t("年份早于{year}年", year=lowest), expected)
            return None
        return year

    def number(self, field: str, value: Any, expected: str) -> float | None:
        raw = text(value)
        if not raw:
            return None
        try:
            number = float(raw)
        except ValueError:
            number = math.nan
        if math.isnan(number) or math.isinf(number):
            self.fail(field, value, t("不是数字"), expected)
            return None
        return number


def duplicated_names(
    frame: pd.DataFrame,
    column: str,
    problems: list[RowProblem],
    rows: Sequence[int] | None = None,
) -> None:
    """Report rows whose ``column`` repeats an earlier row's, compared as keys
    (``key_text``: ＡＢＣ茶 repeats abc茶)."""
    numbers = row_numbers(frame, rows)
    seen: dict[str, tuple[int, str]] = {}
    for index, value in enumerate(frame[column].map(text)):
        key = key_text(value)
        if key and key in seen:
            row, first = seen[key]
            problem = (
                t("与第{row}行重复", row=row)
                if first == value
                else t("与第{row}行的“{name}”重复（忽略全角半角和大小写）", row=row, name=first)
            )
            problems.append(RowProblem(numbers[index], column, value, problem, t("表内唯一的名称")))
        seen.setdefault(key, (numbers[index], value))
