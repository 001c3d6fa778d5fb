"""品牌总览: the whole province at a glance — map, headline figures, provenance."""

from __future__ import annotations

import streamlit as st

from landmarks.data.model import OUTPUT_TARGET_2026_YI_YUAN
from landmarks.query import stats
from landmarks.query.labels import confidence_label
from landmarks.ui import basemap as basemaps
from landmarks.ui import charts, mapview
from landmarks.ui import data as state
from landmarks.ui.provenance import provenance_note
from landmarks.ui.startup import run_through_app

run_through_app()
data = state.tables()
regions = state.regions()
products, zones, sites = data.products, data.zones, data.sites
basemap = basemaps.sidebar_select()  # seeded from the link's `basemap` on entry
national = stats.national_zones(zones)

# On phones the map comes right after the title (page.css orders these containers).
with st.container(key="overview_head"):
    st.title("湖北地标品牌地图 · 品牌总览")

latest = stats.latest_province_output(data.outputs)
site_table = stats.sites_against_targets(sites)
columns = st.columns(4)
columns[0].metric(
    "地理标志产品（已收录）",
    f"{stats.family_count(products)} 个",
    help=f"{stats.PRODUCT_RULE}；共 {len(products)} 个登记名称。",
)
columns[1].metric(
    "国家地理标志保护示范区",
    f"{len(national)} 个",
    help="国家知识产权局体系，含筹建；另有1个原农业部农产品地理标志示范样板。",
)
columns[2].metric(
    "地标+文旅站点（已收录 / 2026目标）",
    f"{len(sites)} / {int(site_table['target'].sum())}",
    help="目标：10个省级样板，主题景区、休闲驿站、品鉴馆、销售平台、研学基地各100个。",
)
columns[3].metric(
    "2026 产值目标",
    f"{OUTPUT_TARGET_2026_YI_YUAN:g} 亿元",
    delta=(f"{latest.year}年：{latest.value_text}亿元（{latest.metric}）" if latest else None),
    delta_color="off",
    delta_arrow="off",
)
if latest:
    demo = "（示例数据）" if latest.is_demo else ""
    st.caption(
        f"最新公开的全省产值：{latest.year}年 {latest.value_text} 亿元{demo}，"
        f"口径：{latest.scope or '未注明'}；可信度{confidence_label(latest.confidence)}。"
        "目标来自《2026年全省知识产权工作要点》。"
    )

chain_counts = stats.products_by_chain(products)
map_column, chart_column = st.container(key="overview_body").columns([3, 1.2])
with map_column.container(key="overview_map_box"):
    mapview.show_map(
        mapview.base_map(data, report_clicks=False, basemap=basemaps.options(basemap)),
        mapview.data_layer(data, products, frame=None, popups=True),
        key="overview_map",
    )
with chart_column:
    st.header("按产业链")
    charts.chain_chart(chain_counts)
    st.caption(f"{stats.PRODUCT_RULE}。")
    st.header("按地理标志类型")
    st.dataframe(
        stats.products_by_gi_type(products).rename_axis("类型").reset_index(name="登记名称数"),
        hide_index=True,
        width="stretch",
    )
    st.caption(f"{stats.GI_TYPE_RULE}。")
    st.header("示范区")
    st.dataframe(
        national[["product", "county", "status"]].rename(
            columns={"product": "产品", "county": "所在地", "status": "状态"}
        ),
        hide_index=True,
        width="stretch",
    )

provenance_note(data.sources, data.updated_at)
