"""品牌地图: find GI brands by chain, place and type, read their cards, share and export."""

from __future__ import annotations

import streamlit as st

from landmarks.data import region
from landmarks.i18n import t
from landmarks.query import filters, share
from landmarks.query.areas import county_names
from landmarks.query.frame import map_frame
from landmarks.query.selection import selected_area
from landmarks.ui import basemap as basemaps
from landmarks.ui import card_scroll, mapview, sidebar, table
from landmarks.ui import cards as card_views
from landmarks.ui import data as state
from landmarks.ui import explorer_cache as cached
from landmarks.ui import explorer_state as view
from landmarks.ui import presentation as presenting
from landmarks.ui import region as region_ui
from landmarks.ui import share as share_ui
from landmarks.ui.provenance import provenance_note
from landmarks.ui.startup import run_through_app

CARDS = "explorer_cards"  # the container of the cards

run_through_app()
data = state.tables()
regions = state.regions()
products, zones, sites = data.products, data.zones, data.sites

view.enter_page(products, regions)

bounds = filters.year_bounds(products)
index = state.name_index(data)
sidebar.filter_widgets(
    products,
    zones,
    regions,
    bounds,
    index,
    count_options=lambda chosen: cached.option_counts(data, regions, chosen, index),
)
product_filter = view.current_filter(bounds)
chosen = view.current_selection()
shown_as = view.current_presentation()
basemap = basemaps.current()
view.sync_url(product_filter, chosen, shown_as, basemaps.to_query(basemap))

filtered = filters.apply_filter(products, zones, product_filter, index)
undated = filters.undated_note(products, zones, product_filter, filtered, index)
sidebar.filter_footer(product_filter, undated, bounds)
presenting.sidebar_controls(product_filter, regions)
basemaps.sidebar_select()

area = selected_area(products, chosen)  # a selected multi-county or prefecture-wide product
frame = map_frame(
    regions,
    filtered,
    places=view.frame_places(product_filter, product=chosen.product, area=area),
    filtered=bool(product_filter.active_count),
)

if shown_as.present:
    # 展示模式: title, caption bar and the map alone; the filter widgets stay (hidden).
    presenting.show(
        data,
        regions,
        filtered,
        product_filter,
        shown_as,
        frame,
        basemaps.options(basemap),
        product=chosen.product,
    )
    st.stop()

st.title(t("{region}地标品牌地图 · 品牌地图", region=region_ui.label()))
sidebar.link_notices()
empty_region = region_ui.is_empty(products)  # before its first import (said beside the map)
if filtered.empty and not empty_region:
    table.empty_result(bounds)
map_column, card_column = st.columns([3, 2])
with map_column:
    # The base map depends only on the data, so filter changes swap the data layer in place.
    mapview.show_map(
        mapview.base_map(data, report_clicks=True, basemap=basemaps.options(basemap)),
        mapview.data_layer(
            data, filtered, frame=frame, selected_county=chosen.county, selected_area=area
        ),
        key=view.MAP_KEY,
        on_click=view.on_map_click(products, regions),
    )
    if empty_region:
        st.caption(t("点击县域查看县域名片。"))
    else:
        st.caption(
            t(
                "点击县域查看县域名片，点击产品圆点查看产品名片；每个圆点是一个登记名称，"
                "一品多标的产品可有多个圆点；彩色圆环为圆点聚合，数字为圆点数，按产业链着色；"
                "虚线空心圆为全市范围或跨县产品（示意位置），选中后地图标出其保护范围。"
            )
            if region.has_chain_vocabulary()
            else t(
                "点击县域查看县域名片，点击产品圆点查看产品名片；每个圆点是一个登记名称，"
                "一品多标的产品可有多个圆点；彩色圆环为圆点聚合，数字为圆点数，按品类着色；"
                "虚线空心圆为全市范围或跨县产品（示意位置），选中后地图标出其保护范围。"
            )
        )

with card_column:
    if empty_region:  # beside the map, so the map starts under the title as usual
        region_ui.empty_notice()
    else:
        figures, by_chain = cached.result_figures(data, filtered, product_filter)
        table.result_figures(figures)
        table.chain_summary(by_chain)
    # Cards scroll inside a panel, so the list below stays in reach (not on phones, where
    # the page scrolls to the card a tap opened: page.css, ui/card_scroll.py).
    with st.container(height=mapview.MAP_HEIGHT - 160, border=False, key=CARDS):
        card_views.selection_cards(chosen, data, regions, filtered)
        card_scroll.bring_into_view(CARDS)

if empty_region:  # no list, exports or posters of nothing
    provenance_note(data.sources, data.updated_at)
    st.stop()
st.header(t("产品列表"), anchor=False)
list_mode = table.list_mode()
rows = cached.list_rows(data, list_mode, filtered, product_filter)
names = county_names(regions)
table.product_table(rows, list_mode, names, list_key=product_filter)
table.export_buttons(rows, list_mode, names, share.filter_description(product_filter, regions))
sharing = st.expander(
    t("分享与打印：二维码、海报、简报、离线地图"),
    icon=":material/share:",
    key="explorer_share_panel",
    on_change="rerun",
)
if sharing.open:  # drawn only while open, so filter clicks do not resend it
    with sharing:
        share_ui.view_panel(
            data, regions, share_ui.View(product_filter, chosen, filtered, frame=frame, area=area)
        )
provenance_note(data.sources, data.updated_at)
