"""Pieces of a stand-alone map page, shared by the offline file and the public page.

Both pages draw the app's own map (``GiMap`` of ``web/gi_map.js``) with Leaflet and
markercluster from the installed xstatic packages, outside Streamlit: these functions
give their style sheets and scripts (Leaflet's images inlined as data: URLs, no source
maps), the map's options as the explorer's base map has them, the legend, and JSON made
safe inside a ``<script>`` element.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from landmarks import i18n
from landmarks.data.regions import Regions
from landmarks.maps import assets, builders, rows
from landmarks.maps import options as gi
from landmarks.query import stats
from landmarks.query.frame import province_bounds

MAP_ID = "map_div"  # as streamlit-folium names it, so the browser checks read both alike
_ZONE_SEPARATOR = "；"  # not UI: stats.national_zones_by_county joins names with it


def script_text(text: str) -> str:
    """A script's text made safe inside <script>: no source map, no closing tag."""
    return assets.script_text(text)


def no_markup(json_text: str) -> str:
    """JSON with every '<' written as \\u003c (valid only inside strings, where JSON has
    them): the same data, and nothing the HTML parser could take for a tag or a comment
    inside the <script> element."""
    return json_text.replace("<", "\\u003c")


def js(value: object) -> str:
    """``value`` as JSON to write into a script."""
    return gi.script_json(value)


def map_styles() -> list[str]:
    """The map's style sheets: Leaflet's, markercluster's and the app's own."""
    return assets.map_styles()


def map_scripts() -> list[str]:
    """Leaflet, markercluster and the app's map script, in loading order (the pages
    outside Streamlit draw neither zones nor basemaps; the 南海诸岛 inset for a national map)."""
    return assets.map_scripts(own=("gi_map.js", "gi_inset.js"))


def zone_names(zones: Mapping[str, str] | None) -> dict[str, str]:
    """County adcode → its zones' names as the tooltips show them (with pinyin in English)."""
    names = dict(zones or {})
    if i18n.english():
        return {code: i18n.names(text.split(_ZONE_SEPARATOR)) for code, text in names.items()}
    return names


def legend(shown: pd.DataFrame, sites: pd.DataFrame, with_zones: bool) -> str:
    """The legend of a map showing ``shown`` and ``sites``."""
    return builders.legend_html(
        stats.chains_present(shown),
        with_zones,
        not sites.empty,
        with_wide=bool(rows.is_wide(shown).any()) if not shown.empty else False,
        site_kinds=list(dict.fromkeys(sites["site_type"])) if not sites.empty else (),
    )


def base_options(
    regions: Regions,
    counties: str,
    prefectures: str,
    zones: Mapping[str, str],
    *,
    provinces: str | None = None,
    fill: bool = True,
) -> gi.BaseOptions:
    """``GiMap.base``'s options: the geometry's URLs, zones, styles; no click reports.
    ``provinces``: the provinces' URL of a national map, drawn by level of detail as in
    the app; ``fill``: False when the page lays the map out itself (the public page)."""
    options: gi.BaseOptions = {
        "counties": counties,
        "prefectures": prefectures,
        "bounds": province_bounds(regions),
        "zones": dict(zones),
        "styles": builders.STYLES,
        "reportClicks": False,
        "present": False,
        "text": builders.map_texts(),
        "fill": fill,
    }
    if provinces is not None:
        options["provinces"] = provinces
    return options


def map_options() -> gi.LeafletMapOptions:
    """Leaflet's own options, as the explorer's map has them."""
    return {
        "zoomSnap": 0.25,
        "minZoom": builders.MIN_ZOOM,
        "maxZoom": builders.MAX_ZOOM,
        "preferCanvas": True,
    }
