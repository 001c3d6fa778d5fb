"""The embedded SQLite database: schema and migrations, seeding, reads and versioned writes.

Its neighbours hold the other jobs, and their public names are re-exported here:
``locations`` (where the database and backups live, and whether a place takes writes),
``failures`` (the database's own failures as ``StorageError``), ``backups`` (the copies
taken before every write).  All SQL of the app lives here and stays portable (a
PostgreSQL backend comes later).  A database whose place refuses writes is opened
read-only and never written (``connect``, ``check_browsable``).

Every write (seed, import, edit, rollback) is one ``BEGIN IMMEDIATE`` transaction: it
lands completely or not at all, and two sessions writing at once are serialised (the
second waits up to the busy timeout, then is told to retry).  Once the new rows are in
place but before they are committed, the database's committed state is copied with
SQLite's online backup API into ``backups/`` beside it.  A write that changes nothing
stops there (``NothingChangedError``): no version, no backup.  Each write records a
version: who, when, what (action, file name, the file's SHA-256), rows
added/changed/removed per table, and a compressed snapshot of the tables after it, so
any version can be compared with the current data and restored.  Every write also bumps
``data_version`` in ``meta``, so the UI can cache reads keyed on it.

Themed routes users save (``save_route``) are kept apart from the data tables: a route
records who saved it and when, but is not a data version, so rolling the data back never
removes a route and saving one never rotates a backup of the data out.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import zlib
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from landmarks import i18n
from landmarks.data import backups as backup_files
from landmarks.data.backups import BUSY_TIMEOUT_SECONDS, backups, remove_leftovers
from landmarks.data.changes import TableCounts, compare
from landmarks.data.failures import (
    ERROR_BUSY,
    ERROR_EXISTS,
    ERROR_READ_ONLY,
    ERROR_UNWRITABLE,
    StorageError,
    folder_unwritable,
    how_to_write,
    needs_write,
    read_only_reason,
)
from landmarks.data.failures import foreign as _foreign
from landmarks.data.failures import newer as _newer_than
from landmarks.data.failures import not_a_database as _not_a_database
from landmarks.data.failures import read_only as _read_only
from landmarks.data.failures import stale as _stale
from landmarks.data.failures import translated as _translated
from landmarks.data.locations import (
    DB_ENV_VARIABLE,
    PROJECT_DIR,
    Access,
    backup_folder,
    default_db_path,
    write_access,
)
from landmarks.data.model import (
    AREA_SEPARATOR,
    OUTPUT_COLUMNS,
    PRODUCT_COLUMNS,
    REGISTRATION_COLUMNS,
    SITE_COLUMNS,
    ZONE_COLUMNS,
)
from landmarks.data.records import (
    default_area,
    prepare_outputs,
    prepare_products,
    prepare_registrations,
    prepare_sites,
    prepare_zones,
    with_product_details,
)
from landmarks.data.regions import Regions
from landmarks.data.routes import Route, SavedRoute, Stop, stop_kind
from landmarks.i18n import N_, t

# Re-exported: the app's pages and the command line know them as ``storage.*`` (the
# tests of pages and browsers also use DB_ENV_VARIABLE, ERROR_BUSY, backup_folder and
# backups so).  Everything else is imported from its own module.
__all__ = [
    "DB_ENV_VARIABLE",
    "ERROR_BUSY",
    "ERROR_READ_ONLY",
    "ERROR_UNWRITABLE",
    "Access",
    "StorageError",
    "backup_folder",
    "backups",
    "default_db_path",
    "how_to_write",
    "read_only_reason",
    "remove_leftovers",
    "write_access",
]

SEED_DIR = PROJECT_DIR / "geodata" / "seed"
ORIGIN_SEED = "seed"
ORIGIN_USER = "user"

# What a version did, as users read it (stored in Chinese; translated where shown).
ACTION_IMPORT = N_("导入")
ACTION_EDIT = N_("编辑")
ACTION_ROLLBACK = N_("回滚")
ACTION_SEED = N_("初始化")
ACTIONS: tuple[str, ...] = (ACTION_IMPORT, ACTION_EDIT, ACTION_ROLLBACK, ACTION_SEED)

_TYPES = {"lon": "REAL", "lat": "REAL", "value": "REAL", "year": "INTEGER", "is_demo": "INTEGER"}
_REAL = {column for column, kind in _TYPES.items() if kind == "REAL"}
_NOT_NULL = {"name", "subject", "confidence", "lon", "lat", "is_demo"}
TABLE_COLUMNS: dict[str, tuple[str, ...]] = {
    "products": PRODUCT_COLUMNS,
    "zones": ZONE_COLUMNS,
    "sites": SITE_COLUMNS,
    "outputs": OUTPUT_COLUMNS,
    "sources": ("source_id", "url", "source_quality", "facts"),
    "registrations": REGISTRATION_COLUMNS,
}
# Bumped by every change of the tables' shape; ``upgrade`` brings older databases along.
SCHEMA_VERSION = 4
_UNIQUE = {"products": "name", "zones": "name", "sites": "name", "sources": "source_id"}
# The history of writes (schema version 3).  A snapshot is one table's rows, stored once
# however many versions share it.
_HISTORY_DDL = (
    "CREATE TABLE IF NOT EXISTS versions (id INTEGER PRIMARY KEY, created_at TEXT NOT NULL,"
    " author TEXT NOT NULL, action TEXT NOT NULL, file_name TEXT NOT NULL,"
    " file_sha256 TEXT NOT NULL, note TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS snapshots (digest TEXT PRIMARY KEY, data BLOB NOT NULL)",
    "CREATE TABLE IF NOT EXISTS version_tables (version_id INTEGER NOT NULL,"
    " table_name TEXT NOT NULL, digest TEXT NOT NULL, added INTEGER NOT NULL,"
    " changed INTEGER NOT NULL, removed INTEGER NOT NULL, PRIMARY KEY (version_id, table_name))",
)
# Themed routes users saved to the shared list (schema version 4).  Not one of the data
# tables: saving a route is not a change of the register, so it is kept out of the data's
# versions, rollbacks and backups; each route records who saved it and when.
_ROUTES_DDL = (
    "CREATE TABLE IF NOT EXISTS routes (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,"
    " stops TEXT NOT NULL, author TEXT NOT NULL, saved_at TEXT NOT NULL)"
)
# Keys a database of this app has in its meta table (a foreign file has none of them).
_OUR_META_KEYS = ("schema_version", "data_version")


def _newer(found: int) -> StorageError:
    return _newer_than(found, SCHEMA_VERSION)


# Schema -------------------------------------------------------------------------------


def _table_ddl(table: str, columns: tuple[str, ...]) -> str:
    fields = [
        f"{column} {_TYPES.get(column, 'TEXT')}"
        + (" NOT NULL" if column in _NOT_NULL else "")
        + (" UNIQUE" if _UNIQUE.get(table) == column else "")
        for column in columns
    ]
    return f"CREATE TABLE IF NOT EXISTS {table} (id INTEGER PRIMARY KEY, {', '.join(fields)})"


def _table_names(connection: sqlite3.Connection) -> set[str]:
    rows = connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
    return {name for (name,) in rows}


_SQLITE_HEADER = b"SQLite format 3\x00"


def _has_sqlite_header(path: Path) -> bool:
    try:
        with path.open("rb") as file:
            return file.read(len(_SQLITE_HEADER)) == _SQLITE_HEADER
    except OSError:
        return False


def _check_ours(connection: sqlite3.Connection, path: Path) -> None:
    """Refuse a file that is not this app's database (a new, empty file is ours).

    Reading the schema is also what finds a file that is not a database at all.
    """
    tables = _table_names(connection)
    if not tables:
        return
    if "meta" in tables:
        placeholders = ", ".join("?" for _ in _OUR_META_KEYS)
        ours = connection.execute(
            f"SELECT COUNT(*) FROM meta WHERE key IN ({placeholders})", _OUR_META_KEYS
        ).fetchone()[0]
        # A database of the first release that was created but never written holds our
        # tables and an empty meta table.
        if ours or "products" in tables:
            return
    raise _foreign(path)


def _create_schema(connection: sqlite3.Connection) -> None:
    """Create the tables of a new database; older databases get theirs from ``upgrade``."""
    if "products" in _table_names(connection):
        return
    with connection:
        connection.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
        for table, columns in TABLE_COLUMNS.items():
            connection.execute(_table_ddl(table, columns))
        for statement in _HISTORY_DDL:
            connection.execute(statement)
        connection.execute(_ROUTES_DDL)
        _set_meta(connection, "schema_version", str(SCHEMA_VERSION))


def connect(
    path: Path, *, read_only: bool = False, timeout: float = BUSY_TIMEOUT_SECONDS
) -> sqlite3.Connection:
    """Open (creating if needed) the database and make sure the schema exists.

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
            raise folder_unwritable(path.parent, N_("数据库所在的文件夹")) from error
    with _translated(path):
        access = write_access(path)
        if read_only:
            if not path.is_file() and not access.writable:
                raise needs_write(access, t("数据库文件还不存在，需要先创建"))
            connection = sqlite3.connect(access.read_only_uri, uri=True, timeout=timeout)
        else:
            if not access.writable:
                raise _read_only(access)
            connection = sqlite3.connect(path, timeout=timeout)
    try:
        with _translated(path):
            try:
                _check_ours(connection, path)
            except sqlite3.DatabaseError as error:
                if error.sqlite_errorcode == sqlite3.SQLITE_NOTADB and not _has_sqlite_header(path):
                    raise _not_a_database(path) from error
                raise
            if not read_only:
                connection.execute("PRAGMA journal_mode=WAL")
                _create_schema(connection)
    except BaseException:
        connection.close()
        raise
    return connection


