"""Charts of the output and statistics pages (Vega-Lite through altair, imported lazily:
see ``landmarks.ui.charts``).

Rules every chart keeps: a line joins only figures of one metric and one scope (its
``series``); approximate figures (超, 近, 突破…) are hollow points or pale bars labelled with
their published text; brand values (品牌价值) get a chart of their own and are never
stacked on or added to output; no chart shows a figure with more precision than it was
published with.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from landmarks.data.chains import chain_colors
from landmarks.data.model import CONFIDENCE_LABELS
from landmarks.i18n import t
from landmarks.query import output_values as ov
from landmarks.query.atlas import Flow

BAR_COLOR = "#2c7fb8"
DEMO_COLOR = "#b0b0b0"


def _column(table: pd.DataFrame, header: str) -> str:
    """A column of a query table by its Chinese header, translated or not (the query
    layer names its columns in the page's language)."""
    return header if header in table.columns else t(header)


def _named(table: pd.DataFrame, names: dict[str, str]) -> pd.DataFrame:
    """``table`` with the columns of ``names`` (Chinese header → field) renamed, so the
    charts' fields do not depend on the language."""
    return table.rename(columns={_column(table, header): field for header, field in names.items()})


def ranking_chart(table: pd.DataFrame, value_column: str, key: str) -> None:
    """Horizontal bars of a ranking table (``output_values.ranking``), in its order."""
    import altair as alt

    if table.empty:
        st.caption(t("无数据。"))
        return
    value_title = t(value_column)
    shown = _named(  # not UI: the ranking table's Chinese headers, looked up
        table,
        {
            value_column: "value",
            "名称": "name",
            "所属市州": "prefecture",
            "公布值": "published",
            "概数": "approximate",
            "排名": "rank",
            "示例数据": "demo",
        },
    )
    approximate = shown["approximate"].astype(str).str.strip() != ""
    shown = shown.assign(
        pale=approximate,
        label=[
            t("{value}（概数）", value=text) if pale else str(text)
            for text, pale in zip(shown["published"], approximate, strict=True)
        ],
    )
    chart = (
        alt.Chart(shown)
        .mark_bar(color=BAR_COLOR)
        .encode(
            x=alt.X("value:Q", title=value_title),
            y=alt.Y("name:N", sort=None, title=None, axis=alt.Axis(labelOverlap=False)),
            opacity=alt.condition("datum.pale", alt.value(0.45), alt.value(1.0)),
            tooltip=[
                alt.Tooltip("name:N", title=t("名称")),
                alt.Tooltip("prefecture:N", title=t("所属市州")),
                alt.Tooltip("label:N", title=t("标签")),
                alt.Tooltip("rank:Q", title=t("排名")),
                alt.Tooltip("demo:N", title=t("示例数据")),
            ],
        )
        .properties(height=max(120, 26 * len(shown)))
    )
    st.altair_chart(chart, width="stretch", key=key)


def change_chart(table: pd.DataFrame, key: str, n: int = 10) -> None:
    """The largest rises and falls from the year before, diverging bars."""
    import altair as alt

    if table.empty:
        st.caption(t("没有连续两年同一口径的数字，无法计算同比变化。"))
        return
    shown = pd.concat([table.head(n), table.tail(n)])
    name = _column(shown, "名称")  # not UI: a header, looked up
    change = _column(shown, "变化（亿元）")  # not UI: a header, looked up
    shown = shown.drop_duplicates(name)
    fields = {header: f"c{number}" for number, header in enumerate(shown.columns)}
    chart = (
        alt.Chart(shown.rename(columns=fields))
        .mark_bar()
        .encode(
            x=alt.X(f"{fields[change]}:Q", title=t("变化（亿元）")),
            y=alt.Y(f"{fields[name]}:N", sort="-x", title=None, axis=alt.Axis(labelOverlap=False)),
            color=alt.condition(
                f"datum.{fields[change]} >= 0", alt.value("#1a9850"), alt.value("#d73027")
            ),
            tooltip=[alt.Tooltip(field, title=str(header)) for header, field in fields.items()],
        )
        .properties(height=max(120, 22 * len(shown)))
    )
    st.altair_chart(chart, width="stretch", key=key)


def product_chart(figures: pd.DataFrame, kind: str, key: str) -> None:
    """One product's figures of one kind over the years: a line per series (metric and
    scope), hollow points for approximate figures."""
    import altair as alt

    dated = figures[(figures["kind"] == kind) & figures["year"].notna()].copy()
    if dated.empty:
        return
    dated["year"] = dated["year"].astype(int)
    dated["exact"] = ~dated["approximate"].astype(bool)
    dated["value_kind"] = [
        t("确数") if exact else t("概数（超/近/突破等）") for exact in dated["exact"]
    ]
    dated["confidence"] = dated["confidence"].map(t)
    base = alt.Chart(dated).encode(
        x=alt.X("year:Q", title=t("年份"), axis=alt.Axis(format="d", tickMinStep=1)),
        y=alt.Y("value:Q", title=t("亿元")),
        color=alt.Color(
            "series:N",
            title=t("指标｜口径"),
            legend=alt.Legend(orient="bottom", columns=1, labelLimit=420),
        ),
        tooltip=[
            alt.Tooltip("year:Q", title=t("年份"), format="d"),
            alt.Tooltip("metric:N", title=t("指标")),
            alt.Tooltip("value_text:N", title=t("公布值（亿元）")),
            alt.Tooltip("scope:N", title=t("口径")),
            alt.Tooltip("value_kind:N", title=t("数值类型")),
            alt.Tooltip("confidence:N", title=t("可信度")),
            alt.Tooltip("source:N", title=t("来源")),
        ],
    )
    lines = base.mark_line().encode(detail="series:N")
    points = base.mark_point(size=70, strokeWidth=2).encode(
        fill=alt.condition("datum.exact", alt.Fill("series:N", legend=None), alt.value("white")),
        shape=alt.Shape("value_kind:N", title=t("数值类型"), legend=alt.Legend(orient="bottom")),
    )
    # The legends sit below the plot and count in its height: one line per series.
    height = 240 + 26 * int(dated["series"].nunique()) + 40
    st.altair_chart((lines + points).properties(height=height), width="stretch", key=key)


# The target chart's rows, top to bottom: the target's text, then per figure a line of
# text above its bar; rows are laid out on a y scale of row numbers, so no text crosses a
# bar or another text whatever the width (phones included).
TARGET_ROW_PX = 56
TARGET_AXIS_PX = 56  # the x axis, its labels and its title below the rows
_TEXT_AT, _BAR_FROM, _BAR_TO = 0.12, 0.5, 0.92  # within a row


def target_chart(progress: ov.TargetProgress, key: str) -> None:
    """The target as a dashed rule with its own row of text on top, each provincial
    figure as a bar under a line naming it with its published text; approximate or
    low-confidence figures pale.  No share of the target is drawn: the figures' scopes
    differ from the target's."""
    import altair as alt

    figures = progress.figures
    low = CONFIDENCE_LABELS["low"]
    rows = figures.assign(
        text=[
            t("{year}年 {metric}：{value}亿元", year=int(y), metric=m, value=v)
            for y, m, v in zip(
                figures["year"], figures["metric"], figures["value_text"], strict=True
            )
        ],
        pale=figures["approximate"] | figures["confidence"].isin([low, t(low)]),
        confidence=figures["confidence"].map(t),
        top=[number + 1 + _BAR_FROM for number in range(len(figures))],
        bottom=[number + 1 + _BAR_TO for number in range(len(figures))],
    )
    texts = pd.DataFrame(
        {
            "text": [
                t(
                    "{year}年目标：{value}亿元（红色虚线）",
                    year=progress.target_year,
                    value=f"{progress.target:g}",
                ),
                *rows["text"],
            ],
            "at": [number + _TEXT_AT for number in range(len(figures) + 1)],
            "goal": [True] + [False] * len(figures),
        }
    )
    y_scale = alt.Scale(domain=[len(figures) + 1, 0], nice=False, zero=False)
    x_scale = alt.Scale(domain=[0, progress.target * 1.15])
    bars = (
        alt.Chart(rows)
        .mark_bar(color=BAR_COLOR)
        .encode(
            y=alt.Y("top:Q", scale=y_scale, axis=None),
            y2="bottom:Q",
            x=alt.X("value:Q", title=t("亿元"), scale=x_scale),
            x2=alt.datum(0),
            opacity=alt.condition("datum.pale", alt.value(0.4), alt.value(1.0)),
            tooltip=[
                alt.Tooltip("text:N", title=t("公布值")),
                alt.Tooltip("scope:N", title=t("口径")),
                alt.Tooltip("confidence:N", title=t("可信度")),
            ],
        )
    )
    labels = (
        alt.Chart(texts)
        .mark_text(align="left", baseline="top", fontSize=13)
        .encode(
            y=alt.Y("at:Q", scale=y_scale, axis=None),
            x=alt.value(0),
            text="text:N",
            color=alt.condition("datum.goal", alt.value("#b2182b"), alt.value("#222222")),
        )
    )
    goal = (
        alt.Chart(pd.DataFrame({"value": [progress.target]}))
        .mark_rule(color="#d73027", strokeDash=[6, 4], size=2)
        .encode(x=alt.X("value:Q", scale=x_scale))
    )
    height = TARGET_ROW_PX * (len(figures) + 1) + TARGET_AXIS_PX
    chart = (goal + bars + labels).properties(height=height)
    with st.container(key=key):
        st.altair_chart(chart, width="stretch", key=f"{key}_chart")


def count_bars(table: pd.DataFrame, label: str, value: str, key: str, colors: bool = False) -> None:
    """Counts as horizontal bars in the table's order (chains in their colours)."""
    import altair as alt

    label, value = _column(table, label), _column(table, value)
    shown = pd.DataFrame(
        {"label": [t(str(item)) for item in table[label]], "value": table[value].to_numpy()}
    )
    color: object = alt.value(BAR_COLOR)
    if colors:
        color = alt.Color(
            "label:N",
            scale=alt.Scale(
                domain=[t(chain) for chain in chain_colors()], range=list(chain_colors().values())
            ),
            legend=None,
        )
    chart = (
        alt.Chart(shown)
        .mark_bar()
        .encode(
            x=alt.X("value:Q", title=t(value)),
            y=alt.Y("label:N", sort=None, title=None, axis=alt.Axis(labelOverlap=False)),
            color=color,
            tooltip=[
                alt.Tooltip("label:N", title=t(label)),
                alt.Tooltip("value:Q", title=t(value)),
            ],
        )
        .properties(height=max(120, 24 * len(shown)))
    )
    st.altair_chart(chart, width="stretch", key=key)


def approvals_chart(table: pd.DataFrame, key: str) -> None:
    """Registered names per approval year, stacked by GI type (年份不详 left out here)."""
    import altair as alt

    headers = {  # not UI: the table's Chinese headers, looked up
        "年份": "year",
        "地理标志类型": "gi_type",
        "登记名称数": "count",
    }
    shown = _named(table, headers)
    dated = shown[shown["year"].astype(str).str.isdigit()].assign(
        gi_type=lambda rows: rows["gi_type"].map(lambda value: t(str(value)))
    )
    chart = (
        alt.Chart(dated)
        .mark_bar()
        .encode(
            x=alt.X("year:O", title=t("获批年份")),
            y=alt.Y("count:Q", title=t("登记名称数")),
            color=alt.Color(
                "gi_type:N", title=t("地理标志类型"), legend=alt.Legend(orient="bottom")
            ),
            tooltip=[
                alt.Tooltip("year:O", title=t("年份")),
                alt.Tooltip("gi_type:N", title=t("地理标志类型")),
                alt.Tooltip("count:Q", title=t("登记名称数")),
            ],
        )
        .properties(height=320)
    )
    st.altair_chart(chart, width="stretch", key=key)


def flow_chart(flow: Flow, chain: str, key: str) -> None:
    """chain → product → county as three columns of labelled nodes joined by lines; a
    click on a node opens the explorer on it."""
    import altair as alt

    nodes = flow.nodes
    position = nodes.set_index("id")[["column", "y"]]
    edges = flow.edges.assign(
        x=flow.edges["source"].map(position["column"]),
        y=flow.edges["source"].map(position["y"]),
        x2=flow.edges["target"].map(position["column"]),
        y2=flow.edges["target"].map(position["y"]),
    )
    height = max(240, 16 * int(nodes["row"].max() + 1))
    x_scale = alt.Scale(domain=[-0.15, 2.6])
    y_scale = alt.Scale(domain=[float(nodes["y"].max()) + 0.5, -0.5])
    lines = (
        alt.Chart(edges)
        .mark_rule(color=chain_colors().get(chain, "#7f7f7f"), opacity=0.35)
        .encode(
            x=alt.X("x:Q", scale=x_scale, axis=None),
            y=alt.Y("y:Q", scale=y_scale, axis=None),
            x2="x2:Q",
            y2="y2:Q",
        )
    )
    dots = (
        alt.Chart(nodes)
        .mark_circle(size=60, color=chain_colors().get(chain, "#7f7f7f"), opacity=1)
        .encode(
            x=alt.X("column:Q", scale=x_scale, axis=None),
            y=alt.Y("y:Q", scale=y_scale, axis=None),
            href="link:N",
            tooltip=[alt.Tooltip("label:N", title=t("名称"))],
        )
    )
    texts = dots.mark_text(align="left", dx=7, fontSize=11, color="#333").encode(text="label:N")
    st.altair_chart((lines + dots + texts).properties(height=height), width="stretch", key=key)
