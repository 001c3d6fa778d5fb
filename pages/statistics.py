"""统计与资源图谱: counts by chain, category, GI type and prefecture, approvals by year,
the ten chains' coverage, and each chain's products and places as a flow to the explorer."""

from __future__ import annotations

import streamlit as st

from landmarks.data import region
from landmarks.i18n import t
from landmarks.query import atlas, stats
from landmarks.ui import data as state
from landmarks.ui import output_charts
from landmarks.ui import region as region_ui
from landmarks.ui.output_map import export_buttons
from landmarks.ui.provenance import provenance_note
from landmarks.ui.startup import run_through_app

run_through_app()
data = state.tables()
regions = state.regions()
products = data.products

st.title(t("{region}地标品牌地图 · 统计与资源图谱", region=region_ui.label()))
if region_ui.is_empty(products):  # a region before its first import: nothing to count
    region_ui.empty_notice(with_map=False)
    provenance_note(data.sources, data.updated_at)
    st.stop()
st.caption(
    t(
        "共 {products} 个产品、{names} 个登记名称。{product_rule}；"
        "按地理标志类型和获批年份统计时{name_rule}。表中“打开品牌地图”链接在品牌地图中按该项筛选。",
        products=stats.family_count(products),
        names=len(products),
        product_rule=t(stats.PRODUCT_RULE),
        name_rule=t(stats.NAME_RULE),
    )
)
OPEN = t("打开品牌地图")  # the link column's name in atlas's tables
LINK = st.column_config.LinkColumn(OPEN, display_text=t("在品牌地图中查看"))

# Hubei's ten chains (十大农业产业链) only where the region has them; elsewhere by category.
chained = region.has_chain_vocabulary()
chain_column, category_column = st.columns(2) if chained else (None, st.container())
if chain_column is not None:
    with chain_column:
        st.header(t("按产业链"), anchor=False)
        chains = atlas.by_chain(products)
        output_charts.count_bars(
            chains, t("产业链"), t("产品数"), key="stats_chain_chart", colors=True
        )
        st.dataframe(chains, hide_index=True, width="stretch", column_config={OPEN: LINK})
        export_buttons(chains, t("按产业链统计"), "stats_chain")
with category_column:
    st.header(t("按品类"), anchor=False)
    categories = atlas.by_category(products)
    output_charts.count_bars(categories, t("品类"), t("产品数"), key="stats_category_chart")
    st.dataframe(categories, hide_index=True, width="stretch", column_config={OPEN: LINK})
    export_buttons(categories, t("按品类统计"), "stats_category")

type_column, prefecture_column = st.columns(2)
with type_column:
    st.header(t("按地理标志类型"), anchor=False)
    types = atlas.by_gi_type(products)
    st.dataframe(types, hide_index=True, width="stretch")
    st.caption(t("{rule}。", rule=t(stats.GI_TYPE_RULE)))
    export_buttons(types, t("按地理标志类型统计"), "stats_type")
with prefecture_column:
    st.header(t("按市州"), anchor=False)
    prefectures = atlas.by_prefecture(products, regions)
    st.dataframe(prefectures, hide_index=True, width="stretch", column_config={OPEN: LINK})
    st.caption(t("本县：保护范围为单个县；跨县：多个县；全市范围：来源只注明到市州。"))
    export_buttons(prefectures, t("按市州统计"), "stats_prefecture")

st.header(t("按获批年份"), anchor=False)
approvals = atlas.approvals_by_year(products)
output_charts.approvals_chart(approvals, key="stats_approvals_chart")
undated = int(approvals.loc[~approvals[t("年份")].str.isdigit(), t("登记名称数")].sum())
st.caption(
    t(
        "另有 {count} 个登记名称未注明获批年份，未画入图中（见下表“年份不详”）。",
        count=undated,
    )
)
with st.expander(t("获批年份明细")):
    st.dataframe(approvals, hide_index=True, width="stretch")
export_buttons(approvals, t("按获批年份统计"), "stats_approvals")

if chained:
    st.header(t("十大产业链覆盖情况"), anchor=False)
    coverage = atlas.chain_coverage(products, data.zones)
    st.dataframe(coverage, hide_index=True, width="stretch", column_config={OPEN: LINK})
    st.caption(t("覆盖县市区按产品保护范围计，跨县和全市范围产品的各县都计入。"))
    export_buttons(coverage, t("十大产业链覆盖情况"), "stats_coverage")

    st.header(t("资源图谱：产业链 → 产品 → 县市区"), anchor=False)
    present = atlas.chains_in_order(products)
    if present:
        chain = st.selectbox(t("产业链"), present, key="stats_flow_chain", format_func=t)
        flow = atlas.chain_flow(products, regions, chain)
        output_charts.flow_chart(flow, chain, key="stats_flow_chart")
        st.caption(t("点击图中的产业链、产品或县市区，在品牌地图中打开；全市范围产品连到其市州。"))
        levels = {0: t("产业链"), 1: t("产品"), 2: t("县市区/市州")}
        links = flow.nodes.assign(level=flow.nodes["column"].map(levels))[
            ["level", "label", "link"]
        ].rename(columns={"level": t("层级"), "label": t("名称"), "link": OPEN})
        with st.expander(t("图谱节点列表")):
            st.dataframe(links, hide_index=True, width="stretch", column_config={OPEN: LINK})
        export_buttons(links, t("资源图谱_{chain}", chain=t(chain)), "stats_flow")

provenance_note(data.sources, data.updated_at)
