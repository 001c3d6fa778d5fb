"""The read-only mode as users see it: a banner on every page, and the data page's note.

A database on a read-only place (a write-protected USB stick, a read-only mount or
folder) is browsed normally; only importing, editing and rolling back are off.  The
banner names why, so nobody mistakes it for an outage.
"""

from __future__ import annotations

import streamlit as st

from landmarks.data import store
from landmarks.i18n import t
from landmarks.ui import data as ui_data
from landmarks.ui.markdown import md_lines


def banner() -> None:
    """Say, at the top of the page, why editing is off, when it is."""
    found = ui_data.access()
    if found.writable:
        return
    reason = t("{reason}。", reason=store.read_only_reason(found))
    # Keyed so that page.css keeps it first on phones, where the overview moves its map
    # and figures up.
    with st.container(key="read_only_banner"):
        st.warning(md_lines(reason), icon=":material/lock:")


def editing_off_note() -> None:
    """The data page's explanation in place of its import and edit controls."""
    found = ui_data.access()
    st.info(md_lines(t("{how}。", how=store.how_to_write(found))), icon=":material/info:")


def login_off_note() -> None:
    """Shown in the sidebar instead of the editor login while the database is read-only."""
    st.caption(t("只读模式下不能登录编辑：导入、在线编辑和回滚都已关闭。"))
