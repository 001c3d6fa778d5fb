"""湖北地标品牌地图 — entry point: page config, navigation and the shared sidebar."""

from __future__ import annotations

import logging

import streamlit as st

from landmarks.data import storage
from landmarks.ui import mapview
from landmarks.ui.startup import page_style

st.set_page_config(page_title="湖北地标品牌地图", page_icon="static/favicon.png", layout="wide")
mapview.prepare_map_assets()
st.html(page_style())

navigation = st.navigation(
    [
        st.Page("pages/overview.py", title="品牌总览", icon=":material/dashboard:", default=True),
        st.Page("pages/explorer.py", title="品牌地图", icon=":material/map:", url_path="explorer"),
        st.Page(
            "pages/output_map.py", title="产值地图", icon=":material/layers:", url_path="output_map"
        ),
        st.Page(
            "pages/zones_sites.py",
            title="示范区与文旅",
            icon=":material/travel_explore:",
            url_path="zones_sites",
        ),
        st.Page(
            "pages/statistics.py",
            title="统计与资源图谱",
            icon=":material/bar_chart:",
            url_path="statistics",
        ),
        st.Page("pages/data.py", title="数据管理", icon=":material/database:", url_path="data"),
    ]
)

with st.sidebar:
    st.markdown("### 湖北地标品牌地图")
    st.caption("湖北省地理标志品牌数字地图 · 资源图谱")

try:
    navigation.run()
except storage.StorageError as error:
    # The database itself failed (unwritable, corrupt, foreign, locked, full): say what
    # and what to do, rather than the generic message.
    st.error(f"数据库出现问题：{error.message}")
    st.info(f"处理办法：{error.hint}")
except Exception:
    # Users see a plain message; the details go to the server log for the maintainers.
    logging.getLogger("landmarks").exception("page %s failed", navigation.title)
    st.error("页面出现意外错误，已记录日志。请刷新页面重试；若问题持续，请联系管理员。")
