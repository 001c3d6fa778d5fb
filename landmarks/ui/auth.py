"""Who may write: the editor login of this Streamlit session.

Browsing needs no login.  Write controls are drawn only for a logged-in editor, and every
write checks ``current_editor()`` again on the server, so neither a URL nor a forged
session-state value reaches them: the session holds an ``EditorSession`` object that only
a successful login creates.  Password logins are throttled by account and by client
address (``landmarks.data.throttle``), counted in the database before the password is
checked; a login that cannot be counted is refused with the reason.  With an OIDC
provider in the secrets (``[auth]``), Streamlit's ``st.login`` is used instead of
passwords; editors are then the e-mails listed under ``[editor_emails] allowed``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

import streamlit as st

from landmarks.data import store
from landmarks.data.accounts import (
    SESSION_LIMIT,
    Account,
    AccountConfigError,
    EditorSession,
    accounts_from_secrets,
    log_in,
)
from landmarks.data.store.sign_ins import Attempt, opened_store
from landmarks.i18n import N_, t
from landmarks.ui.client import client_address
from landmarks.ui.markdown import md, md_lines

SESSION_KEY = "editor_session"
# How stale the store's "last seen" of a session may get before a rerun updates it.
SESSION_TOUCH_INTERVAL = timedelta(minutes=1)
_USERNAME_KEY = "editor_login_username"
_PASSWORD_KEY = "editor_login_password"
_LOGIN_MESSAGE_KEY = "editor_login_message"
HOW_TO_CREATE = N_("""\
尚未配置编辑账号，本页只能浏览、下载。创建编辑账号：

1. 在服务器上运行 `python -m landmarks hash-password`，按提示输入密码，得到一行 Argon2 哈希；
2. 在 `.streamlit/secrets.toml` 中加入：

```toml
[editors.zhangsan]
name = "张三"
password_hash = "（粘贴上一步得到的哈希）"
```

