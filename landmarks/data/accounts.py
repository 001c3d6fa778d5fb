"""Editor accounts: Argon2 password hashes from the deployment's secrets, sign-ins that
are throttled instead of locked (``throttle``, ``sign_ins``), and session time-outs.

Browsing needs no account; importing, editing and rolling back do.  Accounts live in
``.streamlit/secrets.toml``::

    [editors.zhangsan]
    name = "张三"
    password_hash = "$argon2id$v=19$..."   # python -m landmarks hash-password

No password is ever stored or logged in clear text.
"""

from __future__ import annotations

import functools
import logging
import math
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from landmarks.data.store.sign_ins import (
    OUTCOME_FAILURE,
    OUTCOME_SUCCESS,
    OUTCOME_THROTTLED,
    Attempt,
    SignInStore,
    bounded,
)
from landmarks.i18n import t

IDLE_TIMEOUT = timedelta(minutes=30)
SESSION_LIMIT = timedelta(hours=8)

_HASHER = PasswordHasher()
# Sign-ins and failures also go to the server's log (name as typed, client, never the
# password); WARNING so they show without any logging set-up.
_LOG = logging.getLogger("landmarks.sign_ins")


@dataclass(frozen=True)
class Account:
    username: str
    display_name: str
    password_hash: str


class AccountConfigError(ValueError):
    """The secrets' account section is malformed; the message says where and how."""


def hash_password(password: str) -> str:
    """The Argon2id hash to paste into the secrets (salted: differs on every call)."""
    if len(password) < 8:
        raise ValueError(t("密码至少需要 {count} 个字符", count=8))
    return _HASHER.hash(password)


def accounts_from_secrets(section: Mapping[str, Any] | None) -> dict[str, Account]:
    """The ``[editors.*]`` tables of the secrets, checked; none configured → empty."""
    accounts: dict[str, Account] = {}
    for username, entry in (section or {}).items():
        if not isinstance(entry, Mapping):
            raise AccountConfigError(
                t("secrets 中 editors.{username} 应为一个表（含 password_hash）", username=username)
            )
        password_hash = str(entry.get("password_hash", "")).strip()
        if not password_hash.startswith("$argon2"):
            raise AccountConfigError(
                t(
                    "secrets 中 editors.{username}.password_hash 不是 Argon2 哈希；"
                    "请用 python -m landmarks hash-password 生成后粘贴",
                    username=username,
                )
            )
        name = str(entry.get("name", "")).strip() or str(username)
        accounts[str(username)] = Account(str(username), name, password_hash)
    return accounts


@dataclass(frozen=True)
class LoginResult:
    account: Account | None
    message: str  # in the run's language, for the login form
    wait_seconds: float = 0.0  # > 0: throttled, the password was not checked


@functools.cache
def _dummy_hash() -> str:
    """A hash of a random password, made once with the hasher's parameters: unknown names
    are checked against it, so they cost the same work and time as known ones."""
    return _HASHER.hash(secrets.token_urlsafe(16))


def _password_matches(account: Account | None, password: str) -> bool:
    """Exactly one Argon2 verification whether or not the name exists."""
    dummy = _dummy_hash()  # made on the first attempt of a process, whatever its name
    try:
        _HASHER.verify(account.password_hash if account else dummy, password)
    except (VerificationError, InvalidHashError):
        return False
    return account is not None


def _log_line(outcome: str, attempt: Attempt) -> None:
    # %r: a name typed with line breaks or terminal escapes cannot forge log lines.
    _LOG.warning(
        "sign-in %s: user %r from client %r",
        outcome,
        bounded(attempt.username),
        bounded(attempt.client),
    )


def throttled_message(wait_seconds: float) -> str:
    seconds = max(1, math.ceil(wait_seconds))
    return t("登录失败次数过多，请 {seconds} 秒后再试", seconds=seconds)


def log_in(
    accounts: Mapping[str, Account],
    store: SignInStore,
    attempt: Attempt,
    password: str,
    now: datetime,
) -> LoginResult:
    """Check a login against the throttle and the hashes.

    Unknown names and wrong passwords get the same answer after the same work; a
    throttled attempt is refused before its password is checked.  Raises
    ``StorageError`` when the attempt cannot be recorded (the caller then refuses it).
    """
    attempt = Attempt(attempt.username.strip(), attempt.client)
    wait = store.begin(attempt, now)
    if wait > 0:
        _log_line(OUTCOME_THROTTLED, attempt)
        return LoginResult(None, throttled_message(wait), wait)
    account = accounts.get(attempt.username)
    if not _password_matches(account, password) or account is None:
        _log_line(OUTCOME_FAILURE, attempt)
        store.failed(attempt, now)
        return LoginResult(None, t("用户名或密码不正确"))
    store.succeeded(attempt, now)
    _log_line(OUTCOME_SUCCESS, attempt)
    return LoginResult(account, t("已登录：{name}", name=account.display_name))


@dataclass(frozen=True)
class EditorSession:
    """A signed-in editor.  ``token`` names the session in the store (the store keeps its
    times, so signing out and time-outs hold in every app process)."""

    account: Account
    started: datetime
    last_seen: datetime
    token: str = ""

    def expired(self, now: datetime) -> bool:
        return now - self.last_seen > IDLE_TIMEOUT or now - self.started > SESSION_LIMIT

    def touched(self, now: datetime) -> EditorSession:
        return EditorSession(self.account, self.started, now, self.token)
