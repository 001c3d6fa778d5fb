"""示范区与文旅: the panel beside the map — headline figures, then the open site or zone
card, or an overview of the zones and of the sites by kind."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd
import streamlit as st

from landmarks import i18n
from landmarks.data import region
from landmarks.i18n import t
from landmarks.maps.site_kinds import KIND_BY_NAME, SITE_KINDS
from landmarks.query import sites, zones
from landmarks.ui import card_scroll, mapview
from landmarks.ui import data as ui_data
from landmarks.ui import share as share_ui
from landmarks.ui.markdown import link, md, page_link
from landmarks.ui.zones_sites.state import (
    EXPLORER_PAGE,
    Q_ZONE,
    SITES_PAGE,
    Prepared,
    View,
    glyph,
    open_site,
    open_zone,
    products_near_site,
)

CARDS = "zs_cards"  # the container of the cards beside the map


def _product_links(names: Sequence[str]) -> str:
    """Links to the products' cards on the explorer (relative: the app's own pages)."""
    return i18n.joined(page_link(i18n.name(name), EXPLORER_PAGE, product=name) for name in names)


def _county_link(adcode: str, county: str) -> str:
    label = t("{county}县域名片", county=i18n.name(county))
    return page_link(label, EXPLORER_PAGE, county=adcode)


def _sources(links: Sequence[Any]) -> None:
    if links:
        st.markdown(t("来源：{links}", links=" · ".join(link(s.label, s.url) for s in links)))
    else:
        st.caption(t("来源：未附可公开的链接。"))


def _place_line(prefecture: str, place: str) -> str:
    """The prefecture, then the place as users read it (which starts with the county),
    a name repeated by the two left out (潜江市 is a prefecture-level county)."""
    words: list[str] = []
    for word in f"{prefecture} {place}".split():
        if not words or words[-1] != word:
            words.append(word)
    return " ".join(words)


def site_card(data: ui_data.Tables, name: str) -> None:
    card = sites.site_card(name, sites=data.sites, products=data.products, sources=data.sources)
    head, close = st.columns([5, 1], vertical_alignment="center")
    head.header(t("站点名片：{name}", name=md(i18n.name(card.name))), anchor=False)
    close.button(
        "", icon=":material/close:", key="zs_close_site", help=t("关闭名片"), on_click=open_site,
        args=(None,),
    )  # fmt: skip
    kind = KIND_BY_NAME.get(card.site_type)
    color = "violet" if kind is None else "blue"
    confidence = t("可信度{level}", level=md(t(card.confidence_label)))
    st.markdown(
        f":{color}-badge[{md(t(card.site_type))}] :gray-badge[{md(t(card.place_precision))}] "
        f":green-badge[{confidence}]"
    )
    unstated = t("未注明")
    place = md(_place_line(card.prefecture, card.place)) or unstated
    st.markdown(t("**地点**：{place}", place=place))
    st.caption(md(card.precision_text))
    if card.products:
        st.markdown(t("**关联地理标志产品**：{products}", products=_product_links(card.products)))
    if card.other_products:
        other = md(i18n.names(list(card.other_products)))
        st.markdown(t("**来源提及但未收录的产品**：{products}", products=other))
    if not card.products and not card.other_products:
        st.markdown(t("**关联地理标志产品**：{products}", products=unstated))
    st.markdown(t("**开放/状态**：{status}", status=md(card.status) or unstated))
    if card.note:
        st.markdown(t("**说明**：{note}", note=md(card.note)))
    if card.county_adcode:
        st.markdown(_county_link(card.county_adcode, card.county))
    _sources(card.sources)
    near = products_near_site(data, card.name)
    if not near.empty:
        st.markdown("**" + t("本县及邻县的地理标志产品") + "**")
        shown = near[["name", "relation", "km_text"]].head(8)
        st.dataframe(
            shown.assign(
                name=shown["name"].map(i18n.name, na_action="ignore"),
                relation=shown["relation"].map(t, na_action="ignore"),
            ),
            column_config={"name": t("产品"), "relation": t("关系"), "km_text": t("距离")},
            hide_index=True,
            width="stretch",
            key="zs_card_near",
        )
    with st.popover(t("二维码"), icon=":material/qr_code_2:"):
        share_ui.site_qr(card.name, key="site_card_qr")
    if card.maintainer_note:
        with st.expander(t("维护说明")):
            st.caption(md(card.maintainer_note))


def zone_card(prep: Prepared, name: str) -> None:
    found = prep.zones[prep.zones["name"] == name]
    if found.empty:
        return
    row = found.iloc[0]
    head, close = st.columns([5, 1], vertical_alignment="center")
    head.header(t("示范区：{name}", name=md(i18n.name(row["name"]))), anchor=False)
    close.button(
        "", icon=":material/close:", key="zs_close_zone", help=t("关闭名片"), on_click=open_zone,
        args=(None,),
    )  # fmt: skip
    other = row["programme"] == zones.PROGRAMME_OTHER
    programme, phase, level = (str(row[column]) for column in ("programme", "phase", "level"))
    confidence = t("可信度{level}", level=md(t(str(row["confidence_label"]))))
    st.markdown(
        f":{'green' if other else 'orange'}-badge[{md(t(programme))}] "
        f":blue-badge[{md(t(phase))}] :gray-badge[{confidence}]"
    )
    if other:
        st.info(t("此项属其他部门的项目，不是国家知识产权局的地理标志产品保护示范区。"))
    unstated = t("未注明")
    st.markdown(t("**级别**：{level}", level=md(t(level)) or unstated))
    st.markdown(t("**来源所述状态**：{status}", status=md(row["status"]) or unstated))
    if row["dates"]:
        st.markdown(t("**已知日期**：{dates}", dates=md(i18n.joined(row["dates"]))))
    products = list(row["products"])
    if products:
        st.markdown(t("**地理标志产品**：{products}", products=_product_links(products)))
    else:
        product = md(i18n.name(row["product"]))
        st.markdown(t("**地理标志产品**：{product}（未见于产品名录）", product=product))
    if row["county_adcode"]:
        place = md(_place_line(str(row["prefecture"]), str(row["county"])))
        county_link = _county_link(str(row["county_adcode"]), str(row["county"]))
        st.markdown(t("**所在地**：{place} · {county_card}", place=place, county_card=county_link))
    if row["note"]:
        st.caption(md(row["note"]))
    _sources(row["sources"])


def side_panel(data: ui_data.Tables, prep: Prepared, view: View, shown: pd.DataFrame) -> None:
    """Beside the map: headline figures, then the open card, or an overview of the zones
    and of the sites by kind with how to open a card."""
    national = int((prep.zones["programme"] == zones.PROGRAMME_CNIPA).sum())
    if not region.site_targets():  # a region without Hubei's site targets
        st.markdown(
            t(
                "国家级示范区 **{zones}** 个 · 地图上的站点 **{shown}** / {recorded} 个",
                zones=national,
                shown=len(shown),
                recorded=len(data.sites),
            ),
            help=t("示范区含筹建，其他部门项目另列；站点为显示数 / 已录入数。"),
        )
    else:
        _figures_with_target(data, national, shown)
    # A panel that scrolls beside the map; on phones the page scrolls to the card a tap
    # opened instead (page.css, ui/card_scroll.py).
    with st.container(height=mapview.MAP_HEIGHT - 60, border=False, key=CARDS):
        _open_card(data, prep, view, shown)


def _figures_with_target(data: ui_data.Tables, national: int, shown: pd.DataFrame) -> None:
    target = int(sum(sites.targets_by_kind(data.sites)["target"]))
    st.markdown(
        t(
            "国家级示范区 **{zones}** 个 · 地图上的站点 **{shown}** / {recorded} 个"
            " · 2026 站点目标 **{target}** 个",
            zones=national,
            shown=len(shown),
            recorded=len(data.sites),
            target=target,
        ),
        help=t(
            "示范区含筹建，其他部门项目另列；站点为显示数 / 已录入数。{caveat}。",
            caveat=t(sites.TARGET_CAVEAT),
        ),
    )


def _open_card(data: ui_data.Tables, prep: Prepared, view: View, shown: pd.DataFrame) -> None:
    if view.site and view.site in set(data.sites["name"]):
        site_card(data, view.site)
    elif view.zone and view.zone in set(prep.zones["name"]):
        zone_card(prep, view.zone)
    else:
        _overview(data, prep, shown)
    card_scroll.bring_into_view(CARDS)


def _overview(data: ui_data.Tables, prep: Prepared, shown: pd.DataFrame) -> None:
    st.info(
        t(
            "点击地图上的站点图标查看站点名片，点击示范区徽标查看示范区名片；"
            "侧栏可开关各类站点图层，并按市州、县市区、关联产品筛选。"
        ),
        icon=":material/touch_app:",
    )
    st.markdown("**" + t("示范区") + "**")
    for row in prep.zones.to_dict("records"):
        color = "green" if row["programme"] == zones.PROGRAMME_OTHER else "orange"
        where = t("（{county}）", county=i18n.name(row["county"])) if row["county"] else ""
        # A link to the zone's card: it also gives keyboard users a stop in this scrolling
        # panel (a scrollable region without focusable content cannot be scrolled by keys).
        zone_link = page_link(i18n.name(row["name"]), SITES_PAGE, **{Q_ZONE: row["name"]})
        phase = t(str(row["phase"]))
        st.markdown(f":{color}-badge[{md(phase)}] {zone_link}{md(where)}")
    st.markdown("**" + t("地标+文旅站点（地图上 / 已录入）") + "**")
    on_map = shown["site_type"].value_counts()
    recorded = data.sites["site_type"].value_counts()
    st.markdown(
        "  \n".join(
            t(
                "{glyph} {kind}：{shown} / {recorded}",
                glyph=glyph(kind),
                kind=t(kind.name),
                shown=int(on_map.get(kind.name, 0)),
                recorded=int(recorded.get(kind.name, 0)),
            )
            for kind in SITE_KINDS
        )
    )