def check_browsable(connection: sqlite3.Connection, access: Access) -> None:
    """Refuse, with the reason, a read-only database that cannot be shown as it is: one
    that needs creating or a schema upgrade first.  (An older shipped seed is shown as it
    is: refreshing it is a write, skipped while read-only.)"""
    found = schema_version(connection) if "meta" in _table_names(connection) else 0
    if found > SCHEMA_VERSION:
        raise _newer(found)
    if "products" not in _table_names(connection):
        raise needs_write(access, t("数据库还是空的，需要先写入内置数据"))
    if found < SCHEMA_VERSION:
        raise needs_write(
            access,
            t(
                "数据库由较早版本的应用创建（结构版本 {found}），"
                "需要升级到版本 {supported} 才能显示",
                found=found,
                supported=SCHEMA_VERSION,
            ),
        )


@contextmanager
def opened(
    path: Path, *, read_only: bool = False, timeout: float = BUSY_TIMEOUT_SECONDS
) -> Iterator[sqlite3.Connection]:
    """``connect``, closing the connection afterwards; the database's own failures
    inside the block are raised as ``StorageError`` too."""
    connection = connect(path, read_only=read_only, timeout=timeout)
    try:
        with _translated(path):
            yield connection
    finally:
        connection.close()


def _db_file(connection: sqlite3.Connection) -> Path | None:
    """The file of the connection's main database (None for an in-memory one)."""
    for _, name, file in connection.execute("PRAGMA database_list"):
        if name == "main":
            return Path(file) if file else None
    return None


