"""Read an uploaded CSV or Excel file into a table of strings, as its clerk laid it out.

Files come from county and prefecture offices in whatever shape their clerks made them:
CSV saved by Excel in GBK, UTF-8 with or without a byte-order mark; workbooks with a title
row above the header, a header of two rows with merged group cells, a prefecture merged
down many rows, numbers stored as text, years as 2006.0, dates as Excel dates.  This module
only reads: it finds the header row, fills merged cells, turns every cell into trimmed
text (Excel numbers without a spurious .0, dates as ISO dates) and drops empty rows, and
remembers each row's number in the sheet so problems can point at it.  What the columns
mean is decided by ``landmarks.data.imports``.

Anything unreadable raises ``ReadError`` with a message (in the run's language) saying why
and what to do.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import math
import posixpath
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any
from xml.etree import ElementTree

import numpy as np
import pandas as pd

from landmarks import i18n
from landmarks.data.bounds import CSV_EXTENSIONS, check_size, size_text
from landmarks.data.bounds import ReadError as ReadError  # raised by ``read_upload``
from landmarks.data.columns import INPUT_COLUMNS, TABLE_LABELS, is_known_header
from landmarks.data.spreadsheet import unguarded
from landmarks.data.visible import visible
from landmarks.i18n import N_, t

# Bounds on a file, checked before (sizes) or while (rows, cells) it is read, so a file of
# a million rows is refused in seconds instead of being parsed whole inside the server
# process every visitor shares.  The whole catalogue of Hubei's GI products is a few
# hundred rows; 10,000 rows of 20 columns leave room for a national list.
# The file sizes per kind are in ``landmarks.data.bounds`` (checked before reading).
# An .xlsx is a zip archive: its parts may unpack to many times the upload's size.
MAX_UNPACKED_BYTES = 500 * 1024 * 1024
# The XML of the one sheet read: 10,000 rows of 20 cells take about 15 MB.
MAX_SHEET_XML_BYTES = 64 * 1024 * 1024
MAX_DATA_ROWS = 10_000  # rows holding anything, below the header
# Records read, empty ones included: a file of empty lines (or of rows of styled empty
# cells) is refused at this bound instead of being read to its end.
MAX_RECORDS = 100_000
MAX_COLUMNS = 100  # columns holding anything
MAX_CELLS = 300_000  # non-empty cells in the rows read
CSV_PREFIX_BYTES = 64 * 1024  # the part of a CSV its encoding and delimiter are told from
HEADER_SEARCH_ROWS = 30  # the header must be among the first rows that hold anything
MIN_HEADER_MATCHES = 2  # cells naming known columns for a row to count as the header
INSTRUCTIONS_SHEET = N_("填写说明")  # the templates' notes sheet, never read as data

XLSX_EXTENSIONS = frozenset({".xlsx", ".xlsm"})
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Excel 97-2003 (.xls) and other OLE files
# Encodings charset-normalizer chooses among: Chinese offices save CSV in one of these
# (GB18030 is a superset of GBK and GB2312, so GBK files decode exactly).
CSV_ENCODINGS = ("utf_8", "gb18030")
_LATER_ENCODINGS = {"ascii": ("utf_8", "gb18030"), "utf_8": ("gb18030",)}
ENCODING_LABELS = {
    "utf_8": "UTF-8",
    "utf_8_sig": N_("UTF-8（带BOM）"),
    "gb18030": "GBK/GB18030",
    "utf_16": "UTF-16",
}
_MERGE_REF = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+[0-9]+(?::[A-Z]+[0-9]+)?)"')
_NS = {
    "main": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
}
_REL_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


@dataclass(frozen=True)
class RawTable:
    """An uploaded table as text: the header as written, rows as trimmed strings."""

    frame: pd.DataFrame  # columns: the file's headers (made unique); cells: str, '' if empty
    row_numbers: tuple[int, ...]  # row number in the sheet (or CSV record) of each frame row
    header_row: int  # sheet row of the header (its second row when the header has two)
    sheet: str  # worksheet name; '' for CSV
    encoding: str  # detected CSV encoding (ENCODING_LABELS key); '' for workbooks
    file_name: str
    notes: tuple[str, ...] = ()  # how the file was read (title rows skipped …)

    @property
    def encoding_label(self) -> str:
        return t(ENCODING_LABELS.get(self.encoding, self.encoding))


def read_upload(
    data: bytes, file_name: str, *, table: str | None = None, sheet: str | None = None
) -> RawTable:
    """Read an uploaded file.

    ``table`` (an ``INPUT_COLUMNS`` key) tells which headers to look for; without it any
    table's headers count.  ``sheet`` names the worksheet to read; by default the first
    visible sheet with a header.  Files over their kind's size bound (``size_limit``) are
    refused before any parsing; files over the row, column or cell bounds as soon as
    reading reaches the bound.
    """
    check_size(len(data), file_name)
    if not data:
        raise ReadError(t("文件“{file}”是空的（0 字节），请检查是否选错了文件。", file=file_name))
    extension = PurePath(file_name).suffix.lower()
    if data.startswith(_OLE_MAGIC) or extension == ".xls":
        raise ReadError(
            t(
                "“{file}”是旧版 Excel 97-2003（.xls）文件，无法读取。"
                "请在 Excel 中“另存为”Excel 工作簿（.xlsx）或“CSV UTF-8（逗号分隔）”后再上传。",
                file=file_name,
            )
        )
    if data.startswith(_ZIP_MAGIC) or extension in XLSX_EXTENSIONS:
        return _read_workbook(data, file_name, table, sheet)
    if extension in CSV_EXTENSIONS:
        return _read_csv(data, file_name, table)
    shown = f"“{extension}”" if extension else t("（文件名没有扩展名）")
    raise ReadError(
        t(
            "不支持的文件类型{kind}：“{file}”。请上传 Excel 工作簿（.xlsx）或 CSV 文件（.csv）。",
            kind=shown,
            file=file_name,
        )
    )


def table_from_frame(frame: pd.DataFrame, source: str | None = None) -> RawTable:
    """A table typed in the app (``st.data_editor``) as if uploaded: headers as given
    (Chinese headers or keys), header in row 1, cells cleaned like a file's, empty rows
    dropped (each kept row keeps its number).  ``source`` names it (default 在线编辑)."""
    if source is None:
        source = t("在线编辑")
    cells = frame.astype(object).map(clean_cell).reset_index(drop=True)
    typed = (cells != "").any(axis=1)
    return RawTable(
        frame=cells[typed].reset_index(drop=True),
        row_numbers=tuple(int(i) + 2 for i in cells.index[typed]),
        header_row=1,
        sheet="",
        encoding="",
        file_name=source,
    )


# Cells -------------------------------------------------------------------------------


def clean_cell(value: Any) -> str:
    """One cell as trimmed text: Excel numbers without a spurious .0 (2006.0 → 2006),
    dates as ISO dates, invisible characters removed (``visible``: the zero-width joiner
    of emoji sequences stays), an export's formula guard (a leading
    apostrophe before = + - @) undone."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"  # not UI: a cell's value, as a clerk types it
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return str(np.format_float_positional(value, trim="-"))
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    # The characters removed are those never shown (``visible``): bidi controls and
    # zero-width marks, so a name read is the name shown and compared (``key_text``).
    result = visible(value).replace("\r\n", "\n").replace("\r", "\n").strip()
    return unguarded(result)  # one apostrophe: the export guards '=1 as ''=1


