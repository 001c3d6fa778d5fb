"""Folium maps of Hubei: county base map, product clusters, demonstration zones, sites.

The base map (county polygons, prefecture outlines, zones, legend) changes only with the
data; products and sites are returned as separate feature groups so that the page can
swap them with ``st_folium(feature_group_to_add=...)`` without re-rendering the map.
"""

from __future__ import annotations

import json
from html import escape
from typing import Any

import folium
import folium.plugins
import pandas as pd
from branca.element import MacroElement
from jinja2 import Template

from landmarks.data.chains import CHAIN_COLORS, CHAINS
from landmarks.data.model import CONFIDENCE_LABELS, PRECISION_LABELS
from landmarks.data.regions import Regions

MIN_ZOOM = 6
MAX_ZOOM = 13
COUNTY_STYLE = {"fillColor": "#f3efe6", "color": "#9e9588", "weight": 0.8, "fillOpacity": 1.0}
COUNTY_HIGHLIGHT = {"fillColor": "#fde9c8", "weight": 2, "color": "#b5332e"}
ZONE_STYLE = {"fillColor": "#f6c445", "color": "#b8860b", "weight": 2, "fillOpacity": 0.55}
SITE_COLOR = "#c62828"
PRODUCTS_LAYER = "地理标志产品"
SITES_LAYER = "地标+文旅站点"

# Markers are circle markers (no icon images to fetch).  Rows carry only escaped field
# values; the popup is composed in the browser, which keeps the payload small at
# national scale.  Chain names and colours come from a palette indexed by row[2].
_POPUP_LABELS = ("产业链", "品类", "类型", "所在地", "获批年份", "可信度", "位置")
_PRODUCT_CALLBACK = """(function () {
    var chains = CHAIN_PALETTE;
    var labels = POPUP_LABELS;
    return function (row) {
        var chain = chains[row[2]];
        var marker = L.circleMarker(L.latLng(row[0], row[1]), {
            radius: 8, color: '#ffffff', weight: 1.5, fillColor: chain[1], fillOpacity: 0.95});
        marker.options.chainColor = chain[1];
        marker.bindTooltip(row[3] + '｜' + chain[0] + '｜' + row[4]);
        var cells = [chain[0]].concat(row.slice(5));
        var html = '<b style="font-size:15px">' + row[3] + '</b><table>';
        for (var i = 0; i < labels.length; i++) {
            html += '<tr><th style="text-align:left;padding-right:8px;color:#666">'
                + labels[i] + '</th><td>' + cells[i] + '</td></tr>';
        }
        marker.bindPopup(html + '</table>', {maxWidth: 320});
        return marker;
    };
})()""".replace(
    "CHAIN_PALETTE", json.dumps([[escape(c.name), c.color] for c in CHAINS], ensure_ascii=False)
).replace("POPUP_LABELS", json.dumps(_POPUP_LABELS, ensure_ascii=False))
_CHAIN_INDEX = {chain.name: index for index, chain in enumerate(CHAINS)}

# A cluster shows the share of each chain among its products as a ring of colours.
_CLUSTER_ICON = """function (cluster) {
    var markers = cluster.getAllChildMarkers();
    var counts = {};
    markers.forEach(function (m) {
        var c = m.options.chainColor || '#7f7f7f';
        counts[c] = (counts[c] || 0) + 1;
    });
    var stops = [], start = 0;
    Object.keys(counts).forEach(function (c) {
        var end = start + counts[c] / markers.length * 360;
        stops.push(c + ' ' + start + 'deg ' + end + 'deg');
        start = end;
    });
    var size = markers.length < 10 ? 34 : markers.length < 50 ? 42 : 50;
    return L.divIcon({
        html: '<div style="width:' + size + 'px;height:' + size + 'px;border-radius:50%;'
            + 'background:conic-gradient(' + stops.join(',') + ');display:flex;'
            + 'align-items:center;justify-content:center;box-shadow:0 0 0 2px #fff">'
            + '<span style="background:#fff;border-radius:50%;width:60%;height:60%;'
            + 'display:flex;align-items:center;justify-content:center;font:bold 13px sans-serif;'
            + 'color:#333">' + markers.length + '</span></div>',
        className: 'gi-cluster', iconSize: L.point(size, size)});
}"""


