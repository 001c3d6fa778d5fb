"""The database's own failures as ``StorageError``: what is wrong and where, and what to do.

Engine-neutral: each backend turns its driver's errors into these (``sqlite.translated``,
``postgres.translated``).

Each cause gets its own message naming the place it happened: the database file, its
folder, or the backups folder (``$LANDMARKS_BACKUP_DIR``), because the remedy differs
(free space on which disk, give write access to which folder, which variable to set).
"""

from __future__ import annotations

import errno
import os
from collections.abc import Callable
from pathlib import Path

from landmarks.data.locations import (
    DISK_FULL,
    READ_ONLY_FOLDER,
    REFUSED_ERRNOS,
    Access,
    backup_folder,
    write_access,
)
from landmarks.i18n import N_, t

ERROR_UNWRITABLE = "unwritable"
ERROR_READ_ONLY = "read_only"
ERROR_BACKUPS = "backups"
ERROR_CORRUPT = "corrupt"
ERROR_FOREIGN = "foreign"
ERROR_BUSY = "busy"
ERROR_FULL = "full"
ERROR_IO = "io"
ERROR_NEWER = "newer"
ERROR_STALE = "stale"
ERROR_EXISTS = "exists"
ERROR_NEEDS_WRITE = "needs_write"
ERROR_MISSING = "missing"
ERROR_UNAVAILABLE = "unavailable"

BUSY_MESSAGE = N_("数据库正被其他人写入，请稍后重试")


class StorageError(Exception):
    """A failure of the database itself, said in the language of the run that raised it:
    ``message`` what is wrong, ``hint`` what to do.  ``kind`` is one of the ``ERROR_*``
    codes."""

    def __init__(self, kind: str, message: str, hint: str) -> None:
        super().__init__(t("{message}。{hint}", message=message, hint=hint))
        self.kind = kind
        self.message = message
        self.hint = hint


def unwritable(path: Path) -> StorageError:
    return StorageError(
        ERROR_UNWRITABLE,
        t("无法打开或写入数据库文件 {path}", path=path),
        t(
            "请确认该文件及其所在文件夹存在且应用有写入权限，或用环境变量 LANDMARKS_DB "
            "指向一个可写的位置，然后刷新页面"
        ),
    )


def missing(path: Path | str) -> StorageError:
    """A command that only reads or edits an existing database was pointed at none."""
    return StorageError(
        ERROR_MISSING,
        t("数据库文件 {path} 不存在", path=path),
        t(
            "请检查环境变量 LANDMARKS_DB 是否指向应用使用的数据库文件"
            "（应用首次启动时创建它）；未创建任何文件"
        ),
    )


def read_only_reason(access: Access) -> str:
    """Why editing is off, for the banner on every page and for refused writes."""
    if access.reason == READ_ONLY_FOLDER:
        return t(
            "数据库位于只读位置（{folder}），当前为只读模式：可以浏览和下载，不能导入或编辑",
            folder=access.path.parent,
        )
    if access.reason == DISK_FULL:
        return t(
            "数据库所在的磁盘已满（{folder}），当前为只读模式：可以浏览和下载，不能导入或编辑",
            folder=access.path.parent,
        )
    return t(
        "数据库文件 {path} 是只读的，当前为只读模式：可以浏览和下载，不能导入或编辑",
        path=access.path,
    )


def how_to_write(access: Access) -> str:
    """What an operator does to get editing back."""
    if access.reason == DISK_FULL:
        return t(
            "数据库保持原样。如需导入或编辑，请清理 {folder} 所在磁盘的空间"
            "（可删除备份文件夹 {backups} 中较早的备份），然后刷新页面",
            folder=access.path.parent,
            backups=backup_folder(access.path),
        )
    return t(
        "如需导入或编辑，请让管理员为 {place} 开放写权限（或换用可写的介质），"
        "或把数据库复制到可写的文件夹并用环境变量 LANDMARKS_DB 指向它，然后重启应用",
        place=access.path.parent if access.reason == READ_ONLY_FOLDER else access.path,
    )


