"""The app publishes the public page once per data version, in a process of its own."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import streamlit as st

from landmarks.data import store
from landmarks.data.regions import Regions
from landmarks.maps import public_page, public_publish
from landmarks.ui import data as ui_data
from tests import synthetic

PUBLISH_TIMEOUT = 120  # seconds: the process imports the app, then builds the page


def tables(frames: dict[str, pd.DataFrame], version: int) -> ui_data.Tables:
    return ui_data.Tables(
        **{name: frames.get(name, pd.DataFrame()) for name in store.TABLE_COLUMNS},
        version=version,
        updated_at="2026-11-30T00:00:00+00:00",
    )


def count_on(db_path: Path) -> int:
    """The database's data one version on, as an import leaves it."""
    with store.opened(db_path) as db, db.write():
        db.set_meta("data_version", str(db.data_version() + 1))
        return db.data_version()


def test_each_version_is_published_once_by_a_process_of_its_own(
    regions: Regions, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder, db_path = tmp_path / "p", tmp_path / "landmarks.sqlite"
    monkeypatch.setenv(public_publish.PUBLIC_DIR_ENV, str(folder))
    monkeypatch.setenv(public_publish.PUBLISH_ENV, "1")
    monkeypatch.setenv(store.DB_ENV_VARIABLE, str(db_path))
    frames = synthetic.install(db_path, regions)
    st.cache_resource.clear()
    first = count_on(db_path)
    process = ui_data.publish_public_page(tables(frames, first))
    assert process is not None
    assert process.wait(timeout=PUBLISH_TIMEOUT) == 0
    assert public_publish.published_version(folder) == (first, public_page.code_build())
    assert ui_data.publish_public_page(tables(frames, first)) is process  # once per version
    newer_version = count_on(db_path)
    newer = ui_data.publish_public_page(tables(frames, newer_version))
    assert newer is not None and newer is not process
    assert newer.wait(timeout=PUBLISH_TIMEOUT) == 0
    assert public_publish.published_version(folder) == (newer_version, public_page.code_build())
    # A server started again finds the version published and starts nothing.
    st.cache_resource.clear()
    assert ui_data.publish_public_page(tables(frames, newer_version)) is None


def test_publishing_can_be_turned_off(regions: Regions, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(public_publish.PUBLISH_ENV, "0")
    assert ui_data.publish_public_page(tables(synthetic.frames(regions), 43)) is None
