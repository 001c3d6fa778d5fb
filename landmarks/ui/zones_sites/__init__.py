"""示范区与文旅: the page's view state, cached queries, map and panels.

One map and the lists beside and below it follow the same state: the site layers (the
six kinds, in the sidebar with the place and product filters), the zone layer, the site
or zone whose card is open, the tab (示范区 / 站点列表 / 目标进度 / 周边查询 / 主题线路) and
what that tab draws on the map (a circle of N km, a route).

Modules (imports run one way: ``state`` ← ``sidebar``, ``layers``, ``cards``; ``layers`` ←
``panels``, ``routes``; ``charts`` ← ``panels``):

- ``state``: widget and query-string keys, cached data, the ``View``, URL in and out,
  callbacks;
- ``sidebar``: the layer and filter widgets, the notice about a link's ignored parameters;
- ``layers``: the base map, the zone marks, a tab's ``Overlay`` and frame, the map layer;
- ``cards``: the site and zone cards and the panel beside the map;
- ``panels``: the 示范区 / 站点列表 / 目标进度 / 周边查询 tabs and table exports;
- ``routes``: the 主题线路 tab (route builder) and its callbacks;
- ``charts``: the zone timeline and the target chart.

This package exports what ``pages/zones_sites.py`` and its tests use.
"""

from __future__ import annotations

from landmarks.ui.zones_sites.cards import side_panel
from landmarks.ui.zones_sites.layers import Overlay, base_map, default_frame, map_layer
from landmarks.ui.zones_sites.panels import nearby_panel, sites_panel, targets_panel, zones_panel
from landmarks.ui.zones_sites.routes import route_panel
from landmarks.ui.zones_sites.sidebar import layer_widgets, link_notices
from landmarks.ui.zones_sites.state import (
    LAYERS,
    MAP_KEY,
    ROUTE_LOAD,
    ROUTE_PICKER,
    SITE_PICKER,
    SITE_TABLE,
    TAB,
    TAB_NEARBY,
    TAB_ROUTE,
    TAB_SITES,
    TAB_TARGETS,
    TAB_ZONES,
    TABS,
    ZONE_LAYER,
    ZONE_TABLE,
    current_view,
    enter_page,
    on_map_click,
    prepared,
    shown_sites,
    sync_url,
)

__all__ = [
    "LAYERS",
    "MAP_KEY",
    "ROUTE_LOAD",
    "ROUTE_PICKER",
    "SITE_PICKER",
    "SITE_TABLE",
    "TAB",
    "TABS",
    "TAB_NEARBY",
    "TAB_ROUTE",
    "TAB_SITES",
    "TAB_TARGETS",
    "TAB_ZONES",
    "ZONE_LAYER",
    "ZONE_TABLE",
    "Overlay",
    "base_map",
    "current_view",
    "default_frame",
    "enter_page",
    "layer_widgets",
    "link_notices",
    "map_layer",
    "nearby_panel",
    "on_map_click",
    "prepared",
    "route_panel",
    "shown_sites",
    "side_panel",
    "sites_panel",
    "sync_url",
    "targets_panel",
    "zones_panel",
]
