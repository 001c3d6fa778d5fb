"""产值地图: GI output value, product counts and density by county or prefecture, with
rankings, year-over-year change, each product's published figures and the 2026 target."""

from __future__ import annotations

import streamlit as st

from landmarks import i18n
from landmarks.data import region
from landmarks.i18n import t
from landmarks.maps.choropleth import choropleth_layer
from landmarks.query import output_values as ov
from landmarks.query.classify import classify
from landmarks.query.labels import year_text
from landmarks.ui import basemap as basemaps
from landmarks.ui import data as state
from landmarks.ui import mapview, output_charts
from landmarks.ui import output_map as view
from landmarks.ui import region as region_ui
from landmarks.ui.markdown import md
from landmarks.ui.provenance import provenance_note
from landmarks.ui.startup import run_through_app

run_through_app()
data = state.tables()
regions = state.regions()
prep = view.prepared(data)
view.read_link()
basemaps.sidebar_select()  # seeded from the link's `basemap` on entry

st.title(t("{region}地标品牌地图 · 产值地图", region=region_ui.label()))
view.link_notices()

if region_ui.is_empty(data.products):
    # A region before its first import: no figures to map, rank or chart; its boundaries.
    region_ui.empty_notice()
    mapview.show_map(
        mapview.base_map(data, report_clicks=False, basemap=basemaps.options(basemaps.current())),
        mapview.data_layer(data, data.products, frame=None),
        key=view.MAP_KEY,
    )
    provenance_note(data.sources, data.updated_at)
    st.stop()


# Changing the year or the classes reruns this section only (see landmarks.ui.output_map).
@st.fragment(run_every=view.play_interval())
def map_section() -> None:
    choice = view.controls(prep, data.products)
    values = view.map_values(choice, prep, data.products)
    if values is None:
        st.info(t("暂无可显示的数字。"))
        return
    classes = classify(values.table["value"], choice.scheme, choice.classes)
    if values.is_demo:
        st.warning(
            t(
                "**{label}**：{year}年尚无县级“{metric}”真实数字，图中为按固定规则生成的示例数字，"
                "不是统计数字；导入该年该指标的县级数字后自动替换。",
                label=t(ov.DEMO_LABEL),
                year=choice.year,
                metric=md(t(choice.metric)),
            ),
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
            t(
                "无数据 {count} {unit}（灰色斜纹）；{rule}。{held}"
                "悬停县域可见数值、排名、年份、口径与来源。",
                count=values.without_value,
                unit=t(ov.LEVEL_UNITS[values.level]),
                rule=t(values.rule),
                held=ov.held_summary(prep.joined, values),
            )
        )
    with side_column:
        year_label = t(values.year_label)
        if values.is_demo:
            ranking = t("排名 · {year}（{label}）", year=year_label, label=t(ov.DEMO_LABEL))
        else:
            ranking = t("排名 · {year}", year=year_label)
        st.header(ranking, anchor=False)
        value_column = t("数值（{unit}）", unit=t(values.unit))
        top_tab, bottom_tab = st.tabs([t("前 10 名"), t("后 10 名")])
        with top_tab:
            top = ov.ranking(values, 10, top=True)
            output_charts.ranking_chart(top, value_column, key="output_rank_top")
        with bottom_tab:
            bottom = ov.ranking(values, 10, top=False)
            output_charts.ranking_chart(bottom, value_column, key="output_rank_bottom")
        # Tables on demand: a change of year or classes then sends only the charts.
        full = ov.ranking(values, len(values.table), top=True)
        rank_all = t(
            "全部排名表（{count} {unit}）", count=len(full), unit=t(ov.LEVEL_UNITS[values.level])
        )
        if st.toggle(rank_all, key="output_rank_all"):
            st.dataframe(full, hide_index=True, width="stretch")
            file_name = t("排名_{metric}_{year}", metric=t(values.metric), year=year_label)
            view.export_buttons(full, file_name, "output_rank")
    if choice.measure == ov.MEASURE_OUTPUT:
        st.header(
            t("同比变化 · {start}→{end}", start=int(choice.year) - 1, end=choice.year),
            anchor=False,
        )
        change = ov.year_change(
            prep.figures, choice.metric, int(choice.year), choice.level, regions
        )
        output_charts.change_chart(change, key="output_change")
        if not change.empty and st.toggle(t("同比变化明细表"), key="output_change_all"):
            st.dataframe(change, hide_index=True, width="stretch")
            file_name = t("同比变化_{metric}_{year}", metric=t(choice.metric), year=choice.year)
            view.export_buttons(change, file_name, "output_change")
        st.caption(
            t("只比较相邻两年同一指标、同为真实数字（或同为示例数据）的县；不同口径不相减。")
        )


