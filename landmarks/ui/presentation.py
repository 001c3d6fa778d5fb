"""展示模式 on the explorer: the sidebar switch, the big-screen layout and its caption bar.

In presentation mode the sidebar and Streamlit's own chrome (header, toolbar) are
hidden, the title and a slim caption bar sit above a map that fills the rest of the
screen, and type is sized from the screen's height (designed at 1920×1080, 1280×720 and
3840×2160).  The filter widgets are still drawn (hidden) so the filter is kept; the
caption bar's button leaves the mode.
"""

from __future__ import annotations

from dataclasses import replace
from html import escape
from urllib.parse import parse_qs, unquote

import pandas as pd
import streamlit as st

from landmarks.data.regions import Regions
from landmarks.i18n import N_, t
from landmarks.maps import options as gi
from landmarks.query import filters, presentation, stats
from landmarks.query.filters import ProductFilter
from landmarks.query.frame import Bounds
from landmarks.query.presentation import Presentation
from landmarks.query.urlparams import share_url
from landmarks.ui import data as ui_data
from landmarks.ui import explorer_state as view
from landmarks.ui import mapview
from landmarks.ui.markdown import link, md
from landmarks.ui.sidebar import link_notices

TITLE = N_("湖北地标品牌地图")
CAPTION_KEY = "present_caption"
EXIT_KEY = "present_exit"
# The caption bar's line that a tour's map script rewrites with each step (gi_map.js).
TOUR_CAPTION_CLASS = "gi-tour-caption"

# Streamlit's chrome goes; the sizes follow the screen's height (vh): at 1080 px the
# title is 43 px and the caption 22 px.  The map takes what the title and caption leave.
_STYLE = """<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"],
[data-testid="stStatusWidget"], [data-testid="stAppDeployButton"], footer {
  display: none !important;
}
/* One screen: title and caption at their size, the map takes the rest (flex). */
[data-testid="stMainBlockContainer"], .block-container {
  padding: 1.2vh 1.4vw 1.2vh !important; max-width: none !important;
  height: 100vh; box-sizing: border-box; display: flex; flex-direction: column;
}
[data-testid="stMainBlockContainer"] > [data-testid="stVerticalBlock"] {
  flex: 1 1 auto; min-height: 0; gap: 0.9vh;
}
[data-testid="stMainBlockContainer"] > [data-testid="stVerticalBlock"] > * { flex-shrink: 0; }
[data-testid="stMainBlockContainer"] > [data-testid="stVerticalBlock"]
  > [data-testid="stElementContainer"]:has(iframe[title="streamlit_folium.st_folium"]) {
  flex: 1 1 auto; min-height: 0;
}
[data-testid="stElementContainer"]:has(iframe[title="streamlit_folium.st_folium"]) > div {
  height: 100%;
}
iframe[title="streamlit_folium.st_folium"] { height: 100% !important; display: block; }
h1 {
  font-size: clamp(28px, 4vh, 120px) !important; line-height: 1.25 !important;
  padding: 0 !important; margin: 0 !important;
}
.st-key-present_caption {
  background: #faf6ef; border-left: 0.5vh solid #b5332e; border-radius: 4px;
  padding: 0.5vh 1vw; gap: 0.3vh !important;
}
.st-key-present_caption [data-testid="stMarkdownContainer"],
.st-key-present_caption [data-testid="stCaptionContainer"] { margin-bottom: 0 !important; }
.st-key-present_caption p { margin: 0 !important; }
.st-key-present_caption [data-testid="stMarkdown"] p {
  font-size: clamp(15px, 2vh, 54px); line-height: 1.35;
}
.st-key-present_caption [data-testid="stCaptionContainer"] p {
  font-size: clamp(12px, 1.4vh, 38px); line-height: 1.3;
}
.st-key-present_caption .gi-tour-caption {
  font-size: clamp(15px, 2vh, 54px); line-height: 1.35; margin: 0;
}
.st-key-present_exit button { min-height: 0; }
.st-key-present_exit button p { font-size: clamp(13px, 1.5vh, 40px); }
</style>"""