3. 重新启动应用后即可用 zhangsan 登录。
""")


def _now() -> datetime:
    return datetime.now(UTC)


def _secrets_section(name: str) -> Mapping[str, Any] | None:
    try:
        section = st.secrets.get(name)
    except Exception:  # no secrets file at all: nothing configured
        return None
    return section if isinstance(section, Mapping) else None


def accounts() -> dict[str, Account]:
    """The configured editor accounts; a malformed entry is shown, not raised."""
    try:
        return accounts_from_secrets(_secrets_section("editors"))
    except AccountConfigError as error:
        st.error(t("编辑账号配置有误：{error}", error=md(error)))
        return {}


def can_log_in() -> bool:
    """Whether any way for editors to log in is configured."""
    return uses_oidc() or bool(accounts())


def uses_oidc() -> bool:
    return _secrets_section("auth") is not None


def _oidc_editor() -> Account | None:
    if not st.user.is_logged_in:
        return None
    allowed = _secrets_section("editor_emails") or {}
    email = str(st.user.get("email", ""))
    if email and email in list(allowed.get("allowed", [])):
        return Account(email, str(st.user.get("name", email)), "")
    return None


def _shared(session: EditorSession, now: datetime) -> EditorSession | None:
    """The session as the store knows it (its times are shared by every app process);
    None when it has ended (signed out, timed out, or ended by an operator).  The store
    hears of activity at most once a minute, so a click is not a write."""
    try:
        with opened_store(store.default_target()) as sign_in_store:
            found = sign_in_store.session(session.token)
            if found is None:
                return None
            shared = EditorSession(session.account, found.started, found.last_seen, session.token)
            if shared.expired(now):
                sign_in_store.end_session(session.token)
            elif now - found.last_seen > SESSION_TOUCH_INTERVAL:
                sign_in_store.touch_session(session.token, now)
            return shared
    except store.StorageError:
        return session  # cannot be read now: the session's own times decide


def current_editor() -> Account | None:
    """The logged-in editor of this session, or None (time-outs log out)."""
    if uses_oidc():
        return _oidc_editor()
    session = st.session_state.get(SESSION_KEY)
    if not isinstance(session, EditorSession):
        return None
    now = _now()
    shared = _shared(session, now) if session.token else session
    if shared is None:
        del st.session_state[SESSION_KEY]
        st.warning(t("登录已结束（已在别处退出或被管理员结束），请重新登录。"))
        return None
    if shared.expired(now):
        del st.session_state[SESSION_KEY]
        st.warning(t("登录已超时，请重新登录。"))
        return None
    st.session_state[SESSION_KEY] = shared.touched(now)
    return shared.account


def _log_out() -> None:
    session = st.session_state.pop(SESSION_KEY, None)
    if isinstance(session, EditorSession) and session.token:
        try:
            with opened_store(store.default_target()) as sign_in_store:
                sign_in_store.end_session(session.token)
        except store.StorageError:
            pass  # this browser is signed out; the store's copy times out by itself


def unavailable_message(error: store.StorageError) -> str:
    """Why no one can log in now; the password was not checked, since the attempt could
    not be counted."""
    if error.kind in (store.ERROR_UNWRITABLE, store.ERROR_READ_ONLY):
        return t(
            "数据库当前只能读取，不能写入，编辑功能已关闭，因此无法登录（{reason}）",
            reason=error.message,
        )
    return t(
        "暂时无法登录：本次登录尝试无法记入数据库（{reason}），未检查密码。请稍后再试",
        reason=error.message,
    )


def _submit_login() -> None:
    """Form callback: runs before the page, so the page is drawn for the new state."""
    username = str(st.session_state.get(_USERNAME_KEY, ""))
    password = str(st.session_state.get(_PASSWORD_KEY, ""))
    st.session_state[_PASSWORD_KEY] = ""  # never kept beyond the check
    attempt = Attempt(username, client_address())
    try:
        # Opened per attempt: the throttle lives in the database, shared by every
        # process and kept over restarts.
        with opened_store(store.default_target()) as sign_in_store:
            result = log_in(accounts(), sign_in_store, attempt, password, _now())
    except store.StorageError as error:
        st.session_state[_LOGIN_MESSAGE_KEY] = unavailable_message(error)
        return
    if result.account is None:
        st.session_state[_LOGIN_MESSAGE_KEY] = result.message
        return
    now = _now()
    try:
        with opened_store(store.default_target()) as sign_in_store:
            sign_in_store.end_sessions_before(now - SESSION_LIMIT)  # long over
            token = sign_in_store.start_session(result.account.username, now)
    except store.StorageError as error:
        st.session_state[_LOGIN_MESSAGE_KEY] = unavailable_message(error)
        return
    st.session_state[SESSION_KEY] = EditorSession(result.account, now, now, token)
    st.session_state.pop(_LOGIN_MESSAGE_KEY, None)


def login_panel() -> Account | None:
    """The login (or logout) controls; returns the editor when one is logged in."""
    editor = current_editor()
    if editor is not None:
        st.caption(t("当前编辑：{name}", name=md(editor.display_name)))
        if uses_oidc():
            st.button(t("退出登录"), key="editor_logout", on_click=st.logout)
        else:
            st.button(t("退出登录"), key="editor_logout", on_click=_log_out)
        return editor
    if uses_oidc():
        st.button(t("登录（单位账号）"), key="editor_oidc_login", on_click=st.login)
        if st.user.is_logged_in:
            st.warning(t("该账号不在编辑名单中，只能浏览。"))
        return None
    if not accounts():
        st.caption(t("尚未配置编辑账号：本站目前只能浏览和下载（创建方法见页面下方）。"))
        return None
    with st.form("editor_login"):
        st.text_input(t("用户名"), key=_USERNAME_KEY)
        st.text_input(t("密码"), type="password", key=_PASSWORD_KEY)
        st.form_submit_button(t("登录"), on_click=_submit_login)
    message = st.session_state.pop(_LOGIN_MESSAGE_KEY, None)
    if message:
        st.error(md_lines(message))
    return None
