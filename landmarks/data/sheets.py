"""The one spreadsheet writer: frames written to an .xlsx workbook in memory.

The list export (``query/export.py``), the import report (``imports.report_xlsx``) and the
full dump (``dump.to_xlsx``) all write through ``workbook``, so every sheet handed out is
made the same way: characters a workbook cannot hold (XML control characters) removed,
cells a spreadsheet would run as formulas guarded (``spreadsheet.neutralize_frame``, or a
caller's stricter guard), text longer than an Excel cell holds cut with a note saying so,
sheet titles Excel accepts, the header row frozen and the columns sized.

What a single cell means (the formula guard and its undoing, the cell limit) lives in
``spreadsheet.py``, which the import's reading also uses; this module only writes.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pandas as pd

from landmarks.data.spreadsheet import EXCEL_CELL_LIMIT, neutralize_frame
from landmarks.data.visible import visible

# Columns sized to their content are at most this wide (in Excel's character units).
WIDEST_COLUMN = 60
# Excel's longest sheet title.
SHEET_TITLE_LIMIT = 31
CUT_MARK = "……"


@dataclass(frozen=True)
class Sheet:
    """One worksheet: its title, its rows (headers as the frame's columns), the width of
    its first columns (the others, or all when empty, sized to their content), the note
    ending text cut at Excel's cell limit, and the guard against formulas."""

    title: str
    frame: pd.DataFrame
    widths: Sequence[float] = ()
    cut_note: str = CUT_MARK
    guard: Callable[[pd.DataFrame], pd.DataFrame] = neutralize_frame


def sheet_title(name: str) -> str:
    """``name`` as Excel takes a sheet's title: without the characters it refuses
    (``[]:*?/\\``, which a product or metric named in it may hold), no apostrophe at either
    end, at most 31 characters; empty when nothing is left."""
    from openpyxl.workbook.child import INVALID_TITLE_REGEX

    cleaned = INVALID_TITLE_REGEX.sub("", visible(name)).strip().strip("'")
    return cleaned[:SHEET_TITLE_LIMIT].strip()


def _without_illegal(frame: pd.DataFrame) -> pd.DataFrame:
    """Text cells without the control characters openpyxl refuses (they carry no meaning
    in these fields; tab, line feed and carriage return stay)."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    result = frame.copy()
    for column in result.columns:
        values = result[column]
        if pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
            continue
        result[column] = values.map(
            lambda v: ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v
        )
    return result


def within_cell(value: str, note: str = CUT_MARK) -> str:
    """Text an Excel cell holds: longer text is cut, ending with ``note``."""
    if len(value) <= EXCEL_CELL_LIMIT:
        return value
    return value[: EXCEL_CELL_LIMIT - len(note)] + note


def safe_frame(sheet: Sheet) -> pd.DataFrame:
    """The cells as written: illegal characters removed first (so that a control
    character cannot hide a formula sign from the guard), then guarded, then cut."""
    safe = sheet.guard(_without_illegal(sheet.frame))
    for column in safe.columns:
        if not pd.api.types.is_numeric_dtype(safe[column]):
            safe[column] = safe[column].map(
                lambda v: within_cell(v, sheet.cut_note) if isinstance(v, str) else v
            )
    return safe


def content_width(header: object, values: pd.Series) -> float:
    """A column as wide as its longest cell or its header (counted twice: headers are
    Chinese, a character two units wide), plus a margin, at most ``WIDEST_COLUMN``."""
    # Empty cells count as 0 wide (an all-empty column has no longest value).
    lengths = values.map(lambda v: len(str(v)) if pd.notna(v) else 0)
    widest = max(len(str(header)) * 2, int(lengths.max()) if len(lengths) else 0)
    return float(min(WIDEST_COLUMN, widest + 2))


def workbook(sheets: Sequence[Sheet]) -> bytes:
    """The sheets, in order, as one .xlsx workbook: cells made safe (``safe_frame``),
    header row frozen, columns sized.  A title Excel refuses is cleaned
    (``sheet_title``); raises ValueError when nothing is left of it or two are the same."""
    # Imported when a file is asked for: pages showing the export buttons start faster.
    from openpyxl.utils import get_column_letter

    titles = [sheet_title(sheet.title) for sheet in sheets]
    if not sheets or not all(titles) or len(set(titles)) < len(titles):
        raise ValueError(f"sheet titles must be distinct and not empty: {titles!r}")
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for sheet, title in zip(sheets, titles, strict=True):
            safe = safe_frame(sheet)
            safe.to_excel(writer, index=False, sheet_name=title)
            worksheet = writer.sheets[title]
            worksheet.freeze_panes = "A2"
            for position, column in enumerate(safe.columns):
                width = (
                    sheet.widths[position]
                    if position < len(sheet.widths)
                    else content_width(column, safe[column])
                )
                worksheet.column_dimensions[get_column_letter(position + 1)].width = width
    return buffer.getvalue()
