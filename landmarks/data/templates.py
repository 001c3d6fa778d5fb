"""Downloadable Excel templates, one per importable table, in the interface's language.

The first sheet holds the header (required columns highlighted, each header
explained in a comment), one example row (its first cell starts with 示例：, so an example
left in is skipped on import) and a frozen header; enumerated fields offer drop-down
lists (strict where the import accepts nothing else, suggestions otherwise) and years are
limited to four-digit years up to the plan year.  The sheet 填写说明 lists every column:
required or not, what to fill in, the allowed values and the other accepted names.
"""

from __future__ import annotations

import io

from landmarks import i18n
from landmarks.data.bounds import MAX_CSV_BYTES, MAX_XLSX_BYTES, size_text
from landmarks.data.columns import (
    INPUT_COLUMNS,
    TABLE_LABELS,
    InputColumn,
    choice_list,
    columns_for,
    datum_list,
)
from landmarks.data.imports import EXAMPLE_MARK
from landmarks.data.reading import INSTRUCTIONS_SHEET, MAX_DATA_ROWS
from landmarks.data.records import BORDER_TOLERANCE_METRES
from landmarks.data.regions import OLD_COUNTY_NAMES, OLD_PREFECTURE_NAMES, Regions
from landmarks.data.validation import EARLIEST_YEAR, PLAN_YEAR
from landmarks.i18n import N_, t

OPTIONS_SHEET = N_("选项")  # hidden: the drop-down lists' values (t() names the sheet)
TEMPLATE_ROWS = 2000  # rows the drop-down lists and year checks cover
_REQUIRED_FILL = "FCE4D6"
_HEADER_FILL = "DDEBF7"
INSTRUCTION_HEADERS = (
    N_("列名"),
    N_("是否必填"),
    N_("填写说明"),
    N_("可选值"),
    N_("示例"),
    N_("也可写作"),
)


def template_name(table: str) -> str:
    """The download's file name, e.g. 地理标志产品导入模板.xlsx."""
    return t("{table}导入模板.xlsx", table=t(TABLE_LABELS[table]))


def general_notes(table: str) -> list[str]:
    """The rules that apply to every row of ``table``, shown under the column list."""
    columns = {column.key for column in INPUT_COLUMNS[table]}
    old = i18n.joined(
        f"{i18n.name(a)}→{i18n.name(b)}"
        for a, b in (OLD_COUNTY_NAMES | OLD_PREFECTURE_NAMES).items()
    )
    notes = [
        t("第1行是列名，请不要修改；列的顺序可以调整，不用的可选列可以删除。"),
        t(
            "第2行是示例（以“{mark}”开头），导入时自动跳过；可以删除或改写。",
            mark=EXAMPLE_MARK,
        ),
        t("标为橙色的列必填；有下拉箭头的列请从列表中选择。"),
        t("年份填四位数字，不晚于规划年 {plan_year} 年。", plan_year=PLAN_YEAR),
        t(
            "县市区可写全称、简称或6位行政区划代码；旧地名会按现名导入（{old}）。"
            "县市区必须属于所填的市州。",
            old=old,
        ),
        t(
            "导入时可选“追加”（已有的记录算重复）或“更新”（已有的记录按文件修改）；"
            "有问题的文件不会导入，除非明确选择只导入无误的行。"
        ),
        t(
            "每格文字有长度上限（{examples}，见各列说明）；名称比较时不分全角半角和大小写"
            "（{same} 是同一个名称）。每个文件最多 {rows} 行数据；"
            "CSV 文件不超过 {csv}，Excel 文件不超过 {xlsx}。",
            examples=_length_examples(table),
            same=i18n.joined(["ＡＢＣ茶", "ABC茶", "abc茶"]),  # not UI: names as typed
            rows=f"{MAX_DATA_ROWS:,}",
            csv=size_text(MAX_CSV_BYTES),
            xlsx=size_text(MAX_XLSX_BYTES),
        ),
    ]
    if "lon" in columns:
        notes.append(
            t(
                "经纬度用十进制度（如 110.98）或度分秒（如 110°58′48″）。导入时选择文件的坐标系"
                "（{datums}），也可以在“{datum_header}”列逐行填写；"
                "坐标一律换算为 WGS-84 保存，且须落在所填县市区境内（边界外 "
                "{metres} 米以内视为境内）。",
                datums=datum_list(),
                datum_header=t("坐标系"),
                metres=f"{BORDER_TOLERANCE_METRES:.0f}",
            )
        )
    return notes


def _length_examples(table: str) -> str:
    """The length bounds of the table's name (first column) and note columns."""
    columns = INPUT_COLUMNS[table]
    shown = [columns[0], *(c for c in columns if c.key == "note")]
    return i18n.joined(
        t("{column}不超过 {limit} 个字符", column=c.label, limit=f"{c.max_length:,}") for c in shown
    )