class _Legend(MacroElement):
    """A legend drawn as a Leaflet control in plain HTML (a branca colormap would pull d3
    from a CDN)."""

    _template = Template(
        """{% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.control({position: 'topright'});
        {{ this.get_name() }}.onAdd = function () {
            var div = L.DomUtil.create('div', 'gi-legend');
            div.innerHTML = {{ this.html|tojson }};
            return div;
        };
        {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
        {% endmacro %}"""
    )

    def __init__(self, html: str) -> None:
        super().__init__()
        self._name = "Legend"
        self.html = html


def legend_html(chains_shown: list[str], with_zones: bool, with_sites: bool) -> str:
    swatch = (
        '<div style="display:flex;align-items:center;gap:5px">'
        '<span style="flex:none;width:11px;height:11px;border-radius:{r};'
        'background:{color};box-shadow:0 0 0 1px #999"></span>{label}</div>'
    )
    chains = [
        swatch.format(r="50%", color=CHAIN_COLORS[name], label=escape(name))
        for name in chains_shown
    ]
    others = []
    if with_zones:
        zone_color = ZONE_STYLE["fillColor"]
        others.append(swatch.format(r="2px", color=zone_color, label="国家级保护示范区所在县"))
    if with_sites:
        others.append(swatch.format(r="2px", color=SITE_COLOR, label="地标+文旅站点"))
    return (
        '<div style="background:rgba(255,255,255,.92);padding:6px 9px;border-radius:6px;'
        'font:12px/1.45 sans-serif;box-shadow:0 1px 4px rgba(0,0,0,.3)">'
        '<b>图例 · 产业链</b><div style="display:grid;grid-template-columns:auto auto;'
        'column-gap:10px">' + "".join(chains) + "</div>" + "".join(others) + "</div>"
    )


def base_map(
    regions: Regions,
    zones: pd.DataFrame,
    chains_shown: list[str],
    *,
    with_sites: bool = False,
) -> folium.Map:
    """Hubei's counties and prefectures with zone counties highlighted; no tiles needed."""
    min_x, min_y, max_x, max_y = regions.counties.total_bounds
    fmap = folium.Map(
        location=[(min_y + max_y) / 2, (min_x + max_x) / 2],
        zoom_start=7,
        tiles=None,
        min_zoom=MIN_ZOOM,
        max_zoom=MAX_ZOOM,
        zoom_snap=0.25,
        prefer_canvas=True,
        control_scale=True,
    )
    # Without a tile layer Leaflet has no zoom limits and the cluster plugin fails.
    fmap.options.update(minZoom=MIN_ZOOM, maxZoom=MAX_ZOOM)
    fmap.get_root().header.add_child(
        folium.Element("<style>.leaflet-container{background:#dfe9f2}</style>")
    )
    folium.GeoJson(
        regions.county_features,
        name="县级行政区",
        style_function=lambda _feature: COUNTY_STYLE,
        highlight_function=lambda _feature: COUNTY_HIGHLIGHT,
        tooltip=folium.GeoJsonTooltip(
            fields=["name", "prefecture_name"], aliases=["县市区", "所属市州"]
        ),
        zoom_on_click=False,
    ).add_to(fmap)
    folium.GeoJson(
        regions.prefecture_features,
        name="市州界",
        style_function=lambda _feature: {"fill": False, "color": "#5d5348", "weight": 1.8},
        interactive=False,
    ).add_to(fmap)
    zone_layer = _zone_counties(regions, zones)
    if zone_layer is not None:
        zone_layer.add_to(fmap)
    _Legend(legend_html(chains_shown, zone_layer is not None, with_sites)).add_to(fmap)
    fmap.fit_bounds([[min_y, min_x], [max_y, max_x]])
    return fmap


