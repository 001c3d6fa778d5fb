"""Clicks on write buttons that reach a session without an editor login.

Write buttons are drawn only for a logged-in editor.  After a server restart the page
reconnects by itself to a fresh session that has no login; a click on a button drawn
before the restart then reaches a session that never drew it, and Streamlit would drop
it without a word.  Such a click (or a forged one from an anonymous session) writes
nothing, since no callback is registered for it; the page says so and what to do.
"""

from __future__ import annotations

from collections.abc import Collection

import streamlit as st

from landmarks.i18n import N_, t
from landmarks.ui import auth, browser_values

# The keys of the write buttons (data_admin.py and zones_sites/routes.py draw them).
IMPORT_ALL = "import_all"
IMPORT_VALID_ONLY = "import_valid_only"
EDIT_SAVE = "edit_save"
ROLLBACK = "rollback"
ROUTE_SAVE = "zs_route_save"
ROUTE_DELETE = "zs_route_delete"

DATA_WRITES = (IMPORT_ALL, IMPORT_VALID_ONLY, EDIT_SAVE, ROLLBACK)
ROUTE_WRITES = (ROUTE_SAVE, ROUTE_DELETE)
RETURN_VALUE_WRITES = (EDIT_SAVE,)  # read from st.button's value, not an on_click callback
_LOST_CLICK = N_("服务刚刚重启，刚才的点击没有生效，请再点一次。")

_LOST_IMPORT = N_(
    "服务已重启，请重新登录后再导入。数据未改动；导入的设置已保留，登录后请重新选择文件。"
)
_LOST: dict[str, str] = {
    IMPORT_ALL: _LOST_IMPORT,
    IMPORT_VALID_ONLY: _LOST_IMPORT,
    EDIT_SAVE: N_("服务已重启，请重新登录后再保存修改。数据未改动，修改需重新填写。"),
    ROLLBACK: N_("服务已重启，请重新登录后再回滚。数据未改动。"),
    ROUTE_SAVE: N_(
        "服务已重启，请在“数据管理”页重新登录后再保存线路。线路未保存，途经点仍在链接中。"
    ),
    ROUTE_DELETE: N_("服务已重启，请在“数据管理”页重新登录后再删除线路。线路未删除。"),
}


def lost_clicks(keys: Collection[str]) -> list[str]:
    """Those of the write buttons ``keys`` clicked in the browser but never drawn in this
    session, in the order given."""
    clicked = browser_values.clicked_keys()
    return [key for key in keys if key in clicked]


def notice_lost_click() -> None:
    """Any other click that reached a fresh session (a reset, a card button, a login, or
    a write button of an editor whom single sign-on kept logged in): its callback was not
    registered there, so it did nothing; say so (a toast: the page is drawn as before)."""
    if not browser_values.clicked_undrawn():
        return
    editor = auth.current_editor()
    said_by_page = lost_clicks((*DATA_WRITES, *ROUTE_WRITES)) and editor is None
    # The edit panel's save is read from the button's return value, not a callback: for
    # an editor whom single sign-on kept logged in, it is drawn again and takes effect.
    takes_effect = editor is not None and lost_clicks(RETURN_VALUE_WRITES)
    if not said_by_page and not takes_effect:
        st.toast(t(_LOST_CLICK), icon=":material/restart_alt:")


def warn_lost_writes(keys: Collection[str]) -> bool:
    """Say what became of a click on one of the write buttons ``keys`` that reached this
    session without its editor; True when there was one."""
    lost = lost_clicks(keys)
    for message in dict.fromkeys(t(_LOST[key]) for key in lost):
        st.warning(message, icon=":material/restart_alt:")
    return bool(lost)