map_section()

st.header(t("各产品公开数字"), anchor=False)
named = ov.products_with_figures(data.outputs)
if named:
    product = st.selectbox(t("产品"), named, key="output_product", format_func=i18n.name)
    figures = ov.product_figures(data.outputs, product)
    output_charts.product_chart(figures, ov.KIND_OUTPUT, key="output_product_chart")
    if (figures["kind"] == ov.KIND_BRAND).any():
        st.markdown("**" + t("品牌价值（非产值，不与产值相加）") + "**")
        output_charts.product_chart(figures, ov.KIND_BRAND, key="output_brand_chart")
    st.caption(
        t(
            "同一条线只连接同一指标、同一口径的数字；空心点为概数（超、近、突破等）。"
            "各年报道的口径常不相同，不能据此判断增减。"
        )
    )
    table = figures.assign(
        year=figures["year"].map(year_text),
        kind=figures["kind"].map(t, na_action="ignore"),
        metric=figures["metric"].map(t, na_action="ignore"),
        approximate=figures["approximate"].map(lambda a: t("是") if a else ""),
        confidence=figures["confidence"].map(t, na_action="ignore"),
    )[
        ["year", "kind", "metric", "value_text", "approximate", "scope", "confidence", "source"]
    ].rename(
        columns={
            "year": t("年份"),
            "kind": t("类别"),
            "metric": t("指标"),
            "value_text": t("公布值（亿元）"),
            "approximate": t("概数"),
            "scope": t("口径"),
            "confidence": t("可信度"),
            "source": t("来源"),
        }
    )
    st.dataframe(table, hide_index=True, width="stretch")
    view.export_buttons(table, t("产品公开数字_{product}", product=product), "output_product")

if region.output_target_yi_yuan() is not None:  # the region's own target (Hubei's 1100亿元)
    st.header(t("2026 年产值目标进度"), anchor=False)
    progress = ov.target_progress(data.outputs)
    output_charts.target_chart(progress, key="output_target")
    for row in progress.figures.itertuples():
        fields = {
            "year": int(row.year),
            "value": md(row.value_text),
            "metric": md(t(row.metric)),
            "scope": md(row.scope) if row.scope else t("未注明"),
            "confidence": t(row.confidence),
        }
        if row.approximate:
            line = t(
                "- **{year}年：{value}亿元**（概数），{metric}；"
                "口径：{scope}；可信度{confidence}。",
                **fields,
            )
        else:
            line = t(
                "- **{year}年：{value}亿元**，{metric}；口径：{scope}；可信度{confidence}。",
                **fields,
            )
        st.markdown(line)
    st.caption(
        t(
            "目标：{year}年全省地理标志产品产值 {target} 亿元（《2026年全省知识产权工作要点》）。"
            "各年数字口径不同（如用标市场主体直接产值与全部地理标志产品产值），不能直接算出完成比例；"
            "浅色条为概数或可信度低的数字。",
            year=progress.target_year,
            target=f"{progress.target:g}",
        )
    )

st.header(t("数据核对"), anchor=False)
diagnostics = prep.joined.assign(
    year=prep.joined["year"].map(year_text),
    metric=prep.joined["metric"].map(t, na_action="ignore"),
    place=prep.joined["place"].map(t, na_action="ignore"),
    joined_by=prep.joined["joined_by"].map(t, na_action="ignore"),
    use=prep.joined["use"].map(t, na_action="ignore"),
)[["subject", "region", "year", "metric", "value_text", "place", "joined_by", "use"]].rename(
    columns={
        "subject": t("统计对象"),
        "region": t("地区"),
        "year": t("年份"),
        "metric": t("指标"),
        "value_text": t("数值（亿元）"),
        "place": t("层级"),
        "joined_by": t("匹配方式"),
        "use": t("用途或未用原因"),
    }
)
unplaced = diagnostics[~prep.joined["mapped"]]
st.markdown(ov.held_summary(prep.joined, None))
st.caption(
    t(
        "另有示例数据 {count} 条（程序生成，不计入持有的记录）。"
        "下表列出未上县级产值地图的记录及原因；地区或产品未能识别的，附最接近的名称。",
        count=prep.demo_rows,
    )
)
st.dataframe(unplaced, hide_index=True, width="stretch")
view.export_buttons(diagnostics, t("产值记录核对"), "output_diagnostics")

provenance_note(data.sources, data.updated_at)
