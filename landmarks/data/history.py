"""Versions of the data: writing imports and edits as versions, what a version changed,
how any version differs from the current data, and rolling back.

The SQL is in ``store``; this module says what a write is (who, which file and its
SHA-256) and shows versions and their differences in the run's language.
"""

from __future__ import annotations

import hashlib
import re

import pandas as pd

from landmarks import i18n
from landmarks.data import seed, store
from landmarks.data.changes import TABLE_KEYS, TableChanges, compare_tables
from landmarks.data.columns import INPUT_COLUMNS, TABLE_LABELS
from landmarks.data.imports import ImportReport, merged_tables
from landmarks.data.store import Build, Change, Tables, Version
from landmarks.data.times import stored_time_text
from landmarks.i18n import N_, t

# Tables users do not import still appear in versions and exports (Chinese labels,
# translated where shown).
ALL_TABLE_LABELS: dict[str, str] = TABLE_LABELS | {"sources": N_("来源")}
# Stored fields that no input column shows under a header of its own.
_STORED_FIELD_LABELS: dict[str, str] = {
    "gi_types": N_("全部地理标志类型"),
    "chain_basis": N_("产业链归属依据"),
    "prefecture_adcode": N_("市州代码"),
    "county_adcode": N_("县市区代码"),
    "precision": N_("位置精度"),
    "area_level": N_("范围级别"),
    "area_adcodes": N_("范围县市区代码"),
    "subject": N_("对象"),
    "region": N_("地区"),
    "region_adcode": N_("地区代码"),
    "value": N_("产值（亿元）"),
    "value_text": N_("产值原文"),
    "source_id": N_("来源编号"),
    "url": N_("链接"),
    "facts": N_("内容"),
}
CHANGE_ADDED = N_("新增")
CHANGE_REMOVED = N_("删除")
CHANGE_CHANGED = N_("修改")
VERSION_HEADERS: dict[str, str] = {
    "id": N_("版本"),
    "created_at": N_("时间（北京时间）"),
    "author": N_("操作人"),
    "action": N_("操作"),
    "file_name": N_("文件"),
    "file_sha256": N_("文件 SHA-256"),
    "note": N_("说明"),
    "summary": N_("变化"),
}
CHANGE_HEADERS: tuple[str, ...] = (
    N_("数据表"),
    N_("变化"),
    N_("记录"),
    N_("字段"),
    N_("原值"),
    N_("现值"),
)


def file_sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def field_label(table: str, field: str) -> str:
    """A stored field as users know it: the template's header, else its own label."""
    for column in INPUT_COLUMNS.get(table, ()):
        if column.key == field:
            return t(column.header)
    return t(_STORED_FIELD_LABELS.get(field, field))


def table_label(table: str) -> str:
    """A table's name as shown (``ALL_TABLE_LABELS``, translated)."""
    return t(ALL_TABLE_LABELS.get(table, table))


# Writes -------------------------------------------------------------------------------


def write_import(
    db: store.Store,
    tables: Tables | Build,
    *,
    author: str,
    file_name: str,
    content: bytes,
    base_version: int | None = None,
) -> int:
    """Write an imported file's tables as a version (导入) recording the file's name and
    SHA-256; returns the version's id.  ``tables`` may be a function of the current
    tables, run under the write lock (see ``Store.write_tables``)."""
    change = Change(author, store.ACTION_IMPORT, file_name, file_sha256(content))
    return db.write_tables(tables, change=change, base_version=base_version)


