"""The explorer's view state: filter widgets, selection and the URL that mirrors them.

Widget values in ``st.session_state`` are the state during a visit; the query string is
their shareable copy.  On entering the page (widget keys absent) and on the browser's
Back and Forward buttons the state is seeded from the URL, and on every run the URL is
rewritten from the state.  Which widget keys there
are, and how their values convert, comes from the filter table (``FILTER_FIELDS``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import pandas as pd
import streamlit as st

from landmarks.data.regions import Regions
from landmarks.maps import basemaps
from landmarks.query import filters, presentation, selection
from landmarks.query.filter_fields import YearBounds
from landmarks.query.filters import FILTER_FIELDS, ProductFilter
from landmarks.query.presentation import Presentation
from landmarks.query.selection import Selection
from landmarks.ui import browser_values, card_scroll, language, public_address

SELECTED_PRODUCT = "explorer_product"
SELECTED_COUNTY = "explorer_county"
FOCUS = "explorer_focus"
AREA_FOCUS = "explorer_area_focus"
LAST_PRODUCT = "explorer_last_product"
NOTICES = "explorer_notices"
MAP_KEY = "explorer_map"
TABLE_KEY = "explorer_table"
TABLE_NAMES = "explorer_table_names"
# 展示模式 and its tour (widgets in landmarks/ui/presentation.py).
PRESENT = "explorer_present"
TOUR = "explorer_tour"
EVERY = "explorer_tour_every"
IDLE = "explorer_tour_idle"
VIEWS = "explorer_tour_views"
PRESENT_MAP_KEY = "explorer_present_map"
# Always drawn, so its key is absent exactly when the page is entered afresh.
_ENTERED = filters.SEARCH.state_key


def _query_params() -> dict[str, list[str]]:
    return {key: st.query_params.get_all(key) for key in st.query_params}


def _filter_values(product_filter: ProductFilter, bounds: YearBounds) -> dict[str, Any]:
    """The filter widgets' values that show ``product_filter``."""
    values: dict[str, Any] = {}
    for field in FILTER_FIELDS:
        values |= field.widget_values(field.value_in(product_filter), bounds)
    return values


def enter_page(products: pd.DataFrame, regions: Regions) -> None:
    """On entering the page, take filters and selection from the URL (once per visit),
    and again on the browser's Back and Forward buttons.

    Streamlit makes each change of the query string a history entry (``pushState``) and
    on Back/Forward reruns the page with the entry's URL; the widgets keep what they
    showed, so the view is taken from the URL again here (written back unchanged by
    ``sync_url``, which then replaces the entry rather than adding one).
    """
    if _ENTERED in st.session_state and not browser_values.history_navigation():
        return
    params = _query_params()
    product_filter, notices = filters.filter_from_query(
        params,
        regions,
        other_keys=(
            *selection.SELECTION_QUERY_KEYS,
            *presentation.QUERY_KEYS,
            basemaps.QUERY_KEY,
        ),
    )
    shown_as, present_notices = presentation.presentation_from_query(params)
    bounds = filters.year_bounds(products)
    product_filter, year_notices = filters.fit_years(product_filter, bounds)
    chosen, selection_notices = selection.selection_from_query(params, products, regions)
    # After a server restart the page reconnects to a fresh session whose first run
    # carries the user's latest change: the browser's widget values win over the link.
    browser_values.seed(_filter_values(product_filter, bounds) | _presentation_values(shown_as))
    set_selection(chosen)
    # A click remembered from an earlier visit must not fire again.
    st.session_state.pop(MAP_KEY, None)
    st.session_state[FOCUS] = (
        [chosen.county] if chosen.county else [],
        filters.filter_to_query(product_filter),
    )
    st.session_state.pop(AREA_FOCUS, None)
    st.session_state.pop(LAST_PRODUCT, None)
    st.session_state[NOTICES] = (
        notices + present_notices + year_notices + selection_notices + public_address.link_notices()
    )


def reset_filters(bounds: YearBounds) -> None:
    """Button callback: every filter back to 'all', selection and notices cleared."""
    st.session_state.update(_filter_values(ProductFilter(), bounds))
    set_selection(Selection())
    st.session_state[NOTICES] = []


