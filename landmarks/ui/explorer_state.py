"""The explorer's view state: filter widgets, selection and the URL that mirrors them.

Widget values in ``st.session_state`` are the state during a visit; the query string is
their shareable copy.  On entering the page (widget keys absent) the state is seeded from
the URL, and on every run the URL is rewritten from the state.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd
import streamlit as st

from landmarks.data.regions import Regions
from landmarks.query import filters, selection
from landmarks.query.filters import ProductFilter
from landmarks.query.selection import MapClick, Selection

QUERY = "explorer_query"
CHAINS = "explorer_chains"
CATEGORIES_KEY = "explorer_categories"
GI_TYPES_KEY = "explorer_gi_types"
PREFECTURES = "explorer_prefectures"
COUNTIES = "explorer_counties"
YEARS = "explorer_years"
YEAR_BOUNDS = "explorer_year_bounds"
CONFIDENCES = "explorer_confidences"
ZONE_ONLY = "explorer_zone_only"
SELECTED_PRODUCT = "explorer_product"
SELECTED_COUNTY = "explorer_county"
LAST_CLICK = "explorer_last_click"
NOTICES = "explorer_notices"
MAP_KEY = "explorer_map"
TABLE_KEY = "explorer_table"
TABLE_NAMES = "explorer_table_names"

_LIST_KEYS = (CHAINS, CATEGORIES_KEY, GI_TYPES_KEY, PREFECTURES, COUNTIES, CONFIDENCES)


def year_bounds(products: pd.DataFrame) -> tuple[int, int] | None:
    """The slider's range: the approval years present in the data (None if fewer than 2)."""
    years = products["year"].dropna()
    if years.empty or int(years.min()) == int(years.max()):
        return None
    return int(years.min()), int(years.max())


def _query_params() -> dict[str, list[str]]:
    return {key: st.query_params.get_all(key) for key in st.query_params}


def _seed(product_filter: ProductFilter, bounds: tuple[int, int] | None) -> list[str]:
    """Put a filter into the widget keys; returns notices about years outside the data."""
    notices = []
    state = st.session_state
    state[QUERY] = product_filter.query
    state[CHAINS] = list(product_filter.chains)
    state[CATEGORIES_KEY] = list(product_filter.categories)
    state[GI_TYPES_KEY] = list(product_filter.gi_types)
    state[PREFECTURES] = list(product_filter.prefectures)
    state[COUNTIES] = list(product_filter.counties)
    state[CONFIDENCES] = list(product_filter.confidences)
    state[ZONE_ONLY] = product_filter.zone_only
    if bounds is not None:
        years = product_filter.years or bounds
        start, end = max(years[0], bounds[0]), min(years[1], bounds[1])
        if start > end:
            notices.append(
                f"链接参数 year={years[0]}-{years[1]} 超出数据的年份范围"
                f"（{bounds[0]}–{bounds[1]}），已忽略"
            )
            start, end = bounds
        state[YEARS] = (start, end)
    return notices


def enter_page(products: pd.DataFrame, regions: Regions) -> None:
    """On entering the page, take filters and selection from the URL (once per visit)."""
    if CHAINS in st.session_state:
        return
    params = _query_params()
    product_filter, notices = filters.filter_from_query(
        params, regions, other_keys=selection.SELECTION_QUERY_KEYS
    )
    chosen, selection_notices = selection.selection_from_query(params, products, regions)
    notices += _seed(product_filter, year_bounds(products)) + selection_notices
    set_selection(chosen)
    # A click remembered from an earlier visit must not fire again.
    st.session_state.pop(LAST_CLICK, None)
    st.session_state.pop(MAP_KEY, None)
    st.session_state[NOTICES] = notices


def reset_filters() -> None:
    """Button callback: every filter back to 'all', selection and notices cleared."""
    for key in _LIST_KEYS:
        st.session_state[key] = []
    st.session_state[QUERY] = ""
    st.session_state[ZONE_ONLY] = False
    if YEAR_BOUNDS in st.session_state:
        st.session_state[YEARS] = st.session_state[YEAR_BOUNDS]
    set_selection(Selection())
    st.session_state[NOTICES] = []


def current_filter(bounds: tuple[int, int] | None) -> ProductFilter:
    state = st.session_state
    years = tuple(state.get(YEARS) or ()) if bounds is not None else ()
    return ProductFilter(
        query=str(state.get(QUERY) or "").strip()[: filters.MAX_QUERY_LENGTH],
        chains=tuple(state.get(CHAINS) or ()),
        categories=tuple(state.get(CATEGORIES_KEY) or ()),
        gi_types=tuple(state.get(GI_TYPES_KEY) or ()),
        prefectures=tuple(state.get(PREFECTURES) or ()),
        counties=tuple(state.get(COUNTIES) or ()),
        years=(int(years[0]), int(years[1])) if years and tuple(years) != bounds else None,
        confidences=tuple(state.get(CONFIDENCES) or ()),
        zone_only=bool(state.get(ZONE_ONLY)),
    )


def current_selection() -> Selection:
    return Selection(
        product=st.session_state.get(SELECTED_PRODUCT), county=st.session_state.get(SELECTED_COUNTY)
    )


def set_selection(chosen: Selection) -> None:
    st.session_state[SELECTED_PRODUCT] = chosen.product
    st.session_state[SELECTED_COUNTY] = chosen.county


def sync_url(product_filter: ProductFilter, chosen: Selection) -> None:
    """Mirror the view in the query string (written only when it changed)."""
    wanted = filters.filter_to_query(product_filter) | selection.selection_to_query(chosen)
    if st.query_params.to_dict() != wanted:
        st.query_params.from_dict(wanted)


def take_click(value: Mapping[str, Any] | None, products: pd.DataFrame, regions: Regions) -> bool:
    """Select what a new map click points at; True when the selection changed.

    Reruns deliver the same click again, so only a click unlike the last handled one
    counts.
    """
    click: MapClick | None = selection.click_from_map(value)
    if click is None or click == st.session_state.get(LAST_CLICK):
        return False
    st.session_state[LAST_CLICK] = click
    chosen = selection.resolve_click(click, products, regions)
    if chosen is None or chosen == current_selection():
        return False
    set_selection(chosen)
    return True


def choose(product: str | None, county: str | None) -> None:
    """Callback of card buttons and pickers: show these cards (None closes one)."""
    set_selection(Selection(product=product, county=county))


def dismiss_notices() -> None:
    st.session_state[NOTICES] = []


def show_only_county(prefecture_adcode: str, county_adcode: str) -> None:
    """Button callback: narrow the filters to one county."""
    st.session_state[PREFECTURES] = [prefecture_adcode]
    st.session_state[COUNTIES] = [county_adcode]
