"""The map component on the pages: published files cached per server, layers per rerun.

The geometry and the product rows are published once (per boundary set, per data
version) as static files that the browser caches; st_folium then re-sends only the small
base script and the data layer on a rerun.  Both carry names and labels, so each
language has its own files (and URLs, so a browser's cache never mixes them).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import folium
import pandas as pd
import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx
from streamlit_folium import st_folium

from landmarks import i18n
from landmarks.maps import assets, builders, geometry, rows
from landmarks.maps import options as gi
from landmarks.query import stats
from landmarks.query.frame import Bounds, province_bounds
from landmarks.ui import data as ui_data

MAP_HEIGHT = 640
_ZONE_SEPARATOR = "；"  # not UI: stats.national_zones_by_county joins names with it


def _url(relative: str) -> str:
    return assets.static_url(_base_url_path(), relative)


def _static_dir() -> Path:
    """The static folder Streamlit serves: ``static/`` beside the main script."""
    context = get_script_run_ctx()
    if context is None:
        return assets.STATIC_DIR
    return Path(context.main_script_path).resolve().parent / "static"


def _publish(content: bytes, name: str) -> str:
    return _url(assets.publish(content, name, _static_dir()))


def _base_url_path() -> str:
    return str(st.get_option("server.baseUrlPath") or "")


@st.cache_resource(show_spinner=False)
def prepare_map_assets() -> None:
    """Install Leaflet and the map script once per server and point folium at them."""
    assets.use_local_assets(_base_url_path(), _static_dir())


@st.cache_resource(show_spinner=False)
def _base_files(language: str) -> builders.BaseFiles:
    # Derived once per boundary content and language and kept on disk: a restart reads it.
    with i18n.language(language):
        layers = geometry.cached_base_geometry(ui_data.regions())
        counties_name, prefectures_name = geometry.file_names()
        provinces_name = geometry.provinces_file_name()
    return builders.BaseFiles(
        counties=_publish(layers.counties, counties_name),
        prefectures=_publish(layers.prefectures, prefectures_name),
        provinces=_publish(layers.provinces, provinces_name) if layers.provinces else None,
    )


def base_files(language: str | None = None) -> builders.BaseFiles:
    """Publish the base geometry of the loaded boundaries (once per server and language;
    ``language``: the current one when not given)."""
    return _base_files(language or i18n.current_language())


@st.cache_resource(show_spinner=False, max_entries=8)
def _rows_url(
    path: str, version: int, language: str, _products: pd.DataFrame, _sites: pd.DataFrame
) -> str:
    with i18n.language(language):
        content = rows.map_rows(_products, _sites)
    name = "rows.json" if language == i18n.DEFAULT_LANGUAGE else f"rows-{language}.json"
    return _publish(content, name)


def rows_url(data: ui_data.Tables, language: str | None = None) -> str:
    """The published product and site rows of this data version in ``language`` (the
    current one when not given)."""
    language = language or i18n.current_language()
    return _rows_url(str(ui_data.db_target()), data.version, language, data.products, data.sites)


def base_map(
    data: ui_data.Tables,
    *,
    report_clicks: bool,
    present: bool = False,
    basemap: gi.TileChoice | None = None,
) -> folium.Map:
    """The base map; ``basemap``: online tiles (``landmarks.ui.basemap.options``)."""
    zones = stats.national_zones_by_county(data.zones)
    if i18n.english():  # the tooltips' zone names, with their pinyin
        zones = {code: i18n.names(names.split(_ZONE_SEPARATOR)) for code, names in zones.items()}
    legend = builders.legend_html(
        stats.chains_present(data.products),
        bool(zones),
        not data.sites.empty,
        with_wide=bool(rows.is_wide(data.products).any()),
        site_kinds=list(dict.fromkeys(data.sites["site_type"])),
    )
    if data.products.empty and data.sites.empty and not zones:
        legend = ""  # a region before its first import: no legend of nothing
    return builders.base_map(
        base_files(),
        province_bounds(ui_data.regions()),
        zones=zones,
        legend=legend,
        report_clicks=report_clicks,
        present=present,
        basemap=basemap,
    )


def data_layer(
    data: ui_data.Tables,
    shown: pd.DataFrame,
    *,
    frame: Bounds | None,
    selected_county: str | None = None,
    selected_area: Sequence[str] = (),
    popups: bool = False,
    open_product: str | None = None,
    tour: gi.TourOptions | None = None,
) -> folium.FeatureGroup:
    """The products in ``shown`` (a subset of ``data.products``) and all sites; the
    selected county and the counties of a selected product's area are drawn.
    ``open_product``: a product (by name) whose popup opens (with ``popups``).  ``tour``:
    the booth tour's steps (``presentation.tour_options``), run in the browser."""
    positions: Sequence[int] = data.products.index.get_indexer(shown.index).tolist()
    return builders.data_layer(
        rows_url(data),
        positions,
        frame=frame,
        selected_county=selected_county,
        selected_area=selected_area,
        with_sites=not data.sites.empty,
        popups=popups,
        open_product=open_product,
        tour=tour,
        count=builders.dots_note(len(shown), stats.family_count(shown)),
    )


def show_map(
    fmap: folium.Map,
    layer: folium.FeatureGroup,
    *,
    key: str,
    on_click: Callable[[], None] | None = None,
    height: int = MAP_HEIGHT,
) -> None:
    """Render with the data layer swapped in place.

    st_folium itself returns nothing (``returned_objects=[]``): pans and zooms never rerun
    the page; the map script reports clicks, handled by ``on_click`` before the rerun.
    """
    st_folium(
        fmap,
        key=key,
        feature_group_to_add=layer,
        returned_objects=[],
        height=height,
        use_container_width=True,
        on_change=on_click,
        # st_folium renders the map itself right after; rendering the whole figure first
        # as well doubles the cost (seconds at national scale) for identical output.
        render=False,
    )
