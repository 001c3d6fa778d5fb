"""A derived copy of a region's boundary layers, read on restart instead of the GeoJSON.

Reading the layers from GeoJSON (GDAL parses every coordinate as text) costs seconds at
national scale (2,875 counties: ~10 s on a loaded 2-core machine), and every server start
and every CLI run would pay it.  The frames as ``load_regions`` makes them are therefore
kept once in ``$LANDMARKS_REGIONS_CACHE_DIR`` (default ``var/regions/``), one file per
content key: the sha256 of the source files' bytes, the geopandas, shapely and pandas
versions and ``CACHE_VERSION``.  A changed boundary file or library gets a new key, so a
stale copy is never read.

Format: a pickle of the frames (geopandas and shapely support pickling; shapely 2 stores
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
import tempfile
from collections.abc import Sequence
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely

from landmarks.data.region import PROJECT_DIR

CACHE_DIR_ENV = "LANDMARKS_REGIONS_CACHE_DIR"
DEFAULT_CACHE_DIR = PROJECT_DIR / "var" / "regions"
# Bump whenever what is cached (the frames' columns, types, order) changes.
CACHE_VERSION = 1
_MAGIC = b"landmarks-regions-v1\n"
_DIGEST_SIZE = hashlib.sha256().digest_size

Layers = tuple[gpd.GeoDataFrame | None, ...]


def cache_dir() -> Path:
    """Where the derived copies live: ``$LANDMARKS_REGIONS_CACHE_DIR`` or ``var/regions``."""
    configured = os.environ.get(CACHE_DIR_ENV, "").strip()
    return Path(configured) if configured else DEFAULT_CACHE_DIR


def content_key(sources: Sequence[Path | None]) -> str:
    """The sha256 of the source files' bytes (a missing layer counts as absent), the
    library versions that read and pickle them, and ``CACHE_VERSION``."""
    digest = hashlib.sha256(
        f"regions-v{CACHE_VERSION}|geopandas {gpd.__version__}|shapely {shapely.__version__}"
        f"|pandas {pd.__version__}".encode()
    )
    for source in sources:
        if source is None:
            digest.update(b"|absent")
            continue
        content = source.read_bytes()
        digest.update(f"|{len(content)}|".encode())
        digest.update(content)
    return digest.hexdigest()


def cache_path(key: str, folder: Path | None = None) -> Path:
    return (folder or cache_dir()) / f"{key}.pickle"


def read(key: str, folder: Path | None = None) -> Layers | None:
    """The layers cached under ``key``, or None when there is no usable copy (none yet,
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
        layers = pickle.loads(payload)  # the app's own file, checksum verified
    except Exception:  # any damage means: read the GeoJSON again
        return None
    if not isinstance(layers, tuple) or not all(
        layer is None or isinstance(layer, gpd.GeoDataFrame) for layer in layers
    ):
        return None
    return layers


def write(key: str, layers: Layers, folder: Path | None = None) -> None:
    """Keep ``layers`` under ``key``; a folder that cannot be written is left as it is."""
    path = cache_path(key, folder)
    payload = pickle.dumps(layers, protocol=pickle.HIGHEST_PROTOCOL)
    content = _MAGIC + hashlib.sha256(payload).digest() + payload
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
        try:
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(content)
            os.replace(temporary, path)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)
            raise