def read_only(access: Access) -> StorageError:
    """A write refused because the database is read-only; nothing was changed."""
    return StorageError(
        ERROR_READ_ONLY,
        t("{reason}；本次操作未写入", reason=read_only_reason(access)),
        how_to_write(access),
    )


def needs_write(access: Access, what: str) -> StorageError:
    """The database cannot even be browsed before a write (creating, seeding or upgrading
    it) that its read-only place refuses."""
    return StorageError(
        ERROR_NEEDS_WRITE,
        t("{what}，但它位于只读位置：{path}", what=what, path=access.path),
        how_to_write(access),
    )


def folder_unwritable(folder: Path, what: str) -> StorageError:
    return StorageError(
        ERROR_UNWRITABLE,
        t("无法创建或写入{what} {folder}", what=t(what), folder=folder),
        t(
            "请确认该路径不是文件、应用有写入权限，或用环境变量 LANDMARKS_DB "
            "指向一个可写的位置，然后刷新页面；数据库未被改动"
        ),
    )


def backups_unwritable(folder: Path) -> StorageError:
    """The backup taken before every write could not be made: the write did not happen."""
    return StorageError(
        ERROR_BACKUPS,
        t("无法在备份文件夹 {folder} 中创建备份，数据未写入", folder=folder),
        t(
            "每次写入前都要先备份。请确认该文件夹存在、不是文件且应用有写入权限，"
            "或用环境变量 LANDMARKS_BACKUP_DIR 指向一个可写的文件夹，然后重试；数据库未被改动"
        ),
    )


def corrupt(path: Path) -> StorageError:
    return StorageError(
        ERROR_CORRUPT,
        t("数据库文件已损坏，无法读取：{path}", path=path),
        t(
            "应用不会改动或覆盖它。请停止应用，用备份文件夹 {folder} "
            "中最近的一份备份替换该文件后重启；或把 LANDMARKS_DB 指向一个新的文件名重新开始",
            folder=backup_folder(path),
        ),
    )


def not_a_database(path: Path) -> StorageError:
    return StorageError(
        ERROR_CORRUPT,
        t("该文件不是 SQLite 数据库（已损坏，或是其他类型的文件）：{path}", path=path),
        t(
            "应用不会改动或覆盖它。请检查环境变量 LANDMARKS_DB 是否指错了文件；若它原是本应用的"
            "数据库，请停止应用，用备份文件夹 {folder} 中最近的一份备份替换它后重启",
            folder=backup_folder(path),
        ),
    )


def foreign(path: Path) -> StorageError:
    return StorageError(
        ERROR_FOREIGN,
        t("这不是本应用的数据库文件：{path}", path=path),
        t(
            "该文件属于其他程序，应用不会改动或覆盖它。"
            "请把环境变量 LANDMARKS_DB 指向本应用的数据库，或一个尚不存在的新文件名"
        ),
    )


def busy(path: Path) -> StorageError:
    return StorageError(
        ERROR_BUSY,
        t(BUSY_MESSAGE),
        t(
            "数据未被改动。数据库文件 {path} 正被另一个会话或程序锁定写入；请稍等片刻再试，"
            "若一直如此，请检查是否有其他程序（如数据库管理工具）打开着它",
            path=path,
        ),
    )


def _existing(path: Path) -> Path:
    """``path``, or its nearest existing parent (a folder not created yet will be there)."""
    return next((place for place in (path, *path.parents) if place.exists()), path)


def _same_disk(first: Path, second: Path) -> bool:
    try:
        return os.stat(_existing(first)).st_dev == os.stat(_existing(second)).st_dev
    except OSError:
        return False


def database_disk_full(path: Path) -> StorageError:
    """The disk holding the database (and its -wal file) is full."""
    backups = backup_folder(path)
    hint = t("数据库保持原样。请清理 {folder} 所在磁盘的空间后重试", folder=path.parent)
    if _same_disk(path.parent, backups):  # deleting backups only helps on the same disk
        hint += t("（备份文件夹 {backups} 在同一块磁盘上，可删除其中较早的备份）", backups=backups)
    return StorageError(
        ERROR_FULL, t("数据库所在的磁盘已满（{folder}），数据未写入", folder=path.parent), hint
    )


