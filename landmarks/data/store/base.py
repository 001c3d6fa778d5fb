"""The store: every operation the app asks of its database, in SQLAlchemy Core.

One class holds the SQL both backends share; ``sqlite.SqliteStore`` and
``postgres.PostgresStore`` add only what differs (how a write takes the lock, backups,
how failures read, and the spatial questions).  Nothing above the store knows which
backend it runs on.

Every write (seed, import, edit, rollback) is one transaction holding the database's
write lock: it lands completely or not at all, and two sessions writing at once are
serialised (the second waits up to the busy timeout, then is told to retry).  Each write
records a version: who, when, what (action, file name, the file's SHA-256), rows
added/changed/removed per table, and the rows it removed and added (``rows``), so any
version can be compared with the current data and restored exactly, at a cost that grows
with what changed, not with the database.  A write that changes nothing stops there
(``NothingChangedError``).  Every write also bumps ``data_version`` in ``meta``, so the
UI can cache reads keyed on it.

Themed routes users save are kept apart from the data tables: a route records who saved
it and when, but is not a data version, so rolling the data back never removes a route.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import pandas as pd
import sqlalchemy as sa

from landmarks import i18n
from landmarks.data.changes import TableCounts, compare
from landmarks.data.locations import versions_kept
from landmarks.data.regions import Regions
from landmarks.data.routes import Route, SavedRoute, Stop, stop_kind
from landmarks.data.store import errors, rows
from landmarks.data.store.errors import ERROR_EXISTS, StorageError
from landmarks.data.store.row_cache import CONTENT_ID_KEY, ROWS, CachedTable
from landmarks.data.store.rows import Row, TableDiff
from landmarks.data.store.schema import (
    OUR_META_KEYS,
    SCHEMA_VERSION,
    TABLE_COLUMNS,
    key_position,
    metadata,
)
from landmarks.i18n import N_, t

ORIGIN_SEED = "seed"
ORIGIN_USER = "user"

# What a version did, as users read it (stored in Chinese; translated where shown).
ACTION_IMPORT = N_("导入")
ACTION_EDIT = N_("编辑")
ACTION_ROLLBACK = N_("回滚")
ACTION_SEED = N_("初始化")
ACTIONS: tuple[str, ...] = (ACTION_IMPORT, ACTION_EDIT, ACTION_ROLLBACK, ACTION_SEED)
ROLLBACK_NOTE = N_("回滚到第 {version} 版")  # stored; translated where shown

Tables = Mapping[str, pd.DataFrame]
Build = Callable[[dict[str, pd.DataFrame]], Tables]


@dataclass(frozen=True)
class Change:
    """Who made a write and with what, as its version records it."""

    author: str = ""
    action: str = ACTION_IMPORT
    file_name: str = ""
    file_sha256: str = ""
    note: str = ""


@dataclass(frozen=True)
class Version:
    id: int
    created_at: str  # UTC, ISO 8601
    author: str
    action: str
    file_name: str
    file_sha256: str
    note: str
    counts: dict[str, TableCounts] = field(default_factory=dict)


class NothingChangedError(Exception):
    """A write (import, edit, rollback) whose tables equal the current ones: nothing was
    written, no version recorded and no backup taken.  ``version`` is the latest version,
    which still describes the data."""

    def __init__(self, version: int) -> None:
        super().__init__(f"nothing changed; the data is still version {version}")
        self.version = version


def _now_text() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _route_exists(name: str) -> StorageError:
    return StorageError(
        ERROR_EXISTS,
        t("已有同名线路“{name}”，本次未保存", name=i18n.name(name)),
        t("请换一个线路名称，或选择覆盖原线路后再保存"),
    )


def _changed(table: str, entry: CachedTable, change: TableDiff) -> CachedTable:
    """A table's cached rows (and frame, when built and still typed as a fresh read of
    the new rows would type it) after ``change``."""
    frame = entry.frame
    if frame is not None:
        frame = frame.drop(index=list(change.removed))
        if change.added:
            added = rows.rows_frame(table, list(change.added.values())).set_axis(list(change.added))
            if frame.empty:
                frame = added
            elif added.dtypes.equals(frame.dtypes):
                frame = pd.concat([frame, added]).sort_index()
            else:
                frame = None
    if frame is not None and (frame.empty or _text_column_emptied(frame)):
        frame = None  # built again from the rows, typed as a read types them
    return CachedTable(rows.applied(entry.rows, change), frame)


def _text_column_emptied(frame: pd.DataFrame) -> bool:
    """Whether a text column holds no value any more (a read types such a column as
    ``object``)."""
    return any(
        isinstance(kind, pd.StringDtype) and frame[column].isna().all()
        for column, kind in frame.dtypes.items()
    )


class Store:
    """One open database.  Use it inside ``landmarks.data.store.opened``."""

    #: Which backend this is, for operators' messages and the benchmark only.
    backend = ""

    def __init__(self, connection: sa.Connection, where: str, *, postgis: bool = False) -> None:
        self.connection = connection
        self.where = where  # the database as operators name it, for messages
        self.tables = metadata(postgis=postgis)
        self._in_write = False
        # Read once per open store and again after each write (a store is opened per
        # request, so another process's write shows at the next one; a write re-reads
        # both under its lock).
        self._names: set[str] | None = None
        self._meta: dict[str, str] | None = None
        # The rows this write leaves behind, under their new content id: published to
        # the process's cache once the write has committed.
        self._pending: tuple[str, dict[str, CachedTable]] | None = None

    # What each backend does its own way ----------------------------------------------

    @contextmanager
    def translated(self) -> Iterator[None]:
        """Raise the database's own failures inside the block as ``StorageError``."""
        yield

    def _begin_write(self) -> None:
        """Take the database's write lock at the start of a write transaction."""

    def _begin_read(self) -> None:
        """Make a read transaction see one state of the database."""

    def _back_up(self) -> None:
        """Keep a copy of the committed data before a write (where the backend does)."""

    def _before_upgrade(self, start: int) -> None:
        """Run before a schema upgrade from ``start`` (a backup of the whole database)."""

    def _prepare_regions(self, regions: Regions) -> None:
        """Bring region data the backend keeps itself up to date (PostGIS)."""

    def sites_within(self, lon: float, lat: float, metres: float) -> list[str]:
        """Names of the sites within ``metres`` (geodesic) of the point, nearest first."""
        raise NotImplementedError

    def county_at(self, regions: Regions, lon: float, lat: float) -> str | None:
        """The adcode of the county of ``regions`` whose boundary covers the point;
        None outside them all."""
        raise NotImplementedError

    def size_bytes(self) -> int:
        """How much room the database takes (its files, or the server's database)."""
        raise NotImplementedError

    def close(self) -> None:
        self.connection.close()

    # Transactions ---------------------------------------------------------------------

    @contextmanager
    def read(self, *, snapshot: bool = False) -> Iterator[None]:
        """One read transaction (or the write transaction already open); with
        ``snapshot`` every statement in it sees the same state of the database (one
        statement always does)."""
        if self.connection.in_transaction():
            yield
            return
        with self.translated(), self.connection.begin():
            if snapshot:
                self._begin_read()
            yield

    @contextmanager
    def write(self) -> Iterator[None]:
        """One write transaction holding the database's write lock: committed when the
        block ends, rolled back when it raises.  Waits for another session's write up to
        the busy timeout, then raises ``StorageError`` (``ERROR_BUSY``)."""
        if self._in_write:
            yield
            return
        with self.translated():
            self._in_write = True
            try:
                with self.connection.begin():
                    self._begin_write()
                    self._forget()
                    found = self.schema_version() if "meta" in self.table_names() else 0
                    if found > SCHEMA_VERSION:
                        raise errors.newer(found, SCHEMA_VERSION)
                    yield
                if self._pending is not None:  # committed
                    ROWS.replace(self.where, *self._pending)
            finally:
                self._in_write = False
                self._pending = None
                self._forget()  # rolled back, or written: read again

    def _forget(self) -> None:
        self._names, self._meta = None, None

    def execute(self, statement: Any, parameters: Any = None) -> sa.CursorResult[Any]:
        return self.connection.execute(statement, parameters)

    # Schema -----------------------------------------------------------------------------

    def table_names(self) -> set[str]:
        if self._names is None:
            with self.read():
                self._names = set(sa.inspect(self.connection).get_table_names())
        return self._names

    def _foreign(self) -> StorageError:
        return errors.foreign_database(self.where)

    def check_ours(self) -> None:
        """Refuse a database that is not this app's (a new, empty one is ours)."""
        with self.read():
            names = self.table_names() - {"spatial_ref_sys"}  # PostGIS's own
            if not names:
                return
            if "meta" in names:
                meta = self.tables.tables["meta"]
                ours = self.execute(
                    sa.select(sa.func.count()).where(meta.c.key.in_(OUR_META_KEYS))
                ).scalar_one()
                # A database of the first release that was created but never written
                # holds our tables and an empty meta table.
                if ours or "products" in names:
                    return
        raise self._foreign()

    def create_schema(self) -> None:
        """Create the tables of a new database; older ones get theirs from ``upgrade``."""
        if "products" in self.table_names():
            return
        with self.write():
            self.tables.create_all(self.connection, checkfirst=True)
            self._forget()
            self.set_meta("schema_version", str(SCHEMA_VERSION))

    def schema_version(self) -> int:
        """The shape of this database's tables; databases from before versioning are 1."""
        return int(self.get_meta("schema_version", "1"))

    # Meta -------------------------------------------------------------------------------

    def get_meta(self, key: str, default: str = "") -> str:
        if self._meta is None:
            meta = self.tables.tables["meta"]
            with self.read():
                found = self.execute(sa.select(meta)).all() if "meta" in self.table_names() else []
            self._meta = {str(row.key): str(row.value) for row in found}
        return self._meta.get(key, default)

    def data_version(self) -> int:
        return int(self.get_meta("data_version", "0"))

    def set_meta(self, key: str, value: str) -> None:
        """Inside a write transaction: set one ``meta`` entry."""
        meta = self.tables.tables["meta"]
        updated = self.execute(sa.update(meta).where(meta.c.key == key).values(value=value))
        if not updated.rowcount:
            self.execute(sa.insert(meta).values(key=key, value=value))
        self._meta = None

    # Reads ------------------------------------------------------------------------------

    def _entry(self, table: str) -> CachedTable:
        """The table's rows as stored now: from the process's cache when it holds them
        for the database's current content, else read (and cached)."""
        with self.read():
            content_id = self.get_meta(CONTENT_ID_KEY)
            if self._pending is not None and self._pending[0] == content_id:
                pending = self._pending[1].get(table)
                if pending is not None:
                    return pending
            cached = ROWS.get(self.where, content_id, table) if content_id else None
            if cached is not None:
                return cached
            found = self.tables.tables[table]
            columns = [found.c[column] for column in TABLE_COLUMNS[table]]
            result = self.execute(sa.select(found.c.id, *columns).order_by(found.c.id)).all()
            entry = CachedTable({int(row[0]): tuple(row[1:]) for row in result})
            if content_id and (self._pending is None or self._pending[0] != content_id):
                ROWS.put(self.where, content_id, table, entry)
            return entry

    def stored_rows(self, table: str) -> dict[int, Row]:
        """The table's rows by id, as stored (shared: never change the dict)."""
        return self._entry(table).rows

    def _frame(self, table: str) -> pd.DataFrame:
        """The table as a frame indexed by row id, in id order (shared: never change it)."""
        entry = self._entry(table)
        if entry.frame is None:
            ids = sorted(entry.rows)
            entry.frame = rows.rows_frame(table, [entry.rows[i] for i in ids]).set_axis(ids)
        return entry.frame

    def read_table(self, table: str) -> pd.DataFrame:
        return self._frame(table).reset_index(drop=True)

    def read_tables(self) -> dict[str, pd.DataFrame]:
        """Every table, as ``read_table`` gives it, all from one state of the database (a
        write by another session cannot land between two tables' reads)."""
        with self.read(snapshot=True):
            return {table: self.read_table(table) for table in TABLE_COLUMNS}

    def content_digest(self) -> str:
        """A checksum of the content of every table: equal for equal data."""
        with self.read(snapshot=True):
            return rows.content_digest(
                {table: self.stored_rows(table).values() for table in TABLE_COLUMNS}
            )

    # Versions ---------------------------------------------------------------------------

    def latest_version(self) -> int:
        if "versions" not in self.table_names():
            return 0
        versions = self.tables.tables["versions"]
        with self.read():
            return int(self.execute(sa.select(sa.func.max(versions.c.id))).scalar() or 0)

    def versions(self) -> list[Version]:
        """Every version, newest first."""
        versions = self.tables.tables["versions"]
        counts = self.tables.tables["version_counts"]
        with self.read(snapshot=True):
            found = self.execute(sa.select(versions).order_by(versions.c.id.desc())).all()
            by_version: dict[int, dict[str, TableCounts]] = {}
            for row in self.execute(sa.select(counts)):
                by_version.setdefault(row.version_id, {})[row.table_name] = TableCounts(
                    row.added, row.changed, row.removed
                )
        return [
            Version(
                row.id,
                row.created_at,
                row.author,
                row.action,
                row.file_name,
                row.file_sha256,
                row.note,
                counts=by_version.get(row.id, {}),
            )
            for row in found
        ]

    def version(self, version_id: int) -> Version:
        """One version; ``KeyError`` when there is none with that id."""
        for found in self.versions():
            if found.id == version_id:
                return found
        raise KeyError(version_id)

    def _undo_since(self, version_id: int) -> dict[str, dict[int, Row | None]]:
        """Per table, what each row id touched after ``version_id`` held right after it."""
        changes = self.tables.tables["row_changes"]
        query = (
            sa.select(changes.c.table_name, changes.c.row_id, changes.c.change, changes.c.data)
            .where(changes.c.version_id > version_id)
            # Newest version first; within a version "added" before "removed", so that a
            # row removed and put back under its id ends as the removed one.
            .order_by(changes.c.version_id.desc(), changes.c.change)
        )
        found = self.execute(query)
        return rows.undo(
            (table, int(row_id), change, rows.decode(data, table))
            for table, row_id, change, data in found
        )

    def _require_version(self, version_id: int) -> None:
        """``KeyError`` when there is no version ``version_id`` (or it was forgotten)."""
        versions = self.tables.tables["versions"]
        found = self.execute(sa.select(versions.c.id).where(versions.c.id == version_id))
        if found.first() is None:
            raise KeyError(version_id)

    def snapshot(self, version_id: int) -> dict[str, pd.DataFrame]:
        """Every table as it was right after version ``version_id`` (typed like
        ``read_table``); ``KeyError`` when there is no such version."""
        with self.read():
            self._require_version(version_id)
            wanted = self._undo_since(version_id)
            frames = {}
            for table in TABLE_COLUMNS:
                current = self.stored_rows(table)
                state = rows.applied(current, rows.apply_undo(current, wanted.get(table, {})))
                frames[table] = rows.rows_frame(table, [state[key] for key in sorted(state)])
        return frames

    # Writes -----------------------------------------------------------------------------

    def _apply(self, table: str, change: TableDiff) -> None:
        found = self.tables.tables[table]
        removed = list(change.removed)
        for start in range(0, len(removed), 500):
            self.execute(sa.delete(found).where(found.c.id.in_(removed[start : start + 500])))
        if change.added:
            columns = ("id", *TABLE_COLUMNS[table])
            self.execute(
                sa.insert(found),
                [
                    dict(zip(columns, (row_id, *row), strict=True))
                    for row_id, row in change.added.items()
                ],
            )

    def _record_version(self, change: Change, diffs: Mapping[str, TableDiff]) -> int:
        """Add a version recording ``diffs``; returns its id."""
        if change.action not in ACTIONS:
            raise ValueError(f"unknown action {change.action!r}; expected one of {ACTIONS}")
        versions = self.tables.tables["versions"]
        version_id = int(
            self.execute(
                sa.insert(versions)
                .values(
                    created_at=_now_text(),
                    author=change.author,
                    action=change.action,
                    file_name=change.file_name,
                    file_sha256=change.file_sha256,
                    note=change.note,
                )
                .returning(versions.c.id)
            ).scalar_one()
        )
        counts_rows = []
        change_rows = []
        for table in TABLE_COLUMNS:
            found = diffs.get(table, TableDiff())
            # A table the write left alone costs nothing (comparing frames is the slow
            # part of recording a version).
            counts = (
                compare(
                    table,
                    rows.rows_frame(table, list(found.removed.values())),
                    rows.rows_frame(table, list(found.added.values())),
                ).counts
                if found
                else TableCounts(0, 0, 0)
            )
            counts_rows.append(
                {
                    "version_id": version_id,
                    "table_name": table,
                    "added": counts.added,
                    "changed": counts.changed,
                    "removed": counts.removed,
                }
            )
            change_rows += rows.change_records(version_id, table, found)
        self.execute(sa.insert(self.tables.tables["version_counts"]), counts_rows)
        if change_rows:
            self.execute(sa.insert(self.tables.tables["row_changes"]), change_rows)
        return version_id

    def _land(
        self,
        diffs: Mapping[str, TableDiff],
        *,
        origin: str,
        change: Change,
        meta: Mapping[str, str] | None = None,
    ) -> int:
        """Inside a write transaction: make the changes, back up the state before them,
        record the version, bump ``data_version``; returns the version's id.

        A write that changes no row raises ``NothingChangedError`` instead (the
        transaction then rolls back): ten such imports would otherwise record ten empty
        versions.  Seeding always lands, as it records which seed the data came from.
        """
        if not any(diffs.values()) and change.action != ACTION_SEED:
            raise NothingChangedError(self.latest_version())
        # The changed tables' rows (already read by the diff); the others are carried
        # over to the new content id only where the process holds them already.
        previous_id = self.get_meta(CONTENT_ID_KEY)
        after = {
            table: _changed(table, self._entry(table), found) for table, found in diffs.items()
        }
        for table in TABLE_COLUMNS:
            unchanged = ROWS.get(self.where, previous_id, table) if previous_id else None
            if table not in after and unchanged is not None:
                after[table] = unchanged
        for table, found in diffs.items():
            self._apply(table, found)
        # After the changes were tried, so that a database that refuses writes says so
        # (read-only) before a backup is attempted or a backups folder made beside it.
        # The backup reads the committed state: the data right before this write.
        self._back_up()
        content_id = uuid.uuid4().hex
        self.set_meta(CONTENT_ID_KEY, content_id)
        self._pending = (content_id, after)
        version_id = self._record_version(change, diffs)
        self._prune_versions(versions_kept())
        self.set_meta("data_version", str(self.data_version() + 1))
        self.set_meta("updated_at", _now_text())
        self.set_meta("origin", origin)
        for key, value in (meta or {}).items():
            self.set_meta(key, value)
        return version_id

    def _prune_versions(self, kept: int | None) -> None:
        """Forget the versions older than the newest ``kept`` (None: keep every one).

        Rolling back to a version needs only the row changes of the versions after it,
        so forgetting the oldest ones never changes what a kept version restores."""
        if kept is None:
            return
        versions = self.tables.tables["versions"]
        newest = self.execute(
            sa.select(versions.c.id).order_by(versions.c.id.desc()).limit(kept)
        ).scalars()
        oldest_kept = min(newest, default=None)
        if oldest_kept is None:
            return
        for name in ("row_changes", "version_counts"):
            table = self.tables.tables[name]
            self.execute(sa.delete(table).where(table.c.version_id < oldest_kept))
        self.execute(sa.delete(versions).where(versions.c.id < oldest_kept))

    def write_tables(
        self,
        frames: Tables | Build,
        *,
        origin: str = ORIGIN_USER,
        change: Change | None = None,
        base_version: int | None = None,
        meta: Mapping[str, str] | None = None,
    ) -> int:
        """Make the named tables hold ``frames`` in one transaction (all of them change,
        or none) and record the write as a version; returns the version's id.

        ``frames`` maps table names to their full new content, or is a function building
        them from the current tables: it runs inside the write lock, so two sessions
        adding rows at once both land, in order.  Only the rows that differ are written.
        ``base_version`` is the ``data_version`` the new tables were made from: when
        another session wrote since, nothing is written and ``StorageError``
        (``ERROR_STALE``) is raised.  ``origin`` records who wrote the data: the shipped
        seed, or users (imports, edits).
        """
        with self.write():
            if base_version is not None and self.data_version() != base_version:
                raise errors.stale()
            given = self.read_tables() if callable(frames) else {}
            built = frames(given) if callable(frames) else frames
            # A table the build handed back as it got it is unchanged: no need to compare.
            tables = {
                table: frame for table, frame in built.items() if frame is not given.get(table)
            }
            unknown = set(tables) - set(TABLE_COLUMNS)
            if unknown:
                raise ValueError(
                    f"unknown tables {sorted(unknown)}; expected {list(TABLE_COLUMNS)}"
                )
            diffs = {table: self._diff(table, frame) for table, frame in tables.items()}
            return self._land(diffs, origin=origin, change=change or Change(), meta=meta)

    def _diff(self, table: str, frame: pd.DataFrame) -> TableDiff:
        """What makes the table hold ``frame``.  Rows equal to the stored row at the same
        place (an import keeps the stored rows in order and adds after them) are
        compared column by column, not one by one, and keep their ids."""
        found = self.stored_rows(table)
        current = self._frame(table)
        ids = list(current.index)
        same = rows.same_rows(frame.iloc[: len(current)], current.iloc[: len(frame)])
        kept = {ids[position] for position in range(len(same)) if same[position]}
        rest = frame.iloc[
            [
                position
                for position in range(len(frame))
                if position >= len(same) or not same[position]
            ]
        ]
        others = {row_id: row for row_id, row in found.items() if row_id not in kept}
        return rows.diff(
            others, rows.frame_rows(table, rest), max(found, default=0) + 1, key_position(table)
        )

    def rollback(self, version_id: int, *, author: str = "") -> int:
        """Restore every table to its content right after version ``version_id``; the
        rollback is itself a new version, whose id is returned."""
        with self.write():
            self._require_version(version_id)
            wanted = self._undo_since(version_id)
            diffs = {
                table: rows.apply_undo(self.stored_rows(table), found)
                for table, found in wanted.items()
            }
            note = ROLLBACK_NOTE.format(version=version_id)  # stored in Chinese
            change = Change(author=author, action=ACTION_ROLLBACK, note=note)
            return self._land(diffs, origin=ORIGIN_USER, change=change)

    # Routes -----------------------------------------------------------------------------

    def save_route(self, route: Route, *, author: str, replace: bool = False) -> None:
        """Save ``route`` to the shared list under its name, recording ``author`` and the
        time.  A route of the same name is replaced only with ``replace``; otherwise
        nothing is written and ``StorageError`` (``ERROR_EXISTS``) is raised.  Routes are
        not data versions: saving one neither changes ``data_version`` nor makes a backup.
        """
        name = route.name.strip()
        if not name or not route.stops:
            raise ValueError("a saved route needs a name and at least one stop")
        routes = self.tables.tables["routes"]
        values = {
            "stops": json.dumps(
                [[stop.kind, stop.name] for stop in route.stops], ensure_ascii=False
            ),
            "author": author.strip(),
            "saved_at": _now_text(),
        }
        with self.write():
            found = self.execute(sa.select(routes.c.id).where(routes.c.name == name)).first()
            if found and not replace:
                raise _route_exists(name)
            if found:
                self.execute(sa.update(routes).where(routes.c.name == name).values(**values))
            else:
                self.execute(sa.insert(routes).values(name=name, **values))

    def routes(self) -> list[SavedRoute]:
        """The shared list of saved routes, most recently saved first."""
        if "routes" not in self.table_names():
            return []  # a database of an older release opened read-only
        routes = self.tables.tables["routes"]
        with self.read():
            found = self.execute(
                sa.select(routes).order_by(routes.c.saved_at.desc(), routes.c.id.desc())
            ).all()
        return [
            SavedRoute(
                Route(
                    row.name,
                    tuple(
                        Stop(stop_kind(str(kind)), str(name))
                        for kind, name in json.loads(row.stops)
                    ),
                ),
                row.author,
                row.saved_at,
            )
            for row in found
        ]

    def delete_route(self, name: str) -> bool:
        """Remove the saved route ``name``; False when there is none."""
        routes = self.tables.tables["routes"]
        with self.write():
            return bool(
                self.execute(sa.delete(routes).where(routes.c.name == name.strip())).rowcount
            )