def current_filter(bounds: YearBounds) -> ProductFilter:
    """The filter the widgets show."""
    state = st.session_state.to_dict()
    values = {field.attr: field.from_widgets(state, bounds) for field in FILTER_FIELDS}
    return ProductFilter(**values)


def current_selection() -> Selection:
    return Selection(
        product=st.session_state.get(SELECTED_PRODUCT), county=st.session_state.get(SELECTED_COUNTY)
    )


def set_selection(chosen: Selection) -> None:
    st.session_state[SELECTED_PRODUCT] = chosen.product
    st.session_state[SELECTED_COUNTY] = chosen.county


def current_presentation() -> Presentation:
    """展示模式 and its tour as the sidebar's widgets (or a link) set them."""
    state = st.session_state
    return Presentation(
        present=bool(state.get(PRESENT)),
        tour=str(state.get(TOUR) or presentation.TOUR_NONE),
        every=int(state.get(EVERY) or presentation.EVERY_DEFAULT),
        idle=int(state.get(IDLE) or presentation.IDLE_DEFAULT),
        views=tuple(state.get(VIEWS) or ()),
    )


def _presentation_values(shown_as: Presentation) -> dict[str, Any]:
    return {
        PRESENT: shown_as.present,
        TOUR: shown_as.tour,
        EVERY: shown_as.every,
        IDLE: shown_as.idle,
        VIEWS: list(shown_as.views),
    }


def save_view(query: str) -> None:
    """Button callback: add a view (a filter's query string) to the tour's saved views."""
    views = list(st.session_state.get(VIEWS) or ())
    if query not in views:
        views = [*views, query][-presentation.MAX_VIEWS :]
    st.session_state[VIEWS] = views


def clear_views() -> None:
    st.session_state[VIEWS] = []


def exit_presentation() -> None:
    """Button callback: back to the ordinary page, the filter kept."""
    st.session_state[PRESENT] = False


def sync_url(
    product_filter: ProductFilter,
    chosen: Selection,
    shown_as: Presentation | None = None,
    extra: Mapping[str, str] | None = None,
) -> None:
    """Mirror the view in the query string (written only when it changed); ``extra``:
    parameters of other controls (the basemap)."""
    wanted = (
        filters.filter_to_query(product_filter)
        | selection.selection_to_query(chosen)
        | presentation.presentation_to_query(shown_as or Presentation())
        | dict(extra or {})
        | language.to_query()
        | public_address.to_query()
    )
    if st.query_params.to_dict() != wanted:
        st.query_params.from_dict(wanted)


def on_map_click(products: pd.DataFrame, regions: Regions) -> Callable[[], None]:
    """st_folium's ``on_change`` callback: select what the click points at, before the run."""

    def apply() -> None:
        chosen = selection.selection_from_click(st.session_state.get(MAP_KEY), products, regions)
        if chosen is not None:
            set_selection(chosen)
            card_scroll.tapped()

    return apply


def frame_places(
    product_filter: ProductFilter, *, product: str | None = None, area: Sequence[str] = ()
) -> list[str]:
    """What the map frames, each until the user changes the filters: the area of the
    product last selected whose area is wider than one county (``area``, see
    ``selection.selected_area``; the view stays when its card is closed or a county is
    clicked), else the county a shared link selected; then the chosen counties or
    prefectures (none: the filtered products)."""
    query = filters.filter_to_query(product_filter)
    if product != st.session_state.get(LAST_PRODUCT):  # newly selected (or closed)
        st.session_state[LAST_PRODUCT] = product
        if product and area:
            st.session_state[AREA_FOCUS] = (list(area), query)
    for key in (AREA_FOCUS, FOCUS):
        places, focus_filter = st.session_state.get(key) or ([], None)
        if places and focus_filter == query:
            return [str(place) for place in places]
    return list(product_filter.counties or product_filter.prefectures)


def choose(product: str | None, county: str | None) -> None:
    """Callback of card buttons and pickers: show these cards (None closes one)."""
    set_selection(Selection(product=product, county=county))


def show_only_county(prefecture_adcode: str, county_adcode: str) -> None:
    """Button callback: narrow the filters to one county."""
    st.session_state[filters.PREFECTURE.state_key] = [prefecture_adcode]
    st.session_state[filters.COUNTY.state_key] = [county_adcode]