def schema_version(connection: sqlite3.Connection) -> int:
    """The shape of this database's tables; databases from before versioning are 1."""
    return int(get_meta(connection, "schema_version", "1"))


def get_meta(connection: sqlite3.Connection, key: str, default: str = "") -> str:
    row = connection.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return str(row[0]) if row else default


def data_version(connection: sqlite3.Connection) -> int:
    return int(get_meta(connection, "data_version", "0"))


def _set_meta(connection: sqlite3.Connection, key: str, value: str) -> None:
    connection.execute(
        "INSERT INTO meta (key, value) VALUES (?, ?) "
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        (key, value),
    )


# Backups ------------------------------------------------------------------------------


def _latest_version(connection: sqlite3.Connection) -> int:
    if "versions" not in _table_names(connection):
        return 0
    row = connection.execute("SELECT MAX(id) FROM versions").fetchone()
    return int(row[0] or 0)


def backup_database(
    connection: sqlite3.Connection, *, label: str = "", keep: int | None = None
) -> Path | None:
    """Copy the database (its committed content) into the backup folder with SQLite's
    online backup API, then keep only the newest ``keep`` copies (``backups.back_up``).

    The copy is named ``<name>-<UTC time>-v<latest version>[-<label>].sqlite``.  Returns
    None for an in-memory database or one that holds no data yet (nothing to lose).
    """
    db = _db_file(connection)
    if db is None or (data_version(connection) == 0 and _latest_version(connection) == 0):
        return None
    return backup_files.back_up(db, _latest_version(connection), label=label, keep=keep)


