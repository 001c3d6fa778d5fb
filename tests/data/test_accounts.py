"""Editor accounts: hashes from secrets, lock-out, time-outs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from landmarks import i18n
from landmarks.data.accounts import (
    IDLE_TIMEOUT,
    LOCKOUT,
    MAX_FAILURES,
    SESSION_LIMIT,
    AccountConfigError,
    EditorSession,
    LoginGuard,
    accounts_from_secrets,
    hash_password,
    log_in,
)

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
PASSWORD = "地标-2026-secret"


@pytest.fixture(scope="module")
def accounts():
    return accounts_from_secrets(
        {"zhang": {"name": "张三", "password_hash": hash_password(PASSWORD)}}
    )


def test_a_right_password_logs_in_and_a_wrong_one_does_not(accounts) -> None:
    guard = LoginGuard()
    assert log_in(accounts, guard, "zhang", PASSWORD, NOW).account.display_name == "张三"
    wrong = log_in(accounts, guard, "zhang", "guess", NOW)
    assert wrong.account is None and "用户名或密码不正确" in wrong.message
    unknown = log_in(accounts, guard, "nobody", PASSWORD, NOW)
    assert unknown.account is None and "用户名或密码不正确" in unknown.message


def test_repeated_failures_lock_the_account_for_a_while(accounts) -> None:
    guard = LoginGuard()
    for _ in range(MAX_FAILURES):
        log_in(accounts, guard, "zhang", "guess", NOW)
    locked = log_in(accounts, guard, "zhang", PASSWORD, NOW + timedelta(minutes=1))
    assert locked.account is None and "已锁定" in locked.message
    later = NOW + LOCKOUT + timedelta(seconds=1)
    assert log_in(accounts, guard, "zhang", PASSWORD, later).account is not None


def test_a_success_clears_earlier_failures(accounts) -> None:
    guard = LoginGuard()
    for _ in range(MAX_FAILURES - 1):
        log_in(accounts, guard, "zhang", "guess", NOW)
    assert log_in(accounts, guard, "zhang", PASSWORD, NOW).account is not None
    log_in(accounts, guard, "zhang", "guess", NOW)
    assert log_in(accounts, guard, "zhang", PASSWORD, NOW).account is not None


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


def test_in_english_login_messages_are_english(accounts) -> None:
    guard = LoginGuard()
    with i18n.language(i18n.ENGLISH):
        wrong = log_in(accounts, guard, "zhang", "wrong", NOW).message
        right = log_in(accounts, guard, "zhang", PASSWORD, NOW).message
        with pytest.raises(ValueError, match="at least 8 characters"):
            hash_password("short")
    assert wrong == (
        "Wrong user name or password "
        f"(after {MAX_FAILURES - 1} more failed attempts the account is locked for 15 minutes)"
    )
    assert right == "Logged in: 张三"
