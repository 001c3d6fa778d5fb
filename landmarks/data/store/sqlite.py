"""The embedded default: one SQLite file, for a booth laptop or a single office machine.

The only module (with ``sqlite_backups``) that knows SQLite: how the file is opened (a
place that refuses writes is opened read-only and never written), ``BEGIN IMMEDIATE`` as
the write lock, the file copy taken with SQLite's online backup API before every write,
and SQLite's error codes.  The spatial questions are answered in memory, from the regions
and the sites the app already holds (PostgreSQL asks PostGIS).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from pyproj import Geod
from sqlalchemy.pool import StaticPool

from landmarks.data.locations import write_access
from landmarks.data.records import county_at
from landmarks.data.regions import Regions
from landmarks.data.store import errors, sqlite_backups
from landmarks.data.store.base import Store
from landmarks.data.store.errors import StorageError
from landmarks.data.store.sqlite_errors import translated
from landmarks.i18n import N_, t

_HEADER = b"SQLite format 3\x00"
_GEOD = Geod(ellps="WGS84")


def _has_sqlite_header(path: Path) -> bool:
    try:
        with path.open("rb") as file:
            return file.read(len(_HEADER)) == _HEADER
    except OSError:
        return False


def _is_not_a_database(error: BaseException) -> bool:
    original = error.orig if isinstance(error, sa.exc.DBAPIError) else error
    return getattr(original, "sqlite_errorcode", None) == sqlite3.SQLITE_NOTADB


class SqliteStore(Store):
    backend = "sqlite"

    def __init__(self, engine: sa.Engine, path: Path) -> None:
        super().__init__(engine.connect(), str(path))
        self._engine = engine
        self.path = path

    def close(self) -> None:
        self.connection.close()
        self._engine.dispose()  # closes the file

    @contextmanager
    def write(self) -> Iterator[None]:
        # Tells the engine's "begin" listener to take the write lock (BEGIN IMMEDIATE).
        if self._in_write:
            yield
            return
        self.connection.info["landmarks_write"] = True
        try:
            with super().write():
                yield
        finally:
            self.connection.info["landmarks_write"] = False

    @contextmanager
    def translated(self) -> Iterator[None]:
        with translated(self.path):
            yield

    def _foreign(self) -> StorageError:
        return errors.foreign(self.path)

    def _back_up(self) -> None:
        self.back_up()

    def _before_upgrade(self, start: int) -> None:
        self.back_up(label=f"schema{start}")

    def back_up(self, *, label: str = "", keep: int | None = None) -> Path | None:
        """Copy the database (its committed content) into the backup folder, keeping only
        the newest ``keep`` copies (``sqlite_backups.back_up``).  None for a database
        that holds no data yet (nothing to lose)."""
        latest = self.latest_version()
        if self.data_version() == 0 and latest == 0:
            return None
        return sqlite_backups.back_up(self.path, latest, label=label, keep=keep)

    def size_bytes(self) -> int:
        """The database file and its write-ahead log (backups not counted)."""
        parts = (self.path, self.path.with_name(self.path.name + "-wal"))
        return sum(part.stat().st_size for part in parts if part.exists())

    def sites_within(self, lon: float, lat: float, metres: float) -> list[str]:
        sites = self.read_table("sites")
        count = len(sites)
        _, _, distances = _GEOD.inv(
            [lon] * count, [lat] * count, sites["lon"].tolist(), sites["lat"].tolist()
        )
        found = sites.assign(metres=distances)
        found = found[found["metres"] <= metres].sort_values(["metres", "name"])
        return [str(name) for name in found["name"]]

    def county_at(self, regions: Regions, lon: float, lat: float) -> str | None:
        found = county_at(regions, lon, lat)
        return found.adcode if found else None


def _engine(creator: Any) -> sa.Engine:
    engine = sa.create_engine("sqlite://", creator=creator, poolclass=StaticPool)

    @sa.event.listens_for(engine, "connect")
    def _autocommit(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        # Transactions are begun by the listener below, not by the driver.
        dbapi_connection.isolation_level = None

    @sa.event.listens_for(engine, "begin")
    def _begin(connection: sa.Connection) -> None:
        writing = connection.info.get("landmarks_write", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if writing else "BEGIN")

    return engine


def open_sqlite(path: Path, *, read_only: bool, timeout: float) -> SqliteStore:
    """Open (creating if needed) the database file and make sure the schema exists.

    ``read_only`` opens an existing database without writing anything, and without
    creating anything beside it in a read-only folder (``Access.read_only_uri``).  A
    database whose place refuses writes is never opened for writing: that raises the
    read-only ``StorageError`` (``ERROR_READ_ONLY``) before anything is touched.  Also
    raises ``StorageError`` for an unwritable path, a corrupt or foreign file, or a
    locked database; a foreign or corrupt file is never changed.
    """
    if not read_only:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise errors.folder_unwritable(path.parent, N_("数据库所在的文件夹")) from error
    with translated(path):
        access = write_access(path)
        if read_only:
            if not path.is_file() and not access.writable:
                raise errors.needs_write(access, t("数据库文件还不存在，需要先创建"))
            raw = sqlite3.connect(access.read_only_uri, uri=True, timeout=timeout)
        else:
            if not access.writable:
                raise errors.read_only(access)
            raw = sqlite3.connect(path, timeout=timeout, check_same_thread=False)
    try:
        with translated(path):
            store = SqliteStore(_engine(lambda: raw), path)
    except BaseException:
        raw.close()
        raise
    try:
        with translated(path):
            try:
                store.check_ours()
            except (sqlite3.DatabaseError, sa.exc.DatabaseError, StorageError) as error:
                # The store's reads already translate SQLite's failure (to "corrupt"):
                # the cause tells a file that is no database at all.
                cause = error.__cause__ if isinstance(error, StorageError) else error
                if cause is not None and _is_not_a_database(cause) and not _has_sqlite_header(path):
                    raise errors.not_a_database(path) from cause
                raise
            if not read_only:
                raw.execute("PRAGMA journal_mode=WAL")
                store.create_schema()
    except BaseException:
        store.close()
        raise
    return store
