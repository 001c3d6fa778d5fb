"""示范区与文旅: demonstration zones and 地标+文旅 sites on one map, with lists that follow
it — zones and their timeline, sites by kind, targets, nearby search, themed routes."""

from __future__ import annotations

import streamlit as st

from landmarks.i18n import t
from landmarks.ui import basemap as basemaps
from landmarks.ui import data as state
from landmarks.ui import mapview
from landmarks.ui import region as region_ui
from landmarks.ui import zones_sites as view
from landmarks.ui.provenance import provenance_note
from landmarks.ui.sidebar import copy_link_button
from landmarks.ui.startup import run_through_app

run_through_app()
data = state.tables()
regions = state.regions()
prep = view.prepared(data)

view.enter_page(data, regions, prep)
view.layer_widgets(data, regions)
current = view.current_view(prep)
basemap = basemaps.current()
view.sync_url(current, basemaps.to_query(basemap))
shown = view.shown_sites(data, current)

st.title(t("{region}地标品牌地图 · 示范区与文旅", region=region_ui.label()))
view.link_notices()
# A region before its first import: its boundaries and the way to the data page, no
# lists, targets or routes of nothing.
empty_region = region_ui.is_empty(data.products) and data.zones.empty and data.sites.empty
if empty_region:
    region_ui.empty_notice()
    mapview.show_map(
        view.base_map(prep, basemaps.options(basemap), legend=False),
        view.map_layer(data, prep, current, shown, view.Overlay(frame=None)),
        key=view.MAP_KEY,
    )
    provenance_note(data.sources, data.updated_at)
    st.stop()
map_column, side_column = st.columns([3, 2])
with side_column:
    view.side_panel(data, prep, current, shown)

# Only the open tab runs; it says what it adds to the map (a circle, a route, the frame).
overlay = view.Overlay(frame=view.default_frame(regions, current))
tabs = st.tabs([t(label) for label in view.TABS.values()], key=view.TAB, on_change="rerun")
for name, tab in zip(view.TABS, tabs, strict=True):
    if not tab.open:
        continue
    with tab:
        if name == view.TAB_ZONES:
            view.zones_panel(prep)
        elif name == view.TAB_SITES:
            view.sites_panel(prep, current, shown, data.sources)
        elif name == view.TAB_TARGETS:
            view.targets_panel(data, regions)
        elif name == view.TAB_NEARBY:
            overlay = view.nearby_panel(data, current, regions)
        else:
            overlay = view.route_panel(data, prep, current, regions)

with map_column:
    # The base map depends only on the data: a rerun swaps the small data layer in place.
    mapview.show_map(
        view.base_map(prep, basemaps.options(basemap)),
        view.map_layer(data, prep, current, shown, overlay),
        key=view.MAP_KEY,
        on_click=view.on_map_click(data),
    )
    st.caption(
        t(
            "图标形状和颜色区分六类站点（字为类型简称）；金色县域为国家知识产权局示范区，"
            "青色虚线县域为其他部门项目（如原农业部示范样板）。县级、乡镇级站点的图标为示意位置。"
        )
    )

with st.sidebar:
    copy_link_button()
provenance_note(data.sources, data.updated_at)