def _header_text(value: str) -> str:
    return " ".join(value.split())


# CSV ---------------------------------------------------------------------------------


def _prefix(data: bytes) -> bytes:
    """The first ``CSV_PREFIX_BYTES`` of a file, ending at a line end (never inside a
    character) unless the file is shorter."""
    if len(data) <= CSV_PREFIX_BYTES:
        return data
    head = data[:CSV_PREFIX_BYTES]
    end = head.rfind(b"\n")
    return head[: end + 1] if end > 0 else head


def _encoding(data: bytes, file_name: str) -> tuple[str, int]:
    """The encoding a CSV file is in, told from its prefix, and where its text starts
    (after a byte-order mark)."""
    if data.startswith(codecs.BOM_UTF8):
        return "utf_8_sig", len(codecs.BOM_UTF8)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf_16", 0  # Excel's "Unicode text"; the codec reads the mark itself
    from charset_normalizer import from_bytes

    prefix = _prefix(data)
    best = from_bytes(prefix, cp_isolation=list(CSV_ENCODINGS)).best()
    if best is None or b"\x00" in data[:4096]:
        raise ReadError(
            t(
                "无法识别“{file}”的文字编码，它可能不是文本格式的 CSV 文件。"
                "请在 Excel 中“另存为”“CSV UTF-8（逗号分隔）”或 Excel 工作簿（.xlsx）后再上传。",
                file=file_name,
            )
        )
    return best.encoding, 0


