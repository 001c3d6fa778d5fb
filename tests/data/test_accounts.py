"""Editor accounts: hashes from secrets, the same work for unknown names, throttled (never
locked) sign-ins kept in the database, the sign-in log, time-outs."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from argon2 import PasswordHasher

from landmarks import i18n
from landmarks.data import accounts as accounts_module
from landmarks.data import store as storage
from landmarks.data.accounts import (
    IDLE_TIMEOUT,
    SESSION_LIMIT,
    AccountConfigError,
    EditorSession,
    accounts_from_secrets,
    hash_password,
    log_in,
)
from landmarks.data.store import sign_ins
from landmarks.data.store.sign_ins import Attempt, SignInStore, opened_store
from landmarks.data.throttle import ACCOUNT_POLICY, CLIENT_POLICY

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
PASSWORD = "地标-2026-secret"
EDITOR = "10.0.0.1"  # the real editor's address
STRANGER = "10.0.0.66"


class CountingHasher(PasswordHasher):
    """A cheap Argon2 hasher (the tests would spend seconds on the real parameters) that
    counts its verifications."""

    def __init__(self) -> None:
        super().__init__(time_cost=1, memory_cost=1024, parallelism=1)
        self.verified = 0

    def verify(self, hash: str | bytes, password: str | bytes) -> bool:
        self.verified += 1
        return super().verify(hash, password)


@pytest.fixture
def hasher(monkeypatch: pytest.MonkeyPatch) -> Iterator[CountingHasher]:
    counting = CountingHasher()
    monkeypatch.setattr(accounts_module, "_HASHER", counting)
    accounts_module._dummy_hash.cache_clear()
    yield counting
    accounts_module._dummy_hash.cache_clear()


@pytest.fixture
def accounts(hasher: CountingHasher) -> dict[str, Any]:
    return accounts_from_secrets(
        {"zhang": {"name": "张三", "password_hash": hash_password(PASSWORD)}}
    )


@pytest.fixture
def store(db_target: str) -> Iterator[SignInStore]:
    """The sign-in tables of a fresh database, on each backend."""
    with opened_store(db_target) as opened:
        yield opened


def attempt(username: str = "zhang", client: str = EDITOR) -> Attempt:
    return Attempt(username, client)


def test_a_right_password_logs_in_and_a_wrong_one_does_not(accounts, store) -> None:
    assert log_in(accounts, store, attempt(), PASSWORD, NOW).account.display_name == "张三"
    wrong = log_in(accounts, store, attempt(), "guess", NOW)
    assert wrong.account is None and wrong.message == "用户名或密码不正确"
    unknown = log_in(accounts, store, attempt("nobody"), PASSWORD, NOW)
    assert unknown.account is None and unknown.message == wrong.message


def test_unknown_names_cost_the_same_verification_as_known_ones(accounts, store, hasher) -> None:
    log_in(accounts, store, attempt("zhang", "10.0.0.2"), "guess", NOW)
    known = hasher.verified
    log_in(accounts, store, attempt("nobody", "10.0.0.3"), "guess", NOW)
    assert known == 1 and hasher.verified - known == 1
    # against a hash made once with the same parameters as the accounts' hashes
    dummy = accounts_module._dummy_hash()
    assert dummy.split("$")[3] == accounts["zhang"].password_hash.split("$")[3]
    log_in(accounts, store, attempt("another", "10.0.0.4"), "guess", NOW)
    assert accounts_module._dummy_hash() == dummy


def test_failures_of_an_account_make_the_next_attempt_wait_without_a_check(
    accounts, store, hasher
) -> None:
    # five failures from five addresses: no client is throttled, the account is
    for number in range(ACCOUNT_POLICY.free):
        log_in(accounts, store, attempt(client=f"10.1.0.{number}"), "guess", NOW)
    checked = hasher.verified
    refused = log_in(accounts, store, attempt(client="10.1.1.1"), PASSWORD, NOW)
    assert refused.account is None and refused.wait_seconds == 1.0
    assert refused.message == "登录失败次数过多，请 1 秒后再试"
    assert hasher.verified == checked  # the password was not checked
    later = NOW + timedelta(seconds=1)
    assert log_in(accounts, store, attempt(client="10.1.1.1"), PASSWORD, later).account


def test_the_delays_double_up_to_their_caps() -> None:
    free = ACCOUNT_POLICY.free
    assert [ACCOUNT_POLICY.delay_after(free - 1 + k) for k in range(9)] == [
        0, 1, 2, 4, 8, 16, 32, 60, 60,
    ]  # fmt: skip
    assert CLIENT_POLICY.delay_after(CLIENT_POLICY.free) == 2
    assert CLIENT_POLICY.delay_after(10**9) == 15 * 60
    assert CLIENT_POLICY.wait_seconds([0.0] * 3, 1.5) == 0.5
    assert CLIENT_POLICY.wait_seconds([0.0] * 3, CLIENT_POLICY.window_seconds) == 0


def test_a_client_is_throttled_over_all_the_names_it_tries(accounts, store) -> None:
    moment = NOW
    for number in range(CLIENT_POLICY.free):
        log_in(accounts, store, attempt(f"name{number}", STRANGER), "guess", moment)
    refused = log_in(accounts, store, attempt("other", STRANGER), "guess", moment)
    assert refused.wait_seconds == 2.0
    moment += timedelta(seconds=2)
    assert log_in(accounts, store, attempt("other", STRANGER), "guess", moment).wait_seconds == 0
    assert log_in(accounts, store, attempt("x", STRANGER), "g", moment).wait_seconds == 4.0
    # another client is not held by the stranger's throttle
    assert log_in(accounts, store, attempt(), PASSWORD, moment).account is not None


def test_a_stranger_keeps_the_real_editor_out_for_a_minute_at_most(accounts, store) -> None:
    """The stranger guesses the editor's name from one address as fast as allowed for an
    hour; whenever the editor tries, from another address, the wait is at most 60 s."""
    moment = NOW
    longest_wait = 0.0
    while moment < NOW + timedelta(hours=1):
        guess = log_in(accounts, store, attempt("zhang", STRANGER), "guess", moment)
        moment += timedelta(seconds=max(guess.wait_seconds, 0.5))
        editor_wait = sign_ins_wait(store, moment)
        longest_wait = max(longest_wait, editor_wait)
    assert 0 < longest_wait <= ACCOUNT_POLICY.cap_seconds
    moment += timedelta(seconds=ACCOUNT_POLICY.cap_seconds)
    assert log_in(accounts, store, attempt(), PASSWORD, moment).account is not None


def sign_ins_wait(store: SignInStore, moment: datetime) -> float:
    return max(
        store.wait_seconds(sign_ins.KIND_ACCOUNT, "zhang", moment),
        store.wait_seconds(sign_ins.KIND_CLIENT, EDITOR, moment),
    )


def test_a_success_clears_the_failures_of_its_account_and_client(accounts, store) -> None:
    for _ in range(CLIENT_POLICY.free - 1):
        log_in(accounts, store, attempt(), "guess", NOW)
    assert log_in(accounts, store, attempt(), PASSWORD, NOW).account is not None
    assert store.failure_rows() == 0


def test_the_throttle_survives_a_restart_and_is_shared_by_processes(
    accounts, db_target: str
) -> None:
    with opened_store(db_target) as first:
        for _ in range(CLIENT_POLICY.free):
            log_in(accounts, first, attempt(client=STRANGER), "guess", NOW)
    with opened_store(db_target) as after_restart:
        refused = log_in(accounts, after_restart, attempt(client=STRANGER), PASSWORD, NOW)
    assert refused.account is None and refused.wait_seconds > 0


def test_two_stores_open_at_once_count_each_others_failures(accounts, db_target: str) -> None:
    """Two app processes on one database: guesses spread over both are one count, and
    one process's success or unlock clears the other's view too."""
    with opened_store(db_target) as one, opened_store(db_target) as other:
        for number in range(ACCOUNT_POLICY.free):
            either = one if number % 2 else other
            log_in(accounts, either, attempt(client=f"10.4.0.{number}"), "guess", NOW)
        assert one.failure_rows() == other.failure_rows() == 2 * ACCOUNT_POLICY.free
        refused = log_in(accounts, one, attempt(client="10.4.1.1"), PASSWORD, NOW)
        assert refused.account is None and refused.wait_seconds == 1.0
        assert other.wait_seconds(sign_ins.KIND_ACCOUNT, "zhang", NOW) == 1.0
        assert [entry.outcome for entry in other.log_entries(2)] == ["throttled", "failure"]
        assert other.unlock(account="zhang") == ACCOUNT_POLICY.free
        assert one.wait_seconds(sign_ins.KIND_ACCOUNT, "zhang", NOW) == 0
        assert log_in(accounts, one, attempt(client="10.4.1.1"), PASSWORD, NOW).account


def test_unlock_lifts_the_throttle_of_an_account_or_a_client(accounts, store) -> None:
    for number in range(ACCOUNT_POLICY.free):
        log_in(accounts, store, attempt(client=f"10.2.0.{number}"), "guess", NOW)
    assert store.unlock(account="zhang") == ACCOUNT_POLICY.free
    for _ in range(CLIENT_POLICY.free):
        log_in(accounts, store, attempt("x", STRANGER), "guess", NOW)
    store.unlock(client=STRANGER)
    assert log_in(accounts, store, attempt("x", STRANGER), "guess", NOW).wait_seconds == 0


def test_failed_attempts_take_bounded_storage(
    accounts, store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sign_ins, "MAX_FAILURE_ROWS", 40)
    monkeypatch.setattr(sign_ins, "MAX_LOG_ROWS", 30)
    for number in range(120):  # many names from many addresses
        store.begin(Attempt(f"name{number}", f"10.3.{number}.1"), NOW)
        store.failed(Attempt(f"name{number}", f"10.3.{number}.1"), NOW)
    assert store.failure_rows() <= 40 + 2 and store.log_rows() <= 30 + 2
    # one key keeps only the rows that still change its delay
    for minute in range(60):
        store.begin(Attempt(f"n{minute}", STRANGER), NOW + timedelta(minutes=minute, hours=2))
    failures = store.db.tables.tables["sign_in_failures"]
    with store.db.read():
        rows = store.db.execute(
            sa.select(sa.func.count()).select_from(failures).where(failures.c.subject == STRANGER)
        ).scalar_one()
    assert rows == CLIENT_POLICY.rows_needed
    # and nothing older than the longest window is kept
    store.begin(Attempt("late", "10.9.9.9"), NOW + timedelta(hours=5))
    assert store.failure_rows() == 2  # its own account and client rows


def test_the_log_records_who_from_where_and_how_never_the_password(accounts, db_path: Path) -> None:
    with opened_store(db_path) as store:
        log_never_the_password(accounts, store, db_path)


def log_never_the_password(accounts: dict[str, Any], store: SignInStore, db_path: Path) -> None:
    hostile = "zhang\n2026-11-25 sign-in success" + "长" * 100
    log_in(accounts, store, attempt(client=STRANGER), "wrong-secret-1", NOW)
    log_in(accounts, store, attempt(), PASSWORD, NOW + timedelta(seconds=1))
    log_in(accounts, store, attempt(hostile), "wrong-secret-2", NOW + timedelta(seconds=2))
    entries = store.log_entries()
    assert [(e.username, e.client, e.outcome) for e in entries] == [
        (hostile[: sign_ins.MAX_TEXT_CHARS], EDITOR, "failure"),
        ("zhang", EDITOR, "success"),
        ("zhang", STRANGER, "failure"),
    ]
    assert entries[-1].at == "2026-11-25T09:00:00+00:00"
    store.db.close()
    content = b"".join(path.read_bytes() for path in db_path.parent.glob("*.sqlite*"))
    for password in (PASSWORD, "wrong-secret-1", "wrong-secret-2"):
        assert password.encode() not in content


def test_sign_ins_go_to_the_server_log_with_names_quoted(
    accounts, store, caplog: pytest.LogCaptureFixture
) -> None:
    log_in(accounts, store, attempt("evil\nsign-in success", STRANGER), "pw-in-clear", NOW)
    lines = [record.getMessage() for record in caplog.records]
    assert lines == [f"sign-in failure: user 'evil\\nsign-in success' from client '{STRANGER}'"]


def test_an_attempt_that_cannot_be_counted_is_refused_unchecked(
    accounts, db_target: str, hasher
) -> None:
    with opened_store(db_target):
        pass
    # A long import in another session holds the write lock (BEGIN IMMEDIATE on SQLite,
    # the advisory lock on PostgreSQL).
    with storage.opened(db_target) as blocker, blocker.write():
        started = time.monotonic()
        with pytest.raises(storage.StorageError) as raised, opened_store(db_target) as store:
            log_in(accounts, store, attempt(), PASSWORD, NOW)
        assert raised.value.kind == storage.ERROR_BUSY
        assert time.monotonic() - started < sign_ins.SIGN_IN_BUSY_TIMEOUT_SECONDS + 2
        assert hasher.verified == 0


def test_hashes_are_salted_and_short_passwords_refused() -> None:
    assert hash_password(PASSWORD) != hash_password(PASSWORD)
    with pytest.raises(ValueError, match="至少需要 8 个字符"):
        hash_password("short")


@pytest.mark.parametrize(
    "section",
    [{"zhang": {"password_hash": "plain-text"}}, {"zhang": "not a table"}],
)
def test_a_malformed_account_is_explained(section) -> None:
    with pytest.raises(AccountConfigError, match=r"editors\.zhang"):
        accounts_from_secrets(section)


def test_no_accounts_configured() -> None:
    assert accounts_from_secrets(None) == {}


def test_sessions_expire_when_idle_or_too_long(accounts) -> None:
    session = EditorSession(accounts["zhang"], NOW, NOW)
    assert not session.expired(NOW + IDLE_TIMEOUT - timedelta(seconds=1))
    assert session.expired(NOW + IDLE_TIMEOUT + timedelta(seconds=1))
    busy = session
    moment = NOW
    while moment - NOW <= SESSION_LIMIT:
        moment += IDLE_TIMEOUT / 2
        busy = busy.touched(moment)
    assert busy.expired(moment)


def test_in_english_login_messages_are_english(accounts, store) -> None:
    with i18n.language(i18n.ENGLISH):
        wrong = log_in(accounts, store, attempt(), "wrong", NOW).message
        right = log_in(accounts, store, attempt(), PASSWORD, NOW).message
        for _ in range(CLIENT_POLICY.free):
            log_in(accounts, store, attempt(), "wrong", NOW)
        throttled = log_in(accounts, store, attempt(), PASSWORD, NOW).message
        with pytest.raises(ValueError, match="at least 8 characters"):
            hash_password("short")
    assert wrong == "Wrong user name or password"
    assert right == "Logged in: 张三"
    assert throttled == "Too many failed logins: try again in 2 seconds"


# Editors' sessions in the store ----------------------------------------------------------


def test_a_session_started_in_one_process_is_seen_touched_and_ended_in_another(
    db_target: str,
) -> None:
    with opened_store(db_target) as one, opened_store(db_target) as other:
        token = one.start_session("zhang", NOW)
        assert len(token) >= 40 and one.start_session("zhang", NOW) != token
        seen = other.session(token)
        assert seen is not None
        assert (seen.username, seen.started, seen.last_seen) == ("zhang", NOW, NOW)
        other.touch_session(token, NOW + timedelta(minutes=5))
        touched = one.session(token)
        assert touched is not None
        assert (touched.started, touched.last_seen) == (NOW, NOW + timedelta(minutes=5))
        assert one.session("not-a-token") is None
        one.end_session(token)
        assert other.session(token) is None
        other.touch_session(token, NOW + timedelta(minutes=6))  # an ended one stays ended
        assert one.session(token) is None


def test_sessions_survive_a_restart_and_only_the_token_digest_is_stored(db_target: str) -> None:
    name = "李编辑" + "长" * 100
    with opened_store(db_target) as before:
        token = before.start_session(name, NOW)
    with opened_store(db_target) as after_restart:
        found = after_restart.session(token)
        sessions = after_restart.db.tables.tables["editor_sessions"]
        with after_restart.db.read():
            stored = after_restart.db.execute(sa.select(sessions)).mappings().all()
    assert found is not None and found.username == name[: sign_ins.MAX_TEXT_CHARS]
    assert len(stored) == 1
    assert token not in [str(value) for value in stored[0].values()]


def test_sessions_last_seen_before_a_moment_are_ended_and_the_rest_kept(db_target: str) -> None:
    with opened_store(db_target) as store:
        old = store.start_session("zhang", NOW)
        kept = store.start_session("li", NOW)
        fresh = store.start_session("wang", NOW + timedelta(hours=3))
        store.touch_session(kept, NOW + timedelta(hours=2))
        assert store.end_sessions_before(NOW + timedelta(hours=1)) == 1
        assert store.session(old) is None
        assert store.session(kept) is not None and store.session(fresh) is not None
        assert store.end_sessions_before(NOW + timedelta(hours=1)) == 0
        assert store.end_sessions_before(NOW + timedelta(hours=4)) == 2
        assert store.session(fresh) is None
