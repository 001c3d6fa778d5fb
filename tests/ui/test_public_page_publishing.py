"""The app publishes the public page once per data version, in a thread of its own."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from landmarks.data import store
from landmarks.data.regions import Regions
from landmarks.maps import public_page, public_publish
from landmarks.ui import data as ui_data
from tests import synthetic


def tables(regions: Regions, version: int) -> ui_data.Tables:
    frames = synthetic.frames(regions)
    empty = pd.DataFrame()
    return ui_data.Tables(
        products=frames["products"],
        zones=frames["zones"],
        sites=frames["sites"],
        outputs=frames["outputs"],
        sources=frames["sources"],
        registrations=frames.get("registrations", empty),
        version=version,
        updated_at="2026-11-30T00:00:00+00:00",
    )


def test_each_version_is_published_once(
    regions: Regions, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "p"
    monkeypatch.setenv(public_publish.PUBLIC_DIR_ENV, str(folder))
    monkeypatch.setenv(public_publish.PUBLISH_ENV, "1")
    monkeypatch.setenv(store.DB_ENV_VARIABLE, str(tmp_path / "landmarks.sqlite"))
    first = tables(regions, 41)
    thread = ui_data.publish_public_page(first)
    assert thread is not None
    thread.join(timeout=120)
    assert public_publish.published_version(folder) == (41, public_page.code_build())
    assert ui_data.publish_public_page(first) is thread  # cached per (database, version)
    newer = ui_data.publish_public_page(tables(regions, 42))
    assert newer is not None and newer is not thread
    newer.join(timeout=120)
    assert public_publish.published_version(folder) == (42, public_page.code_build())


def test_publishing_can_be_turned_off(regions: Regions, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(public_publish.PUBLISH_ENV, "0")
    assert ui_data.publish_public_page(tables(regions, 43)) is None