def _delimiter(text: str) -> str:
    lines = [line for line in text.splitlines()[:20] if line.strip()]
    counts = {d: sum(line.count(d) for line in lines) for d in (",", "\t", ";")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _csv_grid(
    data: bytes, start: int, encoding: str, delimiter: str, file_name: str, *, strict: bool
) -> list[tuple[int, list[str]]]:
    """The file's records as cleaned cells, decoded and parsed as a stream: only the rows
    kept (bounded by ``_Bounds``) are held, never the file's whole text."""
    codec = "utf_8" if encoding == "utf_8_sig" else encoding
    stream = io.BytesIO(data)
    stream.seek(start)
    text = io.TextIOWrapper(
        stream, encoding=codec, errors="strict" if strict else "replace", newline=""
    )
    bounds = _Bounds(file_name)
    grid = []
    for number, row in enumerate(csv.reader(text, delimiter=delimiter), 1):
        cells = [clean_cell(cell) for cell in row]
        if bounds.count(cells):
            grid.append((number, cells[:MAX_COLUMNS]))
    return grid


def _read_csv(data: bytes, file_name: str, table: str | None) -> RawTable:
    encoding, start = _encoding(data, file_name)
    codec = "utf_8" if encoding == "utf_8_sig" else encoding
    head = _prefix(data)[start:].decode(codec, errors="ignore")
    if len(data) <= CSV_PREFIX_BYTES and not head.strip():
        raise ReadError(t("“{file}”中没有任何内容（只有空行或空单元格）。", file=file_name))
    delimiter = _delimiter(head)
    # A prefix of plain ASCII (or UTF-8) may hide a GBK line further down: each candidate
    # is tried strictly, the last one with undecodable bytes replaced.
    candidates = list(dict.fromkeys([encoding, *_LATER_ENCODINGS.get(encoding, ())]))
    try:
        for position, encoding in enumerate(candidates):
            last = position == len(candidates) - 1
            try:
                grid = _csv_grid(data, start, encoding, delimiter, file_name, strict=not last)
                break
            except UnicodeDecodeError:
                continue
    except csv.Error as error:
        raise ReadError(
            t("“{file}”不是有效的 CSV 文件：{error}。", file=file_name, error=error)
        ) from error
    return _table(grid, [], file_name, table, sheet="", encoding=encoding)


# Bounds ------------------------------------------------------------------------------


class _Bounds:
    """Counts rows, columns and cells as a file is read and refuses it, naming the bound,
    as soon as one is passed: memory stays within the bounds whatever the file's size."""

    def __init__(self, file_name: str) -> None:
        self.file_name = file_name
        self.records = 0
        self.rows = 0
        self.cells = 0
        # The header and title rows above the data count too.
        self.row_limit = MAX_DATA_ROWS + HEADER_SEARCH_ROWS

    def count(self, cells: Sequence[str]) -> bool:
        """Count one record; ``True`` when it holds anything (only those are kept: a row
        with no filled cell is dropped as read, so empty rows cost no memory)."""
        self.records += 1
        if self.records > MAX_RECORDS:
            self._refuse(t("记录数（含空行）超过了 {limit} 行的上限", limit=f"{MAX_RECORDS:,}"))
        filled = [position for position, cell in enumerate(cells) if cell]
        if not filled:
            return False
        self.rows += 1
        self.cells += len(filled)
        if self.rows > self.row_limit:
            raise too_many_rows(self.file_name)
        if filled[-1] >= MAX_COLUMNS:
            self._refuse(t("列数超过了 {limit} 列的上限", limit=MAX_COLUMNS))
        if self.cells > MAX_CELLS:
            self._refuse(t("单元格数超过了 {limit} 个的上限", limit=f"{MAX_CELLS:,}"))
        return True

    def _refuse(self, bound: str) -> None:
        raise _refusal(self.file_name, bound)


def _refusal(file_name: str, bound: str) -> ReadError:
    return ReadError(
        t(
            "“{file}”{bound}，未读取（读到此处即停止）。请把数据拆成几个较小的文件分批导入。",
            file=file_name,
            bound=bound,
        )
    )


def too_many_rows(file_name: str) -> ReadError:
    """The refusal of a file over ``MAX_DATA_ROWS``."""
    return _refusal(file_name, t("行数超过了 {limit} 行数据的上限", limit=f"{MAX_DATA_ROWS:,}"))


# Workbooks ---------------------------------------------------------------------------


def _unreadable(file_name: str, reason: str) -> ReadError:
    return ReadError(
        t(
            "无法读取 Excel 文件“{file}”：{reason}。"
            "请在 Excel 中打开它，另存为 Excel 工作簿（.xlsx）后再上传。",
            file=file_name,
            reason=reason,
        )
    )


def _sheet_parts(archive: zipfile.ZipFile) -> list[tuple[str, str, bool]]:
    """(name, part path, visible) of each worksheet, in workbook order."""
    workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    relations = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {
        rel.get("Id"): rel.get("Target", "") for rel in relations.findall("rel:Relationship", _NS)
    }
    parts = []
    for node in workbook.findall("main:sheets/main:sheet", _NS):
        target = targets.get(node.get(_REL_ID), "")
        path = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
        parts.append(
            (node.get("name", ""), posixpath.normpath(path), node.get("state") != "hidden")
        )
    return parts


def _merged_ranges(archive: zipfile.ZipFile, part: str) -> list[tuple[int, int, int, int]]:
    """Merged ranges of a sheet as (min_col, min_row, max_col, max_row), 1-based."""
    from openpyxl.utils.cell import range_boundaries

    try:
        xml = archive.read(part)
    except KeyError:
        return []
    ranges = []
    for match in _MERGE_REF.finditer(xml):
        bounds = range_boundaries(match.group(1).decode())
        if None not in bounds:
            ranges.append(tuple(int(b) for b in bounds if b is not None))
    return [(r[0], r[1], r[2], r[3]) for r in ranges]


def _rows(
    worksheet: Any, limit: int | None = None, bounds: _Bounds | None = None
) -> list[tuple[int, list[str]]]:
    """The sheet's rows holding anything, as cleaned cells, read as a stream
    (``read_only`` workbooks), stopping at ``limit`` rows or when ``bounds`` are passed.
    Rows with no filled cell (styled empty cells) are not kept: ``_table`` drops them
    anyway, and a merged range filled from an empty top-left cell fills nothing."""
    grid = []
    for number, row in enumerate(worksheet.iter_rows(max_row=limit, values_only=True), 1):
        # Every cell is counted: a value past the last column read is refused, never
        # dropped unseen (only looking for the header reads the first columns alone).
        cells = [clean_cell(value) for value in (row if bounds is not None else row[:MAX_COLUMNS])]
        if bounds.count(cells) if bounds is not None else any(cells):
            grid.append((number, cells[:MAX_COLUMNS]))
    return grid


# A cell's value in the sheet XML: <v> (numbers, shared strings) or <is> (inline text),
# perhaps with a namespace prefix; empty cells that only carry a style have neither.
_VALUE_TAG = re.compile(rb"<(?:\w+:)?(?:v|is)>")
_CHUNK_BYTES = 1024 * 1024


def _check_sheet_cells(archive: zipfile.ZipFile, part: str, file_name: str, sheet: str) -> None:
    """Refuse a sheet holding more than ``MAX_CELLS`` filled cells, counted by streaming
    its XML (a fraction of a second for a million rows) before openpyxl would parse it."""
    try:
        stream = archive.open(part)
    except KeyError:
        return  # openpyxl reports a missing part
    count, tail = 0, b""
    with stream:
        while chunk := stream.read(_CHUNK_BYTES):
            window = tail + chunk
            # From the last "<" on, a tag may be cut by the chunk's end: it is counted in
            # the next window, never twice.
            last = window.rfind(b"<")
            cut = last if last >= 0 else len(window)
            count += len(_VALUE_TAG.findall(window, 0, cut))
            tail = window[cut:]
            if count > MAX_CELLS:
                raise ReadError(
                    t(
                        "Excel 文件“{file}”的工作表“{sheet}”有超过 {limit} 个填了内容的单元格"
                        "（上限），未读取。请把数据拆成几个较小的文件分批导入。",
                        file=file_name,
                        sheet=sheet,
                        limit=f"{MAX_CELLS:,}",
                    )
                )


def _check_sheet_size(archive: zipfile.ZipFile, part: str, file_name: str, sheet: str) -> None:
    """Refuse a sheet whose XML unpacks past ``MAX_SHEET_XML_BYTES`` (by the size the
    archive records) before any parsing."""
    try:
        size = archive.getinfo(part).file_size
    except KeyError:
        return  # openpyxl reports a missing part
    if size > MAX_SHEET_XML_BYTES:
        raise ReadError(
            t(
                "Excel 文件“{file}”的工作表“{sheet}”解压后达 {size}，超过了 {limit} 的上限"
                "（约 {rows} 行数据），未读取。请拆分后分批导入。",
                file=file_name,
                sheet=sheet,
                size=size_text(size),
                limit=size_text(MAX_SHEET_XML_BYTES),
                rows=f"{MAX_DATA_ROWS:,}",
            )
        )


def _read_workbook(data: bytes, file_name: str, table: str | None, sheet: str | None) -> RawTable:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        unpacked = sum(info.file_size for info in archive.infolist())
        parts = _sheet_parts(archive)
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError) as error:
        raise _unreadable(file_name, t("文件已损坏，或并不是 .xlsx 格式")) from error
    if unpacked > MAX_UNPACKED_BYTES:
        raise ReadError(
            t(
                "Excel 文件“{file}”解压后达 {size}，超过了 {limit} 的上限，未读取。"
                "请拆分后分批导入。",
                file=file_name,
                size=size_text(unpacked),
                limit=size_text(MAX_UNPACKED_BYTES),
            )
        )
    # Every sheet, before openpyxl opens the workbook: opening one scans each sheet
    # whose writer recorded no used range, all of it (40 s for a million rows).
    for name, part, _ in parts:
        _check_sheet_size(archive, part, file_name, name)
        _check_sheet_cells(archive, part, file_name, name)
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many types for a damaged workbook
        reason = t("文件结构有误（{error}）", error=type(error).__name__)
        raise _unreadable(file_name, reason) from error
    try:
        name, part = _choose_sheet(workbook, parts, file_name, table, sheet)
        worksheet = workbook[name]
        worksheet.reset_dimensions()  # some writers record a wrong used range
        grid = _rows(worksheet, bounds=_Bounds(file_name))
    except ReadError:
        raise
    except Exception as error:
        reason = t("读取工作表时出错（{error}）", error=type(error).__name__)
        raise _unreadable(file_name, reason) from error
    finally:
        workbook.close()
    return _table(grid, _merged_ranges(archive, part), file_name, table, name, encoding="")


