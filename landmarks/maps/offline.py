"""One self-contained HTML file of a map view, for a USB stick and a laptop with no server.

Everything the map needs is inside the file: Leaflet and markercluster (from the
installed xstatic packages, their images as data: URLs), the app's own map script and
styles (``web/``), the county and prefecture geometry (``geometry.base_geometry``), the
shown products and the sites (``rows.map_rows``), the legend and the view's caption.  The
map script loads its files with ``fetch``; a small shim answers those calls from JSON
blocks in the page and refuses every other URL, so opening the file makes no request to
any host.  The map is the app's own (``GiMap``), so it looks and behaves like the
explorer's, with popups instead of cards.  The page is in the current language.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape

import pandas as pd

from landmarks import i18n
from landmarks.data.regions import Regions
from landmarks.data.visible import visible
from landmarks.i18n import t
from landmarks.maps import geometry, page_parts, rows, screen_inset
from landmarks.maps import options as gi
from landmarks.query.frame import Bounds

COUNTIES_FILE = "offline:counties.geojson"
PREFECTURES_FILE = "offline:prefectures.geojson"
PROVINCES_FILE = "offline:provinces.geojson"  # national maps only
ROWS_FILE = "offline:rows.json"
MAP_ID = page_parts.MAP_ID

# Answers the map script's fetch() from the page's own JSON blocks; anything else fails
# at once, so the page never reaches for the network.
_FETCH_SHIM = (  # not UI: its error is the console's, never shown
    """(function () {
  'use strict';
  var files = {};
  document.querySelectorAll('script[type="application/json"][data-gi-file]').forEach(
    function (block) { files[block.getAttribute('data-gi-file')] = block.textContent; });
  window.fetch = function (url) {
    var key = String(url);
    if (Object.prototype.hasOwnProperty.call(files, key)) {
      return Promise.resolve(new Response(files[key],
        {status: 200, headers: {'Content-Type': 'application/json'}}));
    }
    return Promise.reject(new TypeError('离线文件中没有 ' + key));
  };
})();"""
)

_PAGE_CSS = """
html, body { margin: 0; padding: 0; height: 100%; background: #fff; }
body { font-family: "Noto Sans SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC",
  "WenQuanYi Micro Hei", sans-serif; color: #2b2520; }
#map_div { position: absolute; inset: 0; }
.gi-offline-info { background: rgba(255, 255, 255, 0.94); padding: 8px 12px; border-radius: 6px;
  box-shadow: 0 1px 4px rgba(0, 0, 0, 0.25); max-width: 440px; font-size: 12px; line-height: 1.5; }
.gi-offline-info h1 { font-size: 18px; margin: 0 0 2px; font-weight: 700; }
.gi-offline-info p { margin: 0; color: #5b5249; }
.gi-offline-info .gi-offline-view { color: #2b2520; font-size: 13px; margin-bottom: 4px; }
@media print { .leaflet-control-zoom { display: none; } }
"""


@dataclass(frozen=True)
class OfflineText:
    """The caption printed on the map: title, the view in words, and notes (source line,
    data date, generated time, the view's link)."""

    title: str
    subtitle: str = ""
    notes: tuple[str, ...] = ()


def _json_block(name: str, content: bytes) -> str:
    text = page_parts.no_markup(content.decode("utf-8"))
    return f'<script type="application/json" data-gi-file="{escape(name)}">{text}</script>'


def _info_html(text: OfflineText) -> str:
    # The view's words may hold data (a product's name): shown as text, never reordered.
    parts = [f"<h1>{escape(visible(text.title))}</h1>"]
    if text.subtitle:
        parts.append(f'<p class="gi-offline-view">{escape(visible(text.subtitle))}</p>')
    parts += [f"<p>{escape(visible(note))}</p>" for note in text.notes if note]
    return "".join(parts)


def offline_html(
    regions: Regions,
    shown: pd.DataFrame,
    sites: pd.DataFrame,
    text: OfflineText,
    *,
    zones: Mapping[str, str] | None = None,
    frame: Bounds | None = None,
    selected_county: str | None = None,
    selected_area: Sequence[str] = (),
) -> bytes:
    """The page (UTF-8 bytes) of the map showing the ``shown`` products and all ``sites``,
    the counties in ``zones`` (adcode → zone names) highlighted, framed on ``frame`` (the
    province when None), with a selected county and product area drawn as in the app."""
    layers = geometry.base_geometry(regions)
    zone_names = page_parts.zone_names(zones)
    legend = page_parts.legend(shown, sites, bool(zone_names))
    provinces = None if layers.provinces is None else PROVINCES_FILE
    base_options = page_parts.base_options(
        regions, COUNTIES_FILE, PREFECTURES_FILE, zone_names, provinces=provinces
    )
    data_options: gi.DataOptions = {
        "rows": ROWS_FILE,
        "products": list(range(len(shown))),
        "frame": frame or base_options["bounds"],
        "selected": {"county": selected_county, "area": list(selected_area)},
        "sites": not sites.empty,
        "popups": True,
        "open": None,
        "tour": None,
        "count": "",
    }
    map_options = page_parts.map_options()
    styles = [*page_parts.map_styles(), _PAGE_CSS]
    scripts = page_parts.map_scripts()
    scripts.insert(2, _FETCH_SHIM)  # before the map script, which fetches
    # A map of the whole country: the 南海诸岛 inset.
    inset = screen_inset.inset_options(regions.region)
    inset_call = f"\n  {gi.call('inset', 'map', inset)}" if inset is not None else ""
    start = f"""(function () {{
  var map = L.map({page_parts.js(MAP_ID)}, {page_parts.js(map_options)});
  window.{MAP_ID} = map;
  {gi.call("base", "map", base_options)}
  {gi.call("legend", "map", {"html": legend})}{inset_call}
  var info = L.control({{position: 'bottomleft'}});
  info.onAdd = function () {{
    var box = L.DomUtil.create('div', 'gi-offline-info');
    box.innerHTML = {page_parts.js(_info_html(text))};
    return box;
  }};
  info.addTo(map);
  L.control.scale({{imperial: false, position: 'bottomright'}}).addTo(map);
  var layer = L.featureGroup().addTo(map);
  {gi.call("data", "layer", data_options)}
}})();"""
    page = [
        "<!DOCTYPE html>",
        f'<html lang="{"en" if i18n.english() else "zh-CN"}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(text.title)}</title>",
        *(f"<style>{css}</style>" for css in styles),
        _json_block(COUNTIES_FILE, layers.counties),
        _json_block(PREFECTURES_FILE, layers.prefectures),
        *([] if layers.provinces is None else [_json_block(PROVINCES_FILE, layers.provinces)]),
        _json_block(ROWS_FILE, rows.map_rows(shown, sites)),
        *(f"<script>{page_parts.script_text(script)}</script>" for script in scripts),
        "</head><body>",
        f'<div id="{MAP_ID}" role="region" aria-label="{escape(text.title)}"></div>',
        f"<script>{page_parts.script_text(start)}</script>",
        "</body></html>",
    ]
    return "\n".join(page).encode("utf-8")


def file_name(title: str) -> str:
    return t("{title}_离线地图.html", title=title)
