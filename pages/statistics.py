"""统计与资源图谱: counts by chain, category, GI type and prefecture, approvals by year,
the ten chains' coverage, and each chain's products and places as a flow to the explorer."""

from __future__ import annotations

import streamlit as st

from landmarks.query import atlas, stats
from landmarks.ui import data as state
from landmarks.ui import output_charts
from landmarks.ui.output_map import export_buttons
from landmarks.ui.provenance import provenance_note
from landmarks.ui.startup import run_through_app

run_through_app()
data = state.tables()
regions = state.regions()
products = data.products

st.title("湖北地标品牌地图 · 统计与资源图谱")
st.caption(
    f"共 {stats.family_count(products)} 个产品、{len(products)} 个登记名称。"
    f"{stats.PRODUCT_RULE}；按地理标志类型和获批年份统计时{stats.NAME_RULE}。"
    "表中“打开品牌地图”链接在品牌地图中按该项筛选。"
)
LINK = st.column_config.LinkColumn("打开品牌地图", display_text="在品牌地图中查看")

chain_column, category_column = st.columns(2)
with chain_column:
    st.header("按产业链", anchor=False)
    chains = atlas.by_chain(products)
    output_charts.count_bars(chains, "产业链", "产品数", key="stats_chain_chart", colors=True)
    st.dataframe(chains, hide_index=True, width="stretch", column_config={"打开品牌地图": LINK})
    export_buttons(chains, "按产业链统计", "stats_chain")
with category_column:
    st.header("按品类", anchor=False)
    categories = atlas.by_category(products)
    output_charts.count_bars(categories, "品类", "产品数", key="stats_category_chart")
    st.dataframe(categories, hide_index=True, width="stretch", column_config={"打开品牌地图": LINK})
    export_buttons(categories, "按品类统计", "stats_category")

type_column, prefecture_column = st.columns(2)
with type_column:
    st.header("按地理标志类型", anchor=False)
    types = atlas.by_gi_type(products)
    st.dataframe(types, hide_index=True, width="stretch")
    st.caption(f"{stats.GI_TYPE_RULE}。")
    export_buttons(types, "按地理标志类型统计", "stats_type")
with prefecture_column:
    st.header("按市州", anchor=False)
    prefectures = atlas.by_prefecture(products, regions)
    st.dataframe(
        prefectures, hide_index=True, width="stretch", column_config={"打开品牌地图": LINK}
    )
    st.caption("本县：保护范围为单个县；跨县：多个县；全市范围：来源只注明到市州。")
    export_buttons(prefectures, "按市州统计", "stats_prefecture")

st.header("按获批年份", anchor=False)
approvals = atlas.approvals_by_year(products)
output_charts.approvals_chart(approvals, key="stats_approvals_chart")
undated = int(approvals.loc[~approvals["年份"].str.isdigit(), "登记名称数"].sum())
st.caption(f"另有 {undated} 个登记名称未注明获批年份，未画入图中（见下表“年份不详”）。")
with st.expander("获批年份明细"):
    st.dataframe(approvals, hide_index=True, width="stretch")
export_buttons(approvals, "按获批年份统计", "stats_approvals")

st.header("十大产业链覆盖情况", anchor=False)
coverage = atlas.chain_coverage(products, data.zones)
st.dataframe(coverage, hide_index=True, width="stretch", column_config={"打开品牌地图": LINK})
st.caption("覆盖县市区按产品保护范围计，跨县和全市范围产品的各县都计入。")
export_buttons(coverage, "十大产业链覆盖情况", "stats_coverage")

st.header("资源图谱：产业链 → 产品 → 县市区", anchor=False)
present = atlas.chains_in_order(products)
if present:
    chain = st.selectbox("产业链", present, key="stats_flow_chain")
    flow = atlas.chain_flow(products, regions, chain)
    output_charts.flow_chart(flow, chain, key="stats_flow_chart")
    st.caption("点击图中的产业链、产品或县市区，在品牌地图中打开；全市范围产品连到其市州。")
    links = flow.nodes.assign(
        层级=flow.nodes["column"].map({0: "产业链", 1: "产品", 2: "县市区/市州"})
    )[["层级", "label", "link"]].rename(columns={"label": "名称", "link": "打开品牌地图"})
    with st.expander("图谱节点列表"):
        st.dataframe(links, hide_index=True, width="stretch", column_config={"打开品牌地图": LINK})
    export_buttons(links, f"资源图谱_{chain}", "stats_flow")

provenance_note(data.sources, data.updated_at)
