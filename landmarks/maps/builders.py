"""Folium maps of Hubei: a base map that loads its geometry once, and swappable data layers.

The base map's script only creates the Leaflet map and calls ``GiMap.base`` (web/gi_map.js)
with the URLs of the published geometry; it depends on the boundaries and the data version
alone, so st_folium keeps the same map across reruns.  ``data_layer`` returns the feature
group that st_folium swaps in place on each rerun: it names the product rows to show by
position, the selection (a county; the counties of a selected product's area) and the
bounds to frame, and carries no geometry: the script draws a selection from the county
polygons it has already loaded.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

import folium
from branca.element import MacroElement
from jinja2 import Template

from landmarks.data.chains import CHAIN_COLORS
from landmarks.i18n import N_, t
from landmarks.maps import assets, basemaps, screen_inset
from landmarks.maps import options as gi
from landmarks.maps.site_kinds import legend_rows
from landmarks.query.frame import Bounds

MIN_ZOOM = 5
MAX_ZOOM = 13

STYLES: gi.Styles = {
    "county": {"fillColor": "#f3efe6", "color": "#9e9588", "weight": 0.8, "fillOpacity": 1.0},
    "zone": {"fillColor": "#f6c445", "color": "#b8860b", "weight": 1.5, "fillOpacity": 0.55},
    "hover": {"fillColor": "#fde9c8", "weight": 2, "color": "#b5332e"},
    "prefecture": {"fill": False, "color": "#5d5348", "weight": 1.8},
    "selected": {"fillColor": "#b5332e", "fillOpacity": 0.12, "color": "#b5332e", "weight": 3.5},
    # The counties of a selected product's area (a multi-county scope or a prefecture).
    "area": {"fillColor": "#1d6fa5", "fillOpacity": 0.2, "color": "#0f4c81", "weight": 2.2},
    # Products whose area is wider than one county: a hollow, dashed ring in the chain's
    # colour at a stand-in position (the chain colour is set per marker).
    "wide_marker": {
        "radius": 8,
        "weight": 3,
        "dashArray": "4 3",
        "fillColor": "#ffffff",
        "fillOpacity": 0.95,
    },
    "marker": {"radius": 8, "color": "#ffffff", "weight": 1.5, "fillOpacity": 0.95},
}
WIDE_LEGEND = N_("全市范围或跨县产品（示意位置）")
# What a dot is and what a ring's number counts: a product (a family of registrations,
# 一品多标) registered in several places has a dot at each.
DOT_LEGEND = N_(
    "每个圆点是一个登记名称：一品多标的产品在不同地方登记时有多个圆点；圆环中的数字为圆点数。"
)
DOTS_NOTE = N_("图上 {dots} 个圆点：{products} 个产品的 {dots} 个登记名称")
# The map script's own texts (``say`` in web/gi_map.js), {placeholders} filled there.
MAP_TEXTS: dict[str, str] = {
    "problem": N_("地图数据加载失败，请刷新页面；如仍失败，请联系管理员。"),
    "zone": N_("示范区：{names}"),
    "fullscreen": N_("全屏显示"),
    "exitFullscreen": N_("退出全屏"),
    "separator": N_("｜"),
    "listSeparator": N_("、"),
    "stop": N_("{number}. {name}（{kind}）"),
    # The legend's fold button (its summary: the title, then this).
    "legendFold": N_("收起"),
    "legendUnfold": N_("展开"),
}
# The booth tour's card (展示模式 only).
TOUR_TEXTS: dict[str, str] = {
    "more": N_("{brands} 等，另有 {n} 个"),
    "playing": N_("自动播放 · 每 {seconds} 秒"),
    "paused": N_("已暂停 · {seconds} 秒无操作后从头播放"),
    "previous": N_("上一个"),
    "pause": N_("暂停"),
    "resume": N_("继续"),
    "next": N_("下一个"),
    "single": N_("只有这一步，不轮播"),
}


def map_texts(present: bool = False) -> dict[str, str]:
    """The texts the map script shows, in the current language (the tour's in 展示模式)."""
    texts = {**MAP_TEXTS, **(TOUR_TEXTS if present else {})}
    return {key: t(text) for key, text in texts.items()}


@dataclass(frozen=True)
class BaseFiles:
    """URLs of the published base geometry (see ``geometry`` and ``assets.publish``)."""

    counties: str
    prefectures: str


class MapCall(MacroElement):
    """``GiMap.<function>(<parent>, <options>);`` in the map's script, rendered by
    ``render`` (an ``options.call`` with its typed options) once the parent is named."""

    _template = Template(
        """{% macro script(this, kwargs) %}
        {{ this.statement() }}
        {% endmacro %}"""
    )

    def __init__(self, render: Callable[[str], str]) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "GiMap"
        self.render_call = render

    def statement(self) -> str:
        parent = self._parent
        assert parent is not None, "MapCall rendered before it was added to a map or layer"
        return self.render_call(parent.get_name())


def legend_html(
    chains_shown: Sequence[str],
    with_zones: bool,
    with_sites: bool,
    with_wide: bool = False,
    site_kinds: Sequence[str] = (),
) -> str:
    """The legend's HTML (a plain Leaflet control: a branca colormap would pull d3 from a
    CDN); the map script folds it away on narrow maps.  ``with_wide``: some products'
    areas are wider than one county (their markers are hollow rings).  Sites are listed
    by kind, each with its icon (``site_kinds``: the kinds present; empty: all six)."""

    def swatch(color: str, label: str, round_: bool) -> str:
        radius = "50%" if round_ else "2px"
        return (
            f'<div class="gi-swatch"><i style="border-radius:{radius};background:{color}"></i>'
            f"{escape(label)}</div>"
        )

    chains = [swatch(CHAIN_COLORS[name], t(name), True) for name in chains_shown]
    others = []
    if with_wide:
        others.append(
            f'<div class="gi-swatch"><i class="gi-wide"></i>{escape(t(WIDE_LEGEND))}</div>'
        )
    if with_zones:
        others.append(swatch(STYLES["zone"]["fillColor"], t("国家级保护示范区所在县"), False))
    if with_sites:
        head = escape(t("地标+文旅站点"))
        others.append(f'<div class="gi-legend-head">{head}</div>{legend_rows(site_kinds)}')
    title = t("图例 · 产业链")
    # gi-legend-count: the data layer's DOTS_NOTE, filled in by the map script.
    return (
        f"<details open><summary><b>{escape(title)}</b></summary>"
        f'<div class="gi-legend-count"></div>'
        f'<div class="gi-legend-grid">{"".join(chains)}</div>{"".join(others)}'
        f'<div class="gi-legend-note">{escape(t(DOT_LEGEND))}</div></details>'
    )


def dots_note(dots: int, products: int) -> str:
    """What the dots on the map are: ``dots`` registered names of ``products`` products."""
    return t(DOTS_NOTE, dots=dots, products=products)


def base_map(
    files: BaseFiles,
    bounds: Bounds,
    *,
    zones: dict[str, str],
    legend: str,
    report_clicks: bool,
    present: bool = False,
    basemap: gi.TileChoice | None = None,
) -> folium.Map:
    """The Leaflet map with the base layers loaded from ``files``; no tiles are needed.

    ``zones`` maps county adcodes to the names of their demonstration zones (highlighted);
    with ``report_clicks`` a click on a county or product is sent back to Python.  With
    ``present`` (展示模式) labels, markers and the legend are sized for a big screen and
    the full-screen button fills the screen with the whole page, not the map alone.
    ``basemap`` (``basemaps.basemap_options``): online tiles under translucent counties,
    falling back to none in the browser when they cannot load.
    """
    (south, west), (north, east) = bounds
    fmap = folium.Map(
        location=[(south + north) / 2, (west + east) / 2],
        zoom_start=7,
        tiles=None,
        min_zoom=MIN_ZOOM,
        max_zoom=MAX_ZOOM,
        zoom_snap=0.1,  # fits close to the screen (the tour's frames, gi_map.js clearView)
        prefer_canvas=True,
        control_scale=True,
    )
    # Without a tile layer Leaflet has no zoom limits and the cluster plugin fails.
    fmap.options.update(minZoom=MIN_ZOOM, maxZoom=MAX_ZOOM)
    # The boot script first: it fetches the geometry and the style sheet while the
    # script bundle loads (streamlit-folium loads a map's scripts one after the other).
    links = assets.boot_links((files.counties, files.prefectures))
    if links is not None:
        fmap.default_js = links
        fmap.default_css = []  # the boot script adds it, without waiting for the bundle
    styles = STYLES
    if basemap:
        # Before the base layers: with Amap it shifts the overlay to GCJ-02 as it is drawn.
        styles = basemaps.overlay_styles(STYLES, basemap["name"])
        tiles: gi.BasemapOptions = {
            **basemap,
            "offlineStyles": {
                "county": {"fillOpacity": STYLES["county"]["fillOpacity"]},
                "zone": {"fillOpacity": STYLES["zone"]["fillOpacity"]},
            },
        }
        MapCall(lambda target: gi.call("basemap", target, tiles)).add_to(fmap)
    base: gi.BaseOptions = {
        "counties": files.counties,
        "prefectures": files.prefectures,
        "bounds": bounds,
        "zones": zones,
        "styles": styles,
        "reportClicks": report_clicks,
        "present": present,
        "text": map_texts(present),
        "fill": True,
    }
    MapCall(lambda target: gi.call("base", target, base)).add_to(fmap)
    legend_options: gi.LegendOptions = {"html": legend}
    MapCall(lambda target: gi.call("legend", target, legend_options)).add_to(fmap)
    if (inset := screen_inset.inset_options()) is not None:  # a map of the whole country
        MapCall(lambda target: gi.call("inset", target, inset)).add_to(fmap)
    return fmap


def data_layer(
    rows_url: str,
    positions: Sequence[int],
    *,
    frame: Bounds | None,
    selected_county: str | None = None,
    selected_area: Sequence[str] = (),
    with_sites: bool = True,
    popups: bool = False,
    open_product: str | None = None,
    tour: gi.TourOptions | None = None,
    count: str = "",
) -> folium.FeatureGroup:
    """The layer swapped on each rerun: which product rows to show, selection and frame.

    ``positions`` index the rows of the published file (``rows.map_rows``); the map fits
    ``frame`` when it differs from the last one it fitted, so a click keeps the view.
    ``selected_area`` lists the county adcodes of a selected product's area, drawn as an
    outline and light fill over those counties.  ``open_product`` (a product's name)
    opens that product's popup (with ``popups``), as a selected product's card.
    ``tour`` (``presentation.tour_options``) makes the layer step through its steps in
    the browser instead of showing ``positions``.  ``count`` (``dots_note``) says in the
    legend what the dots shown are.
    """
    options: gi.DataOptions = {
        "rows": rows_url,
        "products": [int(position) for position in positions],
        "frame": frame,
        "selected": {"county": selected_county, "area": list(selected_area)},
        "sites": with_sites,
        "popups": popups,
        "open": open_product,
        "tour": tour,
        "count": count,
    }
    group = folium.FeatureGroup(name=t("地理标志产品"))
    MapCall(lambda target: gi.call("data", target, options)).add_to(group)
    return group
