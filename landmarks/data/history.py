"""Versions of the data: writing imports and edits as versions, what a version changed,
how any version differs from the current data, and rolling back.

The SQL is in ``storage``; this module says what a write is (who, which file and its
SHA-256) and shows versions and their differences in Chinese.
"""

from __future__ import annotations

import hashlib
import sqlite3

import pandas as pd

from landmarks.data import storage
from landmarks.data.changes import TABLE_KEYS, TableChanges, compare_tables
from landmarks.data.columns import INPUT_COLUMNS, TABLE_LABELS
from landmarks.data.imports import ImportReport, merged_tables
from landmarks.data.storage import Build, Change, Tables, Version

# Tables users do not import still appear in versions and exports.
ALL_TABLE_LABELS: dict[str, str] = TABLE_LABELS | {"sources": "来源"}
# Stored fields that no input column shows under a header of its own.
_STORED_FIELD_LABELS: dict[str, str] = {
    "gi_types": "全部地理标志类型",
    "chain_basis": "产业链归属依据",
    "prefecture_adcode": "市州代码",
    "county_adcode": "县市区代码",
    "precision": "位置精度",
    "area_level": "范围级别",
    "area_adcodes": "范围县市区代码",
    "subject": "对象",
    "region": "地区",
    "region_adcode": "地区代码",
    "value": "产值（亿元）",
    "value_text": "产值原文",
    "source_id": "来源编号",
    "url": "链接",
    "facts": "内容",
}
CHANGE_ADDED = "新增"
CHANGE_REMOVED = "删除"
CHANGE_CHANGED = "修改"
VERSION_HEADERS: dict[str, str] = {
    "id": "版本",
    "created_at": "时间（UTC）",
    "author": "操作人",
    "action": "操作",
    "file_name": "文件",
    "file_sha256": "文件 SHA-256",
    "note": "说明",
    "summary": "变化",
}
CHANGE_HEADERS: tuple[str, ...] = ("数据表", "变化", "记录", "字段", "原值", "现值")


def file_sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def field_label(table: str, field: str) -> str:
    """A stored field as users know it: the template's header, else its own label."""
    for column in INPUT_COLUMNS.get(table, ()):
        if column.key == field:
            return column.header
    return _STORED_FIELD_LABELS.get(field, field)


# Writes -------------------------------------------------------------------------------


def write_import(
    connection: sqlite3.Connection,
    tables: Tables | Build,
    *,
    author: str,
    file_name: str,
    content: bytes,
    base_version: int | None = None,
) -> int:
    """Write an imported file's tables as a version (导入) recording the file's name and
    SHA-256; returns the version's id.  ``tables`` may be a function of the current
    tables, run under the write lock (see ``storage.replace_tables``)."""
    change = Change(author, storage.ACTION_IMPORT, file_name, file_sha256(content))
    return storage.replace_tables(connection, tables, change=change, base_version=base_version)


def import_report(
    connection: sqlite3.Connection,
    report: ImportReport,
    *,
    author: str,
    content: bytes,
    valid_only: bool = False,
) -> int:
    """Write a checked file (``imports.check_import``): its rows are merged into the
    current tables under the write lock, so an import another session finished meanwhile
    is kept.  Raises ``imports.ImportRejectedError`` (nothing written) when the report
    has problems and ``valid_only`` is not chosen, or when a row added meanwhile now
    clashes with the file (append): the user checks the file again then."""

    def build(current: dict[str, pd.DataFrame]) -> Tables:
        return merged_tables(current, report, report.mode, valid_only=valid_only)

    return write_import(
        connection, build, author=author, file_name=report.file_name, content=content
    )


def write_edit(
    connection: sqlite3.Connection,
    tables: Tables,
    *,
    author: str,
    base_version: int | None,
    note: str = "",
) -> int:
    """Write tables edited in the app as a version (编辑).  ``base_version`` is the
    ``data_version`` the editor showed: if another session wrote since, nothing is written
    and ``storage.StorageError`` (``ERROR_STALE``) asks the user to reload."""
    change = Change(author, storage.ACTION_EDIT, note=note)
    return storage.replace_tables(connection, tables, change=change, base_version=base_version)


