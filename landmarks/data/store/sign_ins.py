"""Sign-in attempts kept in the app's database: the failures that throttle (by account
and by client, ``throttle``) and a log of sign-ins an operator can read.

Kept in the store rather than in a process's memory, so a restart forgets nothing and
several server processes (on one SQLite file or one PostgreSQL server) share one count;
editors' sessions are kept there too, so signing out or timing out holds in every
process.  The tables are not data of the register: no version, backup or rollback
concerns them.

Every write is one short write transaction under a short busy timeout, so a sign-in
never waits long behind an import; when it cannot write, ``StorageError`` is
raised and the caller refuses the sign-in (guessing must never go uncounted).

Storage is bounded: failures older than the longest window are dropped, each key keeps
only the newest rows that still change its delay, and both tables keep at most a fixed
number of rows in total (the oldest go first), so trying a million names leaves a table of
bounded size.  User names and client addresses are stored cut to ``MAX_TEXT_CHARS``; a
password is never passed here.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa

from landmarks.data.store import Store, Target, errors, exists, opened
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
    """The sign-in tables of one open store."""

    def __init__(self, db: Store) -> None:
        self.db = db
        self._failures = db.tables.tables["sign_in_failures"]
        self._log_table = db.tables.tables["sign_in_log"]
        self._sessions = db.tables.tables["editor_sessions"]

    def begin(self, attempt: Attempt, now: datetime) -> float:
        """Seconds the attempt must still wait (then nothing else is done but logging
        it), or 0: the attempt is counted as a failure before its password is checked,
        so a crash or a parallel attempt during the check cannot skip the count;
        ``succeeded`` takes it back."""
        moment = now.timestamp()
        with self.db.write():
            self._prune(moment)
            wait = max(self._wait(kind, subject, moment) for kind, subject in attempt.keys)
            if wait > 0:
                self._log(attempt, now, OUTCOME_THROTTLED)
                return wait
            self.db.execute(
                sa.insert(self._failures),
                [
                    {"kind": kind, "subject": subject, "failed_at": moment}
                    for kind, subject in attempt.keys
                ],
            )
            for kind, subject in attempt.keys:
                self._keep_newest(kind, subject)
        return 0.0

    def failed(self, attempt: Attempt, now: datetime) -> None:
        with self.db.write():
            self._log(attempt, now, OUTCOME_FAILURE)

    def succeeded(self, attempt: Attempt, now: datetime) -> None:
        """A right password clears the failures of its account and of its client."""
        with self.db.write():
            self._clear(attempt.keys)
            self._log(attempt, now, OUTCOME_SUCCESS)

    def unlock(self, *, account: str | None = None, client: str | None = None) -> int:
        """Forget the failures of an account and/or a client; returns how many rows went."""
        keys = []
        if account is not None:
            keys.append((KIND_ACCOUNT, bounded(account)))
        if client is not None:
            keys.append((KIND_CLIENT, bounded(client)))
        with self.db.write():
            return self._clear(tuple(keys))

    def wait_seconds(self, kind: str, subject: str, now: datetime) -> float:
        with self.db.read():
            return self._wait(kind, bounded(subject), now.timestamp())

    def failure_rows(self) -> int:
        with self.db.read():
            return int(
                self.db.execute(sa.select(sa.func.count()).select_from(self._failures)).scalar_one()
            )

    def log_entries(self, limit: int = 50) -> list[LogEntry]:
        """The newest ``limit`` entries of the log, newest first."""
        return _log_entries(self.db, limit)

    def log_rows(self) -> int:
        with self.db.read():
            return int(
                self.db.execute(
                    sa.select(sa.func.count()).select_from(self._log_table)
                ).scalar_one()
            )

    # Editors' sessions ------------------------------------------------------------------

    def start_session(self, username: str, now: datetime) -> str:
        """A new session of ``username``; returns its token (kept by the browser's
        session only: the store keeps its SHA-256)."""
        token = secrets.token_urlsafe(32)
        moment = now.timestamp()
        with self.db.write():
            self.db.execute(
                sa.insert(self._sessions).values(
                    token_sha256=_token_digest(token),
                    username=bounded(username),
                    started_at=moment,
                    last_seen=moment,
                )
            )
        return token

    def session(self, token: str) -> SessionTimes | None:
        """The session of ``token`` (None: ended, or never started)."""
        query = sa.select(self._sessions).where(
            self._sessions.c.token_sha256 == _token_digest(token)
        )
        with self.db.read():
            found = self.db.execute(query).first()
        if found is None:
            return None
        return SessionTimes(
            found.username,
            datetime.fromtimestamp(found.started_at, UTC),
            datetime.fromtimestamp(found.last_seen, UTC),
        )

    def touch_session(self, token: str, now: datetime) -> None:
        with self.db.write():
            self.db.execute(
                sa.update(self._sessions)
                .where(self._sessions.c.token_sha256 == _token_digest(token))
                .values(last_seen=now.timestamp())
            )

    def end_session(self, token: str) -> None:
        with self.db.write():
            self.db.execute(
                sa.delete(self._sessions).where(
                    self._sessions.c.token_sha256 == _token_digest(token)
                )
            )

    def end_sessions_before(self, moment: datetime) -> int:
        """Forget sessions last seen before ``moment`` (long timed out)."""
        with self.db.write():
            return int(
                self.db.execute(
                    sa.delete(self._sessions).where(self._sessions.c.last_seen < moment.timestamp())
                ).rowcount
            )

    # Inside a transaction ------------------------------------------------------------

    def _key(self, kind: str, subject: str) -> sa.ColumnElement[bool]:
        return sa.and_(self._failures.c.kind == kind, self._failures.c.subject == subject)

    def _wait(self, kind: str, subject: str, moment: float) -> float:
        times = self.db.execute(
            sa.select(self._failures.c.failed_at).where(self._key(kind, subject))
        )
        return _POLICIES[kind].wait_seconds(list(times.scalars()), moment)

    def _clear(self, keys: tuple[tuple[str, str], ...]) -> int:
        removed = 0
        for kind, subject in keys:
            removed += self.db.execute(
                sa.delete(self._failures).where(self._key(kind, subject))
            ).rowcount
        return removed

    def _prune(self, moment: float) -> None:
        self.db.execute(
            sa.delete(self._failures).where(
                self._failures.c.failed_at <= moment - LONGEST_WINDOW_SECONDS
            )
        )
        # Failures spread over many keys (a million names tried) end at the total cap.
        for table, cap in ((self._failures, MAX_FAILURE_ROWS), (self._log_table, MAX_LOG_ROWS)):
            newest = sa.select(sa.func.max(table.c.id)).scalar_subquery()
            self.db.execute(sa.delete(table).where(table.c.id <= newest - cap))

    def _keep_newest(self, kind: str, subject: str) -> None:
        newest = (
            sa.select(self._failures.c.id)
            .where(self._key(kind, subject))
            .order_by(self._failures.c.id.desc())
            .limit(_POLICIES[kind].rows_needed)
        )
        kept = [row_id for (row_id,) in self.db.execute(newest)]
        self.db.execute(
            sa.delete(self._failures).where(
                self._key(kind, subject), self._failures.c.id.not_in(kept)
            )
        )

    def _log(self, attempt: Attempt, now: datetime, outcome: str) -> None:
        self.db.execute(
            sa.insert(self._log_table).values(
                at=now.astimezone(UTC).isoformat(timespec="seconds"),
                username=bounded(attempt.username),
                client=bounded(attempt.client),
                outcome=outcome,
            )
        )


@dataclass(frozen=True)
class SessionTimes:
    username: str
    started: datetime
    last_seen: datetime


def _token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _log_entries(db: Store, limit: int) -> list[LogEntry]:
    log = db.tables.tables["sign_in_log"]
    query = (
        sa.select(log.c.at, log.c.username, log.c.client, log.c.outcome)
        .order_by(log.c.id.desc())
        .limit(limit)
    )
    with db.read():
        return [LogEntry(*row) for row in db.execute(query)]


@contextmanager
def opened_store(target: Target, *, existing: bool = False) -> Iterator[SignInStore]:
    """The sign-in tables of the database at ``target``, with a short busy timeout.

    ``existing``: refuse (``errors.missing``) a path where no database is, instead of
    creating one there (an operator's command with a mistyped ``LANDMARKS_DB``).
    Raises ``StorageError`` when the database cannot be opened or written (read-only,
    busy with a long write, full).
    """
    if existing and not exists(target):
        raise errors.missing(target)
    with opened(target, timeout=SIGN_IN_BUSY_TIMEOUT_SECONDS) as db:
        yield SignInStore(db)


def read_log(target: Target, limit: int = 50) -> list[LogEntry]:
    """The newest ``limit`` log entries of the existing database at ``target``, newest
    first, read without writing or creating anything (so a read-only database is read
    too); none when it has no log yet.  Raises ``StorageError`` (``errors.missing``
    when there is no database there)."""
    if not exists(target):
        raise errors.missing(target)
    with opened(target, read_only=True, timeout=SIGN_IN_BUSY_TIMEOUT_SECONDS) as db:
        return _log_entries(db, limit) if "sign_in_log" in db.table_names() else []