def _instruction_sheets() -> set[str]:
    """The templates' notes sheet in every language a template may have been made in."""
    return {INSTRUCTIONS_SHEET} | {
        i18n.catalog(code).get(INSTRUCTIONS_SHEET, INSTRUCTIONS_SHEET)
        for code in i18n.LANGUAGES
        if code != i18n.CHINESE
    }


def _choose_sheet(
    workbook: Any,
    parts: list[tuple[str, str, bool]],
    file_name: str,
    table: str | None,
    sheet: str | None,
) -> tuple[str, str]:
    paths = {name: part for name, part, _ in parts}
    if sheet is not None:
        if sheet not in paths:
            raise ReadError(
                t(
                    "“{file}”中没有名为“{sheet}”的工作表；现有工作表：{sheets}。",
                    file=file_name,
                    sheet=sheet,
                    sheets=t("、").join(paths),
                )
            )
        return sheet, paths[sheet]
    notes = _instruction_sheets()
    candidates = [name for name, _, visible in parts if visible and name not in notes]
    first_with_data = None
    for name in candidates:
        worksheet = workbook[name]
        worksheet.reset_dimensions()
        top = [row for row in _rows(worksheet, HEADER_SEARCH_ROWS * 2) if any(row[1])]
        if top and first_with_data is None:
            first_with_data = name
        if _best_header(top, table)[1] >= MIN_HEADER_MATCHES:
            return name, paths[name]
    if first_with_data is None:
        raise ReadError(
            t("Excel 文件“{file}”里没有任何数据（所有工作表都是空的）。", file=file_name)
        )
    return first_with_data, paths[first_with_data]


