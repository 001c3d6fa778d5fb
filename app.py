"""湖北地标品牌地图 (or the configured region's) — entry point: page config, navigation
and the shared sidebar."""

from __future__ import annotations

import logging

import streamlit as st

from landmarks.data import store
from landmarks.data.region import RegionConfigError
from landmarks.i18n import N_, t
from landmarks.ui import language, lost_session, mapview, public_address, read_only
from landmarks.ui import region as region_ui
from landmarks.ui.markdown import md_lines
from landmarks.ui.startup import page_style

language.choose()
public_address.choose()  # the presenter's address for shared links, kept in the link
region_ui.check()  # a bad $LANDMARKS_REGION: said in Chinese, and nothing else runs
st.set_page_config(page_title=region_ui.app_title(), page_icon="static/favicon.png", layout="wide")
mapview.prepare_map_assets()
st.html(page_style())

# Each page: its file, title, icon and address (the first is the default page, at "/").
PAGES = (
    ("pages/overview.py", N_("品牌总览"), ":material/dashboard:", None),
    ("pages/explorer.py", N_("品牌地图"), ":material/map:", "explorer"),
    ("pages/output_map.py", N_("产值地图"), ":material/layers:", "output_map"),
    ("pages/zones_sites.py", N_("示范区与文旅"), ":material/travel_explore:", "zones_sites"),
    ("pages/statistics.py", N_("统计与资源图谱"), ":material/bar_chart:", "statistics"),
    ("pages/data.py", N_("数据管理"), ":material/database:", "data"),
)
navigation = st.navigation(
    [
        st.Page(path, title=t(title), icon=icon, url_path=url_path, default=url_path is None)
        for path, title, icon, url_path in PAGES
    ]
)

with st.sidebar:
    st.markdown("### " + region_ui.app_title())
    st.caption(region_ui.subtitle())
language.switch()
language.streamlit_texts()
lost_session.notice_lost_click()

try:
    read_only.banner()  # above every page: why editing is off, when it is
    navigation.run()
except store.StorageError as error:
    # The database itself failed (unwritable, corrupt, foreign, locked, full): say what
    # and what to do, rather than the generic message.
    st.error(md_lines(t("数据库出现问题：{problem}", problem=error.message)))
    st.info(md_lines(t("处理办法：{hint}", hint=error.hint)))
except RegionConfigError as error:  # the region's boundaries are not built (with the command)
    st.error(md_lines(str(error)))
except Exception:
    # Users see a plain message; the details go to the server log for the maintainers.
    logging.getLogger("landmarks").exception("page %s failed", navigation.title)
    st.error(t("页面出现意外错误，已记录日志。请刷新页面重试；若问题持续，请联系管理员。"))
