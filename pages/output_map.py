"""产值地图: GI output value, product counts and density by county or prefecture, with
rankings, year-over-year change, each product's published figures and the 2026 target."""

from __future__ import annotations

import streamlit as st

from landmarks.maps.choropleth import choropleth_layer
from landmarks.query import output_values as ov
from landmarks.query.classify import classify
from landmarks.query.labels import year_text
from landmarks.ui import basemap as basemaps
from landmarks.ui import data as state
from landmarks.ui import mapview, output_charts
from landmarks.ui import output_map as view
from landmarks.ui.provenance import provenance_note
from landmarks.ui.startup import run_through_app

run_through_app()
data = state.tables()
regions = state.regions()
prep = view.prepared(data)
basemaps.sidebar_select()  # seeded from the link's `basemap` on entry

st.title("湖北地标品牌地图 · 产值地图")


# Changing the year or the classes reruns this section only (see landmarks.ui.output_map).
@st.fragment(run_every=view.play_interval())
def map_section() -> None:
    choice = view.controls(prep, data.products)
    values = view.map_values(choice, prep, data.products)
    if values is None:
        st.info("暂无可显示的数字。")
        return
    classes = classify(values.table["value"], choice.scheme, choice.classes)
    if values.is_demo:
        st.warning(
            f"**{ov.DEMO_LABEL}**：{choice.year}年尚无县级“{choice.metric}”真实数字，图中为按固定"
            "规则生成的示例数字，不是统计数字；导入该年该指标的县级数字后自动替换。",
            icon=":material/science:",
        )
    map_column, side_column = st.columns([3, 2])
    with map_column:
        mapview.show_map(
            view.base_map(basemaps.options(basemaps.current())),
            choropleth_layer(values, classes, view.view_key(choice)),
            key=view.MAP_KEY,
        )
        st.caption(
            f"无数据 {values.without_value} {ov.LEVEL_UNITS[values.level]}（灰色斜纹）；"
            f"{values.rule}。{ov.held_summary(prep.joined, values)}"
            "悬停县域可见数值、排名、年份、口径与来源。"
        )
    with side_column:
        demo = f"（{ov.DEMO_LABEL}）" if values.is_demo else ""
        st.header(f"排名 · {values.year_label}{demo}", anchor=False)
        value_column = f"数值（{values.unit}）"
        top_tab, bottom_tab = st.tabs(["前 10 名", "后 10 名"])
        with top_tab:
            top = ov.ranking(values, 10, top=True)
            output_charts.ranking_chart(top, value_column, key="output_rank_top")
        with bottom_tab:
            bottom = ov.ranking(values, 10, top=False)
            output_charts.ranking_chart(bottom, value_column, key="output_rank_bottom")
        # Tables on demand: a change of year or classes then sends only the charts.
        full = ov.ranking(values, len(values.table), top=True)
        if st.toggle(
            f"全部排名表（{len(full)} {ov.LEVEL_UNITS[values.level]}）", key="output_rank_all"
        ):
            st.dataframe(full, hide_index=True, width="stretch")
            view.export_buttons(full, f"排名_{values.metric}_{values.year_label}", "output_rank")
    if choice.measure == ov.MEASURE_OUTPUT:
        st.header(f"同比变化 · {int(choice.year) - 1}→{choice.year}", anchor=False)
        change = ov.year_change(
            prep.figures, choice.metric, int(choice.year), choice.level, regions
        )
        output_charts.change_chart(change, key="output_change")
        if not change.empty and st.toggle("同比变化明细表", key="output_change_all"):
            st.dataframe(change, hide_index=True, width="stretch")
            view.export_buttons(change, f"同比变化_{choice.metric}_{choice.year}", "output_change")
        st.caption("只比较相邻两年同一指标、同为真实数字（或同为示例数据）的县；不同口径不相减。")


map_section()

st.header("各产品公开数字", anchor=False)
named = ov.products_with_figures(data.outputs)
if named:
    product = st.selectbox("产品", named, key="output_product")
    figures = ov.product_figures(data.outputs, product)
    output_charts.product_chart(figures, ov.KIND_OUTPUT, key="output_product_chart")
    if (figures["kind"] == ov.KIND_BRAND).any():
        st.markdown("**品牌价值（非产值，不与产值相加）**")
        output_charts.product_chart(figures, ov.KIND_BRAND, key="output_brand_chart")
    st.caption(
        "同一条线只连接同一指标、同一口径的数字；空心点为概数（超、近、突破等）。"
        "各年报道的口径常不相同，不能据此判断增减。"
    )
    table = figures.assign(year=figures["year"].map(year_text))[
        ["year", "kind", "metric", "value_text", "approximate", "scope", "confidence", "source"]
    ].rename(
        columns={
            "year": "年份",
            "kind": "类别",
            "metric": "指标",
            "value_text": "公布值（亿元）",
            "approximate": "概数",
            "scope": "口径",
            "confidence": "可信度",
            "source": "来源",
        }
    )
    table["概数"] = table["概数"].map(lambda a: "是" if a else "")
    st.dataframe(table, hide_index=True, width="stretch")
    view.export_buttons(table, f"产品公开数字_{product}", "output_product")

st.header("2026 年产值目标进度", anchor=False)
progress = ov.target_progress(data.outputs)
output_charts.target_chart(progress, key="output_target")
for row in progress.figures.itertuples():
    approx = "（概数）" if row.approximate else ""
    st.markdown(
        f"- **{int(row.year)}年：{row.value_text}亿元**{approx}，{row.metric}；"
        f"口径：{row.scope or '未注明'}；可信度{row.confidence}。"
    )
st.caption(
    f"目标：{progress.target_year}年全省地理标志产品产值 {progress.target:g} 亿元"
    "（《2026年全省知识产权工作要点》）。各年数字口径不同（如用标市场主体直接产值与全部"
    "地理标志产品产值），不能直接算出完成比例；浅色条为概数或可信度低的数字。"
)

st.header("数据核对", anchor=False)
diagnostics = prep.joined.assign(year=prep.joined["year"].map(year_text))[
    ["subject", "region", "year", "metric", "value_text", "place", "joined_by", "use"]
].rename(
    columns={
        "subject": "统计对象",
        "region": "地区",
        "year": "年份",
        "metric": "指标",
        "value_text": "数值（亿元）",
        "place": "层级",
        "joined_by": "匹配方式",
        "use": "用途或未用原因",
    }
)
unplaced = diagnostics[~prep.joined["mapped"]]
st.markdown(ov.held_summary(prep.joined, None))
st.caption(
    f"另有示例数据 {prep.demo_rows} 条（程序生成，不计入持有的记录）。"
    "下表列出未上县级产值地图的记录及原因；地区或产品未能识别的，附最接近的名称。"
)
st.dataframe(unplaced, hide_index=True, width="stretch")
view.export_buttons(diagnostics, "产值记录核对", "output_diagnostics")

provenance_note(data.sources, data.updated_at)
