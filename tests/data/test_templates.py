"""Import templates: Chinese header, example, drop-down lists, notes; filled in, they import."""

from __future__ import annotations

import io
import re

import openpyxl
import pandas as pd
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from landmarks import i18n
from landmarks.data.columns import INPUT_COLUMNS, TABLE_LABELS
from landmarks.data.coords import DATUM_LABELS
from landmarks.data.imports import MODE_APPEND, check_import, merged_tables, report_text
from landmarks.data.reading import read_upload
from landmarks.data.regions import Regions
from landmarks.data.templates import OPTIONS_SHEET, template_name, template_xlsx

TABLES = tuple(INPUT_COLUMNS)
CHINESE = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
# Rows that complete each template's example so it imports into the synthetic tables.
FILLED: dict[str, dict[str, str]] = {
    "products": {"产品名称": "屈乡丝棉茶", "产品系列": "", "品类": "茶叶"},
    "registrations": {"产品名称": "秭归脐橙", "地理标志类型": "地理标志集体商标"},
    "zones": {"示范区名称": "兴山白茶示范区", "所属县市区": "兴山县", "所属市州": "宜昌市"},
    "sites": {"站点名称": "屈原故里文化旅游区"},
    "outputs": {"年份": "2025"},
}


def workbook(table: str) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(template_xlsx(table)))


def drop_downs(sheet: Worksheet, book: openpyxl.Workbook) -> dict[str, list[str]]:
    """Header → values offered by the list validation of its column."""
    headers = {cell.column_letter: cell.value for cell in sheet[1]}
    options = book[i18n.t(OPTIONS_SHEET)]
    found = {}
    for validation in sheet.data_validations.dataValidation:
        if validation.type != "list":
            continue
        letter = str(validation.sqref).split(":")[0].rstrip("0123456789")
        source = validation.formula1.split("!")[1].replace("$", "")
        found[headers[letter]] = [cell.value for row in options[source] for cell in row]
    return found


@pytest.mark.parametrize("table", TABLES)
def test_the_template_has_the_chinese_header_an_example_and_a_frozen_header(table: str) -> None:
    book = workbook(table)
    assert book.sheetnames == [TABLE_LABELS[table], "填写说明", OPTIONS_SHEET]
    assert book[OPTIONS_SHEET].sheet_state == "hidden"
    sheet = book.worksheets[0]
    columns = INPUT_COLUMNS[table]
    assert [cell.value for cell in sheet[1]] == [column.header for column in columns]
    example = [cell.value or "" for cell in sheet[2]]
    assert example[0] == "示例：" + columns[0].example
    assert example[1:] == [column.example for column in columns[1:]]
    assert sheet.freeze_panes == "A2"
    required = [cell.comment.text.startswith("（必填）") for cell in sheet[1]]
    assert required == [column.required for column in columns]
    assert template_name(table) == f"{TABLE_LABELS[table]}导入模板.xlsx"


def test_enumerated_fields_offer_their_allowed_values() -> None:
    book = workbook("products")
    lists = drop_downs(book.worksheets[0], book)
    assert set(lists) == {"品类", "地理标志类型", "坐标系", "产业链", "可信度", "来源类型"}
    assert lists["坐标系"] == list(DATUM_LABELS)
    assert lists["可信度"] == ["高", "中", "低"]
    assert lists["来源类型"] == ["官方发布", "媒体报道", "汇编网站", "转载"]
    for table, header in (
        ("sites", "站点类型"),
        ("zones", "状态"),
        ("zones", "级别"),
        ("outputs", "指标"),
    ):
        book = workbook(table)
        assert header in drop_downs(book.worksheets[0], book)


def test_suggestion_lists_allow_other_values_and_years_are_bounded() -> None:
    sheet = workbook("zones").worksheets[0]
    headers = {cell.column_letter: cell.value for cell in sheet[1]}
    styles = {
        headers[str(v.sqref).split(":")[0].rstrip("0123456789")]: (v.type, v.errorStyle)
        for v in sheet.data_validations.dataValidation
    }
    assert styles["级别"] == ("list", "information")  # a suggestion
    assert styles["可信度"] == ("list", "stop")  # nothing else is accepted
    year = next(v for v in sheet.data_validations.dataValidation if v.type == "whole")
    assert (year.formula1, year.formula2) == ("1950", "2026")


