"""The contract between Python and the map script: the options of every ``GiMap.<fn>`` call.

Each ``GiMap.<fn>(target, options)`` call of ``web/gi_map.js``, ``web/gi_sites.js`` and
``web/gi_basemap.js`` reads one options object; its keys are declared here once, as
TypedDicts (checked by mypy --strict), with what the script does with each.  Every
emitter builds these objects and renders its calls with ``call``: the app's folium maps
(``builders``, ``zones_sites``, ``choropleth``), the offline HTML (``offline``) and the
public page (``public_page``, whose ``gi_public.js`` reads ``PublicConfig``).
tests/maps/test_options.py checks that every ``options.<key>`` the scripts read is
declared here and every key declared here is read: a key added on one side only fails.

JSON keys are the script's (camelCase where it uses camelCase), hence some names here.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, Literal, NotRequired, TypedDict, overload

from landmarks.query.frame import Bounds
from landmarks.query.presentation import TourJson, TourStepJson

# A booth tour (``GiMap.data``'s ``tour``) and its steps are made by the query layer
# (``presentation.tour_options``), which cannot import this module: declared there.
TourOptions = TourJson
TourStepOptions = TourStepJson


class PathStyle(TypedDict, total=False):
    """Leaflet path options (``L.Path``/``L.CircleMarker``), given to Leaflet as they are."""

    fill: bool  # False: outline only (prefecture borders)
    fillColor: str  # the fill's CSS colour
    fillOpacity: float  # 0–1
    color: str  # the outline's CSS colour
    weight: float  # outline width, px (scaled in 展示模式 for markers)
    opacity: float  # the outline's opacity, 0–1
    dashArray: str  # SVG dash pattern of the outline, e.g. "4 3"
    radius: float  # circle markers: radius in px (scaled in 展示模式)


class Styles(TypedDict):
    """``GiMap.base``'s ``styles``: how each kind of shape is drawn."""

    county: PathStyle  # a county polygon (no zone, no choropleth class)
    zone: PathStyle  # a county with a national demonstration zone (options.zones)
    hover: PathStyle  # a county under the pointer (outline only on a choropleth)
    prefecture: PathStyle  # the prefecture outlines over the counties (not interactive)
    selected: PathStyle  # the selected county (GiMap.data's selected.county)
    area: PathStyle  # the counties of a selected product's area / a tour step's area
    wide_marker: PathStyle  # a product wider than one county: a dashed ring, chain colour
    marker: PathStyle  # a product's dot, filled with its chain's colour


class CountyStyles(TypedDict):
    """The county and zone fills restored when an online basemap falls back to none."""

    county: PathStyle  # merged into styles.county, then the counties restyled
    zone: PathStyle  # merged into styles.zone


class BaseOptions(TypedDict):
    """``GiMap.base(map, options)`` (gi_map.js): the base map, loaded once per page."""

    counties: str  # URL of the counties' GeoJSON, fetched once (load): polygons + labels
    prefectures: str  # URL of the prefectures' GeoJSON: outlines + labels; then data-gi-ready
    bounds: Bounds  # fitted first (the province), before any data layer frames its own
    zones: dict[str, str]  # county adcode → its zones' names: styles.zone + tooltip line
    styles: Styles  # the shapes' styles (state.options.styles for the other scripts)
    reportClicks: bool  # county/product clicks sent to Python (Streamlit component value)
    present: bool  # 展示模式: labels, markers, legend sized for a big screen; page full screen
    text: dict[str, str]  # the script's texts (builders.map_texts) for say(key)
    fill: bool  # False: the page lays the map out (public page); True: 100vh in its iframe
    # URL of the provinces' GeoJSON, national maps only: the map is then drawn by level of
    # detail (provinces, prefectures, counties by zoom; data-gi-lod), see gi_map.js.
    provinces: NotRequired[str]


