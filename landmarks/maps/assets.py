"""Files the map loads from the app itself, so it works with no internet.

Leaflet and markercluster come from the installed PyPI packages xstatic-leaflet and
xstatic-leaflet-markercluster; the app's own map script and styles live beside this
module (``web/``).  All are copied into Streamlit's static folder (Streamlit will not
follow links out of it).  Files that change with the code or the data are published under
content-hashed names, so a browser may cache them for good and fetches them once.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import tempfile
import time
from importlib import resources
from pathlib import Path

import folium
import xstatic.pkg.leaflet as xs_leaflet
import xstatic.pkg.leaflet_markercluster as xs_markercluster

PROJECT_DIR = Path(__file__).resolve().parents[2]
STATIC_DIR = PROJECT_DIR / "static"
VENDOR_SUBDIR = "vendor"
PUBLISHED_SUBDIR = "gi"
WEB_FILES = ("gi_map.js", "gi_sites.js", "gi_basemap.js", "gi_inset.js", "gi_map.css")
# Versions of one published file kept: a page opened before a data change still finds its
# files, while every import does not leave another copy behind for good.
KEPT_VERSIONS = 8
# Nor is a version pruned before it is this old: other server processes on the same folder
# (replicas, parallel test workers) publish versions of their own data, and a page one of
# them serves must still find the files it was given.
KEPT_SECONDS = 3600.0

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


def web_file(name: str) -> bytes:
    """One of the map's own browser files (``landmarks/maps/web``)."""
    return (resources.files("landmarks.maps") / "web" / name).read_bytes()


def write_atomic(target: Path, content: bytes) -> None:
    """Write ``content`` to ``target`` through a temporary file of its own in the same
    folder and a rename: readers (and other processes writing the same file) never see
    half a file."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, partial = tempfile.mkstemp(dir=target.parent, prefix=target.name, suffix=".part")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(content)
        os.replace(partial, target)
    except BaseException:
        Path(partial).unlink(missing_ok=True)
        raise


def hashed_name(content: bytes, name: str) -> str:
    """``<stem>.<16 hex of its SHA-256>.<suffix>``: a name that changes with the content."""
    stem, _, suffix = name.rpartition(".")
    return f"{stem}.{hashlib.sha256(content).hexdigest()[:16]}.{suffix}"


def write_hashed(content: bytes, name: str, folder: Path) -> str:
    """Write ``content`` into ``folder`` under its content-hashed name (once: the name
    says the content) and prune old versions of the same file; returns the name."""
    hashed = hashed_name(content, name)
    target = folder / hashed
    if not target.exists():
        write_atomic(target, content)
        stem, _, suffix = name.rpartition(".")
        prune(folder, f"{stem}.*.{suffix}")
    return hashed


def publish(content: bytes, name: str, static_dir: Path = STATIC_DIR) -> str:
    """Write ``content`` as ``gi/<stem>.<hash><suffix>``; returns that path (relative).

    The name changes whenever the content does, so the file is never stale in a cache.
    """
    return f"{PUBLISHED_SUBDIR}/{write_hashed(content, name, static_dir / PUBLISHED_SUBDIR)}"


def prune(folder: Path, pattern: str) -> None:
    """Delete the files matching ``pattern`` beyond the newest ``KEPT_VERSIONS`` that are
    older than ``KEPT_SECONDS``."""
    dated = []
    for path in folder.glob(pattern):
        with contextlib.suppress(FileNotFoundError):  # pruned by another process meanwhile
            dated.append((path.stat().st_mtime, path))
    dated.sort(reverse=True)
    oldest_kept = time.time() - KEPT_SECONDS
    for modified, old in dated[KEPT_VERSIONS:]:
        if modified < oldest_kept:
            old.unlink(missing_ok=True)


def static_url(base_url_path: str = "", relative: str = "") -> str:
    """URL path of a file in the static folder as Streamlit serves it (``/app/static/...``)."""
    base = base_url_path.strip("/")
    return f"{'/' + base if base else ''}/app/static/{relative}".rstrip("/")


def use_local_assets(base_url_path: str = "", static_dir: Path = STATIC_DIR) -> None:
    """Install the files and point folium at them, replacing every CDN link.

    Only Leaflet, markercluster and the app's own script are loaded: the app draws circle
    markers and its own legend, so jQuery, Bootstrap and Awesome Markers are not needed.
    """
    install_static_assets(static_dir)

    def url(relative: str) -> str:
        return static_url(base_url_path, relative)

    vendor = VENDOR_SUBDIR
    own = {name: url(publish(web_file(name), name, static_dir)) for name in WEB_FILES}
    folium.Map.default_js = [
        ("leaflet", url(f"{vendor}/leaflet/leaflet.js")),
        ("markercluster", url(f"{vendor}/markercluster/leaflet.markercluster.js")),
        ("gi_map", own["gi_map.js"]),
        ("gi_sites", own["gi_sites.js"]),  # uses GiMap.core: after gi_map.js
        ("gi_basemap", own["gi_basemap.js"]),
        ("gi_inset", own["gi_inset.js"]),
    ]
    folium.Map.default_css = [
        ("leaflet_css", url(f"{vendor}/leaflet/leaflet.css")),
        ("markercluster_css", url(f"{vendor}/markercluster/MarkerCluster.css")),
        ("markercluster_default_css", url(f"{vendor}/markercluster/MarkerCluster.Default.css")),
        ("gi_map_css", own["gi_map.css"]),
    ]
