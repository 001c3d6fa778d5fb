"""Sign-in attempts kept in the app's database: the failures that throttle (by account
and by client, ``throttle``) and a log of sign-ins an operator can read.

Kept in SQLite rather than in a process's memory, so a restart forgets nothing and
several server processes share one count.  The tables are not data of the register: no
version, backup or rollback concerns them, and they create themselves here
(``CREATE TABLE IF NOT EXISTS``) on first use.

Every write is one short ``BEGIN IMMEDIATE`` transaction under a short busy timeout, so a
sign-in never waits long behind an import; when it cannot write, ``StorageError`` is
raised and the caller refuses the sign-in (guessing must never go uncounted).

Storage is bounded: failures older than the longest window are dropped, each key keeps
only the newest rows that still change its delay, and both tables keep at most a fixed
number of rows in total (the oldest go first), so trying a million names leaves a table of
bounded size.  User names and client addresses are stored cut to ``MAX_TEXT_CHARS``; a
password is never passed here.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from landmarks.data import failures, storage
from landmarks.data.throttle import ACCOUNT_POLICY, CLIENT_POLICY, LONGEST_WINDOW_SECONDS, Policy

# A sign-in gives up on a database busy with another write after this long.
SIGN_IN_BUSY_TIMEOUT_SECONDS = 2.0
MAX_TEXT_CHARS = 64
MAX_FAILURE_ROWS = 10_000
MAX_LOG_ROWS = 10_000

KIND_ACCOUNT = "account"
KIND_CLIENT = "client"
_POLICIES: dict[str, Policy] = {KIND_ACCOUNT: ACCOUNT_POLICY, KIND_CLIENT: CLIENT_POLICY}

OUTCOME_SUCCESS = "success"
OUTCOME_FAILURE = "failure"
OUTCOME_THROTTLED = "throttled"

_DDL = (
    "CREATE TABLE IF NOT EXISTS sign_in_failures (id INTEGER PRIMARY KEY,"
    " kind TEXT NOT NULL, subject TEXT NOT NULL, failed_at REAL NOT NULL)",
    "CREATE INDEX IF NOT EXISTS sign_in_failures_by_key"
    " ON sign_in_failures (kind, subject, failed_at)",
    "CREATE TABLE IF NOT EXISTS sign_in_log (id INTEGER PRIMARY KEY, at TEXT NOT NULL,"
    " username TEXT NOT NULL, client TEXT NOT NULL, outcome TEXT NOT NULL)",
)

_OBJECTS = ("sign_in_failures", "sign_in_failures_by_key", "sign_in_log")


def bounded(text: str) -> str:
    """The stored form of a user name or client address: cut to ``MAX_TEXT_CHARS``."""
    return text[:MAX_TEXT_CHARS]


@dataclass(frozen=True)
class Attempt:
    """Who tries to sign in: the user name as typed and the client's address."""

    username: str
    client: str

    @property
    def keys(self) -> tuple[tuple[str, str], ...]:
        return ((KIND_ACCOUNT, bounded(self.username)), (KIND_CLIENT, bounded(self.client)))


@dataclass(frozen=True)
class LogEntry:
    at: str  # ISO 8601, UTC
    username: str
    client: str
    outcome: str


