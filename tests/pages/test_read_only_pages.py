"""A read-only database is browsed on every page under a banner saying why editing is off;
the data page offers no login or write control and says how to get write access.

The pages run in this process (AppTest), so the read-only place is the probe's answer:
the temporary file ``locations.folder_takes_files`` tries to make in the database's
folder fails with ``EROFS``, and the app then opens the file ``immutable`` as it would
on a write-protected stick.  The same on a real
read-only mount is checked in ``tests/data/test_degraded.py`` and, in Chromium, in
``tests/e2e/test_read_only_banner.py``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from landmarks.data import store
from landmarks.data.accounts import hash_password
from landmarks.data.regions import Regions
from tests import synthetic
from tests.helpers import run_app, write_protect
from tests.hostile import shown_text
from tests.pages.test_data_page import PASSWORD, open_page, tab_labels, write_controls

PAGES = (
    None,
    "pages/explorer.py",
    "pages/output_map.py",
    "pages/zones_sites.py",
    "pages/statistics.py",
    "pages/data.py",
)


@pytest.fixture(scope="module")
def editors() -> dict[str, Any]:
    return {"wang": {"name": "王编辑", "password_hash": hash_password(PASSWORD)}}


@pytest.fixture
def read_only_db(
    tmp_path: Path, regions: Regions, monkeypatch: pytest.MonkeyPatch
) -> tuple[Path, dict[str, bytes]]:
    folder = tmp_path / "usb-stick"
    folder.mkdir()
    path = folder / "landmarks.sqlite"
    synthetic.install(path, regions)
    monkeypatch.setenv(store.DB_ENV_VARIABLE, str(path))
    write_protect(folder, monkeypatch)
    return path, {p.name: p.read_bytes() for p in folder.iterdir()}


def banner(path: Path) -> str:
    return f"数据库位于只读位置（{path.parent}），当前为只读模式：可以浏览和下载，不能导入或编辑。"


@pytest.mark.parametrize("page", PAGES)
def test_every_page_browses_a_read_only_database_under_the_banner(
    page: str | None, read_only_db: tuple[Path, dict[str, bytes]]
) -> None:
    path, before = read_only_db
    at = run_app(page)
    assert [shown_text(w.value) for w in at.warning][:1] == [banner(path)]
    assert [e.value for e in at.error] == []
    assert "无法打开或写入数据库文件" not in str(at)
    assert {p.name: p.read_bytes() for p in path.parent.iterdir()} == before  # nothing written


def test_the_data_page_offers_no_write_control_and_says_how_to_get_one(
    read_only_db: tuple[Path, dict[str, bytes]], editors: dict[str, Any]
) -> None:
    path, _ = read_only_db
    at = open_page({"editors": editors})
    assert tab_labels(at) == ["模板下载", "版本记录", "完整导出"]
    assert write_controls(at) == []
    assert at.text_input.len == 0  # no login form
    assert any("只读模式下不能登录编辑" in c.value for c in at.caption)
    assert any(
        "LANDMARKS_DB" in shown and str(path.parent) in shown
        for shown in (shown_text(i.value) for i in at.info)
    )
    downloads = {b.proto.label for b in at.get("download_button")}
    assert {"地理标志产品模板", "GeoPackage（WGS-84）"} <= downloads
