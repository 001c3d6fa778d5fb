"""The two-backend fixture (``db_target``, tests/conftest.py) gives each test a fresh, empty
database: a new SQLite location, or a PostgreSQL database with PostGIS and nothing else.
Stands in until the store's own tests run on both backends."""

from __future__ import annotations

import os
from pathlib import Path

import psycopg
import pytest
from sqlalchemy.engine import make_url

from landmarks.data import store
from tests import pg


def test_fresh_database(db_target: str) -> None:
    assert os.environ[store.DB_ENV_VARIABLE] == db_target
    if not db_target.startswith("postgresql"):
        assert not Path(db_target).exists()
        assert Path(db_target).parent.is_dir()
        return
    url = make_url(db_target)
    assert url.database is not None and url.database.startswith("landmarks_test_")
    with psycopg.connect(pg.libpq_conninfo(url)) as connection:
        assert connection.execute("SELECT current_database()").fetchone() == (url.database,)
        version = connection.execute("SELECT postgis_version()").fetchone()
        assert version is not None and str(version[0]).startswith("3.")
        # Empty: no table of its own, beside PostGIS's spatial_ref_sys.
        tables = connection.execute(
            "SELECT table_schema, table_name FROM information_schema.tables"
            " WHERE table_schema NOT IN ('pg_catalog', 'information_schema')"
            " AND table_type = 'BASE TABLE'"
        ).fetchall()
        assert tables == [("public", "spatial_ref_sys")]


# Connections the tests leave open, as a store's pool would: dropping the database after
# the test must end them rather than fail.
_left_open: list[psycopg.Connection[tuple[object, ...]]] = []


@pytest.mark.parametrize("run", [1, 2])
def test_each_test_gets_its_own_database(db_target: str, tmp_path: Path, run: int) -> None:
    """A table one run leaves behind is not there for the other: each test's database is new."""
    if not db_target.startswith("postgresql"):
        assert Path(db_target).parent == tmp_path
        assert not Path(db_target).exists()
        Path(db_target).write_bytes(b"left behind")
        return
    connection = psycopg.connect(pg.libpq_conninfo(make_url(db_target)), autocommit=True)
    _left_open.append(connection)
    assert connection.execute("SELECT to_regclass('public.left_behind')").fetchone() == (None,)
    connection.execute("CREATE TABLE left_behind (run integer)")