class SelectedOptions(TypedDict):
    """``GiMap.data``'s ``selected``: drawn from the loaded county polygons."""

    county: str | None  # adcode outlined with styles.selected
    area: list[str]  # adcodes filled with styles.area (a product's area); data-gi-area


class DataOptions(TypedDict):
    """``GiMap.data(group, options)`` (gi_map.js): the layer swapped on each rerun."""

    rows: str  # URL of the published rows (rows.map_rows), fetched once per URL
    products: list[int]  # positions into rows' products to draw (clustered markers)
    frame: Bounds | None  # fitted when it differs from the last fit (a click keeps the view)
    selected: SelectedOptions  # the selected county and product area
    sites: bool  # draw every site's marker too
    popups: bool  # products open a popup (no Streamlit card: overview, offline, public)
    open: str | None  # a product's name whose popup opens (with popups)
    tour: TourOptions | None  # 展示模式: step through these instead of drawing products
    count: str  # the legend's line on what the dots are (builders.dots_note)


class LegendOptions(TypedDict):
    """``GiMap.legend(map, options)`` (gi_map.js): the legend control."""

    html: str  # the legend's HTML (builders.legend_html); '' draws none


class TileLayerOptions(TypedDict):
    """One tile layer of ``GiMap.basemap``'s ``layers`` (``L.tileLayer``)."""

    url: str  # the URL template ({s}, {z}, {x}, {y})
    attribution: str  # the credit shown in the attribution control
    subdomains: str  # the {s} values
    maxZoom: int  # maxZoom and maxNativeZoom of the layer


class TileChoice(TypedDict):
    """A chosen online basemap (``basemaps.basemap_options``)."""

    name: str  # data-gi-basemap on the container ('none' after falling back)
    layers: list[TileLayerOptions]  # added bottom first
    gcj02: bool  # Amap: the overlay is shifted WGS-84 → GCJ-02 as it is drawn
    notice: str  # shown when the tiles cannot load and the map falls back to none


class BasemapOptions(TileChoice):
    """``GiMap.basemap(map, options)`` (gi_basemap.js), called before ``GiMap.base``."""

    offlineStyles: CountyStyles  # the opaque fills restored when falling back to none


class ChoroplethOptions(TypedDict):
    """``GiMap.choropleth(group, options)`` (gi_map.js): the output map's classes."""

    key: str  # the view's name: data-gi-choropleth once drawn (tests)
    level: str  # 'prefecture': units are keyed by prefecture name, else by county adcode
    colors: list[str]  # fill colour per class index
    classStyle: PathStyle  # the rest of a classed county's style
    noData: PathStyle  # a county without a figure (counted in data-gi-nodata)
    noDataLabel: str  # the tooltip line of a county without a figure
    labels: list[str]  # the tooltip rows' labels, in order (choropleth.TOOLTIP_LABELS)
    text: dict[str, str]  # the tooltip's wording (choropleth.TOOLTIP_TEXTS) for say()
    unit: str  # the figures' unit, in the tooltip
    year: str  # the figures' year, in the tooltip
    ranked: int  # how many units are ranked ('第 n / ranked 名')
    # unit key → [class, value text, rank, approximate 0/1, scope, source, note] (the last
    # three index ``texts``, -1 for none)
    units: dict[str, list[int | str]]
    texts: list[str]  # texts shared by many units
    legend: str  # the legend's HTML, replacing the previous choropleth legend


class CircleOptions(TypedDict):
    """``GiMap.zonesSites``'s ``circle``: the nearby search's radius."""

    lat: float  # centre
    lon: float
    km: float  # radius


class RouteOptions(TypedDict):
    """``GiMap.zonesSites``'s ``route``: a polyline with numbered stops."""

    stops: list[tuple[float, float, str, str]]  # [lat, lon, name, kind label] in order
    legs: list[str]  # one label per leg (len(stops) - 1), placed clear of the badges


