"""The database's tables, declared once (SQLAlchemy Core) for both backends.

SQLite and PostgreSQL get their DDL, parameters and ``RETURNING`` from these
declarations.  PostgreSQL adds what only PostGIS has (``metadata(postgis=True)``): a
``geometry(Point, 4326)`` column computed from ``lon``/``lat`` on every table with a map
position, with GiST indexes for the "nearby" and "point in county" questions, and the
county boundaries those questions are asked against.

Data rows carry an ``id`` the store assigns itself (the next free number inside the write
lock), so a version can record and restore a row under the same id on both backends.
"""

from __future__ import annotations

import functools
from typing import Any

import sqlalchemy as sa
from geoalchemy2 import Geometry

from landmarks.data.model import (
    OUTPUT_COLUMNS,
    PRODUCT_COLUMNS,
    REGISTRATION_COLUMNS,
    SITE_COLUMNS,
    ZONE_COLUMNS,
)

# Bumped by every change of the tables' shape; ``migrations.upgrade`` brings older
# databases along.
SCHEMA_VERSION = 5

TABLE_COLUMNS: dict[str, tuple[str, ...]] = {
    "products": PRODUCT_COLUMNS,
    "zones": ZONE_COLUMNS,
    "sites": SITE_COLUMNS,
    "outputs": OUTPUT_COLUMNS,
    "sources": ("source_id", "url", "source_quality", "facts"),
    "registrations": REGISTRATION_COLUMNS,
}
REAL_COLUMNS = frozenset({"lon", "lat", "value"})
INTEGER_COLUMNS = frozenset({"year", "is_demo"})
_NOT_NULL = frozenset({"name", "subject", "confidence", "lon", "lat", "is_demo"})
_UNIQUE = {"products": "name", "zones": "name", "sites": "name", "sources": "source_id"}


def key_position(table: str) -> int | None:
    """Where the table's unique column is in its rows (None: no unique column)."""
    column = _UNIQUE.get(table)
    return None if column is None else TABLE_COLUMNS[table].index(column)


# Tables with a map position (``lon``/``lat``): PostGIS keeps a point of each row.
POINT_TABLES = tuple(table for table, columns in TABLE_COLUMNS.items() if "lon" in columns)
# Keys a database of this app has in its meta table (a foreign database has none of them).
OUR_META_KEYS = ("schema_version", "data_version")


def _column_type(column: str) -> sa.types.TypeEngine[Any]:
    if column in REAL_COLUMNS:
        return sa.Float()
    if column in INTEGER_COLUMNS:
        return sa.Integer()
    return sa.Text()


def _data_table(metadata: sa.MetaData, table: str, *, postgis: bool) -> sa.Table:
    columns: list[sa.schema.SchemaItem] = [
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False)
    ]
    columns += [
        sa.Column(
            column,
            _column_type(column),
            nullable=column not in _NOT_NULL,
            unique=_UNIQUE.get(table) == column,
        )
        for column in TABLE_COLUMNS[table]
    ]
    if postgis and table in POINT_TABLES:
        columns.append(
            sa.Column(
                "geom",
                Geometry("POINT", srid=4326, spatial_index=False),
                sa.Computed("ST_SetSRID(ST_MakePoint(lon, lat), 4326)", persisted=True),
            )
        )
    found = sa.Table(table, metadata, *columns)
    if postgis and table in POINT_TABLES:
        # "Within so many metres" is asked on the spheroid (geography): index that form.
        sa.Index(f"{table}_geog", sa.func.geography(found.c.geom), postgresql_using="gist")
    return found


@functools.cache
def metadata(*, postgis: bool = False) -> sa.MetaData:
    """Every table of the current schema; with ``postgis`` also the geometry columns and
    the county boundaries (PostgreSQL only)."""
    found = sa.MetaData()
    sa.Table(
        "meta", found, sa.Column("key", sa.Text, primary_key=True), sa.Column("value", sa.Text)
    )
    for table in TABLE_COLUMNS:
        _data_table(found, table, postgis=postgis)
    # The history of writes: who, when, what; per table the rows a version added and
    # removed (a changed row is one of each), which is all that rolling back needs.
    sa.Table(
        "versions",
        found,
        sa.Column("id", sa.Integer, sa.Identity(), primary_key=True),
        sa.Column("created_at", sa.Text, nullable=False),
        sa.Column("author", sa.Text, nullable=False),
        sa.Column("action", sa.Text, nullable=False),
        sa.Column("file_name", sa.Text, nullable=False),
        sa.Column("file_sha256", sa.Text, nullable=False),
        sa.Column("note", sa.Text, nullable=False),
    )
    sa.Table(
        "version_counts",
        found,
        sa.Column("version_id", sa.Integer, primary_key=True),
        sa.Column("table_name", sa.Text, primary_key=True),
        sa.Column("added", sa.Integer, nullable=False),
        sa.Column("changed", sa.Integer, nullable=False),
        sa.Column("removed", sa.Integer, nullable=False),
    )
    sa.Table(
        "row_changes",
        found,
        sa.Column("version_id", sa.Integer, primary_key=True),
        sa.Column("table_name", sa.Text, primary_key=True),
        sa.Column("row_id", sa.Integer, primary_key=True),
        # "added" or "removed"; a row removed and added back under its id in one version
        # never happens (an unchanged row keeps its id).
        sa.Column("change", sa.Text, primary_key=True),
        sa.Column("data", sa.Text, nullable=False),  # the row's values as JSON
    )
    # Themed routes users saved: not data of the register, so no version covers them.
    sa.Table(
        "routes",
        found,
        sa.Column("id", sa.Integer, sa.Identity(), primary_key=True),
        sa.Column("name", sa.Text, nullable=False, unique=True),
        sa.Column("stops", sa.Text, nullable=False),
        sa.Column("author", sa.Text, nullable=False),
        sa.Column("saved_at", sa.Text, nullable=False),
    )
    # Security state, shared by every app process: sign-in failures that throttle, the
    # sign-in log and editors' sessions.
    failures = sa.Table(
        "sign_in_failures",
        found,
        sa.Column("id", sa.Integer, sa.Identity(), primary_key=True),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("subject", sa.Text, nullable=False),
        sa.Column("failed_at", sa.Float, nullable=False),
    )
    sa.Index("sign_in_failures_by_key", failures.c.kind, failures.c.subject, failures.c.failed_at)
    sa.Table(
        "sign_in_log",
        found,
        sa.Column("id", sa.Integer, sa.Identity(), primary_key=True),
        sa.Column("at", sa.Text, nullable=False),
        sa.Column("username", sa.Text, nullable=False),
        sa.Column("client", sa.Text, nullable=False),
        sa.Column("outcome", sa.Text, nullable=False),
    )
    sa.Table(
        "editor_sessions",
        found,
        sa.Column("token_sha256", sa.Text, primary_key=True),
        sa.Column("username", sa.Text, nullable=False),
        sa.Column("started_at", sa.Float, nullable=False),
        sa.Column("last_seen", sa.Float, nullable=False),
    )
    if postgis:
        counties = sa.Table(
            "counties",
            found,
            sa.Column("adcode", sa.Text, primary_key=True),
            sa.Column("geom", Geometry("MULTIPOLYGON", srid=4326, spatial_index=False)),
        )
        sa.Index("counties_geom", counties.c.geom, postgresql_using="gist")
    return found