def backups_disk_full(folder: Path) -> StorageError:
    """The disk holding the backups folder is full: the backup before the write failed."""
    return StorageError(
        ERROR_FULL,
        t("备份文件夹所在的磁盘已满（{folder}），备份未完成，数据未写入", folder=folder),
        t(
            "数据库保持原样。请清理该磁盘的空间（可删除 {folder} 中较早的备份），"
            "或用环境变量 LANDMARKS_BACKUP_DIR 把备份放到空间充足的位置后重试",
            folder=folder,
        ),
    )


def io(path: Path) -> StorageError:
    return StorageError(
        ERROR_IO,
        t("读写数据库文件时出错：{path}", path=path),
        t("数据库保持最后一次成功写入时的内容。请检查磁盘和文件权限后重试"),
    )


def newer(found: int, supported: int) -> StorageError:
    return StorageError(
        ERROR_NEWER,
        t(
            "数据库由更新版本的应用创建（结构版本 {found}，本应用只支持到 {supported}）",
            found=found,
            supported=supported,
        ),
        t("请升级应用后再使用；数据库未被改动"),
    )


def stale() -> StorageError:
    return StorageError(
        ERROR_STALE,
        t("数据已被其他人修改，本次保存未写入"),
        t("请刷新页面，在最新的数据上重新编辑或导入"),
    )


def os_error_kind(error: OSError) -> str:
    """The ``ERROR_*`` kind a file-system error is."""
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        return ERROR_FULL
    return ERROR_READ_ONLY if error.errno in REFUSED_ERRNOS else ERROR_UNWRITABLE


def file_error(kind: str | None, path: Path) -> StorageError | None:
    """The ``StorageError`` an error of ``kind`` means for the database file at ``path``;
    None for other errors (e.g. a constraint a bad table violates)."""
    makers: dict[str, Callable[[], StorageError]] = {
        ERROR_BUSY: lambda: busy(path),
        ERROR_FULL: lambda: database_disk_full(path),
        ERROR_CORRUPT: lambda: corrupt(path),
        ERROR_UNWRITABLE: lambda: unwritable(path),
        # SQLite says "readonly" also for a file it opened read-write whose place turned
        # read-only since; ask the place which it is.
        ERROR_READ_ONLY: lambda: _read_only_or_unwritable(path),
        ERROR_IO: lambda: io(path),
    }
    return makers[kind]() if kind in makers else None


def _read_only_or_unwritable(path: Path) -> StorageError:
    try:
        access = write_access(path)
    except OSError:
        return unwritable(path)
    return unwritable(path) if access.writable else read_only(access)


def server_unavailable(where: str) -> StorageError:
    """The database server cannot be reached (stopped, restarting, network down)."""
    return StorageError(
        ERROR_UNAVAILABLE,
        t("无法连接数据库服务器（{where}），数据未写入", where=where),
        t("请稍后重试；若一直如此，请管理员检查数据库服务器是否在运行、网络是否畅通"),
    )


def server_busy(where: str) -> StorageError:
    return StorageError(
        ERROR_BUSY,
        t(BUSY_MESSAGE),
        t("数据未被改动。数据库 {where} 正被另一个会话写入；请稍等片刻再试", where=where),
    )


def server_refused(where: str, reason: str) -> StorageError:
    """The server refused the write (read-only server, missing privilege, full disk)."""
    return StorageError(
        ERROR_UNWRITABLE,
        t("数据库服务器拒绝写入（{where}）：{reason}", where=where, reason=reason),
        t("数据未被改动。请管理员检查该数据库的写权限和磁盘空间后重试"),
    )


def foreign_database(where: str) -> StorageError:
    return StorageError(
        ERROR_FOREIGN,
        t("这不是本应用的数据库：{where}", where=where),
        t(
            "其中已有其他程序的表，应用不会改动它。"
            "请把环境变量 LANDMARKS_DB 指向本应用的数据库，或一个新建的空数据库"
        ),
    )