# Transactions -------------------------------------------------------------------------


@contextmanager
def write_transaction(
    connection: sqlite3.Connection, *, backup: bool = True, label: str = ""
) -> Iterator[None]:
    """One ``BEGIN IMMEDIATE`` transaction: committed when the block ends, rolled back
    (leaving the file as it was) when it raises.

    Waits for another session's write up to the connection's busy timeout, then raises
    ``StorageError`` (``ERROR_BUSY``: 数据库正被其他人写入，请稍后重试).  With ``backup``
    the database is first copied into the backup folder (``backup_database``).
    """
    path = _db_file(connection) or Path(":memory:")
    with _translated(path):
        connection.execute("BEGIN IMMEDIATE")
    try:
        with _translated(path):
            found = schema_version(connection)
            if found > SCHEMA_VERSION:
                raise _newer(found)
            if backup:
                backup_database(connection, label=label)
            yield
            connection.commit()
    except BaseException:
        connection.rollback()
        raise


# Migrations ---------------------------------------------------------------------------


def _add_product_areas(connection: sqlite3.Connection, regions: Regions) -> None:
    """Version 2: families, registration numbers and areas.  Existing rows keep their
    place: a county's product covers that county, any other its whole prefecture."""
    connection.execute(_table_ddl("registrations", REGISTRATION_COLUMNS))
    present = {row[1] for row in connection.execute("PRAGMA table_info(products)")}
    for column in ("family", "registration_number", "area_level", "area_adcodes", "scope_note"):
        if column not in present:
            connection.execute(f"ALTER TABLE products ADD COLUMN {column} TEXT NOT NULL DEFAULT ''")
    rows = connection.execute("SELECT id, name, county_adcode, prefecture_adcode FROM products")
    updates = []
    for row_id, name, county_adcode, prefecture_adcode in rows.fetchall():
        level, adcodes = default_area(regions, county_adcode or "", prefecture_adcode or "")
        updates.append((name, level, AREA_SEPARATOR.join(adcodes), row_id))
    connection.executemany(
        "UPDATE products SET family = ?, area_level = ?, area_adcodes = ? WHERE id = ?", updates
    )


UPGRADE_NOTE = N_("升级数据库时已有的数据")  # stored; translated where shown


def _add_versions(connection: sqlite3.Connection, regions: Regions) -> None:
    """Version 3: the history of writes.  The data already there becomes the first
    version, so every later change can be compared with it and undone."""
    for statement in _HISTORY_DDL:
        connection.execute(statement)
    has_rows = any(
        connection.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchone() for table in TABLE_COLUMNS
    )
    if has_rows and _latest_version(connection) == 0:
        empty = {table: _empty(table) for table in TABLE_COLUMNS}
        _record_version(connection, Change(action=ACTION_SEED, note=UPGRADE_NOTE), empty)


def _add_routes(connection: sqlite3.Connection, regions: Regions) -> None:
    """Version 4: the shared list of themed routes (empty at first)."""
    connection.execute(_ROUTES_DDL)


_MIGRATIONS: dict[int, Callable[[sqlite3.Connection, Regions], None]] = {
    2: _add_product_areas,
    3: _add_versions,
    4: _add_routes,
}


def upgrade(connection: sqlite3.Connection, regions: Regions) -> bool:
    """Bring a database made by an earlier release to ``SCHEMA_VERSION``, in place, after
    a backup, in one transaction per step, keeping every row; returns True when it
    changed anything.  A database of a newer release raises ``StorageError``."""
    start = schema_version(connection)
    if start > SCHEMA_VERSION:
        raise _newer(start)
    for version in range(start + 1, SCHEMA_VERSION + 1):
        with write_transaction(connection, backup=version == start + 1, label=f"schema{start}"):
            if schema_version(connection) >= version:
                continue  # another session upgraded meanwhile
            _MIGRATIONS[version](connection, regions)
            _set_meta(connection, "schema_version", str(version))
    return start < SCHEMA_VERSION