def import_report(
    db: store.Store,
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

    return write_import(db, build, author=author, file_name=report.file_name, content=content)


def write_edit(
    db: store.Store,
    tables: Tables,
    *,
    author: str,
    base_version: int | None,
    note: str = "",
) -> int:
    """Write tables edited in the app as a version (编辑).  ``base_version`` is the
    ``data_version`` the editor showed: if another session wrote since, nothing is written
    and ``store.StorageError`` (``ERROR_STALE``) asks the user to reload."""
    change = Change(author, store.ACTION_EDIT, note=note)
    return db.write_tables(tables, change=change, base_version=base_version)


def rollback(db: store.Store, version_id: int, *, author: str) -> int:
    """Restore the data as it was right after ``version_id``; a new version (回滚)."""
    return db.rollback(version_id, author=author)


# Reading versions ---------------------------------------------------------------------


def versions(db: store.Store) -> list[Version]:
    """Every version, newest first."""
    return db.versions()


def _previous(db: store.Store, version_id: int) -> int | None:
    earlier = [found.id for found in db.versions() if found.id < version_id]
    return max(earlier, default=None)


def changes_since(db: store.Store, version_id: int) -> dict[str, TableChanges]:
    """How the current data differs from the data right after ``version_id``: ``added``
    rows exist now but not then (a rollback to it removes them), and so on."""
    return compare_tables(db.snapshot(version_id), db.read_tables())


def changes_made(db: store.Store, version_id: int) -> dict[str, TableChanges]:
    """What version ``version_id`` itself changed (against the version before it)."""
    after = db.snapshot(version_id)
    previous = _previous(db, version_id)
    if previous is None:
        before = {table: after[table].iloc[0:0] for table in after}
    else:
        before = db.snapshot(previous)
    return compare_tables(before, after)


# Shown in the run's language ------------------------------------------------------------


def counts_text(found: Version) -> str:
    """'地理标志产品 新增3 修改1；产值 删除2' ('无变化' when nothing changed)."""
    parts = []
    separator = ", " if i18n.english() else " "
    for table, counts in found.counts.items():
        numbers = [
            text
            for text, number in (
                (t("新增{count}", count=counts.added), counts.added),
                (t("修改{count}", count=counts.changed), counts.changed),
                (t("删除{count}", count=counts.removed), counts.removed),
            )
            if number
        ]
        if numbers:
            parts.append(
                t("{table} {changes}", table=table_label(table), changes=separator.join(numbers))
            )
    return t("；").join(parts) or t("无变化")


def _stored_note(template: str) -> re.Pattern[str]:
    """A pattern reading back a note the app stored from ``template`` (its fields)."""
    pattern = re.escape(template)
    for field in re.findall(r"\{(\w+)\}", template):
        pattern = pattern.replace(re.escape("{" + field + "}"), f"(?P<{field}>.+?)")
    return re.compile(pattern)


def note_text(note: str) -> str:
    """A version's note as shown: the notes the app wrote itself (seeding, upgrading,
    rolling back) in the run's language; users' own notes as they wrote them."""
    if note == store.UPGRADE_NOTE:
        return t(note)
    rolled_back = _stored_note(store.ROLLBACK_NOTE).fullmatch(note)
    if rolled_back:
        return t(store.ROLLBACK_NOTE, version=rolled_back["version"])
    seeded = _stored_note(seed.SEED_NOTE + "（{digest}）").fullmatch(note)  # not UI: stored
    if seeded:
        return t("{note}（{digest}）", note=t(seed.SEED_NOTE), digest=seeded["digest"])
    return note


def versions_frame(found: list[Version]) -> pd.DataFrame:
    """Versions as the data page lists them, with headers in the run's language."""
    rows = [
        {
            "id": version.id,
            "created_at": stored_time_text(version.created_at),
            "author": version.author,
            "action": t(version.action),
            "file_name": version.file_name,
            "file_sha256": version.file_sha256,
            "note": note_text(version.note),
            "summary": counts_text(version),
        }
        for version in found
    ]
    frame = pd.DataFrame(rows, columns=list(VERSION_HEADERS))
    return frame.rename(columns={key: t(label) for key, label in VERSION_HEADERS.items()})


def _shown(value: object) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _record(table: str, row: pd.Series) -> str:
    return " / ".join(_shown(row[key]) for key in TABLE_KEYS[table] if _shown(row[key]))


def changes_frame(changes: dict[str, TableChanges]) -> pd.DataFrame:
    """One line per added or removed row and per changed field, with headers in the run's
    language: 数据表, 变化 (新增/删除/修改), 记录 (the row's key), 字段, 原值, 现值."""
    lines: list[tuple[str, str, str, str, str, str]] = []
    for table, found in changes.items():
        label = table_label(table)
        for _, row in found.added.iterrows():
            lines.append((label, t(CHANGE_ADDED), _record(table, row), "", "", ""))
        for _, row in found.removed.iterrows():
            lines.append((label, t(CHANGE_REMOVED), _record(table, row), "", "", ""))
        for _, row in found.changed.iterrows():
            lines.append(
                (
                    label,
                    t(CHANGE_CHANGED),
                    _record(table, row),
                    field_label(table, str(row["field"])),
                    _shown(row["before"]),
                    _shown(row["after"]),
                )
            )
    return pd.DataFrame(lines, columns=[t(header) for header in CHANGE_HEADERS])
