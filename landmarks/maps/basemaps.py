"""Basemaps under the overlay: none (the default, works offline) or online tiles.

The overlay (counties, prefectures, markers, areas) is stored in WGS-84.  OpenStreetMap
and Tianditu (天地图, CGCS2000, within centimetres of WGS-84) line up with it as it is;
Amap (高德) tiles are drawn in GCJ-02, so the map script (web/gi_basemap.js) shifts the
overlay to GCJ-02 as it draws it.  A chosen online basemap that cannot load falls back
to none in the browser, with a notice.  The choice travels in the link as ``basemap``.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from urllib.parse import quote

from landmarks.i18n import N_, t
from landmarks.maps import options as gi
from landmarks.query import urlparams
from landmarks.query.urlparams import Params

QUERY_KEY = "basemap"
NONE = "none"
OSM = "osm"
TIANDITU = "tianditu"
AMAP = "amap"
DEFAULT = NONE
LABELS: dict[str, str] = {
    NONE: N_("无底图（离线可用）"),
    OSM: "OpenStreetMap",
    TIANDITU: N_("天地图"),
    AMAP: N_("高德地图"),
}
OFFLINE_NOTICE = N_("在线底图无法加载，已改为无底图")
# Over tiles the counties are translucent, so the basemap shows through them.
COUNTY_FILL_OVER_TILES = 0.35
ZONE_FILL_OVER_TILES = 0.45


@dataclass(frozen=True)
class TileLayer:
    """One Leaflet tile layer: URL template, subdomains, attribution and zoom limit."""

    url: str
    attribution: str
    subdomains: str = "abc"
    max_zoom: int = 18

    def options(self) -> gi.TileLayerOptions:
        return {
            "url": self.url,
            "attribution": self.attribution,
            "subdomains": self.subdomains,
            "maxZoom": self.max_zoom,
        }


_TIANDITU = (
    "https://t{{s}}.tianditu.gov.cn/{layer}_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0"
    "&LAYER={layer}&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles"
    "&TILEMATRIX={{z}}&TILEROW={{y}}&TILECOL={{x}}&tk={key}"
)


def label(basemap: str) -> str:
    """The basemap's name as the select shows it, in the current language."""
    return t(LABELS[basemap])


def available(tianditu_key: str = "") -> list[str]:
    """The basemaps offered: Tianditu only when a key is configured."""
    return [name for name in LABELS if name != TIANDITU or tianditu_key]


def basemap_from_query(params: Params, tianditu_key: str = "") -> tuple[str, list[str]]:
    """The basemap a link asks for; an unknown or unavailable one is dropped with a notice."""
    value = urlparams.last_value(params, QUERY_KEY).strip().lower()
    if not value:
        return DEFAULT, []
    if value not in LABELS:
        choices = t("、").join(LABELS)
        reason = t("应为 {choices} 之一", choices=choices)
        return DEFAULT, [urlparams.invalid_value_notice(QUERY_KEY, value, reason)]
    if value not in available(tianditu_key):
        reason = t("未配置天地图密钥")
        return DEFAULT, [urlparams.invalid_value_notice(QUERY_KEY, value, reason)]
    return value, []


def basemap_to_query(basemap: str) -> dict[str, str]:
    """The link parameter (none for the default)."""
    return {} if basemap in ("", DEFAULT) else {QUERY_KEY: basemap}


def tile_layers(basemap: str, tianditu_key: str = "") -> list[TileLayer]:
    """The tile layers of ``basemap``, bottom first (none for ``none``)."""
    if basemap == OSM:
        return [
            TileLayer(
                "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
                t("© OpenStreetMap 贡献者"),
                subdomains="",
                max_zoom=19,
            )
        ]
    if basemap == TIANDITU and tianditu_key:
        key = quote(tianditu_key.strip(), safe="")
        return [
            TileLayer(_TIANDITU.format(layer=layer, key=key), t("© 天地图"), subdomains="01234567")
            for layer in ("vec", "cva")  # the map, then its labels
        ]
    if basemap == AMAP:
        return [
            TileLayer(
                "https://webrd0{s}.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1"
                "&style=8&x={x}&y={y}&z={z}",
                t("© 高德地图"),
                subdomains="1234",
            )
        ]
    return []


def basemap_options(basemap: str, tianditu_key: str = "") -> gi.TileChoice | None:
    """Options of ``GiMap.basemap`` (web/gi_basemap.js); None when no tiles are drawn."""
    layers = tile_layers(basemap, tianditu_key)
    if not layers:
        return None
    return {
        "name": basemap,
        "layers": [layer.options() for layer in layers],
        "gcj02": basemap == AMAP,
        "notice": t(OFFLINE_NOTICE),
    }


def overlay_styles(styles: gi.Styles, basemap: str) -> gi.Styles:
    """``styles`` with translucent counties when tiles are drawn under them."""
    out = copy.deepcopy(styles)
    if basemap != NONE:
        out["county"]["fillOpacity"] = COUNTY_FILL_OVER_TILES
        out["zone"]["fillOpacity"] = ZONE_FILL_OVER_TILES
    return out