class SignInStore:
    """The sign-in tables of one open database connection."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self.connection = connection
        # Created once; checked first so that reading the log never waits for a write lock.
        found = {
            name
            for (name,) in connection.execute(
                "SELECT name FROM sqlite_master WHERE name IN (?, ?, ?)", _OBJECTS
            )
        }
        if found != set(_OBJECTS):
            with storage.write_transaction(connection, backup=False):
                for statement in _DDL:
                    connection.execute(statement)

    def begin(self, attempt: Attempt, now: datetime) -> float:
        """Seconds the attempt must still wait (then nothing else is done but logging
        it), or 0: the attempt is counted as a failure before its password is checked,
        so a crash or a parallel attempt during the check cannot skip the count;
        ``succeeded`` takes it back."""
        moment = now.timestamp()
        with storage.write_transaction(self.connection, backup=False):
            self._prune(moment)
            wait = max(self._wait(kind, subject, moment) for kind, subject in attempt.keys)
            if wait > 0:
                self._log(attempt, now, OUTCOME_THROTTLED)
                return wait
            self.connection.executemany(
                "INSERT INTO sign_in_failures (kind, subject, failed_at) VALUES (?, ?, ?)",
                [(kind, subject, moment) for kind, subject in attempt.keys],
            )
            for kind, subject in attempt.keys:
                self._keep_newest(kind, subject)
        return 0.0

    def failed(self, attempt: Attempt, now: datetime) -> None:
        with storage.write_transaction(self.connection, backup=False):
            self._log(attempt, now, OUTCOME_FAILURE)

    def succeeded(self, attempt: Attempt, now: datetime) -> None:
        """A right password clears the failures of its account and of its client."""
        with storage.write_transaction(self.connection, backup=False):
            self._clear(attempt.keys)
            self._log(attempt, now, OUTCOME_SUCCESS)

    def unlock(self, *, account: str | None = None, client: str | None = None) -> int:
        """Forget the failures of an account and/or a client; returns how many rows went."""
        keys = []
        if account is not None:
            keys.append((KIND_ACCOUNT, bounded(account)))
        if client is not None:
            keys.append((KIND_CLIENT, bounded(client)))
        with storage.write_transaction(self.connection, backup=False):
            return self._clear(tuple(keys))

    def wait_seconds(self, kind: str, subject: str, now: datetime) -> float:
        return self._wait(kind, bounded(subject), now.timestamp())

    def failure_rows(self) -> int:
        return int(self.connection.execute("SELECT COUNT(*) FROM sign_in_failures").fetchone()[0])

    def log_entries(self, limit: int = 50) -> list[LogEntry]:
        """The newest ``limit`` entries of the log, newest first."""
        return _log_entries(self.connection, limit)

    def log_rows(self) -> int:
        return int(self.connection.execute("SELECT COUNT(*) FROM sign_in_log").fetchone()[0])

    # Inside a transaction ------------------------------------------------------------

    def _wait(self, kind: str, subject: str, moment: float) -> float:
        rows = self.connection.execute(
            "SELECT failed_at FROM sign_in_failures WHERE kind = ? AND subject = ?",
            (kind, subject),
        )
        return _POLICIES[kind].wait_seconds([when for (when,) in rows], moment)

    def _clear(self, keys: tuple[tuple[str, str], ...]) -> int:
        removed = 0
        for kind, subject in keys:
            cursor = self.connection.execute(
                "DELETE FROM sign_in_failures WHERE kind = ? AND subject = ?", (kind, subject)
            )
            removed += cursor.rowcount
        return removed

    def _prune(self, moment: float) -> None:
        self.connection.execute(
            "DELETE FROM sign_in_failures WHERE failed_at <= ?", (moment - LONGEST_WINDOW_SECONDS,)
        )
        # Failures spread over many keys (a million names tried) end at the total cap.
        self.connection.execute(
            "DELETE FROM sign_in_failures WHERE id <= (SELECT MAX(id) FROM sign_in_failures) - ?",
            (MAX_FAILURE_ROWS,),
        )
        self.connection.execute(
            "DELETE FROM sign_in_log WHERE id <= (SELECT MAX(id) FROM sign_in_log) - ?",
            (MAX_LOG_ROWS,),
        )

    def _keep_newest(self, kind: str, subject: str) -> None:
        self.connection.execute(
            "DELETE FROM sign_in_failures WHERE kind = ? AND subject = ? AND id NOT IN"
            " (SELECT id FROM sign_in_failures WHERE kind = ? AND subject = ?"
            " ORDER BY id DESC LIMIT ?)",
            (kind, subject, kind, subject, _POLICIES[kind].rows_needed),
        )

    def _log(self, attempt: Attempt, now: datetime, outcome: str) -> None:
        self.connection.execute(
            "INSERT INTO sign_in_log (at, username, client, outcome) VALUES (?, ?, ?, ?)",
            (
                now.astimezone(UTC).isoformat(timespec="seconds"),
                bounded(attempt.username),
                bounded(attempt.client),
                outcome,
            ),
        )


def _log_entries(connection: sqlite3.Connection, limit: int) -> list[LogEntry]:
    rows = connection.execute(
        "SELECT at, username, client, outcome FROM sign_in_log ORDER BY id DESC LIMIT ?",
        (limit,),
    )
    return [LogEntry(*row) for row in rows]


@contextmanager
def opened_store(path: Path, *, existing: bool = False) -> Iterator[SignInStore]:
    """The sign-in tables of the database at ``path``, with a short busy timeout.

    ``existing``: refuse (``failures.missing``) a path where no database is, instead of
    creating one there (an operator's command with a mistyped ``LANDMARKS_DB``).
    Raises ``StorageError`` when the database cannot be opened or written (read-only,
    busy with a long write, full).
    """
    if existing and not path.is_file():
        raise failures.missing(path)
    with storage.opened(path, timeout=SIGN_IN_BUSY_TIMEOUT_SECONDS) as connection:
        yield SignInStore(connection)


def read_log(path: Path, limit: int = 50) -> list[LogEntry]:
    """The newest ``limit`` log entries of the existing database at ``path``, newest
    first, read without writing or creating anything (so a read-only database is read
    too); none when it has no log yet.  Raises ``StorageError`` (``failures.missing``
    when there is no database at ``path``)."""
    if not path.is_file():
        raise failures.missing(path)
    with storage.opened(path, read_only=True, timeout=SIGN_IN_BUSY_TIMEOUT_SECONDS) as connection:
        found = connection.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sign_in_log'"
        ).fetchone()
        return _log_entries(connection, limit) if found else []
