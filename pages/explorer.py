"""品牌地图: find GI brands by chain, place and type, read their cards, share and export."""

from __future__ import annotations

import streamlit as st

from landmarks.maps import builders as maps
from landmarks.maps.highlight import selected_county_layer
from landmarks.query import cards, filters, stats
from landmarks.query.selection import CLICK_FIELDS
from landmarks.ui import data as state
from landmarks.ui import explorer_state as view
from landmarks.ui import explorer_widgets as ui
from landmarks.ui import widgets
from landmarks.ui.startup import run_through_app

run_through_app()
data = state.tables()
regions = state.regions()
products, zones, sites = data.products, data.zones, data.sites

view.enter_page(products, regions)
# A map click arrives (via st_folium's on_change) before this run: apply it first so the
# highlight and the cards below already show the new selection.
view.take_click(st.session_state.get(view.MAP_KEY), products, regions)

bounds = view.year_bounds(products)
ui.filter_sidebar(products, regions, bounds)
product_filter = view.current_filter(bounds)
chosen = view.current_selection()
view.sync_url(product_filter, chosen)

filtered = filters.apply_filter(products, zones, product_filter, state.name_index(data))
if product_filter.active_count:
    st.sidebar.caption(f"已启用 {product_filter.active_count} 项筛选，地图、列表和统计同步更新。")

st.title("湖北地标品牌地图 · 品牌地图")
ui.notices()
zone_names = filters.zone_products(zones)
columns = st.columns(4)
columns[0].metric("筛选结果（产品）", f"{len(filtered)} / {len(products)}")
counties_shown = filtered.loc[filtered["county_adcode"] != "", "county_adcode"].nunique()
columns[1].metric("涉及县市区", counties_shown)
columns[2].metric("有示范区的产品", int(filtered["name"].isin(zone_names).sum()))
columns[3].metric("涉及产业链", filtered["chain"].nunique())
ui.chain_summary(filtered)

map_column, card_column = st.columns([3, 2])
with map_column:
    # The base map depends only on the data, so filter changes swap the layers in place.
    chains_present = [c for c, n in stats.products_by_chain(products).items() if n > 0]
    fmap = maps.base_map(
        regions, stats.national_zones(zones), chains_present, with_sites=not sites.empty
    )
    layers = [
        selected_county_layer(regions, chosen.county),
        maps.product_layer(filtered),
        maps.site_layer(sites),
    ]
    clicked = widgets.show_map(fmap, layers, key=view.MAP_KEY, returned_objects=list(CLICK_FIELDS))
    st.caption("点击县域查看县域名片，点击产品圆点查看产品名片；彩色圆环为产品聚合，按产业链着色。")
if view.take_click(clicked, products, regions):
    st.rerun()

# Cards scroll inside a panel as tall as the map, so the list below stays in reach.
with card_column.container(height=widgets.MAP_HEIGHT + 40, border=False):
    if chosen.product is None and chosen.county is None:
        st.info(
            "点击地图上的县域或产品圆点，或在下方列表中选中一行，即可查看名片。",
            icon=":material/touch_app:",
        )
    if chosen.product is not None:
        ui.product_card(
            cards.product_card(
                chosen.product,
                products=products,
                zones=zones,
                sites=sites,
                outputs=data.outputs,
                sources=data.sources,
            ),
            in_filter=bool((filtered["name"] == chosen.product).any()),
        )
    if chosen.county is not None:
        county = regions.county_by_adcode(chosen.county)
        ui.county_card(
            cards.county_card(
                county.adcode,
                county.name,
                county.prefecture,
                county.prefecture_adcode,
                products=products,
                zones=zones,
                sites=sites,
                outputs=data.outputs,
            ),
            county.prefecture_adcode,
        )

st.subheader("产品列表", anchor=False)
ui.product_table(filtered)
ui.export_buttons(filtered)
widgets.provenance_note(data.sources, data.updated_at)
