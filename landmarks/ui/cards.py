"""The explorer's product and county cards, laid out from ``landmarks.query.cards``.

Data strings reach the page only through ``md`` (Markdown-escaped) or as plain cell
values.  Maintainers' remarks appear only inside the 维护说明 expander.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from landmarks.data.chains import CHAIN_NAMES
from landmarks.data.model import PRECISION_LABELS
from landmarks.data.regions import Regions
from landmarks.query import cards
from landmarks.query.areas import COUNTY_COUNT_RULE, GROUP_OWN, county_names
from landmarks.query.cards import CountyCard, ProductCard
from landmarks.query.labels import UNKNOWN_YEAR, year_text, year_texts
from landmarks.query.selection import Selection
from landmarks.ui import charts
from landmarks.ui import explorer_state as view
from landmarks.ui import share as share_ui
from landmarks.ui.data import Tables
from landmarks.ui.markdown import link, md

_CONFIDENCE_COLORS = {"high": "green", "medium": "orange", "low": "red"}
COUNTY_PRODUCT_PICKER = "county_card_product"
NO_NUMBER = "未注明"


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
    charts.trend_chart(outputs, key)
    shown = outputs.assign(year=year_texts(outputs["year"]))
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


def _zones_and_sites(zones: pd.DataFrame, sites: pd.DataFrame) -> None:
    if not zones.empty:
        st.markdown("**示范区**")
        for zone in zones.itertuples():
            year = "" if (text := year_text(zone.year)) == UNKNOWN_YEAR else f"，{text}年"
            line = f"- **{md(zone.name)}**（{md(zone.level)}{year}）：{md(zone.status)}"
            if zone.source:
                line += f" · {link('来源', str(zone.source))}"
            st.markdown(line)
    if not sites.empty:
        st.markdown("**地标+文旅站点**")
        for site in sites.itertuples():
            st.markdown(
                f"- **{md(site.name)}**（{md(site.site_type)}）{md(site.place)} · {md(site.status)}"
                f" · {md(site.precision)}"
            )


def _card_head(title: str, close_key: str, close_help: str, closes_to: tuple[object, ...]) -> None:
    head, close = st.columns([6, 1], vertical_alignment="center")
    head.header(title, anchor=False)
    close.button(
        ":material/close:", key=close_key, help=close_help, on_click=view.choose, args=closes_to
    )


def _registrations(card: ProductCard) -> None:
    """One row per registration of the family: name, type, number, year."""
    table = card.registrations
    st.markdown(f"**地理标志登记**（{len(table)} 项）")
    st.dataframe(
        table.assign(number=table["number"].replace("", NO_NUMBER), year=year_texts(table["year"])),
        column_config={"name": "登记名称", "gi_type": "类型", "number": "编号", "year": "年份"},
        hide_index=True,
        width="stretch",
        key="product_registrations",
    )
    if len(set(table["name"])) > 1:
        st.caption("以上登记名称同属一个产品（一品多标），合并为一张名片。")


def product_card(card: ProductCard, in_filter: bool) -> None:
    with st.container(border=True, key="product_card"):
        _card_head(
            f"产品名片：{md(card.family)}",
            "close_product",
            "关闭产品名片",
            (None, card.county_adcode or None),
        )
        if card.name != card.family:
            st.caption(f"所选登记名称“{md(card.name)}”属于产品“{md(card.family)}”。")
        _badges(
            (card.chain, "violet" if card.chain in CHAIN_NAMES[:-1] else "gray"),
            *((t, "blue") for t in card.gi_types),
            (f"可信度：{card.confidence_label}", _CONFIDENCE_COLORS.get(card.confidence, "gray")),
            # 跨 N 个县 / 全市范围: the place is wider than one county.
            *([(card.area_label, "gray")] if card.area_label != GROUP_OWN else []),
        )
        chain = f"{md(card.chain)}（{md(card.chain_basis)}）"
        if card.chain_caveat:
            chain += f" ⚠ {md(card.chain_caveat)}"
        precision = f"- **位置精度**：{md(card.precision_label)}"
        if card.precision_label != PRECISION_LABELS["point"]:
            precision += "（地图上的点为示意位置）"
        place = f"{md(card.prefecture)} · {md(card.area_text)}"
        if card.scope_note:
            place += f"（{md(card.scope_note)}）"
        st.markdown(
            "\n".join(
                [
                    f"- **品类**：{md(card.category)}",
                    f"- **地理标志类型**：{md('；'.join(card.gi_types))}",
                    f"- **产业链**：{chain}",
                    f"- **保护范围**：{place}",
                    precision,
                    f"- **来源类型**：{md(card.source_type_label)}",
                ]
            )
        )
        _registrations(card)
        if not in_filter:
            st.caption("该产品不在当前筛选结果中，地图上未显示。")
        if card.sources:
            st.markdown("**来源**：" + " · ".join(link(s.label, s.url) for s in card.sources))
        else:
            st.caption("来源：无可展示的链接（仅见于转载页，或来源未注明）。")
        _zones_and_sites(card.zones, card.sites)
        st.markdown("**公开的产值数据**")
        _outputs(card.outputs, "product")
        with st.popover("二维码", icon=":material/qr_code_2:"):
            share_ui.product_qr(card.name, key="product_card_qr")
        if card.maintainer_note:
            with st.expander("维护说明", icon=":material/build:"):
                st.caption("资料整理时的备注，供数据维护人员核对，可能含英文和来源编号。")
                st.markdown(md(card.maintainer_note))


def county_card(card: CountyCard, prefecture_adcode: str) -> None:
    with st.container(border=True, key="county_card"):
        _card_head(f"县域名片：{md(card.name)}", "close_county", "关闭县域名片", (None, None))
        st.caption(f"{md(card.prefecture)} · 行政区划代码 {md(card.adcode)}")
        counts = st.columns(3)
        counts[0].metric("本县产品", card.product_count, help=COUNTY_COUNT_RULE)
        counts[1].metric("示范区", len(card.zones))
        counts[2].metric("地标+文旅站点", len(card.sites))
        st.caption(f"保护范围覆盖本县的产品（按产品计，一品多标合并）：{md(card.counts_text)}")
        listed = [group for group in card.groups if group.names]
        if listed:
            st.markdown(
                "\n".join(
                    f"- **{md(group.label)}**（{len(group.names)}）："
                    + "、".join(md(name) for name in group.names)
                    for group in listed
                )
            )
            labels = {
                product: name if group.label == GROUP_OWN else f"{name}（{group.label}）"
                for group in listed
                for name, product in zip(group.names, group.products, strict=True)
            }
            st.selectbox(
                "查看产品名片",
                list(labels),
                index=None,
                key=COUNTY_PRODUCT_PICKER,
                format_func=labels.__getitem__,
                placeholder="选择产品",
                on_change=_open_from_county,
                args=(card.adcode,),
                filter_mode=None if len(labels) <= 12 else "contains",
            )
        else:
            st.caption("暂无保护范围覆盖本县的已收录地理标志产品。")
        _zones_and_sites(card.zones, card.sites)
        st.markdown("**产值数据**")
        _outputs(card.outputs, "county")
        st.button(
            "只看覆盖本县的产品",
            icon=":material/filter_alt:",
            key="only_county",
            help="筛选保护范围覆盖本县的产品，含跨县和全市范围的产品。",
            on_click=view.show_only_county,
            args=(prefecture_adcode, card.adcode),
        )


def _open_from_county(county_adcode: str) -> None:
    name = st.session_state.get(COUNTY_PRODUCT_PICKER)
    if name:
        view.choose(name, county_adcode)
    st.session_state[COUNTY_PRODUCT_PICKER] = None


def selection_cards(chosen: Selection, data: Tables, regions: Regions, shown: pd.DataFrame) -> None:
    """The cards of the selected product and county, or a hint how to open them."""
    if chosen.product is None and chosen.county is None:
        st.info(
            "点击地图上的县域或产品圆点，或在下方列表中选中一行，即可查看名片。",
            icon=":material/touch_app:",
        )
    tables = {"products": data.products, "zones": data.zones, "sites": data.sites,
              "outputs": data.outputs}  # fmt: skip
    if chosen.product is not None:
        card = cards.product_card(
            chosen.product,
            **tables,
            sources=data.sources,
            registrations=data.registrations,
            county_names=county_names(regions),
        )
        product_card(card, in_filter=bool((shown["family"] == card.family).any()))
    if chosen.county is not None:
        county = regions.county_by_adcode(chosen.county)
        county_card(
            cards.county_card(
                county.adcode, county.name, county.prefecture, county.prefecture_adcode, **tables
            ),
            county.prefecture_adcode,
        )
