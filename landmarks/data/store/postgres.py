"""The shared store: one PostgreSQL (15 or newer) database with PostGIS, for an office
server that several app processes and 17 prefectures' editors write at once.

What differs from SQLite: a write serialises on ``pg_advisory_xact_lock`` (waiting up to
the busy timeout, then told to retry), reads of several tables share one snapshot
(``REPEATABLE READ``), a schema upgrade is preceded by a ``pg_dump`` the operator can
turn off (``LANDMARKS_PG_DUMP=off``), the server's failures read as ``StorageError``,
and the spatial questions are asked of PostGIS: ``ST_DWithin`` on geography for "within
so many metres", ``ST_Covers`` against the county boundaries for "which county".  Data
writes take no file backup: the versions are the rollback, and ``pg_dump`` / point-in-
time recovery are the operator's (README).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg
import shapely
import sqlalchemy as sa
from geoalchemy2.shape import from_shape

from landmarks.data.locations import PROJECT_DIR
from landmarks.data.regions import Regions
from landmarks.data.store import errors
from landmarks.data.store.base import Store
from landmarks.data.store.errors import StorageError
from landmarks.i18n import t

PG_DUMP_ENV_VARIABLE = "LANDMARKS_PG_DUMP"  # "off": no pg_dump before a schema upgrade
DUMP_DIR_ENV_VARIABLE = "LANDMARKS_BACKUP_DIR"
# Any fixed number: every app process takes the same advisory lock for a write.
_WRITE_LOCK_KEY = 4_200_000_021
_BUSY_STATES = {"55P03", "40P01", "40001"}  # lock timeout, deadlock, serialization
_REFUSED_STATES = {"25006", "42501", "53100", "53200", "53300"}
_ENGINES: dict[str, sa.Engine] = {}


def is_url(target: str | Path) -> bool:
    return str(target).startswith(("postgresql://", "postgresql+psycopg://", "postgres://"))


def _engine_url(url: str) -> sa.URL:
    parsed = sa.make_url(url.replace("postgres://", "postgresql://", 1))
    return parsed.set(drivername="postgresql+psycopg")


def shown(url: str) -> str:
    """The URL as messages show it: without its password."""
    return _engine_url(url).render_as_string(hide_password=True).replace("+psycopg", "")


def _engine(url: str) -> sa.Engine:
    """One pooled engine per database for the whole process."""
    if url not in _ENGINES:
        _ENGINES[url] = sa.create_engine(
            _engine_url(url), pool_pre_ping=True, pool_size=5, max_overflow=10
        )
    return _ENGINES[url]


def storage_error(error: BaseException, where: str) -> StorageError | None:
    """The ``StorageError`` a server failure means; None for other errors (e.g. a
    constraint a bad table violates)."""
    if isinstance(error, StorageError):
        return error
    original = error.orig if isinstance(error, sa.exc.DBAPIError) else error
    if not isinstance(original, psycopg.Error):
        return None
    state = original.sqlstate or ""
    if state in _BUSY_STATES:
        return errors.server_busy(where)
    if state in _REFUSED_STATES:
        return errors.server_refused(where, str(original.diag.message_primary or state))
    if isinstance(original, psycopg.OperationalError):
        return errors.server_unavailable(where)  # refused, lost or restarting
    return None


class PostgresStore(Store):
    backend = "postgresql"

    def __init__(self, url: str, *, timeout: float, read_only: bool) -> None:
        where = shown(url)
        try:
            connection = _engine(url).connect()
        except sa.exc.DBAPIError as error:
            raise storage_error(error, where) or errors.server_unavailable(where) from error
        super().__init__(connection, where, postgis=True)
        self.url = url
        self._timeout_ms = int(timeout * 1000)
        self._read_only = read_only

    @contextmanager
    def translated(self) -> Iterator[None]:
        try:
            yield
        except (sa.exc.DBAPIError, psycopg.Error) as error:
            found = storage_error(error, self.where)
            if found is None:
                raise
            raise found from error

    def _begin_read(self) -> None:
        if not self._in_write:
            self.connection.exec_driver_sql(
                "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"
                if self._read_only
                else "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ"
            )

    def _begin_write(self) -> None:
        if self._read_only:
            self.connection.exec_driver_sql("SET TRANSACTION READ ONLY")
        self.connection.exec_driver_sql(f"SET LOCAL lock_timeout = {self._timeout_ms}")
        self.connection.execute(sa.select(sa.func.pg_advisory_xact_lock(_WRITE_LOCK_KEY)))

    def create_schema(self) -> None:
        if "products" not in self.table_names():
            with self.write():
                self.connection.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS postgis")
        super().create_schema()

    def _before_upgrade(self, start: int) -> None:
        if os.environ.get(PG_DUMP_ENV_VARIABLE, "").strip().lower() == "off":
            return
        program = shutil.which("pg_dump")
        if program is None:
            raise errors.server_refused(
                self.where, t("升级前的 pg_dump 备份无法进行：找不到 pg_dump 程序")
            )
        folder = Path(os.environ.get(DUMP_DIR_ENV_VARIABLE) or PROJECT_DIR / "var" / "backups")
        folder.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        target = folder / f"landmarks-{stamp}-schema{start}.dump"
        libpq_url = _engine_url(self.url).set(drivername="postgresql")
        result = subprocess.run(
            [program, "-Fc", "-f", str(target), libpq_url.render_as_string(hide_password=False)],
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise errors.server_refused(
                self.where, t("升级前的 pg_dump 备份失败：{reason}", reason=result.stderr.strip())
            )

    def _prepare_regions(self, regions: Regions) -> None:
        """Keep the county boundaries PostGIS answers "which county" with in step with
        the app's (written once, and again when the boundaries change)."""
        digest = _counties_digest(regions)
        if self.get_meta("counties_digest") == digest:
            return
        counties = self.tables.tables["counties"]
        wanted = {str(row.adcode): row.geometry for row in regions.counties.itertuples()}
        with self.write():
            self.execute(sa.delete(counties))
            self.execute(
                sa.insert(counties),
                [
                    {"adcode": adcode, "geom": from_shape(_multi(geometry), srid=4326)}
                    for adcode, geometry in wanted.items()
                ],
            )
            self.set_meta("counties_digest", digest)

    def size_bytes(self) -> int:
        with self.read():
            query = sa.select(sa.func.pg_database_size(sa.func.current_database()))
            return int(self.execute(query).scalar_one())

    def sites_within(self, lon: float, lat: float, metres: float) -> list[str]:
        sites = self.tables.tables["sites"]
        point = sa.func.geography(sa.func.ST_SetSRID(sa.func.ST_MakePoint(lon, lat), 4326))
        where = sa.func.geography(sites.c.geom)
        query = (
            sa.select(sites.c.name)
            .where(sa.func.ST_DWithin(where, point, metres))
            .order_by(sa.func.ST_Distance(where, point), sites.c.name.collate("C"))
        )
        with self.read():
            return [str(name) for name in self.execute(query).scalars()]

    def county_at(self, regions: Regions, lon: float, lat: float) -> str | None:
        # The boundaries are the regions' own, written by ``_prepare_regions``.
        counties = self.tables.tables["counties"]
        point = sa.func.ST_SetSRID(sa.func.ST_MakePoint(lon, lat), 4326)
        query = (
            sa.select(counties.c.adcode)
            .where(sa.func.ST_Covers(counties.c.geom, point))
            .order_by(counties.c.adcode)
            .limit(1)
        )
        with self.read():
            found = self.execute(query).scalar()
        return None if found is None else str(found)


def _multi(geometry: Any) -> Any:
    return geometry if geometry.geom_type == "MultiPolygon" else shapely.MultiPolygon([geometry])


_DIGESTS: weakref.WeakKeyDictionary[Regions, str] = weakref.WeakKeyDictionary()


def _counties_digest(regions: Regions) -> str:
    """A fingerprint of the county boundaries (worked out once per regions object)."""
    if regions not in _DIGESTS:
        found = hashlib.sha256()
        counties = regions.counties.sort_values("adcode")
        for adcode, wkb in zip(counties["adcode"], counties.geometry.to_wkb(), strict=True):
            found.update(str(adcode).encode() + wkb)
        _DIGESTS[regions] = found.hexdigest()[:16]
    return _DIGESTS[regions]
