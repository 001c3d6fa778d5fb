"""Leaflet and its plugins served by the app itself, so the map works with no internet.

The files come from the installed PyPI packages xstatic-leaflet and
xstatic-leaflet-markercluster and are copied into Streamlit's static folder at start-up
(Streamlit will not follow links out of that folder).  Folium is then pointed at them.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import folium
import folium.plugins
import xstatic.pkg.leaflet as xs_leaflet
import xstatic.pkg.leaflet_markercluster as xs_markercluster

PROJECT_DIR = Path(__file__).resolve().parents[2]
STATIC_DIR = PROJECT_DIR / "static"
VENDOR_SUBDIR = "vendor"

_PACKAGES = {
    "leaflet": (Path(xs_leaflet.BASE_DIR), ("leaflet.js", "leaflet.css", "images")),
    "markercluster": (
        Path(xs_markercluster.BASE_DIR),
        ("leaflet.markercluster.js", "MarkerCluster.css", "MarkerCluster.Default.css"),
    ),
}


def install_static_assets(static_dir: Path = STATIC_DIR) -> Path:
    """Copy the vendored files into ``static/vendor`` (only what is missing or changed)."""
    vendor = static_dir / VENDOR_SUBDIR
    for package, (source_dir, names) in _PACKAGES.items():
        for name in names:
            source, target = source_dir / name, vendor / package / name
            if source.is_dir():
                shutil.copytree(source, target, dirs_exist_ok=True)
            elif not target.exists() or target.stat().st_size != source.stat().st_size:
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(source, target)
    return vendor


def static_url_prefix(base_url_path: str = "") -> str:
    """URL path of the vendored files as Streamlit serves them (``/app/static/...``)."""
    base = base_url_path.strip("/")
    return f"{'/' + base if base else ''}/app/static/{VENDOR_SUBDIR}"


def use_local_assets(url_prefix: str) -> None:
    """Point every folium class the app uses at the local files, replacing all CDN links.

    Only Leaflet itself is kept for the map: the app draws circle markers and its own
    legend, so jQuery, Bootstrap and Awesome Markers are not needed.
    """
    folium.Map.default_js = [("leaflet", f"{url_prefix}/leaflet/leaflet.js")]
    folium.Map.default_css = [("leaflet_css", f"{url_prefix}/leaflet/leaflet.css")]
    cluster_js = [("markerclusterjs", f"{url_prefix}/markercluster/leaflet.markercluster.js")]
    cluster_css = [
        ("markerclustercss", f"{url_prefix}/markercluster/MarkerCluster.css"),
        ("markerclusterdefaultcss", f"{url_prefix}/markercluster/MarkerCluster.Default.css"),
    ]
    for cluster_class in (folium.plugins.MarkerCluster, folium.plugins.FastMarkerCluster):
        cluster_class.default_js = cluster_js
        cluster_class.default_css = cluster_css
