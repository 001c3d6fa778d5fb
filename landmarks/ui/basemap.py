"""The basemap select in the sidebar of the map pages, seeded from the link (``basemap``).

Tianditu is offered only when ``tianditu_key`` is set in the secrets
(``.streamlit/secrets.toml``).  The choice is read from the URL on entering a map page
whose link names one, then the select holds it, also on the next map page; pages that
write their link put ``to_query(choice)`` into it (品牌地图, 示范区与文旅).
"""

from __future__ import annotations

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from landmarks.i18n import t
from landmarks.maps import basemaps
from landmarks.maps import options as gi
from landmarks.query.urlparams import Params
from landmarks.ui import browser_values
from landmarks.ui.markdown import md

BASEMAP = "map_basemap"
_NOTICES = "map_basemap_notices"
_PAGE = "map_basemap_page"  # the page the choice was last read on
_CHOICE = "map_basemap_choice"  # the choice, kept across pages


def tianditu_key() -> str:
    try:
        return str(st.secrets.get("tianditu_key") or "").strip()
    except Exception:  # no secrets file at all: no key configured
        return ""


def _query_params() -> Params:
    return {key: st.query_params.get_all(key) for key in st.query_params}


def _page() -> str:
    context = get_script_run_ctx()
    return context.page_script_hash if context else ""


def current() -> str:
    """The chosen basemap: the select's value, seeded from the link on entering a page
    (callable before the select is drawn, e.g. to write the link first).  Moving to
    another map page keeps the choice unless that page's link names a basemap."""
    choices = basemaps.available(tianditu_key())
    # After a server restart the browser's select holds the choice (a fresh session
    # knows nothing yet): it wins over the link and the last page's.
    sent = browser_values.sent_choice(BASEMAP, {name: basemaps.label(name) for name in choices})
    if sent is not None:
        st.session_state[BASEMAP] = sent
    page = _page()
    entered = st.session_state.get(_PAGE) != page
    st.session_state[_PAGE] = page
    if entered:
        st.session_state[_NOTICES] = []  # a notice belongs to the link that caused it
        # Widget values do not outlive their page: carry the last choice over.
        if st.session_state.get(_CHOICE) in choices and sent is None:
            st.session_state[BASEMAP] = st.session_state[_CHOICE]
    # On the browser's Back/Forward the entry's link holds the choice (none: the default).
    back = browser_values.history_navigation()
    linked = back or (entered and basemaps.QUERY_KEY in st.query_params and sent is None)
    if linked or st.session_state.get(BASEMAP) not in choices:  # or the key was removed
        chosen, notices = basemaps.basemap_from_query(_query_params(), tianditu_key())
        st.session_state[BASEMAP] = chosen
        st.session_state[_NOTICES] = notices
    st.session_state[_CHOICE] = st.session_state[BASEMAP]
    return str(st.session_state[BASEMAP])


def sidebar_select() -> str:
    """The basemap select (in the sidebar); returns the chosen basemap's name."""
    current()
    choice = str(
        st.sidebar.selectbox(
            t("底图"),
            basemaps.available(tianditu_key()),
            format_func=basemaps.label,
            key=BASEMAP,
            help=t(
                "在线底图需联网；无法加载时地图自动改为无底图。高德底图使用 GCJ-02 坐标，"
                "县界和产品点随之换算。"
            ),
        )
    )
    for notice in st.session_state.get(_NOTICES) or []:
        st.sidebar.caption(md(notice))  # it repeats the link's own value
    return choice


def to_query(choice: str) -> dict[str, str]:
    """The link parameter of ``choice`` (none for the default)."""
    return basemaps.basemap_to_query(choice)


def options(choice: str) -> gi.TileChoice | None:
    """``GiMap.basemap``'s options for ``choice`` (None: no tiles)."""
    return basemaps.basemap_options(choice, tianditu_key())