def _zone_counties(regions: Regions, zones: pd.DataFrame) -> folium.GeoJson | None:
    if zones.empty:
        return None
    names = zones.groupby("county_adcode")["name"].apply(lambda s: "；".join(s))
    frame = regions.counties[regions.counties["adcode"].isin(names.index)].copy()
    frame["zones"] = frame["adcode"].map(names)
    return folium.GeoJson(
        json.loads(frame[["name", "zones", "geometry"]].to_json(drop_id=True)),
        name="地理标志保护示范区",
        style_function=lambda _feature: ZONE_STYLE,
        tooltip=folium.GeoJsonTooltip(fields=["name", "zones"], aliases=["县市区", "示范区"]),
    )


def _product_row(product: Any) -> list[Any]:
    year = "未注明" if pd.isna(product.year) else str(int(product.year))
    fields = (
        product.name,
        product.county or product.prefecture,
        product.category,
        product.gi_types,
        f"{product.prefecture} {product.county}".strip(),
        year,
        CONFIDENCE_LABELS.get(product.confidence, product.confidence),
        PRECISION_LABELS.get(product.precision, product.precision),
    )
    chain = _CHAIN_INDEX.get(product.chain, len(CHAINS) - 1)
    return [round(product.lat, 5), round(product.lon, 5), chain, *map(escape, fields)]


def product_layer(products: pd.DataFrame) -> folium.FeatureGroup:
    """Products as clustered circle markers coloured by chain."""
    group = folium.FeatureGroup(name=PRODUCTS_LAYER)
    folium.plugins.FastMarkerCluster(
        [_product_row(product) for product in products.itertuples()],
        callback=_PRODUCT_CALLBACK,
        icon_create_function=_CLUSTER_ICON,
        options={"maxClusterRadius": 45, "spiderfyOnMaxZoom": True, "showCoverageOnHover": False},
    ).add_to(group)
    return group


# Sites use a CSS div icon (no image to fetch); popups are bound as strings because
# folium.Popup would wrap them with jQuery, which the offline map does not load.
_SITE_CALLBACK = """function (row) {
    var icon = L.divIcon({className: 'gi-site', iconSize: [16, 16], iconAnchor: [8, 8],
        html: '<div style="width:13px;height:13px;background:SITE_COLOR;border:2px solid #fff;'
            + 'transform:rotate(45deg);box-shadow:0 0 2px rgba(0,0,0,.6)"></div>'});
    var marker = L.marker(new L.LatLng(row[0], row[1]), {icon: icon});
    marker.bindTooltip(row[2]);
    marker.bindPopup(row[3], {maxWidth: 320});
    return marker;
}""".replace("SITE_COLOR", SITE_COLOR)


class _PointLayer(MacroElement):
    """Unclustered markers built in the browser from rows, like FastMarkerCluster does."""

    _template = Template(
        """{% macro script(this, kwargs) %}
        var {{ this.get_name() }} = (function () {
            var callback = {{ this.callback }};
            var rows = {{ this.rows|tojson }};
            var group = L.featureGroup();
            rows.forEach(function (row) { callback(row).addTo(group); });
            group.addTo({{ this._parent.get_name() }});
            return group;
        })();
        {% endmacro %}"""
    )

    def __init__(self, rows: list[list[Any]], callback: str) -> None:
        super().__init__()
        self._name = "PointLayer"
        self.rows = rows
        self.callback = callback


def site_popup(site: Any) -> str:
    place = f"{site.prefecture} {site.county} {site.place}".strip()
    lines = [
        f"<b style='font-size:15px'>{escape(site.name)}</b>",
        escape(site.site_type),
        f"关联产品：{escape(site.products or '未注明')}",
        escape(f"{place}（{PRECISION_LABELS.get(site.precision, site.precision)}）"),
        escape(site.status),
    ]
    return "<br>".join(lines)


def site_layer(sites: pd.DataFrame) -> folium.FeatureGroup:
    """地标+文旅 sites as diamond markers, unclustered (they are few)."""
    rows = [
        [site.lat, site.lon, escape(f"{site.name}｜{site.site_type}"), site_popup(site)]
        for site in sites.itertuples()
    ]
    group = folium.FeatureGroup(name=SITES_LAYER)
    _PointLayer(rows, _SITE_CALLBACK).add_to(group)
    return group
