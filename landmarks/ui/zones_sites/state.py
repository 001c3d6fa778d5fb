"""示范区与文旅: the page's view state, its cached queries and the callbacks that change it.

State lives in ``st.session_state`` during a visit and is mirrored in the query string,
so any view can be shared by its link.  On entering the page it is seeded from the URL
once.  Values the hidden tabs need across reruns (the route's stops, the nearby search)
are kept under keys of their own, not only as widget values, because the tabs run lazily
and Streamlit forgets the values of widgets that were not drawn.

Caching lives here, keyed on the database path and data version.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
import streamlit as st

from landmarks import i18n
from landmarks.data import store
from landmarks.data.model import SITE_TYPES
from landmarks.data.regions import Regions
from landmarks.data.routes import STOP_PRODUCT, STOP_SITE
from landmarks.i18n import N_, t
from landmarks.maps import basemaps
from landmarks.maps.site_kinds import SiteKind
from landmarks.query import nearby, routes, sites, urlparams, zones
from landmarks.query.routes import Route, Stop
from landmarks.query.sites import SITE_FILTERS, SiteFilter
from landmarks.ui import browser_values, card_scroll, language, public_address
from landmarks.ui import data as ui_data

MAP_KEY = "zs_map"
TAB = "zs_tab"
ZONE_LAYER = "zs_zone_layer"
SELECTED_SITE = "zs_site"
SELECTED_ZONE = "zs_zone"
NOTICES = "zs_notices"
# The nearby search and the route, kept apart from their widgets (see the module doc).
NEAR_MODE = "zs_near_mode"
NEAR_PRODUCT = "zs_near_product"
NEAR_SITE = "zs_near_site"
NEAR_KM = "zs_near_km"
# Their widgets, which copy a change into those keys by a callback.
NEAR_MODE_INPUT = "zs_near_mode_input"
NEAR_PRODUCT_INPUT = "zs_near_product_input"
NEAR_SITE_INPUT = "zs_near_site_input"
NEAR_KM_INPUT = "zs_near_km_input"
ROUTE_STOPS = "zs_route_stops"  # list of stop tokens ('s:名称' / 'p:名称'), in order
ROUTE_NAME = "zs_route_name"
ROUTE_PICKER = "zs_route_picker"  # the widget showing ROUTE_STOPS
ROUTE_NAME_INPUT = "zs_route_name_input"
ROUTE_LOAD = "zs_route_load"
ROUTE_MESSAGE = "zs_route_message"
SITE_PICKER = "zs_site_picker"
SITE_TABLE = "zs_site_table"
ZONE_TABLE = "zs_zone_table"
SITE_TABLE_NAMES = "zs_site_table_names"
ZONE_TABLE_NAMES = "zs_zone_table_names"
LAYERS = sites.SITE_TYPE.state_key
# Always drawn, so its key is absent exactly when the page is entered afresh.
_ENTERED = LAYERS

TAB_ZONES, TAB_SITES, TAB_TARGETS, TAB_NEARBY, TAB_ROUTE = (
    "zones", "sites", "targets", "nearby", "route",
)  # fmt: skip
# The tabs' labels (shown through ``t``; the tab widget's value is the shown label).
TABS: dict[str, str] = {
    TAB_ZONES: N_("示范区"),
    TAB_SITES: N_("站点列表"),
    TAB_TARGETS: N_("目标进度"),
    TAB_NEARBY: N_("周边查询"),
    TAB_ROUTE: N_("主题线路"),
}
NEAR_BY_PRODUCT = "product"
NEAR_BY_SITE = "site"
NEAR_MODES: dict[str, str] = {
    NEAR_BY_PRODUCT: N_("产品周边的站点"),
    NEAR_BY_SITE: N_("站点周边的产品"),
}
KM_CHOICES: tuple[int, ...] = (10, 20, 30, 50, 80, 100, 150, 200)

# Query-string keys of this page (besides the site filters' and the route's).
Q_TAB, Q_SITE, Q_ZONE, Q_ZONES_OFF, Q_NEAR, Q_NEAR_SITE, Q_KM = (
    "tab", "site", "zone", "zones", "near", "near_site", "km",
)  # fmt: skip
PAGE_QUERY_KEYS: tuple[str, ...] = (Q_TAB, Q_SITE, Q_ZONE, Q_ZONES_OFF, Q_NEAR, Q_NEAR_SITE, Q_KM)
SITE_PREFIX, PRODUCT_PREFIX = "s:", "p:"
EXPLORER_PAGE = "explorer"
SITES_PAGE = "zones_sites"  # this page's url path


def glyph(kind: SiteKind) -> str:
    """The kind's mark as its icon shows it: the character, in English the letter."""
    return kind.letter if i18n.english() and kind.letter else kind.glyph


