"""Shared fixtures: the shipped regions and a freshly seeded database per test."""

from __future__ import annotations

from pathlib import Path

import pytest

from landmarks.data import storage
from landmarks.data.regions import Regions, load_regions


@pytest.fixture(scope="session")
def regions() -> Regions:
    return load_regions()


@pytest.fixture
def db_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh database location that the app (via ``$LANDMARKS_DB``) will seed on first use."""
    path = tmp_path / "landmarks.sqlite"
    monkeypatch.setenv(storage.DB_ENV_VARIABLE, str(path))
    return path