def rollback(connection: sqlite3.Connection, version_id: int, *, author: str) -> int:
    """Restore the data as it was right after ``version_id``; a new version (回滚)."""
    return storage.rollback(connection, version_id, author=author)


# Reading versions ---------------------------------------------------------------------


def versions(connection: sqlite3.Connection) -> list[Version]:
    """Every version, newest first."""
    return storage.versions(connection)


def _previous(connection: sqlite3.Connection, version_id: int) -> int | None:
    earlier = [found.id for found in storage.versions(connection) if found.id < version_id]
    return max(earlier, default=None)


def changes_since(connection: sqlite3.Connection, version_id: int) -> dict[str, TableChanges]:
    """How the current data differs from the data right after ``version_id``: ``added``
    rows exist now but not then (a rollback to it removes them), and so on."""
    return compare_tables(storage.snapshot(connection, version_id), storage.read_tables(connection))


def changes_made(connection: sqlite3.Connection, version_id: int) -> dict[str, TableChanges]:
    """What version ``version_id`` itself changed (against the version before it)."""
    after = storage.snapshot(connection, version_id)
    previous = _previous(connection, version_id)
    if previous is None:
        before = {table: after[table].iloc[0:0] for table in after}
    else:
        before = storage.snapshot(connection, previous)
    return compare_tables(before, after)


# Shown in Chinese ---------------------------------------------------------------------


def counts_text(found: Version) -> str:
    """'地理标志产品 新增3 修改1；产值 删除2' ('无变化' when nothing changed)."""
    parts = []
    for table, counts in found.counts.items():
        numbers = [
            f"{label}{number}"
            for label, number in (
                (CHANGE_ADDED, counts.added),
                (CHANGE_CHANGED, counts.changed),
                (CHANGE_REMOVED, counts.removed),
            )
            if number
        ]
        if numbers:
            parts.append(f"{ALL_TABLE_LABELS.get(table, table)} {' '.join(numbers)}")
    return "；".join(parts) or "无变化"


def versions_frame(found: list[Version]) -> pd.DataFrame:
    """Versions as the data page lists them, with Chinese headers."""
    rows = [
        {
            "id": version.id,
            "created_at": version.created_at,
            "author": version.author,
            "action": version.action,
            "file_name": version.file_name,
            "file_sha256": version.file_sha256,
            "note": version.note,
            "summary": counts_text(version),
        }
        for version in found
    ]
    frame = pd.DataFrame(rows, columns=list(VERSION_HEADERS))
    return frame.rename(columns=VERSION_HEADERS)


def _shown(value: object) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _record(table: str, row: pd.Series) -> str:
    return " / ".join(_shown(row[key]) for key in TABLE_KEYS[table] if _shown(row[key]))


def changes_frame(changes: dict[str, TableChanges]) -> pd.DataFrame:
    """One line per added or removed row and per changed field, with Chinese headers:
    数据表, 变化 (新增/删除/修改), 记录 (the row's key), 字段, 原值, 现值."""
    lines: list[tuple[str, str, str, str, str, str]] = []
    for table, found in changes.items():
        label = ALL_TABLE_LABELS.get(table, table)
        for _, row in found.added.iterrows():
            lines.append((label, CHANGE_ADDED, _record(table, row), "", "", ""))
        for _, row in found.removed.iterrows():
            lines.append((label, CHANGE_REMOVED, _record(table, row), "", "", ""))
        for _, row in found.changed.iterrows():
            lines.append(
                (
                    label,
                    CHANGE_CHANGED,
                    _record(table, row),
                    field_label(table, str(row["field"])),
                    _shown(row["before"]),
                    _shown(row["after"]),
                )
            )
    return pd.DataFrame(lines, columns=list(CHANGE_HEADERS))
