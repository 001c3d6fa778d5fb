"""Copies of the database taken before every write, and the cleanup of interrupted ones.

A copy is first written as ``<name>.<pid>.part`` (SQLite's online backup API, with no
journal of its own) and renamed into place when complete, so a crash or a ``kill -9``
leaves at most that one ``.part`` file, never a half copy under a backup's name.  The
process id in the name tells a leftover of a dead process from a copy another server
process is still writing: ``remove_leftovers`` (run at start) deletes only the former.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from landmarks.data.locations import backup_folder, backups_kept
from landmarks.data.store import errors, sqlite_errors
from landmarks.data.store.errors import StorageError

# How long the copy waits for a write lock held by another session.
BUSY_TIMEOUT_SECONDS = 30.0
PART_SUFFIX = ".part"
_LOG = logging.getLogger("landmarks.backups")


def backups(db: Path) -> list[Path]:
    """The backups of the database at ``db``, oldest first."""
    folder = backup_folder(db)
    if not folder.is_dir():
        return []
    return sorted(folder.glob(f"{db.stem}-*.sqlite"))


def _leftovers(db: Path) -> list[Path]:
    """Partial copies (and journals of the releases that wrote them) in the backups folder."""
    folder = backup_folder(db)
    if not folder.is_dir():
        return []
    return sorted(folder.glob(f"{db.stem}-*.sqlite*{PART_SUFFIX}*"))


def _writer_alive(part: Path) -> bool:
    """Whether the process named in ``<backup>.<pid>.part`` still runs (older releases
    wrote ``<backup>.part`` without a pid: nothing writes those any more)."""
    stem = part.name.split(PART_SUFFIX)[0]
    pid_text = stem.rsplit(".", 1)[-1]
    if not pid_text.isdigit():
        return False
    try:
        pid = int(pid_text)  # ValueError: a digit int() does not read (²)
        if pid <= 0:
            return False  # no process of ours; os.kill(0, …) would signal our group
        os.kill(pid, 0)  # OverflowError: a number past any process id
    except (ProcessLookupError, OverflowError, ValueError):
        return False
    except PermissionError:
        return True  # alive, owned by another user
    return True


def remove_leftovers(db: Path) -> list[Path]:
    """Delete the partial copies interrupted backups left behind; returns them."""
    removed = []
    for part in _leftovers(db):
        if _writer_alive(part):
            continue
        try:
            part.unlink()
        except FileNotFoundError:
            continue  # another process cleaned it meanwhile
        except OSError:
            continue  # a read-only backups folder: the next writable start cleans it
        removed.append(part)
    return removed


def _failure(error: sqlite3.Error | OSError, db: Path, folder: Path) -> StorageError:
    """An error while copying means the backups folder's place, not the database's."""
    kind = sqlite_errors.error_kind(error)
    if kind == errors.ERROR_FULL:
        return errors.backups_disk_full(folder)
    if kind in (errors.ERROR_READ_ONLY, errors.ERROR_UNWRITABLE):
        return errors.backups_unwritable(folder)
    return sqlite_errors.storage_error(error, db) or errors.io(db)


def back_up(db: Path, version: int, *, label: str = "", keep: int | None = None) -> Path:
    """Copy the committed content of the database at ``db`` into its backup folder as
    ``<name>-<UTC time>-v<version>[-<label>].sqlite``, then keep only the newest ``keep``
    (default ``backups_kept()``) copies.  Raises ``StorageError`` naming the backups
    folder when it cannot be written or its disk is full."""
    folder = backup_folder(db)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    suffix = f"-{label}" if label else ""
    target = folder / f"{db.stem}-{stamp}-v{version}{suffix}.sqlite"
    partial = target.with_name(f"{target.name}.{os.getpid()}{PART_SUFFIX}")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise _failure(error, db, folder) from error
    try:
        # A second connection reads the committed state; the writer's own connection
        # may hold the write lock (the backup then is exactly the state before the write).
        # Each connection is closed however the other's opening or the copy fails.
        with (
            contextlib.closing(sqlite3.connect(db, timeout=BUSY_TIMEOUT_SECONDS)) as source,
            contextlib.closing(sqlite3.connect(partial)) as copy,
        ):
            # No journal beside the copy: an interrupted copy is one ``.part`` file.
            copy.execute("PRAGMA journal_mode=OFF")
            source.backup(copy)
        os.replace(partial, target)
    except (sqlite3.Error, OSError) as error:
        # Removing the partial copy can fail too (a read-only folder refuses that as
        # well); the copy's own failure is the one to report.
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)
        raise _failure(error, db, folder) from error
    # The copy is made: failing to delete an older one (a file made read-only by hand,
    # another user's file) must not undo the write it protects; the next write retries.
    for old in backups(db)[: -(keep or backups_kept())]:
        try:
            old.unlink(missing_ok=True)
        except OSError as error:
            _LOG.warning("could not delete the old backup %s: %s", old, error)
    return target
