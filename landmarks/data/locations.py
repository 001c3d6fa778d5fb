"""Where the database and its backups live, and whether the app may write there.

Whether a place can be written is found out by trying, not by ``os.access``: a read-only
mount (a booth laptop's protected USB stick, a locked-down server) answers ``os.access``
with "writable" for root and for the file's owner, and only refuses the write itself
(``EROFS``).  The probes create nothing that stays: the file is opened for writing
without changing it, and the folder gets an anonymous temporary file that vanishes when
closed.
"""

from __future__ import annotations

import errno
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[2]
DB_ENV_VARIABLE = "LANDMARKS_DB"
BACKUP_DIR_ENV_VARIABLE = "LANDMARKS_BACKUP_DIR"
BACKUPS_KEPT_ENV_VARIABLE = "LANDMARKS_BACKUPS_KEPT"
BACKUPS_KEPT = 10
VERSIONS_KEPT_ENV_VARIABLE = "LANDMARKS_VERSIONS_KEPT"

# The errors that mean "this place refuses writes" (rather than "something broke"); also
# how ``failures`` tells a read-only place from an unwritable one.
REFUSED_ERRNOS = (errno.EROFS, errno.EACCES, errno.EPERM)

# Why a database cannot be written (``Access.reason``).
WRITABLE = ""
READ_ONLY_FILE = "file"  # the file refuses writes; its folder would take SQLite's own files
READ_ONLY_FOLDER = "folder"  # nothing can be created beside it (read-only media or folder)
DISK_FULL = "full"  # its disk has (almost) no room left: browsing still works, writes cannot
# Below this much free room a write cannot even start (SQLite's -wal and 32 KiB -shm
# files, the backup before it), while reading needs none of it.
MIN_FREE_BYTES = 1024 * 1024


def default_db_path() -> Path:
    """``$LANDMARKS_DB`` if set, else ``var/landmarks.sqlite`` in the project."""
    configured = os.environ.get(DB_ENV_VARIABLE, "").strip()
    return Path(configured).expanduser() if configured else PROJECT_DIR / "var" / "landmarks.sqlite"


def backup_folder(db: Path) -> Path:
    """``$LANDMARKS_BACKUP_DIR`` if set, else ``backups/`` beside the database."""
    configured = os.environ.get(BACKUP_DIR_ENV_VARIABLE, "").strip()
    return Path(configured).expanduser() if configured else db.parent / "backups"


def backups_kept() -> int:
    """How many backups are kept: ``$LANDMARKS_BACKUPS_KEPT``, else ``BACKUPS_KEPT``."""
    configured = os.environ.get(BACKUPS_KEPT_ENV_VARIABLE, "").strip()
    return max(1, int(configured)) if configured.isdigit() else BACKUPS_KEPT


def versions_kept() -> int | None:
    """How many of the newest data versions stay listed and restorable:
    ``$LANDMARKS_VERSIONS_KEPT``, else all (None)."""
    configured = os.environ.get(VERSIONS_KEPT_ENV_VARIABLE, "").strip()
    return max(1, int(configured)) if configured.isdigit() else None


def _refused(error: OSError) -> bool:
    return error.errno in REFUSED_ERRNOS


def file_takes_writes(path: Path) -> bool:
    """Whether the existing file at ``path`` can be opened for writing (nothing is written)."""
    try:
        descriptor = os.open(path, os.O_RDWR)
    except OSError as error:
        if _refused(error):
            return False
        raise
    os.close(descriptor)
    return True


def folder_takes_files(folder: Path) -> bool:
    """Whether a file can be created in ``folder`` (SQLite needs that for its journal or
    its -wal and -shm files).  The probe is an unnamed temporary file, gone when closed."""
    try:
        with tempfile.TemporaryFile(dir=folder):
            return True
    except OSError as error:
        if _refused(error):
            return False
        raise


@dataclass(frozen=True)
class Access:
    """Whether the app may write the database at ``path``, and if not, why."""

    path: Path
    reason: str = WRITABLE  # WRITABLE, READ_ONLY_FILE, READ_ONLY_FOLDER or DISK_FULL

    @property
    def writable(self) -> bool:
        return self.reason == WRITABLE

    @property
    def read_only_uri(self) -> str:
        """The SQLite URI that reads the database without writing anything.

        In a folder that takes no files SQLite could not create the -shm file a read-only
        WAL reader needs, so the file is opened as ``immutable``: no locks, no companion
        files.  That is safe there because nobody can change a file in such a place; nor on
        a full disk, where that file could not be created either and no write can start.
        """
        no_new_files = self.reason in (READ_ONLY_FOLDER, DISK_FULL)
        immutable = no_new_files and not self._has_write_ahead_log()
        options = "immutable=1" if immutable else "mode=ro"
        return f"{self.path.resolve().as_uri()}?{options}"

    def _has_write_ahead_log(self) -> bool:
        """Committed data still in a -wal file (a copy taken while a writer ran) would be
        ignored by ``immutable``; ``mode=ro`` reads it, or says why it cannot."""
        log = self.path.with_name(self.path.name + "-wal")
        try:
            return log.stat().st_size > 0
        except OSError:
            return False


def write_access(path: Path) -> Access:
    """Try whether the database at ``path`` (existing or to be created) can be written."""
    folder = path.parent
    if not folder.is_dir():
        return Access(path)  # to be created: ``connect`` says if that fails, and why
    if not folder_takes_files(folder):
        return Access(path, READ_ONLY_FOLDER)
    if path.is_file() and not file_takes_writes(path):
        return Access(path, READ_ONLY_FILE)
    if path.is_file() and shutil.disk_usage(folder).free < MIN_FREE_BYTES:
        return Access(path, DISK_FULL)
    return Access(path)
