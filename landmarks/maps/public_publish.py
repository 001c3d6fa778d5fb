"""Publishing the public page (``public_page.build``) into a folder that a web server
serves as it is: ``static/p`` (Streamlit serves it at /app/static/p/) or
``$LANDMARKS_PUBLIC_DIR`` (the balancer's /p/).

Several processes may publish into one folder: every write is atomic, each hashed file
gets a ``.gz`` twin (nginx ``gzip_static``), and ``index.html`` is replaced only by a
newer data version (or, at the same version, by another build of the page).
"""

from __future__ import annotations

import contextlib
import fcntl
import gzip
import os
import re
from collections.abc import Iterator, Mapping
from pathlib import Path

import pandas as pd

from landmarks import i18n
from landmarks.data.files import write_atomic
from landmarks.data.regions import Regions
from landmarks.maps import assets
from landmarks.maps.public_page import PublicPage, build, code_build
from landmarks.query.search import NameIndex

PUBLIC_DIR_ENV = "LANDMARKS_PUBLIC_DIR"
# "0" turns publishing by the app and by an import off (the test suite sets it: its app
# runs and imports would each build the page for a throw-away database).
PUBLISH_ENV = "LANDMARKS_PUBLISH_PUBLIC_PAGE"
PUBLIC_SUBDIR = "p"
INDEX = "index.html"
_VERSION_META = re.compile(r'<meta name="gi-data-version" content="(\d+)">')
_BUILD_META = re.compile(r'<meta name="gi-build" content="([0-9a-f]+)">')
_LOCK = ".publish.lock"


def publishing_enabled() -> bool:
    """Whether the app and imports publish the page (``$LANDMARKS_PUBLISH_PUBLIC_PAGE``)."""
    return os.environ.get(PUBLISH_ENV, "").strip() != "0"


def public_dir() -> Path:
    """Where the page is published: ``$LANDMARKS_PUBLIC_DIR`` or ``static/p``."""
    folder = os.environ.get(PUBLIC_DIR_ENV, "").strip()
    return Path(folder) if folder else assets.STATIC_DIR / PUBLIC_SUBDIR


def _gzipped(content: bytes) -> bytes:
    return gzip.compress(content, compresslevel=9, mtime=0)


def published_version(folder: Path) -> tuple[int, str] | None:
    """The data version and build of the page published in ``folder`` (None if none)."""
    try:
        head = (folder / INDEX).read_text(encoding="utf-8")[:2000]
    except (OSError, UnicodeDecodeError):
        return None
    version, build_found = _VERSION_META.search(head), _BUILD_META.search(head)
    if version is None:
        return None
    return int(version.group(1)), build_found.group(1) if build_found else ""


@contextlib.contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """One publisher at a time in ``folder`` (other processes wait): reading the published
    version and replacing ``index.html`` is one step."""
    with (folder / _LOCK).open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _current(found: tuple[int, str] | None, version: int, build_digest: str) -> bool:
    """Whether the published page (``found``) needs no replacing by this version's."""
    return found is not None and (
        found[0] > version or (found[0] == version and found[1] == build_digest)
    )


def is_published(folder: Path, version: int) -> bool:
    """Whether ``folder`` holds the page of data ``version`` (or a newer one) built by
    this code: nothing to publish."""
    return _current(published_version(folder), version, code_build())


def _write(folder: Path, page: PublicPage) -> bool:
    """``publish`` with the folder's lock held."""
    for name, content in page.files.items():
        target = folder / name
        if not target.exists() or not (folder / f"{name}.gz").exists():
            write_atomic(folder / f"{name}.gz", _gzipped(content))
            write_atomic(target, content)
    if _current(published_version(folder), page.version, page.build):
        return False
    write_atomic(folder / f"{INDEX}.gz", _gzipped(page.index))
    write_atomic(folder / INDEX, page.index)
    _prune(folder)
    return True


def publish(folder: Path, page: PublicPage) -> bool:
    """Write ``page`` into ``folder``: the hashed files (each once, with its ``.gz`` twin;
    older versions kept for a while, as ``assets.publish`` keeps them), then
    ``index.html`` and its twin, unless the folder already has a newer data version or
    this very build.  Returns whether ``index.html`` was replaced."""
    folder.mkdir(parents=True, exist_ok=True)
    with _locked(folder):
        return _write(folder, page)


def _prune(folder: Path) -> None:
    """Old versions of each hashed file beyond ``assets.KEPT_VERSIONS`` and older than
    ``assets.KEPT_SECONDS`` (a page opened before still finds its files), with twins."""
    stems = {path.name.split(".", 1)[0] for path in folder.glob("*.*.*") if path.is_file()}
    for stem in stems:
        for suffix in ("js", "css", "json"):
            assets.prune(folder, f"{stem}.*.{suffix}")
            assets.prune(folder, f"{stem}.*.{suffix}.gz")


def publish_tables(
    tables: Mapping[str, pd.DataFrame],
    regions: Regions,
    version: int,
    updated_at: str = "",
    *,
    folder: Path | None = None,
    index: NameIndex | None = None,
) -> Path:
    """Build the page in Chinese (the public page's language) and publish it, unless the
    folder already holds this version (or a newer one) built by this code: of several
    processes publishing one version into one folder, one builds it, the others find it
    published.  Returns the folder."""
    target = folder or public_dir()
    target.mkdir(parents=True, exist_ok=True)
    with i18n.language(i18n.CHINESE), _locked(target):
        if not _current(published_version(target), int(version), code_build()):
            _write(target, build(tables, regions, version, updated_at, index))
    return target
