"""The selected county drawn as its own feature group.

Kept out of ``maps.base_map`` on purpose: st_folium identifies the map by the base map's
script, so changing the base map for a selection would re-mount it (losing the user's
pan and zoom); a feature group is swapped in place instead.
"""

from __future__ import annotations

import json

import folium

from landmarks.data.regions import Regions

SELECTED_LAYER = "已选县市区"
# A strong outline and a light tint: the card's county stays readable when zoomed in.
SELECTED_STYLE = {"fillColor": "#b5332e", "fillOpacity": 0.12, "color": "#b5332e", "weight": 3.5}


def selected_county_layer(regions: Regions, adcode: str | None) -> folium.FeatureGroup:
    """The county outlined and tinted; an empty group when nothing (or nothing known) is."""
    group = folium.FeatureGroup(name=SELECTED_LAYER)
    if not adcode:
        return group
    frame = regions.counties[regions.counties["adcode"] == adcode]
    if frame.empty:
        return group
    folium.GeoJson(
        json.loads(frame[["adcode", "geometry"]].to_json(drop_id=True)),
        name=SELECTED_LAYER,
        style_function=lambda _feature: SELECTED_STYLE,
        # Not clickable: clicks fall through to the county layer underneath.
        interactive=False,
    ).add_to(group)
    return group
