"""The 示范区与文旅 page's map: zones by programme, sites by kind, nearby circle, a route.

The base map is the explorer's (``builders.base_map``: geometry fetched once from the
published files) with this page's legend; it depends only on the data, so st_folium keeps
it across reruns.  Each rerun swaps ``zones_sites_layer`` only: which published site and
product rows to draw (positions), the zones as county adcodes with badge texts, a circle
and a route as a handful of points.  No geometry is sent again: the map script
(``GiMap.zonesSites`` in web/gi_sites.js) restyles the county polygons it already holds.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

import folium

from landmarks.i18n import N_, t
from landmarks.maps import options as gi
from landmarks.maps.builders import MapCall
from landmarks.maps.site_kinds import legend_rows
from landmarks.query.frame import Bounds

# How a zone's county is drawn, by programme: national (国家知识产权局) zones in gold as
# on the other maps, provincial zones outlined in gold, other ministries' programmes
# (the 2016 农业部 sample) in teal with a dashed outline, so it is not read as one of them.
ZONE_NATIONAL = "national"
ZONE_PROVINCIAL = "provincial"
ZONE_OTHER = "other"
ZONE_STYLES: dict[str, gi.PathStyle] = {
    ZONE_NATIONAL: {"fillColor": "#f6c445", "color": "#b8860b", "weight": 2, "fillOpacity": 0.55},
    ZONE_PROVINCIAL: {"fillColor": "#fbe7a6", "color": "#b8860b", "weight": 2, "fillOpacity": 0.4},
    ZONE_OTHER: {
        "fillColor": "#b2dfdb",
        "color": "#00695c",
        "weight": 2.5,
        "dashArray": "6 4",
        "fillOpacity": 0.35,
    },
}
ZONE_LEGEND: dict[str, str] = {
    ZONE_NATIONAL: N_("国家地理标志产品保护示范区（国家知识产权局）"),
    ZONE_PROVINCIAL: N_("省级示范区"),
    ZONE_OTHER: N_("其他部门项目（如原农业部示范样板）"),
}
ROUTE_STYLE: gi.PathStyle = {"color": "#b5332e", "weight": 4, "opacity": 0.85}
CIRCLE_STYLE: gi.PathStyle = {
    "color": "#1d6fa5",
    "weight": 1.5,
    "dashArray": "5 4",
    "fillColor": "#1d6fa5",
    "fillOpacity": 0.06,
}
_DECIMALS = 5


@dataclass(frozen=True)
class ZoneMark:
    """A zone as the map draws it: its county, a short badge and the tooltip's lines."""

    adcode: str
    name: str
    badge: str
    style: str  # a key of ZONE_STYLES
    tooltip: tuple[str, ...]


@dataclass(frozen=True)
class RouteStop:
    lat: float
    lon: float
    name: str
    kind_label: str  # 站点 / 地标产品


@dataclass(frozen=True)
class RouteDrawing:
    """Stops in order and one label per leg (``len(legs) == len(stops) - 1``)."""

    stops: tuple[RouteStop, ...]
    legs: tuple[str, ...]


@dataclass(frozen=True)
class Circle:
    lat: float
    lon: float
    km: float


def legend_html(site_kinds: Sequence[str], zone_styles: Sequence[str], with_route: bool) -> str:
    """The page's legend: the zone programmes and site kinds given (no kinds: all six),
    and the route line when one is drawn."""

    def zone_row(key: str) -> str:
        style = ZONE_STYLES[key]
        mark = (
            '<i class="gi-zone-other"></i>'
            if key == ZONE_OTHER
            else f'<i style="background:{style["fillColor"]};border-radius:2px"></i>'
        )
        return f'<div class="gi-swatch">{mark}{escape(t(ZONE_LEGEND[key]))}</div>'

    zones = "".join(zone_row(key) for key in ZONE_STYLES if key in zone_styles)
    route_label = t("主题线路（数字为顺序）")
    route = (
        f'<div class="gi-swatch"><i class="gi-route-line"></i>{escape(route_label)}</div>'
        if with_route
        else ""
    )
    title = escape(t("图例 · 示范区与文旅"))
    head = escape(t("地标+文旅站点"))
    return (
        f"<details open><summary><b>{title}</b></summary>"
        f"{zones}<div class='gi-legend-head'>{head}</div>{legend_rows(site_kinds)}"
        f"{route}</details>"
    )


def _point(lat: float, lon: float) -> tuple[float, float]:
    return (round(float(lat), _DECIMALS), round(float(lon), _DECIMALS))


def _circle(circle: Circle) -> gi.CircleOptions:
    lat, lon = _point(circle.lat, circle.lon)
    return {"lat": lat, "lon": lon, "km": circle.km}


def zones_sites_layer(
    rows_url: str,
    *,
    sites: Sequence[int],
    zones: Sequence[ZoneMark] = (),
    products: Sequence[int] = (),
    selected_site: str | None = None,
    circle: Circle | None = None,
    route: RouteDrawing | None = None,
    frame: Bounds | None = None,
    key: str = "",
) -> folium.FeatureGroup:
    """The layer swapped on each rerun.

    ``sites`` and ``products`` index the rows of the published file (``rows.map_rows``);
    the map fits ``frame`` when it differs from the last one it fitted.  ``key`` names
    the view for tests reading the map's state.
    """
    options: gi.ZonesSitesOptions = {
        "rows": rows_url,
        "key": key,
        "sites": [int(position) for position in sites],
        "products": [int(position) for position in products],
        "selectedSite": selected_site,
        "zones": [
            (zone.adcode, zone.name, zone.badge, zone.style, list(zone.tooltip)) for zone in zones
        ],
        "zoneStyles": {style: ZONE_STYLES[style] for style in {zone.style for zone in zones}},
        "circle": None if circle is None else _circle(circle),
        "circleStyle": CIRCLE_STYLE,
        "route": (
            {
                "stops": [(*_point(s.lat, s.lon), s.name, s.kind_label) for s in route.stops],
                "legs": list(route.legs),
            }
            if route is not None
            else None
        ),
        "routeStyle": ROUTE_STYLE,
        "frame": frame,
    }
    group = folium.FeatureGroup(name=t("示范区与文旅"))
    MapCall(lambda target: gi.call("zonesSites", target, options)).add_to(group)
    return group
