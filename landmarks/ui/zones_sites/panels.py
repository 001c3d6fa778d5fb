"""示范区与文旅: the tabs below the map other than the route — 示范区 (zones and their
timeline), 站点列表 (the sites shown), 目标进度 (the 2026 targets) and 周边查询 (the nearby
search) — and the CSV / Excel export of their tables."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from landmarks import i18n
from landmarks.data import region
from landmarks.data.model import SITE_TYPES
from landmarks.data.regions import Regions
from landmarks.i18n import t
from landmarks.maps import zones_sites as zmap
from landmarks.maps.site_kinds import SITE_KINDS
from landmarks.query import nearby, sites, zones
from landmarks.ui import data as ui_data
from landmarks.ui.markdown import md
from landmarks.ui.output_map import export_buttons
from landmarks.ui.zones_sites import charts
from landmarks.ui.zones_sites.layers import Overlay, circle_bounds, default_frame, points_frame
from landmarks.ui.zones_sites.state import (
    EXPLORER_PAGE,
    KM_CHOICES,
    NEAR_BY_SITE,
    NEAR_KM,
    NEAR_KM_INPUT,
    NEAR_MODE,
    NEAR_MODE_INPUT,
    NEAR_MODES,
    NEAR_PRODUCT,
    NEAR_PRODUCT_INPUT,
    NEAR_SITE,
    NEAR_SITE_INPUT,
    SITE_PICKER,
    SITE_TABLE,
    SITE_TABLE_NAMES,
    ZONE_TABLE,
    ZONE_TABLE_NAMES,
    Prepared,
    View,
    open_site,
    open_zone,
    products_near_site,
    sites_near_product,
)

_ZONE_COLORS = {
    zones.PROGRAMME_CNIPA: "#b8860b",
    zones.PROGRAMME_PROVINCIAL: "#e0a800",
    zones.PROGRAMME_OTHER: "#00695c",
}


# ------------------------------------------------------------------ exports


# ------------------------------------------------------------------ tabs


def zones_panel(prep: Prepared) -> None:
    st.markdown(
        t(
            "国家知识产权局的国家地理标志产品保护示范区，按来源所述的状态（筹建、通过省局验收、"
            "已授牌）列出；来源未说清的标为“状态待核实”。2016 年原农业部授牌的潜江龙虾国家级"
            "农产品地理标志示范样板属于另一体系，单独标出。省级示范区可在数据管理页导入。"
        )
    )
    charts.timeline_chart(prep.timeline, _ZONE_COLORS)
    rows = prep.zones
    table = pd.DataFrame(
        {
            "name": rows["name"].map(i18n.name, na_action="ignore"),
            "programme": rows["programme"].map(t, na_action="ignore"),
            "phase": rows["phase"].map(t, na_action="ignore"),
            "dates": rows["dates"].map(i18n.joined),
            "products": [
                i18n.names(list(linked)) or t("{product}（未收录）", product=i18n.name(stated))
                for linked, stated in zip(rows["products"], rows["product"], strict=True)
            ],
            "place": rows["prefecture"] + " " + rows["county"],
            "county_card": [
                f"{EXPLORER_PAGE}?county={code}" if code else None for code in rows["county_adcode"]
            ],
            "source": [links[0].url if links else None for links in rows["sources"]],
        }
    )
    st.session_state[ZONE_TABLE_NAMES] = list(rows["name"])
    st.dataframe(
        table,
        column_config={
            "name": t("示范区"),
            "programme": t("所属体系"),
            "phase": t("状态"),
            "dates": t("已知日期"),
            "products": t("地理标志产品"),
            "place": t("所在地"),
            "county_card": st.column_config.LinkColumn(t("县域名片"), display_text=t("打开")),
            "source": st.column_config.LinkColumn(t("来源"), display_text=t("查看")),
        },
        hide_index=True,
        width="stretch",
        key=ZONE_TABLE,
        on_select=_open_zone_from_table,
        selection_mode="single-row",
    )
    st.caption(t("选中一行可在地图旁打开示范区名片。"))
    export_buttons(zones.zone_export(rows), t("示范区"), "zs_zones_export")


def _open_zone_from_table() -> None:
    chosen = st.session_state[ZONE_TABLE].selection.rows
    names = st.session_state.get(ZONE_TABLE_NAMES) or []
    if chosen and chosen[0] < len(names):
        open_zone(names[chosen[0]])


def _open_site_from_table() -> None:
    chosen = st.session_state[SITE_TABLE].selection.rows
    names = st.session_state.get(SITE_TABLE_NAMES) or []
    if chosen and chosen[0] < len(names):
        open_site(names[chosen[0]])


def _open_site_from_picker() -> None:
    open_site(st.session_state.get(SITE_PICKER) or None)


def sites_panel(prep: Prepared, view: View, shown: pd.DataFrame, sources: pd.DataFrame) -> None:
    rows = prep.sites[prep.sites["name"].isin(set(shown["name"]))]
    if not view.kinds:
        st.info(t("左侧的站点图层全部关闭：打开至少一类站点后，列表和地图才会显示站点。"))
    st.caption(
        t(
            "共 {shown} 个站点（已录入 {recorded} 个）；列表与地图同步，"
            "随左侧的图层和筛选变化。位置精度说明地图标记的含义：县级、乡镇级为示意位置。",
            shown=len(rows),
            recorded=len(prep.sites),
        )
    )
    table = pd.DataFrame(
        {
            "name": rows["name"].map(i18n.name, na_action="ignore"),
            "site_type": rows["site_type"].map(t, na_action="ignore"),
            "place": rows["place"],
            "place_precision": rows["place_precision"].map(t, na_action="ignore"),
            "products": rows["products"].map(lambda names: i18n.names(list(names))),
            "status": rows["status"],
            "confidence": rows["confidence_label"].map(t, na_action="ignore"),
        }
    )
    st.session_state[SITE_TABLE_NAMES] = list(rows["name"])
    st.dataframe(
        table,
        column_config={
            "name": t("站点"),
            "site_type": t("类型"),
            "place": t("地点"),
            "place_precision": t("位置精度"),
            "products": t("关联地理标志产品"),
            "status": t("开放/状态"),
            "confidence": t("可信度"),
        },
        hide_index=True,
        width="stretch",
        key=SITE_TABLE,
        on_select=_open_site_from_table,
        selection_mode="single-row",
    )
    names = list(rows["name"])
    if view.site in names:
        st.session_state[SITE_PICKER] = view.site
    elif st.session_state.get(SITE_PICKER) not in names:
        st.session_state[SITE_PICKER] = None
    st.selectbox(
        t("打开站点名片"),
        names,
        index=None,
        key=SITE_PICKER,
        format_func=i18n.name,
        placeholder=t("选择站点（或在地图上点击站点图标）"),
        on_change=_open_site_from_picker,
    )
    export_buttons(sites.site_export(shown, sources), t("地标文旅站点"), "zs_sites_export")


def targets_panel(data: ui_data.Tables, regions: Regions) -> None:
    if not region.site_targets():  # only Hubei's work plan sets site targets
        st.info(
            t(
                "{region}未设定地标+文旅站点目标；下表只列各市州已录入的站点数。",
                region=region.current_region().place_name(),
            ),
            icon=":material/info:",
        )
        st.markdown(t("**按市州**（已录入站点数）"))
        _sites_by_prefecture(data, regions)
        return
    by_kind = sites.targets_by_kind(data.sites)
    st.warning(t(sites.TARGET_CAVEAT), icon=":material/info:")
    st.markdown(t("**按类型**（2026 年目标：省级样板 10 个，其余五类各 100 个）"))
    charts.target_chart(by_kind, {kind.name: kind.color for kind in SITE_KINDS})
    st.dataframe(
        by_kind.assign(
            share=by_kind["share"] * 100, site_type=by_kind["site_type"].map(t, na_action="ignore")
        ),
        column_config={
            "site_type": t("类型"),
            "recorded": t("已录入"),
            "target": t("2026 目标"),
            "share": st.column_config.ProgressColumn(
                t("完成比例"), format="%.0f%%", min_value=0, max_value=100
            ),
            "remaining": t("尚差"),
        },
        hide_index=True,
        width="stretch",
    )
    st.markdown(t("**按市州**（已录入站点数；目标为全省目标，未分解到市州）"))
    _sites_by_prefecture(data, regions)


def _sites_by_prefecture(data: ui_data.Tables, regions: Regions) -> None:
    long = sites.targets_by_prefecture(data.sites, regions)
    wide = long.pivot_table(
        index="prefecture", columns="site_type", values="recorded", aggfunc="sum", sort=False
    ).reindex(columns=list(SITE_TYPES), fill_value=0)
    total = t("合计")
    wide[total] = wide.sum(axis=1)
    wide = wide.sort_values(total, ascending=False, kind="stable")
    by_prefecture = wide.rename(columns=t, index=i18n.name).rename_axis(t("市州")).reset_index()
    st.dataframe(by_prefecture, hide_index=True, width="stretch")
    export_buttons(by_prefecture, t("站点目标进度_按市州"), "zs_targets")


def _near_product_changed() -> None:
    st.session_state[NEAR_PRODUCT] = st.session_state.get(NEAR_PRODUCT_INPUT)


def _near_site_changed() -> None:
    st.session_state[NEAR_SITE] = st.session_state.get(NEAR_SITE_INPUT)


def _near_km_changed() -> None:
    st.session_state[NEAR_KM] = st.session_state.get(NEAR_KM_INPUT)


def _near_mode_changed() -> None:
    st.session_state[NEAR_MODE] = st.session_state.get(NEAR_MODE_INPUT)


def nearby_panel(data: ui_data.Tables, view: View, regions: Regions) -> Overlay:
    """The nearby search; returns what it draws on the map."""
    state = st.session_state
    state[NEAR_MODE_INPUT] = view.near_mode
    st.segmented_control(
        t("查询"),
        list(NEAR_MODES),
        format_func=lambda mode: t(NEAR_MODES[mode]),
        key=NEAR_MODE_INPUT,
        on_change=_near_mode_changed,
        required=True,
    )
    if view.near_mode == NEAR_BY_SITE:
        return _near_site(data, view, regions)
    return _near_product(data, view, regions)


def _near_product(data: ui_data.Tables, view: View, regions: Regions) -> Overlay:
    names = sorted(data.products["name"])
    state = st.session_state
    state[NEAR_PRODUCT_INPUT] = view.near_product if view.near_product in names else None
    state[NEAR_KM_INPUT] = view.km if view.km in KM_CHOICES else nearby.DEFAULT_KM
    left, right = st.columns([3, 2])
    left.selectbox(
        t("地理标志产品"),
        names,
        index=None,
        key=NEAR_PRODUCT_INPUT,
        format_func=i18n.name,
        placeholder=t("选择产品（或在地图上点击产品）"),
        on_change=_near_product_changed,
    )
    right.select_slider(
        t("范围（公里）"), KM_CHOICES, key=NEAR_KM_INPUT, on_change=_near_km_changed
    )
    if not view.near_product or view.near_product not in names:
        st.caption(t("选择一个产品，列出其位置周边一定距离内的地标+文旅站点。"))
        return Overlay(frame=default_frame(regions, view))
    product = data.products.loc[data.products["name"] == view.near_product].iloc[0]
    found = sites_near_product(data, product, view.km)
    st.markdown(
        t(
            "**{product}** 周边 {km} 公里内：{count} 个站点",
            product=md(i18n.name(view.near_product)),
            km=view.km,
            count=len(found),
        )
    )
    if not found.empty:
        st.dataframe(
            found[["name", "site_type", "county", "km_text", "approximate"]].assign(
                name=found["name"].map(i18n.name, na_action="ignore"),
                site_type=found["site_type"].map(t, na_action="ignore"),
                county=found["county"].map(i18n.name, na_action="ignore"),
                approximate=found["approximate"].map(lambda a: t("示意位置") if a else ""),
            ),
            column_config={
                "name": t("站点"),
                "site_type": t("类型"),
                "county": t("县市区"),
                "km_text": t("距离"),
                "approximate": t("位置说明"),
            },
            hide_index=True,
            width="stretch",
        )
    st.caption(t(nearby.NEARBY_NOTE))
    lat, lon = float(product["lat"]), float(product["lon"])
    return Overlay(
        products=(view.near_product,),
        circle=zmap.Circle(lat, lon, float(view.km)),
        frame=circle_bounds(lat, lon, float(view.km)),
    )


def _near_site(data: ui_data.Tables, view: View, regions: Regions) -> Overlay:
    names = list(data.sites["name"])
    st.session_state[NEAR_SITE_INPUT] = view.near_site if view.near_site in names else None
    st.selectbox(
        t("站点"),
        names,
        index=None,
        key=NEAR_SITE_INPUT,
        format_func=i18n.name,
        placeholder=t("选择站点（或在地图上点击站点）"),
        on_change=_near_site_changed,
    )
    if not view.near_site or view.near_site not in names:
        st.caption(t("选择一个站点，列出本县和相邻县的地理标志产品。"))
        return Overlay(frame=default_frame(regions, view))
    found = products_near_site(data, view.near_site)
    st.markdown(
        t(
            "**{site}** 所在县及邻县：{count} 个地理标志产品",
            site=md(i18n.name(view.near_site)),
            count=len(found),
        )
    )
    if not found.empty:
        st.dataframe(
            found[["name", "relation", "via", "category", "km_text"]].assign(
                name=found["name"].map(i18n.name, na_action="ignore"),
                relation=found["relation"].map(t, na_action="ignore"),
                via=found["via"].map(i18n.name, na_action="ignore"),
                category=found["category"].map(t, na_action="ignore"),
            ),
            column_config={
                "name": t("产品"),
                "relation": t("关系"),
                "via": t("所在县"),
                "category": t("品类"),
                "km_text": t("距离"),
            },
            hide_index=True,
            width="stretch",
        )
    st.caption(t(nearby.PRODUCTS_NEARBY_NOTE) + t(nearby.NEARBY_NOTE))
    site = data.sites.loc[data.sites["name"] == view.near_site]
    points = pd.concat([site[["lon", "lat"]], found[["lon", "lat"]]], ignore_index=True)
    return Overlay(
        products=tuple(found["name"]),
        site=view.near_site,
        frame=points_frame(regions, points),
    )