# Reads --------------------------------------------------------------------------------


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    """The app's column types on a table read back from the database."""
    for column in frame.columns:
        if column in _REAL:
            frame[column] = pd.to_numeric(frame[column]).astype("float64")
    if "year" in frame:
        frame["year"] = frame["year"].astype("Int64")
    if "is_demo" in frame:
        frame["is_demo"] = frame["is_demo"].astype(bool)
    return frame


def read_table(connection: sqlite3.Connection, table: str) -> pd.DataFrame:
    columns = TABLE_COLUMNS[table]
    frame = pd.read_sql_query(f"SELECT {', '.join(columns)} FROM {table} ORDER BY id", connection)
    return _typed(frame)


def read_tables(connection: sqlite3.Connection) -> dict[str, pd.DataFrame]:
    """Every table, as ``read_table`` gives it, all from one state of the database (a
    write by another session cannot land between two tables' reads)."""
    if connection.in_transaction:
        return {table: read_table(connection, table) for table in TABLE_COLUMNS}
    connection.execute("BEGIN")
    try:
        return {table: read_table(connection, table) for table in TABLE_COLUMNS}
    finally:
        connection.rollback()


def _empty(table: str) -> pd.DataFrame:
    return _typed(pd.DataFrame({column: [] for column in TABLE_COLUMNS[table]}, dtype=object))


# Snapshots ----------------------------------------------------------------------------


def _stored_rows(connection: sqlite3.Connection, table: str) -> list[tuple[Any, ...]]:
    columns = TABLE_COLUMNS[table]
    query = f"SELECT {', '.join(columns)} FROM {table} ORDER BY id"
    return connection.execute(query).fetchall()


def _encode(table: str, rows: list[tuple[Any, ...]]) -> bytes:
    """A table's rows as canonical JSON (floats written exactly)."""
    payload = {"table": table, "columns": list(TABLE_COLUMNS[table]), "rows": rows}
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()


def _digest(encoded: bytes) -> str:
    return hashlib.sha256(encoded).hexdigest()


def _decode(data: bytes) -> pd.DataFrame:
    payload = json.loads(zlib.decompress(data))
    table = payload["table"]
    if not payload["rows"]:
        return _empty(table)
    # Built the way pandas builds a query's result, so the types match read_table's.
    frame = pd.DataFrame.from_records(payload["rows"], columns=payload["columns"])
    # A snapshot taken before a later schema change lacks the newer columns: empty text
    # (as the migrations that add text columns fill them), or missing numbers.
    for column in TABLE_COLUMNS[table]:
        if column not in frame:
            frame[column] = None if column in _TYPES else ""
    return _typed(frame[list(TABLE_COLUMNS[table])])


def _snapshot_table(connection: sqlite3.Connection, table: str) -> str:
    """Store the table's current rows as a snapshot (once per content); its digest."""
    encoded = _encode(table, _stored_rows(connection, table))
    digest = _digest(encoded)
    known = connection.execute("SELECT 1 FROM snapshots WHERE digest = ?", (digest,)).fetchone()
    if not known:
        connection.execute(
            "INSERT INTO snapshots (digest, data) VALUES (?, ?)",
            (digest, zlib.compress(encoded, 6)),
        )
    return digest


def _table_digest(connection: sqlite3.Connection, table: str) -> str:
    return _digest(_encode(table, _stored_rows(connection, table)))


def _combined_digest(digests: Mapping[str, str]) -> str:
    return _digest("\n".join(f"{table}:{digests[table]}" for table in TABLE_COLUMNS).encode())


def content_digest(connection: sqlite3.Connection) -> str:
    """A checksum of the content of every table (not of the file): equal for equal data."""
    digests = {table: _table_digest(connection, table) for table in TABLE_COLUMNS}
    return _combined_digest(digests)


# Versions -----------------------------------------------------------------------------


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
    digest: str = ""  # content_digest of the data after this version


