"""The explorer's product and county cards, laid out from ``landmarks.query.cards``.

Data strings reach the page only through ``md`` (Markdown-escaped) or as plain cell
values.  Maintainers' remarks appear only inside the 维护说明 expander.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from landmarks import i18n
from landmarks.data.chains import chain_names, other_group
from landmarks.data.model import PRECISION_LABELS
from landmarks.data.region import has_chain_vocabulary
from landmarks.data.regions import Regions
from landmarks.i18n import N_, t
from landmarks.query import cards
from landmarks.query.areas import COUNTY_COUNT_RULE, GROUP_OWN, county_names
from landmarks.query.cards import CountyCard, ProductCard
from landmarks.query.labels import UNKNOWN_YEAR, year_text, year_texts
from landmarks.query.selection import Selection
from landmarks.ui import charts
from landmarks.ui import explorer_state as view
from landmarks.ui import region as region_ui
from landmarks.ui import share as share_ui
from landmarks.ui.data import Tables
from landmarks.ui.markdown import link, md

_CONFIDENCE_COLORS = {"high": "green", "medium": "orange", "low": "red"}
COUNTY_PRODUCT_PICKER = "county_card_product"
NO_NUMBER = N_("未注明")


def _badges(*items: tuple[str, str]) -> None:
    st.markdown(" ".join(f":{color}-badge[{md(label)}]" for label, color in items))


def _outputs(outputs: pd.DataFrame, key: str) -> None:
    if outputs.empty:
        st.caption(t("未见公开的产值数据。"))
        return
    if (outputs["demo"] != "").any():
        st.warning(
            t("含示例数据：以下标注“示例数据”的数值不是公开发布的数据。"),
            icon=":material/science:",
        )
    charts.trend_chart(outputs, key)
    shown = outputs.assign(
        year=year_texts(outputs["year"]),
        kind=outputs["kind"].map(t),
        confidence=outputs["confidence"].map(t),
        demo=outputs["demo"].map(t),
    )
    st.dataframe(
        shown[["year", "kind", "metric", "value_text", "scope", "confidence", "demo", "source"]],
        column_config={
            "year": t("年份"),
            "kind": t("类别"),
            "metric": t("指标"),
            "value_text": t("数值（亿元）"),
            "scope": t("口径"),
            "confidence": t("可信度"),
            "demo": t("示例数据"),
            "source": st.column_config.LinkColumn(t("来源"), display_text=t("打开")),
        },
        hide_index=True,
        width="stretch",
        key=f"{key}_outputs",
    )


def _zones_and_sites(zones: pd.DataFrame, sites: pd.DataFrame) -> None:
    if not zones.empty:
        st.markdown(t("**示范区**"))
        for zone in zones.itertuples():
            values = {
                "name": md(i18n.name(str(zone.name))),
                "level": md(t(str(zone.level))),
                "status": md(t(str(zone.status))),
            }
            if (text := year_text(zone.year)) in (UNKNOWN_YEAR, t(UNKNOWN_YEAR)):
                line = t("- **{name}**（{level}）：{status}", **values)
            else:
                line = t("- **{name}**（{level}，{year}年）：{status}", year=text, **values)
            if zone.source:
                line += f" · {link(t('来源'), str(zone.source))}"
            st.markdown(line)
    if not sites.empty:
        st.markdown(t("**地标+文旅站点**"))
        for site in sites.itertuples():
            st.markdown(
                t(
                    "- **{name}**（{kind}）{place} · {status} · {precision}",
                    name=md(i18n.name(str(site.name))),
                    kind=md(t(str(site.site_type))),
                    place=md(site.place),
                    status=md(t(str(site.status))),
                    precision=md(t(str(site.precision))),
                )
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
    st.markdown(t("**地理标志登记**（{count} 项）", count=len(table)))
    st.dataframe(
        table.assign(
            name=table["name"].map(i18n.name),
            gi_type=table["gi_type"].map(t),
            number=table["number"].replace("", t(NO_NUMBER)),
            year=year_texts(table["year"]),
        ),
        column_config={
            "name": t("登记名称"),
            "gi_type": t("类型"),
            "number": t("编号"),
            "year": t("年份"),
        },
        hide_index=True,
        width="stretch",
        key="product_registrations",
    )
    if len(set(table["name"])) > 1:
        st.caption(t("以上登记名称同属一个产品（一品多标），合并为一张名片。"))


def _list(items: tuple[str, ...] | list[str]) -> str:
    """Vocabulary values (GI types) as a list, each translated."""
    return t("；").join(t(item) for item in items)


def product_card(card: ProductCard, in_filter: bool) -> None:
    with st.container(border=True, key="product_card"):
        _card_head(
            t("产品名片：{name}", name=md(i18n.name(card.family))),
            "close_product",
            t("关闭产品名片"),
            (None, card.county_adcode or None),
        )
        if card.name != card.family:
            st.caption(
                t(
                    "所选登记名称“{name}”属于产品“{family}”。",
                    name=md(i18n.name(card.name)),
                    family=md(i18n.name(card.family)),
                )
            )
        wider = card.area_label not in (GROUP_OWN, t(GROUP_OWN))
        _badges(
            (t(card.chain), "violet" if _grouped(card.chain) else "gray"),
            *((t(gi_type), "blue") for gi_type in card.gi_types),
            (
                t("可信度：{level}", level=t(card.confidence_label)),
                _CONFIDENCE_COLORS.get(card.confidence, "gray"),
            ),
            # 跨 N 个县 / 全市范围: the place is wider than one county.
            *([(t(card.area_label), "gray")] if wider else []),
        )
        chain = t("{chain}（{basis}）", chain=md(t(card.chain)), basis=md(t(card.chain_basis)))
        if card.chain_caveat:
            chain += f" ⚠ {md(t(card.chain_caveat))}"
        precision = t("- **位置精度**：{precision}", precision=md(t(card.precision_label)))
        point = PRECISION_LABELS["point"]
        if card.precision_label not in (point, t(point)):
            precision += t("（地图上的点为示意位置）")
        place = f"{md(i18n.name(card.prefecture))} · {md(card.area_text)}"
        if card.scope_note:
            place += t("（{note}）", note=md(card.scope_note))
        st.markdown(
            "\n".join(
                [
                    t("- **品类**：{category}", category=md(t(card.category))),
                    t("- **地理标志类型**：{types}", types=md(_list(card.gi_types))),
                    *([t("- **产业链**：{chain}", chain=chain)] if has_chain_vocabulary() else []),
                    t("- **保护范围**：{place}", place=place),
                    precision,
                    t("- **来源类型**：{kind}", kind=md(t(card.source_type_label))),
                ]
            )
        )
        _registrations(card)
        if not in_filter:
            st.caption(t("该产品不在当前筛选结果中，地图上未显示。"))
        if card.sources:
            links = " · ".join(link(s.label, s.url) for s in card.sources)
            st.markdown(t("**来源**：{links}", links=links))
        else:
            st.caption(t("来源：无可展示的链接（仅见于转载页，或来源未注明）。"))
        _zones_and_sites(card.zones, card.sites)
        st.markdown(t("**公开的产值数据**"))
        _outputs(card.outputs, "product")
        with st.popover(t("二维码"), icon=":material/qr_code_2:"):
            share_ui.product_qr(card.name, key="product_card_qr")
        if card.maintainer_note:
            with st.expander(t("维护说明"), icon=":material/build:"):
                st.caption(t("资料整理时的备注，供数据维护人员核对，可能含英文和来源编号。"))
                st.markdown(md(card.maintainer_note))


def county_card(card: CountyCard, prefecture_adcode: str) -> None:
    with st.container(border=True, key="county_card"):
        _card_head(
            t("县域名片：{name}", name=md(i18n.name(card.name))),
            "close_county",
            t("关闭县域名片"),
            (None, None),
        )
        st.caption(
            t(
                "{prefecture} · 行政区划代码 {adcode}",
                prefecture=md(i18n.name(card.prefecture)),
                adcode=md(card.adcode),
            )
        )
        counts = st.columns(3)
        counts[0].metric(t("本县产品"), card.product_count, help=t(COUNTY_COUNT_RULE))
        counts[1].metric(t("示范区"), len(card.zones))
        counts[2].metric(t("地标+文旅站点"), len(card.sites))
        st.caption(
            t(
                "保护范围覆盖本县的产品（按产品计，一品多标合并）：{counts}",
                counts=md(card.counts_text),
            )
        )
        listed = [group for group in card.groups if group.names]
        if listed:
            st.markdown(
                "\n".join(
                    t(
                        "- **{group}**（{count}）：{names}",
                        group=md(t(group.label)),
                        count=len(group.names),
                        names=md(i18n.names(list(group.names))),
                    )
                    for group in listed
                )
            )
            labels = {
                product: i18n.name(name)
                if group.label in (GROUP_OWN, t(GROUP_OWN))
                else t("{name}（{group}）", name=i18n.name(name), group=t(group.label))
                for group in listed
                for name, product in zip(group.names, group.products, strict=True)
            }
            st.selectbox(
                t("查看产品名片"),
                list(labels),
                index=None,
                key=COUNTY_PRODUCT_PICKER,
                format_func=labels.__getitem__,
                placeholder=t("选择产品"),
                on_change=_open_from_county,
                args=(card.adcode,),
                filter_mode="contains",
            )
        else:
            st.caption(t("暂无保护范围覆盖本县的已收录地理标志产品。"))
        _zones_and_sites(card.zones, card.sites)
        st.markdown(t("**产值数据**"))
        _outputs(card.outputs, "county")
        st.button(
            t("只看覆盖本县的产品"),
            icon=":material/filter_alt:",
            key="only_county",
            help=t("筛选保护范围覆盖本县的产品，含跨县和全市范围的产品。"),
            on_click=view.show_only_county,
            args=(prefecture_adcode, card.adcode),
        )


def _grouped(chain: str) -> bool:
    """A product in one of the region's groups (a chain; a category but 其他 elsewhere)."""
    return chain in chain_names() and chain != other_group()


def _open_from_county(county_adcode: str) -> None:
    name = st.session_state.get(COUNTY_PRODUCT_PICKER)
    if name:
        view.choose(name, county_adcode)
    st.session_state[COUNTY_PRODUCT_PICKER] = None


def selection_cards(chosen: Selection, data: Tables, regions: Regions, shown: pd.DataFrame) -> None:
    """The cards of the selected product and county, or a hint how to open them."""
    if chosen.product is None and chosen.county is None:
        hint = (  # a region before its first import has no dots and no list
            t("点击地图上的县域，即可查看县域名片。")
            if region_ui.is_empty(data.products)
            else t("点击地图上的县域或产品圆点，或在下方列表中选中一行，即可查看名片。")
        )
        st.info(hint, icon=":material/touch_app:")
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
