"""Cached benchmark data under ``var/bench/``: a folder per artefact, with its manifest.

Every cached folder holds a ``manifest.json`` saying what it was built from (generator
version, random seed, sizes, schema version, seed digest ...).  A folder is reused only
when its manifest equals the one wanted now; otherwise it is rebuilt.

A build writes into a temporary folder beside the target and renames it into place only
once the build, manifest included, has succeeded.  So a failed or interrupted build
leaves nothing that a later run could take for a finished one, and a finished folder is
never half-overwritten.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

MANIFEST = "manifest.json"
PARTIAL_SUFFIX = ".partial"  # folders being built; never read as a cache

Manifest = Mapping[str, Any]


def _canonical(manifest: Manifest) -> dict[str, Any]:
    """The manifest as it reads back from JSON (tuples become lists), so the two compare."""
    return dict(json.loads(json.dumps(manifest, ensure_ascii=False)))


def read_manifest(folder: Path) -> dict[str, Any] | None:
    """The manifest of a finished build in ``folder``; None when there is none (or it is
    unreadable, which is treated as no build at all)."""
    try:
        found = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return found if isinstance(found, dict) else None


def is_current(folder: Path, manifest: Manifest) -> bool:
    return read_manifest(folder) == _canonical(manifest)


def _write_manifest(folder: Path, manifest: Manifest) -> None:
    text = json.dumps(_canonical(manifest), ensure_ascii=False, indent=2, sort_keys=True)
    (folder / MANIFEST).write_text(text + "\n", encoding="utf-8")


def _swap_in(partial: Path, target: Path) -> None:
    """Put ``partial`` at ``target``, replacing any older build there.

    A folder cannot be renamed over a non-empty one, so the old build is first renamed
    aside: if the process dies between the two renames, ``target`` is missing (and is
    rebuilt), never a mix of the two.
    """
    old = None
    if target.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".old", dir=target.parent))
        os.replace(target, old / target.name)
    os.replace(partial, target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


@contextmanager
def building(target: Path, manifest: Manifest) -> Iterator[Path]:
    """A fresh temporary folder for the block to build into; when the block ends without
    an exception, ``manifest`` is written into it and it replaces ``target``.  When the
    block raises (or is interrupted), the temporary folder is removed and ``target`` is
    left as it was."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = Path(
        tempfile.mkdtemp(prefix=f".{target.name}.", suffix=PARTIAL_SUFFIX, dir=target.parent)
    )
    try:
        yield partial
        _write_manifest(partial, manifest)
        _swap_in(partial, target)
    finally:
        shutil.rmtree(partial, ignore_errors=True)


def cached(
    target: Path, manifest: Manifest, build: Callable[[Path], None], rebuild: bool = False
) -> Path:
    """``target``, built by ``build(folder)`` unless it already holds a finished build of
    this very ``manifest`` (``rebuild`` builds anyway)."""
    if rebuild or not is_current(target, manifest):
        with building(target, manifest) as folder:
            build(folder)
    return target
