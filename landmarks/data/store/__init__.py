"""The app's database behind one narrow interface, on SQLite or PostgreSQL/PostGIS.

``LANDMARKS_DB`` chooses: a file path (the embedded SQLite default, for a booth laptop)
or a ``postgresql://`` URL (one server shared by every app process and editor).  Callers
open a ``Store`` with ``opened`` and ask it what they need (read tables, write a
version, versions, snapshot, rollback, routes, meta, data version, sign-ins, the
spatial questions); nothing outside this package knows which backend answers.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from landmarks.data.locations import DB_ENV_VARIABLE, Access, default_db_path, write_access
from landmarks.data.store import postgres, sqlite_backups
from landmarks.data.store.base import (
    ACTION_EDIT,
    ACTION_IMPORT,
    ACTION_ROLLBACK,
    ACTION_SEED,
    ORIGIN_SEED,
    ORIGIN_USER,
    ROLLBACK_NOTE,
    Build,
    Change,
    NothingChangedError,
    Store,
    Tables,
    Version,
)
from landmarks.data.store.errors import (
    ERROR_BUSY,
    ERROR_READ_ONLY,
    ERROR_UNWRITABLE,
    StorageError,
    how_to_write,
    needs_write,
    newer,
    read_only_reason,
)
from landmarks.data.store.migrations import UPGRADE_NOTE, upgrade
from landmarks.data.store.schema import SCHEMA_VERSION, TABLE_COLUMNS
from landmarks.data.store.sqlite import open_sqlite
from landmarks.data.store.sqlite_backups import BUSY_TIMEOUT_SECONDS
from landmarks.i18n import t

__all__ = [
    "ACTION_EDIT",
    "ACTION_IMPORT",
    "ACTION_ROLLBACK",
    "ACTION_SEED",
    "DB_ENV_VARIABLE",
    "ERROR_BUSY",
    "ERROR_READ_ONLY",
    "ERROR_UNWRITABLE",
    "ORIGIN_SEED",
    "ORIGIN_USER",
    "ROLLBACK_NOTE",
    "SCHEMA_VERSION",
    "TABLE_COLUMNS",
    "UPGRADE_NOTE",
    "Access",
    "Build",
    "Change",
    "NothingChangedError",
    "StorageError",
    "Store",
    "Tables",
    "Target",
    "Version",
    "access",
    "backups",
    "check_browsable",
    "default_target",
    "describe",
    "exists",
    "how_to_write",
    "open_store",
    "opened",
    "read_only_reason",
    "remove_leftovers",
    "upgrade",
]

Target = Path | str  # a database file, or a postgresql:// URL


def default_target() -> Target:
    """``$LANDMARKS_DB`` (a path or a ``postgresql://`` URL), else the embedded file."""
    configured = os.environ.get(DB_ENV_VARIABLE, "").strip()
    return configured if postgres.is_url(configured) else default_db_path()


def describe(target: Target) -> str:
    """The database as messages name it (a URL without its password)."""
    return postgres.shown(str(target)) if postgres.is_url(target) else str(target)


def exists(target: Target) -> bool:
    """Whether a database is there already (a server's database always is)."""
    return postgres.is_url(target) or Path(target).is_file()


def access(target: Target) -> Access:
    """Whether the app may write the database, and if not, why.  A server decides for
    itself: its refusals arrive as ``StorageError`` when a write is tried."""
    if postgres.is_url(target):
        return Access(Path(describe(target)))
    return write_access(Path(target))


def backups(target: Target) -> list[Path]:
    """The file copies taken before writes (SQLite only; a server has pg_dump)."""
    return [] if postgres.is_url(target) else sqlite_backups.backups(Path(target))


def remove_leftovers(target: Target) -> list[Path]:
    """Delete the partial copies interrupted backups left behind; returns them."""
    return [] if postgres.is_url(target) else sqlite_backups.remove_leftovers(Path(target))


def open_store(
    target: Target, *, read_only: bool = False, timeout: float = BUSY_TIMEOUT_SECONDS
) -> Store:
    """Open the database (creating the file, or the schema in an empty server database,
    when needed).  ``read_only`` writes nothing.  Raises ``StorageError`` for a database
    that cannot be opened, is not this app's, or is locked."""
    if postgres.is_url(target):
        store: Store = postgres.PostgresStore(str(target), timeout=timeout, read_only=read_only)
        try:
            store.check_ours()
            if not read_only:
                store.create_schema()
        except BaseException:
            store.close()
            raise
        return store
    return open_sqlite(Path(target), read_only=read_only, timeout=timeout)


@contextmanager
def opened(
    target: Target, *, read_only: bool = False, timeout: float = BUSY_TIMEOUT_SECONDS
) -> Iterator[Store]:
    """``open_store``, closing it afterwards; the database's own failures inside the
    block are raised as ``StorageError`` too."""
    store = open_store(target, read_only=read_only, timeout=timeout)
    try:
        with store.translated():
            yield store
    finally:
        store.close()


def check_browsable(store: Store, found: Access) -> None:
    """Refuse, with the reason, a read-only database that cannot be shown as it is: one
    that needs creating or a schema upgrade first.  (An older shipped seed is shown as it
    is: refreshing it is a write, skipped while read-only.)"""
    names = store.table_names()
    version = store.schema_version() if "meta" in names else 0
    if version > SCHEMA_VERSION:
        raise newer(version, SCHEMA_VERSION)
    if "products" not in names:
        raise needs_write(found, t("数据库还是空的，需要先写入内置数据"))
    if version < SCHEMA_VERSION:
        raise needs_write(
            found,
            t(
                "数据库由较早版本的应用创建（结构版本 {found}），"
                "需要升级到版本 {supported} 才能显示",
                found=version,
                supported=SCHEMA_VERSION,
            ),
        )
