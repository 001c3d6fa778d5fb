"""Widgets of the brand-map explorer: filter sidebar, product and county cards, table.

Data strings only ever reach the page through ``md`` (Markdown-escaped) or as plain cell
values; no HTML is built here, so a product called ``<img src=x onerror=...>`` is text.
"""

from __future__ import annotations

import re

import altair as alt
import pandas as pd
import streamlit as st

from landmarks.data.chains import CHAIN_NAMES
from landmarks.data.model import CATEGORIES, CONFIDENCE_LABELS, GI_TYPES, PRECISION_LABELS
from landmarks.data.regions import Regions
from landmarks.query import export
from landmarks.query.cards import BRAND_VALUE_KIND, OUTPUT_KIND, CountyCard, ProductCard, SourceLink
from landmarks.query.filters import MAX_QUERY_LENGTH
from landmarks.ui import explorer_state as view

_MARKDOWN_SPECIAL = re.compile(r"([!-/:-@\[-`{-~])")
_CONFIDENCE_COLORS = {"high": "green", "medium": "orange", "low": "red"}
EXPORT_BASENAME = "湖北地理标志产品_筛选结果"


def md(text: object) -> str:
    """Markdown-escape a data string so it renders literally (no links, HTML, LaTeX)."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))


def _link(link: SourceLink) -> str:
    # The URL was checked to be http(s) without spaces or quotes; brackets would end the
    # Markdown link early, so they are percent-encoded.
    url = link.url.replace("(", "%28").replace(")", "%29").replace("<", "%3C").replace(">", "%3E")
    return f"[{md(link.label)}](<{url}>)"


# --- sidebar -------------------------------------------------------------------------


def filter_sidebar(
    products: pd.DataFrame, regions: Regions, bounds: tuple[int, int] | None
) -> None:
    """The filter widgets; their values live in session state (see explorer_state)."""
    state = st.session_state
    chain_counts = products["chain"].value_counts()
    with st.sidebar:
        st.markdown("#### 筛选地理标志产品")
        st.text_input(
            "搜索产品名称",
            key=view.QUERY,
            max_chars=MAX_QUERY_LENGTH,
            placeholder="中文、全拼或首字母，如 zigui、zgqc",
            help="不区分大小写，可含空格和全角字符。",
        )
        st.multiselect(
            "产业链",
            CHAIN_NAMES,
            key=view.CHAINS,
            format_func=lambda c: f"{c}（{int(chain_counts.get(c, 0))}）",
            placeholder="全部产业链",
        )
        st.multiselect("品类", CATEGORIES, key=view.CATEGORIES_KEY, placeholder="全部品类")
        st.multiselect(
            "地理标志类型",
            GI_TYPES,
            key=view.GI_TYPES_KEY,
            placeholder="全部类型",
            help="许多产品同时拥有多种地理标志身份，任一身份符合即显示。",
        )
        prefectures = {p.adcode: p.name for p in regions.prefecture_list}
        st.multiselect(
            "市州",
            list(prefectures),
            key=view.PREFECTURES,
            format_func=lambda a: prefectures.get(a, a),
            placeholder="全部市州",
        )
        chosen = set(state.get(view.PREFECTURES) or ())
        counties = [c for c in regions.county_list if not chosen or c.prefecture_adcode in chosen]
        labels = {
            c.adcode: c.name if len(chosen) == 1 else f"{c.prefecture} · {c.name}" for c in counties
        }
        # Counties of a prefecture just deselected would no longer be valid options.
        state[view.COUNTIES] = [a for a in state.get(view.COUNTIES) or () if a in labels]
        st.multiselect(
            "县市区",
            list(labels),
            key=view.COUNTIES,
            format_func=lambda a: labels.get(a, a),
            placeholder="全部县市区" if not chosen else "所选市州的全部县市区",
        )
        if bounds is not None:
            state[view.YEAR_BOUNDS] = bounds
            st.slider(
                "获批年份",
                min_value=bounds[0],
                max_value=bounds[1],
                key=view.YEARS,
                help="取完整范围时也包括年份未注明的产品；缩小范围后只显示有年份的产品。",
            )
        st.multiselect(
            "可信度",
            list(CONFIDENCE_LABELS),
            key=view.CONFIDENCES,
            format_func=lambda c: CONFIDENCE_LABELS[c],
            placeholder="全部",
        )
        st.checkbox(
            "仅看有示范区的产品",
            key=view.ZONE_ONLY,
            help="国家地理标志保护示范区（含筹建）及农产品地理标志示范样板。",
        )
        st.button(
            "重置筛选", icon=":material/restart_alt:", on_click=view.reset_filters, width="stretch"
        )


def notices() -> None:
    items = st.session_state.get(view.NOTICES) or []
    if items:
        st.warning(
            "链接中有无法识别的参数，已忽略：\n\n" + "\n".join(f"- {md(n)}" for n in items),
            icon=":material/link_off:",
        )
        st.button("知道了", key="dismiss_notices", on_click=view.dismiss_notices)


# --- cards ---------------------------------------------------------------------------


def _badges(*items: tuple[str, str]) -> None:
    st.markdown(" ".join(f":{color}-badge[{md(label)}]" for label, color in items))


def _outputs(outputs: pd.DataFrame, key: str) -> None:
    if outputs.empty:
        st.caption("未见公开的产值数据。")
        return
    if (outputs["demo"] != "").any():
        st.warning(
            "含示例数据：以下标注“示例数据”的数值不是公开发布的数据。", icon=":material/science:"
        )
    trend = outputs[outputs["year"].notna() & outputs["kind"].isin([OUTPUT_KIND, BRAND_VALUE_KIND])]
    if trend["year"].nunique() >= 2:
        chart = (
            alt.Chart(trend.astype({"year": int}))
            .mark_line(point=True)
            .encode(
                x=alt.X("year:Q", title="年份", axis=alt.Axis(format="d", tickMinStep=1)),
                y=alt.Y("value:Q", title="亿元"),
                color=alt.Color(
                    "kind:N",
                    scale=alt.Scale(
                        domain=[OUTPUT_KIND, BRAND_VALUE_KIND], range=["#1f77b4", "#d62728"]
                    ),
                    legend=None,
                ),
                tooltip=[
                    alt.Tooltip("year:Q", title="年份", format="d"),
                    alt.Tooltip("metric:N", title="指标"),
                    alt.Tooltip("value_text:N", title="亿元"),
                    alt.Tooltip("demo:N", title="示例"),
                ],
            )
            .properties(height=170)
        )
        st.altair_chart(chart, width="stretch", key=f"{key}_chart")
        st.caption("蓝线：产值/销售额（各年口径不一，仅示趋势）；红线：品牌价值，不是产值。")
    shown = outputs.assign(year=_year_text(outputs["year"]))
    st.dataframe(
        shown[["year", "kind", "metric", "value_text", "scope", "confidence", "demo", "source"]],
        column_config={
            "year": "年份",
            "kind": "类别",
            "metric": "指标",
            "value_text": "数值（亿元）",
            "scope": "口径",
            "confidence": "可信度",
            "demo": "示例数据",
            "source": st.column_config.LinkColumn("来源", display_text="打开"),
        },
        hide_index=True,
        width="stretch",
        key=f"{key}_outputs",
    )


def _year_text(years: pd.Series) -> pd.Series:
    return years.map(lambda y: "未注明" if pd.isna(y) else str(int(y)))


def _zones(zones: pd.DataFrame) -> None:
    for zone in zones.itertuples():
        year = "" if pd.isna(zone.year) else f"，{zone.year}年"
        line = f"- **{md(zone.name)}**（{md(zone.level)}{year}）：{md(zone.status)}"
        if zone.source:
            line += f" · {_link(SourceLink('来源', zone.source))}"
        st.markdown(line)


def _sites(sites: pd.DataFrame) -> None:
    for site in sites.itertuples():
        st.markdown(
            f"- **{md(site.name)}**（{md(site.site_type)}）{md(site.place)} · {md(site.status)}"
            f" · {md(site.precision)}"
        )


def product_card(card: ProductCard, in_filter: bool) -> None:
    with st.container(border=True, key="product_card"):
        head, close = st.columns([6, 1], vertical_alignment="center")
        head.subheader(f"产品名片：{md(card.name)}", anchor=False)
        close.button(
            ":material/close:",
            key="close_product",
            help="关闭产品名片",
            on_click=view.choose,
            args=(None, card.county_adcode or None),
        )
        _badges(
            (card.chain, "violet" if card.chain in CHAIN_NAMES[:-1] else "gray"),
            *((t, "blue") for t in card.gi_types),
            (f"可信度：{card.confidence_label}", _CONFIDENCE_COLORS.get(card.confidence, "gray")),
            (card.precision_label, "gray"),
        )
        year = f"{card.year}年" if card.year else "未注明"
        chain = f"{md(card.chain)}（{md(card.chain_basis)}）"
        if card.chain_caveat:
            chain += f" ⚠ {md(card.chain_caveat)}"
        st.markdown(
            "\n".join(
                [
                    f"- **品类**：{md(card.category)}",
                    f"- **地理标志类型**：{md('；'.join(card.gi_types))}"
                    f"（主要来源所述：{md(card.gi_type)}）",
                    f"- **产业链**：{chain}",
                    f"- **所在地**：{md(card.prefecture)} "
                    f"{md(card.county or '（跨县，标注到市州）')}",
                    f"- **获批年份**：{year}",
                    f"- **位置精度**：{md(card.precision_label)}（地图上的点为示意位置）"
                    if card.precision_label != PRECISION_LABELS["point"]
                    else f"- **位置精度**：{md(card.precision_label)}",
                    f"- **来源类型**：{md(card.source_quality_label)}",
                ]
            )
        )
        if not in_filter:
            st.caption("该产品不在当前筛选结果中，地图上未显示。")
        if card.note:
            st.markdown(f"**说明**：{md(card.note)}")
        if card.sources:
            st.markdown("**来源**：" + " · ".join(_link(s) for s in card.sources))
        else:
            st.caption("来源：无可展示的链接（转载页或未注明）。")
        _zones_and_sites(card.zones, card.sites)
        st.markdown("**公开的产值数据**")
        _outputs(card.outputs, "product")


def _zones_and_sites(zones: pd.DataFrame, sites: pd.DataFrame) -> None:
    if not zones.empty:
        st.markdown("**示范区**")
        _zones(zones)
    if not sites.empty:
        st.markdown("**地标+文旅站点**")
        _sites(sites)


def county_card(card: CountyCard, prefecture_adcode: str) -> None:
    with st.container(border=True, key="county_card"):
        head, close = st.columns([6, 1], vertical_alignment="center")
        head.subheader(f"县域名片：{md(card.name)}", anchor=False)
        close.button(
            ":material/close:",
            key="close_county",
            help="关闭县域名片",
            on_click=view.choose,
            args=(None, None),
        )
        st.caption(f"{md(card.prefecture)} · 行政区划代码 {md(card.adcode)}")
        counts = st.columns(3)
        counts[0].metric("地理标志产品", card.product_count)
        counts[1].metric("示范区", len(card.zones))
        counts[2].metric("地标+文旅站点", len(card.sites))
        if card.products_by_chain:
            st.markdown("**按产业链**")
            st.markdown(
                "\n".join(
                    f"- **{md(chain)}**（{len(names)}）：{'、'.join(md(n) for n in names)}"
                    for chain, names in card.products_by_chain
                )
            )
            names = [n for _, group in card.products_by_chain for n in group]
            st.selectbox(
                "查看本县产品名片",
                names,
                index=None,
                key="county_card_product",
                placeholder="选择产品",
                on_change=_open_from_county,
                args=(card.adcode,),
            )
        else:
            st.caption("本县暂无已收录的地理标志产品。")
        if card.prefecture_wide:
            st.caption(
                f"另有{len(card.prefecture_wide)}个跨县产品只标注到{md(card.prefecture)}："
                + "、".join(md(n) for n in card.prefecture_wide)
            )
        _zones_and_sites(card.zones, card.sites)
        st.markdown("**产值数据**")
        _outputs(card.outputs, "county")
        st.button(
            "只看本县产品",
            icon=":material/filter_alt:",
            key="only_county",
            on_click=view.show_only_county,
            args=(prefecture_adcode, card.adcode),
        )


def _open_from_county(county_adcode: str) -> None:
    name = st.session_state.get("county_card_product")
    if name:
        view.choose(name, county_adcode)
    st.session_state["county_card_product"] = None


# --- table and export ----------------------------------------------------------------


def product_table(products: pd.DataFrame) -> None:
    """The filtered list; selecting a row opens the product card."""
    shown = export.export_frame(products)
    shown["获批年份"] = _year_text(shown["获批年份"])
    st.session_state[view.TABLE_NAMES] = list(
        zip(products["name"], products["county_adcode"], strict=True)
    )
    st.dataframe(
        shown[
            [
                "产品名称",
                "产业链",
                "品类",
                "全部地理标志类型",
                "市州",
                "县市区",
                "获批年份",
                "可信度",
                "位置精度",
                "来源链接",
            ]
        ],
        column_config={
            "来源链接": st.column_config.LinkColumn(display_text="打开"),
        },
        hide_index=True,
        width="stretch",
        height=360,
        key=view.TABLE_KEY,
        on_select=_open_from_table,
        selection_mode="single-row",
    )


def _open_from_table() -> None:
    rows = st.session_state[view.TABLE_KEY].selection.rows
    names = st.session_state.get(view.TABLE_NAMES) or []
    if rows and rows[0] < len(names):
        name, county = names[rows[0]]
        view.choose(name, county or None)


_EXPORT_FORMATS = (
    ("导出 CSV", "csv", "text/csv", export.to_csv_bytes),
    (
        "导出 Excel",
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        export.to_xlsx_bytes,
    ),
)


def export_buttons(products: pd.DataFrame) -> None:
    """CSV and XLSX of the filtered list, generated only when clicked."""
    for column, (label, suffix, mime, encode) in zip(
        st.columns(len(_EXPORT_FORMATS)), _EXPORT_FORMATS, strict=True
    ):
        column.download_button(
            label,
            data=lambda encode=encode: encode(export.export_frame(products)),
            file_name=f"{EXPORT_BASENAME}.{suffix}",
            mime=mime,
            icon=":material/download:",
            on_click="ignore",
            width="stretch",
        )


def chain_summary(products: pd.DataFrame) -> None:
    counts = products["chain"].value_counts()
    parts = [f"{md(chain)} {int(counts[chain])}" for chain in CHAIN_NAMES if counts.get(chain, 0)]
    if parts:
        st.caption("按产业链：" + " · ".join(parts))
