"""示范区与文旅: the map — its base map, the zones as marks, what a tab overlays and the
frame it asks for, and the small data layer sent on each rerun.

The map is the explorer's base map (geometry published once) with this page's legend;
each rerun sends only ``maps.zones_sites.zones_sites_layer``: positions, adcodes and at
most a few dozen points.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import folium
import pandas as pd

from landmarks import i18n
from landmarks.data.model import SITE_TYPES
from landmarks.data.regions import Regions
from landmarks.i18n import t
from landmarks.maps import builders
from landmarks.maps import options as gi
from landmarks.maps import zones_sites as zmap
from landmarks.query import zones
from landmarks.query.frame import Bounds, map_frame, province_bounds, region_bounds
from landmarks.query.geo import WGS84
from landmarks.ui import data as ui_data
from landmarks.ui import mapview
from landmarks.ui.zones_sites.state import Prepared, View

_ZONE_STYLE = {
    zones.PROGRAMME_CNIPA: zmap.ZONE_NATIONAL,
    zones.PROGRAMME_PROVINCIAL: zmap.ZONE_PROVINCIAL,
    zones.PROGRAMME_OTHER: zmap.ZONE_OTHER,
}


def base_map(prep: Prepared, basemap: gi.TileChoice | None = None) -> folium.Map:
    """The explorer's base map with this page's legend (the same on every rerun of a
    basemap); ``basemap``: online tiles (``landmarks.ui.basemap.options``)."""
    styles = [_ZONE_STYLE.get(p, zmap.ZONE_OTHER) for p in prep.zones["programme"]]
    return builders.base_map(
        mapview.base_files(),
        province_bounds(ui_data.regions()),
        zones={},
        legend=zmap.legend_html(list(SITE_TYPES), list(dict.fromkeys(styles)), with_route=True),
        report_clicks=True,
        basemap=basemap,
    )


def zone_badge(row: Mapping[Any, Any]) -> str:
    """The short text on a zone's badge: its programme in brief and its phase (or year)."""
    phase = t(str(row["phase"]))
    if row["programme"] == zones.PROGRAMME_OTHER:
        agriculture = "农业" in f"{row['level']}{row['name']}"  # not UI: matches the data
        brief = t("农业部样板") if agriculture else t("其他部门项目")
        year = "" if pd.isna(row["year"]) else str(int(row["year"]))
        return f"{brief}·{year or phase}"
    provincial = row["programme"] == zones.PROGRAMME_PROVINCIAL
    brief = t("省级示范区") if provincial else t("示范区")
    return f"{brief}·{phase}"


def zone_marks(zone_rows: pd.DataFrame) -> list[zmap.ZoneMark]:
    """The zones as the map draws them: county, badge, style by programme, tooltip."""
    marks = []
    for row in zone_rows.to_dict("records"):
        if not row["county_adcode"]:
            continue
        programme, phase = str(row["programme"]), str(row["phase"])
        tooltip = [
            i18n.name(str(row["name"])),
            t("{programme}｜{phase}", programme=t(programme), phase=t(phase)),
        ]
        if row["dates"]:
            tooltip.append(t("已知日期：{dates}", dates=i18n.joined(row["dates"])))
        tooltip.append(t("点击徽标查看示范区名片"))
        marks.append(
            zmap.ZoneMark(
                adcode=str(row["county_adcode"]),
                name=str(row["name"]),
                badge=zone_badge(row),
                style=_ZONE_STYLE.get(str(row["programme"]), zmap.ZONE_OTHER),
                tooltip=tuple(tooltip),
            )
        )
    return marks


@dataclass(frozen=True)
class Overlay:
    """What the open tab adds to the map: products, a circle, a route, the frame."""

    products: tuple[str, ...] = ()
    site: str | None = None  # a site the tab is about (ringed like the open card's)
    circle: zmap.Circle | None = None
    route: zmap.RouteDrawing | None = None
    frame: Bounds | None = None


# A frame drawn around a route or a circle leaves this share of its span free on each
# side, more at the top, where the legend is: stops near an edge stay in sight.
FRAME_MARGIN = 0.15
FRAME_MARGIN_TOP = 0.4


def _with_margin(bounds: Bounds) -> Bounds:
    (south, west), (north, east) = bounds
    height, width = north - south, east - west
    return (
        (round(south - height * FRAME_MARGIN, 4), round(west - width * FRAME_MARGIN, 4)),
        (round(north + height * FRAME_MARGIN_TOP, 4), round(east + width * FRAME_MARGIN, 4)),
    )


def circle_bounds(lat: float, lon: float, km: float) -> Bounds:
    """The box around a circle of ``km`` (geodesic offsets north, south, east and west)."""
    lons, lats, _ = WGS84.fwd([lon] * 4, [lat] * 4, [0, 90, 180, 270], [km * 1000.0] * 4)
    return _with_margin(((min(lats), min(lons)), (max(lats), max(lons))))


def default_frame(regions: Regions, view: View) -> Bounds:
    """The chosen counties or prefectures, else the whole province."""
    chosen = view.site_filter.counties or view.site_filter.prefectures
    return region_bounds(regions, chosen) or province_bounds(regions)


def points_frame(regions: Regions, points: pd.DataFrame) -> Bounds:
    """The box around a few points (a route's stops), with a margin."""
    # A route within one county is framed on its stops, not on the county's neighbours.
    stops = points[["lon", "lat"]].astype(float)
    return _with_margin(map_frame(regions, stops, filtered=True, neighbours=False))


def map_layer(
    data: ui_data.Tables,
    prep: Prepared,
    view: View,
    shown: pd.DataFrame,
    overlay: Overlay,
) -> folium.FeatureGroup:
    positions = [prep.positions[name] for name in shown["name"] if name in prep.positions]
    products = [prep.product_positions[n] for n in overlay.products if n in prep.product_positions]
    return zmap.zones_sites_layer(
        mapview.rows_url(data),
        sites=positions,
        zones=zone_marks(prep.zones) if view.zones_on else (),
        products=products,
        selected_site=overlay.site or view.site,
        circle=overlay.circle,
        route=overlay.route,
        frame=overlay.frame,
        key=view_key(view),
    )


def view_key(view: View) -> str:
    """The view's name as the map reports it (tests read it from the map's container):
    the tab, the kinds shown (positions in ``SITE_TYPES``), zones on, the open site."""
    kinds = "".join(str(SITE_TYPES.index(kind)) for kind in view.kinds)
    return "|".join([view.tab, kinds, "z" if view.zones_on else "", view.site or ""])