# [county adcode, zone name, badge text, zoneStyles key, tooltip lines]
ZoneRow = tuple[str, str, str, str, list[str]]


class ZonesSitesOptions(TypedDict):
    """``GiMap.zonesSites(group, options)`` (gi_sites.js): the 示范区与文旅 page's layer."""

    rows: str  # URL of the published rows (as GiMap.data's)
    key: str  # the view's name: data-gi-view once drawn (tests)
    sites: list[int]  # positions into rows' sites to draw (icons by kind)
    products: list[int]  # positions into rows' products to draw (dots, no popups)
    selectedSite: str | None  # a site's name ringed
    zones: list[ZoneRow]  # the zones' counties restyled, with a badge each
    zoneStyles: dict[str, PathStyle]  # style per zone programme (ZoneRow's style key)
    circle: CircleOptions | None  # the nearby search's circle
    circleStyle: PathStyle
    route: RouteOptions | None  # a themed route
    routeStyle: PathStyle
    frame: Bounds | None  # fitted as GiMap.data's frame


class InsetOptions(TypedDict):
    """``GiMap.inset(map, options)`` (gi_inset.js): the 南海诸岛 inset of a map of the whole
    country, a still second map in the lower right corner (``screen_inset``)."""

    title: str  # 南海诸岛, under the inset (and its aria-label)
    bounds: Bounds  # the inset's frame, fitted once
    land: dict[str, Any]  # GeoJSON geometry: the country's land inside the frame
    sea: dict[str, Any]  # GeoJSON geometry: the national 海域 lines
    approval: str  # the 审图号 line, added to the main map's attribution


class LeafletMapOptions(TypedDict):
    """``L.map``'s options on a page outside Streamlit (offline file, public page)."""

    zoomSnap: float
    minZoom: int
    maxZoom: int
    preferCanvas: bool


class PublicConfig(TypedDict):
    """The public page's ``#gi-public-config`` (read by gi_public.js)."""

    map: LeafletMapOptions  # L.map's options
    base: BaseOptions  # GiMap.base's options
    legend: str  # GiMap.legend's html
    inset: InsetOptions | None  # GiMap.inset's options (a map of the whole country)
    data: str  # URL of the page's data file (rows + what the page filters and shows)


CallName = Literal["base", "data", "legend", "basemap", "choropleth", "zonesSites", "inset"]

# Each call's options, for tests/maps/test_options.py (the script reads these keys).
CALLS: dict[str, type] = {
    "base": BaseOptions,
    "data": DataOptions,
    "legend": LegendOptions,
    "basemap": BasemapOptions,
    "choropleth": ChoroplethOptions,
    "zonesSites": ZonesSitesOptions,
    "inset": InsetOptions,
}


def script_json(value: object) -> str:
    """``value`` as JSON to write into an inline <script>: every '<' written as \\u003c
    (JSON has them only inside strings, where that is the same text), so nothing in it
    can close the element or open a comment."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")


@overload
def call(function: Literal["base"], target: str, options: BaseOptions) -> str: ...
@overload
def call(function: Literal["data"], target: str, options: DataOptions) -> str: ...
@overload
def call(function: Literal["legend"], target: str, options: LegendOptions) -> str: ...
@overload
def call(function: Literal["basemap"], target: str, options: BasemapOptions) -> str: ...
@overload
def call(function: Literal["choropleth"], target: str, options: ChoroplethOptions) -> str: ...
@overload
def call(function: Literal["zonesSites"], target: str, options: ZonesSitesOptions) -> str: ...
@overload
def call(function: Literal["inset"], target: str, options: InsetOptions) -> str: ...
def call(function: CallName, target: str, options: Mapping[str, object]) -> str:
    """The statement ``GiMap.<function>(<target>, <options>);``: ``target`` is a script
    expression (the map's or a layer's variable), ``options`` that call's typed options."""
    return f"GiMap.{function}({target}, {script_json(options)});"