# The table ---------------------------------------------------------------------------


def _fill_merged(
    grid: list[tuple[int, list[str]]], ranges: Iterable[tuple[int, int, int, int]]
) -> None:
    """Give every cell of a merged range the value of its top-left cell (in place)."""
    index = {number: cells for number, cells in grid}
    for min_col, min_row, max_col, max_row in ranges:
        top = index.get(min_row)
        value = top[min_col - 1] if top is not None and len(top) >= min_col else ""
        for number in range(min_row, max_row + 1):
            cells = index.get(number)
            if cells is None:
                continue
            if len(cells) < max_col:
                cells.extend([""] * (max_col - len(cells)))
            for column in range(min_col - 1, max_col):
                cells[column] = value


def _known(value: str, table: str | None) -> bool:
    return bool(value) and is_known_header(value, table)


def _score(cells: Sequence[str], table: str | None) -> int:
    return len({cell for cell in cells if _known(cell, table)})


def _best_header(
    rows: Sequence[tuple[int, list[str]]], table: str | None
) -> tuple[int | None, int]:
    """Position (in ``rows``) of the header's field-name row, and how many known columns
    the header names.  A row counts together with the row right above it (a two-row
    header), so a lower row of field names wins over the group row above it; a tie goes
    to the earlier row."""
    best, best_score = None, 0
    window = rows[:HEADER_SEARCH_ROWS]
    for position, (number, cells) in enumerate(window):
        score = _score(cells, table)
        if position > 0 and window[position - 1][0] == number - 1:
            joined, _ = _joined_header(window[position - 1][1], cells, table)
            score = max(score, _score(joined, table))
        if score > best_score:
            best, best_score = position, score
    return best, best_score


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def _joined_header(upper: list[str], lower: list[str], table: str | None) -> tuple[list[str], bool]:
    """Field names from a two-row header: the lower row's name when it names a column,
    else the upper row's, else both joined (坐标 + 经度); ``True`` when the upper row
    gave any column its name.  Unknown names in the upper row (a group title) are unused."""
    width = max(len(upper), len(lower))
    upper = upper + [""] * (width - len(upper))
    lower = lower + [""] * (width - len(lower))
    names = []
    for top, bottom in zip(upper, lower, strict=True):
        candidates = (bottom, top, top + bottom)
        names.append(next((c for c in candidates if _known(c, table)), bottom))
    return names, names != lower


