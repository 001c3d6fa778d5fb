"""The basemap select in the sidebar of the map pages, seeded from the link (``basemap``).

Tianditu is offered only when ``tianditu_key`` is set in the secrets
(``.streamlit/secrets.toml``).  The choice is read once per visit from the URL, then the
select holds it; pages put ``to_query(choice)`` into the link they write.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from landmarks.maps import basemaps
from landmarks.query.urlparams import Params

BASEMAP = "map_basemap"
_NOTICES = "map_basemap_notices"


def tianditu_key() -> str:
    try:
        return str(st.secrets.get("tianditu_key") or "").strip()
    except Exception:  # no secrets file at all: no key configured
        return ""


def _query_params() -> Params:
    return {key: st.query_params.get_all(key) for key in st.query_params}


def current() -> str:
    """The chosen basemap: the select's value, seeded from the link on entering the page
    (callable before the select is drawn, e.g. to write the link first)."""
    choices = basemaps.available(tianditu_key())
    if st.session_state.get(BASEMAP) not in choices:  # entering the page, or key removed
        chosen, notices = basemaps.basemap_from_query(_query_params(), tianditu_key())
        st.session_state[BASEMAP] = chosen
        st.session_state[_NOTICES] = notices
    return str(st.session_state[BASEMAP])


def sidebar_select() -> str:
    """The basemap select (in the sidebar); returns the chosen basemap's name."""
    current()
    choice = str(
        st.sidebar.selectbox(
            "底图",
            basemaps.available(tianditu_key()),
            format_func=basemaps.LABELS.__getitem__,
            key=BASEMAP,
            help="在线底图需联网；无法加载时地图自动改为无底图。高德底图使用 GCJ-02 坐标，"
            "县界和产品点随之换算。",
        )
    )
    for notice in st.session_state.get(_NOTICES) or []:
        st.sidebar.caption(notice)
    return choice


def to_query(choice: str) -> dict[str, str]:
    """The link parameter of ``choice`` (none for the default)."""
    return basemaps.basemap_to_query(choice)


def options(choice: str) -> dict[str, Any] | None:
    """``GiMap.basemap``'s options for ``choice`` (None: no tiles)."""
    return basemaps.basemap_options(choice, tianditu_key())
