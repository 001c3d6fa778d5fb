"""数据管理: templates, import, editing, versions and rollback, full export.

Everyone may download templates and exports and read the version history; importing,
editing and rolling back need an editor login (landmarks/ui/auth.py).
"""

from __future__ import annotations

import streamlit as st

from landmarks.i18n import t
from landmarks.ui import auth, data_admin, lost_session, read_only
from landmarks.ui import data as state
from landmarks.ui import region as region_ui
from landmarks.ui.startup import run_through_app

run_through_app()
data = state.tables()

st.title(t("{region}地标品牌地图 · 数据管理", region=region_ui.label()))
if region_ui.is_empty(data.products):  # a region before its first import
    region_ui.empty_notice(on_data_page=True)
editing_off = not state.access().writable
with st.sidebar:
    st.markdown("#### " + t("编辑登录"))
    if editing_off:  # nobody could write anyway: no login to offer
        read_only.login_off_note()
        editor = None
    else:
        editor = auth.login_panel()

# (With editing off nobody can log in: the read-only note says why instead.)
if not editing_off and editor is None and lost_session.warn_lost_writes(lost_session.DATA_WRITES):
    data_admin.keep_import_choices()
data_admin.show_outcome()
if editing_off:
    read_only.editing_off_note()
    templates, versions, export = st.tabs([t("模板下载"), t("版本记录"), t("完整导出")])
elif editor is None:
    st.caption(t("浏览和下载无需登录；导入、在线编辑和回滚需要以编辑身份登录（见左侧）。"))
    templates, versions, export = st.tabs([t("模板下载"), t("版本记录"), t("完整导出")])
else:
    imports, edits, versions, templates, export = st.tabs(
        [t("导入数据"), t("在线编辑"), t("版本记录"), t("模板下载"), t("完整导出")]
    )
    with imports:
        data_admin.import_panel(editor, data)
    with edits:
        data_admin.edit_panel(editor, data)
with templates:
    data_admin.templates_panel()
with versions:
    data_admin.versions_panel(editor, data.version)
with export:
    data_admin.export_panel(data)
if not editing_off and not auth.can_log_in():
    with st.expander(t("如何创建编辑账号")):
        st.markdown(t(auth.HOW_TO_CREATE))