@pytest.mark.parametrize("table", TABLES)
def test_the_notes_sheet_explains_every_column(table: str) -> None:
    sheet = workbook(table)["填写说明"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("列名", "是否必填", "填写说明", "可选值", "示例", "也可写作")
    described = {row[0]: row for row in rows[1 : len(INPUT_COLUMNS[table]) + 1]}
    for column in INPUT_COLUMNS[table]:
        row = described[column.header]
        assert row[1] == ("必填" if column.required else "可选")
        assert row[2] == column.explanation
        if column.choices:
            assert all(choice in row[3] for choice in column.choices)
    assert any(row[2] and "规划年 2026 年" in row[2] for row in rows)


@pytest.mark.parametrize("table", TABLES)
def test_a_filled_in_template_imports_and_its_example_row_is_skipped(
    table: str, tables: dict[str, pd.DataFrame], regions: Regions
) -> None:
    book = workbook(table)
    sheet = book.worksheets[0]
    headers = [cell.value for cell in sheet[1]]
    row = {header: cell.value or "" for header, cell in zip(headers, sheet[2], strict=True)}
    row[headers[0]] = row[headers[0]].removeprefix("示例：")
    row |= FILLED[table]
    sheet.append([row[header] for header in headers])
    buffer = io.BytesIO()
    book.save(buffer)
    raw = read_upload(buffer.getvalue(), template_name(table), table=table)
    report = check_import(raw, table, regions=regions, current=tables)
    assert report.ok, report_text(report)
    assert (
        report.rows_total == 1 and "第2行是模板的示例行（以“示例：”开头），已跳过" in report.notes
    )
    written = merged_tables(tables, report, MODE_APPEND)[table]
    assert len(written) == len(tables[table]) + 1


def test_an_untouched_template_has_nothing_to_import(
    tables: dict[str, pd.DataFrame], regions: Regions
) -> None:
    raw = read_upload(template_xlsx("products"), "模板.xlsx", table="products")
    report = check_import(raw, "products", regions=regions, current=tables)
    assert report.file_problem
    assert report.problems["problem"].tolist() == ["文件中只有模板的示例行，没有要导入的数据"]


def test_every_value_a_drop_down_offers_is_accepted(
    tables: dict[str, pd.DataFrame], regions: Regions
) -> None:
    book = workbook("products")
    lists = drop_downs(book.worksheets[0], book)
    base = {"产品名称": "", "品类": "茶叶", "所属县市区": "秭归县", "可信度": "高"}
    base |= {"来源类型": "官方发布", "经度": "110.7", "纬度": "30.9", "坐标系": ""}
    rows = []
    for header, values in lists.items():
        for value in values:
            rows.append(base | {"产品名称": f"{header}{value}", header: value})
    data = pd.DataFrame(rows).to_csv(index=False).encode("utf-8")
    raw = read_upload(data, "选项.csv", table="products")
    report = check_import(raw, "products", regions=regions, current=tables)
    assert report.ok, report_text(report)


@pytest.mark.parametrize("table", TABLES)
def test_in_english_the_template_speaks_english_and_still_imports(
    table: str, tables: dict[str, pd.DataFrame], regions: Regions
) -> None:
    with i18n.language(i18n.ENGLISH):
        book = workbook(table)
        columns = INPUT_COLUMNS[table]
        english = {column.header: column.label for column in columns}
        assert book.sheetnames[0] == i18n.t(TABLE_LABELS[table])
        assert book.sheetnames[1:] == ["Instructions", "Options"]
        assert book["Options"].sheet_state == "hidden"
        sheet = book.worksheets[0]
        headers = [cell.value for cell in sheet[1]]
        assert headers == [column.label for column in columns]
        assert not [header for header in headers if CHINESE.search(header)]
        required = [cell.comment.text.startswith("(Required) ") for cell in sheet[1]]
        assert required == [column.required for column in columns]
        notes = list(book["Instructions"].iter_rows(values_only=True))
        assert notes[0] == ("Column", "Required", "Instructions", "Allowed values", "Example",
                            "Also accepted as")  # fmt: skip
        # The Chinese header is among the other names the import accepts.
        assert notes[1][5].startswith(columns[0].header + ", ")
        assert template_name(table) == f"{i18n.t(TABLE_LABELS[table])} import template.xlsx"
        # Filled in (values stay as the import reads them, in Chinese), it imports.
        row = {header: cell.value or "" for header, cell in zip(headers, sheet[2], strict=True)}
        row[headers[0]] = row[headers[0]].removeprefix("示例：")
        row |= {english[header]: value for header, value in FILLED[table].items()}
        sheet.append([row[header] for header in headers])
        buffer = io.BytesIO()
        book.save(buffer)
        raw = read_upload(buffer.getvalue(), template_name(table), table=table)
        report = check_import(raw, table, regions=regions, current=tables)
        assert report.ok, report_text(report)
        assert report.rows_total == 1
        written = merged_tables(tables, report, MODE_APPEND)[table]
    assert len(written) == len(tables[table]) + 1


def test_in_english_the_notes_gloss_the_values_users_write() -> None:
    with i18n.language(i18n.ENGLISH):
        book = workbook("products")
        rows = {row[0]: row for row in book["Instructions"].iter_rows(values_only=True)}
        assert rows["Confidence"][2].startswith("高 (High)/中 (Medium)/低 (Low): high when")
        assert rows["Category"][3].startswith("茶叶 (Tea)/水果 (Fruit)/")
        lists = drop_downs(book.worksheets[0], book)
    assert lists["Confidence"] == ["高", "中", "低"]  # the drop-down offers the values
    assert "Rules" in rows
    assert any(row[2] and "plan year 2026" in row[2] for row in rows.values())