# ------------------------------------------------------------------ cached data


@dataclass(frozen=True)
class Prepared:
    """What the page shows of one data version, computed once."""

    zones: pd.DataFrame  # zones.zone_rows
    timeline: pd.DataFrame  # zones.zone_timeline
    sites: pd.DataFrame  # sites.site_rows, in the stored order
    positions: dict[str, int]  # site name -> row of the published site rows
    product_positions: dict[str, int]  # product name -> row of the published product rows
    examples: tuple[Route, ...]


# Keyed on the language too: the rows hold labels shown as they are (confidence, phase).
@st.cache_resource(show_spinner=False, max_entries=8)
def _prepared(path: str, version: int, language: str, _data: ui_data.Tables) -> Prepared:
    return Prepared(
        zones=zones.zone_rows(_data.zones, _data.products, _data.sources),
        timeline=zones.zone_timeline(_data.zones),
        sites=sites.site_rows(_data.sites),
        positions={str(name): i for i, name in enumerate(_data.sites["name"])},
        product_positions={str(name): i for i, name in enumerate(_data.products["name"])},
        examples=_examples(),
    )


@st.cache_resource(show_spinner=False)
def _examples() -> tuple[Route, ...]:
    """The shipped example routes, read once per server."""
    return routes.example_routes()


def prepared(data: ui_data.Tables, language: str | None = None) -> Prepared:
    code = language or i18n.current_language()
    return _prepared(str(ui_data.db_target()), data.version, code, data)


@st.cache_resource(show_spinner=False, max_entries=64)
def _products_near_site(
    path: str, version: int, name: str, language: str, _data: ui_data.Tables
) -> pd.DataFrame:
    row = _data.sites.loc[_data.sites["name"] == name].iloc[0]
    return nearby.products_near_site(row, _data.products, ui_data.regions())


@st.cache_data(show_spinner=False, max_entries=64)
def _sites_within(path: str, version: int, lon: float, lat: float, metres: float) -> list[str]:
    with store.opened(path, read_only=True) as db:
        return db.sites_within(lon, lat, metres)


def sites_near_product(data: ui_data.Tables, product: pd.Series, km: float) -> pd.DataFrame:
    """The sites within ``km`` of the product: which ones is asked of the store (PostGIS
    on a server), how far and how exactly is said by the query layer."""
    names = _sites_within(
        str(ui_data.db_target()),
        data.version,
        float(product["lon"]),
        float(product["lat"]),
        km * 1000,
    )
    return nearby.sites_near_product(product, data.sites[data.sites["name"].isin(names)], km)


def products_near_site(data: ui_data.Tables, name: str) -> pd.DataFrame:
    """The GI products of a site's county and its neighbours (cached per data version and
    language: the relation and distance are texts)."""
    code = i18n.current_language()
    return _products_near_site(str(ui_data.db_target()), data.version, name, code, data)


# ------------------------------------------------------------------ state and URL


@dataclass(frozen=True)
class View:
    """Everything the page shows, read from the session state once per run."""

    tab: str
    kinds: tuple[str, ...]  # site kinds shown (the layers switched on)
    site_filter: SiteFilter  # the list's filter, site_types included
    zones_on: bool
    site: str | None
    zone: str | None
    near_mode: str
    near_product: str | None
    near_site: str | None
    km: int
    route: Route
    extra: dict[str, str] = field(default_factory=dict)


def _params() -> dict[str, list[str]]:
    return {key: st.query_params.get_all(key) for key in st.query_params}


def stop_token(stop: Stop) -> str:
    return (SITE_PREFIX if stop.kind == STOP_SITE else PRODUCT_PREFIX) + stop.name


def token_stop(token: str) -> Stop:
    if token.startswith(SITE_PREFIX):
        return Stop(STOP_SITE, token.removeprefix(SITE_PREFIX))
    return Stop(STOP_PRODUCT, token.removeprefix(PRODUCT_PREFIX))


