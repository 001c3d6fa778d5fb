"""The app under another region: a bad setting, unbuilt boundaries and another region's
database are said in Chinese in place of the page (no traceback, not the generic error)."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from landmarks.data import seed, store
from landmarks.data.region import BOUNDARIES_ENV, REGION_ENV
from landmarks.data.regions import Regions
from tests.data.conftest import HUNAN
from tests.helpers import APP_FILE
from tests.hostile import shown_text

GENERIC = "页面出现意外错误"


def errors_shown() -> list[str]:
    at = AppTest.from_file(APP_FILE, default_timeout=90).run()
    assert not at.exception, at.exception
    return [shown_text(e.value) for e in at.error]


def test_a_bad_region_setting_is_said(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(store.DB_ENV_VARIABLE, str(tmp_path / "db.sqlite"))
    monkeypatch.setenv(REGION_ENV, "hunan")
    errors = " ".join(errors_shown())
    assert "LANDMARKS_REGION" in errors and "430000" in errors and GENERIC not in errors


def test_unbuilt_boundaries_name_the_build_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(store.DB_ENV_VARIABLE, str(tmp_path / "db.sqlite"))
    monkeypatch.setenv(REGION_ENV, HUNAN)
    monkeypatch.setenv(BOUNDARIES_ENV, str(tmp_path / "not-built"))
    errors = " ".join(errors_shown())
    assert "build_boundaries.py --region 430000" in errors and GENERIC not in errors


def test_a_hubei_database_is_refused_under_hunan(
    tmp_path: Path, hunan_dir: Path, regions: Regions, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "hubei.sqlite"
    with store.opened(path) as db:
        seed.ensure_seeded(db, regions)
    monkeypatch.setenv(store.DB_ENV_VARIABLE, str(path))
    monkeypatch.setenv(REGION_ENV, HUNAN)
    monkeypatch.setenv(BOUNDARIES_ENV, str(hunan_dir))
    errors = " ".join(errors_shown())
    assert "这个数据库属于湖北省" in errors and GENERIC not in errors


def test_hunan_opens_on_an_empty_database(
    tmp_path: Path, hunan_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "hunan.sqlite"
    monkeypatch.setenv(store.DB_ENV_VARIABLE, str(path))
    monkeypatch.setenv(REGION_ENV, HUNAN)
    monkeypatch.setenv(BOUNDARIES_ENV, str(hunan_dir))
    errors = errors_shown()
    assert not any(GENERIC in error for error in errors), errors
    with store.opened(path, read_only=True) as db:
        assert db.read_table("products").empty  # Hubei's seed not applied
        assert db.get_meta(seed.REGION_META) == HUNAN
