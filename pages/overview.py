"""品牌总览: the whole province at a glance — map, headline figures, provenance."""

from __future__ import annotations

import streamlit as st

from landmarks import i18n
from landmarks.data import region
from landmarks.i18n import t
from landmarks.query import atlas, stats
from landmarks.query.labels import confidence_label
from landmarks.ui import basemap as basemaps
from landmarks.ui import charts, mapview, output_charts
from landmarks.ui import data as state
from landmarks.ui import region as region_ui
from landmarks.ui.markdown import md
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
    st.title(t("{region}地标品牌地图 · 品牌总览", region=region_ui.label()))

if region_ui.is_empty(products):
    # A region before its first import: the boundaries and the way to the data page.
    region_ui.empty_notice()
    with st.container(key="overview_map_box"):
        mapview.show_map(
            mapview.base_map(data, report_clicks=False, basemap=basemaps.options(basemap)),
            mapview.data_layer(data, products, frame=None),
            key="overview_map",
        )
    provenance_note(data.sources, data.updated_at)
    st.stop()

latest = stats.latest_province_output(data.outputs)
site_table = stats.sites_against_targets(sites)
# Targets where the region has them (Hubei's 工作要点 2026), none elsewhere.
output_target = region.output_target_yi_yuan()
site_targets = region.site_targets()
columns = st.columns(4 if output_target is not None else 3)
columns[0].metric(
    t("地理标志产品（已收录）"),
    t("{count} 个", count=stats.family_count(products)),
    help=t("{rule}；共 {count} 个登记名称。", rule=t(stats.PRODUCT_RULE), count=len(products)),
)
columns[1].metric(
    t("国家地理标志保护示范区"),
    t("{count} 个", count=len(national)),
    help=(
        t("国家知识产权局体系，含筹建；另有1个原农业部农产品地理标志示范样板。")
        if region.current_region().has_seed  # a fact of Hubei's shipped data
        else t("国家知识产权局体系，含筹建。")
    ),
)
if site_targets:
    columns[2].metric(
        t("地标+文旅站点（已收录 / 2026目标）"),
        f"{len(sites)} / {int(site_table['target'].sum())}",
        help=t("目标：10个省级样板，主题景区、休闲驿站、品鉴馆、销售平台、研学基地各100个。"),
    )
else:
    columns[2].metric(t("地标+文旅站点（已收录）"), t("{count} 个", count=len(sites)))
if output_target is not None:
    columns[3].metric(
        t("2026 产值目标"),
        t("{value} 亿元", value=f"{output_target:g}"),
        delta=(
            t(
                "{year}年：{value}亿元（{metric}）",
                year=latest.year,
                value=md(latest.value_text),
                metric=md(t(latest.metric)),
            )
            if latest
            else None
        ),
        delta_color="off",
        delta_arrow="off",
    )
if latest and output_target is not None:  # the figure against the target's source
    fields = {
        "year": latest.year,
        "value": md(latest.value_text),
        "scope": md(latest.scope) if latest.scope else t("未注明"),
        "confidence": confidence_label(latest.confidence),
    }
    if latest.is_demo:
        latest_text = t(
            "最新公开的全省产值：{year}年 {value} 亿元（示例数据），口径：{scope}；"
            "可信度{confidence}。目标来自《2026年全省知识产权工作要点》。",
            **fields,
        )
    else:
        latest_text = t(
            "最新公开的全省产值：{year}年 {value} 亿元，口径：{scope}；可信度{confidence}。"
            "目标来自《2026年全省知识产权工作要点》。",
            **fields,
        )
    st.caption(latest_text)

chain_counts = stats.products_by_chain(products)
map_column, chart_column = st.container(key="overview_body").columns([3, 1.2])
with map_column.container(key="overview_map_box"):
    mapview.show_map(
        mapview.base_map(data, report_clicks=False, basemap=basemaps.options(basemap)),
        mapview.data_layer(data, products, frame=None, popups=True),
        key="overview_map",
    )
with chart_column:
    if region.has_chain_vocabulary():
        st.header(t("按产业链"))
        charts.chain_chart(chain_counts)
    else:  # a region without Hubei's ten chains: its products by category
        st.header(t("按品类"))
        output_charts.count_bars(
            atlas.by_category(products), t("品类"), t("产品数"), key="overview_category_chart"
        )
    st.caption(t("{rule}。", rule=t(stats.PRODUCT_RULE)))
    st.header(t("按地理标志类型"))
    by_type = stats.products_by_gi_type(products)
    # Small static tables as st.table: an st.dataframe would load Streamlit's data-grid
    # code (about half a megabyte of script) into the first view, beside the map.
    # st.table renders Markdown, so data strings go through md().
    st.table(
        by_type.rename(index=t).rename_axis(t("类型")).reset_index(name=t("登记名称数")),
        hide_index=True,
    )
    st.caption(t("{rule}。", rule=t(stats.GI_TYPE_RULE)))
    st.header(t("示范区"))
    st.table(
        national.assign(
            product=national["product"].map(lambda name: md(i18n.name(name)), na_action="ignore"),
            county=national["county"].map(lambda name: md(i18n.name(name)), na_action="ignore"),
            status=national["status"].map(lambda status: md(t(status)), na_action="ignore"),
        )[["product", "county", "status"]].rename(
            columns={"product": t("产品"), "county": t("所在地"), "status": t("状态")}
        ),
        hide_index=True,
    )

provenance_note(data.sources, data.updated_at)