def _tab_key(label: object) -> str:
    """The tab whose label ``label`` is, in either language (the language may have changed
    since the tab was chosen)."""
    english = i18n.catalog(i18n.ENGLISH)
    return next(
        (key for key, shown in TABS.items() if label in (shown, english.get(shown))), TAB_ZONES
    )


def enter_page(data: ui_data.Tables, regions: Regions, prep: Prepared) -> None:
    """On entering the page, take the view from the URL (once per visit), and again on
    the browser's Back and Forward buttons (Streamlit reruns the page with the history
    entry's URL; see ``landmarks.ui.explorer_state.enter_page``)."""
    if _ENTERED in st.session_state and not browser_values.history_navigation():
        return
    params = _params()
    known = (*PAGE_QUERY_KEYS, *routes.ROUTE_QUERY_KEYS, basemaps.QUERY_KEY)
    site_filter, notices = sites.site_filter_from_query(params, regions, other_keys=known)
    state = st.session_state
    chosen_kinds = site_filter.site_types or SITE_TYPES
    widgets: dict[str, Any] = {LAYERS: [kind for kind in SITE_TYPES if kind in chosen_kinds]}
    for site_field in SITE_FILTERS:
        if site_field is not sites.SITE_TYPE:
            widgets[site_field.state_key] = list(site_field.value_in(site_filter))
    widgets[ZONE_LAYER] = urlparams.last_value(params, Q_ZONES_OFF) != "0"
    # After a server restart the browser's widget values (the user's latest change) win.
    browser_values.seed(widgets)
    tab = urlparams.last_value(params, Q_TAB)
    if tab and tab not in TABS:
        notices.append(urlparams.invalid_value_notice(Q_TAB, tab, t("没有这个栏目")))
    if tab not in TABS:  # a link with a route or a nearby search opens its tab
        given = set(params)
        tab = TAB_ZONES
        if given & set(routes.ROUTE_QUERY_KEYS):
            tab = TAB_ROUTE
        elif given & {Q_NEAR, Q_NEAR_SITE}:
            tab = TAB_NEARBY
    state[TAB] = t(TABS[tab])
    no_site = t("没有这个站点")
    state[SELECTED_SITE] = _known(params, Q_SITE, set(data.sites["name"]), no_site, notices)
    state[SELECTED_ZONE] = _known(
        params, Q_ZONE, set(data.zones["name"]), t("没有这个示范区"), notices
    )
    near_product = _known(params, Q_NEAR, set(data.products["name"]), t("没有这个产品"), notices)
    near_site = _known(params, Q_NEAR_SITE, set(data.sites["name"]), no_site, notices)
    if near_product or near_site:
        state[NEAR_PRODUCT], state[NEAR_SITE] = near_product, near_site
        state[NEAR_MODE] = NEAR_BY_SITE if near_site and not near_product else NEAR_BY_PRODUCT
    km_text = urlparams.last_value(params, Q_KM)
    if km_text:
        if km_text.isdigit() and int(km_text) in KM_CHOICES:
            state[NEAR_KM] = int(km_text)
        else:
            reason = t("可选 {choices} 公里", choices=i18n.names([str(k) for k in KM_CHOICES]))
            notices.append(urlparams.invalid_value_notice(Q_KM, km_text, reason))
    route, route_notices = routes.route_from_query(
        params, sites=data.sites, products=data.products, examples=prep.examples
    )
    notices.extend(route_notices)
    if route is not None:
        set_route(route)
    _adopt_browser_values(data)
    # A click remembered from an earlier visit must not fire again.
    state.pop(MAP_KEY, None)
    state[NOTICES] = notices


def stop_label(token: str) -> str:
    """A route stop as the stops picker shows it."""
    stop = token_stop(token)
    return t(
        "{kind}｜{name}", kind=t(routes.STOP_KIND_LABELS[stop.kind]), name=i18n.name(stop.name)
    )


