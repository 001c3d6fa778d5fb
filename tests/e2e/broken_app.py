"""A deliberately broken app: each page breaks one thing the browser checks guard against.

``test_browser_checks_fail.py`` opens every page and asserts that the same checks that
pass on the real app fail here.  The maps are the app's own (``landmarks.maps``, offline Leaflet)
with a single fault each, so a check can only fail for the fault under test.

The fixture copies this file into a temporary folder and runs it with the project as
the working directory; Leaflet is installed into a ``static`` folder beside the copy,
because Streamlit serves ``/app/static`` from the main script's folder.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import folium
import streamlit as st

sys.path.insert(0, str(Path.cwd()))  # the project: the fixture starts us from its root

from landmarks.maps import builders as maps
from landmarks.ui import data as state
from landmarks.ui import mapview


def _real_map() -> tuple[folium.Map, folium.FeatureGroup]:
    data = state.tables()
    fmap = mapview.base_map(data, report_clicks=True)
    return fmap, mapview.data_layer(data, data.products, frame=None, popups=True)


def external_tiles() -> None:
    """The real map plus an OpenStreetMap tile layer: tiles come from the internet."""
    fmap, layers = _real_map()
    folium.TileLayer("OpenStreetMap").add_to(fmap)
    mapview.show_map(fmap, layers, key="external_map")


def flat_map() -> None:
    """The real map with no height: present in the page, invisible to users."""
    fmap, layers = _real_map()
    mapview.show_map(fmap, layers, key="flat_map", height=0)


def mute_map() -> None:
    """Counties without tooltips and products without popups: clicks show nothing."""
    data = state.tables()
    regions = state.regions()
    fmap, _ = _real_map()
    plain = folium.Map(location=fmap.location, zoom_start=7, tiles=None, prefer_canvas=True)
    plain.options.update(minZoom=maps.MIN_ZOOM, maxZoom=maps.MAX_ZOOM)
    counties = regions.counties[["adcode", "name", "prefecture_name", "geometry"]]
    folium.GeoJson(
        json.loads(counties.to_json(drop_id=True)), style_function=lambda _f: maps.STYLES["county"]
    ).add_to(plain)
    group = folium.FeatureGroup(name="products")
    for product in data.products.itertuples():
        # A name tooltip lets the check find the marker; there is no popup to open.
        marker = folium.CircleMarker([product.lat, product.lon], radius=8, tooltip=product.name)
        marker.add_to(group)
    mapview.show_map(plain, group, key="mute_map")


def crash() -> None:
    st.title("会崩溃的页面")
    raise RuntimeError("broken on purpose")


def error_box() -> None:
    st.title("显示错误的页面")
    st.error("出错了：这是测试用的错误提示")


mapview.prepare_map_assets()
st.sidebar.caption("测试用的故障应用")  # what open_page waits for
st.navigation(
    [
        st.Page(external_tiles, title="外部瓦片", url_path="external", default=True),
        st.Page(flat_map, title="零高度地图", url_path="flat"),
        st.Page(mute_map, title="无响应地图", url_path="mute"),
        st.Page(crash, title="异常", url_path="crash"),
        st.Page(error_box, title="错误提示", url_path="error"),
    ]
).run()
