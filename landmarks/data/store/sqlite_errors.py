"""SQLite's failures as ``StorageError``: its error codes (or, from older builds, its
messages) and the file system's errors, read for the database file they concern."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa

from landmarks.data.store import errors
from landmarks.data.store.errors import (
    ERROR_BUSY,
    ERROR_CORRUPT,
    ERROR_FULL,
    ERROR_IO,
    ERROR_READ_ONLY,
    ERROR_UNWRITABLE,
    StorageError,
)

_SQLITE_KINDS = {
    sqlite3.SQLITE_BUSY: ERROR_BUSY,
    sqlite3.SQLITE_LOCKED: ERROR_BUSY,
    sqlite3.SQLITE_FULL: ERROR_FULL,
    sqlite3.SQLITE_CORRUPT: ERROR_CORRUPT,
    sqlite3.SQLITE_NOTADB: ERROR_CORRUPT,
    sqlite3.SQLITE_CANTOPEN: ERROR_UNWRITABLE,
    sqlite3.SQLITE_READONLY: ERROR_READ_ONLY,
    sqlite3.SQLITE_PERM: ERROR_UNWRITABLE,
    sqlite3.SQLITE_IOERR: ERROR_IO,
}
_MESSAGE_KINDS = {  # for errors raised without an SQLite code
    "database is locked": ERROR_BUSY,
    "is locked": ERROR_BUSY,
    "database or disk is full": ERROR_FULL,
    "file is not a database": ERROR_CORRUPT,
    "malformed": ERROR_CORRUPT,
    "unable to open database": ERROR_UNWRITABLE,
    "readonly database": ERROR_READ_ONLY,
    "disk i/o error": ERROR_IO,
}


def error_kind(error: BaseException) -> str | None:
    """The ``ERROR_*`` kind an SQLite or file-system error is; None for other errors."""
    if isinstance(error, sa.exc.DBAPIError) and error.orig is not None:
        error = error.orig
    if isinstance(error, sqlite3.Error):
        code = getattr(error, "sqlite_errorcode", None)
        kind = _SQLITE_KINDS.get(code & 0xFF) if isinstance(code, int) else None
        lowered = str(error).lower()
        return kind or next((k for text, k in _MESSAGE_KINDS.items() if text in lowered), None)
    if isinstance(error, OSError):
        return errors.os_error_kind(error)
    return None


def storage_error(error: BaseException, path: Path) -> StorageError | None:
    """The ``StorageError`` an SQLite or file-system error means for the database at
    ``path``; None for other errors (e.g. a constraint a bad table violates)."""
    if isinstance(error, StorageError):
        return error
    return errors.file_error(error_kind(error), path)


@contextmanager
def translated(path: Path) -> Iterator[None]:
    """Raise the database's own failures inside the block as ``StorageError``."""
    try:
        yield
    except (sqlite3.Error, sa.exc.DBAPIError, OSError) as error:
        found = storage_error(error, path)
        if found is None:
            raise
        raise found from error