def _adopt_browser_values(data: ui_data.Tables) -> None:
    """After a server restart the page reconnects to a fresh session whose first run
    carries the user's latest change.  The view state behind the tab, the route and the
    nearby search is copied from their widgets by callbacks, which a fresh session has
    not registered: the values the browser sent are copied here instead."""
    if not browser_values.sent_keys():
        return  # no value of an undrawn widget: not a fresh session catching up
    state = st.session_state
    tab = browser_values.sent_choice(TAB, {t(label): t(label) for label in TABS.values()})
    if tab is not None:
        state[TAB] = tab
    name = browser_values.sent_text(ROUTE_NAME_INPUT)
    if name is not None:
        state[ROUTE_NAME] = name.strip()
    tokens = [SITE_PREFIX + str(n) for n in data.sites["name"]]
    tokens += [PRODUCT_PREFIX + str(n) for n in data.products["name"]]
    tokens += [token for token in state.get(ROUTE_STOPS) or [] if token not in set(tokens)]
    stops = browser_values.sent_choices(ROUTE_PICKER, {tok: stop_label(tok) for tok in tokens})
    if stops is not None:
        state[ROUTE_STOPS] = stops
    mode = browser_values.sent_choice(
        NEAR_MODE_INPUT, {mode: t(label) for mode, label in NEAR_MODES.items()}
    )
    if mode is not None:
        state[NEAR_MODE] = mode
    product_names = {str(n): i18n.name(str(n)) for n in data.products["name"]}
    site_names = {str(n): i18n.name(str(n)) for n in data.sites["name"]}
    for widget, kept, names in (
        (NEAR_PRODUCT_INPUT, NEAR_PRODUCT, product_names),
        (NEAR_SITE_INPUT, NEAR_SITE, site_names),
    ):
        chosen = browser_values.sent_choice(widget, names)
        if chosen is not None:
            state[kept] = chosen
    km = browser_values.sent_choice(NEAR_KM_INPUT, {str(k): str(k) for k in KM_CHOICES})
    if km is not None:
        state[NEAR_KM] = int(km)


def _known(
    params: dict[str, list[str]], key: str, names: set[str], reason: str, notices: list[str]
) -> str | None:
    value = urlparams.last_value(params, key)
    if not value:
        return None
    if value in names:
        return value
    notices.append(urlparams.invalid_value_notice(key, value, reason))
    return None


def set_route(route: Route) -> None:
    st.session_state[ROUTE_STOPS] = [stop_token(stop) for stop in route.stops]
    st.session_state[ROUTE_NAME] = route.name
    st.session_state.pop(ROUTE_PICKER, None)
    st.session_state.pop(ROUTE_NAME_INPUT, None)


def current_route(prep: Prepared) -> Route:
    """The route being built; an example when its stops and name are an example's."""
    stops = tuple(token_stop(t) for t in st.session_state.get(ROUTE_STOPS) or [])
    name = str(st.session_state.get(ROUTE_NAME) or "")
    is_example = any(e.name == name and e.stops == stops for e in prep.examples)
    return Route(name, stops, is_example=is_example)


def current_site_filter() -> SiteFilter:
    """The site filter the widgets show (the layers switched on as the types)."""
    state = st.session_state
    kinds = tuple(kind for kind in SITE_TYPES if kind in (state.get(LAYERS) or ()))
    values: dict[str, Any] = {}
    for site_field in SITE_FILTERS:
        values[site_field.attr] = site_field.from_widgets(state.to_dict(), None)
    values[sites.SITE_TYPE.attr] = kinds if len(kinds) < len(SITE_TYPES) else ()
    return SiteFilter(**values)


def current_view(prep: Prepared) -> View:
    state = st.session_state
    kinds = tuple(kind for kind in SITE_TYPES if kind in (state.get(LAYERS) or ()))
    tab = _tab_key(state.get(TAB))
    if state.get(TAB) is not None and state.get(TAB) != t(TABS[tab]):
        state[TAB] = t(TABS[tab])  # chosen in the other language: the tabs' label now
    return View(
        tab=tab,
        kinds=kinds,
        site_filter=current_site_filter(),
        zones_on=bool(state.get(ZONE_LAYER, True)),
        site=state.get(SELECTED_SITE),
        zone=state.get(SELECTED_ZONE),
        near_mode=str(state.get(NEAR_MODE) or NEAR_BY_PRODUCT),
        near_product=state.get(NEAR_PRODUCT),
        near_site=state.get(NEAR_SITE) or state.get(SELECTED_SITE),
        km=int(state.get(NEAR_KM) or nearby.DEFAULT_KM),
        route=current_route(prep),
    )