def _record_version(
    connection: sqlite3.Connection,
    change: Change,
    before: Mapping[str, pd.DataFrame],
) -> int:
    """Add a version for the tables as they now are; ``before`` holds the tables the write
    replaced, as they were (the other tables are unchanged)."""
    if change.action not in ACTIONS:
        raise ValueError(f"unknown action {change.action!r}; expected one of {ACTIONS}")
    previous = _latest_version(connection)
    kept = dict(
        connection.execute(
            "SELECT table_name, digest FROM version_tables WHERE version_id = ?", (previous,)
        ).fetchall()
    )
    cursor = connection.execute(
        "INSERT INTO versions (created_at, author, action, file_name, file_sha256, note)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (
            datetime.now(UTC).isoformat(timespec="seconds"),
            change.author,
            change.action,
            change.file_name,
            change.file_sha256,
            change.note,
        ),
    )
    version_id = int(cursor.lastrowid or 0)
    for table in TABLE_COLUMNS:
        counts = TableCounts()
        if table in before or table not in kept:
            digest = _snapshot_table(connection, table)
            if table in before:
                counts = compare(table, before[table], read_table(connection, table)).counts
        else:
            digest = kept[table]
        connection.execute(
            "INSERT INTO version_tables (version_id, table_name, digest, added, changed, removed)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (version_id, table, digest, counts.added, counts.changed, counts.removed),
        )
    return version_id


def versions(connection: sqlite3.Connection) -> list[Version]:
    """Every version, newest first."""
    rows = connection.execute(
        "SELECT id, created_at, author, action, file_name, file_sha256, note FROM versions"
        " ORDER BY id DESC"
    ).fetchall()
    tables: dict[int, dict[str, tuple[str, TableCounts]]] = {}
    for version_id, table, digest, added, changed, removed in connection.execute(
        "SELECT version_id, table_name, digest, added, changed, removed FROM version_tables"
    ):
        tables.setdefault(version_id, {})[table] = (digest, TableCounts(added, changed, removed))
    found = []
    for version_id, created_at, author, action, file_name, file_sha256, note in rows:
        parts = tables.get(version_id, {})
        digests = {table: digest for table, (digest, _) in parts.items()}
        found.append(
            Version(
                version_id,
                created_at,
                author,
                action,
                file_name,
                file_sha256,
                note,
                counts={table: counts for table, (_, counts) in parts.items()},
                digest=_combined_digest(digests) if len(digests) == len(TABLE_COLUMNS) else "",
            )
        )
    return found


def version(connection: sqlite3.Connection, version_id: int) -> Version:
    """One version; ``KeyError`` when there is none with that id."""
    for found in versions(connection):
        if found.id == version_id:
            return found
    raise KeyError(version_id)


def snapshot(connection: sqlite3.Connection, version_id: int) -> dict[str, pd.DataFrame]:
    """Every table as it was right after version ``version_id`` (typed like read_table)."""
    rows = connection.execute(
        "SELECT version_tables.table_name, snapshots.data FROM version_tables"
        " JOIN snapshots ON snapshots.digest = version_tables.digest"
        " WHERE version_tables.version_id = ?",
        (version_id,),
    ).fetchall()
    if not rows:
        raise KeyError(version_id)
    frames = {table: _decode(data) for table, data in rows}
    return {table: frames[table] for table in TABLE_COLUMNS if table in frames}


# Writes -------------------------------------------------------------------------------

Tables = Mapping[str, pd.DataFrame]
Build = Callable[[dict[str, pd.DataFrame]], Tables]


class NothingChangedError(Exception):
    """A write (import, edit, rollback) whose tables equal the current ones: nothing was
    written, no version recorded and no backup taken.  ``version`` is the latest version,
    which still describes the data."""

    def __init__(self, version: int) -> None:
        super().__init__(f"nothing changed; the data is still version {version}")
        self.version = version


