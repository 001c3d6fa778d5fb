"""Files the map loads from the app itself, so it works with no internet.

Leaflet and markercluster come from the installed PyPI packages xstatic-leaflet and
xstatic-leaflet-markercluster; the app's own map scripts and styles live beside this
module (``web/``).  The app's map loads them as one script bundle and one style sheet
(``bundle_js``/``bundle_css``: Leaflet's images inlined, no source maps), published into
Streamlit's static folder (Streamlit will not follow links out of it): streamlit-folium
loads a map's scripts one after the other, so five scripts cost five round trips before
the map can start.  A map's small boot script (``boot_script``), loaded first, starts
fetching its base geometry and the style sheet while the bundle loads and runs.  Files
that change with the code or the data are published under content-hashed names, so a
browser may cache them for good and fetches them once.
"""

from __future__ import annotations

import base64
import contextlib
import functools
import hashlib
import json
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import folium
import xstatic.pkg.leaflet as xs_leaflet
import xstatic.pkg.leaflet_markercluster as xs_markercluster

from landmarks.data.files import write_atomic

PROJECT_DIR = Path(__file__).resolve().parents[2]
STATIC_DIR = PROJECT_DIR / "static"
PUBLISHED_SUBDIR = "gi"
# The app's map scripts in loading order: gi_sites.js and gi_basemap.js use GiMap.core.
OWN_SCRIPTS = ("gi_map.js", "gi_sites.js", "gi_basemap.js", "gi_inset.js")
BUNDLE_JS = "gi_bundle.js"
BUNDLE_CSS = "gi_bundle.css"
BOOT_JS = "gi_boot.js"
# Versions of one published file kept: a page opened before a data change still finds its
# files, while every import does not leave another copy behind for good.
KEPT_VERSIONS = 8
# Nor is a version pruned before it is this old: other server processes on the same folder
# (replicas, parallel test workers) publish versions of their own data, and a page one of
# them serves must still find the files it was given.
KEPT_SECONDS = 3600.0

_SOURCE_MAP = re.compile(r"^\s*//# sourceMappingURL=.*$", re.MULTILINE)
_CSS_URL = re.compile(r"url\((['\"]?)(images/[^)'\"]+)\1\)")


def web_file(name: str) -> bytes:
    """One of the map's own browser files (``landmarks/maps/web``)."""
    return (resources.files("landmarks.maps") / "web" / name).read_bytes()


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


# --- the map's scripts and styles ---------------------------------------------------


def package_file(base_dir: str, name: str) -> str:
    return (Path(base_dir) / name).read_text(encoding="utf-8")


def _data_url(path: Path) -> str:
    mime = "image/png" if path.suffix == ".png" else "application/octet-stream"
    return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


def leaflet_css() -> str:
    """Leaflet's style sheet with its images inlined as data: URLs."""
    base = Path(xs_leaflet.BASE_DIR)
    css = package_file(xs_leaflet.BASE_DIR, "leaflet.css")
    return _CSS_URL.sub(lambda match: f'url("{_data_url(base / match.group(2))}")', css)


def script_text(text: str) -> str:
    """A script's text made safe inside <script>: no source map, no closing tag."""
    return _SOURCE_MAP.sub("", text).replace("</script", "<\\/script")


def map_styles() -> list[str]:
    """The map's style sheets: Leaflet's, markercluster's and the app's own."""
    return [
        leaflet_css(),
        package_file(xs_markercluster.BASE_DIR, "MarkerCluster.css"),
        package_file(xs_markercluster.BASE_DIR, "MarkerCluster.Default.css"),
        web_file("gi_map.css").decode("utf-8"),
    ]


def map_scripts(own: Sequence[str] = OWN_SCRIPTS) -> list[str]:
    """Leaflet, markercluster and the app's map scripts ``own``, in loading order."""
    return [
        package_file(xs_leaflet.BASE_DIR, "leaflet.js"),
        package_file(xs_markercluster.BASE_DIR, "leaflet.markercluster.js"),
        *(web_file(name).decode("utf-8") for name in own),
    ]


def join_scripts(scripts: Sequence[str]) -> bytes:
    """Scripts as one file, each ended so that the next cannot continue its statement."""
    return "\n;\n".join(script_text(script) for script in scripts).encode("utf-8")


def bundle_js() -> bytes:
    """Leaflet, markercluster and the app's map scripts as one script."""
    return join_scripts(map_scripts())


def bundle_css() -> bytes:
    """The map's style sheets as one (Leaflet's images inlined)."""
    return "\n".join(map_styles()).encode("utf-8")


def boot_script(urls: Sequence[str], css: str) -> bytes:
    """A map's first script (``web/gi_boot.js`` with its settings): it adds the style
    sheet ``css`` and starts fetching ``urls`` (the base geometry) at once, while the
    bundle loads and runs; ``GiMap``'s loader takes over those requests."""
    settings = json.dumps({"files": list(urls), "css": css}, ensure_ascii=False)
    return f"window.GiMapBoot = {settings};\n".encode() + web_file(BOOT_JS)


@dataclass(frozen=True)
class _Served:
    base_url_path: str
    static_dir: Path
    bundle_js: str  # URLs
    bundle_css: str


_served: _Served | None = None


def use_local_assets(base_url_path: str = "", static_dir: Path = STATIC_DIR) -> None:
    """Publish the map's bundle and point folium at it, replacing every CDN link.

    Only Leaflet, markercluster and the app's own scripts are loaded: the app draws circle
    markers and its own legend, so jQuery, Bootstrap and Awesome Markers are not needed.
    """
    global _served

    def url(content: bytes, name: str) -> str:
        return static_url(base_url_path, publish(content, name, static_dir))

    served = _Served(
        base_url_path,
        static_dir,
        url(bundle_js(), BUNDLE_JS),
        url(bundle_css(), BUNDLE_CSS),
    )
    folium.Map.default_js = [("gi_bundle", served.bundle_js)]
    folium.Map.default_css = [("gi_bundle_css", served.bundle_css)]
    _served = served
    boot_url.cache_clear()


@functools.cache
def boot_url(urls: tuple[str, ...]) -> str | None:
    """The URL of the boot script that fetches ``urls`` early (published once per set of
    URLs), or None before ``use_local_assets`` (no folder to publish into)."""
    served = _served
    if served is None:
        return None
    content = boot_script(urls, served.bundle_css)
    return static_url(served.base_url_path, publish(content, BOOT_JS, served.static_dir))


def boot_links(urls: Sequence[str]) -> list[tuple[str, str]] | None:
    """A map's script links (folium's ``default_js``): its boot script, then the bundle;
    None before ``use_local_assets``."""
    boot = boot_url(tuple(urls))
    if boot is None or _served is None:
        return None
    return [("gi_boot", boot), ("gi_bundle", _served.bundle_js)]
