"""The one spreadsheet writer (landmarks/data/sheets.py), on tiny frames; and that the
list export, the import report and the full dump all write through it."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from landmarks.data import sheets
from landmarks.data.spreadsheet import EXCEL_CELL_LIMIT
from landmarks.query.export import to_xlsx_bytes

LANDMARKS = Path(__file__).resolve().parents[2] / "landmarks"


def _book(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def _values(sheet: object) -> list[list[object]]:
    return [list(row) for row in sheet.iter_rows(values_only=True)]  # type: ignore[attr-defined]


@pytest.mark.parametrize("text", ["=1+1", "+86", "-3", "@SUM(A1)", "\t=1", "\r=1"])
def test_formula_like_cells_are_neutralised_and_numbers_kept(text: str) -> None:
    frame = pd.DataFrame({"名称": [text, "秭归脐橙"], "数量": [-3, 5]})
    sheet = _book(sheets.workbook([sheets.Sheet("表", frame)]))["表"]
    # (a workbook is XML: a carriage return reads back as a line feed)
    written = ["'" + text.replace("\r", "\n"), -3]
    assert _values(sheet) == [["名称", "数量"], written, ["秭归脐橙", 5]]
    assert not [cell for row in sheet.iter_rows() for cell in row if cell.data_type == "f"]


def test_illegal_characters_are_stripped_before_the_guard() -> None:
    """A control character openpyxl refuses is removed; one hiding a formula sign from the
    guard (\\x01=1) leaves a guarded cell, not a formula."""
    frame = pd.DataFrame({"a": ["秭\x00归\x1f", "\x01=HYPERLINK(1)", "行一\n行二\t"]})
    sheet = _book(sheets.workbook([sheets.Sheet("表", frame)]))["表"]
    assert [row[0] for row in _values(sheet)] == ["a", "秭归", "'=HYPERLINK(1)", "行一\n行二\t"]


def test_the_list_export_guards_a_formula_behind_a_control_character() -> None:
    """Before one writer, the export stripped control characters after guarding, so
    \\x01=1 was written as the formula =1."""
    sheet = _book(to_xlsx_bytes(pd.DataFrame({"名称": ["\x01=1+1"]}))).active
    assert sheet is not None
    assert sheet["A2"].value == "'=1+1" and sheet["A2"].data_type != "f"


def test_every_sheet_is_written_in_order_with_its_header_frozen() -> None:
    frames = [
        sheets.Sheet("问题清单", pd.DataFrame({"行号": [2, 3]})),
        sheets.Sheet("导入概要", pd.DataFrame({"项目": ["结论"], "内容": ["可以导入"]})),
        sheets.Sheet("空表", pd.DataFrame({"x": pd.Series([], dtype=object)})),
    ]
    book = _book(sheets.workbook(frames))
    assert book.sheetnames == ["问题清单", "导入概要", "空表"]
    assert [book[name].freeze_panes for name in book.sheetnames] == ["A2"] * 3
    assert _values(book["导入概要"]) == [["项目", "内容"], ["结论", "可以导入"]]
    assert _values(book["空表"]) == [["x"]]


def test_columns_take_the_widths_given_and_the_rest_their_content() -> None:
    frame = pd.DataFrame(
        {"行号": [2], "值": ["短"], "问题": ["x" * 20], "长": ["y" * 500], "空": [None]}
    )
    sheet = _book(sheets.workbook([sheets.Sheet("表", frame, widths=(8, 30))]))["表"]
    widths = [sheet.column_dimensions[letter].width for letter in "ABCDE"]
    # given; given; longest cell + 2; capped at 60; header counted twice (Chinese) + 2
    assert widths == [8, 30, 22, sheets.WIDEST_COLUMN, 4]


def test_text_longer_than_an_excel_cell_is_cut_with_the_note() -> None:
    frame = pd.DataFrame({"a": ["长" * (EXCEL_CELL_LIMIT + 10), "短"]})
    sheet = _book(sheets.workbook([sheets.Sheet("表", frame, cut_note="（已截断）")]))["表"]
    cut = sheet["A2"].value
    assert isinstance(cut, str) and len(cut) == EXCEL_CELL_LIMIT
    assert cut.endswith("（已截断）") and sheet["A3"].value == "短"


def test_a_callers_guard_replaces_the_plain_one() -> None:
    frame = pd.DataFrame({"a": ["'=1", "=1"]})

    def round_trip(values: pd.DataFrame) -> pd.DataFrame:  # as the full dump guards
        return values.map(lambda v: "'" + v)

    sheet = _book(sheets.workbook([sheets.Sheet("表", frame, guard=round_trip)]))["表"]
    assert [row[0] for row in _values(sheet)] == ["a", "''=1", "'=1"]


@pytest.mark.parametrize(
    ("asked", "title"),
    [("秭归[脐橙]:产值?", "秭归脐橙产值"), ("'引号'", "引号"), ("长" * 40, "长" * 31)],
    ids=["refused-characters", "apostrophes", "too-long"],
)
def test_sheet_titles_are_ones_excel_takes(asked: str, title: str) -> None:
    assert sheets.sheet_title(asked) == title
    frame = pd.DataFrame({"a": [1]})
    assert _book(sheets.workbook([sheets.Sheet(asked, frame)])).sheetnames == [title]


@pytest.mark.parametrize("titles", [["表", "表"], ["[]"], []])
def test_empty_or_repeated_titles_are_refused(titles: list[str]) -> None:
    with pytest.raises(ValueError, match="sheet titles"):
        sheets.workbook([sheets.Sheet(title, pd.DataFrame({"a": [1]})) for title in titles])


def test_spreadsheets_are_written_in_one_place() -> None:
    """The list export, the import report and the full dump write their frames through
    ``sheets.workbook``; no module keeps its own copy of the writer.  (The import
    template, built cell by cell with comments and drop-down lists, writes no frames.)"""
    writing = [
        path.relative_to(LANDMARKS).as_posix()
        for path in sorted(LANDMARKS.rglob("*.py"))
        if any(
            sign in path.read_text(encoding="utf-8")
            for sign in ("ExcelWriter", "ILLEGAL_CHARACTERS_RE", "to_excel(")
        )
    ]
    assert writing == ["data/sheets.py"]
    for caller in ("query/export.py", "data/imports.py", "data/dump.py"):
        assert "sheets.workbook(" in (LANDMARKS / caller).read_text(encoding="utf-8"), caller