def _write_tables(
    connection: sqlite3.Connection,
    frames: Tables,
    *,
    origin: str,
    change: Change,
    meta: Mapping[str, str] | None = None,
) -> int:
    """Inside a write transaction: replace whole tables, back up the state before them,
    record the version, bump ``data_version``; returns the version's id.

    A write that changes no row of any table raises ``NothingChangedError`` instead (the
    transaction then rolls back): ten such imports would otherwise record ten empty
    versions and rotate every real backup out.  Seeding always lands, as it records
    which seed the data came from.
    """
    unknown = set(frames) - set(TABLE_COLUMNS)
    if unknown:
        raise ValueError(f"unknown tables {sorted(unknown)}; expected {list(TABLE_COLUMNS)}")
    before = {table: read_table(connection, table) for table in frames}
    digests_before = {table: _table_digest(connection, table) for table in frames}
    for table, frame in frames.items():
        columns = list(TABLE_COLUMNS[table])
        connection.execute(f"DELETE FROM {table}")
        values = frame[columns].astype(object).where(frame[columns].notna(), None)
        connection.executemany(
            f"INSERT INTO {table} ({', '.join(columns)}) "
            f"VALUES ({', '.join('?' for _ in columns)})",
            values.itertuples(index=False, name=None),
        )
    # Stored rows compared exactly (not by key), so no change can pass for none.
    unchanged = all(_table_digest(connection, table) == digests_before[table] for table in frames)
    if unchanged and change.action != ACTION_SEED:
        raise NothingChangedError(_latest_version(connection))
    # The backup reads the committed state through its own connection: the data right
    # before this write, which is not committed yet.
    backup_database(connection)
    version_id = _record_version(connection, change, before)
    _set_meta(connection, "data_version", str(data_version(connection) + 1))
    _set_meta(connection, "updated_at", datetime.now(UTC).isoformat(timespec="seconds"))
    _set_meta(connection, "origin", origin)
    for key, value in (meta or {}).items():
        _set_meta(connection, key, value)
    return version_id


def replace_tables(
    connection: sqlite3.Connection,
    frames: Tables | Build,
    *,
    origin: str = ORIGIN_USER,
    change: Change | None = None,
    base_version: int | None = None,
) -> int:
    """Replace whole tables in one transaction (all of them change, or none) and record
    the write as a version; returns the version's id.

    ``frames`` maps table names to their full new content, or is a function building them
    from the current tables: it runs inside the write lock, so two sessions adding rows
    at once both land, in order.  ``base_version`` is the ``data_version`` the new tables
    were made from: when another session wrote since, nothing is written and
    ``StorageError`` (``ERROR_STALE``) is raised.  ``origin`` records who wrote the data:
    the shipped seed, or users (imports, edits).  The database is backed up first.
    """
    with write_transaction(connection, backup=False):  # _write_tables backs up
        if base_version is not None and data_version(connection) != base_version:
            raise _stale()
        tables = frames(read_tables(connection)) if callable(frames) else frames
        return _write_tables(connection, tables, origin=origin, change=change or Change())


ROLLBACK_NOTE = N_("回滚到第 {version} 版")  # stored; translated where shown


def rollback(connection: sqlite3.Connection, version_id: int, *, author: str = "") -> int:
    """Restore every table to its content right after version ``version_id``; the
    rollback is itself a new version, whose id is returned."""
    with write_transaction(connection, backup=False):  # _write_tables backs up
        tables = snapshot(connection, version_id)
        note = ROLLBACK_NOTE.format(version=version_id)  # stored in Chinese
        change = Change(author=author, action=ACTION_ROLLBACK, note=note)
        return _write_tables(connection, tables, origin=ORIGIN_USER, change=change)


# Seed ---------------------------------------------------------------------------------


def _read_seed(name: str, seed_dir: Path) -> pd.DataFrame:
    return pd.read_csv(seed_dir / name, dtype=str, keep_default_na=False)


def seed_frames(regions: Regions, seed_dir: Path = SEED_DIR) -> dict[str, pd.DataFrame]:
    """The shipped, researched data prepared into the app's tables."""
    # The research file stays a verbatim copy; the app's own columns (family, registration
    # number, scope) come from a curated file beside it, taken from the research notes.
    raw = with_product_details(
        _read_seed("gi_products.csv", seed_dir), _read_seed("product_details.csv", seed_dir)
    )
    products = prepare_products(raw, regions)
    registrations = prepare_registrations(_read_seed("registrations.csv", seed_dir), products)
    sources = _read_seed("sources.csv", seed_dir)
    sources.loc[sources["source_quality"] == "repost", "url"] = ""
    return {
        "products": products,
        "zones": prepare_zones(_read_seed("demo_zones.csv", seed_dir), regions),
        "sites": prepare_sites(_read_seed("sites.csv", seed_dir), regions),
        "outputs": prepare_outputs(
            _read_seed("output_values.csv", seed_dir), regions, set(products["name"])
        ),
        "sources": sources,
        "registrations": registrations,
    }


def _origin(connection: sqlite3.Connection) -> str:
    """Who wrote the data.  Databases from before ``origin`` was recorded were seeded in
    their first write (version 1); any later write was a user's."""
    recorded = get_meta(connection, "origin")
    if recorded:
        return recorded
    return ORIGIN_SEED if data_version(connection) <= 1 else ORIGIN_USER


