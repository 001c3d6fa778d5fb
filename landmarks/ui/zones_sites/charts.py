"""示范区与文旅: the page's charts (Vega-Lite through altair).

altair is imported on the first chart drawn, as in ``landmarks.ui.charts``: importing it
costs about 0.3 s, which would otherwise delay the page's map after a server start.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import streamlit as st

from landmarks import i18n
from landmarks.i18n import t


def timeline_chart(timeline: pd.DataFrame, colors: Mapping[str, str]) -> None:
    """Each zone's dated events on one time axis, a row per zone, coloured by programme.

    Dates are as precise as the sources (a day, a month or a year): a point stands at the
    first day of the period and its tooltip gives the date as the source wrote it.
    """
    if timeline.empty:
        st.caption(t("来源未给出任何示范区的日期。"))
        return
    import altair as alt

    # Shown as read: zones by their names (with pinyin in English), programmes translated.
    data = timeline.assign(
        when=pd.to_datetime(timeline["when"]),
        zone=timeline["zone"].map(i18n.name, na_action="ignore"),
        programme=timeline["programme"].map(t, na_action="ignore"),
    )
    colors = {t(programme): color for programme, color in colors.items()}
    programmes = [p for p in colors if p in set(data["programme"])]
    base = alt.Chart(data).encode(
        x=alt.X("when:T", title=None, axis=alt.Axis(format="%Y", tickCount="year")),
        y=alt.Y(
            "zone:N",
            title=None,
            sort=list(dict.fromkeys(data.sort_values("when")["zone"])),
            axis=alt.Axis(labelLimit=260),
        ),
        color=alt.Color(
            "programme:N",
            title=t("所属体系"),
            scale=alt.Scale(domain=programmes, range=[colors[p] for p in programmes]),
            legend=alt.Legend(orient="bottom"),
        ),
        tooltip=[
            alt.Tooltip("zone:N", title=t("示范区")),
            alt.Tooltip("date:N", title=t("日期")),
            alt.Tooltip("event:N", title=t("事件")),
            alt.Tooltip("programme:N", title=t("所属体系")),
        ],
    )
    lines = base.mark_line(strokeWidth=2, opacity=0.5).encode(detail="zone:N")
    points = base.mark_point(size=90, filled=True, opacity=1)
    labels = base.mark_text(dy=-10, fontSize=10, color="#444").encode(
        text="date:N", color=alt.value("#444")
    )
    height = 34 * data["zone"].nunique() + 40
    st.altair_chart(
        (lines + points + labels).properties(height=height),
        width="stretch",
        key="zs_timeline",
    )
    st.caption(
        t(
            "每行一个示范区，点为来源写明的日期（只写到年或月的，点在该年或该月的第一天）；"
            "悬停可见事件。来源未写日期的示范区以其年份为准，无年份者不在图中。"
        )
    )


def target_chart(by_kind: pd.DataFrame, colors: Mapping[str, str]) -> None:
    """Recorded sites against each kind's 2026 target: a pale bar for the target, the
    recorded count over it in the kind's colour, the count as text."""
    import altair as alt

    labels = zip(by_kind["recorded"], by_kind["target"], strict=True)
    data = by_kind.assign(
        label=[f"{recorded} / {target}" for recorded, target in labels],
        site_type=by_kind["site_type"].map(t, na_action="ignore"),
    )
    colors = {t(kind): color for kind, color in colors.items()}
    kinds = list(data["site_type"])
    y = alt.Y("site_type:N", title=None, sort=kinds, axis=alt.Axis(labelLimit=160))
    target = (
        alt.Chart(data)
        .mark_bar(color="#e8e2d6", size=18)
        .encode(x=alt.X("target:Q", title=t("站点数")), y=y)
    )
    recorded = (
        alt.Chart(data)
        .mark_bar(size=18)
        .encode(
            x="recorded:Q",
            y=y,
            color=alt.Color(
                "site_type:N",
                scale=alt.Scale(domain=kinds, range=[colors.get(k, "#757575") for k in kinds]),
                legend=None,
            ),
            tooltip=[
                alt.Tooltip("site_type:N", title=t("类型")),
                alt.Tooltip("recorded:Q", title=t("已录入")),
                alt.Tooltip("target:Q", title=t("2026 目标")),
            ],
        )
    )
    text = (
        alt.Chart(data)
        .mark_text(align="left", dx=4, fontSize=11, color="#333")
        .encode(x="target:Q", y=y, text="label:N")
    )
    st.altair_chart(
        (target + recorded + text).properties(height=34 * len(data) + 30),
        width="stretch",
        key="zs_target_chart",
    )
