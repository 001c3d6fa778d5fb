"""示范区与文旅: the sidebar's layer and filter widgets, and the notice about a link's
ignored parameters."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from landmarks import i18n
from landmarks.data.model import SITE_TYPES
from landmarks.data.regions import Regions
from landmarks.i18n import t
from landmarks.maps.site_kinds import KIND_BY_NAME
from landmarks.query import sites
from landmarks.query.filter_fields import ChoiceField, Option
from landmarks.query.sites import SITE_FILTERS
from landmarks.ui import basemap, browser_values
from landmarks.ui import data as ui_data
from landmarks.ui.counted_labels import counted_label, uncounted
from landmarks.ui.link_notices import show as link_notices_shown
from landmarks.ui.zones_sites.state import (
    LAYERS,
    NOTICES,
    ZONE_LAYER,
    current_site_filter,
    glyph,
    reset_filters,
)


def _kind_label(kind: str, counts: pd.Series) -> str:
    return t(
        "{glyph} {kind}（{count}）",
        glyph=glyph(KIND_BY_NAME[kind]),
        kind=t(kind),
        count=int(counts.get(kind, 0)),
    )


def layer_widgets(data: ui_data.Tables, regions: Regions) -> None:
    """The sidebar: site layers (one per kind), the zone layer, place and product filters,
    the basemap."""
    counts = data.sites["site_type"].value_counts()
    with st.sidebar:
        st.pills(
            t("站点图层（类型）"),
            list(SITE_TYPES),
            selection_mode="multi",
            key=LAYERS,
            format_func=lambda kind: _kind_label(kind, counts),
            help=t("点选开关各类站点在地图和列表中的显示；括号内为已录入的站点数。"),
        )
        st.toggle(t("示范区图层"), key=ZONE_LAYER, help=t("在地图上标出示范区所在县和徽标。"))
        # Each list counts the sites every OTHER filter (and the layers on) lets through.
        _drop_outside_choices(regions, data.products["name"])
        offered = sites.site_option_counts(data.sites, regions, current_site_filter())
        for site_field in SITE_FILTERS:
            if site_field is not sites.SITE_TYPE:
                _choice_widget(site_field, offered[site_field.attr])
        st.button(
            t("重置筛选"), icon=":material/restart_alt:", on_click=reset_filters, width="stretch"
        )
    basemap.sidebar_select()


def _drop_outside_choices(regions: Regions, products: pd.Series) -> None:
    """A county of a prefecture just deselected goes; a choice the browser sent to a
    fresh session (after a restart) is the user's own, read by its name (its count may
    be stale).  ``products``: the data's product names."""
    state = st.session_state
    sent = browser_values.sent_keys()
    for site_field in SITE_FILTERS:
        if site_field is sites.SITE_TYPE or not isinstance(site_field, ChoiceField):
            continue  # the types are the layers (pills, drawn above)
        key = site_field.state_key
        chosen = list(state.get(key) or ())
        if key in sent or site_field.within:  # else no list is needed: skip building it
            chosen = _settled(site_field, chosen, key in sent, regions, products)
        state[key] = chosen


def _settled(
    site_field: ChoiceField, chosen: list[str], sent: bool, regions: Regions, products: pd.Series
) -> list[str]:
    """``chosen``, or the choice the browser ``sent``, inside the field's narrowed list."""
    state = st.session_state
    parent_field = next((f for f in SITE_FILTERS if f.attr == site_field.within), None)
    parent = tuple(state.get(parent_field.state_key) or ()) if parent_field else ()
    if site_field is sites.SITE_PRODUCT:  # its options are the data's, not the region's
        known = {str(name): str(name) for name in products}
    else:
        known = site_field.vocabulary(regions, parent)
    if sent:
        labels = {value: _option_name(label) for value, label in known.items()}
        found = browser_values.sent_choices(site_field.state_key, labels, read=uncounted)
        chosen = chosen if found is None else found
    return [value for value in chosen if value in known] if site_field.within else chosen


def _choice_widget(site_field: Any, options: list[Option]) -> None:
    offered = {option.value: option for option in options}
    st.multiselect(
        t(site_field.label),
        list(offered),
        key=site_field.state_key,
        format_func=lambda value: counted_label(
            _option_name(offered[value].label), offered[value].count
        ),
        placeholder=t(site_field.placeholder),
        help=t(site_field.help) if site_field.help else None,
        select_all=False,  # Streamlit's "Select all" is in English only
    )


def _option_name(label: str) -> str:
    """An option's name with its pinyin in English, unless the option already gives it."""
    return label if label.endswith(")") else i18n.name(label)


def link_notices() -> None:
    link_notices_shown(NOTICES, "zs_dismiss_notices")
