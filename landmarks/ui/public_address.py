"""The public address of shared links, chosen by the presenter, kept in the session and
in every page's link (``?public_url=``), like the language.

A booth laptop shows the app as ``http://127.0.0.1:8601``; a QR code or poster made from
that address opens nothing on a visitor's phone.  The presenter picks one of this
machine's addresses (``landmarks.query.addresses``) or types one; it wins over
``$LANDMARKS_PUBLIC_URL`` and the secrets (``share.choose_base``).
"""

from __future__ import annotations

import os

import streamlit as st

from landmarks.i18n import t
from landmarks.query import addresses, share, urlparams
from landmarks.ui.markdown import md

CHOSEN = "share_public_url"  # the normalised base, '' for none
PICKER = "share_public_url_picker"
ERROR = "share_public_url_error"
NOTICES = "share_public_url_notices"  # what a link's public_url said that was refused


def choose() -> None:
    """Every run, at the app's top: on a session's first run take the link's address,
    then keep it in the page's link."""
    if CHOSEN not in st.session_state:
        params = {key: st.query_params.get_all(key) for key in st.query_params}
        st.session_state[CHOSEN], st.session_state[NOTICES] = share.base_from_query(params)
    wanted = to_query().get(share.PUBLIC_URL_KEY)
    if st.query_params.get(share.PUBLIC_URL_KEY) != wanted:
        if wanted:
            st.query_params[share.PUBLIC_URL_KEY] = wanted
        else:
            del st.query_params[share.PUBLIC_URL_KEY]


def current() -> str:
    """The presenter's address ('' when none was chosen)."""
    try:
        return str(st.session_state.get(CHOSEN) or "")
    except Exception:  # outside a script run (a deferred download): none known here
        return ""


def _configured() -> str:
    """``$LANDMARKS_PUBLIC_URL``, else the secrets' ``public_url`` ('' when neither)."""
    from_env = os.environ.get(share.PUBLIC_URL_ENV, "").strip()
    if from_env:
        return from_env
    try:
        return str(st.secrets.get(share.PUBLIC_URL_SECRET) or "")
    except Exception:  # no secrets file at all: nothing configured
        return ""


def base(*, chosen: bool = True) -> tuple[share.BaseUrl | None, str]:
    """Where links point: the presenter's address (unless ``chosen`` is false), else the
    configured one, else the page's own (None until that is known); and why the
    configured address was passed over when it is malformed ('' otherwise)."""
    current_url = st.context.url
    base_path = str(st.get_option("server.baseUrlPath") or "")
    presenter = current() if chosen else ""
    try:
        return share.choose_base(_configured(), current_url, base_path, presenter), ""
    except share.BaseUrlError as error:
        return share.choose_base(None, current_url, base_path), str(error)


def page_link(params: dict[str, str]) -> tuple[str, bool]:
    """The current page's link with ``params`` on the address links point at, and
    whether a phone cannot open it."""
    current_url = st.context.url
    chosen, _problem = base()  # a malformed configuration is reported by the share panel
    if chosen is None or not current_url:
        return urlparams.share_url(current_url, params), False
    base_path = str(st.get_option("server.baseUrlPath") or "")
    page = share.page_path(current_url, base_path)
    return share.page_url(chosen.url, page, params), chosen.is_loopback


def to_query() -> dict[str, str]:
    return share.base_to_query(current())


def link_notices() -> list[str]:
    """What the link's ``public_url`` asked for that was refused (once)."""
    return list(st.session_state.pop(NOTICES, None) or [])


def _picked() -> None:
    value = st.session_state.get(PICKER)
    try:
        base = share.typed_base(str(value)) if value else ""
    except share.BaseUrlError as error:
        st.session_state[ERROR] = str(error)
        st.session_state[PICKER] = current() or None  # back to what is in force
        return
    st.session_state[CHOSEN] = base
    st.session_state[PICKER] = base or None
    st.session_state.pop(ERROR, None)


def picker(default: share.BaseUrl | None) -> None:
    """Choose or type the address links point at; ``default``: the address used when
    none is chosen (configured, or the page's own)."""
    base_path = str(st.get_option("server.baseUrlPath") or "")
    offered = addresses.bases(addresses.machine_addresses(), st.context.url, base_path)
    chosen = current()
    options = list(dict.fromkeys(([chosen] if chosen else []) + offered))
    st.session_state[PICKER] = chosen or None
    st.selectbox(
        t("分享地址（手机扫码打开的地址）"),
        options,
        key=PICKER,
        on_change=_picked,
        accept_new_options=True,
        placeholder=t("未设置：使用 {base}", base=default.url) if default else t("未设置"),
        help=t(
            "二维码、海报、简报、离线地图和复制的链接都指向这个地址。"
            "在展台请选择本机的局域网地址（手机须连接同一网络），或输入部署地址，"
            "如 http://192.168.1.20:8501 。"
        ),
    )
    # Always one element here, so what follows (the tabs) keeps its place in the page
    # and its open tab when the error comes or goes.
    slot = st.container()
    error = st.session_state.get(ERROR)
    if error:
        slot.error(
            t("分享地址无效，未采用：{error}", error=md(str(error))), icon=":material/link_off:"
        )
