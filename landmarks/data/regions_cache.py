"""A derived copy of a region's boundary layers, read on restart instead of the GeoJSON.

Reading the layers from GeoJSON (GDAL parses every coordinate as text) costs seconds at
national scale (2,875 counties: ~10 s on a loaded 2-core machine), and every server start
and every CLI run would pay it (and the on-screen 南海诸岛 inset reads the counties again
where the build has no outline).  Each layer as ``read_layer`` makes it (attribute columns
as str) is therefore kept once in ``$LANDMARKS_REGIONS_CACHE_DIR`` (default
``var/regions/``), one file per content key: the sha256 of the source file's bytes, the
geopandas, shapely and pandas versions and ``CACHE_VERSION``.  A changed boundary file or
library gets a new key, so a stale copy is never read.

Format: a pickle of the frame (geopandas and shapely support pickling; shapely 2 stores
geometries as WKB), behind a header with the sha256 of the pickle.  Measured on the
national layers (median of 3 cold runs, load ~15): pickle 0.1 s, WKB arrays rebuilt with
``shapely.from_wkb`` 0.15–0.25 s, GeoParquet 0.5–2 s (pyarrow's import included), GeoJSON
1.5–4.5 s.  The checksum is verified before unpickling, so a truncated or damaged file is
detected and rebuilt, never unpickled.  The file is the app's own (written by it into its
own var folder, like the code beside it), which is what makes unpickling it acceptable.

Written atomically (a temporary file, then ``os.replace``); a folder that cannot be
written (read-only disk) only means the GeoJSON is read each time, with no message.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely

from landmarks.data.files import write_atomic
from landmarks.data.region import PROJECT_DIR

CACHE_DIR_ENV = "LANDMARKS_REGIONS_CACHE_DIR"
DEFAULT_CACHE_DIR = PROJECT_DIR / "var" / "regions"
# Bump whenever what is cached (the frames' columns, types, order) changes.
CACHE_VERSION = 1
_MAGIC = b"landmarks-regions-v1\n"
_DIGEST_SIZE = hashlib.sha256().digest_size


def cache_dir() -> Path:
    """Where the derived copies live: ``$LANDMARKS_REGIONS_CACHE_DIR`` or ``var/regions``."""
    configured = os.environ.get(CACHE_DIR_ENV, "").strip()
    return Path(configured) if configured else DEFAULT_CACHE_DIR


def read_layer(path: Path) -> gpd.GeoDataFrame:
    """The boundary layer at ``path`` (GeoJSON), its attribute columns as str: from its
    derived copy when one of the same content exists, else read and kept."""
    content = path.read_bytes()
    key = content_key(content)
    cached = read(key)
    if cached is not None:
        return cached
    frame = _read_geojson(path)
    write(key, frame)
    return frame


def _read_geojson(path: Path) -> gpd.GeoDataFrame:
    frame = gpd.read_file(path)
    for column in frame.columns.drop("geometry"):
        frame[column] = frame[column].astype(str)
    return frame


def content_key(content: bytes) -> str:
    """The sha256 of a source file's bytes, the library versions that read and pickle
    it, and ``CACHE_VERSION``."""
    digest = hashlib.sha256(
        f"regions-v{CACHE_VERSION}|geopandas {gpd.__version__}|shapely {shapely.__version__}"
        f"|pandas {pd.__version__}|".encode()
    )
    digest.update(content)
    return digest.hexdigest()


def cache_path(key: str, folder: Path | None = None) -> Path:
    return (folder or cache_dir()) / f"{key}.pickle"


def read(key: str, folder: Path | None = None) -> gpd.GeoDataFrame | None:
    """The layer cached under ``key``, or None when there is no usable copy (none yet,
    unreadable, truncated, damaged, or of another layout)."""
    try:
        content = cache_path(key, folder).read_bytes()
    except OSError:
        return None
    head = len(_MAGIC) + _DIGEST_SIZE
    if len(content) <= head or not content.startswith(_MAGIC):
        return None
    payload = memoryview(content)[head:]
    if hashlib.sha256(payload).digest() != content[len(_MAGIC) : head]:
        return None
    try:
        frame = pickle.loads(payload)  # the app's own file, checksum verified
    except Exception:  # any damage means: read the GeoJSON again
        return None
    return frame if isinstance(frame, gpd.GeoDataFrame) else None


def write(key: str, frame: gpd.GeoDataFrame, folder: Path | None = None) -> None:
    """Keep ``frame`` under ``key``; a folder that cannot be written is left as it is."""
    path = cache_path(key, folder)
    payload = pickle.dumps(frame, protocol=pickle.HIGHEST_PROTOCOL)
    content = _MAGIC + hashlib.sha256(payload).digest() + payload
    with contextlib.suppress(OSError):
        write_atomic(path, content)