def seed_digest(seed_dir: Path = SEED_DIR) -> str:
    """Fingerprint of the shipped seed files: a new release of the research data changes it."""
    digest = hashlib.sha256()
    for path in sorted(seed_dir.glob("*.csv")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def _needs_seed(connection: sqlite3.Connection, digest: str) -> bool:
    return _origin(connection) != ORIGIN_USER and get_meta(connection, "seed_digest") != digest


SEED_NOTE = N_("内置研究数据")  # stored; translated where shown


def ensure_seeded(
    connection: sqlite3.Connection,
    regions: Regions,
    seed_dir: Path = SEED_DIR,
    digest: str | None = None,
) -> bool:
    """Upgrade the schema, then seed an empty database, or refresh one that holds an older
    shipped seed and nothing else; returns True when it seeded.  Data that users wrote is
    never replaced.  Seeding is a version (初始化).

    ``digest`` is ``seed_digest(seed_dir)``, passed in by callers that keep it.
    """
    upgrade(connection, regions)
    digest = digest or seed_digest(seed_dir)
    if not _needs_seed(connection, digest):
        return False
    frames = seed_frames(regions, seed_dir)
    with write_transaction(connection, backup=False):  # _write_tables backs up
        if not _needs_seed(connection, digest):
            return False  # another session seeded meanwhile
        change = Change(action=ACTION_SEED, note=f"{SEED_NOTE}（{digest}）")  # not UI: stored
        _write_tables(
            connection, frames, origin=ORIGIN_SEED, change=change, meta={"seed_digest": digest}
        )
    return True


# Routes -------------------------------------------------------------------------------


def _route_exists(name: str) -> StorageError:
    return StorageError(
        ERROR_EXISTS,
        t("已有同名线路“{name}”，本次未保存", name=i18n.name(name)),
        t("请换一个线路名称，或选择覆盖原线路后再保存"),
    )


def _encode_stops(stops: tuple[Stop, ...]) -> str:
    return json.dumps([[stop.kind, stop.name] for stop in stops], ensure_ascii=False)


def _decode_stops(text: str) -> tuple[Stop, ...]:
    return tuple(Stop(stop_kind(str(kind)), str(name)) for kind, name in json.loads(text))


def save_route(
    connection: sqlite3.Connection, route: Route, *, author: str, replace: bool = False
) -> None:
    """Save ``route`` to the shared list under its name, recording ``author`` and the time.

    A route of the same name is replaced only with ``replace``; otherwise nothing is
    written and ``StorageError`` (``ERROR_EXISTS``) is raised.  Routes are not data
    versions: saving one neither changes ``data_version`` nor makes a backup.
    """
    name = route.name.strip()
    if not name or not route.stops:
        raise ValueError("a saved route needs a name and at least one stop")
    with write_transaction(connection, backup=False):
        found = connection.execute("SELECT 1 FROM routes WHERE name = ?", (name,)).fetchone()
        if found and not replace:
            raise _route_exists(name)
        connection.execute(
            "INSERT INTO routes (name, stops, author, saved_at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT(name) DO UPDATE SET stops = excluded.stops,"
            " author = excluded.author, saved_at = excluded.saved_at",
            (
                name,
                _encode_stops(route.stops),
                author.strip(),
                datetime.now(UTC).isoformat(timespec="seconds"),
            ),
        )


def routes(connection: sqlite3.Connection) -> list[SavedRoute]:
    """The shared list of saved routes, most recently saved first."""
    if "routes" not in _table_names(connection):
        return []  # a database of an older release opened read-only
    rows = connection.execute(
        "SELECT name, stops, author, saved_at FROM routes ORDER BY saved_at DESC, id DESC"
    ).fetchall()
    return [
        SavedRoute(Route(name, _decode_stops(stops)), author, saved_at)
        for name, stops, author, saved_at in rows
    ]


def delete_route(connection: sqlite3.Connection, name: str) -> bool:
    """Remove the saved route ``name``; False when there is none."""
    with write_transaction(connection, backup=False):
        cursor = connection.execute("DELETE FROM routes WHERE name = ?", (name.strip(),))
        return cursor.rowcount > 0
