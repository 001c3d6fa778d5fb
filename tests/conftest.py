"""Shared fixtures: the shipped regions and a freshly seeded database per test."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from streamlit.components.v2 import manifest_scanner

from landmarks.data import store
from landmarks.data.regions import Regions, load_regions
from tests import synthetic


@pytest.fixture(scope="session", autouse=True)
def _components_scanned_once() -> Iterator[None]:
    """Every new AppTest scans all installed packages for Streamlit components (about
    0.9 s here, most of a small page's run); a real server scans once at start-up, and
    the installed packages do not change during a test run."""
    with pytest.MonkeyPatch.context() as patch:
        scan = functools.cache(manifest_scanner.scan_component_manifests)
        patch.setattr(manifest_scanner, "scan_component_manifests", scan)
        yield


@pytest.fixture(scope="session")
def regions() -> Regions:
    return load_regions()


@pytest.fixture
def db_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh database location that the app (via ``$LANDMARKS_DB``) will seed on first use."""
    path = tmp_path / "landmarks.sqlite"
    monkeypatch.setenv(store.DB_ENV_VARIABLE, str(path))
    return path


@pytest.fixture
def tables(regions: Regions) -> dict[str, pd.DataFrame]:
    """The small synthetic data set (tests/synthetic.py), fresh for each test."""
    return synthetic.frames(regions)
