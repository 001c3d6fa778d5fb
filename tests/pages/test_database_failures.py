"""The database's own failures are said on every page, specifically, and change nothing."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from landmarks.data import locations, store
from landmarks.data.regions import Regions
from tests import synthetic
from tests.helpers import APP_FILE
from tests.hostile import shown_text

PAGES = ("pages/overview.py", "pages/explorer.py", "pages/data.py")


def shown(page: str) -> tuple[list[str], list[str]]:
    at = AppTest.from_file(APP_FILE, default_timeout=90).run()
    if page != "pages/overview.py":
        at.switch_page(page).run()
    assert not at.exception, at.exception
    return [shown_text(e.value) for e in at.error], [shown_text(i.value) for i in at.info]


def checksum(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("page", PAGES)
def test_a_corrupt_file_is_named_and_left_alone(
    page: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = tmp_path / "landmarks.sqlite"
    broken.write_bytes(b"SQLite format 3\x00" + b"\x13" * 4000)
    before = checksum(broken)
    monkeypatch.setenv(store.DB_ENV_VARIABLE, str(broken))
    errors, hints = shown(page)
    assert errors and errors[0].startswith("数据库出现问题：")
    assert "页面出现意外错误" not in " ".join(errors)
    assert any("备份" in hint or "LANDMARKS_DB" in hint for hint in hints)
    assert checksum(broken) == before


def test_another_programs_database_is_never_seeded_over(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    foreign = tmp_path / "other.sqlite"
    with sqlite3.connect(foreign) as db:
        db.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)")
        db.execute("INSERT INTO customers (name) VALUES ('甲')")
    before = checksum(foreign)
    monkeypatch.setenv(store.DB_ENV_VARIABLE, str(foreign))
    errors, _ = shown("pages/overview.py")
    assert any("这不是本应用的数据库文件" in error for error in errors)
    assert checksum(foreign) == before


def test_a_path_that_cannot_be_created_is_explained(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv(store.DB_ENV_VARIABLE, str(blocker / "landmarks.sqlite"))
    errors, hints = shown("pages/explorer.py")
    assert any("无法创建或写入数据库所在的文件夹" in error for error in errors)
    assert any("LANDMARKS_DB" in hint for hint in hints)


def test_backups_a_killed_write_left_are_removed_when_the_app_starts(
    db_path: Path, regions: Regions
) -> None:
    synthetic.install(db_path, regions)
    folder = locations.backup_folder(db_path)
    folder.mkdir()
    stem = f"{db_path.stem}-20260101T000000000000Z-v1.sqlite"
    left = [f"{stem}.part", f"{stem}.part-journal", f"{stem}.999999999.part"]
    for name in left:
        (folder / name).write_bytes(b"half a copy")
    shown("pages/overview.py")
    assert list(folder.iterdir()) == []