def _allowed(column: InputColumn) -> str:
    if not column.choices:
        return ""
    values = choice_list(column.choices)
    return values if column.strict else t("{values}（仅为建议，也可填写其他内容）", values=values)


def template_xlsx(table: str, regions: Regions | None = None) -> bytes:
    """The import template of ``table`` (an ``INPUT_COLUMNS`` key) as an .xlsx file; its
    examples name places of ``regions`` (``columns_for``; Hubei's when None)."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    columns = INPUT_COLUMNS[table] if regions is None else columns_for(table, regions)
    options_sheet = t(OPTIONS_SHEET)
    workbook = Workbook()
    sheet = workbook.worksheets[0]
    sheet.title = t(TABLE_LABELS[table])
    sheet.append([column.label for column in columns])
    example = [column.example for column in columns]
    example[0] = EXAMPLE_MARK + example[0]
    sheet.append(example)
    sheet.freeze_panes = "A2"
    options = workbook.create_sheet(options_sheet)
    options.sheet_state = "hidden"
    option_column = 0
    last = TEMPLATE_ROWS + 1
    for position, column in enumerate(columns, start=1):
        letter = get_column_letter(position)
        cell = sheet.cell(row=1, column=position)
        cell.font = Font(bold=True)
        fill = _REQUIRED_FILL if column.required else _HEADER_FILL
        cell.fill = PatternFill("solid", start_color=fill, end_color=fill)
        rule = column.explanation
        cell.comment = Comment(
            t("（必填）{rule}", rule=rule) if column.required else t("（可选）{rule}", rule=rule),
            t("地标品牌地图"),
        )
        sheet.cell(row=2, column=position).font = Font(italic=True, color="808080")
        width = len(column.label) + 6 if i18n.english() else len(column.header) * 2 + 6
        sheet.column_dimensions[letter].width = max(12, min(40, width))
        cells = f"{letter}2:{letter}{last}"
        if column.choices:
            option_column += 1
            option_letter = get_column_letter(option_column)
            options.cell(row=1, column=option_column, value=column.label)
            for row, value in enumerate(column.choices, start=2):
                options.cell(row=row, column=option_column, value=value)
            end = len(column.choices) + 1
            validation = DataValidation(
                type="list",
                formula1=f"={options_sheet}!${option_letter}$2:${option_letter}${end}",
                allow_blank=True,
                showErrorMessage=True,
                errorStyle="stop" if column.strict else "information",
                errorTitle=column.label,
                error=t("请从下拉列表中选择：{allowed}", allowed=_allowed(column)),
                promptTitle=column.label,
                prompt=column.explanation[:250],
                showInputMessage=True,
            )
            validation.add(cells)
            sheet.add_data_validation(validation)
        elif column.kind == "text":
            # Excel refuses an over-long cell as it is typed, as the import would.
            validation = DataValidation(
                type="textLength",
                operator="lessThanOrEqual",
                formula1=str(column.max_length),
                allow_blank=True,
                showErrorMessage=True,
                errorTitle=column.label,
                error=t("不超过 {limit} 个字符", limit=f"{column.max_length:,}"),
            )
            validation.add(cells)
            sheet.add_data_validation(validation)
        elif column.kind == "year":
            validation = DataValidation(
                type="whole",
                operator="between",
                formula1=str(EARLIEST_YEAR),
                formula2=str(PLAN_YEAR),
                allow_blank=True,
                showErrorMessage=True,
                errorTitle=column.label,
                error=t(
                    "年份应为 {earliest}–{plan_year} 之间的四位数字",
                    earliest=EARLIEST_YEAR,
                    plan_year=PLAN_YEAR,
                ),
            )
            validation.add(cells)
            sheet.add_data_validation(validation)

    notes = workbook.create_sheet(t(INSTRUCTIONS_SHEET), index=1)
    notes.append([t(header) for header in INSTRUCTION_HEADERS])
    for column in columns:
        # In English the Chinese header is one of the other accepted names.
        names = column.names if i18n.english() else column.names[1:]
        notes.append(
            [
                column.label,
                t("必填") if column.required else t("可选"),
                column.explanation,
                _allowed(column),
                column.example,
                i18n.joined(names),
            ]
        )
    notes.append([])
    notes.append([t("填写规则")])
    for note in general_notes(table):
        notes.append(["", "", note])
    for cell in notes[1]:
        cell.font = Font(bold=True)
    notes.cell(row=len(columns) + 3, column=1).font = Font(bold=True)
    for letter, width in zip("ABCDEF", (16, 10, 60, 40, 24, 40), strict=True):
        notes.column_dimensions[letter].width = width
    for row in notes.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    notes.freeze_panes = "A2"

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