def view_query(view: View) -> dict[str, str]:
    """The query string of a view: filters, cards, the tab and what the tab shows."""
    query = sites.site_filter_to_query(view.site_filter)
    if not view.kinds:  # every layer off: nothing to link to but the page
        query.pop(sites.SITE_TYPE.url_key, None)
    if not view.zones_on:
        query[Q_ZONES_OFF] = "0"
    if view.tab != TAB_ZONES:
        query[Q_TAB] = view.tab
    if view.site:
        query[Q_SITE] = view.site
    if view.zone:
        query[Q_ZONE] = view.zone
    if view.tab == TAB_NEARBY:
        if view.near_mode == NEAR_BY_PRODUCT and view.near_product:
            query[Q_NEAR] = view.near_product
            query[Q_KM] = str(view.km)
        elif view.near_mode == NEAR_BY_SITE and view.near_site:
            query[Q_NEAR_SITE] = view.near_site
    if view.tab == TAB_ROUTE and view.route.stops:
        query.update(routes.route_to_query(view.route))
    return query


def sync_url(view: View, other: Mapping[str, str] | None = None) -> None:
    """Mirror the view in the query string (written only when it changed), with the
    parameters of other controls (the basemap)."""
    wanted = view_query(view) | dict(other or {}) | language.to_query() | public_address.to_query()
    if st.query_params.to_dict() != wanted:
        st.query_params.from_dict(wanted)


def shown_sites(data: ui_data.Tables, view: View) -> pd.DataFrame:
    """The stored sites on the map and in the list: the layers on, then the filters."""
    if not view.kinds:
        return data.sites.iloc[0:0]
    return sites.apply_site_filter(data.sites, view.site_filter)


# ------------------------------------------------------------------ callbacks


def on_map_click(data: ui_data.Tables) -> Callable[[], None]:
    """st_folium's ``on_change``: open what the click points at, before the run."""

    def apply() -> None:
        value = st.session_state.get(MAP_KEY)
        click = value.get("gi_click") if isinstance(value, dict) else None
        if not isinstance(click, dict):
            return
        kind, identifier = click.get("kind"), str(click.get("id") or "")
        state = st.session_state
        tab = _tab_key(state.get(TAB))
        if kind == "site" and identifier in set(data.sites["name"]):
            state[SELECTED_SITE], state[SELECTED_ZONE] = identifier, None
            card_scroll.tapped()
            if tab == TAB_NEARBY:
                state[NEAR_MODE], state[NEAR_SITE] = NEAR_BY_SITE, identifier
            if tab == TAB_ROUTE:
                add_stop(SITE_PREFIX + identifier)
        elif kind == "zone" and identifier in set(data.zones["name"]):
            state[SELECTED_ZONE], state[SELECTED_SITE] = identifier, None
            card_scroll.tapped()
        elif kind == "county":
            named = data.zones.loc[data.zones["county_adcode"] == identifier, "name"]
            if len(named):
                state[SELECTED_ZONE], state[SELECTED_SITE] = str(named.iloc[0]), None
                card_scroll.tapped()
        elif kind == "product" and identifier in set(data.products["name"]):
            if tab == TAB_ROUTE:
                add_stop(PRODUCT_PREFIX + identifier)
            else:
                state[NEAR_MODE], state[NEAR_PRODUCT] = NEAR_BY_PRODUCT, identifier

    return apply


def add_stop(token: str) -> None:
    stops = list(st.session_state.get(ROUTE_STOPS) or [])
    if token not in stops and len(stops) < routes.MAX_STOPS:
        st.session_state[ROUTE_STOPS] = [*stops, token]
        st.session_state.pop(ROUTE_PICKER, None)


def open_site(name: str | None) -> None:
    st.session_state[SELECTED_SITE], st.session_state[SELECTED_ZONE] = name, None


def open_zone(name: str | None) -> None:
    st.session_state[SELECTED_ZONE], st.session_state[SELECTED_SITE] = name, None


def reset_filters() -> None:
    st.session_state[LAYERS] = list(SITE_TYPES)
    st.session_state[ZONE_LAYER] = True
    for site_field in SITE_FILTERS:
        if site_field is not sites.SITE_TYPE:
            st.session_state[site_field.state_key] = []
