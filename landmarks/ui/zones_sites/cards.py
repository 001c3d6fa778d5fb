"""示范区与文旅: the panel beside the map — headline figures, then the open site or zone
card, or an overview of the zones and of the sites by kind."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

import pandas as pd
import streamlit as st

from landmarks.maps.site_kinds import KIND_BY_NAME, SITE_KINDS
from landmarks.query import sites, zones
from landmarks.ui import data as ui_data
from landmarks.ui import mapview
from landmarks.ui import share as share_ui
from landmarks.ui.markdown import link, md
from landmarks.ui.zones_sites.state import (
    EXPLORER_PAGE,
    Q_ZONE,
    SITES_PAGE,
    Prepared,
    View,
    open_site,
    open_zone,
    products_near_site,
)


def _product_links(names: Sequence[str]) -> str:
    """Links to the products' cards on the explorer (relative: the app's own pages)."""
    return "、".join(link(name, f"{EXPLORER_PAGE}?product={quote(name)}") for name in names)


def _county_link(adcode: str, county: str) -> str:
    return link(f"{county}县域名片", f"{EXPLORER_PAGE}?county={quote(adcode)}")


def _sources(links: Sequence[Any]) -> None:
    if links:
        st.markdown("来源：" + " · ".join(link(s.label, s.url) for s in links))
    else:
        st.caption("来源：未附可公开的链接。")


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
    head.header(f"站点名片：{card.name}", anchor=False)
    close.button(
        "", icon=":material/close:", key="zs_close_site", help="关闭名片", on_click=open_site,
        args=(None,),
    )  # fmt: skip
    kind = KIND_BY_NAME.get(card.site_type)
    color = "violet" if kind is None else "blue"
    st.markdown(
        f":{color}-badge[{md(card.site_type)}] :gray-badge[{md(card.place_precision)}] "
        f":green-badge[可信度{md(card.confidence_label)}]"
    )
    st.markdown(f"**地点**：{md(_place_line(card.prefecture, card.place)) or '未注明'}")
    st.caption(card.precision_text)
    if card.products:
        st.markdown(f"**关联地理标志产品**：{_product_links(card.products)}")
    if card.other_products:
        st.markdown(f"**来源提及但未收录的产品**：{md('、'.join(card.other_products))}")
    if not card.products and not card.other_products:
        st.markdown("**关联地理标志产品**：未注明")
    st.markdown(f"**开放/状态**：{md(card.status) or '未注明'}")
    if card.note:
        st.markdown(f"**说明**：{md(card.note)}")
    if card.county_adcode:
        st.markdown(_county_link(card.county_adcode, card.county))
    _sources(card.sources)
    near = products_near_site(data, card.name)
    if not near.empty:
        st.markdown("**本县及邻县的地理标志产品**")
        st.dataframe(
            near[["name", "relation", "km_text"]].head(8),
            column_config={"name": "产品", "relation": "关系", "km_text": "距离"},
            hide_index=True,
            width="stretch",
            key="zs_card_near",
        )
    with st.popover("二维码", icon=":material/qr_code_2:"):
        share_ui.site_qr(card.name, key="site_card_qr")
    if card.maintainer_note:
        with st.expander("维护说明"):
            st.caption(md(card.maintainer_note))


def zone_card(prep: Prepared, name: str) -> None:
    found = prep.zones[prep.zones["name"] == name]
    if found.empty:
        return
    row = found.iloc[0]
    head, close = st.columns([5, 1], vertical_alignment="center")
    head.header(f"示范区：{row['name']}", anchor=False)
    close.button(
        "", icon=":material/close:", key="zs_close_zone", help="关闭名片", on_click=open_zone,
        args=(None,),
    )  # fmt: skip
    other = row["programme"] == zones.PROGRAMME_OTHER
    st.markdown(
        f":{'green' if other else 'orange'}-badge[{md(row['programme'])}] "
        f":blue-badge[{md(row['phase'])}] :gray-badge[可信度{md(row['confidence_label'])}]"
    )
    if other:
        st.info("此项属其他部门的项目，不是国家知识产权局的地理标志产品保护示范区。")
    st.markdown(f"**级别**：{md(row['level']) or '未注明'}")
    st.markdown(f"**来源所述状态**：{md(row['status']) or '未注明'}")
    if row["dates"]:
        st.markdown(f"**已知日期**：{md('、'.join(row['dates']))}")
    products = list(row["products"])
    if products:
        st.markdown(f"**地理标志产品**：{_product_links(products)}")
    else:
        st.markdown(f"**地理标志产品**：{md(row['product'])}（未见于产品名录）")
    if row["county_adcode"]:
        st.markdown(
            f"**所在地**：{md(_place_line(str(row['prefecture']), str(row['county'])))} · "
            + _county_link(str(row["county_adcode"]), str(row["county"]))
        )
    if row["note"]:
        st.caption(md(row["note"]))
    _sources(row["sources"])


def side_panel(data: ui_data.Tables, prep: Prepared, view: View, shown: pd.DataFrame) -> None:
    """Beside the map: headline figures, then the open card, or an overview of the zones
    and of the sites by kind with how to open a card."""
    national = int((prep.zones["programme"] == zones.PROGRAMME_CNIPA).sum())
    target = int(sum(sites.targets_by_kind(data.sites)["target"]))
    st.markdown(
        f"国家级示范区 **{national}** 个 · 地图上的站点 **{len(shown)}** / {len(data.sites)} 个"
        f" · 2026 站点目标 **{target}** 个",
        help=f"示范区含筹建，其他部门项目另列；站点为显示数 / 已录入数。{sites.TARGET_CAVEAT}。",
    )
    with st.container(height=mapview.MAP_HEIGHT - 60, border=False):
        if view.site and view.site in set(data.sites["name"]):
            site_card(data, view.site)
        elif view.zone and view.zone in set(prep.zones["name"]):
            zone_card(prep, view.zone)
        else:
            _overview(data, prep, shown)


def _overview(data: ui_data.Tables, prep: Prepared, shown: pd.DataFrame) -> None:
    st.info(
        "点击地图上的站点图标查看站点名片，点击示范区徽标查看示范区名片；"
        "侧栏可开关各类站点图层，并按市州、县市区、关联产品筛选。",
        icon=":material/touch_app:",
    )
    st.markdown("**示范区**")
    for row in prep.zones.to_dict("records"):
        color = "green" if row["programme"] == zones.PROGRAMME_OTHER else "orange"
        where = f"（{row['county']}）" if row["county"] else ""
        # A link to the zone's card: it also gives keyboard users a stop in this scrolling
        # panel (a scrollable region without focusable content cannot be scrolled by keys).
        zone_link = link(row["name"], f"{SITES_PAGE}?{Q_ZONE}={quote(row['name'])}")
        st.markdown(f":{color}-badge[{md(row['phase'])}] {zone_link}{md(where)}")
    st.markdown("**地标+文旅站点（地图上 / 已录入）**")
    on_map = shown["site_type"].value_counts()
    recorded = data.sites["site_type"].value_counts()
    st.markdown(
        "  \n".join(
            f"{kind.glyph} {kind.name}：{int(on_map.get(kind.name, 0))} / "
            f"{int(recorded.get(kind.name, 0))}"
            for kind in SITE_KINDS
        )
    )
