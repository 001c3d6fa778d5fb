"""The embedded SQLite database: schema, seeding from the shipped CSVs, reads and writes.

Every write bumps ``data_version`` in the ``meta`` table, so the UI can cache reads keyed
on it and see changes made by any session.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

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

PROJECT_DIR = Path(__file__).resolve().parents[2]
SEED_DIR = PROJECT_DIR / "geodata" / "seed"
DB_ENV_VARIABLE = "LANDMARKS_DB"
ORIGIN_SEED = "seed"
ORIGIN_USER = "user"

_TYPES = {"lon": "REAL", "lat": "REAL", "value": "REAL", "year": "INTEGER", "is_demo": "INTEGER"}
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
SCHEMA_VERSION = 2
_UNIQUE = {"products": "name", "zones": "name", "sites": "name", "sources": "source_id"}


def _table_ddl(table: str, columns: tuple[str, ...]) -> str:
    fields = [
        f"{column} {_TYPES.get(column, 'TEXT')}"
        + (" NOT NULL" if column in _NOT_NULL else "")
        + (" UNIQUE" if _UNIQUE.get(table) == column else "")
        for column in columns
    ]
    return f"CREATE TABLE IF NOT EXISTS {table} (id INTEGER PRIMARY KEY, {', '.join(fields)})"


def default_db_path() -> Path:
    """``$LANDMARKS_DB`` if set, else ``var/landmarks.sqlite`` in the project."""
    configured = os.environ.get(DB_ENV_VARIABLE, "").strip()
    return Path(configured).expanduser() if configured else PROJECT_DIR / "var" / "landmarks.sqlite"


def connect(path: Path) -> sqlite3.Connection:
    """Open (creating if needed) the database and make sure the schema exists."""
    path.parent.mkdir(parents=True, exist_ok=True)
    connection = sqlite3.connect(path, timeout=30)
    connection.execute("PRAGMA journal_mode=WAL")
    with connection:
        connection.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
        existing = _table_names(connection)
        for table, columns in TABLE_COLUMNS.items():
            connection.execute(_table_ddl(table, columns))
        if "products" not in existing:
            _set_meta(connection, "schema_version", str(SCHEMA_VERSION))
    return connection


def _table_names(connection: sqlite3.Connection) -> set[str]:
    rows = connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
    return {name for (name,) in rows}


def schema_version(connection: sqlite3.Connection) -> int:
    """The shape of this database's tables; databases from before versioning are 1."""
    return int(get_meta(connection, "schema_version", "1"))


def _add_product_areas(connection: sqlite3.Connection, regions: Regions) -> None:
    """Version 2: families, registration numbers and areas.  Existing rows keep their
    place: a county's product covers that county, any other its whole prefecture."""
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


_MIGRATIONS = {2: _add_product_areas}


def upgrade(connection: sqlite3.Connection, regions: Regions) -> bool:
    """Bring a database made by an earlier release to ``SCHEMA_VERSION``, in place and in
    one transaction per step, keeping every row; returns True when it changed anything."""
    start = schema_version(connection)
    for version in range(start + 1, SCHEMA_VERSION + 1):
        with connection:
            _MIGRATIONS[version](connection, regions)
            _set_meta(connection, "schema_version", str(version))
    return start < SCHEMA_VERSION


@contextmanager
def opened(path: Path) -> Iterator[sqlite3.Connection]:
    connection = connect(path)
    try:
        yield connection
    finally:
        connection.close()


def get_meta(connection: sqlite3.Connection, key: str, default: str = "") -> str:
    row = connection.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return row[0] if row else default


def data_version(connection: sqlite3.Connection) -> int:
    return int(get_meta(connection, "data_version", "0"))


def _set_meta(connection: sqlite3.Connection, key: str, value: str) -> None:
    connection.execute(
        "INSERT INTO meta (key, value) VALUES (?, ?) "
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        (key, value),
    )


def replace_tables(
    connection: sqlite3.Connection, frames: dict[str, pd.DataFrame], *, origin: str = ORIGIN_USER
) -> None:
    """Replace whole tables in one transaction: all of them change, or none.

    ``origin`` records who wrote the data: the shipped seed, or users (imports, edits).
    """
    with connection:
        for table, frame in frames.items():
            columns = TABLE_COLUMNS[table]
            connection.execute(f"DELETE FROM {table}")
            rows = frame[list(columns)].astype(object).where(frame[list(columns)].notna(), None)
            connection.executemany(
                f"INSERT INTO {table} ({', '.join(columns)}) "
                f"VALUES ({', '.join('?' for _ in columns)})",
                rows.itertuples(index=False, name=None),
            )
        _set_meta(connection, "data_version", str(data_version(connection) + 1))
        _set_meta(connection, "updated_at", datetime.now(UTC).isoformat(timespec="seconds"))
        _set_meta(connection, "origin", origin)


def read_table(connection: sqlite3.Connection, table: str) -> pd.DataFrame:
    columns = TABLE_COLUMNS[table]
    frame = pd.read_sql_query(f"SELECT {', '.join(columns)} FROM {table} ORDER BY id", connection)
    if "year" in frame:
        frame["year"] = frame["year"].astype("Int64")
    if "is_demo" in frame:
        frame["is_demo"] = frame["is_demo"].astype(bool)
    return frame


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


def ensure_seeded(
    connection: sqlite3.Connection,
    regions: Regions,
    seed_dir: Path = SEED_DIR,
    digest: str | None = None,
) -> bool:
    """Seed an empty database, or refresh one that holds an older shipped seed and nothing
    else; returns True when it seeded.  Data that users wrote is never replaced.

    ``digest`` is ``seed_digest(seed_dir)``, passed in by callers that keep it.
    """
    upgrade(connection, regions)
    digest = digest or seed_digest(seed_dir)
    if _origin(connection) == ORIGIN_USER or get_meta(connection, "seed_digest") == digest:
        return False
    frames = seed_frames(regions, seed_dir)
    replace_tables(connection, frames, origin=ORIGIN_SEED)
    with connection:
        _set_meta(connection, "seed_digest", digest)
    return True
