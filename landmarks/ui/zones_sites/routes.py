"""示范区与文旅: the 主题线路 tab — the route builder (stops in order, legs), loading an
example or saved route, sharing, exporting, saving and deleting, and its callbacks."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

import pandas as pd
import streamlit as st

from landmarks import i18n
from landmarks.data import store
from landmarks.data.regions import Regions
from landmarks.data.routes import STOP_PRODUCT
from landmarks.i18n import t
from landmarks.maps import zones_sites as zmap
from landmarks.query import nearby, routes
from landmarks.query.routes import Route
from landmarks.ui import auth, lost_session
from landmarks.ui import data as ui_data
from landmarks.ui.markdown import md_lines
from landmarks.ui.sidebar import copy_link_button
from landmarks.ui.zones_sites.layers import Overlay, default_frame, points_frame
from landmarks.ui.zones_sites.state import (
    PRODUCT_PREFIX,
    ROUTE_LOAD,
    ROUTE_MESSAGE,
    ROUTE_NAME,
    ROUTE_NAME_INPUT,
    ROUTE_PICKER,
    ROUTE_STOPS,
    SITE_PREFIX,
    Prepared,
    View,
    set_route,
    stop_label,
)


def route_drawing(stops: pd.DataFrame, legs: pd.DataFrame) -> zmap.RouteDrawing:
    return zmap.RouteDrawing(
        stops=tuple(
            zmap.RouteStop(float(lat), float(lon), i18n.name(str(name)), t(str(kind)))
            for lat, lon, name, kind in zip(
                stops["lat"].astype(float).tolist(),
                stops["lon"].astype(float).tolist(),
                stops["name"],
                stops["kind_label"],
                strict=True,
            )
        ),
        legs=tuple(str(text) for text in legs["km_text"]),
    )


_CAPPED = "zs_route_capped"  # the picker was given more stops than a route holds


def _capped(stops: Sequence[str]) -> list[str]:
    """The first ``MAX_STOPS`` stops; more (the picker's "select all", a route saved when
    the cap was higher) are dropped, and the page says so once."""
    if len(stops) > routes.MAX_STOPS:
        st.session_state[_CAPPED] = len(stops)
    return list(stops[: routes.MAX_STOPS])


def _picker_changed() -> None:
    st.session_state[ROUTE_STOPS] = _capped(list(st.session_state.get(ROUTE_PICKER) or []))


def _name_changed() -> None:
    st.session_state[ROUTE_NAME] = str(st.session_state.get(ROUTE_NAME_INPUT) or "").strip()


def _reverse() -> None:
    st.session_state[ROUTE_STOPS] = list(reversed(st.session_state.get(ROUTE_STOPS) or []))
    st.session_state.pop(ROUTE_PICKER, None)


def _clear() -> None:
    st.session_state[ROUTE_STOPS] = []
    st.session_state[ROUTE_NAME] = ""
    st.session_state.pop(ROUTE_PICKER, None)
    st.session_state.pop(ROUTE_NAME_INPUT, None)


def _load(choices: dict[str, Route]) -> None:
    chosen = st.session_state.get(ROUTE_LOAD)
    if chosen in choices:
        set_route(choices[chosen])
    st.session_state[ROUTE_LOAD] = None


def _write_route(write: Callable[[store.Store], str]) -> None:
    """Run a route write (it returns the success message) for the logged-in editor,
    checked again here: a callback must not trust the page that drew its button."""
    if auth.current_editor() is None:
        st.session_state[ROUTE_MESSAGE] = ("error", t("请先以编辑身份登录，线路未改动。"))
        return
    try:
        with store.opened(ui_data.db_target()) as db:
            done = write(db)
    except store.StorageError as error:
        problem = t("{problem}。{hint}", problem=error.message, hint=error.hint)
        st.session_state[ROUTE_MESSAGE] = ("error", problem)
        return
    st.session_state[ROUTE_MESSAGE] = ("success", done)


def _save(route: Route, author: str, replace: bool) -> None:
    def save(db: store.Store) -> str:
        db.save_route(route, author=author, replace=replace)
        return t("已保存线路“{name}”。", name=i18n.name(route.name))

    _write_route(save)


def _delete(name: str) -> None:
    def delete(db: store.Store) -> str:
        if db.delete_route(name):
            return t("已删除线路“{name}”。", name=i18n.name(name))
        return t("线路“{name}”已不在列表中（可能已被他人删除）。", name=i18n.name(name))

    _write_route(delete)


def saved_routes() -> list[Any]:
    with store.opened(ui_data.db_target(), read_only=True) as db:
        return list(db.routes())


def route_panel(data: ui_data.Tables, prep: Prepared, view: View, regions: Regions) -> Overlay:
    """The route builder: stops in order, legs, save, share and export; returns what it
    draws on the map."""
    state = st.session_state
    if auth.current_editor() is None:
        lost_session.warn_lost_writes(lost_session.ROUTE_WRITES)
    saved = saved_routes()
    example = t(routes.EXAMPLE_LABEL)
    choices = {
        t("{label}：{name}", label=example, name=i18n.name(r.name)): r for r in prep.examples
    }
    choices |= {t("已保存：{name}", name=i18n.name(s.route.name)): s.route for s in saved}
    st.selectbox(
        t("从已有线路开始"),
        list(choices),
        index=None,
        key=ROUTE_LOAD,
        placeholder=t("选择示例线路或已保存的线路…"),
        on_change=_load,
        args=(choices,),
    )
    options = [SITE_PREFIX + str(n) for n in data.sites["name"]]
    options += [PRODUCT_PREFIX + str(n) for n in data.products["name"]]
    stops = _capped(list(state.get(ROUTE_STOPS) or []))
    state[ROUTE_STOPS] = stops
    options += [token for token in stops if token not in set(options)]  # kept, noted below
    state[ROUTE_PICKER] = stops
    st.multiselect(
        t("途经点（按选择的先后为顺序）"),
        options,
        key=ROUTE_PICKER,
        format_func=stop_label,
        placeholder=t("选择站点或地理标志产品；也可在地图上点击站点加入"),
        max_selections=routes.MAX_STOPS,
        select_all=False,  # Streamlit's "Select all" is in English only
        on_change=_picker_changed,
    )
    chosen = state.pop(_CAPPED, None)
    if chosen:
        st.warning(
            t(
                "一条线路最多 {limit} 站：选择了 {count} 站，只保留前 {limit} 站。",
                limit=routes.MAX_STOPS,
                count=chosen,
            )
        )
    state[ROUTE_NAME_INPUT] = view.route.name
    st.text_input(
        t("线路名称"), key=ROUTE_NAME_INPUT, max_chars=40, on_change=_name_changed,
        placeholder=t("如：恩施—宣恩茶旅线"),
    )  # fmt: skip
    row = st.container(horizontal=True)
    row.button(
        t("反转顺序"), icon=":material/swap_vert:", on_click=_reverse, key="zs_route_reverse"
    )
    row.button(t("清空"), icon=":material/delete_sweep:", on_click=_clear, key="zs_route_clear")

    route = view.route
    for notice in routes.missing_stops(route, data.sites, data.products):
        st.warning(md_lines(notice))
    if not route.stops:
        st.caption(t("选择两个以上的途经点后，地图按顺序画出线路，并标出每段和全程的距离。"))
        _saved_list(saved)
        return Overlay(frame=default_frame(regions, view))
    if route.is_example:
        st.markdown(
            t(
                ":orange-badge[{label}] 本线路由内置站点和产品组成，仅供参考。",
                label=t(routes.EXAMPLE_LABEL),
            )
        )
    stop_table = routes.route_stops(route, data.sites, data.products)
    legs = routes.route_legs(route, data.sites, data.products)
    total = routes.route_total_km(legs)
    st.metric(t("全程（各段直线大地距离之和）"), t("{km} 公里", km=f"{total:.1f}"))
    if not legs.empty:
        st.dataframe(
            legs[["leg", "from_name", "to_name", "km_text"]].assign(
                from_name=legs["from_name"].map(i18n.name, na_action="ignore"),
                to_name=legs["to_name"].map(i18n.name, na_action="ignore"),
            ),
            column_config={
                "leg": t("段"),
                "from_name": t("起点"),
                "to_name": t("终点"),
                "km_text": t("距离"),
            },
            hide_index=True,
            width="stretch",
        )
    st.caption(t(nearby.NEARBY_NOTE))
    _share_and_export(data, route)
    _save_panel(route)
    _saved_list(saved)
    drawing = route_drawing(stop_table, legs)
    products = stop_table.loc[stop_table["kind"] == STOP_PRODUCT, "name"]
    return Overlay(
        products=tuple(str(name) for name in products),
        route=drawing,
        frame=points_frame(regions, stop_table) if not stop_table.empty else None,
    )


def _share_and_export(data: ui_data.Tables, route: Route) -> None:
    name = route.name or t("主题线路")
    st.markdown("**" + t("分享与导出") + "**")
    st.caption(t("分享链接含途经点及其顺序，对方打开即见同一条线路（无需登录）。"))
    copy_link_button()
    row = st.container(horizontal=True)
    geojson = json.dumps(
        routes.route_geojson(route, data.sites, data.products), ensure_ascii=False, indent=1
    )
    row.download_button(
        t("导出 GeoJSON"),
        data=geojson.encode("utf-8"),
        file_name=f"{name}.geojson",
        mime="application/geo+json",
        icon=":material/download:",
        on_click="ignore",
        key="zs_route_geojson",
    )
    text = routes.route_text(route, data.sites, data.products)
    row.download_button(
        t("导出打印清单"),
        data=text.encode("utf-8"),
        file_name=f"{name}.txt",
        mime="text/plain",
        icon=":material/print:",
        on_click="ignore",
        key="zs_route_text",
    )
    with st.expander(t("打印清单（预览）")):
        st.text(text)


def _save_panel(route: Route) -> None:
    editor = auth.current_editor()
    message = st.session_state.pop(ROUTE_MESSAGE, None)
    if message:
        (st.error if message[0] == "error" else st.success)(md_lines(message[1]))
    if editor is None:
        st.caption(
            t("保存线路需要编辑账号（在“数据管理”页登录）；未登录也可以用上面的链接分享这条线路。")
        )
        return
    if not ui_data.access().writable:
        st.caption(t("只读模式下不能保存线路；可以用上面的链接分享这条线路。"))
        return
    problem = routes.route_name_problem(route.name)
    author = editor.display_name or editor.username
    row = st.container(horizontal=True, vertical_alignment="bottom")
    replace = row.checkbox(t("同名时覆盖"), key="zs_route_replace")
    row.button(
        t("保存线路"),
        icon=":material/save:",
        key=lost_session.ROUTE_SAVE,
        disabled=problem is not None,
        help=None if problem is None else md_lines(problem),
        on_click=_save,
        args=(route, author, replace),
    )


def _saved_list(saved: Sequence[Any]) -> None:
    if not saved:
        return
    st.markdown("**" + t("已保存的线路") + "**")
    st.dataframe(routes.saved_routes_table(saved), hide_index=True, width="stretch")
    if auth.current_editor() is not None and ui_data.access().writable:
        names = [s.route.name for s in saved]
        row = st.container(horizontal=True, vertical_alignment="bottom")
        chosen = row.selectbox(
            t("删除线路"), names, index=None, key="zs_route_delete_pick", format_func=i18n.name
        )
        row.button(
            t("删除"),
            key=lost_session.ROUTE_DELETE,
            disabled=chosen is None,
            on_click=_delete,
            args=(chosen,),
        )
