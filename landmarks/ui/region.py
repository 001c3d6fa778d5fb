"""The region on the pages: its name in titles, and what a region without data says.

``LANDMARKS_REGION`` (``landmarks/data/region.py``) names the region the app maps.
Hubei ships its researched data; every other region starts with no products and grows
by import, and until then each page says so (with the way to the data page) instead of
drawing empty charts, legends of nothing or tables without rows.  The map still shows
the region's boundaries.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from landmarks.data import region as configured
from landmarks.i18n import t
from landmarks.ui.markdown import md_lines

DATA_PAGE = "pages/data.py"


def current() -> configured.Region:
    """The region of this server (read from the environment: cheap, and AppTests of
    several regions run in one process)."""
    return configured.current_region()


def check() -> None:
    """Stop the page with the Chinese message of an unusable ``$LANDMARKS_REGION`` (it
    names the valid values) rather than a traceback."""
    try:
        current()
    except configured.RegionConfigError as error:
        st.error(md_lines(str(error)))
        st.stop()


def label() -> str:
    """The region's short name in titles: 湖北 / Hubei, 全国 / China."""
    return current().label()


def app_title() -> str:
    """湖北地标品牌地图 / Hubei GI Brand Map, the region's own for another region."""
    return configured.app_title(current())


def subtitle() -> str:
    """The sidebar's line under the title: 湖北省地理标志品牌数字地图 · 资源图谱."""
    return t("{province}地理标志品牌数字地图 · 资源图谱", province=current().place_name())


def is_empty(products: pd.DataFrame) -> bool:
    """The region holds no product yet (a new region before its first import)."""
    return products.empty


def empty_notice(*, on_data_page: bool = False, with_map: bool = True) -> None:
    """Say plainly that the region has no data yet and where to import it (with a link to
    the data page, unless on it); ``with_map``: the page's map shows the boundaries."""
    place = current().place_name()
    if on_data_page:
        st.info(
            t(
                "{region}尚无地理标志产品数据。请以编辑身份登录后在「导入数据」中导入产品"
                "（模板见「模板下载」）；导入后各页自动显示。",
                region=place,
            ),
            icon=":material/info:",
        )
        return
    text = t(
        "{region}尚无地理标志产品数据。请在「数据管理」页导入产品、示范区、文旅站点或产值"
        "（模板见该页「模板下载」）；导入后各页自动显示。",
        region=place,
    )
    if with_map:
        text += t("地图上先显示{region}的行政区划。", region=place)
    st.info(text, icon=":material/info:")
    st.page_link(DATA_PAGE, label=t("前往「数据管理」导入数据"), icon=":material/database:")