def sidebar_controls(product_filter: ProductFilter, regions: Regions) -> None:
    """The switch and the tour's settings (their values are part of the page's link)."""
    st.session_state.setdefault(view.PRESENT, False)
    st.session_state.setdefault(view.TOUR, presentation.TOUR_NONE)
    st.session_state.setdefault(view.EVERY, presentation.EVERY_DEFAULT)
    st.session_state.setdefault(view.IDLE, presentation.IDLE_DEFAULT)
    with st.sidebar:
        st.markdown(t("#### 展示与导览"))
        st.toggle(
            t("展示模式（大屏）"),
            key=view.PRESENT,
            help=t(
                "隐藏侧栏，地图铺满屏幕，字号适合远距离观看；保留当前筛选，可在地图上全屏显示。"
            ),
        )
        st.selectbox(
            t("自动导览"),
            list(presentation.TOUR_LABELS),
            key=view.TOUR,
            format_func=lambda tour: t(presentation.TOUR_LABELS[tour]),
            help=t("在展示模式中依次展示各产业链或各市州；触碰地图即暂停。"),
        )
        low, high = presentation.EVERY_RANGE
        st.number_input(t("每步停留（秒）"), min_value=low, max_value=high, step=1, key=view.EVERY)
        low, high = presentation.IDLE_RANGE
        st.number_input(
            t("无操作后从头播放（秒）"), min_value=low, max_value=high, step=5, key=view.IDLE
        )
        shown_as = view.current_presentation()
        if shown_as.tour == presentation.TOUR_VIEWS:
            _saved_views(shown_as, product_filter, regions)
        if shown_as.tour and not shown_as.present:
            # A booth laptop opens this link at start-up (the page's filter included).
            booth = presentation.presentation_to_query(replace(shown_as, present=True))
            url = share_url(st.context.url, st.query_params.to_dict() | booth)
            st.caption(
                t(
                    "展示模式下开始导览。开机自动导览可打开此链接：{link}",
                    link=link(unquote(url), url),
                )
            )


def _saved_views(shown_as: Presentation, product_filter: ProductFilter, regions: Regions) -> None:
    """The tour's saved views: add the current filter, or start the list afresh."""
    titles = [
        presentation.view_title(filters.filter_from_query(parse_qs(v), regions)[0], regions)
        for v in shown_as.views
    ]
    listed = t("；").join(f"{i}. {md(title)}" for i, title in enumerate(titles, 1))
    st.caption(
        t("已保存 {count} 个视图：{views}", count=len(titles), views=listed)
        if titles
        else t("尚未保存视图。")
    )
    add, clear = st.columns(2)
    add.button(
        t("加入当前筛选"),
        key="tour_save_view",
        on_click=view.save_view,
        args=(presentation.view_query(product_filter),),
        width="stretch",
    )
    clear.button(t("清空"), key="tour_clear_views", on_click=view.clear_views, width="stretch")


def header(title: str, figures: str, tour_caption: str | None = None) -> None:
    """The presentation layout's title and caption bar (and the way back).  On a tour
    the bar's first line is ``tour_caption`` (the first step's), which the map script
    replaces with each step's own (``.gi-tour-caption``)."""
    st.html(_STYLE)
    title_column, button_column = st.columns([8, 1], vertical_alignment="center")
    title_column.title(f"{t(TITLE)} · {md(title)}", anchor=False)
    button_column.button(
        t("退出展示"),
        key=EXIT_KEY,
        icon=":material/close_fullscreen:",
        on_click=view.exit_presentation,
        width="stretch",
    )
    with st.container(key=CAPTION_KEY):
        if tour_caption is None:
            st.markdown(md(figures))
        else:
            st.html(f'<p class="{TOUR_CAPTION_CLASS}">{escape(tour_caption)}</p>')
        st.caption(md(t(presentation.FIGURES_SCOPE)))


def show(
    data: ui_data.Tables,
    regions: Regions,
    filtered: pd.DataFrame,
    product_filter: ProductFilter,
    shown_as: Presentation,
    frame: Bounds,
    basemap: gi.TileChoice | None = None,
    product: str | None = None,
) -> None:
    """The presentation layout of the explorer's view: title, caption bar and the map
    (with the tour's steps when one is chosen) over the chosen ``basemap``
    (``landmarks.ui.basemap.options``).  Clicks open popups, not cards; the selected
    ``product`` (the link's) is shown by its popup, opened."""
    index = ui_data.name_index(data)
    places = product_filter.counties or product_filter.prefectures
    steps = presentation.tour_steps(
        shown_as, filtered, data.products, data.zones, regions, index, places
    )
    figures = stats.result_figures(filtered, data.products, data.zones)
    header(
        presentation.view_title(product_filter, regions),
        presentation.figures_line(figures),
        steps[0].caption if steps else None,
    )
    link_notices()
    note = presentation.tour_note(shown_as, filtered, product_filter.chains)
    mapview.show_map(
        mapview.base_map(data, report_clicks=False, present=True, basemap=basemap),
        mapview.data_layer(
            data,
            filtered,
            frame=frame,
            popups=True,
            open_product=product,
            tour=presentation.tour_options(shown_as, steps, note) if steps else None,
        ),
        key=view.PRESENT_MAP_KEY,
    )
