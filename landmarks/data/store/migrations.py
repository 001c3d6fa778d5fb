"""Upgrades of databases made by earlier releases, in place, on both backends.

A numbered list: step N brings schema version N-1 to N, in one write transaction of its
own, keeping every row.  The steps speak SQLAlchemy (the tables of ``schema``, portable
``ALTER TABLE … ADD COLUMN``), so the same list runs on SQLite and PostgreSQL.  Before
the first step the backend keeps a copy (SQLite's online backup; ``pg_dump`` on
PostgreSQL unless turned off).  Versions 2–5 predate PostgreSQL, so in practice only
SQLite files meet them; a PostgreSQL database is created at the current version.
"""

from __future__ import annotations

import json
import uuid
import zlib
from collections.abc import Callable

import sqlalchemy as sa

from landmarks.data.model import AREA_SEPARATOR
from landmarks.data.records import default_area
from landmarks.data.regions import Regions
from landmarks.data.store import errors, rows
from landmarks.data.store.base import ACTION_SEED, Change, Store
from landmarks.data.store.row_cache import CONTENT_ID_KEY
from landmarks.data.store.rows import Row, TableDiff
from landmarks.data.store.schema import SCHEMA_VERSION, TABLE_COLUMNS
from landmarks.i18n import N_

UPGRADE_NOTE = N_("升级数据库时已有的数据")  # stored; translated where shown
_HISTORY = ("versions", "version_counts", "row_changes")


def _create(store: Store, *names: str) -> None:
    tables = [store.tables.tables[name] for name in names]
    store.tables.create_all(store.connection, tables=tables, checkfirst=True)
    store._forget()


def _add_product_areas(store: Store, regions: Regions) -> None:
    """Version 2: families, registration numbers and areas.  Existing rows keep their
    place: a county's product covers that county, any other its whole prefecture."""
    _create(store, "registrations")
    present = {column["name"] for column in sa.inspect(store.connection).get_columns("products")}
    for column in ("family", "registration_number", "area_level", "area_adcodes", "scope_note"):
        if column not in present:
            store.connection.exec_driver_sql(
                f"ALTER TABLE products ADD COLUMN {column} TEXT NOT NULL DEFAULT ''"
            )
    products = store.tables.tables["products"]
    found = store.execute(
        sa.select(
            products.c.id, products.c.name, products.c.county_adcode, products.c.prefecture_adcode
        )
    ).all()
    for row_id, name, county_adcode, prefecture_adcode in found:
        level, adcodes = default_area(regions, county_adcode or "", prefecture_adcode or "")
        store.execute(
            sa.update(products)
            .where(products.c.id == row_id)
            .values(family=name, area_level=level, area_adcodes=AREA_SEPARATOR.join(adcodes))
        )


def _add_versions(store: Store, regions: Regions) -> None:
    """Version 3: the history of writes.  The data already there becomes the first
    version, so every later change can be compared with it and undone."""
    _create(store, *_HISTORY)
    current = {table: store.stored_rows(table) for table in TABLE_COLUMNS}
    if any(current.values()) and store.latest_version() == 0:
        diffs = {table: TableDiff(added=found) for table, found in current.items()}
        store._record_version(Change(action=ACTION_SEED, note=UPGRADE_NOTE), diffs)


def _add_routes(store: Store, regions: Regions) -> None:
    """Version 4: the shared list of themed routes (empty at first)."""
    _create(store, "routes")


def _snapshot_rows(store: Store, digest: str, table: str) -> list[Row]:
    query = sa.text("SELECT data FROM snapshots WHERE digest = :digest")
    data = store.execute(query, {"digest": digest}).scalar_one()
    payload = json.loads(zlib.decompress(data))
    return [rows.decode(json.dumps(row), table, payload["columns"]) for row in payload["rows"]]


def _rows_instead_of_snapshots(store: Store, regions: Regions) -> None:
    """Version 5: a version records the rows it removed and added instead of whole-table
    snapshots, and security state (editor sessions) lives in the database.

    The row changes are worked out backwards from the current rows (which keep their
    ids): each version's snapshot against the one before it.  Rows that no table holds
    now get fresh ids, so rolling back to any version gives exactly its content.
    """
    _create(
        store, "version_counts", "row_changes", "sign_in_failures", "sign_in_log", "editor_sessions"
    )
    names = store.table_names()
    if "snapshots" not in names:
        return
    kept: dict[int, dict[str, str]] = {}
    old_counts = store.execute(
        sa.text(
            "SELECT version_id, table_name, digest, added, changed, removed FROM version_tables"
        )
    ).all()
    counts_rows = []
    for version_id, table, digest, added, changed, removed in old_counts:
        kept.setdefault(int(version_id), {})[table] = digest
        counts_rows.append(
            {
                "version_id": version_id,
                "table_name": table,
                "added": added,
                "changed": changed,
                "removed": removed,
            }
        )
    if counts_rows:
        store.execute(sa.insert(store.tables.tables["version_counts"]), counts_rows)
    state = {table: store.stored_rows(table) for table in TABLE_COLUMNS}
    next_id = {table: max(found, default=0) + 1 for table, found in state.items()}
    change_rows = []
    ordered = sorted(kept)
    for index in range(len(ordered) - 1, -1, -1):
        version_id = ordered[index]
        before_id = ordered[index - 1] if index else None
        for table in TABLE_COLUMNS:
            earlier: list[Row] = []
            if before_id is not None and table in kept[before_id]:
                earlier = _snapshot_rows(store, kept[before_id][table], table)
            back = rows.diff(state[table], earlier, next_id[table])
            next_id[table] += len(back.added)
            # Going back removes what the version added and adds back what it removed.
            forward = TableDiff(removed=back.added, added=back.removed)
            change_rows += rows.change_records(version_id, table, forward)
            state[table] = rows.applied(state[table], back)
    for start in range(0, len(change_rows), 1000):
        store.execute(
            sa.insert(store.tables.tables["row_changes"]), change_rows[start : start + 1000]
        )
    store.connection.exec_driver_sql("DROP TABLE version_tables")
    store.connection.exec_driver_sql("DROP TABLE snapshots")
    store._forget()


MIGRATIONS: dict[int, Callable[[Store, Regions], None]] = {
    2: _add_product_areas,
    3: _add_versions,
    4: _add_routes,
    5: _rows_instead_of_snapshots,
}


def upgrade(store: Store, regions: Regions) -> bool:
    """Bring the database to ``SCHEMA_VERSION`` in place, after a backup, in one
    transaction per step, keeping every row; returns True when it changed anything.  A
    database of a newer release raises ``StorageError``."""
    start = store.schema_version()
    if start > SCHEMA_VERSION:
        raise errors.newer(start, SCHEMA_VERSION)
    if start < SCHEMA_VERSION:
        store._before_upgrade(start)
    for version in range(start + 1, SCHEMA_VERSION + 1):
        with store.write():
            if store.schema_version() >= version:
                continue  # another session upgraded meanwhile
            MIGRATIONS[version](store, regions)
            store.set_meta("schema_version", str(version))
            # Rows read before the step are not the rows after it.
            store.set_meta(CONTENT_ID_KEY, uuid.uuid4().hex)
    store._prepare_regions(regions)
    return start < SCHEMA_VERSION
