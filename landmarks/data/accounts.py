"""Editor accounts: Argon2 password hashes from the deployment's secrets, lock-out after
repeated failures, and session time-outs.

Browsing needs no account; importing, editing and rolling back do.  Accounts live in
``.streamlit/secrets.toml``::

    [editors.zhangsan]
    name = "张三"
    password_hash = "$argon2id$v=19$..."   # python -m landmarks hash-password

No password is ever stored or logged in clear text.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from landmarks.i18n import t

MAX_FAILURES = 5
LOCKOUT = timedelta(minutes=15)
IDLE_TIMEOUT = timedelta(minutes=30)
SESSION_LIMIT = timedelta(hours=8)

_HASHER = PasswordHasher()


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


@dataclass
class LoginGuard:
    """Failed attempts per user name, shared by all sessions of one server."""

    failures: dict[str, list[datetime]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def locked_until(self, username: str, now: datetime) -> datetime | None:
        with self._lock:
            recent = [when for when in self.failures.get(username, []) if now - when < LOCKOUT]
            self.failures[username] = recent
            if len(recent) >= MAX_FAILURES:
                return recent[-1] + LOCKOUT
            return None

    def record_failure(self, username: str, now: datetime) -> int:
        """Records a failure; returns how many attempts remain before the lock-out."""
        with self._lock:
            self.failures.setdefault(username, []).append(now)
            return max(0, MAX_FAILURES - len(self.failures[username]))

    def clear(self, username: str) -> None:
        with self._lock:
            self.failures.pop(username, None)


@dataclass(frozen=True)
class LoginResult:
    account: Account | None
    message: str  # in the run's language, for the login form


def log_in(
    accounts: Mapping[str, Account],
    guard: LoginGuard,
    username: str,
    password: str,
    now: datetime,
) -> LoginResult:
    """Check a login; unknown names and wrong passwords get the same answer."""
    username = username.strip()
    locked = guard.locked_until(username, now)
    if locked is not None:
        minutes = max(1, int((locked - now).total_seconds() // 60) + 1)
        return LoginResult(
            None,
            t("连续登录失败次数过多，该账号已锁定，请 {minutes} 分钟后再试", minutes=minutes),
        )
    account = accounts.get(username)
    try:
        if account is None:
            raise VerificationError
        _HASHER.verify(account.password_hash, password)
    except (VerificationError, InvalidHashError):
        left = guard.record_failure(username, now)
        lockout = int(LOCKOUT.total_seconds() // 60)
        if left == 0:
            return LoginResult(
                None, t("用户名或密码不正确。该账号已锁定 {minutes} 分钟", minutes=lockout)
            )
        return LoginResult(
            None,
            t(
                "用户名或密码不正确（再失败 {left} 次将锁定 {minutes} 分钟）",
                left=left,
                minutes=lockout,
            ),
        )
    guard.clear(username)
    return LoginResult(account, t("已登录：{name}", name=account.display_name))


@dataclass(frozen=True)
class EditorSession:
    account: Account
    started: datetime
    last_seen: datetime

    def expired(self, now: datetime) -> bool:
        return now - self.last_seen > IDLE_TIMEOUT or now - self.started > SESSION_LIMIT

    def touched(self, now: datetime) -> EditorSession:
        return EditorSession(self.account, self.started, now)
