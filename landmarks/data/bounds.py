"""How large a file may be before anything reads it, by kind (CSV, Excel workbook).

Kept apart from the reader (``landmarks.data.reading``), which needs pandas and
openpyxl, so that the command line refuses an oversized file before loading them: a file
of a million rows is turned away in about a second, not after its libraries load.  The
row, column and cell bounds, which are checked while a file is read, live with the reader.
"""

from __future__ import annotations

from pathlib import PurePath

from landmarks.i18n import t

MAX_CSV_BYTES = 10 * 1024 * 1024  # 10,000 rows of long notes fit in a few MB
MAX_XLSX_BYTES = 20 * 1024 * 1024  # workbooks may carry pictures and other sheets
CSV_EXTENSIONS = frozenset({".csv", ".txt", ".tsv"})


class ReadError(ValueError):
    """A file that cannot be read as a table; the message says why, in the run's language."""


def size_text(size: int) -> str:
    """52.4 MB, 50 MB, 12 KB."""
    unit, scale = ("MB", 1024 * 1024) if size >= 1024 * 1024 else ("KB", 1024)
    return f"{size / scale:.1f}".removesuffix(".0") + f" {unit}"


def size_limit(file_name: str) -> int:
    """The largest file of this kind (by its extension) that is read at all."""
    extension = PurePath(file_name).suffix.lower()
    return MAX_CSV_BYTES if extension in CSV_EXTENSIONS else MAX_XLSX_BYTES


def check_size(size: int, file_name: str) -> None:
    """Refuse a file over its kind's size bound, naming the bound, before reading it."""
    limit = size_limit(file_name)
    if size <= limit:
        return
    shown = size_text(size)
    if shown == size_text(limit):  # just over: say by how much
        shown = t("{count} 字节", count=f"{size:,}")
    raise ReadError(
        t(
            "文件“{file}”大小为 {size}，超过了 {limit} 的上限，未读取。"
            "请把数据拆成几个较小的文件分批导入，或删去无关的工作表和图片后再上传。",
            file=file_name,
            size=shown,
            limit=size_text(limit),
        )
    )
