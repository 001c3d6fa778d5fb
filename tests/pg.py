"""The PostgreSQL + PostGIS server of the tests: reaching it, and a fresh database per test.

``$LANDMARKS_TEST_PG_URL`` names a cluster made by ``scripts/pg.sh start`` (scripts/test.sh
starts one for the run): a SQLAlchemy URL such as
``postgresql+psycopg://landmarks@/landmarks?host=/tmp/landmarks-pg.x/socket&port=5432``,
whose role may create databases and whose cluster has the template ``landmarks_template``
with PostGIS.  Each test gets a copy of that template (about 25 ms) under a name of its
own, so xdist workers and tests never share one, and the copy is dropped after the test.
Administration goes through psycopg directly: CREATE/DROP DATABASE cannot run inside the
transaction a SQLAlchemy connection would open.
"""

from __future__ import annotations

import os
import uuid
from typing import Any

import psycopg
from psycopg import sql
from sqlalchemy.engine import URL, make_url

URL_ENV_VARIABLE = "LANDMARKS_TEST_PG_URL"
TEMPLATE = "landmarks_template"
CONNECT_TIMEOUT_S = 10

AdminConnection = psycopg.Connection[tuple[Any, ...]]


class Unavailable(Exception):
    """No server to test with: the reason, in words for the skip (or failure) message."""


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


def server_url() -> URL:
    """The server of ``$LANDMARKS_TEST_PG_URL``, checked by connecting to it."""
    configured = os.environ.get(URL_ENV_VARIABLE, "").strip()
    if not configured:
        raise Unavailable(f"${URL_ENV_VARIABLE} is not set (bash scripts/pg.sh start prints one)")
    try:
        url = make_url(configured)
    except Exception as error:  # SQLAlchemy's ArgumentError for a malformed URL
        raise Unavailable(f"${URL_ENV_VARIABLE} is not a database URL: {error}") from error
    try:
        with admin_connection(url) as connection:
            connection.execute("SELECT 1")
    except psycopg.Error as error:
        shown = url.render_as_string(hide_password=True)
        raise Unavailable(f"cannot reach ${URL_ENV_VARIABLE} ({shown}): {error}") from error
    return url


def libpq_conninfo(url: URL) -> str:
    """The URL as libpq reads it: ``postgresql://`` without SQLAlchemy's ``+driver``."""
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def admin_connection(url: URL) -> AdminConnection:
    return psycopg.connect(libpq_conninfo(url), autocommit=True, connect_timeout=CONNECT_TIMEOUT_S)


def database_name(worker: str) -> str:
    """Unique per test and per xdist worker, and inside PostgreSQL's 63-byte limit."""
    return f"landmarks_test_{worker}_{uuid.uuid4().hex[:16]}"


def create_database(connection: AdminConnection, name: str) -> None:
    connection.execute(
        sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
            sql.Identifier(name), sql.Identifier(TEMPLATE)
        )
    )


def drop_database(connection: AdminConnection, name: str) -> None:
    """Drops the database, ending whatever connections a test left open to it first.

    FORCE refuses, for a role that is not a superuser, when an autovacuum worker is in
    the database (it belongs to no role); a plain DROP makes such a worker exit itself,
    so it is tried then."""
    try:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
    except psycopg.errors.InsufficientPrivilege:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
