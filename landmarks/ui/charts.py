"""Charts (Vega-Lite through altair, or a plain Vega-Lite spec on the first page).

altair is imported on the first chart drawn with it: importing it costs about 0.4 s,
which would otherwise delay every page's first map after a server start.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from landmarks.data.chains import chain_colors, grouping_label
from landmarks.i18n import t
from landmarks.query.cards import BRAND_VALUE_KIND, OUTPUT_KIND
from landmarks.query.output_values import is_approximate, series_key


def chain_chart(chain_counts: pd.Series) -> None:
    """Products per chain as horizontal bars in the chains' colours.

    Drawn from a Vega-Lite spec through ``st.vega_lite_chart`` rather than altair: this
    chart is on the first page a visitor opens, and importing altair (about 0.4 s) would
    delay the first map after a server start."""
    chart_data = pd.DataFrame(
        {"chain": [t(chain) for chain in chain_counts.index], "count": chain_counts.to_numpy()}
    )
    colors = chain_colors()
    st.vega_lite_chart(
        chart_data,
        {
            "mark": {"type": "bar"},
            "encoding": {
                "x": {"field": "count", "type": "quantitative", "title": None},
                "y": {"field": "chain", "type": "nominal", "sort": None, "title": None},
                "color": {
                    "field": "chain",
                    "type": "nominal",
                    "scale": {
                        "domain": [t(chain) for chain in colors],
                        "range": list(colors.values()),
                    },
                    "legend": None,
                },
                "tooltip": [
                    {"field": "chain", "type": "nominal", "title": t(grouping_label())},
                    {"field": "count", "type": "quantitative", "title": t("产品数")},
                ],
            },
        },
        width="stretch",
    )


def trend_chart(outputs: pd.DataFrame, key: str) -> None:
    """Output and brand-value figures over the years, when there are two years or more.

    A line joins only figures of one metric and one scope (``output_values.series_key``):
    秭归's 2007 销售收入 and 2016 年产值 are separate points, not a rise.  Approximate
    figures (超, 近, 突破…) are hollow points."""
    import altair as alt

    trend = outputs[outputs["year"].notna() & outputs["kind"].isin([OUTPUT_KIND, BRAND_VALUE_KIND])]
    if trend["year"].nunique() < 2:
        return
    trend = trend.astype({"year": int}).assign(
        series=[series_key(m, s) for m, s in zip(trend["metric"], trend["scope"], strict=True)],
        exact=[not is_approximate(text) for text in trend["value_text"]],
        demo=trend["demo"].map(t),
    )
    base = alt.Chart(trend).encode(
        x=alt.X("year:Q", title=t("年份"), axis=alt.Axis(format="d", tickMinStep=1)),
        y=alt.Y("value:Q", title=t("亿元")),
        color=alt.Color(
            "kind:N",
            scale=alt.Scale(domain=[OUTPUT_KIND, BRAND_VALUE_KIND], range=["#1f77b4", "#d62728"]),
            legend=None,
        ),
        tooltip=[
            alt.Tooltip("year:Q", title=t("年份"), format="d"),
            alt.Tooltip("metric:N", title=t("指标")),
            alt.Tooltip("value_text:N", title=t("亿元")),
            alt.Tooltip("scope:N", title=t("口径")),
            alt.Tooltip("demo:N", title=t("示例")),
        ],
    )
    lines = base.mark_line().encode(detail="series:N")
    kinds = alt.Scale(domain=[OUTPUT_KIND, BRAND_VALUE_KIND], range=["#1f77b4", "#d62728"])
    points = base.mark_point(size=60, strokeWidth=2).encode(
        fill=alt.condition(
            "datum.exact",
            alt.Fill("kind:N", scale=kinds, legend=None),
            alt.value("white"),
        ),
    )
    st.altair_chart((lines + points).properties(height=170), width="stretch", key=f"{key}_chart")
    st.caption(
        t(
            "蓝色：产值/销售额；红色：品牌价值，不是产值。同一条线只连接同一指标、同一口径的"
            "数字，口径不同的数字不连线，不能据此判断增减；空心点为概数（超、近、突破等）。"
        )
    )