def _unique_headers(headers: list[tuple[int, str]]) -> list[str]:
    """Headers (with their column index) made unique, unnamed ones named by their column."""
    seen: set[str] = set()
    result = []
    for index, header in headers:
        name = header or t("（{column}列，无列名）", column=_column_letter(index))
        if name in seen:
            name = t("{header}（{column}列）", header=name, column=_column_letter(index))
        seen.add(name)
        result.append(name)
    return result


def _expected_headers(table: str | None) -> str:
    if table is None:
        return t(
            "如 {examples}（各表的列名见下载的模板）",
            examples=t("、").join(
                ("产品名称", "品类", "所属县市区", "经度", "纬度")  # not UI: headers to type
            ),
        )
    columns = INPUT_COLUMNS[table]
    required = t("、").join(c.header for c in columns if c.required)
    optional = t("、").join(c.header for c in columns if not c.required)
    return t(
        "{table}表的必填列：{required}；可选列：{optional}",
        table=t(TABLE_LABELS[table]),
        required=required,
        optional=optional,
    )


def _table(
    grid: list[tuple[int, list[str]]],
    merged: list[tuple[int, int, int, int]],
    file_name: str,
    table: str | None,
    sheet: str,
    encoding: str,
) -> RawTable:
    # A row is empty as typed: a merged cell reaching into it does not make it a row.
    typed = {number for number, cells in grid if any(cells)}
    _fill_merged(grid, merged)
    filled = [(number, cells) for number, cells in grid if number in typed]
    if sheet:
        where = t("“{file}”的工作表“{sheet}”", file=file_name, sheet=sheet)
    else:
        where = f"“{file_name}”"
    if not filled:
        raise ReadError(t("{where}中没有任何内容（只有空行或空单元格）。", where=where))
    position, score = _best_header(filled, table)
    if position is None or score < MIN_HEADER_MATCHES:
        searched = min(len(filled), HEADER_SEARCH_ROWS)
        raise ReadError(
            t(
                "在{where}的前 {count} 行中没有找到表头：没有一行包含可识别的列名。"
                "应有的列名：{expected}。请确认列名写在数据上方的同一行里。",
                where=where,
                count=searched,
                expected=_expected_headers(table),
            )
        )
    header_row, headers = filled[position]
    notes = []
    title_rows = [number for number, _ in filled[:position]]
    if position > 0 and title_rows[-1] == header_row - 1:
        joined, used = _joined_header(filled[position - 1][1], headers, table)
        spans = any(top < header_row <= bottom for _, top, _, bottom in merged)
        if used or spans:
            headers = joined
            notes.append(
                t(
                    "表头占两行（第{first}–{last}行），已合并读取",
                    first=header_row - 1,
                    last=header_row,
                )
            )
            title_rows.pop()
    if title_rows:
        notes.append(
            t(
                "表头在第{row}行，其上的标题行（第{rows}行）未作为数据读取",
                row=header_row,
                rows=_ranges(title_rows),
            )
        )
    data = [(number, cells) for number, cells in filled[position + 1 :]]
    if len(data) > MAX_DATA_ROWS:  # reading stopped at the bound plus the header's rows
        raise too_many_rows(file_name)
    width = max([len(headers), *(len(cells) for _, cells in data)])
    headers = [_header_text(h) for h in headers] + [""] * (width - len(headers))
    # Columns with neither a header nor any value are dropped.
    keep = [i for i in range(width) if headers[i] or any(len(c) > i and c[i] for _, c in data)]
    names = _unique_headers([(i, headers[i]) for i in keep])
    rows = [[cells[i] if i < len(cells) else "" for i in keep] for _, cells in data]
    frame = pd.DataFrame(rows, columns=names, dtype=object) if rows else pd.DataFrame(columns=names)
    return RawTable(
        frame=frame.astype(object),
        row_numbers=tuple(number for number, _ in data),
        header_row=header_row,
        sheet=sheet,
        encoding=encoding,
        file_name=file_name,
        notes=tuple(notes),
    )


def _ranges(numbers: list[int]) -> str:
    """[1, 2, 3, 5] → '1–3、5'."""
    spans: list[list[int]] = []
    for number in numbers:
        if spans and number == spans[-1][1] + 1:
            spans[-1][1] = number
        else:
            spans.append([number, number])
    return t("、").join(str(a) if a == b else f"{a}–{b}" for a, b in spans)
